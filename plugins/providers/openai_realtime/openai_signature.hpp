// Standard Webhooks signatures (symmetric "v1"), as OpenAI signs its webhooks
// (protocol page, section 5): HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<raw body>",
// standard base64, several space-separated "<version>,<signature>" entries, a
// timestamp tolerance of 300 s either way.
#pragma once

#include <switchboard/provider.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::openai_realtime {

// The HMAC key of a secret: base64 after "whsec_"; a secret without the prefix is used
// as its UTF-8 bytes (what openai-node and openai-python do). nullopt: bad base64.
std::optional<std::string> webhook_key(std::string_view secret);

// "v1,<base64>" of `body` as OpenAI would sign it (tests and tools use it too).
std::string sign_webhook(std::string_view key, std::string_view id, std::string_view timestamp,
                         std::string_view body);

struct signed_headers {
    std::string_view id;         // webhook-id
    std::string_view timestamp;  // webhook-timestamp (integer Unix seconds, as sent)
    std::string_view signature;  // webhook-signature
};

// Verifies `body` against any of `secrets` (space/comma separated, for rotation). The
// reason never contains a secret or a signature. `tolerance_seconds` 0 turns the
// timestamp check off.
sdk::verification verify_signature(const signed_headers& headers, std::string_view body, std::string_view secrets,
                                   std::chrono::system_clock::time_point now, std::int64_t tolerance_seconds = 300);

}  // namespace switchboard::plugins::openai_realtime
