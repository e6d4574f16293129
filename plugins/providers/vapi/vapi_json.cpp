#include "vapi_json.hpp"

#include <charconv>
#include <chrono>
#include <cmath>

namespace switchboard::plugins::vapi {

namespace {

std::optional<double> to_double(std::string_view s) noexcept {
    double d = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec != std::errc{} || p != s.data() + s.size() || !std::isfinite(d)) return std::nullopt;
    return d;
}

std::optional<double> number_of(const boost::json::value& v) noexcept {
    if (v.is_double()) return std::isfinite(v.get_double()) ? std::optional(v.get_double()) : std::nullopt;
    if (v.is_int64()) return static_cast<double>(v.get_int64());
    if (v.is_uint64()) return static_cast<double>(v.get_uint64());
    if (v.is_string()) return to_double(v.get_string());
    return std::nullopt;
}

// Reads exactly `n` digits at s[pos].
bool digits(std::string_view s, std::size_t pos, std::size_t n, int& out) noexcept {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}

}  // namespace

std::optional<double> number_at(const boost::json::object* o, std::string_view key) noexcept {
    if (!o) return std::nullopt;
    auto const* v = o->if_contains(key);
    return v ? number_of(*v) : std::nullopt;
}

std::string text_at(const boost::json::object* o, std::string_view key) {
    if (!o) return {};
    auto const* v = o->if_contains(key);
    if (!v) return {};
    if (v->is_string()) return std::string(v->get_string());
    if (v->is_int64()) return std::to_string(v->get_int64());
    if (v->is_uint64()) return std::to_string(v->get_uint64());
    return {};
}

std::string_view path_string(const boost::json::object* o, std::initializer_list<std::string_view> path) noexcept {
    if (path.size() == 0) return {};
    auto last = path.end() - 1;
    for (auto it = path.begin(); it != last && o; ++it) o = object_at(o, *it);
    return string_at(o, *last);
}

std::optional<sdk::time_point> parse_iso8601(std::string_view s) noexcept {
    using namespace std::chrono;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!digits(s, 0, 4, y) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d))
        return std::nullopt;
    year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    std::size_t pos = 10;
    std::int64_t micros = 0;
    minutes offset{0};
    if (pos < s.size() && (s[pos] == 'T' || s[pos] == 't' || s[pos] == ' ')) {
        if (!digits(s, pos + 1, 2, h) || s.size() < pos + 6 || s[pos + 3] != ':' || !digits(s, pos + 4, 2, mi))
            return std::nullopt;
        pos += 6;
        if (pos < s.size() && s[pos] == ':') {
            if (!digits(s, pos + 1, 2, sec)) return std::nullopt;
            pos += 3;
        }
        if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
        if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
            ++pos;
            int scale = 100000, n = 0;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                if (scale > 0) micros += (s[pos] - '0') * scale;
                scale /= 10;
                ++pos;
                ++n;
            }
            if (n == 0) return std::nullopt;
        }
        if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
            ++pos;
        } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
            int oh = 0, om = 0;
            const int sign = s[pos] == '-' ? -1 : 1;
            if (!digits(s, pos + 1, 2, oh)) return std::nullopt;
            pos += 3;
            if (pos < s.size() && s[pos] == ':') ++pos;
            if (pos < s.size()) {
                if (!digits(s, pos, 2, om)) return std::nullopt;
                pos += 2;
            }
            offset = minutes{sign * (oh * 60 + om)};
        }
    }
    if (pos != s.size()) return std::nullopt;
    auto tp = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + microseconds{micros} - offset;
    return time_point_cast<sdk::time_point::duration>(tp);
}

std::optional<sdk::time_point> time_from(const boost::json::value& v) noexcept {
    using namespace std::chrono;
    if (v.is_string()) {
        if (auto t = parse_iso8601(v.get_string())) return t;
    }
    auto n = number_of(v);
    if (!n || *n <= 0) return std::nullopt;
    // Milliseconds in 2025+ payloads (floats such as 1.722115418016999E12 too);
    // below 1e11 (1973 in ms) it can only be seconds, and below 1e9 (2001) garbage.
    if (*n < 1e9) return std::nullopt;
    const double ms = *n >= 1e11 ? *n : *n * 1000.0;
    if (ms > 4e15) return std::nullopt;  // beyond year 9999: garbage
    return sdk::time_point{duration_cast<sdk::time_point::duration>(milliseconds{std::llround(ms)})};
}

std::optional<sdk::time_point> time_at(const boost::json::object* o, std::string_view key) noexcept {
    if (!o) return std::nullopt;
    auto const* v = o->if_contains(key);
    return v ? time_from(*v) : std::nullopt;
}

}  // namespace switchboard::plugins::vapi
