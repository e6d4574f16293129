// ${VAR} interpolation and the SWITCHBOARD_* operator overrides.
#include "config_test_support.hpp"

using namespace switchboard::config;
using namespace switchboard::config::test;
using strings = std::vector<std::string>;

namespace {

const std::string acme_vapi = "orgs:\n"
                              "  - id: acme\n"
                              "    plugins:\n"
                              "      vapi:\n"
                              "        webhook_secret: ";

}  // namespace

TEST_CASE("${VAR} is replaced from the environment", "[config][env]") {
    const auto c = parse(acme_vapi + "${SECRET}\n", "sb.yaml", fake_env({{"SECRET", "s1"}}));
    CHECK(c.orgs[0].plugins.at("vapi").values.at("webhook_secret").as_string() == "s1");
}

TEST_CASE("an unset ${VAR} names the key path and the variable", "[config][env]") {
    CHECK(problems_of(acme_vapi + "\"${VAPI_WEBHOOK_SECRET}\"\n") ==
          strings{"test.yaml:5: orgs[0].plugins.vapi.webhook_secret: environment variable VAPI_WEBHOOK_SECRET "
                  "is not set"});
    CHECK(problems_of("server:\n  listen: \"${HOST}:${PORT}\"\n" + one_org) ==
          strings{"test.yaml:2: server.listen: environment variable HOST is not set",
                  "test.yaml:2: server.listen: environment variable PORT is not set"});
}

TEST_CASE("${VAR:-default} uses the default when VAR is unset or empty", "[config][env]") {
    auto secret = [](const env_lookup& env, const std::string& value) {
        return parse(acme_vapi + value + "\n", "sb.yaml", env)
            .orgs[0]
            .plugins.at("vapi")
            .values.at("webhook_secret");
    };
    CHECK(secret(fake_env(), "${S:-fallback}").as_string() == "fallback");
    CHECK(secret(fake_env({{"S", ""}}), "${S:-fallback}").as_string() == "fallback");
    CHECK(secret(fake_env({{"S", "real"}}), "${S:-fallback}").as_string() == "real");
    CHECK(secret(fake_env(), "\"${S:-}\"").as_string() == "");
    CHECK(secret(fake_env(), "${S:-}").as_string() == "");  // plain and empty: still a string, not null
    CHECK(secret(fake_env(), "\"pre-${S:-mid}-post\"").as_string() == "pre-mid-post");
    CHECK(secret(fake_env(), "${S:-http://x:1/y}").as_string() == "http://x:1/y");
}

TEST_CASE("interpolation happens before typing", "[config][env]") {
    const std::string yaml = "server:\n  io_threads: ${THREADS:-3}\n  listen: \"${HOST:-0.0.0.0}:${PORT:-81}\"\n" +
                             acme_vapi + "x\n        signature_tolerance_seconds: ${TOL:-60}\n";
    const auto c = parse(yaml, "sb.yaml", fake_env({{"PORT", "9000"}}));
    CHECK(c.server.io_threads == 3);
    CHECK(c.server.host == "0.0.0.0");
    CHECK(c.server.port == 9000);
    CHECK(c.orgs[0].plugins.at("vapi").values.at("signature_tolerance_seconds").as_int64() == 60);
}

TEST_CASE("$${ is a literal ${", "[config][env]") {
    const auto c = parse(acme_vapi + "\"$${NOT_A_VAR} and $$ alone\"\n", "sb.yaml", fake_env());
    CHECK(c.orgs[0].plugins.at("vapi").values.at("webhook_secret").as_string() == "${NOT_A_VAR} and $$ alone");
}

TEST_CASE("malformed ${...} is an error", "[config][env]") {
    CHECK(problems_of(acme_vapi + "\"${OPEN\"\n") ==
          strings{"test.yaml:5: orgs[0].plugins.vapi.webhook_secret: unterminated ${ (write $${ for a literal ${)"});
    CHECK(problems_of(acme_vapi + "\"${1BAD}\"\n") ==
          strings{"test.yaml:5: orgs[0].plugins.vapi.webhook_secret: invalid environment variable name \"1BAD\" "
                  "in ${1BAD}"});
}

TEST_CASE("SWITCHBOARD_LISTEN overrides server.listen", "[config][env]") {
    const std::string yaml = "server:\n  listen: \"127.0.0.1:8080\"\n" + one_org;
    const auto c = parse(yaml, "sb.yaml", fake_env({{"SWITCHBOARD_LISTEN", "0.0.0.0:9999"}}));
    CHECK(c.server.host == "0.0.0.0");
    CHECK(c.server.port == 9999);
    CHECK(problems_of(yaml, fake_env({{"SWITCHBOARD_LISTEN", "9999"}})) ==
          strings{"test.yaml: SWITCHBOARD_LISTEN: expected host:port, got \"9999\""});
    // Empty counts as unset.
    CHECK(parse(yaml, "sb.yaml", fake_env({{"SWITCHBOARD_LISTEN", ""}})).server.port == 8080);
}

TEST_CASE("SWITCHBOARD_DB overrides database.url", "[config][env]") {
    const auto c = parse(one_org, "sb.yaml", fake_env({{"SWITCHBOARD_DB", "postgresql://u:p@h:5432/d"}}));
    CHECK(c.database.url == "postgresql://u:p@h:5432/d");
    CHECK(parse(one_org, "sb.yaml", fake_env({{"SWITCHBOARD_DB", "sqlite::memory:"}})).database.url == "sqlite::memory:");
    CHECK(problems_of(one_org, fake_env({{"SWITCHBOARD_DB", "oracle:x"}})) ==
          strings{"test.yaml: SWITCHBOARD_DB: expected sqlite:<path> or postgresql://user:password@host:port/db "
                  "(or postgresql:<libpq keywords>)"});
}

TEST_CASE("SWITCHBOARD_ADMIN_KEY adds one admin key", "[config][env]") {
    const std::string yaml = "auth:\n  admin_keys: [file-key]\n" + one_org + "    api_keys: [org-key]\n";
    const auto c = parse(yaml, "sb.yaml", fake_env({{"SWITCHBOARD_ADMIN_KEY", "env-key"}}));
    REQUIRE(c.auth.keys.size() == 3);
    CHECK(c.auth.keys[2].name == "env:SWITCHBOARD_ADMIN_KEY");
    CHECK(c.auth.keys[2].key == "env-key");
    CHECK(c.auth.keys[2].org.empty());
    // Already an admin key: nothing added; an org's key cannot also be an admin key.
    CHECK(parse(yaml, "sb.yaml", fake_env({{"SWITCHBOARD_ADMIN_KEY", "file-key"}})).auth.keys.size() == 2);
    CHECK(problems_of(yaml, fake_env({{"SWITCHBOARD_ADMIN_KEY", "org-key"}})) ==
          strings{"test.yaml: SWITCHBOARD_ADMIN_KEY: duplicate API key (also org \"acme\" key \"acme[0]\")"});
}

TEST_CASE("environment problems come after the file's", "[config][env]") {
    CHECK(problems_of("logging:\n  level: loud\n" + one_org, fake_env({{"SWITCHBOARD_LISTEN", "x"}})) ==
          strings{"test.yaml:2: logging.level: expected one of trace, debug, info, warn, error, got \"loud\"",
                  "test.yaml: SWITCHBOARD_LISTEN: expected host:port, got \"x\""});
}
