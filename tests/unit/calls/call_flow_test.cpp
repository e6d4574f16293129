// The org's decisions: each asks the Lua hook first and falls back to the YAML
// defaults; what a hook returns wrongly is logged and the default applies.
#include "host/calls/call_flow.hpp"
#include "host/calls/call_state.hpp"
#include "host/config/config.hpp"
#include "host/scripting/engine.hpp"

#include "support/test_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <set>

using namespace switchboard;
using switchboard::testing::temp_dir;
namespace json = boost::json;

namespace {

struct flow_fixture {
    temp_dir dir;
    std::unique_ptr<scripting::engine> engine;
    config::org_config org;

    explicit flow_fixture(const std::string& script) {
        if (!script.empty()) dir.write("orgs/acme.lua", script);
        scripting::engine::options o;
        o.directory = dir.path();
        o.reload_interval = std::chrono::milliseconds(0);
        engine = std::make_unique<scripting::engine>(o, std::vector<scripting::org_profile>{{"acme", "UTC", {}}});
        org.id = "acme";
        org.answers.assistant_id = "asst-yaml";
        org.answers.transfer_number = "+15555550100";
        org.answers.transfer_message = "Connecting you.";
        org.answers.fallback_result = "Sorry.";
    }

    calls::call_flow flow() const {
        return calls::call_flow(engine.get(), [](std::string_view name) -> std::optional<sdk::tool_spec> {
            if (name != "schedule_tour" && name != "search_knowledge_base") return std::nullopt;
            return sdk::tool_spec{std::string(name), "does " + std::string(name), {{"type", "object"}}, false};
        });
    }
};

json::object a_call() {
    sdk::call c;
    c.id = "call-1";
    c.org = "acme";
    c.provider = "vapi";
    c.from_number = "+15551230000";
    c.to_number = "+15559870000";
    c.metadata = {{"customer_name", "Dana"}};
    return calls::call_view(c);
}

}  // namespace

TEST_CASE("the call table shows the customer, tags and times", "[calls][flow]") {
    sdk::call c;
    c.id = "c1";
    c.direction = sdk::call_direction::outbound;
    c.from_number = "+15550000001";
    c.to_number = "+15550000002";
    c.metadata = {{"tags", json::array{"vip"}}};
    c.started_at = sdk::time_point{} + std::chrono::seconds(1700000000);
    auto v = calls::call_view(c);
    CHECK(v.at("customer").at("number") == "+15550000002");  // outbound: the one we called
    CHECK(v.at("direction") == "outbound");
    CHECK(v.at("tags").as_array().size() == 1);
    CHECK(v.at("started_at").to_number<double>() == 1700000000.0);
    CHECK_FALSE(v.contains("ended_at"));
}

TEST_CASE("without hooks every decision is the YAML default", "[calls][flow]") {
    flow_fixture f("");
    auto flow = f.flow();
    auto a = flow.assistant(f.org, a_call());
    CHECK(a.assistant_id == "asst-yaml");
    CHECK_FALSE(a.spec);
    auto t = flow.transfer(f.org, a_call(), "billing");
    CHECK(t.number == "+15555550100");
    CHECK(t.message == "Connecting you.");
    sdk::tool_call_requested asked{"tc1", "schedule_tour", {{"date", "2026-11-23"}}};
    auto r = flow.route_tool(f.org, a_call(), asked);
    CHECK_FALSE(r.refusal);
    CHECK(r.call.name == "schedule_tour");
    CHECK_FALSE(flow.classify(f.org, a_call(), {}));
    CHECK(flow.on_event(f.org, a_call(), {{"kind", "status"}}).empty());
    CHECK(flow.route_outbound(f.org, {{"to", "+15550000002"}}).refusal.empty());
}

TEST_CASE("a YAML assistant_spec gets its system prompt from the prompt hook", "[calls][flow]") {
    flow_fixture f(R"(
function prompt(call)
  return 'You help ' .. (call.customer.name or 'the caller') .. ' of ' .. call.org .. '.'
end)");
    f.org.answers.assistant_id.clear();
    f.org.answers.assistant_spec = {{"name", "Desk"}, {"system_prompt", "from yaml"},
                                    {"tools", json::array{"schedule_tour"}}};
    auto a = f.flow().assistant(f.org, a_call());
    REQUIRE(a.spec);
    CHECK(a.spec->name == "Desk");
    CHECK(a.spec->system_prompt == "You help Dana of acme.");
    REQUIRE(a.spec->tools.size() == 1);
    CHECK(a.spec->tools[0].description == "does schedule_tour");
}

TEST_CASE("the assistant hook's canonical fields are laid over the YAML spec", "[calls][flow]") {
    flow_fixture f(R"(
function assistant(call)
  if call.from == '+15551230000' then
    return { first_message = 'Welcome back!', tools = { 'search_knowledge_base' } }
  end
  return { assistant_id = 'asst-lua', overrides = { variableValues = { name = 'x' } } }
end
function prompt(call) return nil end)");
    f.org.answers.assistant_spec = {{"name", "Desk"}, {"first_message", "Hello"}, {"system_prompt", "Be kind."}};
    auto flow = f.flow();
    auto a = flow.assistant(f.org, a_call());
    REQUIRE(a.spec);
    CHECK(a.assistant_id.empty());  // the script's choice replaces the YAML one whole
    CHECK(a.spec->name == "Desk");
    CHECK(a.spec->first_message == "Welcome back!");
    CHECK(a.spec->system_prompt == "Be kind.");  // prompt said nil: the configured one stays
    REQUIRE(a.spec->tools.size() == 1);
    CHECK(a.spec->tools[0].name == "search_knowledge_base");

    auto other = a_call();
    other["from"] = "+15550000000";
    auto b = flow.assistant(f.org, other);
    CHECK(b.assistant_id == "asst-lua");
    CHECK_FALSE(b.spec);
    CHECK(b.overrides.at("variableValues").at("name") == "x");
}

TEST_CASE("an unusable assistant answer falls back to the YAML default", "[calls][flow]") {
    SECTION("an unknown tool") {
        flow_fixture f("function assistant(call) return { tools = { 'launch_rockets' } } end");
        auto a = f.flow().assistant(f.org, a_call());
        CHECK(a.assistant_id == "asst-yaml");
        CHECK_FALSE(a.spec);
    }
    SECTION("a field of the wrong type") {
        flow_fixture f("function assistant(call) return { model = 4 } end");
        CHECK(f.flow().assistant(f.org, a_call()).assistant_id == "asst-yaml");
    }
    SECTION("not a table") {
        flow_fixture f("function assistant(call) return 'asst-x' end");
        CHECK(f.flow().assistant(f.org, a_call()).assistant_id == "asst-yaml");
    }
    SECTION("a script error") {
        flow_fixture f("function assistant(call) error('boom') end");
        CHECK(f.flow().assistant(f.org, a_call()).assistant_id == "asst-yaml");
    }
    SECTION("a refusal is kept") {
        flow_fixture f("function assistant(call) return { error = 'We are closed.' } end");
        auto a = f.flow().assistant(f.org, a_call());
        CHECK(a.error == "We are closed.");
    }
}

TEST_CASE("route_tool allows, denies, rewrites and redirects", "[calls][flow]") {
    flow_fixture f(R"(
function route_tool(call, name, args)
  if args.mode == 'deny' then return { action = 'deny', message = 'Not today.' } end
  if args.mode == 'deny-silent' then return { action = 'deny' } end
  if args.mode == 'rewrite' then return { action = 'rewrite', args = { date = 'tomorrow' } } end
  if args.mode == 'redirect' then return { action = 'redirect', tool = 'search_knowledge_base' } end
  if args.mode == 'bogus' then return { action = 'explode' } end
  return { action = 'allow' }
end)");
    auto flow = f.flow();
    auto route = [&](const char* mode) {
        return flow.route_tool(f.org, a_call(), {"tc1", "schedule_tour", {{"mode", mode}}});
    };
    auto denied = route("deny");
    REQUIRE(denied.refusal);
    CHECK(denied.refusal->result == "Not today.");
    CHECK_FALSE(denied.refusal->ok);
    CHECK(denied.refusal->tool_call_id == "tc1");
    CHECK(route("deny-silent").refusal->result == "Sorry.");  // the org's fallback words
    auto rewritten = route("rewrite");
    CHECK_FALSE(rewritten.refusal);
    CHECK(rewritten.call.arguments.at("date") == "tomorrow");
    CHECK(rewritten.call.name == "schedule_tour");
    auto redirected = route("redirect");
    CHECK(redirected.call.name == "search_knowledge_base");
    CHECK(redirected.call.arguments.at("mode") == "redirect");  // no args given: kept
    auto bogus = route("bogus");
    CHECK_FALSE(bogus.refusal);
    CHECK(bogus.call.name == "schedule_tour");
    CHECK(route("allow").call.arguments.at("mode") == "allow");
}

TEST_CASE("on_event effects come from sb.* calls and from a returned table", "[calls][flow]") {
    flow_fixture f(R"(
function on_event(call, event)
  if event.kind == 'transcript' and event.text:find('angry') then
    sb.tag('frustrated')
    sb.escalate('caller is frustrated')
    return nil
  end
  if event.kind == 'status' then return { tags = { 'seen', 'seen' }, phase = 'intake' } end
  if event.kind == 'bad' then return { phase = 'dancing' } end
end)");
    auto flow = f.flow();
    auto fx = flow.on_event(f.org, a_call(), {{"kind", "transcript"}, {"role", "customer"}, {"text", "I am angry"}});
    CHECK(fx.tags == std::vector<std::string>{"frustrated"});
    REQUIRE(fx.escalation);
    CHECK(*fx.escalation == "caller is frustrated");
    auto st = flow.on_event(f.org, a_call(), {{"kind", "status"}});
    CHECK(st.tags == std::vector<std::string>{"seen"});  // each tag once
    CHECK(st.phase == std::optional<std::string>("intake"));
    CHECK_FALSE(flow.on_event(f.org, a_call(), {{"kind", "bad"}}).phase);
}

TEST_CASE("classify fills the analytics row, unknown keys go to detail", "[calls][flow]") {
    flow_fixture f(R"(
function classify(call, transcript)
  local text = ''
  for _, s in ipairs(transcript) do text = text .. ' ' .. s.text end
  local billing = text:find('invoice') ~= nil
  return { category = billing and 'billing' or 'general', resolution = 'resolved',
           sentiment = (#transcript > 1) and 'positive' or 'cheerful', sentiment_score = 0.5,
           summary = 'asked about ' .. (billing and 'an invoice' or 'something'), turns = #transcript }
end)");
    json::array transcript{json::object{{"role", "customer"}, {"text", "my invoice is wrong"}},
                           json::object{{"role", "assistant"}, {"text", "let me check"}}};
    auto a = f.flow().classify(f.org, a_call(), transcript);
    REQUIRE(a);
    CHECK(a->category == "billing");
    CHECK(a->resolution == "resolved");
    CHECK(a->sentiment == "positive");
    CHECK(a->sentiment_score == 0.5);
    CHECK(a->summary == "asked about an invoice");
    CHECK(a->detail.at("turns").to_number<int>() == 2);
    auto b = f.flow().classify(f.org, a_call(), json::array{transcript[1]});
    REQUIRE(b);
    CHECK(b->sentiment.empty());  // "cheerful" is not a sentiment: dropped, the rest kept
    CHECK(b->category == "general");
}

TEST_CASE("route_outbound refuses or changes how a call is placed", "[calls][flow]") {
    flow_fixture f(R"(
function route_outbound(req)
  if req.to:sub(1, 3) == '+44' then return { refuse = 'no calls abroad' } end
  return { phone_number_id = 'pn-west', metadata = { campaign = 'spring' },
           assistant = { first_message = 'Hi ' .. (req.customer_name or '') } }
end)");
    f.org.answers.assistant_spec = {{"name", "Caller"}};
    auto flow = f.flow();
    CHECK(flow.route_outbound(f.org, {{"to", "+447700900000"}}).refusal == "no calls abroad");
    auto r = flow.route_outbound(f.org, {{"to", "+15550000002"}, {"customer_name", "Dana"}});
    CHECK(r.refusal.empty());
    CHECK(r.phone_number_id == "pn-west");
    CHECK(r.metadata.at("campaign") == "spring");
    REQUIRE(r.assistant);
    CHECK(r.assistant->name == "Caller");
    CHECK(r.assistant->first_message == "Hi Dana");
}

TEST_CASE("effects change the call: tags once, escalation sticks", "[calls][flow]") {
    sdk::call c;
    c.status = sdk::call_status::in_progress;
    const auto now = std::chrono::system_clock::now();
    scripting::effects fx;
    fx.tags = {"vip", "vip", "billing"};
    fx.phase = "intake";
    CHECK(calls::apply_effects(c, fx, now));
    CHECK(c.metadata.at("tags").as_array().size() == 2);
    CHECK(c.phase == sdk::call_phase::intake);
    CHECK_FALSE(calls::apply_effects(c, fx, now));  // nothing new

    scripting::effects esc;
    esc.escalation = "asked for a human";
    CHECK(calls::apply_effects(c, esc, now));
    CHECK(c.phase == sdk::call_phase::escalation);
    CHECK(c.metadata.at("escalation").at("reason") == "asked for a human");
    scripting::effects later;
    later.phase = "completed";
    later.escalation = "another reason";
    calls::apply_effects(c, later, now);
    CHECK(c.phase == sdk::call_phase::escalation);
    CHECK(c.metadata.at("escalation").at("reason") == "asked for a human");  // the first one

    sdk::call ended;
    ended.status = sdk::call_status::completed;
    ended.phase = sdk::call_phase::completed;
    scripting::effects back;
    back.phase = "intake";
    CHECK_FALSE(calls::apply_effects(ended, back, now));  // phases move only while the call lives
}

TEST_CASE("transfer_target may name an agent, or a skill the org's agents have", "[calls][flow]") {
    flow_fixture f(R"(
function transfer_target(call, reason)
  if reason == 'boss' then return { agent = 'Morgan' } end
  if reason == 'nobody' then return { skill = 'astrology' } end
  return { skill = reason, message = 'One moment.' }
end)");
    f.org.agents = {{"Morgan", "+15555550001", "", {"billing"}},
                    {"Riley", "", "sip:riley@pbx.example.test", {"billing", "technical"}},
                    {"Sam", "+15555550003", "", {"technical"}}};
    auto flow = f.flow();
    auto boss = flow.transfer(f.org, a_call(), "boss");
    CHECK(boss.number == "+15555550001");
    CHECK(boss.message == "Connecting you.");  // the YAML transfer_message
    // Calls for a skill go round the agents that have it.
    std::set<std::string> reached;
    for (int i = 0; i < 4; ++i) {
        auto t = flow.transfer(f.org, a_call(), "billing");
        CHECK(t.message == "One moment.");
        CHECK(t.error.empty());
        reached.insert(t.type == "sip" ? t.sip_uri : t.number);
    }
    CHECK(reached == std::set<std::string>{"+15555550001", "sip:riley@pbx.example.test"});
    auto tech = flow.transfer(f.org, a_call(), "technical");
    CHECK((tech.sip_uri == "sip:riley@pbx.example.test" || tech.number == "+15555550003"));
    auto none = flow.transfer(f.org, a_call(), "nobody");
    CHECK(none.number.empty());
    CHECK(none.error == "No one who can help with that is available right now.");
}
