#include "host/client/url.hpp"

#include <algorithm>
#include <cctype>

namespace switchboard::client {
namespace {

bool iequals_prefix(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

// The URL without its query and fragment, for error messages (queries may hold keys).
std::string shown(std::string_view url) {
    auto cut = url.find_first_of("?#");
    std::string s(url.substr(0, cut));
    if (s.size() > 200) s = s.substr(0, 200) + "...";
    return "'" + s + "'";
}

}  // namespace

std::string parsed_url::host_header() const {
    std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
    if (port != (tls ? "443" : "80")) h += ":" + port;
    return h;
}

std::string_view parsed_url::path() const noexcept {
    std::string_view t = target;
    return t.substr(0, t.find('?'));
}

std::optional<parsed_url> parse_url(std::string_view url, std::string& why) {
    if (url.empty()) {
        why = "empty URL";
        return std::nullopt;
    }
    if (std::any_of(url.begin(), url.end(), [](unsigned char c) { return c <= 0x20 || c == 0x7f; })) {
        why = "spaces or control characters in " + shown(url);
        return std::nullopt;
    }
    parsed_url out;
    std::string_view rest;
    if (iequals_prefix(url, "https://")) {
        out.tls = true;
        rest = url.substr(8);
    } else if (iequals_prefix(url, "http://")) {
        rest = url.substr(7);
    } else {
        why = "scheme must be http or https in " + shown(url);
        return std::nullopt;
    }

    auto end_authority = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, end_authority);
    std::string_view tail = end_authority == std::string_view::npos ? std::string_view{} : rest.substr(end_authority);
    if (authority.find('@') != std::string_view::npos) {
        why = "credentials in the URL are not supported (send them in a header)";
        return std::nullopt;
    }

    std::string_view host, port;
    if (!authority.empty() && authority.front() == '[') {  // IPv6 literal
        auto close = authority.find(']');
        if (close == std::string_view::npos) {
            why = "unterminated '[' in the host of " + shown(url);
            return std::nullopt;
        }
        host = authority.substr(1, close - 1);
        auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                why = "unexpected text after ']' in " + shown(url);
                return std::nullopt;
            }
            port = after.substr(1);
            if (port.empty()) {
                why = "empty port in " + shown(url);
                return std::nullopt;
            }
        }
    } else {
        auto colon = authority.rfind(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) {
            port = authority.substr(colon + 1);
            if (port.empty()) {
                why = "empty port in " + shown(url);
                return std::nullopt;
            }
        }
        if (host.find(':') != std::string_view::npos) {
            why = "IPv6 host must be in brackets in " + shown(url);
            return std::nullopt;
        }
    }
    if (host.empty()) {
        why = "no host in " + shown(url);
        return std::nullopt;
    }
    if (!port.empty()) {
        bool digits = port.size() <= 5 && std::all_of(port.begin(), port.end(), [](unsigned char c) {
                          return std::isdigit(c);
                      });
        int n = digits ? std::stoi(std::string(port)) : 0;
        if (n < 1 || n > 65535) {
            why = "port must be 1-65535 in " + shown(url);
            return std::nullopt;
        }
        out.port = std::to_string(n);
    } else {
        out.port = out.tls ? "443" : "80";
    }
    out.host = std::string(host);

    tail = tail.substr(0, tail.find('#'));  // fragments never go on the wire
    if (tail.empty())
        out.target = "/";
    else if (tail.front() == '?')
        out.target = "/" + std::string(tail);
    else
        out.target = std::string(tail);
    return out;
}

}  // namespace switchboard::client
