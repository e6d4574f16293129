#include "store_scenario.hpp"

using namespace switchboard;
using namespace std::chrono;

namespace {

sdk::transcript_segment segment(sdk::speaker_role role, std::string text) {
    sdk::transcript_segment s;
    s.role = role;
    s.text = std::move(text);
    return s;
}

std::string new_call(store::store& s, const std::string& pcid) {
    sdk::call c;
    c.org = "acme";
    c.provider = "vapi";
    c.provider_call_id = pcid;
    return s.insert_call(c);
}

void transcripts(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto call = new_call(s, "t-1"), other = new_call(s, "t-2");
    CHECK(s.transcript(call).empty());

    auto first = segment(sdk::speaker_role::assistant, "Hello, how can I help?");
    first.started_at = sys_days{2025y / May / 2} + hours{9} + milliseconds{250};
    first.seconds_from_start = 0.25;
    first.duration_ms = 1800;
    first.confidence = 0.93;
    auto partial = segment(sdk::speaker_role::customer, "I'd like to");
    partial.final = false;
    s.append_transcript(call, {first, partial});
    s.append_transcript(other, {segment(sdk::speaker_role::customer, "other call")});
    s.append_transcript(call, {segment(sdk::speaker_role::customer, "I'd like to book a tour."),
                               segment(sdk::speaker_role::tool, "calendar.lookup")});
    s.append_transcript(call, {});  // nothing to do

    auto t = s.transcript(call);
    REQUIRE(t.size() == 4);
    for (std::size_t i = 0; i < t.size(); ++i) {
        CHECK(t[i].seq == static_cast<std::int64_t>(i + 1));  // continues across appends
        CHECK(t[i].call_id == call);
        CHECK_FALSE(t[i].id.empty());
    }
    CHECK(t[0].segment.text == "Hello, how can I help?");
    CHECK(t[0].segment.role == sdk::speaker_role::assistant);
    CHECK(t[0].segment.started_at == first.started_at);
    REQUIRE(t[0].segment.seconds_from_start);
    CHECK(*t[0].segment.seconds_from_start == Approx(0.25));
    CHECK(t[0].segment.duration_ms == std::optional<std::int64_t>(1800));
    REQUIRE(t[0].segment.confidence);
    CHECK(*t[0].segment.confidence == Approx(0.93));
    CHECK(t[0].segment.final);
    CHECK_FALSE(t[1].segment.final);
    CHECK_FALSE(t[1].segment.started_at);
    CHECK_FALSE(t[1].segment.duration_ms);
    CHECK_FALSE(t[1].segment.confidence);
    CHECK(t[2].segment.text == "I'd like to book a tour.");
    CHECK(t[3].segment.role == sdk::speaker_role::tool);

    auto o = s.transcript(other);
    REQUIRE(o.size() == 1);
    CHECK(o[0].seq == 1);  // numbering is per call

    CHECK_THROWS_AS(s.append_transcript("no-such-call", {first}), store::store_error);
}
STORE_SCENARIO("transcript appends keep their order", transcripts)

}  // namespace
