// The canonical model's status ordering and wire names.
#include <switchboard/model.hpp>

#include <catch2/catch.hpp>

using namespace switchboard::sdk;

namespace {
constexpr call_status all_statuses[] = {call_status::queued,    call_status::ringing, call_status::in_progress,
                                        call_status::completed, call_status::failed,  call_status::missed,
                                        call_status::transferred};
}

TEST_CASE("statuses only move forward", "[sdk][model]") {
    CHECK(can_advance(call_status::queued, call_status::ringing));
    CHECK(can_advance(call_status::ringing, call_status::in_progress));
    CHECK(can_advance(call_status::queued, call_status::in_progress));
    CHECK(can_advance(call_status::in_progress, call_status::completed));
    CHECK(can_advance(call_status::ringing, call_status::missed));
    CHECK(can_advance(call_status::queued, call_status::failed));
    CHECK_FALSE(can_advance(call_status::in_progress, call_status::ringing));
    CHECK_FALSE(can_advance(call_status::ringing, call_status::queued));
    for (auto s : all_statuses) CHECK_FALSE(can_advance(s, s));
}

TEST_CASE("a terminal status is never overwritten, not even by another terminal one", "[sdk][model]") {
    for (auto from : all_statuses) {
        if (!is_terminal(from)) continue;
        for (auto to : all_statuses) {
            INFO(to_string(from) << " -> " << to_string(to));
            CHECK_FALSE(can_advance(from, to));
        }
    }
    // The classic race: a late "ringing" webhook after the end-of-call report.
    CHECK_FALSE(can_advance(call_status::completed, call_status::ringing));
    CHECK_FALSE(can_advance(call_status::completed, call_status::in_progress));
    CHECK_FALSE(can_advance(call_status::transferred, call_status::completed));
}

TEST_CASE("terminal statuses are exactly the four endings", "[sdk][model]") {
    CHECK_FALSE(is_terminal(call_status::queued));
    CHECK_FALSE(is_terminal(call_status::ringing));
    CHECK_FALSE(is_terminal(call_status::in_progress));
    CHECK(is_terminal(call_status::completed));
    CHECK(is_terminal(call_status::failed));
    CHECK(is_terminal(call_status::missed));
    CHECK(is_terminal(call_status::transferred));
}

TEST_CASE("wire names round-trip", "[sdk][model]") {
    for (auto s : all_statuses) CHECK(parse_call_status(to_string(s)) == s);
    CHECK(to_string(call_status::in_progress) == "in_progress");
    for (auto d : {call_direction::inbound, call_direction::outbound}) CHECK(parse_call_direction(to_string(d)) == d);
    for (auto p : {call_phase::greeting, call_phase::intake, call_phase::clarification, call_phase::escalation,
                   call_phase::completed})
        CHECK(parse_call_phase(to_string(p)) == p);
    for (auto r : {speaker_role::customer, speaker_role::assistant, speaker_role::tool, speaker_role::tool_result,
                   speaker_role::human_agent})
        CHECK(parse_speaker_role(to_string(r)) == r);
    CHECK(to_string(speaker_role::human_agent) == "human_agent");
}

TEST_CASE("unknown wire names do not parse", "[sdk][model]") {
    CHECK_FALSE(parse_call_status("in-progress"));
    CHECK_FALSE(parse_call_status("Completed"));
    CHECK_FALSE(parse_call_status(""));
    CHECK_FALSE(parse_call_direction("sideways"));
    CHECK_FALSE(parse_call_phase("done"));
    CHECK_FALSE(parse_speaker_role("user"));
}

TEST_CASE("the model's rules hold at compile time", "[sdk][model]") {
    static_assert(can_advance(call_status::ringing, call_status::completed));
    static_assert(!can_advance(call_status::completed, call_status::ringing));
    static_assert(parse_call_status("missed") == call_status::missed);
    SUCCEED();
}
