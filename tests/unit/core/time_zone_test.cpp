#include "host/core/time_zone.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <thread>

using namespace switchboard::core;
using switchboard::testing::temp_dir;

namespace {
time_point utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0, int s = 0) {
    using namespace std::chrono;
    return switchboard::core::time_point(sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi} + seconds{s});
}

std::shared_ptr<const time_zone> zone(std::string_view name) { return time_zone::find(name); }

std::string error_of(auto&& f) {
    try {
        f();
    } catch (const time_zone_error& e) {
        return e.what();
    }
    return "(no error)";
}

// Sets an environment variable for one scope.
class scoped_env {
public:
    scoped_env(const char* name, const std::string& value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        ::setenv(name, value.c_str(), 1);
    }
    ~scoped_env() {
        if (old_)
            ::setenv(name_, old_->c_str(), 1);
        else
            ::unsetenv(name_);
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

// A TZif writer, to test the reader on files whose every byte we know.
struct tz_type {
    std::int32_t offset;
    bool dst;
    std::string abbreviation;
};

std::string be(std::uint64_t v, int bytes) {
    std::string out;
    for (int i = bytes - 1; i >= 0; --i) out += static_cast<char>((v >> (8 * i)) & 0xff);
    return out;
}

std::string tzif(char version, const std::vector<std::int64_t>& times, const std::vector<std::uint8_t>& indexes,
                 const std::vector<tz_type>& types, const std::string& footer) {
    std::string chars;
    std::vector<std::size_t> abbreviation_index;
    for (const auto& t : types) {
        abbreviation_index.push_back(chars.size());
        chars += t.abbreviation + '\0';
    }
    auto header = [&] {
        std::string h = "TZif";
        h += version;
        h += std::string(15, '\0');
        h += be(0, 4) + be(0, 4) + be(0, 4);  // isutcnt, isstdcnt, leapcnt
        h += be(times.size(), 4) + be(types.size(), 4) + be(chars.size(), 4);
        return h;
    };
    auto block = [&](int time_size) {
        std::string b;
        for (auto t : times) b += be(static_cast<std::uint64_t>(t), time_size);
        for (auto i : indexes) b += static_cast<char>(i);
        for (std::size_t i = 0; i < types.size(); ++i)
            b += be(static_cast<std::uint32_t>(types[i].offset), 4) + static_cast<char>(types[i].dst) +
                 static_cast<char>(abbreviation_index[i]);
        return b + chars;
    };
    if (version == 0) return header() + block(4);
    return header() + block(4) + header() + block(8) + "\n" + footer + "\n";
}

// A made-up zone: "AAA" +1h until 2020-01-01, then "BBB" +2h (DST), then the footer.
const std::vector<tz_type> test_types{{3600, false, "AAA"}, {7200, true, "BBB"}};
const std::int64_t t2020 = 1577836800;  // 2020-01-01T00:00:00Z
}  // namespace

TEST_CASE("time zone: New York, EST and EDT and the switch between them", "[core][tz]") {
    auto ny = zone("America/New_York");
    CHECK(ny->name() == "America/New_York");

    auto summer = ny->at(utc(2026, 7, 1, 12));
    CHECK(summer.utc_offset_seconds == -4 * 3600);
    CHECK(summer.is_dst);
    CHECK(summer.abbreviation == "EDT");
    auto winter = ny->at(utc(2026, 1, 15, 12));
    CHECK(winter.utc_offset_seconds == -5 * 3600);
    CHECK_FALSE(winter.is_dst);
    CHECK(winter.abbreviation == "EST");

    // Spring forward at 2026-03-08T07:00Z (02:00 EST becomes 03:00 EDT).
    CHECK(ny->at(utc(2026, 3, 8, 6, 59, 59)).utc_offset_seconds == -5 * 3600);
    CHECK(ny->at(utc(2026, 3, 8, 7, 0, 0)).utc_offset_seconds == -4 * 3600);
    CHECK(ny->at(utc(2026, 3, 8, 7, 0, 0) - std::chrono::nanoseconds(1)).abbreviation == "EST");
    auto before = ny->to_local(utc(2026, 3, 8, 6, 59, 59));
    CHECK((before.hour == 1 && before.minute == 59 && before.second == 59));
    auto after = ny->to_local(utc(2026, 3, 8, 7));
    CHECK((after.hour == 3 && after.minute == 0 && after.utc_offset_seconds == -4 * 3600));

    // Fall back at 2026-11-01T06:00Z.
    CHECK(ny->at(utc(2026, 11, 1, 5, 59, 59)).abbreviation == "EDT");
    CHECK(ny->at(utc(2026, 11, 1, 6)).abbreviation == "EST");
}

TEST_CASE("time zone: after the last transition the footer rule decides (2100)", "[core][tz]") {
    auto ny = zone("America/New_York");
    CHECK(ny->at(utc(2100, 7, 1, 12)).utc_offset_seconds == -4 * 3600);
    CHECK(ny->at(utc(2100, 7, 1, 12)).abbreviation == "EDT");
    CHECK(ny->at(utc(2100, 1, 15, 12)).utc_offset_seconds == -5 * 3600);
    // 2100: second Sunday of March is the 14th, first Sunday of November the 7th.
    CHECK(ny->at(utc(2100, 3, 14, 6, 59, 59)).utc_offset_seconds == -5 * 3600);
    CHECK(ny->at(utc(2100, 3, 14, 7)).utc_offset_seconds == -4 * 3600);
    CHECK(ny->at(utc(2100, 11, 7, 5, 59, 59)).utc_offset_seconds == -4 * 3600);
    CHECK(ny->at(utc(2100, 11, 7, 6)).utc_offset_seconds == -5 * 3600);

    auto lord_howe = zone("Australia/Lord_Howe");  // southern: DST over New Year
    CHECK(lord_howe->at(utc(2100, 1, 15)).utc_offset_seconds == 11 * 3600);
    CHECK(lord_howe->at(utc(2100, 7, 15)).utc_offset_seconds == 10 * 3600 + 1800);
}

TEST_CASE("time zone: Kolkata, Lord Howe's half-hour DST, London", "[core][tz]") {
    auto kolkata = zone("Asia/Kolkata");
    for (auto t : {utc(2026, 1, 15), utc(2026, 7, 1), utc(2100, 1, 1)}) {
        auto info = kolkata->at(t);
        CHECK(info.utc_offset_seconds == 5 * 3600 + 1800);
        CHECK(info.abbreviation == "IST");
        CHECK_FALSE(info.is_dst);
    }

    auto lh = zone("Australia/Lord_Howe");
    CHECK(lh->at(utc(2026, 1, 15)).utc_offset_seconds == 11 * 3600);
    CHECK(lh->at(utc(2026, 1, 15)).is_dst);
    CHECK(lh->at(utc(2026, 7, 15)).utc_offset_seconds == 10 * 3600 + 1800);
    // DST ends 2026-04-05 02:00 local (+11) and starts 2026-10-04 02:00 local (+10:30).
    CHECK(lh->at(utc(2026, 4, 4, 14, 59, 59)).utc_offset_seconds == 11 * 3600);
    CHECK(lh->at(utc(2026, 4, 4, 15)).utc_offset_seconds == 10 * 3600 + 1800);
    CHECK(lh->at(utc(2026, 10, 3, 15, 29, 59)).utc_offset_seconds == 10 * 3600 + 1800);
    CHECK(lh->at(utc(2026, 10, 3, 15, 30)).utc_offset_seconds == 11 * 3600);

    auto london = zone("Europe/London");
    CHECK(london->at(utc(2026, 7, 1)).utc_offset_seconds == 3600);
    CHECK(london->at(utc(2026, 7, 1)).abbreviation == "BST");
    CHECK(london->at(utc(2026, 1, 1)).utc_offset_seconds == 0);
    CHECK(london->at(utc(2026, 1, 1)).abbreviation == "GMT");
    CHECK(london->at(utc(2026, 3, 29, 0, 59, 59)).utc_offset_seconds == 0);
    CHECK(london->at(utc(2026, 3, 29, 1)).utc_offset_seconds == 3600);
}

TEST_CASE("time zone: agrees with glibc's localtime over 1900-2040 and in 2100", "[core][tz]") {
    // glibc reads the same files with its own parser: an independent check of ours.
    for (const char* name : {"America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata",
                             "America/Sao_Paulo", "Africa/Casablanca", "Pacific/Chatham", "America/St_Johns",
                             "Europe/Dublin", "Antarctica/Troll"}) {
        INFO(name);
        auto z = zone(name);
        scoped_env tz("TZ", std::string(":") + name);
        ::tzset();
        int mismatches = 0;
        auto check = [&](std::int64_t s) {
            std::time_t t = static_cast<std::time_t>(s);
            std::tm tm{};
            ::localtime_r(&t, &tm);
            auto ours = z->at(time_point(std::chrono::seconds(s)));
            if (ours.utc_offset_seconds != tm.tm_gmtoff || ours.is_dst != (tm.tm_isdst > 0) ||
                ours.abbreviation != tm.tm_zone) {
                if (++mismatches <= 3)
                    FAIL_CHECK("at " << s << ": ours " << ours.utc_offset_seconds << " " << ours.abbreviation
                                     << ", glibc " << tm.tm_gmtoff << " " << tm.tm_zone);
            }
            auto lt = z->to_local(time_point(std::chrono::seconds(s)));
            if (lt.year != tm.tm_year + 1900 || lt.month != tm.tm_mon + 1 || lt.day != tm.tm_mday ||
                lt.hour != tm.tm_hour || lt.minute != tm.tm_min || lt.second != tm.tm_sec || lt.weekday != tm.tm_wday)
                if (++mismatches <= 3) FAIL_CHECK("to_local differs at " << s);
        };
        for (std::int64_t s = -2208988800; s < 2208988800; s += 3 * 3600 + 17) check(s);  // 1900..2040
        for (std::int64_t s = 4102444800; s < 4133980800; s += 3600 + 7) check(s);         // 2100
        CHECK(mismatches == 0);
    }
    ::tzset();
}

TEST_CASE("time zone: to_local fields and weekday", "[core][tz]") {
    auto lt = zone("America/New_York")->to_local(utc(2026, 7, 1, 12, 34, 56));
    CHECK(lt.year == 2026);
    CHECK(lt.month == 7);
    CHECK(lt.day == 1);
    CHECK(lt.weekday == 3);  // a Wednesday
    CHECK(lt.hour == 8);
    CHECK(lt.minute == 34);
    CHECK(lt.second == 56);
    CHECK(lt.utc_offset_seconds == -4 * 3600);

    // Crossing into a new year and a new weekday.
    auto k = zone("Asia/Kolkata")->to_local(utc(2026, 12, 31, 20));
    CHECK((k.year == 2027 && k.month == 1 && k.day == 1 && k.hour == 1 && k.minute == 30));
    CHECK(k.weekday == 5);  // Friday

    // Before 1970 and sub-second instants floor, not round toward zero.
    auto u = zone("UTC")->to_local(utc(1969, 12, 31, 23, 59, 59) + std::chrono::milliseconds(500));
    CHECK((u.year == 1969 && u.month == 12 && u.day == 31 && u.hour == 23 && u.minute == 59 && u.second == 59));
    CHECK(u.weekday == 3);
}

TEST_CASE("time zone: to_utc for normal, skipped and repeated wall-clock times", "[core][tz]") {
    auto ny = zone("America/New_York");
    CHECK(ny->to_utc(2026, 7, 1, 8, 0, 0) == utc(2026, 7, 1, 12));
    CHECK(ny->to_utc(2026, 1, 15, 9, 30, 0) == utc(2026, 1, 15, 14, 30));
    // 02:30 does not exist on 2026-03-08: the clocks jump at 07:00Z.
    CHECK(ny->to_utc(2026, 3, 8, 2, 30, 0) == utc(2026, 3, 8, 7));
    // 01:30 happens twice on 2026-11-01.
    CHECK(ny->to_utc(2026, 11, 1, 1, 30, 0) == utc(2026, 11, 1, 5, 30));
    CHECK(ny->to_utc(2026, 11, 1, 1, 30, 0, time_zone::choose::latest) == utc(2026, 11, 1, 6, 30));
    // Normalised like mktime.
    CHECK(ny->to_utc(2026, 12, 31, 24, 0, 0) == utc(2027, 1, 1, 5));
    CHECK(ny->to_utc(2026, 13, 1, 0, 0, 0) == utc(2027, 1, 1, 5));
    CHECK(ny->to_utc(2026, 3, 0, 0, 0, 0) == utc(2026, 2, 28, 5));
    auto lh = zone("Australia/Lord_Howe");
    CHECK(lh->to_utc(2026, 10, 4, 2, 15, 0) == utc(2026, 10, 3, 15, 30));  // skipped half hour
    CHECK_THAT(error_of([&] { ny->to_utc(99999, 1, 1, 0, 0, 0); }),
               Catch::Contains("time zone \"America/New_York\": local time out of range"));
}

TEST_CASE("time zone: POSIX TZ strings (footer forms)", "[core][tz]") {
    auto us = time_zone::from_posix_tz("us", "EST5EDT,M3.2.0,M11.1.0");
    CHECK(us->at(utc(2026, 3, 8, 6, 59, 59)).abbreviation == "EST");
    CHECK(us->at(utc(2026, 3, 8, 7)).abbreviation == "EDT");
    CHECK(us->at(utc(2026, 7, 1)).utc_offset_seconds == -4 * 3600);
    CHECK(us->at(utc(2026, 11, 1, 6)).utc_offset_seconds == -5 * 3600);

    auto quoted = time_zone::from_posix_tz("q", "<+0530>-5:30");
    CHECK(quoted->at(utc(2026, 7, 1)).utc_offset_seconds == 19800);
    CHECK(quoted->at(utc(2026, 7, 1)).abbreviation == "+0530");
    CHECK(time_zone::from_posix_tz("ist", "IST-5:30")->at(utc(2026, 1, 1)).utc_offset_seconds == 19800);

    // Sydney: DST ends 2026-04-05 03:00 AEDT, starts 2026-10-04 02:00 AEST.
    auto syd = time_zone::from_posix_tz("syd", "AEST-10AEDT,M10.1.0,M4.1.0/3");
    CHECK(syd->at(utc(2026, 1, 15)).utc_offset_seconds == 11 * 3600);
    CHECK(syd->at(utc(2026, 4, 4, 15, 59, 59)).abbreviation == "AEDT");
    CHECK(syd->at(utc(2026, 4, 4, 16)).abbreviation == "AEST");
    CHECK(syd->at(utc(2026, 10, 3, 15, 59, 59)).abbreviation == "AEST");
    CHECK(syd->at(utc(2026, 10, 3, 16)).abbreviation == "AEDT");

    // Lord Howe's footer, same answers as the file above.
    auto lh = time_zone::from_posix_tz("lh", "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0");
    CHECK(lh->at(utc(2026, 4, 4, 14, 59, 59)).utc_offset_seconds == 11 * 3600);
    CHECK(lh->at(utc(2026, 4, 4, 15)).utc_offset_seconds == 10 * 3600 + 1800);
    CHECK(lh->at(utc(2026, 10, 3, 15, 30)).abbreviation == "+11");

    // Jn never counts Feb 29: J60 is March 1 in a leap year too.
    auto julian = time_zone::from_posix_tz("j", "AAA0BBB,J60/0,J300/0");
    CHECK_FALSE(julian->at(utc(2024, 2, 29, 23, 59, 59)).is_dst);
    CHECK(julian->at(utc(2024, 3, 1)).is_dst);
    // n counts from 0 and does count Feb 29: day 59 is Feb 29 in 2024, March 1 in 2023.
    auto zero = time_zone::from_posix_tz("n", "AAA0BBB,59/0,300/0");
    CHECK(zero->at(utc(2024, 2, 29)).is_dst);
    CHECK_FALSE(zero->at(utc(2023, 2, 28, 23, 59, 59)).is_dst);
    CHECK(zero->at(utc(2023, 3, 1)).is_dst);
    CHECK(zero->at(utc(2023, 3, 1)).utc_offset_seconds == 3600);  // DST defaults to one hour ahead

    // v3 times: negative and beyond 24 hours.
    auto v3 = time_zone::from_posix_tz("v3", "AAA0BBB,M3.2.0/-1,M11.1.0/26");
    CHECK_FALSE(v3->at(utc(2026, 3, 7, 22, 59, 59)).is_dst);
    CHECK(v3->at(utc(2026, 3, 7, 23)).is_dst);          // Mar 8 minus one hour
    CHECK(v3->at(utc(2026, 11, 2, 0, 59, 59)).is_dst);  // Nov 1 + 26h local = 01:00Z
    CHECK_FALSE(v3->at(utc(2026, 11, 2, 1)).is_dst);
    // DST all year (RFC 8536's example).
    auto always = time_zone::from_posix_tz("always", "EST5EDT4,0/0,J365/25");
    for (auto t : {utc(2026, 1, 1), utc(2026, 1, 1, 4, 59, 59), utc(2026, 7, 1), utc(2026, 12, 31, 23, 59, 59)}) {
        CHECK(always->at(t).utc_offset_seconds == -4 * 3600);
        CHECK(always->at(t).is_dst);
    }
    // DST with no rule gets the US rules, like tzcode.
    CHECK(time_zone::from_posix_tz("d", "EST5EDT")->at(utc(2026, 7, 1)).abbreviation == "EDT");

    for (const char* bad : {"", "EST", "ES5", "5EDT", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0", "EST5EDT,J0,J365",
                            "EST5EDT,M3.2.0,M11.1.0x", "<+05", "EST5EDT,M3.2.0/168,M11.1.0"}) {
        INFO(bad);
        auto message = error_of([&] { time_zone::from_posix_tz("bad", bad); });
        CHECK_THAT(message, Catch::Contains("bad POSIX TZ string \"" + std::string(bad) + "\""));
        CHECK_THAT(message, Catch::Contains("at character"));
    }
}

TEST_CASE("time zone: UTC needs no file, zones are cached and shared", "[core][tz]") {
    temp_dir empty;
    {
        scoped_env dir("TZDIR", empty.path().string());
        for (const char* name : {"UTC", "Etc/UTC"}) {
            auto z = zone(name);
            CHECK(z->name() == name);
            CHECK(z->at(utc(2026, 7, 1)).utc_offset_seconds == 0);
            CHECK(z->at(utc(2026, 7, 1)).abbreviation == "UTC");
        }
        CHECK_THAT(error_of([] { zone("America/New_York"); }), Catch::Contains(empty.path().string()));
    }
    auto a = zone("Europe/London");
    CHECK(a == zone("Europe/London"));

    std::vector<std::shared_ptr<const time_zone>> seen(8);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < seen.size(); ++i)
        threads.emplace_back([&seen, i] { seen[i] = time_zone::find("Asia/Tokyo"); });
    for (auto& t : threads) t.join();
    for (const auto& z : seen) CHECK(z == seen.front());
}

TEST_CASE("time zone: names are checked before the file system is touched", "[core][tz]") {
    struct bad_name {
        std::string name, why;
    };
    for (const auto& [name, why] : std::vector<bad_name>{
             {"../etc/passwd", "\"..\" path components are not allowed"},
             {"America/../../etc/passwd", "\"..\" path components are not allowed"},
             {"./UTC", "\"..\" path components are not allowed"},
             {"/etc/passwd", "must not start with '/'"},
             {"", "it is empty"},
             {"America//New_York", "empty path component"},
             {"America/", "empty path component"},
             {"America/New York", "character ' ' is not allowed"},
             {"Europe/London.bak", "character '.' is not allowed"},
             {"Zone\\x", "character '\\' is not allowed"},
             {std::string(65, 'A'), "longer than 64 characters"},
         }) {
        INFO(name);
        auto message = error_of([&] { zone(name); });
        CHECK_THAT(message, Catch::StartsWith("invalid time zone name \"" + name.substr(0, 80) + "\""));
        CHECK_THAT(message, Catch::Contains(why));
    }
    auto unknown = error_of([] { zone("Nope/Zone"); });
    CHECK_THAT(unknown, Catch::StartsWith("time zone \"Nope/Zone\": unknown zone (no file "));
    CHECK_THAT(unknown, Catch::EndsWith("/Nope/Zone)"));
    CHECK_THAT(error_of([] { zone("America"); }), Catch::Contains("is a directory"));
    CHECK(zone("Etc/GMT+5")->at(utc(2026, 1, 1)).utc_offset_seconds == -5 * 3600);  // '+' is allowed
}

TEST_CASE("time zone: TZif files we write ourselves", "[core][tz]") {
    temp_dir dir;
    // v2 and v3 use the 64-bit block and the footer; v1 only the 32-bit block.
    for (char version : {'2', '3'}) {
        auto path = dir.write("Test/Zone", tzif(version, {0, t2020}, {0, 1}, test_types, "CCC-3"));
        auto z = time_zone::load_file("Test/Zone", path.string());
        CHECK(z->name() == "Test/Zone");
        CHECK(z->at(utc(1960, 1, 1)).abbreviation == "AAA");  // before the first transition: type 0
        CHECK(z->at(utc(2019, 12, 31, 23, 59, 59)).utc_offset_seconds == 3600);
        CHECK(z->at(utc(2019, 12, 31, 23, 59, 59)).abbreviation == "AAA");
        CHECK(z->at(utc(2020, 1, 1)).abbreviation == "CCC");  // on the last transition: the footer
        CHECK(z->at(utc(2020, 1, 1)).utc_offset_seconds == 3 * 3600);
    }
    {
        auto path = dir.write("v2-empty-footer", tzif('2', {0, t2020}, {0, 1}, test_types, ""));
        auto z = time_zone::load_file("x", path.string());
        CHECK(z->at(utc(2030, 1, 1)).abbreviation == "BBB");  // no footer: the last type stays
        CHECK(z->at(utc(2030, 1, 1)).is_dst);
    }
    {
        auto path = dir.write("v1", tzif('\0', {0, t2020}, {0, 1}, test_types, ""));
        auto z = time_zone::load_file("v1", path.string());
        CHECK(z->at(utc(1971, 1, 1)).abbreviation == "AAA");
        CHECK(z->at(utc(2021, 1, 1)).utc_offset_seconds == 7200);
    }
    {
        auto path = dir.write("none", tzif('2', {}, {}, {{-7200, false, "XXX"}}, "YYY4"));
        CHECK(time_zone::load_file("none", path.string())->at(utc(2026, 1, 1)).abbreviation == "YYY");
        path = dir.write("none-no-footer", tzif('2', {}, {}, {{-7200, false, "XXX"}}, ""));
        CHECK(time_zone::load_file("none", path.string())->at(utc(2026, 1, 1)).abbreviation == "XXX");
    }

    // Through find() with TZDIR pointing here.
    scoped_env tzdir("TZDIR", dir.path().string());
    CHECK(time_zone::find("Test/Zone")->at(utc(2026, 1, 1)).abbreviation == "CCC");
}

TEST_CASE("time zone: broken files give errors naming the zone, the path and the fault", "[core][tz]") {
    temp_dir dir;
    const std::string good = tzif('2', {0, t2020}, {0, 1}, test_types, "CCC-3");
    auto load_error = [&](const std::string& file, const std::string& content) {
        auto path = dir.write(file, content).string();
        auto message = error_of([&] { time_zone::load_file("Test/" + file, path); });
        CHECK_THAT(message, Catch::StartsWith("time zone \"Test/" + file + "\": " + path + ": "));
        return message;
    };

    CHECK_THAT(load_error("text", "hello, this is not a zone file\n"), Catch::Contains("not a TZif file"));
    CHECK_THAT(load_error("empty", ""), Catch::Contains("not a TZif file"));
    // Every cut of a good file is an error: the header, each block, the footer.
    for (std::size_t size = 4; size < good.size(); ++size) {
        INFO("cut at " << size << " of " << good.size());
        CHECK_THAT(load_error("cut", good.substr(0, size)), Catch::Contains("truncated"));
    }
    CHECK_THAT(load_error("cut-header", good.substr(0, 30)), Catch::Contains("ends inside the header"));
    CHECK_THAT(load_error("cut-footer", good.substr(0, good.size() - 1)),
               Catch::Contains("TZ footer has no closing newline"));

    auto version = good;
    version[4] = '9';
    CHECK_THAT(load_error("version", version), Catch::Contains("unsupported TZif version '9'"));
    CHECK_THAT(load_error("bad-index", tzif('2', {0, t2020}, {0, 2}, test_types, "")),
               Catch::Contains("transition 1 uses time type 2 of 2"));
    CHECK_THAT(load_error("order", tzif('2', {t2020, 0}, {0, 1}, test_types, "")),
               Catch::Contains("not ascending"));
    CHECK_THAT(load_error("no-types", tzif('2', {}, {}, {}, "")), Catch::Contains("no local time types"));
    CHECK_THAT(load_error("footer", tzif('2', {0}, {0}, test_types, "EST5EDT,M3")),
               Catch::Contains("bad TZ footer \"EST5EDT,M3\""));
    CHECK_THAT(load_error("too-big", good + std::string(1 << 20, '\0')), Catch::Contains("too large"));
}
