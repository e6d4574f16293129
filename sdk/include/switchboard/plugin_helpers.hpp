// Small helpers every provider needs, so each plugin does not write its own copy of
// security-sensitive code (secret comparison) or of the body checks.
#pragma once

#include <switchboard/provider.hpp>

#include <boost/json/parse.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace switchboard::sdk {

// Compares without an early exit, so the time taken says nothing about where (or
// whether, for equal lengths) the strings differ.
inline bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const std::size_t n = a.size() > b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < n; ++i) {
        unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= x ^ y;
    }
    return diff == 0;
}

// A string setting from the org's merged section; empty when absent or not a string.
inline std::string_view string_setting(const boost::json::object* settings, std::string_view key) noexcept {
    if (!settings) return {};
    auto const* v = settings->if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

// The token of an "Authorization: Bearer <token>" header; empty when there is none.
inline std::string_view bearer_token(const webhook_request& request) noexcept {
    constexpr std::string_view scheme = "Bearer ";
    auto auth = request.header("authorization");
    return auth.substr(0, scheme.size()) == scheme ? auth.substr(scheme.size()) : std::string_view{};
}

// The body as a JSON object, or bad_payload("<plugin>: body is not a JSON object").
inline boost::json::object parse_json_object(std::string_view body, std::string_view plugin) {
    boost::system::error_code ec;
    boost::json::value v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) throw bad_payload(std::string(plugin) + ": body is not a JSON object");
    return std::move(v.as_object());
}

// Objects in `patch` merge into objects in `target`; anything else replaces (how an
// assistant's provider_config is laid over what the plugin rendered).
inline void deep_merge(boost::json::object& target, const boost::json::object& patch) {
    for (auto const& kv : patch) {
        auto* existing = target.if_contains(kv.key());
        if (existing && existing->is_object() && kv.value().is_object())
            deep_merge(existing->get_object(), kv.value().get_object());
        else
            target[kv.key()] = kv.value();
    }
}

// An id made safe to put in a URL path: everything outside the unreserved characters
// (A-Z a-z 0-9 - _ . ~) percent-encoded, so an id can never reach another route.
inline std::string url_path_segment(std::string_view id) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(id.size());
    for (unsigned char c : id) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '_' || c == '.' || c == '~';
        if (unreserved) {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

}  // namespace switchboard::sdk
