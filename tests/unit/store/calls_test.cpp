#include "store_scenario.hpp"

#include <atomic>
#include <map>
#include <set>
#include <thread>

using namespace switchboard;
using namespace std::chrono;

namespace {

sdk::time_point at(int hour, int minute, int ms) {
    return sdk::time_point{sys_days{2025y / January / 15} + hours{hour} + minutes{minute} + milliseconds{ms}};
}

sdk::call full_call() {
    sdk::call c;
    c.org = "acme";
    c.provider = "vapi";
    c.provider_call_id = "vapi-call-1";
    c.direction = sdk::call_direction::outbound;
    c.from_number = "+15550001111";
    c.to_number = "+15550002222";
    c.status = sdk::call_status::completed;
    c.started_at = at(10, 30, 123);
    c.ended_at = at(10, 42, 7);
    c.duration_seconds = 713.884;
    c.ended_reason = "customer-ended-call";
    c.cost = 0.4217;
    c.recording_url = "https://rec.example/1.wav";
    c.assistant = "front-desk";
    c.metadata = {{"lead", "web"}, {"score", 7}, {"nested", {{"ok", true}}}};
    c.phase = sdk::call_phase::escalation;
    c.external_record_id = "crm-991";
    c.created_at = at(10, 29, 999);
    c.updated_at = at(10, 42, 8);
    return c;
}

void round_trip(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto c = full_call();
    auto id = s.insert_call(c);
    CHECK(id.size() == 36);  // a UUID was assigned

    auto got = s.get_call(id);
    REQUIRE(got);
    auto const& g = got->call;
    CHECK(g.id == id);
    CHECK(g.org == c.org);
    CHECK(g.provider == c.provider);
    CHECK(g.provider_call_id == c.provider_call_id);
    CHECK(g.direction == c.direction);
    CHECK(g.from_number == c.from_number);
    CHECK(g.to_number == c.to_number);
    CHECK(g.status == c.status);
    CHECK(g.started_at == c.started_at);  // to the millisecond
    CHECK(g.ended_at == c.ended_at);
    REQUIRE(g.duration_seconds);
    CHECK(*g.duration_seconds == Approx(713.884).epsilon(1e-12));
    CHECK(g.ended_reason == c.ended_reason);
    REQUIRE(g.cost);
    CHECK(*g.cost == Approx(0.4217).epsilon(1e-12));
    CHECK(g.recording_url == c.recording_url);
    CHECK(g.assistant == c.assistant);
    CHECK(g.metadata == c.metadata);
    CHECK(g.phase == c.phase);
    CHECK(g.external_record_id == c.external_record_id);
    CHECK(g.created_at == c.created_at);
    CHECK(g.updated_at == c.updated_at);
    CHECK_FALSE(got->analytics);

    // The optional fields left out come back absent, not as zero or epoch.
    sdk::call bare;
    bare.org = "acme";
    bare.provider = "vapi";
    bare.provider_call_id = "vapi-call-2";
    auto before = floor<milliseconds>(system_clock::now());
    auto bare_id = s.insert_call(bare);
    auto b = s.get_call(bare_id);
    REQUIRE(b);
    CHECK_FALSE(b->call.started_at);
    CHECK_FALSE(b->call.ended_at);
    CHECK_FALSE(b->call.duration_seconds);
    CHECK_FALSE(b->call.cost);
    CHECK(b->call.metadata.empty());
    CHECK(b->call.status == sdk::call_status::queued);
    CHECK(b->call.phase == sdk::call_phase::greeting);
    CHECK(b->call.created_at >= before);  // filled in on insert
    CHECK(b->call.updated_at == b->call.created_at);

    // An id chosen by the caller is kept.
    auto chosen = full_call();
    chosen.id = "0190f000-0000-7000-8000-000000000001";
    chosen.provider_call_id = "vapi-call-3";
    CHECK(s.insert_call(chosen) == chosen.id);
    CHECK(s.get_call(chosen.id));
    CHECK_FALSE(s.get_call("0190f000-0000-7000-8000-00000000dead"));
}
STORE_SCENARIO("insert and get a call round-trip every field", round_trip)

void duplicates(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    s.insert_call(full_call());
    try {
        s.insert_call(full_call());
        FAIL("duplicate provider_call_id was accepted");
    } catch (const store::store_error& e) {
        CHECK_THAT(e.what(), Catch::Contains("vapi-call-1"));
    }
    auto other_provider = full_call();
    other_provider.provider = "openai_realtime";  // same provider id, other provider: fine
    CHECK_NOTHROW(s.insert_call(other_provider));
    CHECK(s.list_calls({}).total == 2);
}
STORE_SCENARIO("duplicate provider call id is rejected", duplicates)

void org_scoping(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto id = s.insert_call(full_call());
    CHECK(s.get_call(id, "acme"));
    CHECK_FALSE(s.get_call(id, "globex"));
    CHECK(s.get_call(id));  // admin: any org
}
STORE_SCENARIO("get_call is scoped to the org", org_scoping)

void status_counts(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    CHECK(s.count_calls_by_status().empty());
    const sdk::call_status statuses[] = {sdk::call_status::completed, sdk::call_status::completed,
                                         sdk::call_status::in_progress, sdk::call_status::failed,
                                         sdk::call_status::completed};
    int n = 0;
    for (auto st : statuses) {
        auto c = full_call();
        c.provider_call_id = "p" + std::to_string(n++);
        c.status = st;
        s.insert_call(c);
    }
    std::map<sdk::call_status, std::int64_t> counts;
    for (auto [st, count] : s.count_calls_by_status()) counts[st] = count;
    CHECK(counts.size() == 3);
    CHECK(counts[sdk::call_status::completed] == 3);
    CHECK(counts[sdk::call_status::in_progress] == 1);
    CHECK(counts[sdk::call_status::failed] == 1);
}
STORE_SCENARIO("calls counted by status", status_counts)

void concurrent_writers(const std::string& url) {
    // Pool of 4, 4 threads inserting at once: every insert lands, none collide.
    store::store s(url, 4);
    s.migrate();
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 10; ++i) {
                auto c = full_call();
                c.provider_call_id = "t" + std::to_string(t) + "-" + std::to_string(i);
                try {
                    s.insert_call(c);
                } catch (...) {
                    ++failures;
                }
            }
        });
    for (auto& th : threads) th.join();
    CHECK(failures == 0);
    CHECK(s.list_calls({}).total == 40);
}
STORE_SCENARIO("concurrent inserts through the pool", concurrent_writers)

void analytics(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto id = s.insert_call(full_call());
    store::call_analytics a;
    a.sentiment = "negative";
    a.category = "billing";
    a.resolution = "escalated";
    a.sentiment_score = -0.75;
    a.summary = "Customer disputes a charge.";
    a.detail = {{"keywords", boost::json::array{"refund", "charge"}}};
    s.put_analytics(id, a);
    auto got = s.get_call(id);
    REQUIRE(got);
    REQUIRE(got->analytics);
    CHECK(got->analytics->sentiment == "negative");
    CHECK(got->analytics->category == "billing");
    CHECK(got->analytics->resolution == "escalated");
    REQUIRE(got->analytics->sentiment_score);
    CHECK(*got->analytics->sentiment_score == Approx(-0.75));
    CHECK(got->analytics->summary == a.summary);
    CHECK(got->analytics->detail == a.detail);
    CHECK(got->analytics->created_at > sdk::time_point{});

    store::call_analytics b;  // replaces: no score, other words
    b.sentiment = "positive";
    b.category = "support";
    s.put_analytics(id, b);
    got = s.get_call(id);
    REQUIRE(got->analytics);
    CHECK(got->analytics->sentiment == "positive");
    CHECK(got->analytics->category == "support");
    CHECK(got->analytics->resolution.empty());
    CHECK_FALSE(got->analytics->sentiment_score);
    CHECK(got->analytics->detail.empty());
}
STORE_SCENARIO("analytics put and replace", analytics)

}  // namespace
