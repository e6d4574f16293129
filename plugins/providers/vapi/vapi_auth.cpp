#include "vapi_auth.hpp"

#include <switchboard/plugin_helpers.hpp>

#include <switchboard/signing.hpp>

#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>

#include "vapi_json.hpp"

namespace switchboard::plugins::vapi {

namespace {

// Setting with its default (tests and tools may hand us sections without defaults).
std::string setting(const boost::json::object* s, std::string_view key, std::string_view fallback) {
    auto const* v = s ? s->if_contains(key) : nullptr;
    return v && v->is_string() ? std::string(v->get_string()) : std::string(fallback);
}

bool bool_setting(const boost::json::object* s, std::string_view key) {
    auto const* v = s ? s->if_contains(key) : nullptr;
    return v && v->is_bool() && v->get_bool();
}

std::int64_t int_setting(const boost::json::object* s, std::string_view key, std::int64_t fallback) {
    auto const* v = s ? s->if_contains(key) : nullptr;
    if (!v) return fallback;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
    if (v->is_double()) return static_cast<std::int64_t>(v->get_double());
    return fallback;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}


void replace_all(std::string& s, std::string_view token, std::string_view with) {
    for (std::size_t pos = s.find(token); pos != std::string::npos; pos = s.find(token, pos + with.size()))
        s.replace(pos, token.size(), with);
}

// Seconds or milliseconds (>= 1e12) since the epoch, or an ISO 8601 string.
std::optional<std::chrono::system_clock::time_point> header_time(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    double d = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc{} && p == s.data() + s.size() && std::isfinite(d) && d >= 0) {
        const double ms = d >= 1e12 ? d : d * 1000.0;
        if (ms > 4e15) return std::nullopt;
        return std::chrono::system_clock::time_point{
            std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::milliseconds{std::llround(ms)})};
    }
    return parse_iso8601(s);
}

sdk::verification verify_hmac(const sdk::webhook_request& r, std::string_view secret,
                              std::chrono::system_clock::time_point now) {
    const auto* s = r.settings;
    if (auto problem = hmac_settings_problem(s); !problem.empty()) return {false, problem};
    const std::string algorithm = setting(s, "hmac_algorithm", "sha256");
    const std::string format = setting(s, "payload_format", "{timestamp}.{body}");
    const std::string prefix = setting(s, "signature_prefix", "");
    const std::string encoding = setting(s, "signature_encoding", "hex");

    std::string presented(r.header(lower(setting(s, "signature_header", "x-signature"))));
    while (!presented.empty() && presented.back() == ' ') presented.pop_back();
    if (presented.empty()) return {false, "missing signature"};
    if (presented.compare(0, prefix.size(), prefix) != 0) return {false, "bad signature"};
    presented.erase(0, prefix.size());

    const std::string_view timestamp = r.header(lower(setting(s, "timestamp_header", "x-timestamp")));
    const bool signs_time = format.find("{timestamp}") != std::string::npos;
    if (timestamp.empty() && signs_time) return {false, "missing timestamp"};
    if (!timestamp.empty()) {
        const std::int64_t tolerance = int_setting(s, "signature_tolerance_seconds", 300);
        auto at = header_time(timestamp);
        if (!at) return {false, "bad timestamp"};
        if (tolerance > 0 && std::chrono::abs(now - *at) > std::chrono::seconds{tolerance})
            return {false, "timestamp outside tolerance"};
    }

    std::string key(secret);
    if (bool_setting(s, "secret_is_base64") && !sdk::base64_decode(secret, key))
        return {false, "hmac_secret is not valid base64"};

    // One pass per token; {body} last so a body containing "{url}" stays as sent.
    std::string payload = format;
    replace_all(payload, "{timestamp}", timestamp);
    replace_all(payload, "{method}", r.method);
    replace_all(payload, "{url}", r.target);
    if (auto pos = payload.find("{body}"); pos != std::string::npos) {
        std::string built;
        std::size_t from = 0;
        for (; pos != std::string::npos; pos = payload.find("{body}", from)) {
            built.append(payload, from, pos - from).append(r.body);
            from = pos + 6;
        }
        payload = built + payload.substr(from);
    }

    const std::string expected = sdk::hmac(algorithm, key, payload);
    std::string got;
    const bool decoded = encoding == "base64" ? sdk::base64_decode(presented, got) : sdk::hex_decode(presented, got);
    if (!decoded || expected.empty() || !sdk::constant_time_equal(got, expected)) return {false, "bad signature"};
    return {true, {}};
}

}  // namespace

std::string hmac_settings_problem(const boost::json::object* s) {
    const std::string algorithm = setting(s, "hmac_algorithm", "sha256");
    if (algorithm != "sha256" && algorithm != "sha512" && algorithm != "sha1")
        return "hmac_algorithm must be sha256, sha512 or sha1 (got '" + algorithm + "')";
    const std::string encoding = setting(s, "signature_encoding", "hex");
    if (encoding != "hex" && encoding != "base64")
        return "signature_encoding must be hex or base64 (got '" + encoding + "')";
    return {};
}




sdk::verification verify_webhook(const sdk::webhook_request& r, std::chrono::system_clock::time_point now) {
    if (auto hmac = sdk::string_setting(r.settings, "hmac_secret"); !hmac.empty()) return verify_hmac(r, hmac, now);

    const std::string_view secret = sdk::string_setting(r.settings, "webhook_secret");
    if (secret.empty()) return {true, "no webhook auth configured"};

    // X-Vapi-Secret (legacy secret, or a Bearer credential set up as legacy), a Bearer
    // token, or a bare Authorization value (bearerPrefixEnabled: false).
    const std::string_view candidates[] = {r.header("x-vapi-secret"), sdk::bearer_token(r), r.header("authorization")};
    bool any = false, match = false;
    for (auto c : candidates) {
        if (c.empty()) continue;
        any = true;
        match = sdk::constant_time_equal(c, secret) || match;  // no early exit
    }
    if (!any) return {false, "missing secret"};
    if (!match) return {false, "secret does not match"};
    return {true, {}};
}

}  // namespace switchboard::plugins::vapi
