// Calls out through the real binary and the real vapi plugin, against a local fake
// Vapi (tests/support/fake_vapi) that checks the key and every body against the
// protocol page: assistants (create, list, get, update, delete, org isolation,
// errors), outbound calls recorded and then updated by their webhooks, seed 004's
// aliases. On SQLite and PostgreSQL.
#include "integration/host_fixture.hpp"
#include "support/fake_vapi.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace switchboard::testing;
namespace json = boost::json;

namespace {

constexpr const char* acme_vapi_key = "sk-acme-private-0123";
constexpr const char* initech_key = "it-initech-key";
constexpr const char* umbrella_key = "it-umbrella-key";
constexpr const char* webhook_secret = "whsec-acme-0123456789";

// acme: the fake's key; globex: a key the fake refuses; initech: no key at all;
// umbrella: a base_url where nothing listens.
host_options calls_out_host(const fake_vapi& vapi) {
    host_options o;
    const std::string base = vapi.base_url();
    o.org_yaml = std::string("orgs:\n") +
                 "  - id: acme\n    api_keys: [\"" + acme_key + "\"]\n" +
                 "    answers: {assistant_id: asst-default}\n" +
                 "    plugins:\n      vapi: {webhook_secret: \"" + webhook_secret + "\", api_key: \"" + acme_vapi_key +
                 "\", base_url: \"" + base + "\", outbound_phone_number_id: pn-acme}\n" +
                 "  - id: globex\n    api_keys: [\"" + globex_key + "\"]\n" +
                 "    plugins:\n      vapi: {api_key: sk-globex-wrong, base_url: \"" + base + "\", phone_number_ids: [pn-globex]}\n" +
                 "  - id: initech\n    api_keys: [\"" + initech_key + "\"]\n" +
                 "    plugins:\n      vapi: {base_url: \"" + base + "\"}\n" +
                 "  - id: umbrella\n    api_keys: [\"" + umbrella_key + "\"]\n" +
                 "    plugins:\n      vapi: {api_key: k, base_url: \"http://127.0.0.1:" + std::to_string(free_port()) +
                 "\", phone_number_ids: [pn-u]}\n";
    return o;
}

json::object parse(const http_response& r) {
    INFO(r.status << " " << r.body);
    return json::parse(r.body).as_object();
}

std::string detail(const http_response& r) { return std::string(parse(r).at("detail").as_string()); }

const char* seed_assistant = R"({"name": "Sunset Apartments",
  "first_message": "Hello! Thank you for calling Sunset Apartments.",
  "system_prompt": "You are a helpful leasing agent...", "voice_id": "en-US-Neural2-F", "model": "gpt-4"})";

const json::object& seed_vapi_body() {
    static const auto body = json::parse(R"({"name": "Sunset Apartments",
      "firstMessage": "Hello! Thank you for calling Sunset Apartments.",
      "model": {"provider": "openai", "model": "gpt-4",
                "messages": [{"role": "system", "content": "You are a helpful leasing agent..."}]},
      "voice": {"provider": "11labs", "voiceId": "en-US-Neural2-F"}})").as_object();
    return body;
}

json::object create_assistant(host& h, const std::string& path = "/api/v1/assistants") {
    auto r = h.request("POST", path, seed_assistant, acme_key);
    INFO(r.body);
    REQUIRE(r.status == 201);
    return parse(r);
}

void assistant_lifecycle(db_kind kind) {
    fake_vapi vapi(acme_vapi_key);
    host h(kind, calls_out_host(vapi));
    h.start();

    auto created = create_assistant(h);
    const std::string id(created.at("id").as_string());
    const std::string remote(created.at("provider_assistant_id").as_string());
    CHECK(created.at("org") == "acme");
    CHECK(created.at("provider") == "vapi");  // the one provider acme configures
    CHECK(created.at("name") == "Sunset Apartments");
    CHECK(created.at("voice_id") == "en-US-Neural2-F");
    CHECK(vapi.assistants().count(remote) == 1);
    auto sent = vapi.last("POST", "/assistant");
    CHECK(sent.header("authorization") == std::string("Bearer ") + acme_vapi_key);
    CHECK(sent.header("content-type") == "application/json");
    CHECK(sent.json() == seed_vapi_body());

    // Listed and readable by its org, by either id; invisible to another org.
    auto list = parse(h.get("/api/v1/assistants", acme_key));
    REQUIRE(list.at("total") == 1);
    CHECK(list.at("assistants").as_array()[0].at("id").as_string() == id);
    CHECK(parse(h.get("/api/v1/assistants", globex_key)).at("total") == 0);
    CHECK(parse(h.get("/api/v1/assistants?org=acme", admin_key)).at("total") == 1);
    CHECK(parse(h.get("/api/v1/assistants?org=globex", admin_key)).at("total") == 0);
    CHECK(h.get("/api/v1/assistants/" + id, acme_key).status == 200);
    CHECK(parse(h.get("/api/v1/assistants/" + remote, acme_key)).at("id").as_string() == id);
    CHECK(h.get("/api/v1/assistants/" + id, admin_key).status == 200);
    auto foreign = h.get("/api/v1/assistants/" + id, globex_key);
    CHECK(foreign.status == 404);
    CHECK(detail(foreign) == "assistant not found");
    CHECK(h.request("PUT", "/api/v1/assistants/" + id, R"({"name": "Mine now"})", globex_key).status == 404);
    CHECK(h.request("DELETE", "/api/v1/assistants/" + id, "", globex_key).status == 404);
    CHECK(h.get("/api/v1/assistants/" + id + "/provider", globex_key).status == 404);
    CHECK(vapi.count("PATCH", "/assistant") == 0);
    CHECK(vapi.count("DELETE", "/assistant") == 0);

    // PUT merges over the stored fields and sends the whole result as a PATCH.
    auto updated = h.request("PUT", "/api/v1/assistants/" + id, R"({"first_message": "Hi again"})", acme_key);
    INFO(updated.body);
    REQUIRE(updated.status == 200);
    CHECK(parse(updated).at("first_message") == "Hi again");
    CHECK(parse(updated).at("system_prompt") == "You are a helpful leasing agent...");
    auto patch = vapi.last("PATCH", "/assistant/");
    CHECK(patch.path == "/assistant/" + remote);
    CHECK(patch.header("authorization") == std::string("Bearer ") + acme_vapi_key);
    auto expected = seed_vapi_body();
    expected["firstMessage"] = "Hi again";
    CHECK(patch.json() == expected);
    CHECK(parse(h.get("/api/v1/assistants/" + id, acme_key)).at("first_message") == "Hi again");
    auto at_vapi = h.get("/api/v1/assistants/" + id + "/provider", acme_key);
    REQUIRE(at_vapi.status == 200);
    CHECK(parse(at_vapi).at("firstMessage") == "Hi again");
    CHECK(parse(at_vapi).at("id").as_string() == remote);

    auto deleted = h.request("DELETE", "/api/v1/assistants/" + id, "", acme_key);
    REQUIRE(deleted.status == 200);
    CHECK(parse(deleted).at("deleted_at_provider") == true);
    CHECK(vapi.last("DELETE", "/assistant/").path == "/assistant/" + remote);
    CHECK(vapi.assistants().empty());
    CHECK(h.get("/api/v1/assistants/" + id, acme_key).status == 404);

    // Already gone at Vapi: still removed here, and the answer says so.
    auto second = create_assistant(h);
    vapi.fail_next("DELETE", "/assistant/", 404, R"({"message":"Not Found","error":"Not Found","statusCode":404})");
    auto gone = h.request("DELETE", "/api/v1/assistants/" + std::string(second.at("id").as_string()), "", acme_key);
    REQUIRE(gone.status == 200);
    CHECK(parse(gone).at("deleted_at_provider") == false);
    CHECK(std::string(parse(gone).at("detail").as_string()).find("removed locally") != std::string::npos);
    CHECK(parse(h.get("/api/v1/assistants", acme_key)).at("total") == 0);

    // A pinned assistant stays, here and there.
    auto third = create_assistant(h);
    vapi.fail_next("DELETE", "/assistant/", 409, R"({"error":"assistant_pinned","message":"Assistant is pinned"})");
    auto pinned = h.request("DELETE", "/api/v1/assistants/" + std::string(third.at("id").as_string()), "", acme_key);
    CHECK(pinned.status == 409);
    CHECK(detail(pinned).find("Assistant is pinned") != std::string::npos);
    CHECK(parse(h.get("/api/v1/assistants", acme_key)).at("total") == 1);
}
SB_BOTH_DATABASES("calls out: assistant create, list, get, update, delete, org isolation", "[calls_out]",
                  assistant_lifecycle)

void assistant_errors(db_kind kind) {
    fake_vapi vapi(acme_vapi_key);
    host h(kind, calls_out_host(vapi));
    h.start();

    // Vapi's validation failure: 422 with its words, nothing stored.
    vapi.fail_next("POST", "/assistant", 400,
                   R"({"message":["property model.temperatur should not exist"],"error":"Bad Request","statusCode":400})");
    auto refused = h.request("POST", "/api/v1/assistants", seed_assistant, acme_key);
    CHECK(refused.status == 422);
    CHECK(detail(refused) == "vapi refused the new assistant (400): property model.temperatur should not exist");
    // The fake's own check, through the same path: Vapi caps names at 40 characters.
    auto long_name = h.request("POST", "/api/v1/assistants", R"({"name": ")" + std::string(41, 'x') + R"("})", acme_key);
    CHECK(long_name.status == 422);
    CHECK(detail(long_name).find("name must be shorter than or equal to 40 characters") != std::string::npos);
    CHECK(parse(h.get("/api/v1/assistants", acme_key)).at("total") == 0);

    // Our own checks never reach Vapi.
    const auto posts = vapi.count("POST", "/assistant");
    auto unknown = h.request("POST", "/api/v1/assistants", R"({"name": "x", "colour": "red"})", acme_key);
    CHECK(unknown.status == 422);
    CHECK(detail(unknown).rfind("colour: unknown field", 0) == 0);
    auto typed = h.request("POST", "/api/v1/assistants", R"({"name": 7})", acme_key);
    CHECK(typed.status == 422);
    CHECK(detail(typed) == "name: expected a string");
    CHECK(detail(h.request("POST", "/api/v1/assistants", R"({"first_message": "hi"})", acme_key)) == "name: required");
    CHECK(h.request("POST", "/api/v1/assistants", "[1]", acme_key).status == 422);
    CHECK(h.request("POST", "/api/v1/assistants", seed_assistant, "").status == 401);
    CHECK(vapi.count("POST", "/assistant") == posts);

    // A key Vapi refuses: 502, and neither key appears.
    auto bad_key = h.request("POST", "/api/v1/assistants", seed_assistant, globex_key);
    CHECK(bad_key.status == 502);
    CHECK(detail(bad_key) == "vapi rejected the API key (401)");
    CHECK(vapi.last("POST", "/assistant").header("authorization") == "Bearer sk-globex-wrong");

    // No key configured: 422 naming the setting.
    auto no_key = h.request("POST", "/api/v1/assistants", seed_assistant, initech_key);
    CHECK(no_key.status == 422);
    CHECK(detail(no_key).find("orgs[].plugins.vapi.api_key") != std::string::npos);

    // Vapi down: 502 saying it is unreachable.
    auto down = h.request("POST", "/api/v1/assistants", seed_assistant, umbrella_key);
    CHECK(down.status == 502);
    CHECK(detail(down).rfind("vapi is unreachable", 0) == 0);

    // Providers: one that cannot, one that does not exist, an admin without an org.
    auto realtime = h.request("POST", "/api/v1/assistants",
                              R"({"name": "x", "provider": "openai_realtime"})", acme_key);
    CHECK(realtime.status == 501);
    CHECK(detail(realtime) == "provider 'openai_realtime': creating assistants is not supported");
    auto nope = h.request("POST", "/api/v1/assistants", R"({"name": "x", "provider": "nope"})", acme_key);
    CHECK(nope.status == 422);
    CHECK(detail(nope) == "provider: no provider plugin 'nope' is loaded");
    auto admin = h.request("POST", "/api/v1/assistants", seed_assistant, admin_key);
    CHECK(admin.status == 422);
    CHECK(detail(admin) == "org: required with an admin credential");
    auto admin_ok = h.request("POST", "/api/v1/assistants?org=acme", seed_assistant, admin_key);
    CHECK(admin_ok.status == 201);
    CHECK(parse(admin_ok).at("org") == "acme");
}
SB_BOTH_DATABASES("calls out: provider errors become 422/502/501 with the reason", "[calls_out]", assistant_errors)

void outbound_call(db_kind kind) {
    fake_vapi vapi(acme_vapi_key);
    host h(kind, calls_out_host(vapi));
    h.start();
    auto assistant = create_assistant(h);
    const std::string remote(assistant.at("provider_assistant_id").as_string());

    auto r = h.request("POST", "/api/v1/calls/outbound/create",
                       R"({"to": "+15555550123", "customer_name": "Morgan", "assistant_id": ")" +
                           std::string(assistant.at("id").as_string()) +
                           R"(", "variables": {"leadName": "Morgan"}, "metadata": {"campaign": "follow_up"},
                              "external_record_id": "lead_7", "name": "Tour reminder"})",
                       acme_key);
    INFO(r.body);
    REQUIRE(r.status == 201);
    auto call = parse(r);
    const std::string call_id(call.at("id").as_string());
    const std::string provider_call_id(call.at("provider_call_id").as_string());
    CHECK(vapi.calls().count(provider_call_id) == 1);
    CHECK(call.at("org") == "acme");
    CHECK(call.at("provider") == "vapi");
    CHECK(call.at("direction") == "outbound");
    CHECK(call.at("status") == "queued");
    CHECK(call.at("to_number") == "+15555550123");
    CHECK(call.at("assistant").as_string() == remote);  // the provider's id, as its webhooks name it
    CHECK(call.at("external_record_id") == "lead_7");
    // The name rides in the metadata too, so the org's hooks know whom they talk to.
    CHECK(call.at("metadata") ==
          json::parse(R"({"campaign": "follow_up", "external_record_id": "lead_7", "customer_name": "Morgan"})"));

    auto sent = vapi.last("POST", "/call");
    CHECK(sent.header("authorization") == std::string("Bearer ") + acme_vapi_key);
    CHECK(sent.json() == json::parse(R"({"phoneNumberId": "pn-acme",
        "customer": {"number": "+15555550123", "name": "Morgan"}, "assistantId": ")" + remote + R"(",
        "assistantOverrides": {"variableValues": {"leadName": "Morgan"},
                               "metadata": {"campaign": "follow_up", "external_record_id": "lead_7",
                                            "customer_name": "Morgan"}},
        "name": "Tour reminder"})"));

    // The webhooks that follow update this same row.
    http_client c("127.0.0.1", h.port());
    auto hook = c.request("POST", "/webhooks/vapi/acme",
                          R"({"message":{"type":"status-update","status":"in-progress","timestamp":1767225600000,
                              "call":{"id":")" + provider_call_id + R"(","type":"outboundPhoneCall"}}})",
                          {{"Content-Type", "application/json"}, {"X-Vapi-Secret", webhook_secret}});
    REQUIRE(hook.status == 200);
    auto list = parse(h.get("/api/v1/calls", acme_key));
    REQUIRE(list.at("total") == 1);
    auto const& row = list.at("calls").as_array()[0];
    CHECK(row.at("id").as_string() == call_id);
    CHECK(row.at("status") == "in_progress");
    CHECK(row.at("direction") == "outbound");
    CHECK(row.at("external_record_id") == "lead_7");
    CHECK(parse(h.get("/api/v1/calls?external_record_id=lead_7", acme_key)).at("total") == 1);

    // The provider's view, for the caller's org only.
    auto view = h.get("/api/v1/calls/" + call_id + "/provider", acme_key);
    REQUIRE(view.status == 200);
    CHECK(parse(view).at("id").as_string() == provider_call_id);
    CHECK(vapi.last("GET", "/call/").path == "/call/" + provider_call_id);
    CHECK(h.get("/api/v1/calls/" + call_id + "/provider", globex_key).status == 404);

    // An inline assistant, the org's default number; no assistantId sent.
    auto inline_call = h.request("POST", "/api/v1/calls/outbound/create",
                                 R"({"phone_number": "+15555550124", "assistant": {"name": "Quick", "first_message": "Hi"}})",
                                 acme_key);
    INFO(inline_call.body);
    REQUIRE(inline_call.status == 201);
    auto body = vapi.last("POST", "/call").json();
    CHECK_FALSE(body.contains("assistantId"));
    CHECK(body.at("assistant").at("firstMessage") == "Hi");
    CHECK(body.at("assistant").at("serverMessages").as_array().size() > 0);
    CHECK_FALSE(body.contains("assistantOverrides"));

    // No assistant named: the org's answers.assistant_id; Vapi does not know it (its
    // message, as a string, becomes the detail).
    auto unknown = h.request("POST", "/api/v1/calls/outbound/create", R"({"to": "+15555550125"})", acme_key);
    CHECK(unknown.status == 422);
    CHECK(detail(unknown).find("Couldn't Get Assistant. `assistantId` asst-default Does Not Exist.") !=
          std::string::npos);

    // Our own checks, before anything is sent.
    const auto posts = vapi.count("POST", "/call");
    auto bad_number = h.request("POST", "/api/v1/calls/outbound/create", R"({"to": "555-0123", "assistant_id": "a"})", acme_key);
    CHECK(bad_number.status == 422);
    CHECK(detail(bad_number) == "to: expected an E.164 number (+ and 8 to 15 digits)");
    CHECK(detail(h.request("POST", "/api/v1/calls/outbound/create", R"({"assistant_id": "a"})", acme_key)) ==
          "to: required (the number to call, E.164)");
    CHECK(h.request("POST", "/api/v1/calls/outbound/create",
                    R"({"to": "+15555550123", "assistant_id": "a", "assistant": {"name": "b"}})", acme_key)
              .status == 422);
    auto extra = h.request("POST", "/api/v1/calls/outbound/create",
                           R"({"to": "+15555550123", "assistant_id": "a", "colour": 1})", acme_key);
    CHECK(extra.status == 422);
    CHECK(detail(extra) == "colour: unknown field");
    CHECK(detail(h.request("POST", "/api/v1/calls/outbound/create",
                           R"({"to": "+15555550123", "phone_number": "+15555550999", "assistant_id": "a"})", acme_key)) ==
          "phone_number: differs from to");
    CHECK(vapi.count("POST", "/call") == posts);

    // Another org cannot use acme's stored assistant by its host id.
    auto foreign = h.request("POST", "/api/v1/calls/outbound/create",
                             R"({"to": "+15555550123", "assistant_id": ")" + std::string(assistant.at("id").as_string()) +
                                 R"("})",
                             globex_key);
    CHECK(foreign.status == 502);  // sent as a provider id with globex's (refused) key, never resolved to acme's
    CHECK(vapi.last("POST", "/call").json().at("assistantId") == assistant.at("id"));
    CHECK(parse(h.get("/api/v1/calls", globex_key)).at("total") == 0);

    // Numbers and keys stay out of the info-level log.
    auto log = h.log();
    CHECK(log.find("outbound vapi call " + provider_call_id) != std::string::npos);
    CHECK(log.find("+15555550123") == std::string::npos);
    CHECK(log.find(acme_vapi_key) == std::string::npos);
}
SB_BOTH_DATABASES("calls out: an outbound call is placed, recorded, and updated by its webhooks", "[calls_out]",
                  outbound_call)

TEST_CASE("calls out: the fake Vapi refuses what real Vapi refuses", "[calls_out]") {
    fake_vapi vapi("k");
    http_client c("127.0.0.1", vapi.port());
    const std::map<std::string, std::string> json_type{{"Content-Type", "application/json"}};
    auto with_key = json_type;
    with_key["Authorization"] = "Bearer k";
    const std::string call = R"({"phoneNumberId": "pn", "customer": {"number": "+15555550123"}, "assistant": {}, )";

    auto r = c.request("POST", "/call", call + R"("metadata": {"a": 1}})", with_key);
    CHECK(r.status == 400);
    CHECK(json::parse(r.body) ==
          json::parse(R"({"message":["property metadata should not exist"],"error":"Bad Request","statusCode":400})"));
    r = c.request("POST", "/call", call + R"("assistantId": "x"})", with_key);
    CHECK(r.status == 400);
    CHECK(r.body.find("exactly one of assistantId, assistant") != std::string::npos);
    r = c.request("POST", "/call", R"({"phoneNumberId": "pn", "customer": {"number": "5550123"}, "assistant": {}})",
                  with_key);
    CHECK(r.body.find("customer.number must be a valid phone number in the E.164 format") != std::string::npos);
    r = c.request("POST", "/assistant", R"({"name": "a", "first_message": "snake"})", with_key);
    CHECK(r.status == 400);
    CHECK(r.body.find("property first_message should not exist") != std::string::npos);
    r = c.request("POST", "/call", call + "\"name\": \"n\"}", json_type);  // no key
    CHECK(r.status == 401);
    CHECK(json::parse(r.body).at("statusCode") == 401);
    r = c.request("POST", "/call", call + "\"name\": \"n\"}", with_key);
    CHECK(r.status == 201);
    CHECK(json::parse(r.body).at("status") == "queued");
    CHECK(vapi.requests().size() == 6);
}

void seed_aliases(db_kind kind) {
    fake_vapi vapi(acme_vapi_key);
    host h(kind, calls_out_host(vapi));
    h.start();

    auto created = h.request("POST", "/api/v1/voice/assistants?property_id=bot-7", seed_assistant, acme_key);
    INFO(created.body);
    REQUIRE(created.status == 201);
    auto a = parse(created);
    CHECK(a.at("metadata") == json::parse(R"({"property_id": "bot-7"})"));
    auto expected = seed_vapi_body();
    expected["metadata"] = json::object{{"property_id", "bot-7"}};
    CHECK(vapi.last("POST", "/assistant").json() == expected);
    const std::string id(a.at("id").as_string());
    const std::string remote(a.at("provider_assistant_id").as_string());

    CHECK(h.get("/api/v1/voice/assistants/" + id, acme_key).status == 200);
    auto put = h.request("PUT", "/api/v1/voice/assistants/" + id, R"({"voice_id": "jenny"})", acme_key);
    REQUIRE(put.status == 200);
    CHECK(parse(put).at("metadata").at("property_id") == "bot-7");  // kept across updates
    CHECK(vapi.last("PATCH", "/assistant/").json().at("voice").at("voiceId") == "jenny");

    // Seed 004's outbound body: phone_number, assistant_id (Vapi's id), lead_id, metadata.
    auto call = h.request("POST", "/api/v1/voice/call",
                          R"({"phone_number": "+15551234567", "assistant_id": ")" + remote +
                              R"(", "lead_id": "lead-uuid", "metadata": {"campaign": "follow_up"}})",
                          acme_key);
    INFO(call.body);
    REQUIRE(call.status == 201);
    CHECK(parse(call).at("external_record_id") == "lead-uuid");
    CHECK(parse(call).at("direction") == "outbound");
    auto sent = vapi.last("POST", "/call").json();
    CHECK(sent.at("assistantId").as_string() == remote);
    CHECK(sent.at("customer").at("number") == "+15551234567");
    CHECK(sent.at("assistantOverrides").at("metadata") ==
          json::parse(R"({"campaign": "follow_up", "external_record_id": "lead-uuid"})"));
    CHECK_FALSE(sent.contains("metadata"));
    CHECK(parse(h.get("/api/v1/voice/calls", acme_key)).at("total") == 1);

    CHECK(h.request("DELETE", "/api/v1/voice/assistants/" + id, "", acme_key).status == 200);
    CHECK(vapi.assistants().empty());

    auto doc = parse(h.get("/openapi.json"));
    auto const& paths = doc.at("paths").as_object();
    for (auto p : {"/api/v1/assistants", "/api/v1/assistants/{id}", "/api/v1/assistants/{id}/provider",
                   "/api/v1/voice/assistants", "/api/v1/voice/assistants/{id}", "/api/v1/calls/outbound/create",
                   "/api/v1/voice/call", "/api/v1/calls/{id}/provider"}) {
        INFO(p);
        CHECK(paths.contains(p));
    }
    CHECK(paths.at("/api/v1/assistants/{id}").as_object().contains("put"));
    CHECK(paths.at("/api/v1/assistants/{id}").as_object().contains("delete"));
}
SB_BOTH_DATABASES("calls out: seed 004's voice paths", "[calls_out]", seed_aliases)

// The org's route_outbound hook refuses a call or changes how it is placed; the
// YAML assistant_spec is the default assistant when no id is configured.
TEST_CASE("calls out: the org's route_outbound hook refuses or reroutes", "[calls_out][scripts]") {
    fake_vapi vapi(acme_vapi_key);
    temp_dir scripts;
    scripts.write("orgs/acme.lua", R"(
function route_outbound(req)
  if req.to:sub(1, 3) == '+44' then return { refuse = 'no calls abroad' } end
  if req.name == 'tour' then
    return { phone_number_id = 'pn-tours', metadata = { campaign = 'tours' },
             assistant = { first_message = 'Hi ' .. req.customer_name .. ', about your tour' } }
  end
  return nil
end
function prompt(call)
  return 'You call ' .. (call.customer.name or 'a customer') .. ' at ' .. call.customer.number .. ' for ' .. call.org
end)");
    auto o = calls_out_host(vapi);
    o.extra_yaml = "scripting:\n  directory: \"" + scripts.path().string() + "\"\n";
    // acme's default assistant: canonical fields instead of an id.
    auto at = o.org_yaml.find("answers: {assistant_id: asst-default}");
    REQUIRE(at != std::string::npos);
    o.org_yaml.replace(at, std::string("answers: {assistant_id: asst-default}").size(),
                       "answers: {assistant_spec: {name: Caller, system_prompt: Be brief., tools: [get_office_hours]}}");
    o.plugins_yaml = std::string("plugins:\n  directories: [\"") + SB_PLUGIN_DIR +
                     "\"]\n  load:\n    - name: vapi\n      required: true\n    - name: tour_scheduling\n"
                     "      required: true\n";
    host h(db_kind::sqlite, o);
    h.start();

    auto refused = h.request("POST", "/api/v1/calls/outbound/create", R"({"to": "+447700900123"})", acme_key);
    CHECK(refused.status == 403);
    CHECK(detail(refused) == "the org's call flow refuses this call: no calls abroad");
    CHECK(vapi.count("POST", "/call") == 0);

    auto tour = h.request("POST", "/api/v1/calls/outbound/create",
                          R"({"to": "+15555550123", "customer_name": "Dana", "name": "tour"})", acme_key);
    INFO(tour.body);
    REQUIRE(tour.status == 201);
    auto sent = vapi.last("POST", "/call").json();
    CHECK(sent.at("phoneNumberId") == "pn-tours");
    CHECK(sent.at("assistantOverrides").at("metadata").at("campaign") == "tours");
    auto const& a = sent.at("assistant").as_object();
    CHECK(a.at("name") == "Caller");  // from the YAML spec, under the script's fields
    CHECK(a.at("firstMessage") == "Hi Dana, about your tour");
    // The prompt hook writes the system prompt over the YAML one.
    CHECK(a.at("model").at("messages").at(0).at("content") == "You call Dana at +15555550123 for acme");
    CHECK(a.at("model").at("tools").at(0).at("function").at("name") == "get_office_hours");

    // nil: placed as asked, with the org's default spec and number.
    auto plain = h.request("POST", "/api/v1/calls/outbound/create", R"({"to": "+15555550124"})", acme_key);
    INFO(plain.body);
    REQUIRE(plain.status == 201);
    auto second = vapi.last("POST", "/call").json();
    CHECK(second.at("phoneNumberId") == "pn-acme");
    CHECK(second.at("assistant").at("name") == "Caller");
    CHECK_FALSE(second.at("assistant").as_object().contains("firstMessage"));
    CHECK(second.at("assistant").at("model").at("messages").at(0).at("content") ==
          "You call a customer at +15555550124 for acme");

    // The caller's own inline assistant keeps its prompt.
    auto own = h.request("POST", "/api/v1/calls/outbound/create",
                         R"({"to": "+15555550125", "assistant": {"name": "Own", "system_prompt": "Mine."}})", acme_key);
    REQUIRE(own.status == 201);
    CHECK(vapi.last("POST", "/call").json().at("assistant").at("model").at("messages").at(0).at("content") == "Mine.");

    // Saved assistants name tools the same way; the provider gets their schemas.
    auto created = h.request("POST", "/api/v1/assistants", R"({"name": "Hours", "tools": ["get_office_hours"]})",
                             acme_key);
    INFO(created.body);
    REQUIRE(created.status == 201);
    CHECK(parse(created).at("tools") == json::parse(R"(["get_office_hours"])"));
    auto fn = vapi.last("POST", "/assistant").json().at("model").at("tools").at(0).at("function");
    CHECK(fn.at("name") == "get_office_hours");
    CHECK(fn.at("parameters").is_object());
    auto unknown = h.request("POST", "/api/v1/assistants", R"({"name": "X", "tools": ["launch_rockets"]})", acme_key);
    CHECK(unknown.status == 422);
    CHECK(detail(unknown) == "tools: no loaded tool plugin offers 'launch_rockets'");
}

}  // namespace
