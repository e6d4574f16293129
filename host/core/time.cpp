#include "host/core/time.hpp"

#include <cctype>
#include <charconv>
#include <cstdio>

namespace switchboard::core {

std::string to_iso8601(time_point t) {
    using namespace std::chrono;
    auto ms = floor<milliseconds>(t);
    auto day = floor<days>(ms);
    year_month_day ymd{day};
    hh_mm_ss hms{ms - day};
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
    return buf;
}

namespace {
bool read_int(std::string_view s, std::size_t& pos, std::size_t width, int& out) {
    if (pos + width > s.size()) return false;
    for (std::size_t i = 0; i < width; ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[pos + i]))) return false;
    std::from_chars(s.data() + pos, s.data() + pos + width, out);
    pos += width;
    return true;
}
bool expect(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}
}  // namespace

std::optional<time_point> parse_iso8601(std::string_view s) {
    using namespace std::chrono;
    std::size_t pos = 0;
    int y, mo, d, h = 0, mi = 0, sec = 0;
    if (!read_int(s, pos, 4, y) || !expect(s, pos, '-') || !read_int(s, pos, 2, mo) || !expect(s, pos, '-') ||
        !read_int(s, pos, 2, d))
        return std::nullopt;
    year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    long long frac_ms = 0;
    int offset_min = 0;
    if (pos < s.size()) {
        if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
        ++pos;
        if (!read_int(s, pos, 2, h) || !expect(s, pos, ':') || !read_int(s, pos, 2, mi)) return std::nullopt;
        if (expect(s, pos, ':') && !read_int(s, pos, 2, sec)) return std::nullopt;
        if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
        if (expect(s, pos, '.') || expect(s, pos, ',')) {
            int digits = 0;
            while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
                if (digits < 3) frac_ms = frac_ms * 10 + (s[pos] - '0');
                ++digits;
                ++pos;
            }
            if (digits == 0) return std::nullopt;
            for (int i = digits; i < 3; ++i) frac_ms *= 10;
        }
        if (pos < s.size()) {
            if (s[pos] == 'Z' || s[pos] == 'z') {
                ++pos;
            } else if (s[pos] == '+' || s[pos] == '-') {
                int sign = s[pos] == '-' ? -1 : 1;
                ++pos;
                int oh, om = 0;
                if (!read_int(s, pos, 2, oh)) return std::nullopt;
                expect(s, pos, ':');
                if (pos < s.size() && !read_int(s, pos, 2, om)) return std::nullopt;
                offset_min = sign * (oh * 60 + om);
            }
        }
        if (pos != s.size()) return std::nullopt;
    }
    auto t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec} + milliseconds{frac_ms} - minutes{offset_min};
    return time_point{duration_cast<system_clock::duration>(t.time_since_epoch())};
}

}  // namespace switchboard::core
