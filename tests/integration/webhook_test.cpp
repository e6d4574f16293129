// Vapi webhooks through the real binary and the real vapi plugin, on SQLite and on
// PostgreSQL: a recorded call in several delivery orders, answers, auth, duplicates,
// malformed bodies, and the seed paths that route by assistant.
#include "integration/host_fixture.hpp"
#include "integration/vapi_fixtures.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include "host/store/store.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <random>
#include <thread>

using namespace switchboard::testing;
namespace json = boost::json;

namespace {

constexpr const char* secret = "whsec-acme-0123456789";

host_options vapi_host(const std::string& assistant_for_globex = "none") {
    host_options o;
    o.org_yaml = std::string("orgs:\n") +
                 "  - id: acme\n    api_keys: [\"" + acme_key + "\"]\n" +
                 "    plugins:\n      vapi: {webhook_secret: \"" + secret + "\"}\n" +
                 "    answers:\n      assistant_id: asst-acme\n      transfer_number: \"+15555550199\"\n" +
                 "      transfer_message: Connecting you now.\n      fallback_result: Let me find someone who knows.\n" +
                 "  - id: globex\n    api_keys: [\"" + globex_key + "\"]\n" +
                 "    plugins:\n      vapi: {webhook_secret: \"" + secret + "\", assistant_ids: [\"" +
                 assistant_for_globex + "\"]}\n";
    return o;
}

http_response post(host& h, const std::string& path, const std::string& body, const std::string& vapi_secret = secret) {
    http_client c("127.0.0.1", h.port());
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
    if (!vapi_secret.empty()) headers["X-Vapi-Secret"] = vapi_secret;
    return c.request("POST", path, body, headers);
}

json::object only_call(host& h, const std::string& key = acme_key) {
    auto list = json::parse(h.get("/api/v1/calls?provider=vapi", key).body).as_object();
    REQUIRE(list.at("total").as_int64() == 1);
    auto id = std::string(list.at("calls").as_array()[0].at("id").as_string());
    auto r = h.get("/api/v1/calls/" + id, key);
    REQUIRE(r.status == 200);
    return json::parse(r.body).as_object();
}

void inbound_call_in_any_order(db_kind kind) {
    auto lines = vapi_fixture("inbound_call.jsonl");
    auto report = std::find_if(lines.begin(), lines.end(), [](auto& l) { return type_of(l) == "end-of-call-report"; });
    REQUIRE(report != lines.end());
    std::size_t spoken = 0;
    auto m = message_of(*report);
    for (auto& msg : m.at("artifact").at("messages").as_array())
        if (msg.at("role").as_string() != "system") ++spoken;

    std::vector<std::vector<std::string>> orders{lines, std::vector<std::string>(lines.rbegin(), lines.rend())};
    std::mt19937 rng(20261122);
    for (int i = 0; i < 2; ++i) {
        auto shuffled = lines;
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        orders.push_back(shuffled);
    }
    std::optional<json::object> first;
    for (std::size_t o = 0; o < orders.size(); ++o) {
        INFO("delivery order " << o);
        host h(kind, vapi_host());
        h.start();
        for (auto const& line : orders[o]) {
            auto r = post(h, "/webhooks/vapi/acme", line);
            INFO(type_of(line) << " -> " << r.status << " " << r.body);
            REQUIRE(r.status == 200);
            auto answer = json::parse(r.body).as_object();
            auto type = type_of(line);
            if (type == "assistant-request") CHECK(answer.at("assistantId").as_string() == "asst-acme");
            if (type == "transfer-destination-request") {
                CHECK(answer.at("destination").at("number").as_string() == "+15555550199");
            }
            if (type == "tool-calls") {
                auto const& results = answer.at("results").as_array();
                auto msg = message_of(line);
                auto const& asked = msg.at("toolCallList").as_array();
                REQUIRE(results.size() == asked.size());
                for (std::size_t i = 0; i < asked.size(); ++i) {
                    CHECK(results[i].at("toolCallId") == asked[i].at("id"));
                    // check_availability cannot answer yet (the org's fallback); the recorded
                    // schedule_tour gives no name, which its schema requires.
                    const bool tour = asked[i].at("function").at("name") == "schedule_tour";
                    CHECK(results[i].at("result").as_string() ==
                          (tour ? "I'm sorry, I still need the name for that." : "Let me find someone who knows."));
                }
            }
        }
        auto call = only_call(h);
        CHECK(call.at("status").as_string() == "completed");  // customer-ended-call-during-transfer
        CHECK(call.at("phase").as_string() == "escalation");
        CHECK(call.at("ended_reason").as_string() == "customer-ended-call-during-transfer");
        CHECK(call.at("cost").as_double() == Approx(m.at("cost").as_double()));
        CHECK(call.at("recording_url").is_string());
        CHECK(call.at("summary").is_string());
        CHECK(call.at("transcript").as_array().size() == spoken);
        for (auto& s : call.at("transcript").as_array()) CHECK(s.at("source").as_string() == "report");
        CHECK(call.at("status_history").as_array().size() >= 4);
        if (!first) {
            first = stable_view(call);
        } else {
            CHECK(json::serialize(stable_view(call)) == json::serialize(*first));
        }
    }
}
SB_BOTH_DATABASES("vapi: a recorded inbound call gives the same call in any delivery order", "[webhooks][vapi]",
                  inbound_call_in_any_order)

void auth_duplicates_and_bad_bodies(db_kind kind) {
    host_options o = vapi_host();
    o.server_yaml = "";
    host h(kind, o);
    h.start();
    auto lines = vapi_fixture("outbound_call.jsonl");

    // Verification first: nothing stored on failure, and a counter says so.
    auto wrong = post(h, "/webhooks/vapi/acme", lines[0], "not-the-secret");
    CHECK(wrong.status == 401);
    CHECK(json::parse(wrong.body).at("detail").as_string().size() > 0);
    CHECK(post(h, "/webhooks/vapi/acme", lines[0], "").status == 401);
    CHECK(json::parse(h.get("/api/v1/calls", acme_key).body).at("total").as_int64() == 0);
    auto events = json::parse(h.get("/api/v1/admin/webhook-events?state=applied", admin_key).body).as_object();
    CHECK(events.at("total").as_int64() == 0);
    CHECK(h.get("/metrics").body.find("switchboard_webhook_rejected_total{provider=\"vapi\",reason=\"auth\"} 2") !=
          std::string::npos);
    CHECK(h.log().find(secret) == std::string::npos);

    // The whole outbound call; then every message again: duplicates are applied once.
    for (auto const& l : lines) REQUIRE(post(h, "/webhooks/vapi/acme", l).status == 200);
    auto applied = json::parse(h.get("/api/v1/admin/webhook-events?state=applied", admin_key).body).as_object();
    CHECK(applied.at("total").as_int64() == static_cast<std::int64_t>(lines.size()));
    auto before = only_call(h);
    for (auto const& l : lines) REQUIRE(post(h, "/webhooks/vapi/acme", l).status == 200);
    auto again = json::parse(h.get("/api/v1/admin/webhook-events?state=applied", admin_key).body).as_object();
    CHECK(again.at("total").as_int64() == static_cast<std::int64_t>(lines.size()));
    auto after = only_call(h);
    CHECK(json::serialize(stable_view(after)) == json::serialize(stable_view(before)));
    CHECK(after.at("status").as_string() == "missed");  // customer-did-not-answer
    CHECK(after.at("direction").as_string() == "outbound");

    // Malformed bodies: 400 with a detail, nothing stored, nothing lost.
    for (auto const& bad : vapi_fixture("malformed.jsonl")) {
        auto r = post(h, "/webhooks/vapi/acme", bad);
        INFO(bad.substr(0, 120) << " -> " << r.status << " " << r.body);
        CHECK((r.status == 400 || r.status == 200));  // unknown but readable types are kept and answered 200
        CHECK(json::parse(r.body).is_object());
    }
    CHECK(post(h, "/webhooks/vapi/acme", "{\"message\": {\"type\": \"status-upd").status == 400);
    CHECK(post(h, "/webhooks/vapi/acme", R"({"message":{"type":"status-update","status":"ringing"}})").status == 400);
    CHECK(post(h, "/webhooks/vapi/nobody", lines[0]).status == 404);
    CHECK(post(h, "/webhooks/nosuchprovider/acme", lines[0]).status == 404);
    CHECK(json::serialize(stable_view(only_call(h))) == json::serialize(stable_view(after)));
    CHECK(h.proc().running());
}
SB_BOTH_DATABASES("vapi: auth, duplicates and malformed bodies", "[webhooks][vapi]", auth_duplicates_and_bad_bodies)

TEST_CASE("vapi: seed paths route to the org that owns the assistant, else the default org", "[webhooks][vapi]") {
    auto lines = vapi_fixture("outbound_call.jsonl");
    auto first_message = message_of(lines[0]);
    auto call = first_message.at("call").as_object();
    REQUIRE(call.contains("assistantId"));
    std::string assistant(call.at("assistantId").as_string());
    {
        host h(db_kind::sqlite, vapi_host(assistant));
        h.start();
        for (auto path : {"/api/v1/vapi/webhook", "/api/v1/voice/webhook", "/api/v1/vapi/function"})
            REQUIRE(post(h, path, lines[0]).status == 200);
        CHECK(json::parse(h.get("/api/v1/calls", globex_key).body).at("total").as_int64() == 1);
        CHECK(json::parse(h.get("/api/v1/calls", acme_key).body).at("total").as_int64() == 0);
    }
    {
        host h(db_kind::sqlite, vapi_host("someone-else"));
        h.start();
        REQUIRE(post(h, "/api/v1/vapi/webhook", lines[0]).status == 200);
        CHECK(json::parse(h.get("/api/v1/calls", acme_key).body).at("total").as_int64() == 1);  // default org
    }
}

TEST_CASE("webhook events: admin only, 404 for unknown ids", "[webhooks]") {
    host h(db_kind::sqlite, vapi_host());
    h.start();
    CHECK(h.get("/api/v1/admin/webhook-events?state=failed", acme_key).status == 403);
    auto failed = h.get("/api/v1/admin/webhook-events?state=failed", admin_key);
    REQUIRE(failed.status == 200);
    CHECK(json::parse(failed.body).at("events").as_array().empty());
    CHECK(h.get("/api/v1/admin/webhook-events?state=bogus", admin_key).status == 422);
    CHECK(h.request("POST", "/api/v1/admin/webhook-events/nope/retry", "{}", admin_key).status == 404);
}

}  // namespace

namespace {

// A quick tool (tool_spec::quick) answers on the webhook's own thread; the question is
// answered first and its record follows in the next group commit.
void quick_tool_answered_then_recorded(db_kind kind) {
    host_options o = vapi_host();
    o.plugins_yaml = std::string("plugins:\n  directories: [\"") + SB_PLUGIN_DIR +
                     "\"]\n  load:\n    - name: vapi\n      required: true\n    - name: tour_scheduling\n"
                     "      required: true\n";
    host h(kind, o);
    h.start();
    std::string body = R"({"message":{"type":"tool-calls","toolCallList":[
        {"id":"oh-1","type":"function","function":{"name":"get_office_hours","arguments":{}}}],
        "call":{"id":"quick-call-1","type":"inboundPhoneCall"}}})";
    auto r = post(h, "/webhooks/vapi/acme", body);
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto results = json::parse(r.body).at("results").as_array();
    REQUIRE(results.size() == 1);
    CHECK(results[0].at("toolCallId").as_string() == "oh-1");
    CHECK(results[0].at("name").as_string() == "get_office_hours");
    CHECK(std::string(results[0].at("result").as_string()).rfind("Our office is open", 0) == 0);

    // The record: the raw body, the answer given, and the call it created.
    json::array events;
    for (int i = 0; i < 200 && events.empty(); ++i) {
        auto listed = json::parse(h.get("/api/v1/admin/webhook-events?state=applied", admin_key).body).as_object();
        events = listed.at("events").as_array();
        if (events.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(events.size() == 1);
    CHECK(events[0].at("event_type").as_string() == "tool-calls");
    CHECK(events[0].at("body_bytes").as_int64() == static_cast<std::int64_t>(body.size()));
    CHECK(events[0].at("events").at(0).at("tool").as_string() == "get_office_hours");
    CHECK(json::parse(h.get("/api/v1/calls?provider=vapi", acme_key).body).at("total").as_int64() == 1);

    // A redelivery gets the same answer and is not recorded twice.
    CHECK(post(h, "/webhooks/vapi/acme", body).body == r.body);
    auto status = R"({"message":{"type":"status-update","status":"ended","endedReason":"customer-ended-call",
        "call":{"id":"quick-call-1","type":"inboundPhoneCall"}}})";
    REQUIRE(post(h, "/webhooks/vapi/acme", status).status == 200);  // committed behind anything queued before it
    auto after = json::parse(h.get("/api/v1/admin/webhook-events?state=applied", admin_key).body).as_object();
    CHECK(after.at("total").as_int64() == 2);
}

}  // namespace

TEST_CASE("vapi: a quick tool answers at once and the question is recorded right after (sqlite)",
          "[webhooks][vapi]") {
    quick_tool_answered_then_recorded(db_kind::sqlite);
}

TEST_CASE("vapi: a quick tool answers at once and the question is recorded right after (pg)", "[webhooks][pg]") {
    quick_tool_answered_then_recorded(db_kind::postgresql);
}

TEST_CASE("vapi: tool calls answer in time, missing, failing and slow tools get the fallback", "[webhooks][vapi]") {
    host_options o = vapi_host();
    o.plugins_yaml = std::string("plugins:\n  directories: [\"") + SB_PLUGIN_DIR + "\", \"" + SB_ZOO_DIR +
                     "\"]\n  load:\n    - name: vapi\n      required: true\n    - name: zoo_tools\n"
                     "      config: {delay_ms: 3000}\n";
    // A short deadline for acme's tools.
    o.org_yaml.replace(o.org_yaml.find("      fallback_result:"), 0, "      tool_timeout_ms: 300\n");
    host h(db_kind::sqlite, o);
    h.start();
    std::string body = R"({"message":{"type":"tool-calls","toolCallList":[
        {"id":"t1","type":"function","function":{"name":"fast_lookup","arguments":{}}},
        {"id":"t2","type":"function","function":{"name":"slow_lookup","arguments":"{}"}},
        {"id":"t3","type":"function","function":{"name":"broken_lookup","arguments":{}}},
        {"id":"t4","type":"function","function":{"name":"no_such_tool","arguments":{}}}],
        "call":{"id":"tool-call-1","type":"inboundPhoneCall"}}})";
    auto started = std::chrono::steady_clock::now();
    auto r = post(h, "/webhooks/vapi/acme", body);
    auto took = std::chrono::steady_clock::now() - started;
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto results = json::parse(r.body).at("results").as_array();
    REQUIRE(results.size() == 4);
    CHECK(results[0].at("toolCallId").as_string() == "t1");
    CHECK(std::string(results[0].at("result").as_string()).rfind("fast answer", 0) == 0);
    for (int i = 1; i < 4; ++i) {
        CHECK(results[i].at("toolCallId").as_string() == "t" + std::to_string(i + 1));
        CHECK(results[i].at("result").as_string() == "Let me find someone who knows.");
    }
    // Not a timing threshold: the slow tool sleeps 3 s, so an answer before that proves
    // the deadline cut it off rather than waiting for it.
    CHECK(took < std::chrono::milliseconds(3000));
    // A redelivery gets the same answer without running the tools again.
    auto again = post(h, "/webhooks/vapi/acme", body);
    CHECK(again.body == r.body);
    CHECK(h.log().find("the lookup service is down") != std::string::npos);  // named in the log
}

namespace {

// Runs SQL on the host's database from the side (a trigger that makes applying fail).
void exec_sql(const std::string& url, const std::string& sql) {
    auto u = switchboard::store::parse_database_url(url);
    if (u.kind == switchboard::store::backend::sqlite) {
        soci::session s(soci::sqlite3, u.connect);
        s << sql;
    } else {
        soci::session s(soci::postgresql, u.connect);
        s << sql;
    }
}

void failed_events_are_parked_then_replayed(db_kind kind) {
    host h(kind, vapi_host());
    h.start();
    // Storage refuses this one call; everything else goes through.
    if (kind == db_kind::sqlite) {
        exec_sql(h.db_url(), "CREATE TRIGGER poison BEFORE INSERT ON calls WHEN NEW.provider_call_id = 'poison-1' "
                             "BEGIN SELECT RAISE(ABORT, 'poisoned call'); END");
    } else {
        exec_sql(h.db_url(), "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN IF NEW.provider_call_id = "
                             "'poison-1' THEN RAISE EXCEPTION 'poisoned call'; END IF; RETURN NEW; END $$ "
                             "LANGUAGE plpgsql");
        exec_sql(h.db_url(), "CREATE TRIGGER poison BEFORE INSERT ON calls FOR EACH ROW EXECUTE FUNCTION poison()");
    }
    std::string body =
        R"({"message":{"type":"status-update","status":"ringing","call":{"id":"poison-1","type":"inboundPhoneCall"}}})";
    // Acknowledged: the raw webhook is kept even though applying it failed.
    REQUIRE(post(h, "/webhooks/vapi/acme", body).status == 200);
    auto pending = json::parse(h.get("/api/v1/admin/webhook-events?state=pending", admin_key).body).as_object();
    REQUIRE(pending.at("total").as_int64() == 1);
    CHECK(std::string(pending.at("events").as_array()[0].at("last_error").as_string()).find("poisoned call") !=
          std::string::npos);

    // The retrier tries again with backoff (1, 2, 4, 8 s) and parks it after 5 attempts.
    json::object failed;
    for (int i = 0; i < 600; ++i) {
        failed = json::parse(h.get("/api/v1/admin/webhook-events?state=failed", admin_key).body).as_object();
        if (failed.at("total").as_int64() == 1) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(failed.at("total").as_int64() == 1);
    auto const& event = failed.at("events").as_array()[0];
    CHECK(event.at("attempts").as_int64() == 5);
    CHECK(json::parse(h.get("/api/v1/calls", acme_key).body).at("total").as_int64() == 0);

    // The operator fixes the cause and replays it.
    exec_sql(h.db_url(), "DROP TRIGGER poison" + std::string(kind == db_kind::sqlite ? "" : " ON calls"));
    auto id = std::string(event.at("id").as_string());
    auto retry = h.request("POST", "/api/v1/admin/webhook-events/" + id + "/retry", "{}", admin_key);
    INFO(retry.body);
    REQUIRE(retry.status == 200);
    CHECK(json::parse(retry.body).at("applied").as_bool());
    CHECK(json::parse(h.get("/api/v1/admin/webhook-events?state=failed", admin_key).body).at("total").as_int64() == 0);
    auto call = only_call(h);
    CHECK(call.at("provider_call_id").as_string() == "poison-1");
    CHECK(call.at("status").as_string() == "ringing");
}

}  // namespace

SB_BOTH_DATABASES("webhook events: a webhook that cannot be applied is kept, retried, parked and replayed",
                  "[webhooks]", failed_events_are_parked_then_replayed)
