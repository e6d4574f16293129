// Standard Webhooks signatures (symmetric "v1"), as OpenAI signs its webhooks
// (protocol page, section 5): HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<raw body>",
// standard base64, several space-separated "<version>,<signature>" entries, a
// timestamp tolerance of 300 s either way. Header-only so the unit tests check it
// without loading the plugin.
#pragma once

#include <switchboard/plugin_helpers.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <chrono>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::openai_realtime {

// Standard base64 (with or without padding); nullopt for anything else.
inline std::optional<std::string> base64_decode(std::string_view in) {
    std::string s;
    for (char c : in) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
                        c == '/' || c == '=';
        if (!ok) return std::nullopt;
        s.push_back(c);
    }
    while (s.size() % 4) s.push_back('=');
    if (s.empty()) return std::nullopt;
    std::string buf(s.size() / 4 * 3, '\0');
    const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(buf.data()),
                                  reinterpret_cast<const unsigned char*>(s.data()), static_cast<int>(s.size()));
    if (n < 0) return std::nullopt;
    std::size_t len = static_cast<std::size_t>(n);
    // EVP_DecodeBlock counts padding as zero bytes: drop them.
    for (std::size_t i = s.size(); i > 0 && s[i - 1] == '=' && len > 0; --i) --len;
    buf.resize(len);
    return buf;
}

inline std::string base64_encode(std::string_view in) {
    std::string out(4 * ((in.size() + 2) / 3), '\0');
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                  reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

inline std::string hmac_sha256(std::string_view key, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    static const unsigned char empty_key = 0;  // HMAC() refuses a null key pointer
    if (!HMAC(EVP_sha256(), key.empty() ? static_cast<const void*>(&empty_key) : key.data(),
              static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()), data.size(), out,
              &len))
        return {};
    return std::string(reinterpret_cast<const char*>(out), len);
}

// The HMAC key of a secret: base64 after "whsec_"; a secret without the prefix is used
// as its UTF-8 bytes (what openai-node and openai-python do). nullopt: bad base64.
inline std::optional<std::string> webhook_key(std::string_view secret) {
    constexpr std::string_view prefix = "whsec_";
    if (secret.substr(0, prefix.size()) != prefix) return std::string(secret);
    return base64_decode(secret.substr(prefix.size()));
}

// "v1,<base64>" of `body` as OpenAI would sign it (tests and tools use it too).
inline std::string sign_webhook(std::string_view key, std::string_view id, std::string_view timestamp,
                                std::string_view body) {
    std::string content;
    content.reserve(id.size() + timestamp.size() + body.size() + 2);
    content.append(id).append(".").append(timestamp).append(".").append(body);
    return "v1," + base64_encode(hmac_sha256(key, content));
}

// The non-empty pieces of `text` between any of `separators`.
inline std::vector<std::string_view> split_any(std::string_view text, std::string_view separators) {
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

struct signed_headers {
    std::string_view id;         // webhook-id
    std::string_view timestamp;  // webhook-timestamp (integer Unix seconds, as sent)
    std::string_view signature;  // webhook-signature
};

// Verifies `body` against any of `secrets` (space/comma separated). The reason never
// contains a secret or a signature.
inline sdk::verification verify_signature(const signed_headers& h, std::string_view body, std::string_view secrets,
                                          std::chrono::system_clock::time_point now,
                                          std::int64_t tolerance_seconds = 300) {
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
    for (auto secret : split_any(secrets, " ,")) {  // one or more (rotation)
        auto key = webhook_key(secret);
        if (!key) return {false, "webhook_secret is not a valid whsec_ secret (bad base64)"};
        auto sig = sign_webhook(*key, h.id, h.timestamp, body);
        expected.push_back(sig.substr(3));  // without "v1,"
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
