// Keeps phone numbers and secrets out of info-level logs.
#pragma once
#include <string>
#include <string_view>

namespace switchboard::core {
// "+15551234567" -> "+1******4567": enough to correlate, not enough to dial.
std::string mask_phone(std::string_view number);
// Any secret -> "***" plus its length class; never the content.
std::string mask_secret(std::string_view secret);
}  // namespace switchboard::core
