// The client against the project's own HTTP server on 127.0.0.1 (real sockets).
#include "host/client/http_client.hpp"
#include "host/http/server.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <mutex>
#include <thread>

using namespace switchboard;
using namespace std::chrono_literals;

namespace {

// A server whose answer is decided by the test; counts the requests it got.
struct local_server {
    std::atomic<int> calls{0};
    std::function<http::response(http::request&, int)> answer;
    std::mutex mutex;
    http::request last;  // copy of the last request seen
    std::unique_ptr<http::server> srv;

    explicit local_server(std::function<http::response(http::request&, int)> a) : answer(std::move(a)) {
        http::server_options o;
        o.host = "127.0.0.1";
        o.port = 0;
        srv = std::make_unique<http::server>(o, [this](http::request& req) {
            int n = ++calls;
            {
                std::lock_guard lock(mutex);
                last = req;
            }
            return answer(req, n);
        });
        srv->start();
    }
    ~local_server() { srv->stop(5s); }
    std::string url(std::string_view target) const {
        return "http://127.0.0.1:" + std::to_string(srv->bound_port()) + std::string(target);
    }
};

sdk::http_request get(std::string url) {
    sdk::http_request r;
    r.url = std::move(url);
    return r;
}

}  // namespace

TEST_CASE("GET and POST round trip with headers and body", "[client]") {
    local_server s([](http::request& req, int) {
        auto r = http::response::text(201, req.method + " " + req.target + " " + req.body);
        r.set_header("X-Echo", std::string(req.header("x-custom")));
        return r;
    });
    client::http_client c;

    auto r = c.send(get(s.url("/v1/things?limit=2")));
    CHECK(r.error.empty());
    CHECK(r.status == 201);
    CHECK(r.attempts == 1);
    CHECK(r.body == "GET /v1/things?limit=2 ");
    {
        std::lock_guard lock(s.mutex);
        CHECK(s.last.header("user-agent") == "switchboard/0.1");
        CHECK(s.last.header("host") == "127.0.0.1:" + std::to_string(s.srv->bound_port()));
    }

    sdk::http_request post;
    post.method = "POST";
    post.url = s.url("/v1/calls");
    post.headers = {{"Content-Type", "application/json"}, {"X-Custom", "abc 123"}, {"Authorization", "Bearer k"}};
    post.body = R"({"to":"+15550100"})";
    r = c.send(post);
    CHECK(r.error.empty());
    CHECK(r.status == 201);
    CHECK(r.body == R"(POST /v1/calls {"to":"+15550100"})");
    CHECK(r.header("x-echo") == "abc 123");  // response header names are lower-case
    CHECK(r.header("content-type") == "text/plain; charset=utf-8");
    std::lock_guard lock(s.mutex);
    CHECK(s.last.header("content-type") == "application/json");
    CHECK(s.last.header("authorization") == "Bearer k");
    CHECK(s.last.header("content-length") == std::to_string(post.body.size()));
}

TEST_CASE("the caller's User-Agent replaces the default", "[client]") {
    local_server s([](http::request& req, int) { return http::response::text(200, std::string(req.header("user-agent"))); });
    client::client_options o;
    o.user_agent = "custom-default/1";
    client::http_client c(o);
    CHECK(c.send(get(s.url("/"))).body == "custom-default/1");
    auto req = get(s.url("/"));
    req.headers = {{"User-Agent", "plugin/2"}};
    CHECK(c.send(req).body == "plugin/2");
}

TEST_CASE("status codes are passed through", "[client]") {
    local_server s([](http::request& req, int) {
        return http::response::error(std::stoi(req.target.substr(1)), "as asked");
    });
    client::http_client c;
    for (int status : {200, 204, 400, 401, 403, 409, 422, 500}) {
        auto r = c.send(get(s.url("/" + std::to_string(status))));
        INFO(status);
        CHECK(r.error.empty());
        CHECK(r.status == status);
        CHECK(r.attempts == 1);  // none of these is retried
    }
}

TEST_CASE("503 is retried until it succeeds", "[client][retry]") {
    local_server s([](http::request&, int n) {
        return n <= 2 ? http::response::error(503, "busy") : http::response::text(200, "finally");
    });
    client::http_client c;
    auto r = c.send(get(s.url("/")));
    CHECK(r.error.empty());
    CHECK(r.status == 200);
    CHECK(r.body == "finally");
    CHECK(r.attempts == 3);
    CHECK(s.calls == 3);
}

TEST_CASE("retries stop at max_retries and return the last answer", "[client][retry]") {
    local_server s([](http::request&, int) { return http::response::error(502, "bad gateway"); });
    client::http_client c;
    auto req = get(s.url("/"));
    req.max_retries = 1;
    auto r = c.send(req);
    CHECK(r.status == 502);
    CHECK(r.attempts == 2);
    CHECK(s.calls == 2);
}

TEST_CASE("429 with Retry-After is honoured", "[client][retry]") {
    local_server s([](http::request&, int n) {
        if (n == 1) {
            auto r = http::response::error(429, "slow down");
            r.set_header("Retry-After", "1");
            return r;
        }
        return http::response::text(200, "ok");
    });
    client::http_client c;
    auto r = c.send(get(s.url("/")));
    CHECK(r.status == 200);
    CHECK(r.attempts == 2);
}

TEST_CASE("a Retry-After longer than max_backoff ends the retries", "[client][retry]") {
    local_server s([](http::request&, int) {
        auto r = http::response::error(503, "maintenance");
        r.set_header("Retry-After", "3600");
        return r;
    });
    client::http_client c;
    auto r = c.send(get(s.url("/")));
    CHECK(r.status == 503);
    CHECK(r.header("retry-after") == "3600");  // the caller can see how long to wait
    CHECK(r.attempts == 1);
}

TEST_CASE("other 4xx and 5xx are not retried", "[client][retry]") {
    local_server s([](http::request& req, int) {
        return http::response::error(req.target == "/missing" ? 404 : 500, "no");
    });
    client::http_client c;
    auto r = c.send(get(s.url("/missing")));
    CHECK(r.status == 404);
    CHECK(r.attempts == 1);
    r = c.send(get(s.url("/broken")));
    CHECK(r.status == 500);
    CHECK(r.attempts == 1);
    CHECK(s.calls == 2);
}

TEST_CASE("POST is retried on 503 and 429 but not on 502 or 504", "[client][retry]") {
    local_server s([](http::request& req, int) { return http::response::error(std::stoi(req.target.substr(1)), "x"); });
    client::http_client c;
    sdk::http_request post;
    post.method = "POST";
    post.body = "{}";
    post.max_retries = 1;
    for (auto [status, attempts] : {std::pair{503, 2}, {429, 2}, {502, 1}, {504, 1}}) {
        post.url = s.url("/" + std::to_string(status));
        auto r = c.send(post);
        INFO(status);
        CHECK(r.status == status);
        CHECK(r.attempts == attempts);
    }
    // GET (idempotent) is retried on 502 and 504 too.
    auto req = get(s.url("/504"));
    req.max_retries = 1;
    CHECK(c.send(req).attempts == 2);
}

TEST_CASE("a slow server times out", "[client][timeout]") {
    local_server s([](http::request&, int) {
        std::this_thread::sleep_for(1500ms);
        return http::response::text(200, "late");
    });
    client::http_client c;
    auto req = get(s.url("/slow"));
    req.timeout = 300ms;
    req.max_retries = 0;
    auto r = c.send(req);
    CHECK(r.status == 0);
    CHECK(r.body.empty());
    CHECK(r.attempts == 1);
    CHECK(r.error.find("timed out after 300 ms") != std::string::npos);
    CHECK(r.error.find("127.0.0.1:" + std::to_string(s.srv->bound_port())) != std::string::npos);
}

TEST_CASE("connection refused is retried and reported", "[client][retry]") {
    auto port = testing::free_port();
    client::http_client c;
    sdk::http_request req;
    req.method = "POST";  // nothing was sent: safe to retry even a POST
    req.url = "http://127.0.0.1:" + std::to_string(port) + "/x";
    req.max_retries = 2;
    auto r = c.send(req);
    CHECK(r.status == 0);
    CHECK(r.attempts == 3);
    CHECK(r.error.find("connect to 127.0.0.1:" + std::to_string(port) + " failed") != std::string::npos);
}

TEST_CASE("invalid requests fail without an attempt", "[client]") {
    client::http_client c;
    auto r = c.send(get("not a url"));
    CHECK(r.status == 0);
    CHECK(r.attempts == 0);
    CHECK(r.error.rfind("invalid URL: ", 0) == 0);

    r = c.send(get("gopher://h/"));
    CHECK(r.error.rfind("invalid URL: scheme must be http or https", 0) == 0);

    auto req = get("http://127.0.0.1:1/");
    req.headers = {{"X-Evil", "a\r\nInjected: 1"}};
    r = c.send(req);
    CHECK(r.attempts == 0);
    CHECK(r.error.find("invalid header 'X-Evil'") != std::string::npos);

    req = get("http://127.0.0.1:1/");
    req.method = "GE T";
    r = c.send(req);
    CHECK(r.error.find("invalid HTTP method") != std::string::npos);
}

TEST_CASE("an unknown host fails to resolve", "[client]") {
    client::http_client c;
    auto req = get("http://no-such-host.invalid/");  // .invalid never resolves (RFC 2606)
    req.max_retries = 0;
    auto r = c.send(req);
    CHECK(r.status == 0);
    CHECK(r.error.find("no-such-host.invalid:80") != std::string::npos);
}

TEST_CASE("a response body over 16 MiB is refused", "[client]") {
    local_server s([](http::request& req, int) {
        std::size_t n = req.target == "/big" ? 16 * 1024 * 1024 + 1 : 16 * 1024 * 1024;
        return http::response::text(200, std::string(n, 'x'));
    });
    client::http_client c;
    auto r = c.send(get(s.url("/big")));
    CHECK(r.status == 0);
    CHECK(r.attempts == 1);  // it would be just as big again
    CHECK(r.error.find("exceeds the 16 MiB limit") != std::string::npos);
    r = c.send(get(s.url("/exact")));
    CHECK(r.status == 200);
    CHECK(r.body.size() == 16 * 1024 * 1024);
}

TEST_CASE("concurrent callers share one client", "[client]") {
    local_server s([](http::request& req, int) { return http::response::text(200, req.target); });
    client::http_client c;
    std::vector<std::thread> threads;
    std::atomic<int> good{0};
    for (int i = 0; i < 8; ++i)
        threads.emplace_back([&, i] {
            auto r = c.send(get(s.url("/t" + std::to_string(i))));
            if (r.status == 200 && r.body == "/t" + std::to_string(i)) ++good;
        });
    for (auto& t : threads) t.join();
    CHECK(good == 8);
}
