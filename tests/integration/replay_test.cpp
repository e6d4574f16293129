// `switchboard replay`: recorded webhooks through the in-process pipeline, and with
// --url through a running host's HTTP endpoint (secret checked, calls read back
// through the API); per-line results, exit codes and usage errors.
#include "integration/host_fixture.hpp"
#include "integration/vapi_fixtures.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>


using namespace switchboard::testing;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

constexpr const char* secret = "whsec-replay-0123456789";
constexpr const char* call_0001 = "0a1b2c3d-0000-4000-8000-000000000001";

const std::string inbound_fixture = vapi_fixture_path("inbound_call.jsonl");

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

host_options vapi_host() {
    host_options o;
    o.org_yaml = std::string("orgs:\n") + "  - id: acme\n    api_keys: [\"" + acme_key + "\"]\n" +
                 "    plugins:\n      vapi: {webhook_secret: \"" + secret + "\"}\n" +
                 "    answers:\n      assistant_id: asst-acme\n      transfer_number: \"+15555550199\"\n" +
                 "  - id: globex\n    api_keys: [\"" + globex_key + "\"]\n";
    return o;
}

// The printed calls: the output lines that are JSON objects.
std::vector<json::object> printed_calls(const std::string& output) {
    std::vector<json::object> calls;
    std::istringstream in(output);
    for (std::string l; std::getline(in, l);)
        if (!l.empty() && l[0] == '{') calls.push_back(json::parse(l).as_object());
    return calls;
}

std::string base_url(const host& h) { return "http://127.0.0.1:" + std::to_string(h.port()); }

// Neither credential from the test's own environment may leak into a run.
std::map<std::string, std::string> clean_env(std::map<std::string, std::string> extra = {}) {
    extra.emplace("SWITCHBOARD_REPLAY_SECRET", "");
    extra.emplace("SWITCHBOARD_API_KEY", "");
    return extra;
}

json::object calls_on(host& h) { return json::parse(h.get("/api/v1/calls?provider=vapi", acme_key).body).as_object(); }

}  // namespace

TEST_CASE("replay: in-process, a recorded call goes through the pipeline and is printed", "[replay][webhooks]") {
    host h(db_kind::sqlite);
    auto r = run({SB_BINARY, "replay", inbound_fixture, "--org", "acme", "--config", h.config_path().string()},
                 clean_env(), 60s);
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK(contains(r.output, "line 1: assistant-request -> 200"));
    CHECK(contains(r.output, "line 16: status-update -> 200"));
    auto calls = printed_calls(r.output);
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].at("provider_call_id").as_string() == call_0001);
    CHECK(calls[0].at("status").as_string() == "completed");
    CHECK(calls[0].at("ended_reason").as_string() == "customer-ended-call-during-transfer");
    // Replaying again stores nothing twice: every line is a duplicate.
    auto again = run({SB_BINARY, "--config", h.config_path().string(), "replay", inbound_fixture, "--org", "acme"},
                     clean_env(), 60s);
    INFO(again.output);
    CHECK(again.code == 0);
    CHECK(contains(again.output, "line 16: status-update -> 200 (duplicate)"));
}

TEST_CASE("replay --url: every line is POSTed with the secret, and the call is read back", "[replay][webhooks]") {
    host h(db_kind::sqlite, vapi_host());
    h.start();
    auto r = run({SB_BINARY, "replay", inbound_fixture, "--org", "acme", "--url", base_url(h), "--secret", secret,
                  "--api-key", acme_key, "--delay-ms", "1"},
                 clean_env(), 60s);
    INFO(r.output);
    CHECK(r.code == 0);
    auto lines = vapi_fixture("inbound_call.jsonl");
    REQUIRE(lines.size() == 16);
    for (std::size_t i = 0; i < lines.size(); ++i)
        CHECK(contains(r.output, "line " + std::to_string(i + 1) + ": " + type_of(lines[i]) + " -> 200"));
    // The host's own answer is shown: the assistant the org's answers name.
    CHECK(contains(r.output, "line 1: assistant-request -> 200 {\"assistantId\":\"asst-acme\""));
    CHECK_FALSE(contains(r.output, secret));
    CHECK_FALSE(contains(r.output, acme_key));

    auto calls = printed_calls(r.output);
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].at("provider_call_id").as_string() == call_0001);
    CHECK(calls[0].at("status").as_string() == "completed");
    CHECK(calls[0].at("ended_reason").as_string() == "customer-ended-call-during-transfer");
    CHECK(calls_on(h).at("total").as_int64() == 1);

    // The in-process mode prints the same call (fresh database, same org config).
    host local(db_kind::sqlite, vapi_host());
    auto in_process = run({SB_BINARY, "replay", inbound_fixture, "--org", "acme", "--config",
                           local.config_path().string()},
                          clean_env(), 60s);
    INFO(in_process.output);
    REQUIRE(in_process.code == 0);
    auto local_calls = printed_calls(in_process.output);
    REQUIRE(local_calls.size() == 1);
    CHECK(json::serialize(stable_view(local_calls[0])) == json::serialize(stable_view(calls[0])));
}

TEST_CASE("replay --url: credentials from the environment, without an API key the calls are not fetched",
          "[replay][webhooks]") {
    host h(db_kind::sqlite, vapi_host());
    h.start();
    auto r = run({SB_BINARY, "replay", inbound_fixture, "--org", "acme", "--url", base_url(h)},
                 {{"SWITCHBOARD_REPLAY_SECRET", secret}, {"SWITCHBOARD_API_KEY", ""}}, 60s);
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK(contains(r.output, "line 16: status-update -> 200"));
    CHECK(contains(r.output, "calls not fetched: no API key (--api-key or SWITCHBOARD_API_KEY)"));
    CHECK(printed_calls(r.output).empty());
    CHECK(calls_on(h).at("total").as_int64() == 1);

    auto with_key = run({SB_BINARY, "replay", inbound_fixture, "--org", "acme", "--url", base_url(h)},
                        {{"SWITCHBOARD_REPLAY_SECRET", secret}, {"SWITCHBOARD_API_KEY", admin_key}}, 60s);
    INFO(with_key.output);
    CHECK(with_key.code == 0);
    auto calls = printed_calls(with_key.output);
    REQUIRE(calls.size() == 1);  // an admin key sees every org: the list is narrowed to acme
    CHECK(calls[0].at("org").as_string() == "acme");
}

TEST_CASE("replay --url: a wrong secret gets 401 on every line and exit 1", "[replay][webhooks]") {
    host h(db_kind::sqlite, vapi_host());
    h.start();
    auto r = run({SB_BINARY, "replay", inbound_fixture, "--org", "acme", "--url", base_url(h), "--secret",
                  "not-the-secret-42", "--api-key", acme_key},
                 clean_env(), 60s);
    INFO(r.output);
    CHECK(r.code == 1);
    CHECK(contains(r.output, "line 1: assistant-request -> 401"));
    CHECK(contains(r.output, "line 16: status-update -> 401"));
    CHECK_FALSE(contains(r.output, "-> 200"));
    CHECK_FALSE(contains(r.output, "not-the-secret-42"));
    CHECK(contains(r.output, "inbound_call.jsonl: 16 of 16 line(s) failed"));
    CHECK(contains(r.output, "call " + std::string(call_0001) + " (provider vapi, org acme) is not on the host"));
    CHECK(calls_on(h).at("total").as_int64() == 0);
}

TEST_CASE("replay --url: a malformed line is reported by number and the others still go through",
          "[replay][webhooks]") {
    host h(db_kind::sqlite, vapi_host());
    h.start();
    auto lines = vapi_fixture("inbound_call.jsonl");
    temp_dir dir;
    auto file = dir.write("mixed.jsonl", "# the first three lines of the inbound call, broken in between\n" +
                                             lines[0] + "\n" + "{\"message\": {\"type\": \"status-upd\n" + "\n" +
                                             lines[1] + "\n" + "[1,2,3]\n" + lines[2] + "\n");
    auto r = run({SB_BINARY, "replay", file.string(), "--org", "acme", "--url", base_url(h), "--secret", secret,
                  "--api-key", acme_key},
                 clean_env(), 60s);
    INFO(r.output);
    CHECK(r.code == 1);
    CHECK(contains(r.output, "line 2: assistant-request -> 200"));
    CHECK(contains(r.output, "line 3: ? -> not sent: invalid JSON at column "));
    CHECK(contains(r.output, "line 5: status-update -> 200"));
    CHECK(contains(r.output, "line 6: ? -> 400"));  // valid JSON: the host says why it refuses it
    CHECK(contains(r.output, "line 7: status-update -> 200"));
    CHECK(contains(r.output, "mixed.jsonl: 2 of 5 line(s) failed (line 3, 6)"));
    auto calls = printed_calls(r.output);
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].at("status").as_string() == "in_progress");
}

TEST_CASE("replay --url: a host that is down fails every line with the connection error", "[replay][webhooks]") {
    auto port = free_port();
    auto url = "http://127.0.0.1:" + std::to_string(port);
    auto r = run({SB_BINARY, "replay", inbound_fixture, "--org", "acme", "--url", url, "--secret", secret,
                  "--api-key", acme_key},
                 clean_env(), 60s);
    INFO(r.output);
    CHECK(r.code == 1);
    CHECK(contains(r.output, "line 1: assistant-request -> no response: connect to 127.0.0.1:" +
                                 std::to_string(port) + " failed: Connection refused"));
    CHECK(contains(r.output, "line 16: status-update -> no response: "));
    CHECK(contains(r.output, "16 of 16 line(s) failed"));
    CHECK(contains(r.output, "calls not fetched: GET /api/v1/calls: no response: connect to"));
}

TEST_CASE("replay --dry-run: prints line, type and call id and sends nothing", "[replay][webhooks]") {
    host h(db_kind::sqlite, vapi_host());
    h.start();
    auto r = run({SB_BINARY, "replay", inbound_fixture, "--org", "acme", "--url", base_url(h), "--secret", secret,
                  "--dry-run"},
                 clean_env(), 60s);
    INFO(r.output);
    CHECK(r.code == 0);
    CHECK(contains(r.output, "dry run: 16 line(s)"));
    CHECK(contains(r.output, base_url(h) + "/webhooks/vapi/acme"));
    CHECK(contains(r.output, "line 1: assistant-request call " + std::string(call_0001) + " -> would send "));
    CHECK(contains(r.output, "line 16: status-update call " + std::string(call_0001) + " -> would send "));
    CHECK_FALSE(contains(r.output, secret));
    CHECK(calls_on(h).at("total").as_int64() == 0);
    auto stored = json::parse(h.get("/api/v1/admin/webhook-events?state=applied", admin_key).body).as_object();
    CHECK(stored.at("total").as_int64() == 0);
}

TEST_CASE("replay: usage errors exit 2 with the usage text", "[replay][cli]") {
    host h(db_kind::sqlite);
    auto cfg = h.config_path().string();
    struct usage_case {
        std::vector<std::string> argv;
        std::string message;
    };
    std::vector<usage_case> cases{
        {{SB_BINARY, "replay"}, "replay needs a FILE.jsonl"},
        {{SB_BINARY, "replay", inbound_fixture, "--frobnicate"}, "unknown option '--frobnicate'"},
        {{SB_BINARY, "replay", "/no/such/file.jsonl", "--config", cfg}, "cannot open /no/such/file.jsonl"},
        {{SB_BINARY, "replay", inbound_fixture, "--org", "initech", "--config", cfg},
         "unknown organisation 'initech' (not in " + cfg + ")"},
        {{SB_BINARY, "replay", inbound_fixture, "--url", "http://127.0.0.1:9"}, "--url needs --org"},
        {{SB_BINARY, "replay", inbound_fixture, "--org", "acme", "--url", "localhost:8080"}, "--url: "},
        {{SB_BINARY, "replay", inbound_fixture, "--delay-ms", "soon"}, "--delay-ms: expected 0..3600000, got 'soon'"},
        {{SB_BINARY, "replay", inbound_fixture, "--api-key", "k", "--config", cfg}, "--api-key needs --url"},
    };
    for (auto const& c : cases) {
        auto r = run(c.argv, clean_env(), 60s);
        INFO(c.argv.back() << "\n" << r.output);
        CHECK(r.code == 2);
        CHECK(contains(r.output, c.message));
        if (c.message.rfind("unknown organisation", 0) != 0) CHECK(contains(r.output, "usage: switchboard replay"));
    }
    auto help = run({SB_BINARY, "replay", "--help"});
    CHECK(help.code == 0);
    CHECK(contains(help.output, "--delay-ms N"));
}
