#include "openai_signature.hpp"

#include <switchboard/plugin_helpers.hpp>
#include <switchboard/signing.hpp>

#include <charconv>
#include <vector>

namespace switchboard::plugins::openai_realtime {

namespace {

// The non-empty pieces of `text` between any of `separators`.
std::vector<std::string_view> split_any(std::string_view text, std::string_view separators) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && separators.find(text[i]) != std::string_view::npos) ++i;
        std::size_t j = i;
        while (j < text.size() && separators.find(text[j]) == std::string_view::npos) ++j;
        if (j > i) out.push_back(text.substr(i, j - i));
        i = j;
    }
    return out;
}

}  // namespace

std::optional<std::string> webhook_key(std::string_view secret) {
    constexpr std::string_view prefix = "whsec_";
    if (secret.substr(0, prefix.size()) != prefix) return std::string(secret);
    std::string key;
    if (!sdk::base64_decode(secret.substr(prefix.size()), key)) return std::nullopt;
    return key;
}

std::string sign_webhook(std::string_view key, std::string_view id, std::string_view timestamp,
                         std::string_view body) {
    std::string content;
    content.reserve(id.size() + timestamp.size() + body.size() + 2);
    content.append(id).append(".").append(timestamp).append(".").append(body);
    return "v1," + sdk::base64_encode(sdk::hmac("sha256", key, content));
}

sdk::verification verify_signature(const signed_headers& h, std::string_view body, std::string_view secrets,
                                   std::chrono::system_clock::time_point now, std::int64_t tolerance_seconds) {
    if (h.id.empty() || h.timestamp.empty() || h.signature.empty())
        return {false, "missing webhook-id, webhook-timestamp or webhook-signature header"};
    std::int64_t ts = 0;
    auto [end, ec] = std::from_chars(h.timestamp.data(), h.timestamp.data() + h.timestamp.size(), ts);
    if (ec != std::errc{} || end != h.timestamp.data() + h.timestamp.size())
        return {false, "webhook-timestamp is not an integer"};
    const std::int64_t at = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
    if (tolerance_seconds > 0) {
        if (at - ts > tolerance_seconds) return {false, "webhook timestamp too old"};
        if (ts - at > tolerance_seconds) return {false, "webhook timestamp too new"};
    }

    std::vector<std::string> expected;
    for (auto secret : split_any(secrets, " ,")) {
        auto key = webhook_key(secret);
        if (!key) return {false, "webhook_secret is not a valid whsec_ secret (bad base64)"};
        expected.push_back(sign_webhook(*key, h.id, h.timestamp, body).substr(3));  // without "v1,"
    }
    if (expected.empty()) return {false, "no webhook_secret configured"};

    // Any v1 entry matching any secret passes; other versions (v1a: ed25519) and
    // malformed entries are skipped. Every comparison runs (no early exit).
    bool match = false;
    for (auto entry : split_any(h.signature, " ")) {
        auto comma = entry.find(',');
        if (comma == std::string_view::npos || entry.substr(0, comma) != "v1") continue;
        const std::string_view presented = entry.substr(comma + 1);
        for (auto const& e : expected) match = sdk::constant_time_equal(presented, e) || match;
    }
    if (!match) return {false, "no matching webhook signature"};
    return {true, {}};
}

}  // namespace switchboard::plugins::openai_realtime
