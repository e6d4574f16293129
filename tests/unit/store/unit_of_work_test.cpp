// The call pipeline's write transaction: savepoints for group commit, rollback on
// destruction, transcripts replaced by the final report, status history.
#include "store_scenario.hpp"

#include <atomic>
#include <future>
#include <thread>

using namespace switchboard;
using namespace std::chrono;

namespace {

using store_test::make_call;
using store_test::make_entry;

sdk::transcript_segment say(sdk::speaker_role role, std::string text) {
    sdk::transcript_segment s;
    s.role = role;
    s.text = std::move(text);
    return s;
}

// One transaction, three webhooks, the middle one failing: the first and last
// commit together, nothing of the middle one remains. On PostgreSQL the failed
// statement aborts the transaction until ROLLBACK TO, which is what this checks.
void group_commit(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    sdk::call first = make_call("gc-1"), second = make_call("gc-2"), clash = make_call("gc-3");
    auto e1 = make_entry("k1"), e2 = make_entry("k2"), e3 = make_entry("k3");
    {
        auto w = s.begin_write();
        w->savepoint("w1");
        REQUIRE(w->inbox_insert(e1));
        w->insert_call(first);
        w->release("w1");

        w->savepoint("w2");
        REQUIRE(w->inbox_insert(e2));
        w->insert_call(second);
        clash.id = first.id;  // primary key violation: a real SQL error
        CHECK_THROWS_AS(w->insert_call(clash), store::store_error);
        w->rollback_to("w2");
        w->release("w2");
        CHECK_FALSE(w->inbox_find("vapi", "k2"));   // rolled back, visible at once
        CHECK_FALSE(w->find_call("vapi", "gc-2"));
        CHECK(w->find_call("vapi", "gc-1"));      // the earlier webhook is intact

        w->savepoint("w3");
        REQUIRE(w->inbox_insert(e3));
        w->add_status_step(first.id, {sdk::call_status::ringing, "ringing", std::nullopt, {}});
        w->append_transcript(first.id, {say(sdk::speaker_role::assistant, "Hello")});
        w->release("w3");
        w->commit();
    }
    CHECK(s.inbox_get(e1.id));
    CHECK_FALSE(s.inbox_get(e2.id));
    CHECK(s.inbox_get(e3.id));
    CHECK(s.get_call(first.id));
    CHECK_FALSE(s.get_call(second.id));
    CHECK_FALSE(s.find_call("vapi", "gc-3"));
    REQUIRE(s.status_history(first.id).size() == 1);
    REQUIRE(s.transcript(first.id).size() == 1);
    CHECK(s.transcript(first.id)[0].segment.text == "Hello");
    // The key of the rolled-back webhook is free again: its redelivery is new.
    auto again = make_entry("k2");
    CHECK(s.inbox_append(again));
}
STORE_SCENARIO("unit_of_work group commit: a failed savepoint rolls back alone", group_commit)

// A failure nobody rolled back to: PostgreSQL's transaction is dead, and commit
// must say so instead of COMMIT quietly rolling everything back. SQLite only fails
// the statement, so the rest commits.
void commit_after_unhandled_error(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    sdk::call a = make_call("ue-1");
    sdk::call clash = make_call("ue-2");
    {
        auto w = s.begin_write();
        w->insert_call(a);
        clash.id = a.id;
        CHECK_THROWS_AS(w->insert_call(clash), store::store_error);
        if (s.kind() == store::backend::postgresql) {
            CHECK_THROWS_WITH(w->commit(), Catch::Contains("unit_of_work.commit"));
        } else {
            w->commit();
        }
    }
    CHECK(s.get_call(a.id).has_value() == (s.kind() == store::backend::sqlite));
}
STORE_SCENARIO("unit_of_work commit refuses a failed transaction", commit_after_unhandled_error)

void rollback_unless_committed(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    sdk::call kept = make_call("rb-1"), dropped = make_call("rb-2");
    auto e = make_entry("rb");
    {
        auto w = s.begin_write();
        w->insert_call(dropped);
        CHECK(w->inbox_insert(e));
        CHECK_FALSE(dropped.id.empty());
    }  // no commit
    CHECK_FALSE(s.get_call(dropped.id));
    CHECK_FALSE(s.inbox_get(e.id));

    auto w = s.begin_write();
    w->insert_call(kept);
    w->commit();
    CHECK_THROWS_WITH(w->insert_call(dropped), Catch::Contains("already committed"));
    w.reset();
    CHECK(s.get_call(kept.id));
    // The session went back to the pool usable: the store still writes.
    CHECK(s.inbox_append(e));
}
STORE_SCENARIO("unit_of_work rolls back unless committed", rollback_unless_committed)

void savepoint_names(const std::string& url) {
    store::store s(url, 1);
    s.migrate();
    auto w = s.begin_write();
    for (auto const& bad : std::vector<std::string>{"", "a b", "sp;ROLLBACK", "x\"y", "sp-1", std::string(64, 'a')}) {
        INFO("name: " << bad);
        CHECK_THROWS_AS(w->savepoint(bad), store::store_error);
        CHECK_THROWS_AS(w->release(bad), store::store_error);
        CHECK_THROWS_AS(w->rollback_to(bad), store::store_error);
    }
    w->savepoint("1");  // quoted, so a digit-only name works on PostgreSQL too
    w->savepoint("Msg_2");
    w->rollback_to("1");
    w->release("1");
    CHECK_THROWS_AS(w->release("never_made"), store::store_error);
}
STORE_SCENARIO("unit_of_work savepoint names are validated", savepoint_names)

void inbox_in_transaction(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto e = make_entry("ik");
    e.events_json = R"([{"type":"status_changed"}])";
    {
        auto w = s.begin_write();
        CHECK(w->inbox_insert(e));
        CHECK(e.id.size() == 36);
        CHECK(e.received_at > sdk::time_point{});
        auto dup = make_entry("ik");
        dup.body = "second";
        CHECK_FALSE(w->inbox_insert(dup));

        auto found = w->inbox_find("vapi", "ik");
        REQUIRE(found);
        CHECK(found->id == e.id);
        CHECK(found->body == e.body);  // the first body is kept
        CHECK(found->events_json == e.events_json);
        CHECK_FALSE(w->inbox_find("livekit_sip", "ik"));
        CHECK_FALSE(w->inbox_find("vapi", "other"));
        REQUIRE(w->inbox_get(e.id));
        CHECK_FALSE(w->inbox_get("no-such-id"));

        sdk::call c = make_call("pc-ik");
        w->insert_call(c);
        auto retry_at = sys_days{2030y / March / 1} + hours{8} + milliseconds{5};
        e.status = "pending";
        e.call_id = c.id;
        e.response = R"({"results":[]})";
        e.last_error = "tool timed out";
        e.next_attempt_at = retry_at;
        e.events_json = "[]";
        w->inbox_update(e);
        auto updated = w->inbox_get(e.id);
        REQUIRE(updated);
        CHECK(updated->attempts == 1);
        CHECK(updated->call_id == c.id);
        CHECK(updated->response == e.response);
        CHECK(updated->last_error == "tool timed out");
        CHECK(updated->next_attempt_at == retry_at);
        CHECK(updated->events_json == "[]");

        e.status = "applied";
        e.last_error.clear();
        e.next_attempt_at.reset();
        w->inbox_update(e);
        e.status = "done";
        CHECK_THROWS_AS(w->inbox_update(e), store::store_error);
        auto ghost = make_entry("ghost");
        ghost.id = "no-such-id";
        CHECK_THROWS_AS(w->inbox_update(ghost), store::store_error);
        w->commit();
    }
    auto got = s.inbox_get(e.id);
    REQUIRE(got);
    CHECK(got->status == "applied");
    CHECK(got->attempts == 2);
    CHECK(got->last_error.empty());
    CHECK_FALSE(got->next_attempt_at);
    CHECK(got->body == R"({"key":"ik"})");
}
STORE_SCENARIO("unit_of_work inbox insert, find, get and update", inbox_in_transaction)

void calls_in_transaction(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto w = s.begin_write();
    CHECK_FALSE(w->find_call("vapi", "tx-1"));
    sdk::call c = make_call("tx-1");
    c.created_at = sys_days{2024y / June / 1} + hours{12};
    w->insert_call(c);
    CHECK(c.id.size() == 36);
    CHECK(c.updated_at == c.created_at);
    sdk::call dup = make_call("tx-1");
    CHECK_THROWS_WITH(w->insert_call(dup), Catch::Contains("already has a call with id 'tx-1'"));
    // The duplicate left the transaction usable (ON CONFLICT, not an error).
    auto found = w->find_call("vapi", "tx-1");
    REQUIRE(found);
    CHECK(found->id == c.id);

    auto before = floor<milliseconds>(system_clock::now());
    found->status = sdk::call_status::in_progress;
    found->phase = sdk::call_phase::intake;
    found->started_at = sys_days{2024y / June / 1} + hours{12} + seconds{3};
    found->ended_reason = "still going";
    found->cost = 0.25;
    found->from_number = "+15550003333";
    found->metadata = {{"k", "v"}};
    found->external_record_id = "crm-7";
    w->update_call(*found);
    sdk::call ghost = make_call("tx-ghost");
    ghost.id = "no-such-call";
    CHECK_THROWS_AS(w->update_call(ghost), store::store_error);
    w->commit();

    auto row = s.get_call(c.id);
    REQUIRE(row);
    auto const& g = row->call;
    CHECK(g.status == sdk::call_status::in_progress);
    CHECK(g.phase == sdk::call_phase::intake);
    CHECK(g.started_at == found->started_at);
    CHECK(g.ended_reason == "still going");
    REQUIRE(g.cost);
    CHECK(*g.cost == Approx(0.25));
    CHECK(g.from_number == "+15550003333");
    CHECK(g.metadata == boost::json::object{{"k", "v"}});
    CHECK(g.external_record_id == "crm-7");
    CHECK(g.created_at == c.created_at);  // never rewritten
    CHECK(g.updated_at >= before);         // set by update_call
}
STORE_SCENARIO("unit_of_work find, insert and update calls", calls_in_transaction)

void report_replaces_live(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    sdk::call c = make_call("rt-1"), other = make_call("rt-2");
    s.insert_call(c);
    c.id = s.find_call("vapi", "rt-1")->call.id;
    other.id = s.insert_call(other);
    s.append_transcript(other.id, {say(sdk::speaker_role::customer, "other call")});
    {
        auto w = s.begin_write();
        w->append_transcript(c.id, {say(sdk::speaker_role::assistant, "live 1"), say(sdk::speaker_role::customer, "live 2")});
        w->append_transcript(c.id, {say(sdk::speaker_role::assistant, "live 3")});
        w->append_transcript(c.id, {});
        CHECK_FALSE(w->has_report_transcript(c.id));
        w->commit();
    }
    auto live = s.transcript(c.id);
    REQUIRE(live.size() == 3);
    for (std::size_t i = 0; i < live.size(); ++i) {
        CHECK(live[i].seq == static_cast<std::int64_t>(i + 1));
        CHECK(live[i].source == "live");
    }

    auto full = say(sdk::speaker_role::customer, "report 2");
    full.seconds_from_start = 4.5;
    full.duration_ms = 900;
    {
        auto w = s.begin_write();
        w->replace_transcript(c.id, {say(sdk::speaker_role::assistant, "report 1"), full,
                                     say(sdk::speaker_role::assistant, "report 3")});
        CHECK(w->has_report_transcript(c.id));
        CHECK_FALSE(w->has_report_transcript(other.id));
        w->commit();
    }
    auto report = s.transcript(c.id);
    REQUIRE(report.size() == 3);
    const char* texts[] = {"report 1", "report 2", "report 3"};
    for (std::size_t i = 0; i < report.size(); ++i) {
        CHECK(report[i].seq == static_cast<std::int64_t>(i + 1));
        CHECK(report[i].source == "report");
        CHECK(report[i].segment.text == texts[i]);
    }
    CHECK(report[1].segment.role == sdk::speaker_role::customer);
    CHECK(report[1].segment.seconds_from_start == 4.5);
    CHECK(report[1].segment.duration_ms == 900);
    // Another call's segments are untouched.
    auto untouched = s.transcript(other.id);
    REQUIRE(untouched.size() == 1);
    CHECK(untouched[0].source == "live");

    // A live segment after the report continues the numbering.
    {
        auto w = s.begin_write();
        w->append_transcript(c.id, {say(sdk::speaker_role::assistant, "late")});
        w->commit();
    }
    auto after = s.transcript(c.id);
    REQUIRE(after.size() == 4);
    CHECK(after[3].seq == 4);
    CHECK(after[3].source == "live");
}
STORE_SCENARIO("replace_transcript leaves only the report, in order", report_replaces_live)

void status_history(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto a = s.insert_call(make_call("sh-1")), b = s.insert_call(make_call("sh-2"));
    CHECK(s.status_history(a).empty());
    auto t0 = sys_days{2025y / March / 3} + hours{9};
    auto recorded = sys_days{2025y / March / 3} + hours{9} + milliseconds{40};
    auto before = floor<milliseconds>(system_clock::now());
    {
        auto w = s.begin_write();
        w->add_status_step(a, {sdk::call_status::queued, "queued", t0, recorded});
        w->add_status_step(b, {sdk::call_status::ringing, "ringing", std::nullopt, {}});
        w->add_status_step(a, {sdk::call_status::in_progress, "in-progress", t0 + seconds{5}, {}});
        w->add_status_step(a, {sdk::call_status::completed, "ended", std::nullopt, {}});
        w->savepoint("bad");
        CHECK_THROWS_AS(w->add_status_step("no-such-call", {}), store::store_error);  // foreign key
        w->rollback_to("bad");
        w->commit();
    }
    auto h = s.status_history(a);
    REQUIRE(h.size() == 3);
    CHECK(h[0].status == sdk::call_status::queued);
    CHECK(h[0].provider_status == "queued");
    CHECK(h[0].at == t0);
    CHECK(h[0].recorded_at == recorded);
    CHECK(h[1].status == sdk::call_status::in_progress);
    CHECK(h[1].provider_status == "in-progress");
    CHECK(h[1].at == t0 + seconds{5});
    CHECK(h[1].recorded_at >= before);  // filled in when left empty
    CHECK(h[2].status == sdk::call_status::completed);
    CHECK_FALSE(h[2].at);
    auto hb = s.status_history(b);
    REQUIRE(hb.size() == 1);
    CHECK(hb[0].status == sdk::call_status::ringing);
}
STORE_SCENARIO("status history keeps its order per call", status_history)

// Two pipelines writing at once. The first holds its transaction until the second
// has started to open its own; the second must wait (SQLite: BEGIN IMMEDIATE on the
// busy timeout; PostgreSQL: find_call's row lock) and then see the first's commit.
// No assertion depends on how long anything takes: only on what B sees.
void two_writers(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto shared_id = s.insert_call(make_call("tw-1"));

    auto a = s.begin_write();
    auto mine = a->find_call("vapi", "tw-1");
    REQUIRE(mine);
    mine->status = sdk::call_status::in_progress;
    a->update_call(*mine);

    std::atomic<bool> a_committing{false};
    std::promise<void> b_starting;
    auto b_started = b_starting.get_future();
    bool b_saw_commit = false, b_saw_update = false;
    std::string b_error;
    std::thread b([&] {
        try {
            b_starting.set_value();
            auto w = s.begin_write();
            auto c = w->find_call("vapi", "tw-1");
            b_saw_commit = a_committing.load();
            b_saw_update = c && c->status == sdk::call_status::in_progress;
            if (c) {
                c->status = sdk::call_status::completed;
                w->update_call(*c);
            }
            w->add_status_step(shared_id, {sdk::call_status::completed, "b", std::nullopt, {}});
            w->commit();
        } catch (const std::exception& e) {
            b_error = e.what();
        }
    });
    b_started.wait();
    // Give B the chance to block; correctness does not depend on it.
    std::this_thread::sleep_for(milliseconds(200));
    a->add_status_step(shared_id, {sdk::call_status::in_progress, "a", std::nullopt, {}});
    a_committing = true;
    a->commit();
    b.join();

    CHECK(b_error.empty());
    CHECK(b_saw_commit);
    CHECK(b_saw_update);
    auto row = s.get_call(shared_id);
    REQUIRE(row);
    CHECK(row->call.status == sdk::call_status::completed);
    auto h = s.status_history(shared_id);
    REQUIRE(h.size() == 2);
    CHECK(h[0].provider_status == "a");
    CHECK(h[1].provider_status == "b");
}
STORE_SCENARIO("two unit_of_works in two threads take turns", two_writers)

}  // namespace
