// Malformed HTTP, oversized bodies, slow clients and SIGTERM mid-traffic: the host
// answers each without harm and loses nothing it acknowledged.
#include "integration/host_fixture.hpp"

#include "host/store/store.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

#include <atomic>
#include <csignal>
#include <thread>

using namespace switchboard;
using namespace switchboard::testing;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

void malformed_http(db_kind kind) {
    host h(kind);
    h.start();

    // Oversized body: refused from the headers, 413 with a detail.
    {
        http_client c("127.0.0.1", h.port());
        std::string big(200 * 1024, 'x');
        auto r = c.request("PUT", "/api/v1/orgs/acme/config", big,
                           {{"Authorization", std::string("Bearer ") + acme_key}, {"Content-Type", "application/json"}});
        CHECK(r.status == 413);
        CHECK(json::parse(r.body).at("detail").as_string().size() > 0);
    }
    // Garbage instead of HTTP: 400.
    {
        http_client c("127.0.0.1", h.port());
        c.send_raw("THIS IS NOT HTTP\r\n\r\n");
        auto r = c.read_response(5s);
        REQUIRE(r.has_value());
        CHECK(r->status == 400);
    }
    // A slow client that never finishes its headers is cut off, and does not stop
    // anyone else from being served meanwhile.
    {
        http_client slow("127.0.0.1", h.port());
        slow.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n");
        CHECK(h.get("/healthz").status == 200);
        CHECK(slow.closed_by_peer(10s));
    }
    // Bad JSON on a JSON endpoint: 400, and the host is still fine.
    CHECK(h.request("PUT", "/api/v1/orgs/acme/config", "{nope", acme_key).status == 400);
    CHECK(h.get("/readyz").status == 200);
    CHECK(h.proc().running());
}
SB_BOTH_DATABASES("robustness: malformed HTTP answered without harm", "[robustness]", malformed_http)

// A writer replaces the org config with n = 1, 2, 3, ... and remembers the last
// n the host acknowledged. SIGTERM arrives mid-stream. After a clean exit the store
// must hold the last acknowledged n (or the single in-flight one after it).
void sigterm_loses_nothing(db_kind kind) {
    host h(kind);
    h.start();
    std::atomic<long> last_acked{0};
    std::atomic<bool> stop{false};
    std::atomic<int> non_2xx{0};
    std::thread writer([&] {
        http_client c("127.0.0.1", h.port());
        for (long n = 1; !stop; ++n) {
            try {
                auto r = c.request("PUT", "/api/v1/orgs/acme/config", "{\"n\":" + std::to_string(n) + "}",
                                   {{"Authorization", std::string("Bearer ") + acme_key},
                                    {"Content-Type", "application/json"}});
                if (r.status == 200)
                    last_acked = n;
                else
                    ++non_2xx;
            } catch (const std::exception&) {
                break;  // the server closed the connection after the drain
            }
        }
    });
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (last_acked < 50 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    h.proc().signal(SIGTERM);
    auto code = h.proc().wait(20s);
    stop = true;
    writer.join();
    INFO(h.log());
    REQUIRE(code == 0);
    CHECK(non_2xx == 0);
    REQUIRE(last_acked >= 50);

    store::store db(h.db_url(), 1);
    auto org = db.get_org("acme");
    REQUIRE(org.has_value());
    // Nothing acknowledged is lost: the store holds the last acknowledged write, or the
    // one after it when that was committed as the connection closed before the client
    // read its answer (at most one request is in flight: the writer is sequential).
    auto stored = org->config.at("n").as_int64();
    CHECK(stored >= last_acked.load());
    CHECK(stored <= last_acked.load() + 1);
}
SB_BOTH_DATABASES("robustness: SIGTERM during requests loses nothing acknowledged", "[robustness]",
                  sigterm_loses_nothing)

}  // namespace
