#include "host/calls/event_bus.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <vector>

using switchboard::calls::event_bus;
using switchboard::calls::live_event;

TEST_CASE("event bus: subscribers get every event until they leave, one failing does not stop the rest",
          "[calls]") {
    event_bus bus;
    std::vector<std::string> a, b;
    auto first = bus.subscribe([&](const live_event& e) { a.push_back(e.kind); });
    bus.subscribe([](const live_event&) { throw std::runtime_error("subscriber bug"); });
    bus.subscribe([&](const live_event& e) { b.push_back(e.call_id); });
    bus.publish({"acme", "c1", "status", {{"status", "ringing"}}});
    bus.unsubscribe(first);
    bus.publish({"acme", "c2", "ended", {}});
    CHECK(a == std::vector<std::string>{"status"});
    CHECK(b == std::vector<std::string>{"c1", "c2"});
}
