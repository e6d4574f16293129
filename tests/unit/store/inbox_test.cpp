#include "store_scenario.hpp"

#include <set>

using namespace switchboard;

namespace {

store::inbox_entry entry(const std::string& key, const std::string& body) {
    store::inbox_entry e;
    e.org = "acme";
    e.provider = "vapi";
    e.idempotency_key = key;
    e.event_type = "status-update";
    e.provider_call_id = "pc-1";
    e.body = body;
    return e;
}

void inbox(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    CHECK(s.inbox_pending(10).empty());

    auto a = entry("k1", R"({"n":1})");
    CHECK(s.inbox_append(a));
    CHECK_FALSE(a.id.empty());
    CHECK(a.received_at > sdk::time_point{});

    auto dup = entry("k1", R"({"n":"again"})");
    CHECK_FALSE(s.inbox_append(dup));  // redelivery: nothing written, no throw
    auto same_key_other_provider = entry("k1", "{}");
    same_key_other_provider.provider = "livekit_sip";
    CHECK(s.inbox_append(same_key_other_provider));
    auto b = entry("k2", R"({"n":2})");
    CHECK(s.inbox_append(b));

    auto pending = s.inbox_pending(10);
    REQUIRE(pending.size() == 3);
    std::set<std::string> keys;
    for (auto const& p : pending) keys.insert(p.provider + "/" + p.idempotency_key);
    CHECK(keys == std::set<std::string>{"vapi/k1", "vapi/k2", "livekit_sip/k1"});
    // The first body is the one kept.
    for (auto const& p : pending)
        if (p.id == a.id) {
            CHECK(p.body == R"({"n":1})");
            CHECK(p.event_type == "status-update");
            CHECK(p.provider_call_id == "pc-1");
            CHECK(p.org == "acme");
            CHECK(p.status == "pending");
            CHECK(p.attempts == 0);
            CHECK(p.received_at == std::chrono::floor<std::chrono::milliseconds>(a.received_at));
        }
    CHECK(s.inbox_pending(2).size() == 2);
    CHECK(pending.front().received_at <= pending.back().received_at);  // oldest first

    s.inbox_mark(a.id, "applied");
    s.inbox_mark(b.id, "failed", "no such call");
    pending = s.inbox_pending(10);
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].id == same_key_other_provider.id);

    s.inbox_mark(b.id, "pending", "retrying");  // back in the queue, attempts counted
    pending = s.inbox_pending(10);
    REQUIRE(pending.size() == 2);
    for (auto const& p : pending)
        if (p.id == b.id) {
            CHECK(p.attempts == 2);
            CHECK(p.last_error == "retrying");
        }
    CHECK_THROWS_AS(s.inbox_mark(a.id, "done"), store::store_error);
    // A duplicate of an applied entry is still a duplicate.
    auto late = entry("k1", "{}");
    CHECK_FALSE(s.inbox_append(late));
}
STORE_SCENARIO("webhook inbox deduplicates and tracks status", inbox)

}  // namespace
