#include "host/core/time_zone.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <unordered_map>

namespace switchboard::core {
namespace {
using i64 = std::int64_t;
constexpr i64 day_seconds = 86400;
constexpr std::size_t max_file_size = 1 << 20;  // real zone files are a few KiB

i64 floor_div(i64 a, i64 b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

i64 days_from_civil(int y, unsigned m, unsigned d) {
    using namespace std::chrono;
    return sys_days{year{y} / month{m} / day{d}}.time_since_epoch().count();
}

bool is_leap(int y) { return std::chrono::year{y}.is_leap(); }

unsigned days_in_month(int y, unsigned m) {
    using namespace std::chrono;
    return static_cast<unsigned>(year_month_day_last{year{y}, month_day_last{month{m}}}.day());
}

int weekday_of(i64 days) { return static_cast<int>(((days % 7) + 7 + 4) % 7); }  // 1970-01-01 was a Thursday

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string zone_prefix(std::string_view name) { return "time zone " + quoted(name) + ": "; }

// "[+-]hh[:mm[:ss]]", the POSIX TZ grammar; errors say where they are.
struct posix_parser {
    std::string_view s;
    std::size_t p = 0;

    [[noreturn]] void fail(const std::string& what) const {
        throw std::invalid_argument(what + " at character " + std::to_string(p + 1));
    }
    bool done() const { return p >= s.size(); }
    char peek() const { return done() ? '\0' : s[p]; }
    void expect(char c) {
        if (peek() != c) fail(std::string("expected '") + c + "'");
        ++p;
    }

    std::string abbreviation() {
        std::size_t begin = p;
        if (peek() == '<') {  // quoted form: <+0530>, <-03>
            ++p;
            begin = p;
            while (!done() && s[p] != '>') {
                char c = s[p];
                if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-')
                    fail("bad character in a <...> abbreviation");
                ++p;
            }
            if (done()) fail("unterminated <...> abbreviation");
            auto text = s.substr(begin, p - begin);
            ++p;
            if (text.size() < 3) fail("abbreviation shorter than 3 characters");
            return std::string(text);
        }
        while (!done() && std::isalpha(static_cast<unsigned char>(s[p]))) ++p;
        if (p - begin < 3) fail("expected an abbreviation of 3 or more letters");
        return std::string(s.substr(begin, p - begin));
    }

    int number(int max) {
        std::size_t begin = p;
        long value = 0;
        while (!done() && std::isdigit(static_cast<unsigned char>(s[p]))) {
            value = value * 10 + (s[p] - '0');
            if (value > max) fail("number out of range (at most " + std::to_string(max) + ")");
            ++p;
        }
        if (p == begin) fail("expected a number");
        return static_cast<int>(value);
    }

    int clock(int max_hours) {
        int sign = 1;
        if (peek() == '+') {
            ++p;
        } else if (peek() == '-') {
            sign = -1;
            ++p;
        }
        int h = number(max_hours), m = 0, sec = 0;
        if (peek() == ':') {
            ++p;
            m = number(59);
            if (peek() == ':') {
                ++p;
                sec = number(59);
            }
        }
        return sign * (h * 3600 + m * 60 + sec);
    }
};

}  // namespace

// ---- POSIX TZ strings --------------------------------------------------------

time_zone::posix_rule time_zone::parse_posix(std::string_view tz) {
    posix_parser in{tz};
    posix_rule r;
    r.standard.abbreviation = in.abbreviation();
    r.standard.utc_offset_seconds = -in.clock(24);  // POSIX counts west as positive
    if (in.done()) return r;

    r.has_dst = true;
    r.daylight.is_dst = true;
    r.daylight.abbreviation = in.abbreviation();
    r.daylight.utc_offset_seconds = r.standard.utc_offset_seconds + 3600;
    if (!in.done() && in.peek() != ',') r.daylight.utc_offset_seconds = -in.clock(24);

    auto date = [&in] {
        rule_date d;
        if (in.peek() == 'J') {
            ++in.p;
            d.kind = rule_date::form::julian;
            d.day = in.number(365);
            if (d.day < 1) in.fail("Jn day must be 1..365");
        } else if (in.peek() == 'M') {
            ++in.p;
            d.kind = rule_date::form::month_week_day;
            d.month = in.number(12);
            in.expect('.');
            d.week = in.number(5);
            in.expect('.');
            d.weekday = in.number(6);
            if (d.month < 1 || d.week < 1) in.fail("Mm.w.d needs month 1..12 and week 1..5");
        } else if (std::isdigit(static_cast<unsigned char>(in.peek()))) {
            d.kind = rule_date::form::zero_based;
            d.day = in.number(365);
        } else {
            in.fail("expected a rule date (Jn, n or Mm.w.d)");
        }
        if (in.peek() == '/') {
            ++in.p;
            d.time_seconds = in.clock(167);  // TZif v3 extension: -167..167 hours
        }
        return d;
    };

    if (in.done()) {
        // No rule: POSIX leaves it to the implementation; tzcode uses the US rules.
        r.start = {rule_date::form::month_week_day, 0, 3, 2, 0, 7200};
        r.end = {rule_date::form::month_week_day, 0, 11, 1, 0, 7200};
        return r;
    }
    in.expect(',');
    r.start = date();
    in.expect(',');
    r.end = date();
    if (!in.done()) in.fail("unexpected text after the rule");
    return r;
}

namespace {
// The local wall-clock second (counted like UTC seconds) at which a rule fires in `year`.
template <class RuleDate>
i64 rule_local_seconds(int year, const RuleDate& d) {
    i64 day = 0;
    switch (d.kind) {
    case RuleDate::form::julian:  // Feb 29 is never counted
        day = days_from_civil(year, 1, 1) + d.day - 1 + ((is_leap(year) && d.day >= 60) ? 1 : 0);
        break;
    case RuleDate::form::zero_based:
        day = days_from_civil(year, 1, 1) + d.day;
        break;
    case RuleDate::form::month_week_day: {
        i64 first = days_from_civil(year, static_cast<unsigned>(d.month), 1);
        day = first + (d.weekday - weekday_of(first) + 7) % 7 + (d.week - 1) * 7;
        i64 last = first + days_in_month(year, static_cast<unsigned>(d.month)) - 1;
        while (day > last) day -= 7;  // week 5 means "the last one"
        break;
    }
    }
    return day * day_seconds + d.time_seconds;
}

int year_of(i64 seconds) {
    using namespace std::chrono;
    return static_cast<int>(year_month_day{sys_days{days{floor_div(seconds, day_seconds)}}}.year());
}
}  // namespace

const time_zone::offset_info& time_zone::from_rule(i64 s) const {
    const posix_rule& r = *footer_;
    if (!r.has_dst) return r.standard;
    // Check the DST periods that start in the neighbouring years too: a southern
    // period runs over New Year, and v3 times may push a change across a year.
    int y0 = year_of(s);
    for (int y = y0 - 1; y <= y0 + 1; ++y) {
        i64 start = rule_local_seconds(y, r.start) - r.standard.utc_offset_seconds;
        i64 end = rule_local_seconds(y, r.end) - r.daylight.utc_offset_seconds;
        if (end <= start) end = rule_local_seconds(y + 1, r.end) - r.daylight.utc_offset_seconds;
        if (s >= start && s < end) return r.daylight;
    }
    return r.standard;
}

const time_zone::offset_info& time_zone::info_at(i64 s) const {
    if (transitions_.empty()) return footer_ ? from_rule(s) : types_.front();
    if (s < transitions_.front()) return types_.front();  // RFC 8536: time type 0
    if (s >= transitions_.back() && footer_) return from_rule(s);
    auto it = std::upper_bound(transitions_.begin(), transitions_.end(), s);
    return types_[transition_types_[static_cast<std::size_t>(it - transitions_.begin()) - 1]];
}

time_zone::offset_info time_zone::at(time_point t) const {
    return info_at(std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count());
}

time_zone::local_time time_zone::to_local(time_point t) const {
    using namespace std::chrono;
    i64 s = floor<seconds>(t).time_since_epoch().count();
    int offset = info_at(s).utc_offset_seconds;
    i64 local = s + offset;
    i64 day = floor_div(local, day_seconds);
    i64 sec = local - day * day_seconds;
    year_month_day ymd{sys_days{days{day}}};
    local_time lt;
    lt.year = static_cast<int>(ymd.year());
    lt.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    lt.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    lt.weekday = weekday_of(day);
    lt.hour = static_cast<int>(sec / 3600);
    lt.minute = static_cast<int>(sec / 60 % 60);
    lt.second = static_cast<int>(sec % 60);
    lt.utc_offset_seconds = offset;
    return lt;
}

time_point time_zone::to_utc(int year, int month, int day, int hour, int minute, int second, choose which) const {
    i64 months = static_cast<i64>(year) * 12 + (month - 1);
    int y = static_cast<int>(floor_div(months, 12));
    auto m = static_cast<unsigned>(months - static_cast<i64>(y) * 12 + 1);
    // time_point counts nanoseconds in 64 bits: about 1678..2262.
    if (y < 1700 || y > 2200 || std::abs(day) > 100000 || std::abs(hour) > 100000 || std::abs(minute) > 10000000 ||
        std::abs(second) > 1000000000)
        throw time_zone_error(zone_prefix(name_) + "local time out of range (year " + std::to_string(y) + ")");
    i64 local = (days_from_civil(y, m, 1) + (day - 1)) * day_seconds + static_cast<i64>(hour) * 3600 +
                static_cast<i64>(minute) * 60 + second;

    // The offsets in force a little before and after; zones change at most once in
    // a few days, so the answer uses one of these two.
    int before = info_at(local - 2 * day_seconds).utc_offset_seconds;
    int after = info_at(local + 2 * day_seconds).utc_offset_seconds;
    i64 candidates[2] = {local - before, local - after};
    std::vector<i64> valid;
    for (int i = 0; i < 2; ++i) {
        int o = i == 0 ? before : after;
        if (info_at(candidates[i]).utc_offset_seconds == o) valid.push_back(candidates[i]);
    }
    i64 result = 0;
    if (!valid.empty()) {
        auto [lo, hi] = std::minmax_element(valid.begin(), valid.end());
        result = which == choose::earliest ? *lo : *hi;
    } else if (before != after) {
        // Skipped by a jump forward: the answer is the instant of the jump, the first
        // second whose offset is the later one.
        i64 lo = std::min(candidates[0], candidates[1]), hi = std::max(candidates[0], candidates[1]);
        int target = info_at(hi).utc_offset_seconds;
        while (lo + 1 < hi) {
            i64 mid = lo + (hi - lo) / 2;
            (info_at(mid).utc_offset_seconds == target ? hi : lo) = mid;
        }
        result = hi;
    } else {
        result = candidates[0];
    }
    return time_point(std::chrono::duration_cast<time_point::duration>(std::chrono::seconds(result)));
}

// ---- TZif files (RFC 8536) ---------------------------------------------------

namespace {
struct tzif_reader {
    std::string_view data;
    const std::string& zone;
    const std::string& path;
    std::size_t p = 0;

    [[noreturn]] void fail(const std::string& what) const {
        throw time_zone_error(zone_prefix(zone) + path + ": " + what);
    }
    void need(std::uint64_t n, const char* where) const {
        if (n > data.size() - p) fail(std::string("truncated (the file ends inside ") + where + ")");
    }
    std::uint8_t u8() { return static_cast<std::uint8_t>(data[p++]); }
    std::uint32_t u32() {
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i) v = (v << 8) | u8();
        return v;
    }
    std::uint64_t u64() {
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i) v = (v << 8) | u8();
        return v;
    }
    void skip(std::uint64_t n, const char* where) {
        need(n, where);
        p += static_cast<std::size_t>(n);
    }
};

struct tzif_header {
    char version;
    std::uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

tzif_header read_header(tzif_reader& r, bool first) {
    if (first) {
        if (r.data.size() < 4 || r.data.substr(0, 4) != "TZif") r.fail("not a TZif file (it does not start with \"TZif\")");
        r.need(44, "the header");
    } else {
        r.need(44, "the header of the 64-bit data");
        if (r.data.substr(r.p, 4) != "TZif")
            r.fail("corrupt (no \"TZif\" header for the 64-bit data at byte " + std::to_string(r.p) + ")");
    }
    r.p += 4;
    tzif_header h{};
    h.version = static_cast<char>(r.u8());
    if (h.version != 0 && h.version != '2' && h.version != '3' && h.version != '4') {
        auto v = static_cast<unsigned char>(h.version);
        r.fail("unsupported TZif version " +
               (std::isprint(v) ? "'" + std::string(1, h.version) + "'" : "byte " + std::to_string(v)));
    }
    r.p += 15;
    h.isutcnt = r.u32();
    h.isstdcnt = r.u32();
    h.leapcnt = r.u32();
    h.timecnt = r.u32();
    h.typecnt = r.u32();
    h.charcnt = r.u32();
    return h;
}
}  // namespace

std::shared_ptr<const time_zone> time_zone::parse_tzif(std::string name, const std::string& path,
                                                       std::string_view data) {
    tzif_reader r{data, name, path};
    tzif_header h = read_header(r, true);
    int time_size = 4;
    if (h.version != 0) {
        // v2+: skip the 32-bit block; the 64-bit one after it has the same data in full.
        std::uint64_t v1 = std::uint64_t{h.timecnt} * 5 + std::uint64_t{h.typecnt} * 6 + h.charcnt +
                           std::uint64_t{h.leapcnt} * 8 + h.isstdcnt + h.isutcnt;
        r.skip(v1, "the 32-bit data block");
        char first_version = h.version;
        h = read_header(r, false);
        if (h.version != first_version) r.fail("corrupt (the two headers give different versions)");
        time_size = 8;
    }
    if (h.typecnt == 0) r.fail("corrupt (no local time types)");
    if (h.isstdcnt != 0 && h.isstdcnt != h.typecnt) r.fail("corrupt (isstdcnt is neither 0 nor typecnt)");
    if (h.isutcnt != 0 && h.isutcnt != h.typecnt) r.fail("corrupt (isutcnt is neither 0 nor typecnt)");
    if (h.typecnt > 256) r.fail("corrupt (more than 256 local time types)");

    std::shared_ptr<time_zone> tz(new time_zone());  // named at the end: `r` refers to `name`

    r.need(std::uint64_t{h.timecnt} * static_cast<std::uint64_t>(time_size), "the transition times");
    tz->transitions_.reserve(h.timecnt);
    for (std::uint32_t i = 0; i < h.timecnt; ++i) {
        i64 t = time_size == 4 ? static_cast<i64>(static_cast<std::int32_t>(r.u32())) : static_cast<i64>(r.u64());
        if (i > 0 && t <= tz->transitions_.back()) r.fail("corrupt (transition times are not ascending)");
        tz->transitions_.push_back(t);
    }
    r.need(h.timecnt, "the transition types");
    tz->transition_types_.reserve(h.timecnt);
    for (std::uint32_t i = 0; i < h.timecnt; ++i) {
        std::uint8_t type = r.u8();
        if (type >= h.typecnt)
            r.fail("corrupt (transition " + std::to_string(i) + " uses time type " + std::to_string(type) +
                   " of " + std::to_string(h.typecnt) + ")");
        tz->transition_types_.push_back(type);
    }
    r.need(std::uint64_t{h.typecnt} * 6, "the local time types");
    struct raw_type {
        std::int32_t offset;
        bool dst;
        std::uint8_t abbreviation;
    };
    std::vector<raw_type> raw;
    for (std::uint32_t i = 0; i < h.typecnt; ++i) {
        auto offset = static_cast<std::int32_t>(r.u32());
        bool dst = r.u8() != 0;
        std::uint8_t index = r.u8();
        // RFC 8536 forbids -2^31; anything beyond a day either way is nonsense.
        if (offset <= -day_seconds || offset >= day_seconds)
            r.fail("corrupt (time type " + std::to_string(i) + " has UTC offset " + std::to_string(offset) + ")");
        raw.push_back({offset, dst, index});
    }
    r.need(h.charcnt, "the abbreviations");
    std::string_view chars = data.substr(r.p, h.charcnt);
    r.p += h.charcnt;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        auto end = raw[i].abbreviation < chars.size() ? chars.find('\0', raw[i].abbreviation) : std::string_view::npos;
        if (end == std::string_view::npos)
            r.fail("corrupt (the abbreviation of time type " + std::to_string(i) + " is out of range)");
        tz->types_.push_back({raw[i].offset, raw[i].dst,
                              std::string(chars.substr(raw[i].abbreviation, end - raw[i].abbreviation))});
    }
    // Leap-second records and the std/wall and UT/local indicators do not affect
    // the offsets of POSIX time, which is what system_clock counts.
    r.skip(std::uint64_t{h.leapcnt} * static_cast<std::uint64_t>(time_size + 4), "the leap-second records");
    r.skip(h.isstdcnt, "the standard/wall indicators");
    r.skip(h.isutcnt, "the UT/local indicators");

    if (time_size == 8) {
        r.need(1, "the TZ footer");
        if (r.u8() != '\n') r.fail("corrupt (the TZ footer does not start with a newline)");
        auto end = data.find('\n', r.p);
        if (end == std::string_view::npos) r.fail("truncated (the TZ footer has no closing newline)");
        std::string_view footer = data.substr(r.p, end - r.p);
        if (!footer.empty()) {
            try {
                tz->footer_ = parse_posix(footer);
            } catch (const std::invalid_argument& e) {
                r.fail("bad TZ footer " + quoted(footer) + ": " + e.what());
            }
        }
    }
    tz->name_ = std::move(name);
    return tz;
}

std::shared_ptr<const time_zone> time_zone::from_posix_tz(std::string name, std::string_view tz) {
    std::shared_ptr<time_zone> zone(new time_zone());
    try {
        zone->footer_ = parse_posix(tz);
    } catch (const std::invalid_argument& e) {
        throw time_zone_error(zone_prefix(name) + "bad POSIX TZ string " + quoted(tz) + ": " + e.what());
    }
    zone->name_ = std::move(name);
    zone->types_.push_back(zone->footer_->standard);
    return zone;
}

std::shared_ptr<const time_zone> time_zone::load_file(std::string name, const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (!fs::exists(status)) throw time_zone_error(zone_prefix(name) + "unknown zone (no file " + path + ")");
    if (fs::is_directory(status))
        throw time_zone_error(zone_prefix(name) + path + " is a directory, not a zone file");
    if (!fs::is_regular_file(status)) throw time_zone_error(zone_prefix(name) + path + " is not a regular file");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw time_zone_error(zone_prefix(name) + path + ": cannot open (" + std::strerror(errno) + ")");
    std::string data;
    data.resize(max_file_size + 1);
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    if (in.bad()) throw time_zone_error(zone_prefix(name) + path + ": cannot read");
    data.resize(static_cast<std::size_t>(in.gcount()));
    if (data.size() > max_file_size)
        throw time_zone_error(zone_prefix(name) + path + ": too large for a zone file (over 1 MiB)");
    return parse_tzif(std::move(name), path, data);
}

namespace {
// Checked before any file is touched: the name becomes part of a path.
void check_name(std::string_view name) {
    auto fail = [&](const std::string& why) {
        throw time_zone_error("invalid time zone name " + quoted(name.substr(0, 80)) + ": " + why);
    };
    if (name.empty()) fail("it is empty");
    if (name.size() > 64) fail("longer than 64 characters");
    if (name.front() == '/') fail("it must not start with '/'");
    std::size_t begin = 0;
    while (begin <= name.size()) {
        auto end = std::min(name.find('/', begin), name.size());
        auto part = name.substr(begin, end - begin);
        if (part.empty()) fail("it has an empty path component");
        if (part == "." || part == "..") fail("\".\" and \"..\" path components are not allowed");
        begin = end + 1;
    }
    for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '+' && c != '-' && c != '/')
            fail(std::string("character '") + c + "' is not allowed (only letters, digits, _ + - /)");
}

std::shared_ptr<const time_zone> make_utc(std::string name) { return time_zone::from_posix_tz(std::move(name), "UTC0"); }
}  // namespace

std::shared_ptr<const time_zone> time_zone::find(std::string_view name) {
    check_name(name);
    if (name == "UTC") {
        static const auto utc = make_utc("UTC");
        return utc;
    }
    if (name == "Etc/UTC") {
        static const auto etc_utc = make_utc("Etc/UTC");
        return etc_utc;
    }
    const char* dir = std::getenv("TZDIR");
    std::string path = (dir && *dir ? std::string(dir) : std::string("/usr/share/zoneinfo")) + "/" + std::string(name);

    // Keyed by path, not name, so a changed TZDIR (tests) never returns another folder's zone.
    static std::mutex mutex;
    static std::unordered_map<std::string, std::shared_ptr<const time_zone>> cache;
    std::lock_guard lock(mutex);
    if (auto it = cache.find(path); it != cache.end()) return it->second;
    auto zone = load_file(std::string(name), path);
    cache.emplace(path, zone);
    return zone;
}

}  // namespace switchboard::core
