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

namespace {

using namespace std::chrono;

store::inbox_entry queued(const std::string& key, const std::string& org, sdk::time_point received) {
    auto e = entry(key, "{}");
    e.org = org;
    e.received_at = received;
    return e;
}

void retry_queue(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto t = [](int minute) { return sdk::time_point{sys_days{2025y / April / 1} + hours{10} + minutes{minute}}; };
    auto now = t(30);
    auto fresh = queued("fresh", "acme", t(3));          // pending, never tried: due
    auto retry_past = queued("past", "acme", t(1));      // pending, retry time passed: due
    retry_past.next_attempt_at = t(29);
    auto retry_now = queued("now", "globex", t(2));      // retry time is now: due
    retry_now.next_attempt_at = now;
    auto retry_later = queued("later", "acme", t(0));    // not yet
    retry_later.next_attempt_at = t(31);
    auto done = queued("done", "acme", t(4));            // applied: never due
    done.status = "applied";
    auto failed_a = queued("fa", "acme", t(5));
    failed_a.status = "failed";
    failed_a.last_error = "bad payload";
    auto failed_b = queued("fb", "globex", t(6));
    failed_b.status = "failed";
    auto failed_c = queued("fc", "acme", t(7));
    failed_c.status = "failed";
    for (auto* e : {&fresh, &retry_past, &retry_now, &retry_later, &done, &failed_a, &failed_b, &failed_c})
        REQUIRE(s.inbox_append(*e));

    auto due = s.inbox_due(now, 10);
    REQUIRE(due.size() == 3);
    CHECK(due[0].id == retry_past.id);  // oldest first
    CHECK(due[1].id == retry_now.id);
    CHECK(due[2].id == fresh.id);
    CHECK(due[0].next_attempt_at == t(29));
    CHECK_FALSE(due[2].next_attempt_at);
    CHECK(s.inbox_due(now, 1).size() == 1);
    CHECK(s.inbox_due(t(31), 10).size() == 4);  // later's time has come
    CHECK(s.inbox_due(t(0), 10).size() == 1);   // only the never-tried one

    auto failed = s.inbox_list("failed", "", 10);
    REQUIRE(failed.size() == 3);
    CHECK(failed[0].id == failed_c.id);  // newest first
    CHECK(failed[1].id == failed_b.id);
    CHECK(failed[2].id == failed_a.id);
    CHECK(failed[2].last_error == "bad payload");
    auto acme_failed = s.inbox_list("failed", "acme", 10);
    REQUIRE(acme_failed.size() == 2);
    CHECK(acme_failed[0].id == failed_c.id);
    CHECK(s.inbox_list("failed", "acme", 1).size() == 1);
    CHECK(s.inbox_list("pending", "globex", 10).size() == 1);
    CHECK(s.inbox_list("", "", 100).size() == 8);  // empty status: every row
    CHECK(s.inbox_list("failed", "initech", 10).empty());

    auto got = s.inbox_get(retry_later.id);
    REQUIRE(got);
    CHECK(got->idempotency_key == "later");
    CHECK(got->next_attempt_at == t(31));
    CHECK(got->received_at == t(0));
    CHECK_FALSE(s.inbox_get("no-such-id"));
}
STORE_SCENARIO("inbox due, list and get", retry_queue)

void pipeline_fields(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto e = entry("pf", R"({"message":{}})");
    e.events_json = R"([{"type":"transcript_added"}])";
    e.response = R"({"ok":true})";
    e.call_id = "call-1";
    REQUIRE(s.inbox_append(e));
    auto got = s.inbox_get(e.id);
    REQUIRE(got);
    CHECK(got->events_json == e.events_json);
    CHECK(got->response == e.response);
    CHECK(got->call_id == "call-1");
    auto pending = s.inbox_pending(10);
    REQUIRE(pending.size() == 1);
    CHECK(pending[0].events_json == e.events_json);
}
STORE_SCENARIO("inbox keeps events, response and call id", pipeline_fields)

}  // namespace
