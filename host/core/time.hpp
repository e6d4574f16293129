// UTC ISO-8601 timestamps: how times are stored in SQL and returned by the API.
#pragma once
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::core {
using time_point = std::chrono::system_clock::time_point;

// "2025-01-15T10:30:00.123Z" (milliseconds, always UTC, always the same width, so
// the strings sort as the times do).
std::string to_iso8601(time_point t);

// Accepts "2025-01-15", "2025-01-15T10:30:00", fractional seconds, "Z" or a
// "+hh:mm"/"-hh:mm" offset, and a space instead of "T". nullopt when unreadable.
std::optional<time_point> parse_iso8601(std::string_view text);
}  // namespace switchboard::core
