#include "config_test_support.hpp"

#include <boost/json/serialize.hpp>

#include <filesystem>

using namespace switchboard::config;
using namespace switchboard::config::test;

namespace {

const char* full = R"(server:
  listen: "0.0.0.0:9090"
  io_threads: 2
  worker_threads: 8
  body_limit: 512KiB
  read_timeout_ms: 5000
  idle_timeout_ms: 30000
  shutdown_grace_ms: 0
  cors_origins: ["https://dashboard.example.com", "*"]
database:
  url: "postgresql://sb:pw@db:5432/switchboard"
  pool_size: 16
logging:
  level: debug
  format: json
auth:
  admin_keys:
    - root-key
    - name: ops
      key: ops-key
  jwt_secret: s3cret
  jwt_issuer: switchboard
plugins:
  directories: ["/opt/sb/plugins", "plugins"]
  load:
    - name: vapi
      required: true
      config:
        webhook_secret: "abc"
        signature_tolerance_seconds: 300
        assistant_ids: [a1, "a2"]
    - name: escalation
      file: lib/escalation.so
orgs:
  - id: acme
    name: "Acme Support"
    timezone: America/New_York
    api_keys: [acme-key]
    settings:
      greeting: Hello
      max_minutes: 30
      ratio: 0.5
      vip: true
      nothing: ~
      quoted_number: "42"
      nested: {a: [1, two]}
    plugins:
      vapi: {webhook_secret: "org-secret"}
  - id: harbor-homes
    api_keys:
      - name: front-desk
        key: harbor-key
default_org: harbor-homes
)";

}  // namespace

TEST_CASE("a full config parses into typed values", "[config]") {
    const config c = parse(full, "/etc/sb/switchboard.yaml", fake_env());
    CHECK(c.file == "/etc/sb/switchboard.yaml");

    CHECK(c.server.host == "0.0.0.0");
    CHECK(c.server.port == 9090);
    CHECK(c.server.io_threads == 2);
    CHECK(c.server.worker_threads == 8);
    CHECK(c.server.body_limit_bytes == 512 * 1024);
    CHECK(c.server.read_timeout_ms == 5000);
    CHECK(c.server.idle_timeout_ms == 30000);
    CHECK(c.server.shutdown_grace_ms == 0);
    CHECK(c.server.cors_origins == std::vector<std::string>{"https://dashboard.example.com", "*"});

    CHECK(c.database.url == "postgresql://sb:pw@db:5432/switchboard");
    CHECK(c.database.pool_size == 16);
    CHECK(c.logging.level == "debug");
    CHECK(c.logging.format == "json");

    REQUIRE(c.auth.keys.size() == 4);
    CHECK(c.auth.keys[0].name == "admin[0]");
    CHECK(c.auth.keys[0].key == "root-key");
    CHECK(c.auth.keys[0].org.empty());
    CHECK(c.auth.keys[1].name == "ops");
    CHECK(c.auth.keys[1].key == "ops-key");
    CHECK(c.auth.keys[2].name == "acme[0]");
    CHECK(c.auth.keys[2].key == "acme-key");
    CHECK(c.auth.keys[2].org == "acme");
    CHECK(c.auth.keys[3].name == "front-desk");
    CHECK(c.auth.keys[3].org == "harbor-homes");
    CHECK(c.auth.keys[3].key == "harbor-key");
    CHECK(c.auth.jwt_secret == "s3cret");
    CHECK(c.auth.jwt_issuer == "switchboard");

    REQUIRE(c.plugins.directories.size() == 2);
    CHECK(c.plugins.directories[0] == "/opt/sb/plugins");
    CHECK(c.plugins.directories[1] == "/etc/sb/plugins");
    REQUIRE(c.plugins.load.size() == 2);
    const auto& vapi = c.plugins.load[0];
    CHECK(vapi.name == "vapi");
    CHECK(vapi.required);
    CHECK(vapi.file.empty());
    CHECK(vapi.where.path == "plugins.load[0]");
    CHECK(vapi.where.line == 26);
    CHECK(vapi.config.where.path == "plugins.load[0].config");
    CHECK(vapi.config.where.file == "/etc/sb/switchboard.yaml");
    CHECK(vapi.config.values.at("webhook_secret").as_string() == "abc");
    CHECK(vapi.config.values.at("signature_tolerance_seconds").as_int64() == 300);
    CHECK(boost::json::serialize(vapi.config.values.at("assistant_ids")) == R"(["a1","a2"])");
    CHECK(vapi.config.key_lines == std::map<std::string, int>{
                                       {"webhook_secret", 29}, {"signature_tolerance_seconds", 30}, {"assistant_ids", 31}});
    const auto& esc = c.plugins.load[1];
    CHECK(esc.name == "escalation");
    CHECK_FALSE(esc.required);
    CHECK(esc.file == "/etc/sb/lib/escalation.so");
    CHECK(esc.config.values.empty());

    REQUIRE(c.orgs.size() == 2);
    const auto& acme = c.orgs[0];
    CHECK(acme.id == "acme");
    CHECK(acme.name == "Acme Support");
    CHECK(acme.timezone == "America/New_York");
    CHECK(acme.where.line == 35);
    CHECK(acme.where.path == "orgs[0]");
    CHECK(acme.settings.at("greeting").as_string() == "Hello");
    CHECK(acme.settings.at("max_minutes").as_int64() == 30);
    CHECK(acme.settings.at("ratio").as_double() == 0.5);
    CHECK(acme.settings.at("vip").as_bool() == true);
    CHECK(acme.settings.at("nothing").is_null());
    CHECK(acme.settings.at("quoted_number").as_string() == "42");
    CHECK(boost::json::serialize(acme.settings.at("nested")) == R"({"a":[1,"two"]})");
    REQUIRE(acme.plugins.count("vapi") == 1);
    CHECK(acme.plugins.at("vapi").values.at("webhook_secret").as_string() == "org-secret");
    CHECK(acme.plugins.at("vapi").where.path == "orgs[0].plugins.vapi");
    CHECK(acme.plugins.at("vapi").where.line == 48);
    CHECK(acme.plugins.at("vapi").key_lines.at("webhook_secret") == 48);

    const auto& harbor = c.orgs[1];
    CHECK(harbor.name == "harbor-homes");  // defaults to the id
    CHECK(harbor.timezone == "UTC");
    CHECK(c.default_org == "harbor-homes");
    REQUIRE(c.find_org("acme") == &c.orgs[0]);
    CHECK(c.find_org("nobody") == nullptr);
}

TEST_CASE("omitted sections take their defaults", "[config]") {
    const config c = parse(one_org, "sb.yaml", fake_env());
    const server_config server_defaults;
    CHECK(c.server.host == server_defaults.host);
    CHECK(c.server.port == server_defaults.port);
    CHECK(c.server.body_limit_bytes == 8 * 1024 * 1024);
    CHECK(c.database.url == "sqlite:var/switchboard.db");
    CHECK(c.logging.level == "info");
    CHECK(c.auth.keys.empty());
    CHECK(c.plugins.load.empty());
    CHECK(c.default_org == "acme");
    CHECK(c.orgs[0].name == "acme");
}

TEST_CASE("body_limit accepts bytes and unit strings", "[config]") {
    auto limit = [](const std::string& v) {
        return parse("server:\n  body_limit: " + v + "\n" + one_org, "sb.yaml", fake_env()).server.body_limit_bytes;
    };
    CHECK(limit("1048576") == 1048576);
    CHECK(limit("\"1MiB\"") == 1024 * 1024);
    CHECK(limit("512KiB") == 512 * 1024);
    CHECK(limit("2MB") == 2'000'000);
    CHECK(limit("\"3 kb\"") == 3000);
    CHECK(problems_of("server:\n  body_limit: lots\n" + one_org) ==
          std::vector<std::string>{"test.yaml:2: server.body_limit: expected a size in bytes (an integer, or a "
                                   "string such as \"512KiB\" or \"1MiB\"), got \"lots\""});
}

TEST_CASE("listen accepts IPv6 in brackets", "[config]") {
    const config c = parse("server:\n  listen: \"[::1]:8443\"\n" + one_org, "sb.yaml", fake_env());
    CHECK(c.server.host == "::1");
    CHECK(c.server.port == 8443);
}

TEST_CASE("relative plugin paths resolve against the config file's folder", "[config]") {
    namespace fs = std::filesystem;
    const std::string yaml = "plugins:\n  directories: [\"../build/plugins/\", \"./x/../y\"]\n"
                             "  load:\n    - name: vapi\n      file: ../lib/vapi.so\n" +
                             one_org;
    const config c = parse(yaml, "some/dir/switchboard.yaml", fake_env());
    const fs::path base = fs::current_path() / "some" / "dir";
    REQUIRE(c.plugins.directories.size() == 2);
    CHECK(c.plugins.directories[0] == (fs::current_path() / "some" / "build" / "plugins").string());
    CHECK(c.plugins.directories[1] == (base / "y").string());
    CHECK(fs::path(c.plugins.directories[0]).is_absolute());
    CHECK(c.plugins.load[0].file == (fs::current_path() / "some" / "lib" / "vapi.so").string());
}

TEST_CASE("free-form plugin values are typed like YAML", "[config]") {
    const std::string yaml = R"(plugins:
  load:
    - name: knowledge_search
      config:
        top_k: 3
        negative: -7
        ratio: 1.5e2
        on: true
        off: false
        none: null
        empty:
        text: plain words
        quoted_int: "3"
        single: 'true'
        block: |
          two
        list: [1, "1", x]
        map: {k: v}
)" + one_org;
    const config c = parse(yaml, "sb.yaml", fake_env());
    const auto& s = c.plugins.load.at(0).config;
    CHECK(s.values.at("top_k").as_int64() == 3);
    CHECK(s.values.at("negative").as_int64() == -7);
    CHECK(s.values.at("ratio").as_double() == 150.0);
    CHECK(s.values.at("on").as_bool() == true);
    CHECK(s.values.at("off").as_bool() == false);
    CHECK(s.values.at("none").is_null());
    CHECK(s.values.at("empty").is_null());
    CHECK(s.values.at("text").as_string() == "plain words");
    CHECK(s.values.at("quoted_int").as_string() == "3");
    CHECK(s.values.at("single").as_string() == "true");
    CHECK(s.values.at("block").as_string() == "two\n");
    CHECK(boost::json::serialize(s.values.at("list")) == R"([1,"1","x"])");
    CHECK(boost::json::serialize(s.values.at("map")) == R"({"k":"v"})");
    CHECK(s.key_lines.at("top_k") == 5);
    CHECK(s.key_lines.at("negative") == 6);
    CHECK(s.key_lines.at("block") == 15);
    CHECK(s.key_lines.at("map") == 18);
    CHECK(s.key_lines.size() == 13);
    CHECK(s.where.line == 4);
}

TEST_CASE("config/switchboard.yaml parses with an empty environment", "[config]") {
    const std::string path = std::string(SB_SOURCE_DIR) + "/config/switchboard.yaml";
    config c;
    try {
        c = load(path, fake_env());
    } catch (const config_error& e) {
        FAIL(e.what());
    }
    CHECK(c.server.port == 8080);
    CHECK(c.database.url == "sqlite:var/switchboard.db");
    CHECK(c.plugins.directories ==
          std::vector<std::string>{(std::filesystem::path(SB_SOURCE_DIR) / "build" / "plugins").lexically_normal().string()});
    std::vector<std::string> names;
    for (const auto& p : c.plugins.load) names.push_back(p.name);
    CHECK(names == std::vector<std::string>{"vapi", "openai_realtime", "livekit_sip", "knowledge_search",
                                            "tour_scheduling", "escalation"});
    for (const auto& p : c.plugins.load)
        CHECK(p.required == (p.name == "vapi" || p.name == "openai_realtime" || p.name == "livekit_sip"));
    REQUIRE(c.find_org("acme"));
    REQUIRE(c.find_org("harbor-homes"));
    REQUIRE(c.find_org("bench"));
    CHECK(c.default_org == "acme");
    const auto& acme_vapi = c.find_org("acme")->plugins.at("vapi").values;
    CHECK(acme_vapi.at("webhook_secret").as_string() == "");
    CHECK(acme_vapi.at("base_url").as_string() == "https://api.vapi.ai");
    CHECK(c.find_org("bench")->plugins.at("vapi").values.at("webhook_secret").as_string() == "bench-secret");
    bool has_dev_admin = false;
    for (const auto& k : c.auth.keys) has_dev_admin |= (k.key == "dev-admin-key" && k.org.empty());
    CHECK(has_dev_admin);
    CHECK(c.auth.jwt_secret.empty());
}

TEST_CASE("config/switchboard.yaml reads the vapi variables seed 004 sets", "[config]") {
    const std::string path = std::string(SB_SOURCE_DIR) + "/config/switchboard.yaml";
    const config c = load(path, fake_env({{"VAPI_WEBHOOK_SECRET", "whsec"},
                                          {"VAPI_API_KEY", "vk"},
                                          {"VAPI_BASE_URL", "http://127.0.0.1:9999"},
                                          {"BENCH_SECRET", "b2"},
                                          {"SWITCHBOARD_JWT_SECRET", "jwt"}}));
    const auto& acme_vapi = c.find_org("acme")->plugins.at("vapi").values;
    CHECK(acme_vapi.at("webhook_secret").as_string() == "whsec");
    CHECK(acme_vapi.at("api_key").as_string() == "vk");
    CHECK(acme_vapi.at("base_url").as_string() == "http://127.0.0.1:9999");
    CHECK(c.find_org("bench")->plugins.at("vapi").values.at("webhook_secret").as_string() == "b2");
    CHECK(c.auth.jwt_secret == "jwt");
}
