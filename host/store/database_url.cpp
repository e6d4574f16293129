// Database URL -> SOCI backend + connect string. Error messages name the part that
// is wrong but never echo the URL: it may hold a password.
#include "host/store/store.hpp"

#include <cctype>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::store {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

std::string percent_decode(std::string_view s, const char* part) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') {
            out += s[i];
            continue;
        }
        int hi = i + 2 < s.size() ? hex_value(s[i + 1]) : -1;
        int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
        if (hi < 0 || lo < 0)
            throw store_error(std::string("database URL: bad percent-escape in the postgresql URL's ") + part);
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

// libpq keyword value: single-quoted, with \ and ' escaped, so spaces and
// quotes in passwords survive.
std::string quote(std::string_view v) {
    std::string out = "'";
    for (char c : v) {
        if (c == '\\' || c == '\'') out += '\\';
        out += c;
    }
    return out + "'";
}

// libpq prints NOTICEs (e.g. "relation already exists, skipping") to stderr.
std::string with_quiet_notices(std::string connect) {
    if (connect.find("options=") == std::string::npos) {
        if (!connect.empty()) connect += ' ';
        connect += "options='-c client_min_messages=warning'";
    }
    return connect;
}

// postgresql://[user[:password]@][host][:port][/dbname][?key=value&...]
std::string pg_uri_to_keywords(std::string_view rest) {
    std::vector<std::pair<std::string, std::string>> kw;
    std::string_view query;
    if (auto q = rest.find('?'); q != std::string_view::npos) {
        query = rest.substr(q + 1);
        rest = rest.substr(0, q);
    }
    std::string_view authority = rest, path;
    if (auto slash = rest.find('/'); slash != std::string_view::npos) {
        authority = rest.substr(0, slash);
        path = rest.substr(slash + 1);
    }
    if (auto at = authority.rfind('@'); at != std::string_view::npos) {
        auto userinfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        auto colon = userinfo.find(':');
        auto user = userinfo.substr(0, colon);
        if (!user.empty()) kw.emplace_back("user", percent_decode(user, "user"));
        if (colon != std::string_view::npos)
            kw.emplace_back("password", percent_decode(userinfo.substr(colon + 1), "password"));
    }
    std::string_view host = authority, port;
    if (starts_with(authority, "[")) {  // [::1]:5432
        auto close = authority.find(']');
        if (close == std::string_view::npos) throw store_error("database URL: unclosed '[' in the postgresql host");
        host = authority.substr(1, close - 1);
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after[0] != ':') throw store_error("database URL: unexpected text after the postgresql host");
            port = after.substr(1);
        }
    } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
        host = authority.substr(0, colon);
        port = authority.substr(colon + 1);
    }
    if (!host.empty()) kw.emplace_back("host", percent_decode(host, "host"));
    if (!port.empty()) {
        bool digits = port.size() <= 5;
        for (char c : port) digits = digits && std::isdigit(static_cast<unsigned char>(c));
        if (!digits || std::stoi(std::string(port)) > 65535)
            throw store_error("database URL: the postgresql port must be a number from 1 to 65535");
        kw.emplace_back("port", std::string(port));
    }
    if (!path.empty()) kw.emplace_back("dbname", percent_decode(path, "database name"));
    while (!query.empty()) {
        auto amp = query.find('&');
        auto pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0)
            throw store_error("database URL: postgresql query parameters must be key=value");
        auto key = percent_decode(pair.substr(0, eq), "query");
        for (char c : key)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_')
                throw store_error("database URL: bad postgresql parameter name '" + key + "'");
        kw.emplace_back(key, percent_decode(pair.substr(eq + 1), "query"));
    }
    std::string out;
    for (auto const& [k, v] : kw) {
        if (!out.empty()) out += ' ';
        out += k + "=" + quote(v);
    }
    return out;
}

}  // namespace

database_url parse_database_url(const std::string& url) {
    std::string_view u = url;
    database_url out;
    if (starts_with(u, "sqlite:")) {
        auto path = u.substr(7);
        if (starts_with(path, "//")) path = path.substr(2);  // sqlite:///abs/file.db
        if (path.empty()) throw store_error("database URL: sqlite: needs a file path (sqlite:var/switchboard.db)");
        out.kind = backend::sqlite;
        out.in_memory = path == ":memory:";
        out.sqlite_path = std::string(path);
        // SOCI's sqlite3 backend takes a bare file name when the string holds no '=';
        // otherwise it parses key=value pairs with double-quoted values.
        bool has_eq = path.find('=') != std::string_view::npos;
        if (has_eq && path.find('"') != std::string_view::npos)
            throw store_error("database URL: a sqlite path may not contain both '=' and '\"'");
        out.connect = has_eq ? "db=\"" + std::string(path) + "\"" : std::string(path);
        return out;
    }
    if (starts_with(u, "postgresql://") || starts_with(u, "postgres://")) {
        out.kind = backend::postgresql;
        out.connect = with_quiet_notices(pg_uri_to_keywords(u.substr(u.find("//") + 2)));
        return out;
    }
    if (starts_with(u, "postgresql:")) {  // a libpq keyword string
        auto rest = u.substr(11);
        if (rest.find_first_not_of(' ') == std::string_view::npos)
            throw store_error("database URL: postgresql: needs a libpq keyword string (postgresql:host=... dbname=...)");
        out.kind = backend::postgresql;
        out.connect = with_quiet_notices(std::string(rest));
        return out;
    }
    auto colon = u.find(':');
    if (u.empty()) throw store_error("database URL is empty (expected sqlite:<path> or postgresql://...)");
    if (colon == std::string_view::npos || colon == 0)
        throw store_error("database URL has no scheme (expected sqlite:<path> or postgresql://...)");
    std::string scheme(u.substr(0, colon));
    for (char& c : scheme)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') c = '?';
    throw store_error("database URL: unsupported scheme '" + scheme + "' (expected sqlite: or postgresql:)");
}

}  // namespace switchboard::store
