#include "host/app/replay_options.hpp"

#include <catch2/catch.hpp>

using switchboard::app::parse_replay_args;
using switchboard::app::replay_options;
using args = std::vector<std::string>;

TEST_CASE("replay options: file, org, url, credentials and pacing", "[app][replay]") {
    auto r = parse_replay_args(args{"calls.jsonl", "--org", "acme", "--url=http://127.0.0.1:8080/", "--secret", "s3",
                                    "--api-key", "k1", "--delay-ms", "250", "--provider", "vapi", "--dry-run"});
    REQUIRE(r.options);
    auto const& o = *r.options;
    CHECK(o.file == "calls.jsonl");
    CHECK(o.org == "acme");
    CHECK(o.url == "http://127.0.0.1:8080");  // the trailing slash would double in /webhooks
    CHECK(o.secret == "s3");
    CHECK(o.api_key == "k1");
    CHECK(o.delay == std::chrono::milliseconds(250));
    CHECK(o.dry_run);
}

TEST_CASE("replay options: the environment's credentials are used with --url and dropped without", "[app][replay]") {
    replay_options env;
    env.secret = "from-env";
    env.api_key = "key-env";
    auto remote = parse_replay_args(args{"f.jsonl", "--org", "acme", "--url", "http://localhost:1"}, env);
    REQUIRE(remote.options);
    CHECK(remote.options->secret == "from-env");
    CHECK(remote.options->api_key == "key-env");
    auto local = parse_replay_args(args{"f.jsonl"}, env);
    REQUIRE(local.options);
    CHECK(local.options->secret.empty());
    CHECK(local.options->org.empty());  // the config's default org, found later
}

TEST_CASE("replay options: usage errors say what is wrong", "[app][replay]") {
    auto error_of = [](const args& a) {
        auto r = parse_replay_args(a);
        CHECK_FALSE(r.options);
        return r.error;
    };
    CHECK(error_of({}) == "replay needs a FILE.jsonl");
    CHECK(error_of({"f.jsonl", "--frobnicate"}) == "unknown option '--frobnicate'");
    CHECK(error_of({"a.jsonl", "b.jsonl"}) == "unexpected argument 'b.jsonl' (one FILE only)");
    CHECK(error_of({"f.jsonl", "--org"}) == "--org needs an organisation id");
    CHECK(error_of({"f.jsonl", "--delay-ms", "-5"}) == "--delay-ms: expected 0..3600000, got '-5'");
    CHECK(error_of({"f.jsonl", "--delay-ms", "1s"}) == "--delay-ms: expected 0..3600000, got '1s'");
    CHECK(error_of({"f.jsonl", "--url", "http://h:1"}) == "--url needs --org (the host's default org is not known here)");
    CHECK(error_of({"f.jsonl", "--secret", "x"}) == "--secret needs --url (the in-process pipeline does not verify)");
    CHECK(error_of({"f.jsonl", "--org", "acme", "--url", "ftp://h"}).rfind("--url: ", 0) == 0);
    CHECK(error_of({"f.jsonl", "--org", "a/b"}) == "--org: 'a/b' is not an organisation id");
}

TEST_CASE("replay options: --help wins", "[app][replay]") {
    auto r = parse_replay_args(args{"--help"});
    CHECK(r.help);
    CHECK_FALSE(r.options);
}
