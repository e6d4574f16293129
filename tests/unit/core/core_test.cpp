#include "host/core/crypto.hpp"
#include "host/core/ids.hpp"
#include "host/core/redact.hpp"
#include "host/core/request_context.hpp"
#include "host/core/time.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <set>

using namespace switchboard::core;
using namespace std::chrono;

TEST_CASE("ids are UUIDv7 strings that sort by creation", "[core]") {
    std::regex uuid7("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    std::set<std::string> seen;
    std::string previous;
    for (int i = 0; i < 10000; ++i) {
        auto id = new_id();
        REQUIRE(std::regex_match(id, uuid7));
        REQUIRE(id > previous);  // monotonic even within one millisecond
        previous = id;
        seen.insert(id);
    }
    CHECK(seen.size() == 10000);
}

TEST_CASE("ISO-8601: fixed-width UTC output that round-trips", "[core]") {
    auto t = sys_days{year{2025} / 1 / 15} + hours{10} + minutes{30} + seconds{5} + milliseconds{42};
    CHECK(to_iso8601(system_clock::time_point(t)) == "2025-01-15T10:30:05.042Z");
    CHECK(parse_iso8601("2025-01-15T10:30:05.042Z") == system_clock::time_point(t));
    CHECK(parse_iso8601("2025-01-15T12:30:05.042+02:00") == system_clock::time_point(t));
    CHECK(parse_iso8601("2025-01-15 10:30:05.042") == system_clock::time_point(t));
    CHECK(parse_iso8601("2025-01-15T10:30:05.042123Z") == system_clock::time_point(t));
    CHECK(parse_iso8601("2025-01-15") == system_clock::time_point(sys_days{year{2025} / 1 / 15}));
    CHECK(parse_iso8601("2025-01-15T10:30Z") == system_clock::time_point(t - seconds{5} - milliseconds{42}));
    for (auto bad : {"", "yesterday", "2025-13-01", "2025-02-30", "2025-01-15T25:00:00Z", "2025-01-15T10:30:00Zjunk",
                     "2025-1-5"}) {
        INFO(bad);
        CHECK_FALSE(parse_iso8601(bad).has_value());
    }
    // Same width, so string order is time order.
    CHECK(to_iso8601(system_clock::time_point(sys_days{year{1999} / 12 / 31})) <
          to_iso8601(system_clock::time_point(sys_days{year{2000} / 1 / 1})));
}

TEST_CASE("crypto: SHA-256 and HMAC-SHA256 known answers, constant-time compare", "[core]") {
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    // RFC 4231 test case 2.
    CHECK(hmac_sha256_hex("Jefe", "what do ya want for nothing?") ==
          "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(constant_time_equal("secret", "secret"));
    CHECK_FALSE(constant_time_equal("secret", "secreT"));
    CHECK_FALSE(constant_time_equal("secret", "secret2"));
    CHECK(constant_time_equal("", ""));
}

TEST_CASE("redact: phone numbers keep country prefix and last four", "[core]") {
    CHECK(mask_phone("+15551234567") == "+1******4567");
    CHECK(mask_phone("5551234567") == "******4567");
    CHECK(mask_phone("") == "");
    CHECK(mask_phone("+15551234567").find("555123") == std::string::npos);
    CHECK(mask_secret("hunter2") == "***");
}

TEST_CASE("request scope sets and restores the thread's request id", "[core]") {
    CHECK(current_request_id().empty());
    {
        request_scope outer("a");
        CHECK(current_request_id() == "a");
        {
            request_scope inner("b");
            CHECK(current_request_id() == "b");
        }
        CHECK(current_request_id() == "a");
    }
    CHECK(current_request_id().empty());
}
