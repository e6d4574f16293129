// Validation of plugin sections against declared keys.
#include "host/plugins/config_keys.hpp"

#include <catch2/catch.hpp>

using namespace switchboard;
using plugins::declared_key;
using sdk::config_type;

namespace {

std::vector<declared_key> keys() {
    return {
        {"webhook_secret", config_type::string, false, std::nullopt, "secret", true},
        {"endpoint", config_type::string, true, std::nullopt, "required", false},
        {"retries", config_type::integer, false, "3", "an integer", false},
        {"ratio", config_type::number, false, "0.5", "a number", false},
        {"verbose", config_type::boolean, false, "false", "a boolean", false},
        {"ids", config_type::list, false, "[]", "a list", false},
        {"extra", config_type::object, false, "{\"a\":1}", "an object", false},
    };
}

config::plugin_section section(boost::json::object values, std::map<std::string, int> lines = {}) {
    config::plugin_section s;
    s.values = std::move(values);
    s.where = {"config/switchboard.yaml", 30, "plugins.load[0].config"};
    s.key_lines = std::move(lines);
    return s;
}

}  // namespace

TEST_CASE("declared_key copies an sdk::config_key", "[plugins][config]") {
    sdk::config_key k{"top_k", config_type::integer, true, "3", "passages", true};
    auto d = plugins::to_declared_key(k);
    CHECK(d.name == "top_k");
    CHECK(d.type == config_type::integer);
    CHECK(d.required);
    CHECK(d.default_json == std::optional<std::string>("3"));
    CHECK(d.description == "passages");
    CHECK(d.secret);
    sdk::config_key n{"x", config_type::list, false, nullptr, nullptr, false};
    CHECK_FALSE(plugins::to_declared_key(n).default_json);
    CHECK(plugins::to_declared_key(n).description.empty());
}

TEST_CASE("an unknown key is reported at its own line, with a suggestion when close", "[plugins][config]") {
    auto s = section({{"endpoint", "e"}, {"webhok_secret", "x"}, {"colour", "blue"}},
                     {{"webhok_secret", 31}, {"colour", 33}});
    auto problems = plugins::validate_plugin_section(s, keys(), "vapi");
    CHECK(problems == std::vector<std::string>{
                          "config/switchboard.yaml:31: plugins.load[0].config.webhok_secret: unknown key for plugin "
                          "'vapi' (did you mean 'webhook_secret'?)",
                          "config/switchboard.yaml:33: plugins.load[0].config.colour: unknown key for plugin 'vapi'",
                      });
}

TEST_CASE("a wrong type is reported, an integer is a number", "[plugins][config]") {
    auto s = section({{"endpoint", 5}, {"retries", 2.5}, {"ratio", 2}, {"verbose", "yes"}, {"ids", "a"},
                      {"extra", boost::json::array{}}},
                     {{"endpoint", 31}, {"retries", 32}, {"ratio", 33}, {"verbose", 34}, {"ids", 35}, {"extra", 36}});
    auto problems = plugins::validate_plugin_section(s, keys(), "p");
    CHECK(problems == std::vector<std::string>{
                          "config/switchboard.yaml:31: plugins.load[0].config.endpoint: expected string, got integer",
                          "config/switchboard.yaml:32: plugins.load[0].config.retries: expected integer, got number",
                          "config/switchboard.yaml:34: plugins.load[0].config.verbose: expected boolean, got string",
                          "config/switchboard.yaml:35: plugins.load[0].config.ids: expected list, got string",
                          "config/switchboard.yaml:36: plugins.load[0].config.extra: expected object, got list",
                      });
}

TEST_CASE("a missing required key is reported at the section's line", "[plugins][config]") {
    auto s = section({});
    auto problems = plugins::validate_plugin_section(s, keys(), "p");
    CHECK(problems == std::vector<std::string>{
                          "config/switchboard.yaml:30: plugins.load[0].config.endpoint: missing required key (string)"});
}

TEST_CASE("defaults fill absent keys and never replace given ones", "[plugins][config]") {
    auto s = section({{"endpoint", "https://e"}, {"retries", 7}});
    REQUIRE(plugins::validate_plugin_section(s, keys(), "p").empty());
    CHECK(s.values.at("retries").as_int64() == 7);
    CHECK(s.values.at("ratio").as_double() == 0.5);
    CHECK(s.values.at("verbose").as_bool() == false);
    CHECK(s.values.at("ids").as_array().empty());
    CHECK(s.values.at("extra").as_object().at("a").as_int64() == 1);
    CHECK_FALSE(s.values.contains("webhook_secret"));  // no default
}

TEST_CASE("an org section is checked but gets no defaults and needs no required key", "[plugins][config]") {
    auto s = section({{"webhook_secret", "org"}, {"retries", "x"}});
    auto problems = plugins::validate_plugin_section(s, keys(), "p", plugins::section_kind::org);
    CHECK(problems ==
          std::vector<std::string>{"config/switchboard.yaml:30: plugins.load[0].config.retries: expected integer, got string"});
    CHECK_FALSE(s.values.contains("ratio"));
}

TEST_CASE("a plugin's broken default is reported, not used", "[plugins][config]") {
    std::vector<declared_key> k{{"n", config_type::integer, false, "\"three\"", "", false}};
    auto s = section({});
    auto problems = plugins::validate_plugin_section(s, k, "p");
    CHECK(problems == std::vector<std::string>{
                          "config/switchboard.yaml:30: plugins.load[0].config.n: the plugin's default is not a valid "
                          "integer: \"three\""});
    CHECK_FALSE(s.values.contains("n"));
}
