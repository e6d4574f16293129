#include "host/calls/recent_answers.hpp"

#include <catch2/catch.hpp>

using switchboard::calls::recent_answers;

TEST_CASE("recent answers: the first answer stays, per provider, oldest evicted", "[calls]") {
    recent_answers cache(3);
    CHECK_FALSE(cache.find("vapi", "tool-calls:a"));
    cache.remember("vapi", "tool-calls:a", R"({"results":[1]})");
    cache.remember("vapi", "tool-calls:a", R"({"results":["second"]})");  // a redelivery answered twice
    CHECK(cache.find("vapi", "tool-calls:a") == std::optional<std::string>(R"({"results":[1]})"));
    CHECK_FALSE(cache.find("livekit_sip", "tool-calls:a"));  // keys are per provider

    cache.remember("vapi", "b", "B");
    cache.remember("vapi", "c", "C");
    CHECK(cache.size() == 3);
    cache.remember("vapi", "d", "D");
    CHECK(cache.size() == 3);
    CHECK_FALSE(cache.find("vapi", "tool-calls:a"));  // the oldest went
    CHECK(cache.find("vapi", "d") == std::optional<std::string>("D"));
    CHECK(cache.find("vapi", "b") == std::optional<std::string>("B"));
}
