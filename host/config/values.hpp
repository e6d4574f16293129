// Small text parsers shared by the schema and the environment overrides.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::config::detail {

struct host_port {
    std::string host;
    std::uint16_t port = 0;
};

// "127.0.0.1:8080", "localhost:80", "[::1]:8080", "0.0.0.0:0".
std::optional<host_port> parse_host_port(std::string_view text);

// "1048576", "512KiB", "1 MiB", "2MB" (KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024).
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

// Decimal integer with an optional sign; nullopt on anything else or overflow.
std::optional<std::int64_t> parse_integer(std::string_view text);

// YAML 1.2 core-schema typing of a plain (unquoted) scalar: null, bool, int, float, else string.
boost::json::value type_plain_scalar(const std::string& text);

// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace switchboard::config::detail
