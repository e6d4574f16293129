// Health, readiness, metrics, OpenAPI, CORS, logging: the operator's view of the
// real binary.
#include "integration/host_fixture.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <csignal>
#include <fstream>
#include <set>
#include <sstream>

using namespace switchboard::testing;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

void health_and_readiness(db_kind kind) {
    host h(kind);
    h.start();
    auto health = h.get("/healthz");
    CHECK(health.status == 200);
    CHECK(json::parse(health.body).at("status").as_string() == "ok");
    auto ready = h.get("/readyz");
    INFO(ready.body);
    CHECK(ready.status == 200);
    CHECK(json::parse(ready.body).at("checks").at("store").as_string() == "ok");
}
SB_BOTH_DATABASES("ops: healthz and readyz", "[ops]", health_and_readiness)

TEST_CASE("ops: metrics count requests by route and status", "[ops]") {
    host h(db_kind::sqlite);
    h.start();
    for (int i = 0; i < 3; ++i) h.get("/api/v1/calls", acme_key);
    h.get("/api/v1/calls");  // 401
    auto m = h.get("/metrics");
    REQUIRE(m.status == 200);
    CHECK(m.headers["content-type"].find("text/plain") == 0);
    INFO(m.body);
    CHECK(m.body.find("switchboard_http_requests_total{route=\"/api/v1/calls\",method=\"GET\",status=\"200\"} 3") !=
          std::string::npos);
    CHECK(m.body.find("switchboard_http_requests_total{route=\"/api/v1/calls\",method=\"GET\",status=\"401\"} 1") !=
          std::string::npos);
    CHECK(m.body.find("# TYPE switchboard_http_request_duration_seconds histogram") != std::string::npos);
    CHECK(m.body.find("switchboard_calls{") != std::string::npos);
}

TEST_CASE("ops: openapi.json describes every route", "[ops]") {
    host h(db_kind::sqlite);
    h.start();
    auto r = h.get("/openapi.json");
    REQUIRE(r.status == 200);
    auto doc = json::parse(r.body).as_object();
    CHECK(doc.at("openapi").as_string().starts_with("3."));
    auto const& paths = doc.at("paths").as_object();
    for (auto p : {"/healthz", "/readyz", "/metrics", "/openapi.json", "/api/v1/calls", "/api/v1/calls/{id}",
                   "/api/v1/calls/{id}/transcript", "/api/v1/calls/all/active", "/api/v1/orgs",
                   "/api/v1/orgs/{id}/config", "/api/v1/voice/calls", "/api/calls", "/api/org/config/{org_id}"}) {
        INFO(p);
        CHECK(paths.contains(p));
    }
    auto const& list = paths.at("/api/v1/calls").at("get").as_object();
    bool has_page_size = false;
    for (auto const& p : list.at("parameters").as_array())
        if (p.at("name").as_string() == "page_size") has_page_size = true;
    CHECK(has_page_size);
    CHECK(paths.at("/api/v1/orgs/{id}/config").as_object().contains("put"));
}

TEST_CASE("ops: CORS for configured origins only", "[ops]") {
    host h(db_kind::sqlite);
    h.start();
    http_client c("127.0.0.1", h.port());
    auto pre = c.request("OPTIONS", "/api/v1/calls", "",
                         {{"Origin", "https://dash.example.com"}, {"Access-Control-Request-Method", "GET"}});
    CHECK(pre.status == 204);
    CHECK(pre.headers["access-control-allow-origin"] == "https://dash.example.com");
    CHECK(pre.headers["access-control-allow-headers"].find("Authorization") != std::string::npos);
    auto get = c.request("GET", "/api/v1/calls", "",
                         {{"Origin", "https://dash.example.com"}, {"Authorization", std::string("Bearer ") + acme_key}});
    CHECK(get.headers["access-control-allow-origin"] == "https://dash.example.com");
    auto evil = c.request("GET", "/api/v1/calls", "",
                          {{"Origin", "https://evil.example.com"}, {"Authorization", std::string("Bearer ") + acme_key}});
    CHECK(evil.status == 200);
    CHECK(evil.headers.count("access-control-allow-origin") == 0);
}

TEST_CASE("ops: JSON logs carry the request id, never secrets", "[ops]") {
    host_options o;
    o.extra_yaml = "";
    host h(db_kind::sqlite, o);
    // Switch the generated config to JSON logs.
    {
        std::ifstream in(h.config_path());
        std::stringstream ss;
        ss << in.rdbuf();
        auto text = ss.str();
        text.replace(text.find("format: text"), 12, "format: json");
        std::ofstream(h.config_path()) << text;
    }
    h.start();
    http_client c("127.0.0.1", h.port());
    auto r = c.request("GET", "/api/v1/calls", "",
                       {{"X-Request-Id", "trace-abc-123"}, {"Authorization", std::string("Bearer ") + acme_key}});
    CHECK(r.status == 200);
    CHECK(r.headers["x-request-id"] == "trace-abc-123");
    h.proc().signal(SIGTERM);
    REQUIRE(h.proc().wait(10s) == 0);
    std::istringstream lines(h.log());
    int parsed = 0;
    bool saw_request = false;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty()) continue;
        INFO(line);
        auto v = json::parse(line);
        REQUIRE(v.is_object());
        CHECK(v.as_object().contains("level"));
        ++parsed;
        if (v.at("request_id").is_string() && v.at("request_id").as_string() == "trace-abc-123") saw_request = true;
    }
    CHECK(parsed > 2);
    CHECK(saw_request);
    CHECK(h.log().find(acme_key) == std::string::npos);
    CHECK(h.log().find(admin_key) == std::string::npos);
}

}  // namespace

TEST_CASE("ops: /api/v1/plugins is admin-only and lists every plugin with its keys", "[ops][auth]") {
    host h(db_kind::sqlite);
    h.start();
    auto forbidden = h.get("/api/v1/plugins", acme_key);
    CHECK(forbidden.status == 403);
    CHECK(json::parse(forbidden.body).at("detail").as_string().size() > 0);
    auto r = h.get("/api/v1/plugins", admin_key);
    REQUIRE(r.status == 200);
    auto doc = json::parse(r.body);
    auto const& plugins = doc.at("plugins").as_array();
    CHECK(plugins.size() == 6);
    std::set<std::string> names;
    for (auto const& p : plugins) names.insert(std::string(p.at("name").as_string()));
    CHECK(names == std::set<std::string>{"vapi", "openai_realtime", "livekit_sip", "knowledge_search",
                                         "tour_scheduling", "escalation"});
    CHECK(doc.at("failures").as_array().empty());
}

TEST_CASE("ops: rate limit per credential answers 429 with headers", "[ops][auth]") {
    host_options o;
    o.server_yaml = "  rate_limit_per_minute: 3\n";
    host h(db_kind::sqlite, o);
    h.start();
    for (int i = 0; i < 3; ++i) {
        auto r = h.get("/api/v1/calls", acme_key);
        REQUIRE(r.status == 200);
        CHECK(r.headers["x-ratelimit-limit"] == "3");
        CHECK(r.headers["x-ratelimit-remaining"] == std::to_string(2 - i));
    }
    auto limited = h.get("/api/v1/calls", acme_key);
    CHECK(limited.status == 429);
    CHECK(std::stoi(limited.headers["retry-after"]) > 0);
    CHECK(json::parse(limited.body).at("detail").as_string().size() > 0);
    // Another credential has its own budget; open routes are not limited.
    CHECK(h.get("/api/v1/calls", globex_key).status == 200);
    CHECK(h.get("/healthz").status == 200);
}
