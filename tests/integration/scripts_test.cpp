// The orgs' Lua scripts through the real binary: the Vapi question paths ask the
// hooks, a broken or runaway script leaves the defaults answering, and a changed
// script is picked up while the host serves.
#include "host_fixture.hpp"
#include "vapi_fixtures.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace switchboard::testing;
namespace json = boost::json;

namespace {

constexpr const char* secret = "it-vapi-secret";

const char* acme_script = R"(
function route_tool(call, name, args)
  if name == 'get_office_hours' and args.ask == 'deny' then
    return { action = 'deny', message = 'Let us talk about tours instead.' }
  end
  if args.ask == 'spin' then while true do end end
  return nil
end

function transfer_target(call, reason)
  if reason == 'billing' then
    return { number = '+15555550123', message = 'Billing will help you.' }
  end
  return { sip = 'sip:desk@example.test' }
end

function assistant(call)
  return { assistant_id = 'asst-from-lua-' .. call.org }
end
)";

struct scripted_host {
    temp_dir scripts;
    std::unique_ptr<host> h;

    explicit scripted_host(db_kind kind, const std::string& script = acme_script) {
        scripts.write("orgs/acme.lua", script);
        host_options o;
        o.org_yaml = std::string("orgs:\n  - id: acme\n    api_keys: [\"") + acme_key + "\"]\n" +
                     "    plugins:\n      vapi: {webhook_secret: \"" + secret + "\"}\n" +
                     "    answers:\n      assistant_id: asst-yaml\n      transfer_number: \"+15555550199\"\n" +
                     "      fallback_result: Let me find someone who knows.\n";
        o.plugins_yaml = std::string("plugins:\n  directories: [\"") + SB_PLUGIN_DIR +
                         "\"]\n  load:\n    - name: vapi\n      required: true\n    - name: tour_scheduling\n"
                         "      required: true\n";
        o.extra_yaml = "scripting:\n  directory: \"" + scripts.path().string() +
                       "\"\n  instruction_limit: 100000\n  reload_interval_ms: 50\n";
        h = std::make_unique<host>(kind, o);
        h->start();
    }

    http_response post(const std::string& body) {
        http_client c("127.0.0.1", h->port());
        return c.request("POST", "/webhooks/vapi/acme", body,
                         {{"Content-Type", "application/json"}, {"X-Vapi-Secret", secret}});
    }

    json::object office_hours(const std::string& ask, const std::string& id) {
        auto r = post(R"({"message":{"type":"tool-calls","toolCallList":[{"id":")" + id +
                      R"(","type":"function","function":{"name":"get_office_hours","arguments":{"ask":")" + ask +
                      R"("}}}],"call":{"id":"call-)" + id + R"("}}})");
        INFO(r.body);
        REQUIRE(r.status == 200);
        auto results = json::parse(r.body).at("results").as_array();
        REQUIRE(results.size() == 1);
        CHECK(results[0].at("toolCallId").as_string() == id);
        CHECK(results[0].at("name").as_string() == "get_office_hours");
        return results[0].as_object();
    }

    std::string metric(const std::string& series) {
        auto text = h->get("/metrics").body;
        auto at = text.find(series + " ");
        return at == std::string::npos ? std::string() : text.substr(at + series.size() + 1, text.find('\n', at) - at - series.size() - 1);
    }
};

void hooks_answer_vapi_questions(db_kind kind) {
    scripted_host s(kind);
    // route_tool: deny with a spoken message; allow runs the tool.
    CHECK(s.office_hours("deny", "t1").at("result").as_string() == "Let us talk about tours instead.");
    CHECK(std::string(s.office_hours("allow", "t2").at("result").as_string()).rfind("Our office is open", 0) == 0);

    // transfer_target, by the reason the model gave.
    auto transfer = [&](const std::string& reason) {
        auto r = s.post(R"({"message":{"type":"transfer-destination-request","call":{"id":"call-x"},"timestamp":)" +
                        std::to_string(reason.size()) +
                        R"(,"artifact":{"messages":[{"role":"tool_calls","toolCalls":[{"function":{"name":"transferCall","arguments":{"reason":")" +
                        reason + R"("}}}]}]}}})");
        INFO(r.body);
        REQUIRE(r.status == 200);
        return json::parse(r.body).as_object();
    };
    auto billing = transfer("billing");
    CHECK(billing.at("destination").at("number").as_string() == "+15555550123");
    auto other = transfer("other");
    CHECK(other.at("destination").at("type").as_string() == "sip");
    CHECK(other.at("destination").at("sipUri").as_string() == "sip:desk@example.test");

    // assistant: the script's choice replaces the YAML default.
    auto a = s.post(R"({"message":{"type":"assistant-request","call":{"id":"call-a"}}})");
    REQUIRE(a.status == 200);
    CHECK(json::parse(a.body).at("assistantId").as_string() == "asst-from-lua-acme");

    // The org shows its script.
    auto org = json::parse(s.h->get("/api/v1/orgs/acme", acme_key).body).as_object();
    CHECK(org.at("script").at("present") == true);
    CHECK(org.at("script").at("hooks") == json::parse(R"(["assistant","route_tool","transfer_target"])"));
    CHECK(org.at("script").at("error").as_string().empty());
}

SB_BOTH_DATABASES("Lua hooks answer Vapi's tool, transfer and assistant questions", "[scripts]",
                  hooks_answer_vapi_questions)

TEST_CASE("a runaway hook is stopped and the call continues on the default", "[scripts]") {
    scripted_host s(db_kind::sqlite);
    // The script spins in route_tool: it is stopped, and the tool runs as asked.
    auto r = s.office_hours("spin", "t3");
    CHECK(std::string(r.at("result").as_string()).rfind("Our office is open", 0) == 0);
    CHECK(s.metric(R"(switchboard_script_failures_total{org="acme",hook="route_tool",kind="instructions"})") == "1");
    CHECK_THAT(s.h->log(), Catch::Contains("lua org acme hook route_tool:") && Catch::Contains("orgs/acme.lua:6: instruction budget spent") &&
                               Catch::Contains("instruction budget spent"));
}

TEST_CASE("a changed script is picked up while serving, a broken one is reported and the previous one serves",
          "[scripts]") {
    scripted_host s(db_kind::sqlite);
    CHECK(s.office_hours("deny", "r1").at("result").as_string() == "Let us talk about tours instead.");

    s.scripts.write("orgs/acme.lua", "function route_tool(call, name, args)\n"
                                     "  return { action = 'deny', message = 'Version two.' }\nend\n");
    bool seen = false;
    for (int i = 0; i < 100 && !seen; ++i) {
        seen = s.office_hours("x", "r2-" + std::to_string(i)).at("result").as_string() == "Version two.";
        if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(seen);

    s.scripts.write("orgs/acme.lua", "function route_tool(call, name, args)\n  return {\nend\n");
    std::string error;
    for (int i = 0; i < 100 && error.empty(); ++i) {
        auto org = json::parse(s.h->get("/api/v1/orgs/acme", acme_key).body).as_object();
        error = std::string(org.at("script").at("error").as_string());
        if (error.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    CHECK_THAT(error, Catch::Contains("orgs/acme.lua:3:"));
    CHECK(s.office_hours("x", "r3").at("result").as_string() == "Version two.");
    CHECK(s.metric(R"(switchboard_script_loads_total{org="acme",result="failed"})") == "1");
}

// The whole recorded inbound call through a script with every call-flow hook:
// on_event tags and escalates, classify fills the analytics, the assistant is built
// from canonical fields with the prompt hook's system prompt.
const char* flow_script = R"(
function on_event(call, event)
  if event.kind == 'status' and event.status == 'in_progress' then sb.set_phase('intake') end
  if event.kind == 'transcript' and event.role == 'customer' and event.text:lower():find('cats') then
    sb.tag('pets')
    sb.escalate('pets question')
  end
end

function classify(call, transcript)
  local pets = false
  for _, t in ipairs(call.tags) do if t == 'pets' then pets = true end end
  return { category = pets and 'pets' or 'general', resolution = call.status,
           sentiment = 'neutral', summary = #transcript .. ' turns', turns = #transcript }
end

function prompt(call)
  return 'You answer for ' .. call.org .. '. The caller is ' .. call.customer.number .. '.'
end

function assistant(call)
  return { name = 'Lua desk', first_message = 'Hello from Lua', tools = { 'get_office_hours' } }
end
)";

void whole_call_through_hooks(db_kind kind) {
    scripted_host s(kind, flow_script);
    const auto lines = vapi_fixture("inbound_call.jsonl");
    std::string call_id;
    for (auto const& line : lines) {
        auto r = s.post(line);
        INFO(type_of(line) << ": " << r.body);
        REQUIRE(r.status == 200);
        if (type_of(line) != "assistant-request") continue;
        // The canonical assistant the script built, rendered in Vapi's format.
        auto a = json::parse(r.body).at("assistant").as_object();
        CHECK(a.at("name") == "Lua desk");
        CHECK(a.at("firstMessage") == "Hello from Lua");
        auto const& model = a.at("model").as_object();
        auto caller = message_of(line).at("call").at("customer").at("number").as_string();
        CHECK(model.at("messages").at(0).at("content").as_string() ==
              "You answer for acme. The caller is " + std::string(caller) + ".");
        CHECK(model.at("tools").at(0).at("function").at("name") == "get_office_hours");
        CHECK(a.contains("serverMessages"));
    }
    auto list = json::parse(s.h->get("/api/v1/calls", acme_key).body).as_object();
    REQUIRE(list.at("total") == 1);
    call_id = std::string(list.at("calls").at(0).at("id").as_string());
    auto call = json::parse(s.h->get("/api/v1/calls/" + call_id, acme_key).body).as_object();
    INFO(json::serialize(call));
    CHECK(call.at("metadata").at("tags") == json::parse(R"(["pets"])"));
    CHECK(call.at("metadata").at("escalation").at("reason") == "pets question");
    CHECK(call.at("phase") == "escalation");
    auto const& analytics = call.at("analytics").as_object();
    CHECK(analytics.at("category") == "pets");
    CHECK(analytics.at("resolution") == call.at("status"));
    CHECK(analytics.at("sentiment") == "neutral");
    auto transcript = json::parse(s.h->get("/api/v1/calls/" + call_id + "/transcript", acme_key).body);
    INFO(json::serialize(transcript));
    auto const& segments = transcript.is_array() ? transcript.as_array() : transcript.at("segments").as_array();
    REQUIRE(segments.size() > 0);
    CHECK(analytics.at("summary").as_string() == std::to_string(segments.size()) + " turns");
}

TEST_CASE("a failing on_event or classify loses nothing: the call is stored without their effects", "[scripts]") {
    scripted_host s(db_kind::sqlite, "function on_event(call, event) error('on_event broke') end\n"
                                      "function classify(call, t) while true do end end\n");
    for (auto const& line : vapi_fixture("inbound_call.jsonl")) {
        auto r = s.post(line);
        INFO(type_of(line) << ": " << r.body);
        REQUIRE(r.status == 200);
    }
    auto list = json::parse(s.h->get("/api/v1/calls", acme_key).body).as_object();
    REQUIRE(list.at("total") == 1);
    auto const& call = list.at("calls").at(0).as_object();
    CHECK(call.at("status") != "queued");
    CHECK_FALSE(call.at("metadata").as_object().contains("tags"));
    CHECK(call.at("category").is_null());
    CHECK(s.metric(R"(switchboard_script_failures_total{org="acme",hook="classify",kind="instructions"})") == "1");
    CHECK_FALSE(s.metric(R"(switchboard_script_failures_total{org="acme",hook="on_event",kind="error"})").empty());
    CHECK_THAT(s.h->log(), Catch::Contains("orgs/acme.lua:1: on_event broke"));
}

SB_BOTH_DATABASES("on_event tags and escalates, classify fills the analytics, the assistant comes from canonical "
                  "fields and the prompt hook",
                  "[scripts]", whole_call_through_hooks)

}  // namespace
