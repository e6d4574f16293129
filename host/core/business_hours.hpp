// Weekly opening hours in a zone's wall-clock time, from a short text spec such as
// "Mon-Fri 09:00-17:00; Sat 10:00-14:00". Used by scripts (sb.business_hours) and
// tools to answer "are we open?" and "when do we open?".
#pragma once

#include "host/core/time.hpp"
#include "host/core/time_zone.hpp"

#include <array>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::core {

// The message names the spec and the part of it that is wrong.
class business_hours_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// An immutable weekly schedule. Cheap to copy.
class business_hours {
public:
    // The spec is "24/7", "closed", or clauses separated by ';'. A clause is
    // [days] ranges|closed|24/7:
    //   days    Mon..Sun (or full names, any case), ranges "Mon-Fri" (may wrap:
    //           "Fri-Mon"), lists "Mon,Wed,Fri"; no days means every day.
    //   ranges  "09:00-17:00", several separated by ','; "24:00" is allowed as an
    //           end; an end before the start crosses midnight ("22:00-06:00"
    //           belongs to the day it starts on).
    // A later clause replaces the hours of the days it names, so
    // "09:00-17:00; Sun closed" and "Mon-Fri 09:00-17:00; Fri 09:00-15:00" work.
    static business_hours parse(std::string_view spec);

    // Whether the wall clock in `zone` at `t` is inside a range ([start, end)).
    bool open_at(const time_zone& zone, time_point t) const;

    // The first instant at or after `from` when open_at() is true (so `from` itself
    // when already open), looking at most 8 days ahead; nullopt when never open.
    std::optional<time_point> next_opening(const time_zone& zone, time_point from) const;

    // A short spoken form: "Monday to Friday, 9 AM to 5 PM; Saturday, 10 AM to 2 PM".
    std::string describe() const;

    bool never_open() const;

private:
    struct range {
        int start;  // seconds after local midnight, 0..86399
        int end;    // start < end <= start + 86400; past 86400 runs into the next day
        bool operator==(const range&) const = default;
    };
    std::array<std::vector<range>, 7> days_;  // index 0 = Sunday, as local_time::weekday
};

}  // namespace switchboard::core
