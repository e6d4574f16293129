// The outbound and transferred scenarios, the one-of-each file and the malformed
// bodies of tests/fixtures/vapi.
#include "vapi_test_support.hpp"

using namespace vapi_test;

namespace {

std::vector<sdk::parsed_webhook> parse_all(const std::string& file) {
    std::vector<sdk::parsed_webhook> out;
    for (auto const& line : fixture_lines(file)) out.push_back(parse(line));
    return out;
}

sdk::call_status status_of(const sdk::parsed_webhook& p) {
    REQUIRE(p.events.size() == 1);
    return body_as<sdk::status_changed>(p.events[0]).status;
}

}  // namespace

TEST_CASE("outbound: queued, ringing, in progress, then missed when nobody answers", "[vapi][parse]") {
    auto p = parse_all("outbound_call.jsonl");
    REQUIRE(p.size() == 5);
    CHECK(status_of(p[0]) == sdk::call_status::queued);
    CHECK(status_of(p[1]) == sdk::call_status::ringing);
    CHECK(status_of(p[2]) == sdk::call_status::in_progress);
    CHECK(status_of(p[3]) == sdk::call_status::missed);
    CHECK(body_as<sdk::status_changed>(p[3].events[0]).ended_reason == "customer-did-not-answer");
    for (auto const& w : p) {
        auto const& f = w.events.at(0).facts;
        CHECK(w.events[0].provider_call_id == c2);
        CHECK(f.direction == sdk::call_direction::outbound);
        CHECK(f.from_number == "+15555550100");  // outbound: our number calls the customer
        CHECK(f.to_number == "+15555550123");
        CHECK(f.assistant == a1);
        CHECK(f.external_record_id == "7");  // assistantOverrides.metadata.recordId, a number
        CHECK(f.metadata == boost::json::parse(R"({"leadId":"lead_7","recordId":7})"));
    }
    CHECK(ms_of(p[0].events[0].at) == t0 + 100000);

    auto const& r = body_as<sdk::call_ended>(p[4].events.at(0));
    CHECK(r.status == sdk::call_status::missed);
    CHECK(r.ended_reason == "customer-did-not-answer");
    CHECK(r.has_transcript);  // a message list came, with only the system prompt in it
    CHECK(r.transcript.empty());
    CHECK(*r.cost == Approx(0.0042));
    CHECK(r.cost_breakdown.is_null());
    REQUIRE(r.duration_seconds);
    CHECK(*r.duration_seconds == Approx(6.0));  // endedAt - startedAt
    CHECK(r.recording_url == "https://rec.example.test/c2.wav");
    CHECK(r.stereo_recording_url.empty());
    CHECK(r.summary.empty());
    CHECK(r.analysis == boost::json::object{{"successEvaluation", "false"}});
}

TEST_CASE("transferred: 2024-style payloads (ISO timestamps, top-level copies) end as transferred", "[vapi][parse]") {
    auto p = parse_all("transferred_call.jsonl");
    REQUIRE(p.size() == 7);
    for (auto const& w : p) {
        REQUIRE(w.events.size() == 1);
        CHECK(w.events[0].provider_call_id == c3);
        CHECK(w.events[0].facts.assistant == a1);  // call.assistant.id
        CHECK(w.events[0].facts.external_record_id == "CRM-88");
    }
    CHECK(status_of(p[0]) == sdk::call_status::in_progress);
    CHECK(ms_of(p[0].events[0].at) == t0 + 3600000 + 500);  // ISO message timestamp
    CHECK(ms_of(p[0].events[0].facts.started_at) == t0 + 3600000);

    auto const& said = body_as<sdk::transcript_added>(p[1].events[0]).segment;
    CHECK(said.text == "I need a person, please.");
    CHECK(said.final);

    CHECK(body_as<sdk::transfer_requested>(p[2].events[0]).reason.empty());
    CHECK(p[2].idempotency_key == std::string("transfer-destination-request:") + c3 + ":2026-01-01T01:00:06.000Z");

    auto const& update = body_as<sdk::status_changed>(p[3].events[0]);
    CHECK(update.status == sdk::call_status::in_progress);
    CHECK(update.provider_status == "transfer-update");
    REQUIRE(update.phase);
    CHECK(*update.phase == sdk::call_phase::escalation);
    CHECK(update.detail.at("destination").at("number").as_string() == "+15555550199");

    CHECK(status_of(p[4]) == sdk::call_status::in_progress);  // forwarding
    CHECK(status_of(p[5]) == sdk::call_status::transferred);

    auto const& r = body_as<sdk::call_ended>(p[6].events[0]);
    CHECK(r.status == sdk::call_status::transferred);
    CHECK(r.ended_reason == "assistant-forwarded-call");
    CHECK(ms_of(r.started_at) == t0 + 3600000);  // from call.startedAt: the report has none
    CHECK(ms_of(r.ended_at) == t0 + 3609500);
    CHECK(*r.duration_seconds == Approx(9.5));  // durationSeconds
    REQUIRE(r.cost_breakdown.is_array());        // costs[] when there is no costBreakdown
    CHECK(r.cost_breakdown.as_array().size() == 2);
    CHECK(r.recording_url == "https://rec.example.test/c3.wav");
    CHECK(r.stereo_recording_url == "https://rec.example.test/c3-stereo.wav");
    CHECK(r.summary == "Caller asked for a person and was transferred.");
    CHECK(r.analysis.at("successEvaluation").as_bool());  // a boolean, kept as sent
    CHECK(r.has_transcript);
    // artifact.messages is empty: the top-level copy is used.
    REQUIRE(r.transcript.size() == 4);
    CHECK(r.transcript[0].role == sdk::speaker_role::assistant);
    CHECK(ms_of(r.transcript[0].started_at) == 1722115418017);
    CHECK(r.transcript[0].duration_ms == 1483);
    CHECK(r.transcript[1].role == sdk::speaker_role::customer);
    CHECK(r.transcript[2].role == sdk::speaker_role::tool);  // legacy function_call
    CHECK(r.transcript[2].text == "transferCall");
    CHECK(r.transcript[3].role == sdk::speaker_role::assistant);  // "assistant" as in Vapi's doc examples
    CHECK(r.transcript[3].text == "Transferring you now.");
}

TEST_CASE("one of each remaining type, and drifted field types that must not reject", "[vapi][parse]") {
    auto p = parse_all("other_messages.jsonl");
    REQUIRE(p.size() == 19);
    auto event = [&](std::size_t i) -> const sdk::call_event& {
        INFO("line " << i + 1);
        REQUIRE(p[i].events.size() == 1);
        return p[i].events[0];
    };

    auto const& legacy = body_as<sdk::tool_call_requested>(event(0));  // function-call, string parameters
    CHECK(legacy.tool_call_id.empty());
    CHECK(legacy.name == "search_knowledge_base");
    CHECK(legacy.arguments == boost::json::object{{"query", "parking"}});
    CHECK(p[0].idempotency_key.empty());
    CHECK(event(0).facts.direction == sdk::call_direction::inbound);  // webCall
    CHECK(event(0).facts.from_number.empty());

    CHECK(body_as<sdk::tool_call_requested>(event(1)).arguments == boost::json::object{{"day", "monday"}});

    auto const& flat = body_as<sdk::tool_call_requested>(event(2));  // {id, name, parameters}
    CHECK(flat.tool_call_id == "call_Flat01");
    CHECK(flat.name == "get_hours");
    CHECK(flat.arguments == boost::json::object{{"day", "friday"}});
    CHECK(p[2].idempotency_key == "tool-calls:call_Flat01");

    auto const& garbled = body_as<sdk::tool_call_requested>(event(3));  // only toolWithToolCallList
    CHECK(garbled.tool_call_id == "call_Twl01");
    CHECK(garbled.name == "lookup");
    CHECK(garbled.arguments.empty());  // "not json": the raw body keeps it

    CHECK(body_as<sdk::knowledge_requested>(event(4)).query == "Covered parking, I mean.");
    CHECK(body_as<sdk::knowledge_requested>(event(5)).query == "Do you take pets?");

    for (std::size_t i = 6; i <= 12; ++i) {
        body_as<sdk::unknown_event>(event(i));
        CHECK(event(i).provider_call_id == c4);
    }
    CHECK(event(11).type == "status-update");  // not-found: changes nothing

    auto const& scheduled = event(13);
    CHECK(body_as<sdk::status_changed>(scheduled).status == sdk::call_status::queued);
    CHECK(ms_of(scheduled.at) == t0);  // a timestamp in seconds
    CHECK(scheduled.facts.direction == sdk::call_direction::outbound);

    for (std::size_t i : {14u, 15u, 16u}) {  // chat.created, session.created, assistant.started: no call
        body_as<sdk::unknown_event>(event(i));
        CHECK(event(i).provider_call_id.empty());
    }
    CHECK(event(14).type == "chat.created");

    auto const& drifted = event(17);
    CHECK_FALSE(drifted.at);
    CHECK(drifted.facts.metadata.empty());
    CHECK_FALSE(drifted.facts.started_at);
    auto const& r = body_as<sdk::call_ended>(drifted);
    CHECK(r.status == sdk::call_status::failed);
    CHECK(r.ended_reason == "pipeline-error-openai-llm-failed");
    REQUIRE(r.cost);
    CHECK(*r.cost == Approx(0.5));  // a numeric string
    CHECK_FALSE(r.duration_seconds);
    CHECK(r.analysis.empty());
    CHECK_FALSE(r.has_transcript);
    CHECK(r.recording_url.empty());

    auto const& bare = event(18);  // no envelope
    CHECK(bare.type == "status-update");
    CHECK(body_as<sdk::status_changed>(bare).status == sdk::call_status::ringing);
}

TEST_CASE("malformed bodies are refused with a message naming the problem", "[vapi][parse]") {
    auto lines = fixture_lines("malformed.jsonl");
    const std::vector<std::string> expected{
        "vapi: body is not a JSON object",
        "vapi: body is not a JSON object",
        "vapi: message is not an object",
        "vapi: message.type is missing or not a string",
        "vapi: message.type is missing or not a string",
        "vapi: status-update: call.id is not a string",
        "vapi: status-update: call is not an object",
        "vapi: tool-calls without call.id",
        "vapi: end-of-call-report without call.id",
        "vapi: body has no message",
    };
    REQUIRE(lines.size() == expected.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
        INFO("line " << i + 1);
        try {
            parse(lines[i]);
            FAIL("no bad_payload");
        } catch (const sdk::bad_payload& e) {
            CHECK(e.what() == expected[i]);
        }
    }
    for (auto bad : {"", "null", "\"text\""}) {
        INFO(bad);
        CHECK_THROWS_AS(parse(bad), sdk::bad_payload);
    }
}

TEST_CASE("endedReason families map by prefix and suffix", "[vapi][parse]") {
    struct row {
        const char* reason;
        sdk::call_status status;
    };
    using S = sdk::call_status;
    const row rows[] = {
        {"assistant-forwarded-call", S::transferred},
        {"call.ringing.hook-executed-transfer", S::transferred},
        {"call.ending.hook-executed-transfer", S::transferred},
        {"customer-busy", S::missed},
        {"customer-did-not-answer", S::missed},
        {"voicemail", S::missed},
        {"call.ringing.sip-inbound-caller-hungup-before-call-connect", S::missed},
        {"customer-ended-call", S::completed},
        {"customer-ended-call-after-warm-transfer-attempt", S::completed},
        {"assistant-ended-call-with-hangup-task", S::completed},
        {"assistant-said-end-call-phrase", S::completed},
        {"silence-timed-out", S::completed},
        {"exceeded-max-duration", S::completed},
        {"call.ending.hook-executed-say", S::completed},
        {"call.in-progress.twilio-completed-call", S::completed},
        {"call.in-progress.sip-completed-call", S::completed},
        {"vonage-completed", S::completed},
        {"pipeline-error-openai-llm-failed", S::failed},
        {"call.start.error-subscription-concurrency-limit-reached", S::failed},
        {"call.in-progress.error-vapifault-transfer-failed", S::failed},
        {"assistant-request-returned-error", S::failed},
        {"assistant-not-found", S::failed},
        {"assistant-join-timed-out", S::failed},
        {"twilio-failed-to-connect-call", S::failed},
        {"vonage-rejected", S::failed},
        {"call.forwarding.operator-busy", S::failed},
        {"phone-call-provider-closed-websocket", S::failed},
        {"worker-shutdown", S::failed},
        {"manually-canceled", S::failed},
        {"scheduled-call-deleted", S::failed},
        {"something-vapi-adds-next-year", S::failed},
    };
    for (auto const& r : rows) {
        INFO(r.reason);
        std::string body = std::string(R"({"message":{"type":"status-update","status":"ended","endedReason":")") +
                           r.reason + R"(","call":{"id":"c"}}})";
        auto p = parse(body);
        auto const& sc = body_as<sdk::status_changed>(p.events.at(0));
        CHECK(sc.status == r.status);
        CHECK(sc.ended_reason == r.reason);
        std::string report = std::string(R"({"message":{"type":"end-of-call-report","endedReason":")") + r.reason +
                             R"(","call":{"id":"c"}}})";
        CHECK(body_as<sdk::call_ended>(parse(report).events.at(0)).status == r.status);
    }
}
