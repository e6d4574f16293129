// Accepting an incoming SIP call (protocol page, sections 2.1, 3.3, 3.4): the GA
// session built from the host's assistant choice, and the REST calls render() makes
// through a recording host (accept, reject, 404, refused sessions, failures).
#include "openai_calls.hpp"
#include "openai_session.hpp"
#include "openai_realtime_provider.hpp"

#include "support/recording_host.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <deque>

using namespace switchboard;
namespace oa = switchboard::plugins::openai_realtime;
namespace json = boost::json;

namespace {

using testing::header;
using testing::recording_host;

sdk::tool_spec office_hours() {
    return {"get_office_hours", "Tell the caller when the office is open.",
            json::object{{"type", "object"}, {"properties", json::object{}}, {"required", json::array{}}}};
}

sdk::assistant_spec dental() {
    sdk::assistant_spec s;
    s.name = "Front desk";
    s.first_message = "Hello!";
    s.system_prompt = "You are the Example Dental front desk.";
    s.model = "gpt-realtime-mini";
    s.voice_id = "cedar";
    s.metadata = {{"team", "front"}};
    s.tools = {office_hours(),
               {"schedule_visit", "", json::object{{"type", "object"},
                                                   {"properties", json::object{{"date", {{"type", "string"}}}}},
                                                   {"required", json::array{"date"}}}},
               {"ping", "", {}}};
    return s;
}

constexpr const char* incoming = R"({"object":"event","id":"evt_1","type":"realtime.call.incoming",
 "created_at":1787472000,"data":{"call_id":"rtc_A1/..","sip_headers":[{"name":"From","value":"<sip:+15550100@x.test>"}]}})";

struct fixture {
    recording_host host;
    json::object settings{{"api_key", "sk-test-key"}, {"base_url", "http://127.0.0.1:9/v1/"}, {"model", "gpt-realtime"},
                          {"voice", "marin"}};
    oa::openai_realtime_provider provider{json::object{}, &host};

    sdk::webhook_response render(const sdk::assistant_choice& choice, const char* body = incoming) {
        sdk::webhook_request r;
        r.method = "POST";
        r.target = "/webhooks/openai_realtime/acme";
        r.body = body;
        r.org = "acme";
        r.settings = &settings;
        sdk::webhook_answer a;
        a.message_type = "realtime.call.incoming";
        a.assistant = choice;
        return provider.render(r, a);
    }
};

sdk::assistant_choice with_spec(sdk::assistant_spec s) {
    sdk::assistant_choice c;
    c.spec = std::move(s);
    return c;
}

}  // namespace

TEST_CASE("openai session: canonical fields become a GA session config", "[openai][session]") {
    json::object settings{{"model", "gpt-realtime"}, {"voice", "marin"}};
    CHECK(oa::session_from_spec(dental(), &settings) == json::parse(R"({
        "type": "realtime", "model": "gpt-realtime-mini",
        "instructions": "You are the Example Dental front desk.",
        "audio": {"output": {"voice": "cedar"}},
        "tools": [
          {"type": "function", "name": "get_office_hours", "description": "Tell the caller when the office is open.",
           "parameters": {"type": "object", "properties": {}, "required": []}},
          {"type": "function", "name": "schedule_visit",
           "parameters": {"type": "object", "properties": {"date": {"type": "string"}}, "required": ["date"]}},
          {"type": "function", "name": "ping", "parameters": {"type": "object", "properties": {}}}],
        "tool_choice": "auto"})"));

    // Empty fields fall back to the settings, then to gpt-realtime; no tools, no tool_choice.
    sdk::assistant_spec bare;
    bare.system_prompt = "Hi";
    CHECK(oa::session_from_spec(bare, &settings) ==
          json::parse(R"({"type":"realtime","model":"gpt-realtime","instructions":"Hi","audio":{"output":{"voice":"marin"}}})"));
    CHECK(oa::session_from_spec(bare, nullptr) == json::parse(R"({"type":"realtime","model":"gpt-realtime","instructions":"Hi"})"));
}

TEST_CASE("openai session: provider_config is deep-merged over the rendered session", "[openai][session]") {
    auto spec = dental();
    spec.provider_config = json::parse(R"({
        "audio": {"input": {"transcription": {"model": "gpt-4o-mini-transcribe"},
                            "turn_detection": {"type": "semantic_vad", "interrupt_response": true}},
                  "output": {"speed": 1.1}},
        "tool_choice": "required", "max_output_tokens": 800})").as_object();
    auto s = oa::session_from_spec(spec, nullptr);
    CHECK(s.at("audio") == json::parse(R"({
        "output": {"voice": "cedar", "speed": 1.1},
        "input": {"transcription": {"model": "gpt-4o-mini-transcribe"},
                  "turn_detection": {"type": "semantic_vad", "interrupt_response": true}}})"));
    CHECK(s.at("tool_choice") == "required");
    CHECK(s.at("max_output_tokens") == 800);
    CHECK(s.at("tools").as_array().size() == 3);
    CHECK(s.at("instructions") == "You are the Example Dental front desk.");
}

TEST_CASE("openai session: VAD tuning refused on SIP is stripped before accepting", "[openai][session]") {
    auto s = json::parse(R"({"type":"realtime","audio":{"input":{"turn_detection":{"type":"server_vad",
        "threshold":0.6,"prefix_padding_ms":300,"silence_duration_ms":500,"create_response":true}}}})").as_object();
    auto dropped = oa::strip_sip_refused(s);
    CHECK(dropped == std::vector<std::string>{"audio.input.turn_detection.threshold",
                                              "audio.input.turn_detection.prefix_padding_ms",
                                              "audio.input.turn_detection.silence_duration_ms"});
    CHECK(s.at("audio").at("input").at("turn_detection") == json::parse(R"({"type":"server_vad","create_response":true})"));
    json::object plain{{"type", "realtime"}};
    CHECK(oa::strip_sip_refused(plain).empty());
}

TEST_CASE("openai render: a spec is accepted over REST with the org's key, the webhook gets 200", "[openai][session]") {
    fixture f;
    f.host.answer(200);
    auto spec = dental();
    spec.provider_config = json::parse(R"({"audio":{"input":{"turn_detection":{"type":"server_vad","threshold":0.7}}}})")
                               .as_object();
    auto r = f.render(with_spec(spec));
    CHECK(r.status == 200);
    CHECK(json::parse(r.body) == json::parse(R"({"call_id":"rtc_A1/..","action":"accepted","status":200})"));
    REQUIRE(f.host.sent.size() == 1);
    auto const& req = f.host.sent[0];
    CHECK(req.method == "POST");
    // The id is percent-encoded: it can never reach another route.
    CHECK(req.url == "http://127.0.0.1:9/v1/realtime/calls/rtc_A1%2F../accept");
    CHECK(header(req, "Authorization") == "Bearer sk-test-key");
    CHECK(header(req, "Content-Type") == "application/json");
    CHECK(req.max_retries == 1);
    auto body = json::parse(req.body).as_object();
    CHECK(body.at("type") == "realtime");
    CHECK(body.at("model") == "gpt-realtime-mini");
    CHECK(body.at("tools").as_array().at(0).at("name") == "get_office_hours");
    CHECK(body.at("audio").at("input").at("turn_detection") == json::parse(R"({"type":"server_vad"})"));
    CHECK_THAT(f.host.all_logs(), Catch::Contains("audio.input.turn_detection.threshold is refused on SIP calls"));
    CHECK(f.host.all_logs().find("sk-test-key") == std::string::npos);
}

TEST_CASE("openai render: an inline OpenAI session and a saved prompt id", "[openai][session]") {
    fixture f;
    f.host.answer(200);
    f.host.answer(200);
    sdk::assistant_choice raw;
    raw.assistant = json::parse(R"({"model":"gpt-realtime","instructions":"Raw"})").as_object();
    CHECK(json::parse(f.render(raw).body).at("action") == "accepted");
    CHECK(json::parse(f.host.sent.at(0).body) == json::parse(R"({"model":"gpt-realtime","instructions":"Raw","type":"realtime"})"));

    sdk::assistant_choice saved;
    saved.assistant_id = "pmpt_123";
    saved.overrides = {{"variables", {{"city", "Paris"}}}};
    CHECK(json::parse(f.render(saved).body).at("action") == "accepted");
    CHECK(json::parse(f.host.sent.at(1).body) ==
          json::parse(R"({"type":"realtime","model":"gpt-realtime","prompt":{"id":"pmpt_123","variables":{"city":"Paris"}}})"));
}

TEST_CASE("openai render: a refusal rejects with 603, or the status the overrides name", "[openai][session]") {
    fixture f;
    f.host.answer(200);
    sdk::assistant_choice closed;
    closed.error = "closed";
    auto r = f.render(closed);
    CHECK(r.status == 200);
    CHECK(json::parse(r.body) == json::parse(R"({"call_id":"rtc_A1/..","action":"rejected","status":200,"detail":"closed"})"));
    REQUIRE(f.host.sent.size() == 1);
    CHECK(f.host.sent[0].url == "http://127.0.0.1:9/v1/realtime/calls/rtc_A1%2F../reject");
    CHECK(json::parse(f.host.sent[0].body) == json::parse(R"({"status_code":603})"));

    f.host.answer(200);
    closed.overrides = {{"status_code", 486}};
    f.render(closed);
    CHECK(json::parse(f.host.sent.at(1).body) == json::parse(R"({"status_code":486})"));
    f.host.answer(200);
    closed.overrides = {{"status_code", 200}};  // not a final refusal: the default
    f.render(closed);
    CHECK(json::parse(f.host.sent.at(2).body) == json::parse(R"({"status_code":603})"));
    // An empty choice (nothing configured) is a refusal too.
    f.host.answer(200);
    CHECK(json::parse(f.render(sdk::assistant_choice{}).body).at("action") == "rejected");
    CHECK(f.host.sent.at(3).url.ends_with("/reject"));
}

TEST_CASE("openai render: accept's 404 is a no-op, a refused session is rejected, failures are 200 and logged",
          "[openai][session]") {
    SECTION("404 call_id_not_found: the caller is gone") {
        fixture f;
        f.host.answer(404, R"({"error":{"message":"Call not found","type":"invalid_request_error","code":"call_id_not_found"}})");
        auto r = f.render(with_spec(dental()));
        CHECK(r.status == 200);
        CHECK(json::parse(r.body).at("action") == "gone");
        CHECK(f.host.sent.size() == 1);
    }
    SECTION("400: the session is wrong, the caller is freed with a reject") {
        fixture f;
        f.host.answer(400, R"({"error":{"message":"Unknown parameter: 'session.foo'.","type":"invalid_request_error","code":"unknown_parameter"}})");
        f.host.answer(200);
        auto r = f.render(with_spec(dental()));
        CHECK(r.status == 200);
        auto body = json::parse(r.body);
        CHECK(body.at("action") == "rejected");
        CHECK(body.at("detail") == "OpenAI refused the session: Unknown parameter: 'session.foo'. (unknown_parameter)");
        REQUIRE(f.host.sent.size() == 2);
        CHECK(f.host.sent[1].url.ends_with("/reject"));
    }
    SECTION("5xx or no answer: logged, no reject (accept may have gone through), still 200") {
        fixture f;
        f.host.answer(500, R"({"error":{"message":"server error","type":"server_error"}})");
        auto r = f.render(with_spec(dental()));
        CHECK(r.status == 200);
        CHECK(json::parse(r.body) == json::parse(R"({"call_id":"rtc_A1/..","action":"accept_failed","status":500,"detail":"server error"})"));
        f.host.answer(0, {}, "timed out");
        CHECK(json::parse(f.render(with_spec(dental())).body).at("detail") == "timed out");
        CHECK(f.host.sent.size() == 2);
        CHECK_THAT(f.host.all_logs(), Catch::Contains("accept failed: 500 server error"));
    }
    SECTION("401: OpenAI's text (which quotes part of the key) is not repeated") {
        fixture f;
        f.host.answer(401, R"({"error":{"message":"Incorrect API key provided: sk-tes***key","code":"invalid_api_key"}})");
        auto r = f.render(with_spec(dental()));
        CHECK(r.body.find("sk-") == std::string::npos);
        CHECK(f.host.all_logs().find("sk-") == std::string::npos);
        CHECK(json::parse(r.body).at("action") == "accept_failed");
    }
    SECTION("no api_key: nothing is sent; the log names the key to set") {
        fixture f;
        f.settings.erase("api_key");
        auto r = f.render(with_spec(dental()));
        CHECK(r.status == 200);
        CHECK(f.host.sent.empty());
        CHECK_THAT(f.host.all_logs(), Catch::Contains("orgs[].plugins.openai_realtime.api_key"));
    }
}

TEST_CASE("openai render: acknowledgements, and sideband-only answers get 200 without a REST call",
          "[openai][session]") {
    fixture f;
    sdk::webhook_request r;
    r.body = R"({"type":"response.completed"})";
    r.org = "acme";
    r.settings = &f.settings;
    auto ack = f.provider.render(r, {});
    CHECK(ack.status == 200);
    CHECK(ack.body == R"({"ok":true})");

    sdk::webhook_answer tools;
    tools.tool_results.push_back({"call_1", "get_office_hours", "9 to 5", true});
    auto t = f.provider.render(r, tools);
    CHECK(t.status == 200);
    CHECK(json::parse(t.body).at("ok") == false);

    // An assistant answer for a webhook that is no incoming call accepts nothing.
    sdk::webhook_answer a;
    a.assistant = with_spec(dental());
    auto none = f.provider.render(r, a);
    CHECK(none.status == 200);
    CHECK(json::parse(none.body).at("action") == "none");
    CHECK(f.host.sent.empty());
}
