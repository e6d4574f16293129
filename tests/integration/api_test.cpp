// The calls and orgs API through the real binary, on SQLite and on PostgreSQL:
// auth, tenant isolation, pagination and filter arithmetic, error bodies.
#include "integration/host_fixture.hpp"

#include "host/auth/jwt_token.hpp"
#include "host/store/store.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <csignal>
#include <set>

using namespace switchboard;
using namespace switchboard::testing;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

sdk::time_point day(int d, int hour = 12) {
    return std::chrono::sys_days{std::chrono::year{2025} / 1 / d} + std::chrono::hours(hour);
}

struct seeded {
    std::vector<std::string> acme_ids;
    std::vector<std::string> globex_ids;
};

// 30 acme calls over Jan 1..30 and 5 globex calls: statuses cycle through
// completed, missed, in_progress; every third is outbound; analytics on even days.
seeded seed_calls(const std::string& url) {
    store::store db(url, 1);
    db.migrate();
    db.upsert_org("acme", "Acme Support");
    db.upsert_org("globex", "Globex Leasing");
    seeded out;
    const sdk::call_status cycle[] = {sdk::call_status::completed, sdk::call_status::missed,
                                      sdk::call_status::in_progress};
    for (int i = 1; i <= 30; ++i) {
        sdk::call c;
        c.org = "acme";
        c.provider = i % 2 ? "vapi" : "livekit_sip";
        c.provider_call_id = "acme-" + std::to_string(i);
        c.direction = i % 3 == 0 ? sdk::call_direction::outbound : sdk::call_direction::inbound;
        c.from_number = "+15550001" + std::to_string(100 + i);
        c.to_number = "+15559990000";
        c.status = cycle[i % 3];
        c.started_at = day(i);
        if (c.status != sdk::call_status::in_progress) {
            c.ended_at = day(i) + std::chrono::seconds(60 + i);
            c.duration_seconds = 60 + i;
        }
        c.metadata = {{"seq", i}};
        auto id = db.insert_call(c);
        out.acme_ids.push_back(id);
        if (i % 2 == 0) {
            store::call_analytics a;
            a.sentiment = i % 4 == 0 ? "positive" : "negative";
            a.category = i <= 10 ? "billing" : "technical";
            a.resolution = "resolved";
            db.put_analytics(id, a);
        }
        if (i == 1) {
            sdk::transcript_segment hello, bill;
            hello.role = sdk::speaker_role::assistant;
            hello.text = "Hello, how can I help?";
            bill.role = sdk::speaker_role::customer;
            bill.text = "My bill is wrong.";
            db.append_transcript(id, {hello, bill});
        }
    }
    for (int i = 1; i <= 5; ++i) {
        sdk::call c;
        c.org = "globex";
        c.provider = "vapi";
        c.provider_call_id = "globex-" + std::to_string(i);
        c.status = sdk::call_status::completed;
        c.started_at = day(i, 9);
        out.globex_ids.push_back(db.insert_call(c));
    }
    return out;
}

json::object body_of(const http_response& r) {
    INFO(r.status << " " << r.body);
    auto v = json::parse(r.body);
    REQUIRE(v.is_object());
    return v.as_object();
}

std::int64_t total_of(host& h, const std::string& query, const std::string& key = acme_key) {
    auto r = h.get("/api/v1/calls" + query, key);
    INFO(query << " -> " << r.status << " " << r.body);
    REQUIRE(r.status == 200);
    return body_of(r).at("total").as_int64();
}

void pagination_and_filters(db_kind kind) {
    host h(kind);
    auto ids = seed_calls(h.db_url());
    h.start();

    // Pages: 30 calls, page_size 7 -> 5 pages, last has 2; newest first; no overlap.
    std::set<std::string> seen;
    std::string previous_started;
    for (int page = 1; page <= 5; ++page) {
        auto b = body_of(h.get("/api/v1/calls?page=" + std::to_string(page) + "&page_size=7", acme_key));
        CHECK(b.at("total").as_int64() == 30);
        CHECK(b.at("page").as_int64() == page);
        CHECK(b.at("page_size").as_int64() == 7);
        auto const& calls = b.at("calls").as_array();
        CHECK(calls.size() == (page < 5 ? 7u : 2u));
        for (auto const& c : calls) {
            auto started = std::string(c.at("started_at").as_string());
            if (!previous_started.empty()) CHECK(started < previous_started);
            previous_started = started;
            CHECK(seen.insert(std::string(c.at("id").as_string())).second);
            CHECK(c.at("org").as_string() == "acme");
        }
    }
    CHECK(seen.size() == 30);
    auto past_end = body_of(h.get("/api/v1/calls?page=9&page_size=7", acme_key));
    CHECK(past_end.at("calls").as_array().empty());
    CHECK(past_end.at("total").as_int64() == 30);

    // Filter arithmetic: total counts the filtered set.
    CHECK(total_of(h, "?status=completed") == 10);
    CHECK(total_of(h, "?status=missed") == 10);
    CHECK(total_of(h, "?status=in-progress") == 10);  // the providers' spelling
    CHECK(total_of(h, "?direction=outbound") == 10);
    CHECK(total_of(h, "?direction=inbound") == 20);
    CHECK(total_of(h, "?provider=vapi") == 15);
    CHECK(total_of(h, "?sentiment=positive") == 7);   // days 4, 8, ..., 28
    CHECK(total_of(h, "?category=billing") == 5);     // even days up to 10
    CHECK(total_of(h, "?date_from=2025-01-10&date_to=2025-01-19") == 10);  // date_to is a whole day
    CHECK(total_of(h, "?date_from=2025-01-10T12:00:00Z&date_to=2025-01-10T12:00:00Z") == 1);
    CHECK(total_of(h, "?status=completed&direction=outbound") == 10);  // i%3==0 -> completed, outbound
    CHECK(total_of(h, "?status=missed&provider=vapi&date_from=2025-01-15") == 2);  // days 19 and 25
    auto filtered = body_of(h.get("/api/v1/calls?status=missed&page_size=3&page=2", acme_key));
    CHECK(filtered.at("total").as_int64() == 10);
    CHECK(filtered.at("calls").as_array().size() == 3);
    for (auto const& c : filtered.at("calls").as_array()) CHECK(c.at("status").as_string() == "missed");

    // Seed alias routes serve the same list.
    CHECK(body_of(h.get("/api/v1/voice/calls?status=completed", acme_key)).at("total").as_int64() == 10);
    CHECK(body_of(h.get("/api/calls?status=completed", acme_key)).at("total").as_int64() == 10);

    // Active calls: the in_progress ones, split by direction.
    auto active = body_of(h.get("/api/v1/calls/all/active", acme_key));
    CHECK(active.at("total").as_int64() == 10);
    CHECK(active.at("inbound_count").as_int64() + active.at("outbound_count").as_int64() == 10);

    // Detail with transcript in order, and the transcript route.
    auto detail = body_of(h.get("/api/v1/calls/" + ids.acme_ids[0], acme_key));
    CHECK(detail.at("provider_call_id").as_string() == "acme-1");
    auto const& transcript = detail.at("transcript").as_array();
    REQUIRE(transcript.size() == 2);
    CHECK(transcript[0].at("role").as_string() == "assistant");
    CHECK(transcript[1].at("text").as_string() == "My bill is wrong.");
    auto t = h.get("/api/v1/calls/" + ids.acme_ids[0] + "/transcript", acme_key);
    REQUIRE(t.status == 200);
    CHECK(json::parse(t.body).as_array().size() == 2);
    auto with_analytics = body_of(h.get("/api/v1/calls/" + ids.acme_ids[3], acme_key));  // day 4
    CHECK(with_analytics.at("analytics").at("sentiment").as_string() == "positive");
    CHECK(with_analytics.at("sentiment").as_string() == "positive");
}
SB_BOTH_DATABASES("calls API: pagination and filter arithmetic", "[api]", pagination_and_filters)

void tenant_isolation(db_kind kind) {
    host h(kind);
    auto ids = seed_calls(h.db_url());
    h.start();

    CHECK(total_of(h, "", acme_key) == 30);
    CHECK(total_of(h, "", globex_key) == 5);
    CHECK(total_of(h, "", admin_key) == 35);
    CHECK(total_of(h, "?org=globex", admin_key) == 5);
    // An org credential cannot widen its scope with ?org=.
    CHECK(total_of(h, "?org=globex", acme_key) == 30);

    // A foreign id is a 404 exactly like a missing one.
    auto foreign = h.get("/api/v1/calls/" + ids.globex_ids[0], acme_key);
    auto missing = h.get("/api/v1/calls/00000000-0000-7000-8000-000000000000", acme_key);
    CHECK(foreign.status == 404);
    CHECK(missing.status == 404);
    CHECK(foreign.body == missing.body);
    CHECK(h.get("/api/v1/calls/" + ids.globex_ids[0] + "/transcript", acme_key).status == 404);
    CHECK(h.get("/api/v1/calls/" + ids.globex_ids[0], globex_key).status == 200);
    CHECK(h.get("/api/v1/calls/" + ids.globex_ids[0], admin_key).status == 200);

    // Orgs: an org key sees only itself; another org's config is a 404.
    auto orgs = body_of(h.get("/api/v1/orgs", acme_key));
    REQUIRE(orgs.at("orgs").as_array().size() == 1);
    CHECK(orgs.at("orgs").as_array()[0].at("id").as_string() == "acme");
    CHECK(body_of(h.get("/api/v1/orgs", admin_key)).at("orgs").as_array().size() == 2);
    CHECK(h.get("/api/v1/orgs/globex/config", acme_key).status == 404);
    CHECK(h.request("PUT", "/api/v1/orgs/globex/config", R"({"x":1})", acme_key).status == 404);

    // JWT with an org claim is bound the same way.
    auto token = auth::issue_jwt(jwt_secret, "globex", "dashboard", false,
                                 std::chrono::system_clock::now() + std::chrono::minutes(5));
    CHECK(total_of(h, "", token) == 5);
    CHECK(h.get("/api/v1/calls/" + ids.acme_ids[0], token).status == 404);
    // Phone numbers are served to the API but never written to the log.
    CHECK(h.log().find("+15550001") == std::string::npos);
}
SB_BOTH_DATABASES("tenant isolation: an org never sees another's data", "[api][auth]", tenant_isolation)

void auth_rejections(db_kind kind) {
    host h(kind);
    h.start();
    auto none = h.get("/api/v1/calls");
    CHECK(none.status == 401);
    CHECK(body_of(none).at("detail").as_string().size() > 0);
    CHECK(none.headers["www-authenticate"] == "Bearer");
    CHECK(h.get("/api/v1/calls", "wrong-key").status == 401);
    {
        http_client c("127.0.0.1", h.port());
        auto basic = c.request("GET", "/api/v1/calls", "", {{"Authorization", "Basic YWxhZGRpbjpvcGVuc2VzYW1l"}});
        CHECK(basic.status == 401);
    }
    auto expired = auth::issue_jwt(jwt_secret, "acme", "x", false,
                                   std::chrono::system_clock::now() - std::chrono::minutes(5));
    auto r = h.get("/api/v1/calls", expired);
    CHECK(r.status == 401);
    CHECK(std::string(body_of(r).at("detail").as_string()).find("expired") != std::string::npos);
    auto forged = auth::issue_jwt("another-secret-0123456789abcdef", "acme", "x", false,
                                  std::chrono::system_clock::now() + std::chrono::minutes(5));
    CHECK(h.get("/api/v1/calls", forged).status == 401);
    // The secret never reaches the log.
    CHECK(h.log().find(acme_key) == std::string::npos);
    CHECK(h.log().find("wrong-key") == std::string::npos);
}
SB_BOTH_DATABASES("auth: missing, wrong, expired and forged credentials are 401", "[api][auth]", auth_rejections)

void org_config(db_kind kind) {
    host h(kind);
    h.start();
    auto got = body_of(h.get("/api/v1/orgs/acme/config", acme_key));
    CHECK(got.at("config").at("greeting").as_string() == "Hello from Acme");  // seeded from YAML

    auto put = h.request("PUT", "/api/v1/orgs/acme/config", R"({"greeting":"Hi","hours":{"open":"09:00"}})", acme_key);
    REQUIRE(put.status == 200);
    auto after = body_of(h.get("/api/v1/orgs/acme/config", acme_key));
    CHECK(after.at("config").at("hours").at("open").as_string() == "09:00");
    // Seed 002's alias, with its {"config": {...}} envelope.
    CHECK(h.request("POST", "/api/org/config/acme", R"({"config":{"greeting":"Yo"}})", acme_key).status == 200);
    CHECK(body_of(h.get("/api/org/config/acme", acme_key)).at("config").at("greeting").as_string() == "Yo");

    // Errors: 415, 400, 422 with a detail each.
    auto not_json = h.request("PUT", "/api/v1/orgs/acme/config", "greeting=hi", acme_key, "text/plain");
    CHECK(not_json.status == 415);
    auto bad = h.request("PUT", "/api/v1/orgs/acme/config", "{\"greeting\":", acme_key);
    CHECK(bad.status == 400);
    CHECK(body_of(bad).contains("detail"));
    CHECK(h.request("PUT", "/api/v1/orgs/acme/config", "[1,2]", acme_key).status == 422);
    // Nothing already accepted was lost by the bad requests.
    CHECK(body_of(h.get("/api/v1/orgs/acme/config", acme_key)).at("config").at("greeting").as_string() == "Yo");

    // Restart: the edit survives and YAML settings do not overwrite it.
    h.proc().signal(SIGTERM);
    REQUIRE(h.proc().wait(10s) == 0);
    h.start();
    CHECK(body_of(h.get("/api/v1/orgs/acme/config", acme_key)).at("config").at("greeting").as_string() == "Yo");
}
SB_BOTH_DATABASES("org config: read, replace, aliases, errors, survives restart", "[api]", org_config)

void error_bodies(db_kind kind) {
    host h(kind);
    h.start();
    auto nf = h.get("/api/v1/nothing-here", acme_key);
    CHECK(nf.status == 404);
    CHECK(body_of(nf).contains("detail"));
    auto m = h.request("DELETE", "/api/v1/calls", "", acme_key);
    CHECK(m.status == 405);
    CHECK(m.headers["allow"] == "GET, HEAD");
    for (auto q : {"?page_size=101", "?page=0", "?page=abc", "?status=bogus", "?direction=sideways",
                   "?date_from=yesterday", "?date_from=2025-02-01&date_to=2025-01-01"}) {
        auto r = h.get(std::string("/api/v1/calls") + q, acme_key);
        INFO(q);
        CHECK(r.status == 422);
        CHECK(body_of(r).at("detail").as_string().size() > 0);
    }
    CHECK(nf.headers.count("x-request-id") == 1);
    CHECK(nf.headers["content-type"].find("application/json") == 0);
}
SB_BOTH_DATABASES("errors: JSON detail with the right status", "[api]", error_bodies)

}  // namespace
