// sb.is_open, sb.hours and sb.local_time: business hours and zones at fixed instants,
// the org's defaults, and errors that name the bad spec or zone.
#include "host/scripting/sandbox.hpp"

#include "host/core/time.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace switchboard::scripting;
namespace core = switchboard::core;
namespace json = boost::json;

namespace {

org_profile org(const std::string& timezone = "America/New_York",
                const char* settings = R"({"business_hours": "Mon-Fri 09:00-17:00"})") {
    org_profile p;
    p.id = "acme";
    p.timezone = timezone;
    p.settings = json::parse(settings).as_object();
    return p;
}

// Generous so a busy machine never trips a limit; the tests are about values.
limits roomy() {
    limits lim;
    lim.time = std::chrono::seconds(10);
    lim.load_time = std::chrono::seconds(10);
    return lim;
}

std::unique_ptr<sandbox> load(const org_profile& p, const std::string& text) {
    return std::make_unique<sandbox>(p, script_source{"scripts/orgs/acme.lua", text}, nullptr, roomy(), nullptr);
}

hook_result call_prompt(sandbox& s) {
    std::vector<json::value> none;
    return s.call("prompt", none);
}

// What the Lua expression `expr` evaluates to inside a hook (the call must succeed).
json::value eval(const std::string& expr, const org_profile& p = org()) {
    auto s = load(p, "function prompt() return " + expr + " end");
    auto r = call_prompt(*s);
    INFO(expr << " -> " << r.error);
    REQUIRE(r.ok());
    return r.value;
}

// The error the hook call fails with when it evaluates `expr`.
std::string failure(const std::string& expr, const org_profile& p = org()) {
    auto s = load(p, "function prompt() return " + expr + " end");
    auto r = call_prompt(*s);
    INFO(expr);
    REQUIRE(r.state == hook_result::status::failed);
    CHECK(r.failure == failure_kind::error);
    return r.error;
}

// Seconds since the epoch of an ISO-8601 instant, as a Lua literal.
std::int64_t epoch(const char* iso) {
    auto t = core::parse_iso8601(iso);
    REQUIRE(t);
    return std::chrono::floor<std::chrono::seconds>(*t).time_since_epoch().count();
}
std::string at(const char* iso) { return std::to_string(epoch(iso)); }

// Instants, with their wall-clock time in New York.
const char* const monday_10_edt = "2024-07-15T14:00:00Z";  // Monday 10:00 EDT (UTC-4)
const char* const monday_10_est = "2024-01-15T15:00:00Z";  // Monday 10:00 EST (UTC-5)
const char* const monday_08_est = "2024-01-15T13:00:00Z";  // Monday 08:00 EST, 13:00 UTC
const char* const sunday_12_edt = "2024-07-14T16:00:00Z";  // Sunday noon EDT

}  // namespace

TEST_CASE("sb.is_open with an explicit spec and zone at fixed instants", "[scripting][hours]") {
    const std::string week = "'Mon-Fri 09:00-17:00', 'America/New_York', ";
    CHECK(eval("sb.is_open(" + week + at(monday_10_edt) + ")") == true);
    CHECK(eval("sb.is_open(" + week + at(monday_10_est) + ")") == true);
    CHECK(eval("sb.is_open(" + week + at(monday_08_est) + ")") == false);
    CHECK(eval("sb.is_open(" + week + at(sunday_12_edt) + ")") == false);
    // The zone decides: 13:00 UTC is inside the hours in UTC, before them in New York.
    CHECK(eval("sb.is_open('Mon-Fri 09:00-17:00', 'UTC', " + at(monday_08_est) + ")") == true);
    // Ranges are [start, end): 17:00 itself is closed, 16:59:59 open.
    CHECK(eval("sb.is_open(" + week + at("2024-07-15T21:00:00Z") + ")") == false);
    CHECK(eval("sb.is_open(" + week + at("2024-07-15T20:59:59Z") + ")") == true);
    // Fractions of a second are accepted.
    CHECK(eval("sb.is_open(" + week + std::to_string(epoch("2024-07-15T12:59:59Z")) + ".5)") == false);
    // Without `at`, now: answers that do not depend on the time of day.
    CHECK(eval("sb.is_open('24/7', 'Asia/Kolkata')") == true);
    CHECK(eval("sb.is_open('closed', 'UTC')") == false);
}

TEST_CASE("sb.is_open defaults to the org's settings.business_hours and timezone", "[scripting][hours]") {
    CHECK(eval("sb.is_open(nil, nil, " + at(monday_10_edt) + ")") == true);
    CHECK(eval("sb.is_open(nil, nil, " + at(sunday_12_edt) + ")") == false);
    // The default zone is the org's, not UTC: 08:00 in New York is closed...
    CHECK(eval("sb.is_open(nil, nil, " + at(monday_08_est) + ")") == false);
    // ...and the same instant with an explicit zone and the default spec is open.
    CHECK(eval("sb.is_open(nil, 'UTC', " + at(monday_08_est) + ")") == true);
    // An explicit spec with the org's zone.
    CHECK(eval("sb.is_open('Mon 07:00-09:00', nil, " + at(monday_08_est) + ")") == true);
    CHECK(eval("sb.is_open('Sun 10:00-14:00', nil, " + at(sunday_12_edt) + ")") == true);
    // Another org's settings give another answer at the same instant.
    auto weekend = org("Europe/Paris", R"({"business_hours": "Sat-Sun 10:00-20:00"})");
    CHECK(eval("sb.is_open(nil, nil, " + at(sunday_12_edt) + ")", weekend) == true);  // 18:00 in Paris
    CHECK(eval("sb.is_open(nil, nil, " + at(monday_10_edt) + ")", weekend) == false);
}

TEST_CASE("sb.is_open without any spec, or with a bad one, names the problem", "[scripting][hours]") {
    auto none = org("America/New_York", "{}");
    CHECK_THAT(failure("sb.is_open()", none),
               Catch::Contains("sb.is_open: no hours given and the org has no settings.business_hours"));
    CHECK_THAT(failure("sb.hours()", none),
               Catch::Contains("sb.hours: no hours given and the org has no settings.business_hours"));
    CHECK_THAT(failure("sb.is_open()", org("UTC", R"({"business_hours": 9})")),
               Catch::Contains("sb.is_open: settings.business_hours is not a string"));
    // An explicit spec works without settings.
    CHECK(eval("sb.is_open('24/7')", none) == true);

    CHECK_THAT(failure("sb.is_open('Mon-Fri 9-17', 'UTC', 0)"),
               Catch::Contains("sb.is_open: business hours \"Mon-Fri 9-17\"") && Catch::Contains("9-17"));
    CHECK_THAT(failure("sb.is_open('Mon-Fir 09:00-17:00')"),
               Catch::Contains("sb.is_open: business hours") && Catch::Contains("unknown day \"Fir\""));
    CHECK_THAT(failure("sb.hours('Mon-Fri 09:00-25:00')"), Catch::Contains("sb.hours: business hours"));
    // A bad settings value is reported as the spec it is.
    CHECK_THAT(failure("sb.is_open()", org("UTC", R"({"business_hours": "weekdays"})")),
               Catch::Contains("sb.is_open: business hours \"weekdays\""));
}

TEST_CASE("a bad zone raises an error naming it", "[scripting][hours]") {
    CHECK_THAT(failure("sb.is_open('24/7', 'Mars/Olympus_Mons', 0)"),
               Catch::Contains("sb.is_open: time zone \"Mars/Olympus_Mons\""));
    CHECK_THAT(failure("sb.hours('24/7', '../../etc/passwd')"),
               Catch::Contains("sb.hours: invalid time zone name \"../../etc/passwd\""));
    CHECK_THAT(failure("sb.local_time('Nowhere/Land')"), Catch::Contains("sb.local_time: time zone \"Nowhere/Land\""));
    // A script can catch it and carry on.
    CHECK(eval("(pcall(sb.is_open, '24/7', 'Mars/Olympus_Mons'))") == false);
}

TEST_CASE("a script loads with a bad org timezone, only the calls that need it fail", "[scripting][hours]") {
    auto mars = org("Mars/Olympus_Mons");
    std::unique_ptr<sandbox> s;
    REQUIRE_NOTHROW(s = load(mars, "local mode = 'x'\nfunction prompt() return sb.is_open() end\n"
                                   "function classify() return sb.is_open(nil, 'America/New_York', " +
                                       at(monday_10_edt) + ") end"));
    for (int i = 0; i < 2; ++i) {  // the failure is kept, and reported each time
        auto r = call_prompt(*s);
        REQUIRE(r.state == hook_result::status::failed);
        CHECK_THAT(r.error, Catch::Contains("sb.is_open: time zone \"Mars/Olympus_Mons\"") &&
                                Catch::Contains("the org's timezone"));
    }
    std::vector<json::value> none;
    auto ok = s->call("classify", none);
    REQUIRE(ok.ok());
    CHECK(ok.value == true);
    CHECK_THAT(failure("sb.local_time()", mars), Catch::Contains("sb.local_time: time zone \"Mars/Olympus_Mons\""));
    CHECK(eval("sb.local_time('UTC', 0).year", mars) == 1970);
}

TEST_CASE("sb.hours describes the hours and when they open next", "[scripting][hours]") {
    SECTION("closed on Sunday: next opening Monday 9 AM") {
        auto h = eval("sb.hours(nil, nil, " + at(sunday_12_edt) + ")");
        CHECK(h.at("open") == false);
        CHECK(h.at("next_open") == epoch("2024-07-15T13:00:00Z"));  // Monday 09:00 EDT
        CHECK(h.at("next_open_local") == "Monday 9:00 AM");
        CHECK(h.at("describe") == "Monday to Friday, 9 AM to 5 PM");
        CHECK(h.at("timezone") == "America/New_York");
        CHECK(h.at("local_time") == "12:00");
        CHECK(h.at("weekday") == "Sunday");
    }
    SECTION("open now: no next opening") {
        auto h = eval("sb.hours(nil, nil, " + at(monday_10_est) + ")");
        CHECK(h.at("open") == true);
        CHECK_FALSE(h.as_object().contains("next_open"));
        CHECK_FALSE(h.as_object().contains("next_open_local"));
        CHECK(h.at("local_time") == "10:00");
        CHECK(h.at("weekday") == "Monday");
    }
    SECTION("never open: no next opening") {
        auto h = eval("sb.hours('closed', 'UTC', " + at(monday_10_est) + ")");
        CHECK(h.at("open") == false);
        CHECK_FALSE(h.as_object().contains("next_open"));
        CHECK(h.at("describe") == "Closed");
        CHECK(h.at("timezone") == "UTC");
        CHECK(h.at("local_time") == "15:00");
    }
    SECTION("across the change to summer time: Monday 9:00 EDT, not EST") {
        // Saturday 2024-03-09 12:00 EST; the clocks go forward on Sunday the 10th.
        auto h = eval("sb.hours(nil, nil, " + at("2024-03-09T17:00:00Z") + ")");
        CHECK(h.at("next_open") == epoch("2024-03-11T13:00:00Z"));
        CHECK(h.at("next_open_local") == "Monday 9:00 AM");
        CHECK(h.at("weekday") == "Saturday");
    }
    SECTION("an afternoon opening in an explicit zone") {
        auto h = eval("sb.hours('Mon-Fri 09:00-17:00; Sat 13:30-16:00', 'Asia/Kolkata', " +
                      at("2024-07-19T12:00:00Z") + ")");  // Friday 17:30 IST (UTC+5:30)
        CHECK(h.at("open") == false);
        CHECK(h.at("local_time") == "17:30");
        CHECK(h.at("weekday") == "Friday");
        CHECK(h.at("next_open") == epoch("2024-07-20T08:00:00Z"));  // Saturday 13:30 IST
        CHECK(h.at("next_open_local") == "Saturday 1:30 PM");
        CHECK(h.at("describe") == "Monday to Friday, 9 AM to 5 PM; Saturday, 1:30 PM to 4 PM");
        CHECK(h.at("timezone") == "Asia/Kolkata");
    }
}

TEST_CASE("sb.local_time gives the calendar fields in a zone", "[scripting][hours]") {
    SECTION("New York in summer") {
        auto t = eval("sb.local_time('America/New_York', " + at(monday_10_edt) + ")");
        CHECK(t.at("year") == 2024);
        CHECK(t.at("month") == 7);
        CHECK(t.at("day") == 15);
        CHECK(t.at("hour") == 10);
        CHECK(t.at("minute") == 0);
        CHECK(t.at("second") == 0);
        CHECK(t.at("weekday") == 2);  // Monday, as os.date's wday
        CHECK(t.at("utc_offset") == -4 * 3600);
        CHECK(t.at("isdst") == true);
        CHECK(t.at("abbreviation") == "EDT");
        CHECK(t.at("zone") == "America/New_York");
    }
    SECTION("the org's zone by default, in winter") {
        auto t = eval("sb.local_time(nil, " + at("2024-01-14T04:05:06Z") + ")");  // Saturday 23:05:06 EST
        CHECK(t.at("day") == 13);
        CHECK(t.at("hour") == 23);
        CHECK(t.at("minute") == 5);
        CHECK(t.at("second") == 6);
        CHECK(t.at("weekday") == 7);  // Saturday
        CHECK(t.at("utc_offset") == -5 * 3600);
        CHECK(t.at("isdst") == false);
        CHECK(t.at("zone") == "America/New_York");
    }
    SECTION("a half-hour offset") {
        auto t = eval("sb.local_time('Asia/Kolkata', " + at(monday_10_edt) + ")");
        CHECK(t.at("hour") == 19);
        CHECK(t.at("minute") == 30);
        CHECK(t.at("utc_offset") == 19800);
    }
    SECTION("agrees with os.date on UTC plus the offset") {
        // os.date('!*t') is Lua's own calendar, a check independent of core::time_zone.
        auto same = eval(R"((function()
            for _, at in ipairs({ 0, 951782400, 1709999999, 1710054000, 1730613600, 4102444799 }) do
              for _, zone in ipairs({ 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'UTC' }) do
                local t = sb.local_time(zone, at)
                local d = os.date('!*t', at + t.utc_offset)
                if d.year ~= t.year or d.month ~= t.month or d.day ~= t.day or d.hour ~= t.hour
                   or d.min ~= t.minute or d.sec ~= t.second or d.wday ~= t.weekday then
                  return zone .. ' ' .. at
                end
              end
            end
            return 'same'
          end)())");
        CHECK(same == "same");
    }
}

TEST_CASE("sb.* time arguments are checked", "[scripting][hours]") {
    CHECK_THAT(failure("sb.is_open('24/7', 'UTC', 'monday')"), Catch::Contains("number expected"));
    CHECK_THAT(failure("sb.is_open('24/7', 'UTC', 1e300)"), Catch::Contains("sb.is_open: 'at' must be"));
    CHECK_THAT(failure("sb.local_time('UTC', 0/0)"), Catch::Contains("sb.local_time: 'at' must be"));
    CHECK_THAT(failure("sb.hours({})"), Catch::Contains("string expected"));
}

TEST_CASE("many distinct specs stay correct past the cache's size", "[scripting][hours]") {
    // 00:00-HH:MM for 1..150 minutes at 00:50 UTC: open exactly when the range ends after 00:50.
    auto opened = eval(R"((function()
        local n = 0
        for pass = 1, 2 do
          for m = 1, 150 do
            local spec = string.format('00:00-%02d:%02d', m // 60, m % 60)
            if sb.is_open(spec, 'UTC', 50 * 60) then n = n + 1 end
          end
        end
        return n
      end)())");
    CHECK(opened == 2 * 100);
}
