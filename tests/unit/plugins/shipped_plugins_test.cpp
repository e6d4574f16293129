// The six shipped plugins: identity, declared keys (docs/plugin-keys.md) and today's
// behaviour (secret checks, message type, ack; tools declared but not available yet).
#include "zoo_helpers.hpp"

#include "host/plugins/registry.hpp"

#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include <map>
#include <set>

using namespace switchboard;
using switchboard::testing::entry;
using switchboard::testing::shipped;

namespace {

struct loaded {
    plugins::registry registry;
    loaded() {
        config::plugins_config cfg;
        cfg.directories = {SB_PLUGIN_DIR};
        for (auto n : {"vapi", "openai_realtime", "livekit_sip", "knowledge_search", "tour_scheduling", "escalation"})
            cfg.load.push_back(entry(n, {}, true));
        auto report = registry.load(cfg);
        for (auto const& f : report.failures) UNSCOPED_INFO(f.message);
        REQUIRE(report.failures.empty());
        REQUIRE_FALSE(report.fatal);
    }
};

std::string key_table(const plugins::plugin_info& p) {
    std::string out;
    for (auto const& k : p.keys)
        out += k.name + " " + std::string(plugins::to_string(k.type)) + (k.required ? " required" : "") +
               (k.default_json ? " =" + *k.default_json : "") + (k.secret ? " secret" : "") + "\n";
    return out;
}

sdk::webhook_request request(std::string_view body, const boost::json::object* settings,
                             std::vector<std::pair<std::string, std::string>> headers = {}) {
    sdk::webhook_request r;
    r.method = "POST";
    r.target = "/webhooks";
    r.body = body;
    r.headers = std::move(headers);
    r.settings = settings;
    return r;
}

}  // namespace

TEST_CASE("all six shipped plugins load with their names, kinds and version", "[plugins][shipped]") {
    loaded l;
    std::map<std::string, sdk::plugin_kind> kinds;
    for (auto const& p : l.registry.plugins()) {
        kinds[p.name] = p.kind;
        CHECK(p.version == "0.1.0");
        CHECK(p.file == shipped(p.name));
        CHECK_FALSE(p.description.empty());
    }
    CHECK(kinds == std::map<std::string, sdk::plugin_kind>{{"vapi", sdk::plugin_kind::provider},
                                                           {"openai_realtime", sdk::plugin_kind::provider},
                                                           {"livekit_sip", sdk::plugin_kind::provider},
                                                           {"knowledge_search", sdk::plugin_kind::tool},
                                                           {"tour_scheduling", sdk::plugin_kind::tool},
                                                           {"escalation", sdk::plugin_kind::tool}});
    CHECK(l.registry.provider("vapi"));
    CHECK(l.registry.tool("vapi") == nullptr);
    CHECK(l.registry.tool("escalation"));
    CHECK(l.registry.provider("escalation") == nullptr);
}

TEST_CASE("the shipped plugins declare the keys of docs/plugin-keys.md", "[plugins][shipped]") {
    loaded l;
    auto& r = l.registry;
    CHECK(key_table(*r.find("vapi")) ==
          "webhook_secret string secret\n"
          "hmac_secret string secret\n"
          "signature_tolerance_seconds integer =300\n"
          "api_key string secret\n"
          "base_url string =\"https://api.vapi.ai\"\n"
          "assistant_ids list =[]\n"
          "phone_number_ids list =[]\n"
          "outbound_phone_number_id string\n"
          "hmac_algorithm string =\"sha256\"\n"
          "signature_header string =\"x-signature\"\n"
          "timestamp_header string =\"x-timestamp\"\n"
          "payload_format string =\"{timestamp}.{body}\"\n"
          "signature_prefix string =\"\"\n"
          "signature_encoding string =\"hex\"\n"
          "secret_is_base64 boolean =false\n");
    CHECK(key_table(*r.find("openai_realtime")) ==
          "api_key string secret\n"
          "base_url string =\"https://api.openai.com/v1\"\n"
          "model string =\"gpt-realtime\"\n"
          "voice string =\"marin\"\n"
          "webhook_secret string secret\n"
          "signature_tolerance_seconds integer =300\n");
    CHECK(key_table(*r.find("livekit_sip")) ==
          "url string =\"http://127.0.0.1:7880\"\n"
          "api_key string\n"
          "api_secret string secret\n"
          "sip_trunk_id string\n"
          "agent_name string =\"switchboard-agent\"\n");
    CHECK(key_table(*r.find("knowledge_search")) ==
          "top_k integer =3\n"
          "max_chars integer =600\n"
          "min_score number =0\n"
          "relative_floor number =0.35\n"
          "no_answer string =\"I couldn't find anything about that in our information.\"\n"
          "unavailable string =\"I can't look that up right now.\"\n");
    CHECK(key_table(*r.find("tour_scheduling")) ==
          "slot_minutes integer =30\n"
          "business_hours string =\"09:00-17:00\"\n"
          "timezone string =\"UTC\"\n"
          "business_days string =\"Monday to Saturday\"\n");
    CHECK(key_table(*r.find("escalation")) ==
          "emergency_keywords list =[]\n"
          "high_priority_keywords list =[]\n"
          "transfer_number string secret\n"
          "max_uncertain_turns integer =2\n");
    CHECK(r.settings("knowledge_search")->at("top_k").as_int64() == 3);  // defaults reached the plugin
}

TEST_CASE("vapi verifies its shared secret", "[plugins][shipped]") {
    loaded l;
    auto* p = l.registry.provider("vapi");
    REQUIRE(p);
    boost::json::object none;
    boost::json::object with{{"webhook_secret", "s3cret"}};
    CHECK(p->verify(request("{}", nullptr)).ok);
    CHECK(p->verify(request("{}", &none)).ok);
    CHECK(p->verify(request("{}", &with, {{"x-vapi-secret", "s3cret"}})).ok);
    CHECK(p->verify(request("{}", &with, {{"authorization", "Bearer s3cret"}})).ok);
    auto wrong = p->verify(request("{}", &with, {{"x-vapi-secret", "s3creT"}}));
    CHECK_FALSE(wrong.ok);
    CHECK(wrong.reason.find("s3cret") == std::string::npos);
    CHECK_FALSE(p->verify(request("{}", &with, {{"x-vapi-secret", "s3cret-longer"}})).ok);
    CHECK_FALSE(p->verify(request("{}", &with, {{"authorization", "Basic s3cret"}})).ok);
    CHECK_FALSE(p->verify(request("{}", &with)).ok);
}

// openai_realtime checks Standard Webhooks signatures instead (tests/unit/openai).
TEST_CASE("livekit_sip checks a Bearer webhook_secret when one is set", "[plugins][shipped]") {
    loaded l;
    boost::json::object with{{"webhook_secret", "tok"}};
    for (auto name : {"livekit_sip"}) {
        INFO(name);
        auto* p = l.registry.provider(name);
        REQUIRE(p);
        CHECK(p->verify(request("{}", nullptr)).ok);
        CHECK(p->verify(request("{}", &with, {{"authorization", "Bearer tok"}})).ok);
        CHECK_FALSE(p->verify(request("{}", &with, {{"authorization", "Bearer nope"}})).ok);
        CHECK_FALSE(p->verify(request("{}", &with)).ok);
    }
}

// vapi's and openai_realtime's dialects have their own tests (tests/unit/vapi, tests/unit/openai).
TEST_CASE("openai_realtime and livekit_sip read the message type and refuse bodies that are not JSON objects",
          "[plugins][shipped]") {
    loaded l;
    struct sample {
        const char* provider;
        const char* body;
        const char* type;
    };
    for (auto s : {sample{"openai_realtime", R"({"type":"session.created"})", "session.created"},
                   sample{"livekit_sip", R"({"event":"room_started","room":{}})", "room_started"}}) {
        INFO(s.provider);
        auto* p = l.registry.provider(s.provider);
        REQUIRE(p);
        auto events = p->parse(request(s.body, nullptr)).events;
        REQUIRE(events.size() == 1);
        CHECK(events[0].type == s.type);
        CHECK(std::holds_alternative<sdk::unknown_event>(events[0].body));
        for (auto bad : {"not json", "[1,2]", ""}) {
            try {
                p->parse(request(bad, nullptr));
                FAIL("no bad_payload for " << bad);
            } catch (const sdk::bad_payload& e) {
                CHECK(std::string(e.what()) == std::string(s.provider) + ": body is not a JSON object");
            }
        }
        auto ack = p->render(request(s.body, nullptr), {});
        CHECK(ack.status == 200);
        CHECK(ack.content_type == "application/json");
        CHECK(ack.body == R"({"ok":true})");
        if (std::string_view(s.provider) == "openai_realtime") continue;  // answers: tests/unit/openai
        sdk::webhook_answer assistant;
        assistant.assistant = sdk::assistant_choice{};
        CHECK(p->render(request(s.body, nullptr), assistant).status == 501);  // not implemented yet, and says so
    }
}

TEST_CASE("tool plugins declare their functions and say they are not available yet", "[plugins][shipped]") {
    loaded l;
    std::map<std::string, std::vector<std::string>> expected{
        {"tour_scheduling", {"get_office_hours", "check_availability", "schedule_tour", "qualify_lead"}},
        {"escalation", {"transfer_to_human", "escalate"}},
    };
    for (auto const& [plugin, functions] : expected) {
        INFO(plugin);
        auto* t = l.registry.tool(plugin);
        REQUIRE(t);
        auto specs = t->specs();
        std::vector<std::string> names;
        for (auto const& s : specs) {
            names.push_back(s.name);
            CHECK_FALSE(s.description.empty());
            CHECK(s.parameters.at("type").as_string() == "object");
            CHECK(s.parameters.at("properties").is_object());
            for (auto const& req : s.parameters.at("required").as_array())
                CHECK(s.parameters.at("properties").as_object().contains(req.as_string()));
        }
        CHECK(names == functions);
        for (auto const& f : functions) {
            if (f == "get_office_hours") continue;  // implemented: its own test below
            sdk::tool_invocation inv;
            inv.name = f;
            auto result = t->invoke(inv);
            CHECK_FALSE(result.ok);
            CHECK(result.result == f + " is not available yet");
        }
        sdk::tool_invocation other;
        other.name = "no_such_function";
        CHECK_FALSE(t->invoke(other).ok);
    }
    auto specs = l.registry.tool("tour_scheduling")->specs();
    auto required = specs[2].parameters.at("required").as_array();
    CHECK(required == boost::json::array{"name", "phone", "date", "time"});
    auto esc = l.registry.tool("escalation")->specs();
    CHECK(esc[1].parameters.at("required").as_array() == boost::json::array{"reason", "urgency"});
    CHECK(l.registry.tool("knowledge_search")->specs()[0].parameters.at("required").as_array() ==
          boost::json::array{"query"});
}

TEST_CASE("knowledge_search asks the host and says when there is no knowledge base", "[plugins][shipped]") {
    loaded l;  // the registry's host links offer no knowledge base here
    auto* t = l.registry.tool("knowledge_search");
    REQUIRE(t);
    sdk::tool_invocation inv;
    inv.org = "acme";
    inv.name = "search_knowledge_base";
    inv.arguments = {{"query", "pets"}};
    auto r = t->invoke(inv);
    CHECK_FALSE(r.ok);
    CHECK(r.result == "I can't look that up right now.");
    CHECK(r.data.at("error") == "unavailable");
    // With a knowledge base linked in, the plugin's answer comes from it.
    l.registry.links().knowledge = [](std::string_view org, const sdk::knowledge_query& q) {
        sdk::knowledge_answer a;
        a.passages.push_back({"d1", "Pets", "", "In " + std::string(org) + ", " + q.query + " are welcome.", 2.0});
        return a;
    };
    r = t->invoke(inv);
    CHECK(r.ok);
    CHECK(r.result == "In acme, pets are welcome.");
}

TEST_CASE("tour_scheduling answers get_office_hours from its config", "[plugins][shipped]") {
    loaded l;
    auto* t = l.registry.tool("tour_scheduling");
    REQUIRE(t);
    sdk::tool_invocation inv;
    inv.name = "get_office_hours";
    auto r = t->invoke(inv);
    CHECK(r.ok);
    // The defaults of the declared keys, filled in by the loader.
    CHECK(r.result == "Our office is open 09:00-17:00 (UTC time), Monday to Saturday.");
    CHECK(r.result.find('\n') == std::string::npos);
    // It answers from memory, so it says so; the tools that will touch storage do not.
    for (auto const& spec : t->specs()) {
        INFO(spec.name);
        CHECK(spec.quick == (spec.name == "get_office_hours"));
    }
}
