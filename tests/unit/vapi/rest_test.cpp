// The vapi plugin's REST client (vapi_rest, compiled into this test) against a host
// that records requests and returns canned answers: the bodies it builds, the
// requests it sends, and how Vapi's errors become the host's statuses.
#include "vapi_rest.hpp"

#include "support/recording_host.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <deque>

using namespace switchboard;
using switchboard::plugins::vapi::vapi_rest;
namespace json = boost::json;
namespace vapi = switchboard::plugins::vapi;

namespace {

using testing::header;
using testing::recording_host;

json::object settings_with_key() {
    return {{"api_key", "sk-private-123"}, {"base_url", "http://127.0.0.1:9/"}};
}

sdk::assistant_spec sunset() {
    sdk::assistant_spec s;
    s.name = "Sunset Apartments";
    s.first_message = "Hello! Thank you for calling Sunset Apartments.";
    s.system_prompt = "You are a helpful leasing agent...";
    s.voice_id = "en-US-Neural2-F";
    s.model = "gpt-4";
    return s;
}

// Catches the provider_api_error `fn` throws and returns it.
template <class Fn>
sdk::provider_api_error thrown_by(Fn&& fn) {
    try {
        fn();
    } catch (const sdk::provider_api_error& e) {
        return e;
    }
    FAIL("no provider_api_error was thrown");
    return {0, ""};
}

}  // namespace

TEST_CASE("vapi rest: seed 004's assistant becomes a CreateAssistantDTO", "[vapi][rest]") {
    auto body = vapi::assistant_body(sunset());
    CHECK(body == json::parse(R"({
        "name": "Sunset Apartments",
        "firstMessage": "Hello! Thank you for calling Sunset Apartments.",
        "model": {"provider": "openai", "model": "gpt-4",
                  "messages": [{"role": "system", "content": "You are a helpful leasing agent..."}]},
        "voice": {"provider": "11labs", "voiceId": "en-US-Neural2-F"}})").as_object());
}

TEST_CASE("vapi rest: model providers, defaults, metadata and provider_config", "[vapi][rest]") {
    sdk::assistant_spec s;
    s.system_prompt = "Be brief.";
    CHECK(vapi::assistant_body(s).at("model").at("model") == "gpt-4o");  // a prompt needs a model
    s.model = "claude-3-5-sonnet";
    CHECK(vapi::assistant_body(s).at("model").at("provider") == "anthropic");
    s.model_provider = "groq";
    CHECK(vapi::assistant_body(s).at("model").at("provider") == "groq");

    s = sunset();
    s.voice_provider = "azure";
    s.metadata = {{"property_id", "bot-7"}};
    s.provider_config = json::parse(R"({"model": {"temperature": 0.2}, "maxDurationSeconds": 300,
                                        "voice": {"voiceId": "jenny"}})").as_object();
    auto body = vapi::assistant_body(s);
    // Deep merge: the canonical model keeps its fields, provider_config adds and overrides.
    CHECK(body.at("model").at("model") == "gpt-4");
    CHECK(body.at("model").at("temperature").as_double() == 0.2);
    CHECK(body.at("model").at("messages").as_array().size() == 1);
    CHECK(body.at("voice") == json::parse(R"({"provider": "azure", "voiceId": "jenny"})"));
    CHECK(body.at("maxDurationSeconds") == 300);
    CHECK(body.at("metadata") == json::parse(R"({"property_id": "bot-7"})"));

    CHECK(vapi::assistant_body(sdk::assistant_spec{}).empty());  // nothing set, nothing sent
}

TEST_CASE("vapi rest: an outbound call becomes a CreateCallDTO without top-level metadata", "[vapi][rest]") {
    sdk::outbound_call_request r;
    r.to_number = "+15555550123";
    r.customer_name = "Morgan";
    r.assistant_id = "asst-1";
    r.variables = {{"leadName", "Morgan"}};
    r.metadata = {{"leadId", "lead_7"}};
    r.name = "Tour reminder";
    CHECK(vapi::call_body(r, "pn-1") == json::parse(R"({
        "phoneNumberId": "pn-1",
        "customer": {"number": "+15555550123", "name": "Morgan"},
        "assistantId": "asst-1",
        "assistantOverrides": {"variableValues": {"leadName": "Morgan"}, "metadata": {"leadId": "lead_7"}},
        "name": "Tour reminder"})").as_object());

    sdk::outbound_call_request bare;
    bare.to_number = "+15555550123";
    auto spec = sunset();
    bare.assistant = &spec;
    auto body = vapi::call_body(bare, "pn-2");
    CHECK_FALSE(body.contains("assistantId"));
    CHECK_FALSE(body.contains("assistantOverrides"));  // nothing to override: not sent
    CHECK_FALSE(body.contains("name"));
    CHECK(body.at("customer") == json::parse(R"({"number": "+15555550123"})"));
    CHECK(body.at("assistant").at("name") == "Sunset Apartments");
    // A transient assistant subscribes to the messages the host needs (else no report).
    auto const& sm = body.at("assistant").at("serverMessages").as_array();
    CHECK(std::find(sm.begin(), sm.end(), json::value("end-of-call-report")) != sm.end());
}

TEST_CASE("vapi rest: NestJS error messages", "[vapi][rest]") {
    CHECK(vapi::error_message(R"({"message":"Couldn't Get Assistant.","error":"Bad Request","statusCode":400})") ==
          "Couldn't Get Assistant.");
    CHECK(vapi::error_message(
              R"({"message":["property metadata should not exist","name must be a string"],"error":"Bad Request","statusCode":400})") ==
          "property metadata should not exist; name must be a string");
    CHECK(vapi::error_message(R"({"error":"assistant_pinned"})") == "assistant_pinned");
    CHECK(vapi::error_message("<html>bad gateway</html>").empty());
}

TEST_CASE("vapi rest: provider answers map to host statuses", "[vapi][rest]") {
    auto map = [](int status, std::string body, std::string error = {}) {
        sdk::http_response r;
        r.status = status;
        r.body = std::move(body);
        r.error = std::move(error);
        return vapi::error_for(r, "assistant 'a1'");
    };
    auto e = map(400, R"({"message":["property foo should not exist"],"error":"Bad Request","statusCode":400})");
    CHECK(e.status() == 422);
    CHECK(std::string(e.what()) == "vapi refused assistant 'a1' (400): property foo should not exist");

    e = map(401, R"({"message":"Invalid Key. Hot tip, make sure you're using the private key.","statusCode":401})");
    CHECK(e.status() == 502);
    CHECK(std::string(e.what()) == "vapi rejected the API key (401)");
    CHECK(map(403, "{}").status() == 502);

    e = map(404, R"({"message":"Not Found","error":"Not Found","statusCode":404})");
    CHECK(e.status() == 404);
    CHECK(std::string(e.what()) == "vapi has no assistant 'a1': Not Found");

    e = map(409, R"({"error":"assistant_pinned","message":"Assistant is pinned"})");
    CHECK(e.status() == 409);
    CHECK(std::string(e.what()).find("Assistant is pinned") != std::string::npos);

    CHECK(map(429, "").status() == 502);
    CHECK(map(500, R"({"message":"Internal server error"})").status() == 502);
    CHECK(map(503, "").status() == 502);

    e = map(0, "", "request to api.vapi.ai:443 timed out after 10000 ms (waiting for the response)");
    CHECK(e.status() == 504);
    e = map(0, "", "connect: Connection refused");
    CHECK(e.status() == 502);
    CHECK(std::string(e.what()) == "vapi is unreachable (assistant 'a1'): connect: Connection refused");
}

TEST_CASE("vapi rest: requests carry the Bearer key, JSON bodies and Vapi's paths", "[vapi][rest]") {
    recording_host host;
    auto settings = settings_with_key();
    vapi_rest rest(host, {"acme", &settings});

    host.answer(201, R"({"id":"asst-9","name":"Sunset Apartments"})");
    auto created = rest.create_assistant(sunset());
    CHECK(created.id == "asst-9");
    CHECK(created.raw.at("name") == "Sunset Apartments");
    REQUIRE(host.sent.size() == 1);
    CHECK(host.sent[0].method == "POST");
    CHECK(host.sent[0].url == "http://127.0.0.1:9/assistant");  // trailing slash of base_url dropped
    CHECK(header(host.sent[0], "Authorization") == "Bearer sk-private-123");
    CHECK(header(host.sent[0], "Content-Type") == "application/json");
    CHECK(json::parse(host.sent[0].body) == vapi::assistant_body(sunset()));

    host.answer(200, R"({"id":"asst-9","name":"Renamed"})");
    auto spec = sunset();
    spec.name = "Renamed";
    CHECK(rest.update_assistant("asst-9", spec).raw.at("name") == "Renamed");
    CHECK(host.sent[1].method == "PATCH");  // the host's PUT is Vapi's PATCH
    CHECK(host.sent[1].url == "http://127.0.0.1:9/assistant/asst-9");

    host.answer(200, R"({"id":"asst-9"})");
    rest.delete_assistant("asst-9");
    CHECK(host.sent[2].method == "DELETE");
    CHECK(host.sent[2].body.empty());
    CHECK(header(host.sent[2], "Content-Type").empty());

    host.answer(200, R"({"id":"x/y"})");
    rest.get_assistant("x/../call");  // an id never reaches another path
    CHECK(host.sent[3].url == "http://127.0.0.1:9/assistant/x%2F..%2Fcall");

    host.answer(200, R"([{"id":"c1"}])");
    CHECK(rest.list_calls({"asst-9", 5}).size() == 1);
    CHECK(host.sent[4].url == "http://127.0.0.1:9/call?limit=5&assistantId=asst-9");

    host.answer(200, R"([])");
    CHECK(rest.list_assistants(5000).empty());
    CHECK(host.sent[5].url == "http://127.0.0.1:9/assistant?limit=1000");  // Vapi's max
}

TEST_CASE("vapi rest: placing a call uses the org's default number", "[vapi][rest]") {
    recording_host host;
    auto settings = settings_with_key();
    settings["phone_number_ids"] = json::array{"pn-first", "pn-second"};
    sdk::outbound_call_request r;
    r.to_number = "+15555550123";
    r.assistant_id = "asst-1";
    {
        vapi_rest rest(host, {"acme", &settings});
        host.answer(201, R"({"id":"call-1","status":"queued","phoneNumberId":"pn-first"})");
        auto placed = rest.place_call(r);
        CHECK(placed.provider_call_id == "call-1");
        CHECK(placed.status == sdk::call_status::queued);
        CHECK(placed.phone_number_id == "pn-first");
        CHECK(json::parse(host.sent.back().body).at("phoneNumberId") == "pn-first");
        CHECK(host.sent.back().url == "http://127.0.0.1:9/call");
    }
    settings["outbound_phone_number_id"] = "pn-outbound";
    {
        vapi_rest rest(host, {"acme", &settings});
        host.answer(201, R"({"id":"call-2","status":"ringing"})");
        auto placed = rest.place_call(r);
        CHECK(placed.status == sdk::call_status::ringing);
        CHECK(placed.phone_number_id == "pn-outbound");  // not in the answer: what we sent
        r.phone_number_id = "pn-explicit";
        host.answer(201, R"({"id":"call-3"})");
        rest.place_call(r);
        CHECK(json::parse(host.sent.back().body).at("phoneNumberId") == "pn-explicit");
    }
    settings.erase("outbound_phone_number_id");
    settings["phone_number_ids"] = json::array{};
    r.phone_number_id.clear();
    vapi_rest rest(host, {"acme", &settings});
    auto e = thrown_by([&] { rest.place_call(r); });
    CHECK(e.status() == 422);
    CHECK(std::string(e.what()).find("orgs[].plugins.vapi.outbound_phone_number_id") != std::string::npos);

    r.phone_number_id = "pn-1";
    r.assistant_id.clear();  // neither an id nor an inline assistant
    CHECK(thrown_by([&] { rest.place_call(r); }).status() == 422);
}

TEST_CASE("vapi rest: missing key, failures, and what is logged", "[vapi][rest]") {
    recording_host host;
    json::object no_key{{"base_url", "https://api.vapi.ai"}};
    auto e = thrown_by([&] { vapi_rest(host, {"acme", &no_key}); });
    CHECK(e.status() == 422);
    CHECK(std::string(e.what()) ==
          "vapi: org 'acme' has no API key: set orgs[].plugins.vapi.api_key for it (or "
          "plugins.load[].config.api_key for every org)");
    CHECK(host.sent.empty());

    auto settings = settings_with_key();
    vapi_rest rest(host, {"acme", &settings});
    sdk::outbound_call_request r;
    r.to_number = "+15555550123";
    r.assistant_id = "asst-1";
    r.phone_number_id = "pn-1";
    host.answer(400, R"({"message":["customer.number must be a valid phone number in the E.164 format"],"error":"Bad Request","statusCode":400})");
    e = thrown_by([&] { rest.place_call(r); });
    CHECK(e.status() == 422);
    CHECK(std::string(e.what()).find("customer.number must be a valid phone number") != std::string::npos);
    // The warning names the status, never the number or the key.
    REQUIRE_FALSE(host.logs.empty());
    for (auto const& [level, text] : host.logs) {
        CHECK(text.find("+15555550123") == std::string::npos);
        CHECK(text.find("sk-private-123") == std::string::npos);
    }
    CHECK(host.logs.front().first == sdk::log_level::warn);
    CHECK(host.logs.front().second == "org acme: POST /call -> 400, answering 422");

    host.answer(201, "not json");
    CHECK(thrown_by([&] { rest.place_call(r); }).status() == 502);
    host.answer(201, R"({"status":"queued"})");  // no id: nothing we could track
    CHECK(thrown_by([&] { rest.place_call(r); }).status() == 502);
}
