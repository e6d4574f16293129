#include "host/http/url.hpp"

namespace switchboard::http {
namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

std::string percent_decode(std::string_view in, bool plus_as_space) {
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%' && i + 2 < in.size()) {
            int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out.push_back(static_cast<char>(hi * 16 + lo));
                i += 2;
                continue;
            }
        }
        out.push_back(plus_as_space && c == '+' ? ' ' : c);
    }
    return out;
}

bool parse_target(std::string_view target, parsed_target& out) {
    out = {};
    // absolute-form: a proxy-style request; keep only the path and query.
    for (std::string_view scheme : {"http://", "https://"}) {
        if (target.size() >= scheme.size() && target.substr(0, scheme.size()) == scheme) {
            auto slash = target.find_first_of("/?", scheme.size());
            target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
            if (!target.empty() && target.front() == '?') return false;
            break;
        }
    }
    if (target.empty() || target.front() != '/') return false;

    auto qmark = target.find('?');
    std::string_view path = target.substr(0, qmark);
    if (auto hash = path.find('#'); hash != std::string_view::npos) path = path.substr(0, hash);
    out.raw_path.assign(path);
    out.path = percent_decode(path);
    if (qmark == std::string_view::npos) return true;

    std::string_view query = target.substr(qmark + 1);
    if (auto hash = query.find('#'); hash != std::string_view::npos) query = query.substr(0, hash);
    while (!query.empty()) {
        auto amp = query.find('&');
        std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string key = percent_decode(pair.substr(0, eq), true);
        std::string value = eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1), true);
        out.query.insert_or_assign(std::move(key), std::move(value));
    }
    return true;
}

}  // namespace switchboard::http
