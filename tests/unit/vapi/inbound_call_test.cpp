// tests/fixtures/vapi/inbound_call.jsonl, message by message: the canonical events,
// facts and idempotency keys of a whole inbound call.
#include "vapi_test_support.hpp"

#include <boost/json/serialize.hpp>

using namespace vapi_test;

namespace {

struct inbound {
    std::vector<sdk::parsed_webhook> parsed;
    inbound() {
        for (auto const& line : fixture_lines("inbound_call.jsonl")) parsed.push_back(parse(line));
        REQUIRE(parsed.size() == 16);
    }
    const sdk::call_event& only(std::size_t i) const {
        INFO("line " << i + 1);
        REQUIRE(parsed[i].events.size() == 1);
        return parsed[i].events[0];
    }
};

}  // namespace

TEST_CASE("inbound: every message names the call, its type and its time", "[vapi][parse]") {
    inbound in;
    const char* types[] = {"assistant-request", "status-update", "status-update", "transcript", "transcript",
                           R"(transcript[transcriptType="final"])", "conversation-update", "speech-update",
                           "user-interrupted", "tool-calls", "hang", "tool-calls", "transfer-destination-request",
                           "status-update", "end-of-call-report", "status-update"};
    const std::int64_t at[] = {500, 1100, 2000, 7900, 8600, 10200, 10300, 10600, 10650, 12000, 17500, 18500, 26600,
                               28800, 55300, 47100};
    const bool line_has_phone_number[] = {true,  true,  true,  false, false, false, false, false,
                                          false, true,  false, false, true,  false, true,  false};
    for (std::size_t i = 0; i < in.parsed.size(); ++i) {
        INFO("line " << i + 1);
        for (auto const& e : in.parsed[i].events) {
            CHECK(e.type == types[i]);
            CHECK(e.provider_call_id == c1);
            CHECK(ms_of(e.at) == t0 + at[i]);
            CHECK(e.facts.provider == "vapi");
            CHECK(e.facts.provider_call_id == c1);
            CHECK(e.facts.direction == sdk::call_direction::inbound);
            CHECK(e.facts.from_number == "+15555550101");  // inbound: the customer calls our number
            // Our number is in message.phoneNumber, which only some messages carry;
            // call.phoneNumberId alone does not give it.
            const bool has_number = line_has_phone_number[i];
            CHECK(e.facts.to_number == (has_number ? "+15555550100" : ""));
        }
    }
}

TEST_CASE("inbound: assistant-request asks for an assistant once per call", "[vapi][parse]") {
    inbound in;
    auto const& e = in.only(0);
    body_as<sdk::assistant_requested>(e);
    CHECK(in.parsed[0].idempotency_key == std::string("assistant-request:") + c1);
    CHECK(e.facts.assistant.empty());  // not chosen yet
    CHECK_FALSE(e.facts.started_at);
}

TEST_CASE("inbound: status updates map to canonical statuses with their own keys", "[vapi][parse]") {
    inbound in;
    auto const& ringing = body_as<sdk::status_changed>(in.only(1));
    CHECK(ringing.status == sdk::call_status::ringing);
    CHECK(ringing.provider_status == "ringing");
    CHECK_FALSE(ringing.phase);
    CHECK(in.parsed[1].idempotency_key == std::string("status-update:") + c1 + ":ringing");

    auto const& live = in.only(2);
    auto const& progress = body_as<sdk::status_changed>(live);
    CHECK(progress.status == sdk::call_status::in_progress);
    CHECK(progress.provider_status == "in-progress");
    CHECK(progress.ended_reason.empty());
    CHECK(in.parsed[2].idempotency_key == std::string("status-update:") + c1 + ":in-progress");
    // The call snapshot's facts: assistant, start, metadata, linked record.
    CHECK(live.facts.assistant == a1);
    CHECK(ms_of(live.facts.started_at) == t0 + 2000);
    CHECK(live.facts.external_record_id == "SR-1042");
    CHECK(live.facts.metadata == boost::json::parse(R"({"org":"org_demo","channel":"main-line","campaign":"spring"})"));

    auto const& fwd = body_as<sdk::status_changed>(in.only(13));
    CHECK(fwd.status == sdk::call_status::in_progress);  // a transfer that started, not one that succeeded
    CHECK(fwd.provider_status == "forwarding");
    REQUIRE(fwd.phase);
    CHECK(*fwd.phase == sdk::call_phase::escalation);
    CHECK(fwd.detail.at("destination").at("number").as_string() == "+15555550199");
    CHECK(in.parsed[13].idempotency_key == std::string("status-update:") + c1 + ":forwarding");

    auto const& ended_event = in.only(15);
    auto const& ended = body_as<sdk::status_changed>(ended_event);
    CHECK(ended.status == sdk::call_status::completed);  // the customer hung up during the transfer
    CHECK(ended.provider_status == "ended");
    CHECK(ended.ended_reason == "customer-ended-call-during-transfer");
    CHECK(in.parsed[15].idempotency_key ==
          std::string("status-update:") + c1 + ":ended:customer-ended-call-during-transfer");
    CHECK(ms_of(ended_event.facts.ended_at) == t0 + 46800);
}

TEST_CASE("inbound: live transcripts keep role, text and finality", "[vapi][parse]") {
    inbound in;
    auto const& partial = body_as<sdk::transcript_added>(in.only(3)).segment;
    CHECK(partial.role == sdk::speaker_role::customer);
    CHECK(partial.text == "Do you");
    CHECK_FALSE(partial.final);
    CHECK(ms_of(partial.started_at) == t0 + 7900);
    CHECK(in.parsed[3].idempotency_key.empty());  // the host hashes the body

    auto const& final_user = body_as<sdk::transcript_added>(in.only(4)).segment;
    CHECK(final_user.role == sdk::speaker_role::customer);
    CHECK(final_user.text == "Do you allow cats?");
    CHECK(final_user.final);

    auto const& filtered = body_as<sdk::transcript_added>(in.only(5)).segment;  // transcript[transcriptType="final"]
    CHECK(filtered.role == sdk::speaker_role::assistant);
    CHECK(filtered.text == "Yes, cats are welcome.");
    CHECK(filtered.final);
}

TEST_CASE("inbound: informational messages are unknown events kept raw", "[vapi][parse]") {
    inbound in;
    for (std::size_t i : {6u, 7u, 8u, 10u}) {
        INFO("line " << i + 1);
        body_as<sdk::unknown_event>(in.only(i));
        CHECK(in.parsed[i].idempotency_key.empty());
    }
}

TEST_CASE("inbound: tool calls, object and string arguments, one event per call", "[vapi][parse]") {
    inbound in;
    // toolCallList, toolCalls and toolWithToolCallList all carry the same call: one event.
    auto const& first = in.parsed[9];
    REQUIRE(first.events.size() == 1);
    auto const& hours = body_as<sdk::tool_call_requested>(first.events[0]);
    CHECK(hours.tool_call_id == "call_Ab12Cd34");
    CHECK(hours.name == "get_hours");
    CHECK(hours.arguments == boost::json::object{{"day", "sunday"}});
    CHECK(first.idempotency_key == "tool-calls:call_Ab12Cd34");
    // The stale snapshot (call.status "ringing") never becomes a status event.
    CHECK(first.events[0].facts.assistant == a1);

    auto const& second = in.parsed[11];
    REQUIRE(second.events.size() == 2);
    auto const& check = body_as<sdk::tool_call_requested>(second.events[0]);
    auto const& book = body_as<sdk::tool_call_requested>(second.events[1]);
    CHECK(check.tool_call_id == "call_Ef56Gh78");
    CHECK(check.name == "check_availability");
    CHECK(check.arguments == boost::json::object{{"date", "2026-01-04"}});
    CHECK(book.tool_call_id == "call_Ij90Kl12");
    CHECK(book.name == "schedule_tour");
    CHECK(book.arguments == boost::json::object{{"date", "2026-01-04"}, {"time", "11:00"}});
    CHECK(second.idempotency_key == "tool-calls:call_Ef56Gh78,call_Ij90Kl12");
}

TEST_CASE("inbound: transfer-destination-request carries the model's reason", "[vapi][parse]") {
    inbound in;
    auto const& t = body_as<sdk::transfer_requested>(in.only(12));
    CHECK(t.reason == "maintenance request");
    CHECK(in.parsed[12].idempotency_key == std::string("transfer-destination-request:") + c1 + ":" +
                                               std::to_string(t0 + 26600));
}

TEST_CASE("inbound: the end-of-call report fills every call_ended field", "[vapi][parse]") {
    inbound in;
    auto const& e = in.only(14);
    auto const& r = body_as<sdk::call_ended>(e);
    CHECK(in.parsed[14].idempotency_key == std::string("end-of-call-report:") + c1);
    CHECK(r.status == sdk::call_status::completed);
    CHECK(r.ended_reason == "customer-ended-call-during-transfer");
    CHECK(ms_of(r.started_at) == t0 + 2000);
    CHECK(ms_of(r.ended_at) == t0 + 46800);
    REQUIRE(r.cost);
    CHECK(*r.cost == Approx(0.0898));
    REQUIRE(r.cost_breakdown.is_object());  // costBreakdown preferred over costs[]
    CHECK(r.cost_breakdown.at("total").as_double() == Approx(0.0898));
    CHECK(r.cost_breakdown.at("analysisCostBreakdown").at("summary").as_double() == Approx(0.0002));
    REQUIRE(r.duration_seconds);
    CHECK(*r.duration_seconds == Approx(44.8));
    CHECK(r.recording_url == "https://rec.example.test/c1-mono.wav");  // artifact wins over the top-level copy
    CHECK(r.stereo_recording_url == "https://rec.example.test/c1-stereo.wav");
    CHECK(r.summary == "Caller asked about cats and Sunday hours, booked a tour, then asked for maintenance.");
    CHECK(r.analysis.at("structuredData").at("intent").as_string() == "tour");
    CHECK(r.analysis.at("successEvaluation").as_string() == "true");
    CHECK(r.has_transcript);

    using R = sdk::speaker_role;
    const std::vector<R> roles{R::assistant, R::customer,    R::assistant,   R::customer, R::tool,
                               R::tool_result, R::assistant, R::customer,    R::tool,     R::tool_result,
                               R::tool_result, R::assistant, R::customer,    R::tool,     R::tool_result,
                               R::assistant, R::customer,    R::assistant};
    REQUIRE(r.transcript.size() == roles.size());  // 20 messages minus 2 system prompts
    for (std::size_t i = 0; i < roles.size(); ++i) {
        INFO("segment " << i);
        CHECK(r.transcript[i].role == roles[i]);
        CHECK(r.transcript[i].final);
        CHECK(r.transcript[i].started_at);
        CHECK(r.transcript[i].seconds_from_start);
    }
    auto const& greet = r.transcript[0];
    CHECK(greet.text == "Thanks for calling Maple Court. How can I help?");
    CHECK(ms_of(greet.started_at) == t0 + 2600);
    CHECK(*greet.seconds_from_start == Approx(0.6));
    CHECK(greet.duration_ms == 2000);
    CHECK_FALSE(greet.confidence);
    REQUIRE(r.transcript[1].confidence);
    CHECK(*r.transcript[1].confidence == Approx(0.93));
    CHECK(r.transcript[4].text == R"(get_hours({"day":"sunday"}))");
    CHECK_FALSE(r.transcript[4].duration_ms);
    CHECK(r.transcript[5].text == "Open 10 to 4 on Sunday.");
    CHECK(*r.transcript[5].seconds_from_start == Approx(10.7));
    // A float `time` (1.7672256130004E12) rounds to the ms; duration is endTime - time.
    CHECK(ms_of(r.transcript[6].started_at) == t0 + 13000);
    CHECK(r.transcript[6].duration_ms == 2000);
    CHECK(r.transcript[8].text ==
          R"(check_availability({"date":"2026-01-04"}); schedule_tour({"date":"2026-01-04","time":"11:00"}))");
    CHECK(r.transcript[10].text == "Booked for 11:00.");
    CHECK(r.transcript[13].text == R"(transferCall({"reason":"maintenance request"}))");
    CHECK(r.transcript[17].text == "Goodbye.");
    CHECK(r.transcript[17].duration_ms == 800);
}
