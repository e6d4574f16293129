// Small cryptographic helpers over OpenSSL: hashing keys kept in memory and
// comparing secrets without leaking their length-prefix through timing.
#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::core {
std::string sha256_hex(std::string_view data);
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
// Constant-time for equal lengths; unequal lengths return false without an early exit
// on content.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

// Standard base64 with padding; decode returns nullopt for anything else.
std::string base64_encode(std::string_view data);
std::optional<std::string> base64_decode(std::string_view text);
}  // namespace switchboard::core
