#include "host/core/business_hours.hpp"

#include <catch2/catch.hpp>

using namespace switchboard::core;

namespace {
switchboard::core::time_point utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
    using namespace std::chrono;
    return switchboard::core::time_point(sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s});
}

const time_zone& zone(std::string_view name) { return *time_zone::find(name); }

std::string error_of(std::string_view spec) {
    try {
        business_hours::parse(spec);
    } catch (const business_hours_error& e) {
        return e.what();
    }
    return "(no error)";
}
// July 2026: Wed 1, Fri 3, Sat 4, Sun 5, Mon 6.
}  // namespace

TEST_CASE("business hours: the spec forms, described", "[core][hours]") {
    struct example {
        const char* spec;
        const char* spoken;
    };
    for (auto [spec, spoken] : std::vector<example>{
             {"09:00-17:00", "Every day, 9 AM to 5 PM"},
             {"Mon-Fri 09:00-17:00; Sat 10:00-14:00", "Monday to Friday, 9 AM to 5 PM; Saturday, 10 AM to 2 PM"},
             {"mon,wed,FRI 9:30-12:00", "Monday, Wednesday and Friday, 9:30 AM to noon"},
             {"Mon-Fri 09:00-12:00,13:00-17:00", "Monday to Friday, 9 AM to noon and 1 PM to 5 PM"},
             {"22:00-06:00", "Every day, 10 PM to 6 AM"},
             {"Mon 18:00-24:00", "Monday, 6 PM to midnight"},
             {"24/7", "Open 24 hours a day, 7 days a week"},
             {" Closed ", "Closed"},
             {"Sat-Sun 00:00-24:00", "Saturday and Sunday, 24 hours"},
             {"Sat,Sun 24/7", "Saturday and Sunday, 24 hours"},
             {"09:00-17:00; Sun closed", "Monday to Saturday, 9 AM to 5 PM"},
             {"Mon-Fri 09:00-17:00; Fri 09:00-15:00", "Monday to Thursday, 9 AM to 5 PM; Friday, 9 AM to 3 PM"},
             {"Fri-Mon 10:00-16:00", "Monday and Friday to Sunday, 10 AM to 4 PM"},
             {"Monday-Friday: 08:00 - 18:00;", "Monday to Friday, 8 AM to 6 PM"},
         }) {
        INFO(spec);
        CHECK(business_hours::parse(spec).describe() == spoken);
    }
    CHECK(business_hours::parse("closed").never_open());
    CHECK(business_hours::parse("Mon closed; Tue-Sun closed").never_open());
    CHECK_FALSE(business_hours::parse("Mon 09:00-10:00").never_open());
}

TEST_CASE("business hours: open_at at the boundaries, on weekends, across midnight", "[core][hours]") {
    const auto& z = zone("UTC");
    auto every_day = business_hours::parse("09:00-17:00");
    CHECK_FALSE(every_day.open_at(z, utc(2026, 7, 6, 8, 59, 59)));
    CHECK(every_day.open_at(z, utc(2026, 7, 6, 9)));
    CHECK(every_day.open_at(z, utc(2026, 7, 6, 16, 59, 59)));
    CHECK_FALSE(every_day.open_at(z, utc(2026, 7, 6, 17)));  // the end is not included
    CHECK(every_day.open_at(z, utc(2026, 7, 5, 12)));        // Sunday too

    auto week = business_hours::parse("Mon-Fri 09:00-17:00; Sat 10:00-14:00");
    CHECK(week.open_at(z, utc(2026, 7, 3, 16)));             // Friday
    CHECK(week.open_at(z, utc(2026, 7, 4, 11)));             // Saturday
    CHECK_FALSE(week.open_at(z, utc(2026, 7, 4, 9, 30)));    // Saturday, before 10
    CHECK_FALSE(week.open_at(z, utc(2026, 7, 4, 14)));
    CHECK_FALSE(week.open_at(z, utc(2026, 7, 5, 12)));       // Sunday

    auto lunch = business_hours::parse("Mon-Fri 09:00-12:00,13:00-17:00");
    CHECK(lunch.open_at(z, utc(2026, 7, 6, 11, 59)));
    CHECK_FALSE(lunch.open_at(z, utc(2026, 7, 6, 12, 30)));
    CHECK(lunch.open_at(z, utc(2026, 7, 6, 13)));

    auto night = business_hours::parse("Fri 22:00-06:00");  // Friday night into Saturday
    CHECK_FALSE(night.open_at(z, utc(2026, 7, 3, 21, 59, 59)));
    CHECK(night.open_at(z, utc(2026, 7, 3, 22)));
    CHECK(night.open_at(z, utc(2026, 7, 4, 0)));
    CHECK(night.open_at(z, utc(2026, 7, 4, 5, 59, 59)));
    CHECK_FALSE(night.open_at(z, utc(2026, 7, 4, 6)));
    CHECK_FALSE(night.open_at(z, utc(2026, 7, 4, 23)));  // Saturday night is not Friday's
    CHECK_FALSE(night.open_at(z, utc(2026, 7, 3, 5)));   // nor is Friday morning (Thursday has none)

    auto late = business_hours::parse("Mon 18:00-24:00");
    CHECK(late.open_at(z, utc(2026, 7, 6, 23, 59, 59)));
    CHECK_FALSE(late.open_at(z, utc(2026, 7, 7, 0)));

    CHECK(business_hours::parse("24/7").open_at(z, utc(2026, 7, 5, 3, 33)));
    CHECK_FALSE(business_hours::parse("closed").open_at(z, utc(2026, 7, 6, 12)));
}

TEST_CASE("business hours: wall-clock time in the zone, across DST changes", "[core][hours]") {
    const auto& ny = zone("America/New_York");
    auto office = business_hours::parse("Mon-Fri 09:00-17:00");
    // Friday before the change: 09:00 EST is 14:00Z.
    CHECK_FALSE(office.open_at(ny, utc(2026, 3, 6, 13, 59, 59)));
    CHECK(office.open_at(ny, utc(2026, 3, 6, 14)));
    // Monday after it: 09:00 EDT is 13:00Z, 17:00 EDT is 21:00Z.
    CHECK_FALSE(office.open_at(ny, utc(2026, 3, 9, 12, 59, 59)));
    CHECK(office.open_at(ny, utc(2026, 3, 9, 13)));
    CHECK(office.open_at(ny, utc(2026, 3, 9, 20, 59, 59)));
    CHECK_FALSE(office.open_at(ny, utc(2026, 3, 9, 21)));

    // Saturday night into Sunday, the night the clocks go forward at 02:00.
    auto night = business_hours::parse("Sat 22:00-06:00");
    CHECK_FALSE(night.open_at(ny, utc(2026, 3, 8, 2, 59, 59)));
    CHECK(night.open_at(ny, utc(2026, 3, 8, 3)));           // 22:00 EST
    CHECK(night.open_at(ny, utc(2026, 3, 8, 6, 59, 59)));   // 01:59:59 EST
    CHECK(night.open_at(ny, utc(2026, 3, 8, 7)));           // 03:00 EDT
    CHECK(night.open_at(ny, utc(2026, 3, 8, 9, 59, 59)));   // 05:59:59 EDT
    CHECK_FALSE(night.open_at(ny, utc(2026, 3, 8, 10)));    // 06:00 EDT

    // Half-hour offsets.
    const auto& kolkata = zone("Asia/Kolkata");
    CHECK_FALSE(office.open_at(kolkata, utc(2026, 7, 6, 3, 29, 59)));
    CHECK(office.open_at(kolkata, utc(2026, 7, 6, 3, 30)));
}

TEST_CASE("business hours: next_opening", "[core][hours]") {
    const auto& z = zone("UTC");
    auto office = business_hours::parse("Mon-Fri 09:00-17:00");
    CHECK(office.next_opening(z, utc(2026, 7, 4, 12)) == utc(2026, 7, 6, 9));   // Saturday -> Monday
    CHECK(office.next_opening(z, utc(2026, 7, 6, 10)) == utc(2026, 7, 6, 10));  // already open
    CHECK(office.next_opening(z, utc(2026, 7, 6, 17)) == utc(2026, 7, 7, 9));
    CHECK(office.next_opening(z, utc(2026, 7, 3, 17)) == utc(2026, 7, 6, 9));   // Friday evening
    auto weekly = business_hours::parse("Mon 09:00-10:00");
    CHECK(weekly.next_opening(z, utc(2026, 7, 6, 10)) == utc(2026, 7, 13, 9));  // a week less an hour
    CHECK_FALSE(business_hours::parse("closed").next_opening(z, utc(2026, 7, 6)).has_value());
    auto night = business_hours::parse("Fri 22:00-06:00");
    CHECK(night.next_opening(z, utc(2026, 7, 4, 6)) == utc(2026, 7, 10, 22));

    const auto& ny = zone("America/New_York");
    CHECK(office.next_opening(ny, utc(2026, 3, 8, 12)) == utc(2026, 3, 9, 13));    // opens at 09:00 EDT
    CHECK(office.next_opening(ny, utc(2026, 10, 30, 22)) == utc(2026, 11, 2, 14)); // opens at 09:00 EST
    // 02:30 does not exist on 2026-03-08: it opens when the clocks jump to 03:00.
    CHECK(business_hours::parse("Sun 02:30-04:00").next_opening(ny, utc(2026, 3, 8)) == utc(2026, 3, 8, 7));
    // 01:15 happens twice on 2026-11-01: after the first period, the second.
    CHECK(business_hours::parse("01:15-01:30").next_opening(ny, utc(2026, 11, 1, 5, 45)) == utc(2026, 11, 1, 6, 15));
    // The clocks going back from 02:00 EDT to 01:00 EST reopen a 00:30-01:30 period.
    CHECK(business_hours::parse("00:30-01:30").next_opening(ny, utc(2026, 11, 1, 5, 45)) == utc(2026, 11, 1, 6));
}

TEST_CASE("business hours: next_opening agrees with a minute-by-minute scan", "[core][hours]") {
    // Brute force: openings fall on whole minutes, so scanning minutes finds the first one.
    for (const char* name : {"America/New_York", "Australia/Lord_Howe"}) {
        const auto& z = zone(name);
        for (const char* spec : {"Mon-Fri 09:00-17:00; Sat 10:00-14:00", "Sat 22:00-06:00", "01:15-01:45,02:10-02:20",
                                 "Sun 00:00-03:00"}) {
            auto hours = business_hours::parse(spec);
            // Around New York's and Lord Howe's spring and autumn changes.
            for (auto start : {utc(2026, 3, 5), utc(2026, 10, 29), utc(2026, 4, 1), utc(2026, 10, 1)}) {
                for (int step = 0; step < 40; ++step) {
                    auto from = start + std::chrono::minutes(step * 157) + std::chrono::seconds(step % 3 * 20);
                    INFO(name << " " << spec << " from " << to_iso8601(from));
                    auto next = hours.next_opening(z, from);
                    REQUIRE(next.has_value());
                    CHECK(hours.open_at(z, *next));
                    if (*next == from) continue;
                    CHECK_FALSE(hours.open_at(z, *next - std::chrono::seconds(1)));
                    auto probe = std::chrono::ceil<std::chrono::minutes>(from);
                    bool open_earlier = hours.open_at(z, from);
                    for (; probe < *next && !open_earlier; probe += std::chrono::minutes(1))
                        open_earlier = hours.open_at(z, probe);
                    CHECK_FALSE(open_earlier);
                }
            }
        }
    }
}

TEST_CASE("business hours: parse errors name the spec and the part", "[core][hours]") {
    struct bad {
        const char* spec;
        const char* why;
    };
    for (auto [spec, why] : std::vector<bad>{
             {"", "empty"},
             {" ; ", "empty"},
             {"Mon-Fry 09:00-17:00", "unknown day \"Fry\""},
             {"Mon,,Fri 09:00-17:00", "empty day in \"Mon,,Fri\""},
             {"Mon-Fri", "no hours in \"Mon-Fri\""},
             {"Mon-Fri 9-17", "bad time \"9\" in \"9-17\""},
             {"Mon-Fri 09:00", "bad time range \"09:00\""},
             {"Mon-Fri 09:00-25:00", "bad time \"25:00\" in \"09:00-25:00\""},
             {"09:60-10:00", "bad time \"09:60\""},
             {"24:00-06:00", "starts at 24:00"},
             {"24:30-06:00", "bad time \"24:30\""},
             {"09:00-09:00", "is empty"},
             {"Mon-Fri 09:00-12:00,11:00-13:00", "time ranges overlap"},
             {"Mon-Fri 09:00-17:00,", "empty time range"},
             {"Mon-Fri 09:00-17:00 Sat", "bad time \"17:00Sat\""},
         }) {
        INFO(spec);
        auto message = error_of(spec);
        CHECK_THAT(message, Catch::StartsWith("business hours \"" + std::string(spec) + "\": "));
        CHECK_THAT(message, Catch::Contains(why));
    }
    CHECK_THAT(error_of(std::string(1001, 'x')), Catch::Contains("longer than 1000 characters"));
}
