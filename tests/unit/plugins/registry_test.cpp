// The registry: required vs optional failures, per-org settings, lifetime of plugin
// objects, describe(), and the host services plugins log through.
#include "zoo_helpers.hpp"

#include "host/plugins/describe.hpp"
#include "host/plugins/registry.hpp"

#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <dlfcn.h>

#include <sstream>

using namespace switchboard;
using switchboard::testing::entry;
using switchboard::testing::shipped;
using switchboard::testing::zoo;

namespace {

bool still_loaded(const std::string& file) {
    void* h = ::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (h) ::dlclose(h);
    return h != nullptr;
}

config::plugin_section section(boost::json::object values, std::string path, int line = 10) {
    config::plugin_section s;
    s.values = std::move(values);
    s.where = {"config/switchboard.yaml", line, std::move(path)};
    return s;
}

}  // namespace

TEST_CASE("a required plugin that fails makes the report fatal", "[plugins]") {
    plugins::registry r;
    config::plugins_config cfg;
    cfg.directories = {SB_ZOO_DIR};
    cfg.load = {entry("zoo_ok"), entry("factory_null", {}, true)};
    auto report = r.load(cfg);
    CHECK(report.fatal);
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures[0].required);
    CHECK(report.failures[0].fatal);
    CHECK_FALSE(r.all_required_loaded());
    CHECK(report.loaded == std::vector<std::string>{"zoo_ok"});
}

TEST_CASE("an optional plugin that fails is reported but not fatal", "[plugins]") {
    plugins::registry r;
    config::plugins_config cfg;
    cfg.directories = {SB_ZOO_DIR};
    cfg.load = {entry("zoo_ok", {}, true), entry("factory_null")};
    auto report = r.load(cfg);
    CHECK_FALSE(report.fatal);
    CHECK(report.failures.size() == 1);
    CHECK(r.all_required_loaded());
}

TEST_CASE("a name resolves in the first directory that has it, relative paths use the base dir", "[plugins]") {
    std::filesystem::path plugin_dir(SB_PLUGIN_DIR);
    plugins::registry r;
    config::plugins_config cfg;
    cfg.directories = {"zoo", plugin_dir.filename().string()};  // relative to the build dir
    cfg.load = {entry("zoo_ok"), entry("vapi")};
    auto report = r.load(cfg, {}, plugin_dir.parent_path());
    REQUIRE(report.failures.empty());
    CHECK(r.find("zoo_ok")->file == zoo("zoo_ok"));
    CHECK(r.find("vapi")->file == shipped("vapi"));
}

TEST_CASE("load_file without an expected name takes the declared one", "[plugins]") {
    plugins::registry r;
    auto report = r.load_file(zoo("duplicate_name"), "");
    REQUIRE(report.failures.empty());
    CHECK(report.loaded == std::vector<std::string>{"zoo_ok"});
    CHECK(r.tool("zoo_ok") != nullptr);
}

TEST_CASE("the factory gets the validated section with defaults filled in", "[plugins]") {
    plugins::registry r;
    auto report = r.load_file(zoo("zoo_ok"), "zoo_ok", section({{"greeting", "bonjour"}}, "plugins.load[0].config"));
    REQUIRE(report.failures.empty());
    auto result = r.tool("zoo_ok")->invoke({});
    CHECK(result.result == "bonjour");
    auto const& seen = result.data.as_object();
    CHECK(seen.at("limit").as_int64() == 5);
    CHECK(seen.at("enabled").as_bool());
    CHECK_FALSE(seen.contains("ratio"));  // no default
    CHECK(r.settings("zoo_ok")->at("greeting").as_string() == "bonjour");
}

TEST_CASE("config problems in a plugin's section refuse it, one failure per problem", "[plugins]") {
    plugins::registry r;
    auto report = r.load_file(zoo("zoo_ok"), "zoo_ok",
                              section({{"greetin", "x"}, {"limit", "many"}}, "plugins.load[0].config"), true);
    CHECK(report.loaded.empty());
    CHECK(report.fatal);
    REQUIRE(report.failures.size() == 2);
    CHECK(report.failures[0].message == "config/switchboard.yaml:10: plugins.load[0].config.greetin: unknown key for "
                                        "plugin 'zoo_ok' (did you mean 'greeting'?)");
    CHECK(report.failures[1].message ==
          "config/switchboard.yaml:10: plugins.load[0].config.limit: expected integer, got string");
    CHECK(r.tool("zoo_ok") == nullptr);
}

TEST_CASE("org settings are the global section overlaid with the org's", "[plugins]") {
    plugins::registry r;
    config::plugins_config cfg;
    cfg.directories = {SB_PLUGIN_DIR};
    cfg.load = {entry("vapi")};
    cfg.load[0].config = section({{"base_url", "https://vapi.example"}, {"webhook_secret", "global"}},
                                 "plugins.load[0].config");
    config::org_config acme;
    acme.id = "acme";
    acme.plugins["vapi"] = section({{"webhook_secret", "acme-secret"}}, "orgs[0].plugins.vapi", 40);
    config::org_config beta;
    beta.id = "beta";

    auto report = r.load(cfg, {acme, beta});
    REQUIRE(report.failures.empty());
    auto* a = r.org_settings("acme", "vapi");
    REQUIRE(a);
    CHECK(a->at("webhook_secret").as_string() == "acme-secret");
    CHECK(a->at("base_url").as_string() == "https://vapi.example");
    CHECK(a->at("signature_tolerance_seconds").as_int64() == 300);  // default from the global section
    auto* b = r.org_settings("beta", "vapi");
    REQUIRE(b);
    CHECK(b->at("webhook_secret").as_string() == "global");
    CHECK(r.org_settings("acme", "openai_realtime") == nullptr);
}

TEST_CASE("an invalid org section is a fatal problem", "[plugins]") {
    plugins::registry r;
    config::plugins_config cfg;
    cfg.directories = {SB_PLUGIN_DIR};
    cfg.load = {entry("vapi"), entry("livekit_sip")};
    config::org_config acme;
    acme.id = "acme";
    auto s = section({{"webhok_secret", "x"}, {"assistant_ids", "asst_1"}}, "orgs[0].plugins.vapi", 40);
    s.key_lines = {{"webhok_secret", 41}, {"assistant_ids", 42}};
    acme.plugins["vapi"] = s;
    acme.plugins["vappi"] = section({}, "orgs[0].plugins.vappi", 50);

    auto report = r.load(cfg, {acme});
    CHECK(report.loaded.size() == 2);
    CHECK(report.fatal);
    std::vector<std::string> messages;
    for (auto const& f : report.failures) messages.push_back(f.message);
    CHECK(messages == std::vector<std::string>{
                          "config/switchboard.yaml:41: orgs[0].plugins.vapi.webhok_secret: unknown key for plugin "
                          "'vapi' (did you mean 'webhook_secret'?)",
                          "config/switchboard.yaml:42: orgs[0].plugins.vapi.assistant_ids: expected list, got string",
                          "config/switchboard.yaml:50: orgs[0].plugins.vappi: unknown plugin 'vappi' (loaded: vapi, "
                          "livekit_sip)",
                      });
    CHECK(r.all_required_loaded());  // the plugins loaded; the config is what is wrong
}

TEST_CASE("an org section for a configured plugin that failed to load is not reported twice", "[plugins]") {
    plugins::registry r;
    config::plugins_config cfg;
    cfg.directories = {SB_ZOO_DIR};
    cfg.load = {entry("factory_null")};
    config::org_config acme;
    acme.id = "acme";
    acme.plugins["factory_null"] = section({{"anything", 1}}, "orgs[0].plugins.factory_null");
    auto report = r.load(cfg, {acme});
    CHECK(report.failures.size() == 1);
    CHECK_FALSE(report.fatal);
}

TEST_CASE("plugin objects stay valid until the registry is destroyed", "[plugins]") {
    const auto file = zoo("zoo_ok");
    REQUIRE_FALSE(still_loaded(file));
    {
        plugins::registry r;
        REQUIRE(r.load_file(file, "zoo_ok").failures.empty());
        sdk::tool* t = r.tool("zoo_ok");
        REQUIRE(t);
        // More loads (and failures) must not move or free what was handed out.
        config::plugins_config cfg;
        cfg.directories = {SB_PLUGIN_DIR, SB_ZOO_DIR};
        cfg.load = {entry("vapi"), entry("escalation"), entry("factory_null"), entry("tour_scheduling")};
        r.load(cfg);
        CHECK(r.tool("zoo_ok") == t);
        CHECK(t->invoke({}).result == "hello from the zoo");
        CHECK(still_loaded(file));
    }
    CHECK_FALSE(still_loaded(file));  // unloaded with the registry, after its objects
}

TEST_CASE("describe lists plugins, their keys and failures, never a secret value", "[plugins]") {
    plugins::registry r;
    config::plugins_config cfg;
    cfg.directories = {SB_PLUGIN_DIR, SB_ZOO_DIR};
    cfg.load = {entry("vapi"), entry("zoo_ok"), entry("factory_null")};
    cfg.load[0].config = section({{"webhook_secret", "s3cr3t-webhook-value"}, {"api_key", "sk-live-123456"}},
                                 "plugins.load[0].config");
    config::org_config acme;
    acme.id = "acme";
    acme.plugins["vapi"] = section({{"hmac_secret", "org-hmac-value"}}, "orgs[0].plugins.vapi");
    r.load(cfg, {acme});

    const std::string text = plugins::describe(r);
    CHECK(text.find("s3cr3t-webhook-value") == std::string::npos);
    CHECK(text.find("sk-live-123456") == std::string::npos);
    CHECK(text.find("org-hmac-value") == std::string::npos);
    CHECK(text.find("zoo-default-token") == std::string::npos);  // a secret's default is secret too
    CHECK(text.find("ok     vapi    provider  0.1.0  " + shipped("vapi") + "\n") != std::string::npos);
    CHECK(text.find("ok     zoo_ok  tool      9.9.9  " + zoo("zoo_ok") + "\n") != std::string::npos);
    CHECK(text.find("webhook_secret               (string, optional, secret)") != std::string::npos);
    CHECK(text.find("signature_tolerance_seconds  (integer, default 300)") != std::string::npos);
    CHECK(text.find("token     (string, has a default, secret)") != std::string::npos);
    CHECK(text.find("FAILED plugin 'factory_null': " + zoo("factory_null") + ": make_tool: factory returned null\n") !=
          std::string::npos);
}

TEST_CASE("plugins log through the host's logger under their name", "[plugins]") {
    std::ostringstream out;
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    auto previous = spdlog::default_logger();
    auto logger = std::make_shared<spdlog::logger>("test", sink);
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
    {
        plugins::registry r;
        REQUIRE(r.load_file(zoo("zoo_ok"), "zoo_ok").failures.empty());
        r.tool("zoo_ok")->invoke({});
    }
    spdlog::set_default_logger(previous);
    CHECK(out.str() == "info [zoo_ok] zoo_echo invoked\n");
}
