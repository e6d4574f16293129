// IANA time zones read from the system's TZif files (RFC 8536), because GCC 12's
// libstdc++ has no std::chrono tzdb and we add no dependencies. Covers what the
// scripting engine needs: the UTC offset at an instant, the local calendar fields,
// and the instant a local wall-clock time falls on.
#pragma once

#include "host/core/time.hpp"  // time_point: the same type as sdk::time_point

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::core {

// A bad zone name, a missing or malformed zone file. The message names the zone and,
// when a file is involved, its path and what is wrong with it.
class time_zone_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One zone's rules, immutable once loaded, shared between threads.
class time_zone {
public:
    struct offset_info {
        int utc_offset_seconds = 0;  // east of Greenwich is positive
        bool is_dst = false;
        std::string abbreviation;  // "EDT", "+0530"
    };

    struct local_time {
        int year = 1970, month = 1 /*1-12*/, day = 1, weekday = 4 /*0=Sunday*/;
        int hour = 0, minute = 0, second = 0;
        int utc_offset_seconds = 0;
    };

    // How to_utc() picks between the two instants of a wall-clock time that happens
    // twice (the hour repeated when the clocks go back).
    enum class choose { earliest, latest };

    // The zone named `name` from the zoneinfo folder ($TZDIR, else /usr/share/zoneinfo),
    // loaded once per process and then shared. "UTC" and "Etc/UTC" need no file.
    // The name is checked before any file is touched: 1..64 characters of
    // [A-Za-z0-9_+-/], not starting with '/', no empty, "." or ".." component.
    static std::shared_ptr<const time_zone> find(std::string_view name);

    // A zone from an explicit TZif file (not cached; tests, tools). `name` is what
    // name() reports and what errors mention.
    static std::shared_ptr<const time_zone> load_file(std::string name, const std::string& path);

    // A zone described only by a POSIX TZ string, as in a TZif footer:
    // "EST5EDT,M3.2.0,M11.1.0", "<+0530>-5:30", "AEST-10AEDT,M10.1.0,M4.1.0/3".
    static std::shared_ptr<const time_zone> from_posix_tz(std::string name, std::string_view tz);

    std::string_view name() const noexcept { return name_; }

    offset_info at(time_point t) const;
    local_time to_local(time_point t) const;

    // The instant the wall clock in this zone shows year-month-day hour:minute:second.
    // A time skipped when the clocks go forward maps to the instant of the jump (the
    // first instant whose wall-clock time is later); a repeated one to the earlier or
    // later of its two instants. Fields are normalised like mktime (hour 24 = next day).
    // Throws time_zone_error outside the years 1700..2200.
    time_point to_utc(int year, int month, int day, int hour, int minute, int second,
                      choose which = choose::earliest) const;

private:
    // A POSIX TZ rule date: Jn (1..365, Feb 29 never counted), n (0..365), Mm.w.d.
    struct rule_date {
        enum class form { julian, zero_based, month_week_day } kind = form::month_week_day;
        int day = 0, month = 0, week = 0, weekday = 0;
        int time_seconds = 7200;  // local time of the change; v3 allows -167h..167h
    };
    struct posix_rule {
        offset_info standard, daylight;
        bool has_dst = false;
        rule_date start, end;
    };

    time_zone() = default;
    static posix_rule parse_posix(std::string_view tz);
    static std::shared_ptr<const time_zone> parse_tzif(std::string name, const std::string& path, std::string_view data);
    const offset_info& from_rule(std::int64_t seconds) const;
    const offset_info& info_at(std::int64_t seconds) const;

    std::string name_;
    std::vector<std::int64_t> transitions_;  // UTC seconds, ascending
    std::vector<std::uint8_t> transition_types_;
    std::vector<offset_info> types_;  // never empty
    std::optional<posix_rule> footer_;
};

}  // namespace switchboard::core
