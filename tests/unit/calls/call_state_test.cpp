// The state machine's ordering rules, without storage: every delivery order of one
// call's messages gives the same call.
#include "host/calls/call_state.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

using namespace switchboard;
using namespace std::chrono_literals;
using sdk::call_status;

namespace {

sdk::time_point t0() { return std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}; }

sdk::call_event status(call_status s, const char* word, std::chrono::seconds at, const char* reason = "") {
    sdk::call_event e;
    e.provider_call_id = "pc-1";
    e.type = "status-update";
    e.at = t0() + at;
    sdk::status_changed body{s, word, reason, std::nullopt, {}};
    if (std::string(word) == "forwarding") {
        body.phase = sdk::call_phase::escalation;
        body.detail = {{"transfer_destination", "+15555550199"}};
    }
    e.body = body;
    return e;
}

sdk::call_event report() {
    sdk::call_event e;
    e.provider_call_id = "pc-1";
    e.type = "end-of-call-report";
    e.at = t0() + 60s;
    sdk::call_ended r;
    r.status = call_status::transferred;
    r.ended_reason = "assistant-forwarded-call";
    r.started_at = t0() + 2s;
    r.ended_at = t0() + 46s;
    r.cost = 0.0898;
    r.recording_url = "https://rec.example.test/c1.wav";
    r.summary = "Caller asked for a human.";
    r.has_transcript = true;
    sdk::transcript_segment s1, s2;
    s1.role = sdk::speaker_role::assistant;
    s1.text = "Hello.";
    s2.role = sdk::speaker_role::customer;
    s2.text = "A human, please.";
    r.transcript = {s1, s2};
    e.body = r;
    return e;
}

sdk::call_event live_transcript(const char* text, bool final) {
    sdk::call_event e;
    e.provider_call_id = "pc-1";
    e.type = "transcript";
    e.at = t0() + 10s;
    sdk::transcript_segment s;
    s.text = text;
    s.final = final;
    e.body = sdk::transcript_added{s};
    return e;
}

struct outcome {
    sdk::call call;
    std::vector<sdk::transcript_segment> transcript;
    std::vector<store::status_step> history;
};

outcome replay(const std::vector<sdk::call_event>& events) {
    outcome o;
    bool created = false, has_report = false;
    for (auto const& e : events) {
        if (!created) {
            o.call = calls::new_call("acme", "vapi", e);
            created = true;
        }
        auto ch = calls::apply_event(o.call, e, has_report);
        if (ch.replace) {
            o.transcript = *ch.replace;
            has_report = true;
        }
        o.transcript.insert(o.transcript.end(), ch.append.begin(), ch.append.end());
        o.history.insert(o.history.end(), ch.steps.begin(), ch.steps.end());
    }
    calls::order_history(o.history);
    return o;
}

}  // namespace

TEST_CASE("call state: every delivery order gives the same call", "[calls]") {
    std::vector<sdk::call_event> events{status(call_status::ringing, "ringing", 1s),
                                        status(call_status::in_progress, "in-progress", 2s),
                                        live_transcript("Hello?", true),
                                        status(call_status::in_progress, "forwarding", 40s),
                                        status(call_status::transferred, "ended", 46s, "assistant-forwarded-call"),
                                        report()};
    std::vector<int> order(events.size());
    std::iota(order.begin(), order.end(), 0);
    std::optional<outcome> first;
    int permutations = 0;
    do {
        std::vector<sdk::call_event> shuffled;
        for (int i : order) shuffled.push_back(events[i]);
        auto o = replay(shuffled);
        ++permutations;
        INFO("permutation " << permutations);
        CHECK(o.call.status == call_status::transferred);
        CHECK(o.call.phase == sdk::call_phase::escalation);
        CHECK(o.call.started_at == t0() + 2s);
        CHECK(o.call.ended_at == t0() + 46s);
        CHECK(o.call.duration_seconds == Approx(44.0));
        CHECK(o.call.ended_reason == "assistant-forwarded-call");
        CHECK(o.call.cost == Approx(0.0898));
        CHECK(o.call.metadata.at("transfer_destination").as_string() == "+15555550199");
        REQUIRE(o.transcript.size() == 2);  // the report's, never the live one beside it
        CHECK(o.transcript[1].text == "A human, please.");
        if (!first) {
            first = o;
            continue;
        }
        REQUIRE(o.history.size() == first->history.size());
        for (std::size_t i = 0; i < o.history.size(); ++i) {
            CHECK(o.history[i].status == first->history[i].status);
            CHECK(o.history[i].provider_status == first->history[i].provider_status);
        }
    } while (std::next_permutation(order.begin(), order.end()));
    CHECK(permutations == 720);
}

TEST_CASE("call state: statuses only move forward", "[calls]") {
    auto c = calls::new_call("acme", "vapi", status(call_status::queued, "queued", 0s));
    CHECK(calls::apply_event(c, status(call_status::completed, "ended", 50s, "customer-ended-call"), false).call_changed);
    CHECK(c.status == call_status::completed);
    CHECK(c.ended_reason == "customer-ended-call");
    CHECK(c.phase == sdk::call_phase::completed);
    auto late = calls::apply_event(c, status(call_status::ringing, "ringing", 1s), false);
    CHECK(c.status == call_status::completed);
    CHECK_FALSE(late.call_changed);
    REQUIRE(late.steps.size() == 1);  // recorded in the history all the same
    // A second terminal status does not replace the first.
    calls::apply_event(c, status(call_status::failed, "ended", 51s, "pipeline-error"), false);
    CHECK(c.status == call_status::completed);
    CHECK(c.ended_reason == "customer-ended-call");
}

TEST_CASE("call state: partial transcripts are not stored, facts fill only empty fields", "[calls]") {
    auto first = status(call_status::ringing, "ringing", 1s);
    first.facts.from_number = "+15555550101";
    auto c = calls::new_call("acme", "vapi", first);
    CHECK(c.from_number == "+15555550101");
    CHECK(c.status == call_status::queued);  // set by applying the event, not by creating the row
    calls::apply_event(c, first, false);
    CHECK(c.status == call_status::ringing);
    auto other = status(call_status::in_progress, "in-progress", 2s);
    other.facts.from_number = "+19999999999";
    other.facts.external_record_id = "sr-42";
    calls::apply_event(c, other, false);
    CHECK(c.from_number == "+15555550101");
    CHECK(c.external_record_id == "sr-42");
    CHECK(calls::apply_event(c, live_transcript("Hel", false), false).append.empty());
    CHECK(calls::apply_event(c, live_transcript("Hello", true), false).append.size() == 1);
    CHECK(calls::apply_event(c, live_transcript("Hello", true), true).append.empty());  // report already there
}
