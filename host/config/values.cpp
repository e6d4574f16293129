#include "host/config/values.hpp"

#include <boost/json/string.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <regex>
#include <vector>

namespace switchboard::config::detail {

namespace {

bool all_digits(std::string_view s) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace

std::optional<host_port> parse_host_port(std::string_view text) {
    std::string_view host;
    std::string_view port;
    if (!text.empty() && text.front() == '[') {  // IPv6 literal
        const auto close = text.find(']');
        if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') return std::nullopt;
        host = text.substr(1, close - 1);
        port = text.substr(close + 2);
    } else {
        const auto colon = text.rfind(':');
        if (colon == std::string_view::npos) return std::nullopt;
        host = text.substr(0, colon);
        port = text.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) return std::nullopt;  // bare IPv6 needs brackets
    }
    if (host.empty() || host.find_first_of(" \t/") != std::string_view::npos) return std::nullopt;
    if (!all_digits(port) || port.size() > 5) return std::nullopt;
    unsigned value = 0;
    std::from_chars(port.data(), port.data() + port.size(), value);
    if (value > 65535) return std::nullopt;
    return host_port{std::string(host), static_cast<std::uint16_t>(value)};
}

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
    static const std::regex pattern(R"(\s*([0-9]+)\s*([A-Za-z]*)\s*)");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(text.begin(), text.end(), m, pattern)) return std::nullopt;
    const std::string unit = lower(text.substr(m.position(2), m.length(2)));
    std::uint64_t factor = 0;
    if (unit.empty() || unit == "b") factor = 1;
    else if (unit == "kb") factor = 1000;
    else if (unit == "kib") factor = 1024;
    else if (unit == "mb") factor = 1000 * 1000;
    else if (unit == "mib") factor = 1024 * 1024;
    else if (unit == "gb") factor = 1000ull * 1000 * 1000;
    else if (unit == "gib") factor = 1024ull * 1024 * 1024;
    else return std::nullopt;
    std::uint64_t n = 0;
    const auto digits = text.substr(m.position(1), m.length(1));
    const auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (ec != std::errc{} || n > std::numeric_limits<std::uint64_t>::max() / factor) return std::nullopt;
    return n * factor;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    const bool negative = !text.empty() && text.front() == '-';
    if (!all_digits(negative ? text.substr(1) : text)) return std::nullopt;
    std::int64_t value = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
    return value;
}

boost::json::value type_plain_scalar(const std::string& text) {
    if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") return nullptr;
    if (text == "true" || text == "True" || text == "TRUE") return true;
    if (text == "false" || text == "False" || text == "FALSE") return false;
    if (auto i = parse_integer(text)) return *i;
    static const std::regex float_pattern(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
    if (std::regex_match(text, float_pattern)) {
        try {
            return std::stod(text);
        } catch (const std::out_of_range&) {
            return boost::json::string(text);  // too large for a double: keep the text rather than guess
        }
    }
    const std::string l = lower(text);
    if (l == ".inf" || l == "+.inf") return std::numeric_limits<double>::infinity();
    if (l == "-.inf") return -std::numeric_limits<double>::infinity();
    if (l == ".nan") return std::numeric_limits<double>::quiet_NaN();
    return boost::json::string(text);
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                              std::tolower(static_cast<unsigned char>(b[j - 1]));
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace switchboard::config::detail
