#include "host/app/rate_limiter.hpp"

#include <catch2/catch.hpp>

using switchboard::app::rate_limiter;
using namespace std::chrono_literals;

TEST_CASE("rate limiter: a full bucket allows `limit` requests, then refuses", "[app]") {
    rate_limiter limiter(3);
    auto t = std::chrono::steady_clock::time_point{} + 1h;
    auto wall = std::chrono::system_clock::time_point{} + 1000s;
    auto a = limiter.check("k", t, wall);
    CHECK(a.allowed);
    CHECK(a.limit == 3);
    CHECK(a.remaining == 2);
    CHECK(limiter.check("k", t, wall).remaining == 1);
    CHECK(limiter.check("k", t, wall).remaining == 0);
    auto refused = limiter.check("k", t, wall);
    CHECK_FALSE(refused.allowed);
    CHECK(refused.retry_after_seconds == 20);  // one token per 20 s at 3/min
    CHECK(refused.reset_epoch_seconds == 1000 + 60);
    // Another key has its own budget.
    CHECK(limiter.check("other", t, wall).allowed);
}

TEST_CASE("rate limiter: tokens come back with time", "[app]") {
    rate_limiter limiter(60);  // one per second
    auto t = std::chrono::steady_clock::time_point{} + 1h;
    auto wall = std::chrono::system_clock::time_point{};
    for (int i = 0; i < 60; ++i) REQUIRE(limiter.check("k", t, wall).allowed);
    CHECK_FALSE(limiter.check("k", t, wall).allowed);
    CHECK_FALSE(limiter.check("k", t + 500ms, wall).allowed);
    CHECK(limiter.check("k", t + 1500ms, wall).allowed);
}

TEST_CASE("rate limiter: zero disables it", "[app]") {
    rate_limiter limiter(0);
    CHECK_FALSE(limiter.enabled());
}
