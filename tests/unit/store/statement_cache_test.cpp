// unit_of_work prepares its statements once per pooled session and re-runs them:
// the values bound on the hundredth run must be the hundredth call's, NULLs must
// come and go, a statement that failed inside a savepoint must run again after
// rollback_to, and a PostgreSQL reconnect must not reuse the dead session's statements.
#include "store_scenario.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>

#include <filesystem>

using namespace switchboard;
using namespace std::chrono;

namespace {

using store_test::make_call;
using store_test::make_entry;

const auto t0 = sys_days{2025y / May / 2} + hours{10};

// Call i's values: every other one leaves the optional columns NULL.
void vary(sdk::call& c, int i) {
    c.status = i % 3 == 0 ? sdk::call_status::completed : sdk::call_status::in_progress;
    c.phase = i % 2 ? sdk::call_phase::intake : sdk::call_phase::greeting;
    c.ended_reason = "reason " + std::to_string(i);
    c.from_number = "+1555000" + std::to_string(1000 + i);
    c.metadata = {{"i", i}};
    if (i % 2) {
        c.started_at = t0 + seconds{i};
        c.cost = 0.5 * i;
        c.duration_seconds = 1.0 * i;
        c.cost_breakdown = boost::json::object{{"llm", i}};
    } else {
        c.started_at.reset();
        c.cost.reset();
        c.duration_seconds.reset();
        c.cost_breakdown = nullptr;
    }
}

void check_same(const sdk::call& got, const sdk::call& want) {
    CHECK(got.id == want.id);
    CHECK(got.org == want.org);
    CHECK(got.provider_call_id == want.provider_call_id);
    CHECK(got.status == want.status);
    CHECK(got.phase == want.phase);
    CHECK(got.ended_reason == want.ended_reason);
    CHECK(got.from_number == want.from_number);
    CHECK(got.metadata == want.metadata);
    CHECK(got.started_at == want.started_at);
    CHECK(got.cost == want.cost);
    CHECK(got.duration_seconds == want.duration_seconds);
    CHECK(got.cost_breakdown == want.cost_breakdown);
    CHECK(floor<milliseconds>(got.created_at) == floor<milliseconds>(want.created_at));  // stored to the ms
}

// 60 webhooks over 20 calls in batches of 8, one session (pool of 1), so every
// statement is re-run dozens of times; each call is read back the store's own way.
void many_reuses(const std::string& url) {
    store::store s(url, 1);
    s.migrate();
    const int webhooks = 60, calls = 20;
    std::vector<std::string> call_ids(calls);
    std::vector<std::string> inbox_ids;
    int done = 0;
    while (done < webhooks) {
        auto w = s.begin_write();
        for (int k = 0; k < 8 && done < webhooks; ++k, ++done) {
            int i = done;
            w->savepoint("job");
            auto e = make_entry("mr-" + std::to_string(i));
            e.provider_call_id = "pc-" + std::to_string(i % calls);
            REQUIRE(w->inbox_insert(e));
            auto dup = make_entry("mr-" + std::to_string(i));
            CHECK_FALSE(w->inbox_insert(dup));  // the same cached INSERT says "duplicate"
            inbox_ids.push_back(e.id);
            auto c = w->find_call("vapi", e.provider_call_id);
            if (!c) {
                sdk::call fresh = make_call(e.provider_call_id);
                w->insert_call(fresh);
                call_ids[i % calls] = fresh.id;
                c = fresh;
            }
            CHECK(c->id == call_ids[i % calls]);
            CHECK(w->has_report_transcript(c->id) == (i >= 2 * calls));
            vary(*c, i);
            w->update_call(*c);
            auto again = w->find_call("vapi", e.provider_call_id);  // reads what this run wrote
            REQUIRE(again);
            check_same(*again, *c);
            w->add_status_step(c->id, {c->status, "s" + std::to_string(i), i % 2 ? std::optional(t0) : std::nullopt,
                                       {}});
            if (i >= calls && i < 2 * calls) {
                w->replace_transcript(c->id, {{sdk::speaker_role::assistant, "report " + std::to_string(i)},
                                              {sdk::speaker_role::customer, "second"}});
            } else {
                w->append_transcript(c->id, {{sdk::speaker_role::customer, "live " + std::to_string(i)}});
            }
            e.status = i % 2 ? "applied" : "pending";
            e.call_id = c->id;
            e.last_error = i % 2 ? "" : "retry " + std::to_string(i);
            e.next_attempt_at = i % 2 ? std::nullopt : std::optional(t0 + minutes{i});
            w->inbox_update(e);
            w->release("job");
        }
        w->commit();
    }
    for (int j = 0; j < calls; ++j) {
        INFO("call " << j);
        auto row = s.get_call(call_ids[j]);
        REQUIRE(row);
        int last = j + 2 * calls;  // its last webhook
        sdk::call want = row->call;
        vary(want, last);
        check_same(row->call, want);
        auto h = s.status_history(call_ids[j]);
        REQUIRE(h.size() == 3);
        for (int n = 0; n < 3; ++n) {
            CHECK(h[n].provider_status == "s" + std::to_string(j + n * calls));
            CHECK(h[n].at.has_value() == ((j + n * calls) % 2 == 1));
        }
        auto t = s.transcript(call_ids[j]);
        REQUIRE(t.size() == 3);  // the report (2), then one live segment numbered after it
        CHECK(t[0].segment.text == "report " + std::to_string(j + calls));
        CHECK(t[0].source == "report");
        CHECK(t[1].seq == 2);
        CHECK(t[2].seq == 3);
        CHECK(t[2].source == "live");
        CHECK(t[2].segment.text == "live " + std::to_string(last));
    }
    for (int i = 0; i < webhooks; ++i) {
        auto got = s.inbox_get(inbox_ids[i]);
        REQUIRE(got);
        CHECK(got->status == (i % 2 ? "applied" : "pending"));
        CHECK(got->attempts == 1);
        CHECK(got->last_error == (i % 2 ? "" : "retry " + std::to_string(i)));
        CHECK(got->next_attempt_at == (i % 2 ? std::nullopt : std::optional(t0 + minutes{i})));
        CHECK(got->idempotency_key == "mr-" + std::to_string(i));
    }
}
STORE_SCENARIO("cached unit_of_work statements give the same rows across many reuses", many_reuses)

// Each cached statement fails inside a savepoint (a real SQL error: PostgreSQL
// aborts the transaction), the savepoint is rolled back, and the same statement
// runs again, in the same transaction and in the next one.
void reuse_after_rollback(const std::string& url) {
    store::store s(url, 1);
    s.migrate();
    sdk::call a = make_call("rr-1");
    auto e = make_entry("rr");
    {
        auto w = s.begin_write();
        w->insert_call(a);
        REQUIRE(w->inbox_insert(e));
        for (int round = 0; round < 3; ++round) {
            INFO("round " << round);
            w->savepoint("job");
            sdk::call clash = make_call("rr-clash-" + std::to_string(round));
            clash.id = a.id;  // primary key violation
            CHECK_THROWS_AS(w->insert_call(clash), store::store_error);
            w->rollback_to("job");

            CHECK_THROWS_AS(w->add_status_step("no-such-call", {}), store::store_error);  // foreign key
            w->rollback_to("job");

            CHECK_THROWS_AS(w->append_transcript("no-such-call", {{sdk::speaker_role::customer, "x"}}),
                            store::store_error);
            w->rollback_to("job");

            auto bad = make_entry("rr-bad-" + std::to_string(round));
            bad.id = e.id;  // primary key violation on the inbox
            CHECK_THROWS_AS(w->inbox_insert(bad), store::store_error);
            w->rollback_to("job");

            // The same statements, working again.
            sdk::call ok = make_call("rr-ok-" + std::to_string(round));
            w->insert_call(ok);
            auto found = w->find_call("vapi", ok.provider_call_id);
            REQUIRE(found);
            CHECK(found->id == ok.id);
            w->add_status_step(ok.id, {sdk::call_status::ringing, "r" + std::to_string(round), std::nullopt, {}});
            w->append_transcript(ok.id, {{sdk::speaker_role::customer, "ok " + std::to_string(round)}});
            auto good = make_entry("rr-good-" + std::to_string(round));
            CHECK(w->inbox_insert(good));
            w->release("job");
        }
        w->commit();
    }
    // The next unit of work draws the same session and its statements.
    {
        auto w = s.begin_write();
        w->savepoint("job");
        sdk::call clash = make_call("rr-late");
        clash.id = a.id;
        CHECK_THROWS_AS(w->insert_call(clash), store::store_error);
        w->rollback_to("job");
        w->release("job");
        sdk::call late = make_call("rr-late");
        w->insert_call(late);
        w->commit();
    }
    for (int round = 0; round < 3; ++round) {
        auto row = s.find_call("vapi", "rr-ok-" + std::to_string(round));
        REQUIRE(row);
        auto h = s.status_history(row->call.id);
        REQUIRE(h.size() == 1);
        CHECK(h[0].provider_status == "r" + std::to_string(round));
        REQUIRE(s.transcript(row->call.id).size() == 1);
        CHECK(s.inbox_find("vapi", "rr-good-" + std::to_string(round)));
        CHECK_FALSE(s.inbox_find("vapi", "rr-bad-" + std::to_string(round)));
        CHECK_FALSE(s.find_call("vapi", "rr-clash-" + std::to_string(round)));
    }
    CHECK(s.find_call("vapi", "rr-late"));
}
STORE_SCENARIO("a cached statement that failed in a savepoint runs again after rollback_to", reuse_after_rollback)

// unit_of_work.find_call skips the analytics join; the call itself must be complete.
void find_call_complete(const std::string& url) {
    store::store s(url, 2);  // get_call below runs while the unit of work holds a session
    s.migrate();
    sdk::call c = make_call("fc-1");
    vary(c, 7);
    c.to_number = "+15550009999";
    c.direction = sdk::call_direction::outbound;
    c.recording_url = "https://r/1";
    c.stereo_recording_url = "https://r/2";
    c.summary = "summary";
    c.analysis = {{"a", 1}};
    c.assistant = "asst";
    c.external_record_id = "crm-1";
    c.ended_at = t0 + minutes{3};
    auto id = s.insert_call(c);
    s.put_analytics(id, {"positive", "sales", "resolved", 0.9, "s", {}, {}});
    auto w = s.begin_write();
    auto got = w->find_call("vapi", "fc-1");
    REQUIRE(got);
    auto want = s.get_call(id);
    REQUIRE(want);
    REQUIRE(want->analytics);
    auto const& g = *got;
    auto const& r = want->call;
    check_same(g, r);
    CHECK(g.provider == r.provider);
    CHECK(g.direction == sdk::call_direction::outbound);
    CHECK(g.to_number == r.to_number);
    CHECK(g.ended_at == r.ended_at);
    CHECK(g.recording_url == r.recording_url);
    CHECK(g.stereo_recording_url == r.stereo_recording_url);
    CHECK(g.summary == r.summary);
    CHECK(g.analysis == r.analysis);
    CHECK(g.assistant == r.assistant);
    CHECK(g.external_record_id == "crm-1");
    CHECK(g.updated_at == r.updated_at);
    CHECK_FALSE(w->find_call("vapi", "fc-2"));
    CHECK_FALSE(w->find_call("openai_realtime", "fc-1"));
    w->commit();
}
STORE_SCENARIO("unit_of_work find_call returns the whole call", find_call_complete)

}  // namespace

// A store whose statements are cached closes its SQLite connections cleanly: the
// last connection to close checkpoints and removes the WAL file, which it cannot do
// while a prepared statement is left open on it.
TEST_CASE("store: closing a store finalises its cached statements (sqlite)", "[store][sqlite]") {
    testing::temp_dir dir;
    auto url = store_test::sqlite_url(dir);
    auto file = dir.path() / "data dir" / "switchboard.db";
    {
        store::store s(url, 2);
        s.migrate();
        auto w = s.begin_write();
        w->savepoint("job");
        sdk::call c = make_call("cl-1");
        w->insert_call(c);
        CHECK(w->find_call("vapi", "cl-1"));
        w->release("job");
        w->commit();
        CHECK(std::filesystem::exists(file.string() + "-wal"));
    }
    CHECK_FALSE(std::filesystem::exists(file.string() + "-wal"));
    store::store again(url, 1);
    CHECK(again.find_call("vapi", "cl-1"));
}

// The server drops the store's only connection; the next lease reconnects, and the
// statements prepared on the old connection must not be reused (their names do not
// exist on the new one, and their backend object is gone).
TEST_CASE("store: cached statements are prepared again after a PostgreSQL reconnect", "[store][pg]") {
    auto url = testing::fresh_pg_database();
    store::store s(url, 1);
    s.migrate();
    auto write_one = [&](const std::string& pcid) {
        auto w = s.begin_write();
        w->savepoint("job");
        auto e = make_entry(pcid);
        REQUIRE(w->inbox_insert(e));
        CHECK_FALSE(w->find_call("vapi", pcid));
        sdk::call c = make_call(pcid);
        w->insert_call(c);
        auto found = w->find_call("vapi", pcid);
        REQUIRE(found);
        found->status = sdk::call_status::in_progress;
        w->update_call(*found);
        w->add_status_step(c.id, {sdk::call_status::in_progress, pcid, std::nullopt, {}});
        CHECK_FALSE(w->has_report_transcript(c.id));
        e.status = "applied";
        w->inbox_update(e);
        w->release("job");
        w->commit();
        return c.id;
    };
    auto first = write_one("rc-1");

    soci::session admin(soci::postgresql, store::parse_database_url(url).connect);
    int killed = 0;
    admin << "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
             "WHERE datname = current_database() AND pid <> pg_backend_pid()",
        soci::into(killed);
    REQUIRE(killed == 1);

    auto second = write_one("rc-2");
    auto third = write_one("rc-3");  // and the re-prepared statements are reused
    for (auto const& id : {first, second, third}) {
        auto row = s.get_call(id);
        REQUIRE(row);
        CHECK(row->call.status == sdk::call_status::in_progress);
        CHECK(s.status_history(id).size() == 1);
    }
}
