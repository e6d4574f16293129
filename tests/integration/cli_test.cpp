// The CLI: check-config, plugins, migrate, and start-up refusals with clear messages.
#include "integration/host_fixture.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace switchboard::testing;
using namespace std::chrono_literals;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("cli: check-config accepts a valid config", "[cli]") {
    host h(db_kind::sqlite);
    auto r = h.cli("check-config");
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK(contains(r.output, "OK"));
}

TEST_CASE("cli: a bad YAML key is named with file, line and key path", "[cli]") {
    host_options o;
    o.extra_yaml = "loging:\n  level: info\n";
    host h(db_kind::sqlite, o);
    auto r = h.cli("check-config");
    INFO(r.output);
    CHECK(r.code == 2);
    // The generated config puts `loging` on a line we can compute.
    std::ifstream in(h.config_path());
    int line = 0, found = 0;
    for (std::string l; std::getline(in, l);) {
        ++line;
        if (l.rfind("loging:", 0) == 0) found = line;
    }
    REQUIRE(found > 0);
    CHECK(contains(r.output, h.config_path().string() + ":" + std::to_string(found) + ": loging: unknown key"));

    // serve refuses to start with the same message.
    auto s = run({SB_BINARY, "serve", "--config", h.config_path().string()}, {}, 30s);
    CHECK(s.code == 2);
    CHECK(contains(s.output, "loging: unknown key"));
}

TEST_CASE("cli: a required plugin that fails stops start-up with its line", "[cli]") {
    host_options o;
    o.plugins_yaml = std::string("plugins:\n  directories: [\"") + SB_ZOO_DIR + "\", \"" + SB_PLUGIN_DIR +
                     "\"]\n  load:\n    - name: vapi\n      required: true\n    - name: factory_throws\n      required: true\n";
    host h(db_kind::sqlite, o);
    auto s = run({SB_BINARY, "serve", "--config", h.config_path().string()}, {}, 30s);
    INFO(s.output);
    CHECK(s.code == 2);
    CHECK(contains(s.output, "plugin 'factory_throws': "));
    CHECK(contains(s.output, "factory threw"));
}

TEST_CASE("cli: an optional plugin that fails is listed and the host still serves", "[cli]") {
    host_options o;
    o.plugins_yaml = std::string("plugins:\n  directories: [\"") + SB_ZOO_DIR + "\", \"" + SB_PLUGIN_DIR +
                     "\"]\n  load:\n    - name: vapi\n      required: true\n    - name: wrong_abi\n";
    host h(db_kind::sqlite, o);
    auto p = h.cli("plugins");
    INFO(p.output);
    CHECK(p.code == 1);
    CHECK(contains(p.output, "vapi"));
    CHECK(contains(p.output, "ABI mismatch"));
    h.start();
    CHECK(h.get("/readyz").status == 200);
    auto m = h.get("/metrics");
    CHECK(contains(m.body, "switchboard_plugin_load_failures_total{plugin=\"wrong_abi\"} 1"));
}

TEST_CASE("cli: plugins lists all six shipped plugins with their keys", "[cli]") {
    host h(db_kind::sqlite);
    auto p = h.cli("plugins");
    INFO(p.output);
    CHECK(p.code == 0);
    for (auto n : {"vapi", "openai_realtime", "livekit_sip", "knowledge_search", "tour_scheduling", "escalation"})
        CHECK(contains(p.output, n));
    CHECK(contains(p.output, "webhook_secret"));
}

TEST_CASE("cli: migrate applies the schema once", "[cli]") {
    host h(db_kind::sqlite);
    auto first = h.cli("migrate");
    INFO(first.output);
    CHECK(first.code == 0);
    CHECK(!contains(first.output, "applied 0 "));
    auto second = h.cli("migrate");
    CHECK(second.code == 0);
    CHECK(contains(second.output, "applied 0 migration(s)"));
}

TEST_CASE("cli: --help and unknown commands", "[cli]") {
    auto help = run({SB_BINARY, "--help"});
    CHECK(help.code == 0);
    CHECK(contains(help.output, "check-config"));
    auto bad = run({SB_BINARY, "frobnicate"});
    CHECK(bad.code == 64);
    CHECK(contains(bad.output, "unknown command 'frobnicate'"));
}

TEST_CASE("cli: the shipped config/switchboard.yaml is valid", "[cli]") {
    auto r = run({SB_BINARY, "check-config", "--config", std::string(SB_SOURCE_DIR) + "/config/switchboard.yaml"},
                 {{"SWITCHBOARD_PLUGIN_DIR", SB_PLUGIN_DIR}});
    INFO(r.output);
    CHECK(r.code == 0);
}

// `switchboard script test`: the org's hooks against a scripted call, offline.
TEST_CASE("cli: script test prints each decision and fails on a broken expectation", "[cli][scripts]") {
    temp_dir scripts;
    scripts.write("orgs/acme.lua", R"(
function on_event(call, event)
  if event.kind == 'transcript' and event.text:lower():find('manager') then
    sb.tag('frustrated')
    sb.escalate('asked for a manager')
  end
end
function route_tool(call, name, args)
  if not sb.is_open('Mon-Fri 09:00-17:00') then return { action = 'deny', message = 'We are closed.' } end
end
function transfer_target(call, reason)
  if call.tags[1] == 'frustrated' then return { number = '+15555550123' } end
end
function classify(call, transcript) return { category = 'turns-' .. #transcript } end
)");
    host_options o;
    o.extra_yaml = "scripting:\n  directory: \"" + scripts.path().string() + "\"\n";
    host h(db_kind::sqlite, o);
    auto scenario = [&](const std::string& name, const std::string& text) {
        scripts.write(name, text);
        return run({SB_BINARY, "script", "test", "acme", (scripts.path() / name).string(), "--config",
                    h.config_path().string()},
                   {}, 60s);
    };
    const std::string steps = R"(
at: "2026-11-23T10:00:00Z"   # a Monday
steps:
  - tool: {name: get_office_hours}
    expect: {action: allow}
  - tool: {name: get_office_hours}
    at: "2026-11-22T10:00:00Z"   # a Sunday
    expect: {action: deny, message_contains: closed}
  - transfer: {reason: billing}
    expect: {error_contains: "No one is available"}
  - event: {kind: transcript, role: customer, text: "Get me a MANAGER"}
    expect: {tags: [frustrated], escalate: asked for a manager, phase: escalation}
  - transfer: {reason: billing}
    expect: {number: "+15555550123"}
  - classify: {}
)";
    auto ok = scenario("ok.yaml", steps + "    expect: {category: turns-1}\n");
    INFO(ok.output);
    CHECK(ok.code == 0);
    CHECK(contains(ok.output, "step 2 tool get_office_hours: {\"action\":\"deny\",\"message\":\"We are closed.\""));
    CHECK(contains(ok.output, "passed: 6 step(s), 9 expectation(s), 0 failed"));

    auto wrong = scenario("wrong.yaml", steps + "    expect: {category: turns-9}\n");
    INFO(wrong.output);
    CHECK(wrong.code == 1);
    CHECK(contains(wrong.output, "FAIL: category: expected turns-9, got turns-1 (" +
                                     (scripts.path() / "wrong.yaml").string() + ":16)"));

    auto unknown = scenario("unknown.yaml", "steps:\n  - tool: {name: x}\n    expect: {colour: red}\n");
    CHECK(unknown.code == 2);
    CHECK(contains(unknown.output, "unknown.yaml:3: `colour` is not something a tool step decides"));

    // A hook that fails fails the scenario, though the host would carry on on its default.
    scripts.write("orgs/acme.lua", "function classify(call, t) error('boom') end\n");
    auto failing = scenario("failing.yaml", "steps:\n  - classify: {}\n");
    INFO(failing.output);
    CHECK(failing.code == 1);
    CHECK(contains(failing.output, "hook classify failed (error)"));
    CHECK(contains(failing.output, "orgs/acme.lua:1: boom"));

    // A script that does not load cannot be tested.
    scripts.write("orgs/acme.lua", "function classify(call, t) return { end\n");
    auto broken = scenario("broken.yaml", "steps:\n  - classify: {}\n");
    CHECK(broken.code == 2);
    CHECK(contains(broken.output, "the script does not load:"));
    CHECK(contains(broken.output, "orgs/acme.lua:1:"));
}
