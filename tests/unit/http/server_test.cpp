#include "host/core/request_context.hpp"
#include "host/http/server.hpp"
#include "support/http_client.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <future>
#include <mutex>
#include <sstream>
#include <thread>

using namespace switchboard;
using namespace switchboard::http;
using testing::http_client;
using testing::http_response;
using namespace std::chrono_literals;

namespace {

// A real server on an ephemeral port with a handler that covers the cases below.
struct fixture {
    std::atomic<int> calls{0};
    std::atomic<int> deferred_replies{0};
    std::promise<void> entered;      // /block and /slow: the handler has started
    std::shared_future<void> release;  // /block: waits for this
    std::promise<void> release_promise;
    std::string seen_scope_id;
    std::mutex mutex;
    std::unique_ptr<server> srv;

    explicit fixture(server_options o = {}) {
        release = release_promise.get_future().share();
        o.host = "127.0.0.1";
        o.port = 0;
        srv = std::make_unique<server>(o, [this](request& req) { return handle(req); });
        srv->start();
    }

    std::uint16_t port() const { return srv->bound_port(); }
    http_client client() const { return http_client("127.0.0.1", port()); }

    response handle(request& req) {
        ++calls;
        {
            std::lock_guard lock(mutex);
            seen_scope_id = std::string(core::current_request_id());
        }
        if (req.path == "/throw") throw std::runtime_error("secret database password leaked");
        if (req.path == "/http-error") throw http_error(409, "call \"c1\" has already ended");
        if (req.path == "/block") {
            entered.set_value();
            release.wait();
            return response::text(200, "unblocked");
        }
        if (req.path == "/slow") {
            entered.set_value();
            std::this_thread::sleep_for(300ms);
            return response::text(200, std::string(200'000, 'x'));
        }
        if (req.path == "/deferred") {
            // Answered later from another thread, while no worker waits for it.
            auto body = req.body;
            return response::defer([this, body](reply done) {
                std::thread([this, body, done] {
                    std::this_thread::sleep_for(20ms);
                    ++deferred_replies;
                    done(response::text(201, "later: " + body));
                    done(response::text(500, "a second reply is ignored"));
                }).detach();
            });
        }
        if (req.path == "/deferred-throws")
            return response::defer([](reply) { throw std::runtime_error("could not start"); });
        if (req.path == "/no-content") return response::text(204, "");
        if (req.path == "/fixed") return response::text(200, "fixed body 123");
        boost::json::object query;
        for (auto& [k, v] : req.query) query[k] = v;
        boost::json::object params;
        auto res = response::json(200, boost::json::object{{"method", req.method},
                                                           {"path", req.path},
                                                           {"raw_path", req.raw_path},
                                                           {"target", req.target},
                                                           {"query", query},
                                                           {"remote", req.remote},
                                                           {"request_id", req.request_id},
                                                           {"body", req.body},
                                                           {"x_test", req.header("x-test")}});
        res.set_header("X-Handler", "echo");
        return res;
    }
};

std::string str(const boost::json::value& v) { return std::string(v.as_string()); }

}  // namespace

TEST_CASE("server: answers on an ephemeral port, keeps the connection alive", "[server]") {
    fixture f;
    REQUIRE(f.port() != 0);
    auto c = f.client();
    auto r1 = c.request("GET", "/echo/one");
    auto r2 = c.request("POST", "/echo/two", R"({"a":1})", {{"X-Test", "hello"}, {"Content-Type", "application/json"}});
    CHECK(c.connects() == 1);  // both on one connection
    CHECK(r1.status == 200);
    CHECK(r1.header("server") == "switchboard");
    CHECK(r1.header("content-type") == "application/json");
    CHECK(r1.header("x-handler") == "echo");
    CHECK(r1.header("content-length") == std::to_string(r1.body.size()));
    CHECK(str(r1.json().at("path")) == "/echo/one");
    CHECK(r2.status == 200);
    CHECK(str(r2.json().at("method")) == "POST");
    CHECK(str(r2.json().at("body")) == R"({"a":1})");
    CHECK(str(r2.json().at("x_test")) == "hello");
    CHECK(str(r2.json().at("remote")) == "127.0.0.1");
    CHECK(f.calls == 2);
}

TEST_CASE("server: path decoded without the query, query parsed", "[server]") {
    fixture f;
    auto c = f.client();
    auto r = c.request("GET", "/echo/a%20b%2Fc?limit=10&q=h%C3%A9llo+world");
    REQUIRE(r.status == 200);
    auto j = r.json();
    CHECK(str(j.at("path")) == "/echo/a b/c");
    CHECK(str(j.at("raw_path")) == "/echo/a%20b%2Fc");
    CHECK(str(j.at("target")) == "/echo/a%20b%2Fc?limit=10&q=h%C3%A9llo+world");
    CHECK(str(j.at("query").at("limit")) == "10");
    CHECK(str(j.at("query").at("q")) == "h\xC3\xA9llo world");
}

TEST_CASE("server: X-Request-Id is generated, echoed when sane, replaced when not", "[server]") {
    fixture f;
    auto c = f.client();

    auto generated = c.request("GET", "/echo");
    auto id = generated.header("x-request-id");
    CHECK_FALSE(id.empty());
    CHECK(str(generated.json().at("request_id")) == id);
    {
        std::lock_guard lock(f.mutex);
        CHECK(f.seen_scope_id == id);  // the handler ran inside a request_scope
    }
    auto another = c.request("GET", "/echo");
    CHECK(another.header("x-request-id") != id);

    auto echoed = c.request("GET", "/echo", {}, {{"X-Request-Id", "abc-123_x.Y"}});
    CHECK(echoed.header("x-request-id") == "abc-123_x.Y");
    CHECK(str(echoed.json().at("request_id")) == "abc-123_x.Y");

    for (std::string bad : {std::string("evil id<script>"), std::string(129, 'a'), std::string("a/b"),
                            std::string("x\"y")}) {
        auto r = c.request("GET", "/echo", {}, {{"X-Request-Id", bad}});
        auto got = r.header("x-request-id");
        CAPTURE(bad, got);
        CHECK(got != bad);
        CHECK_FALSE(got.empty());
        CHECK(str(r.json().at("request_id")) == got);
    }
    auto longest = c.request("GET", "/echo", {}, {{"X-Request-Id", std::string(128, 'z')}});
    CHECK(longest.header("x-request-id") == std::string(128, 'z'));
}

TEST_CASE("server: handler exceptions become {detail} answers", "[server]") {
    fixture f;
    auto c = f.client();
    auto crash = c.request("GET", "/throw");
    CHECK(crash.status == 500);
    CHECK(crash.json() == boost::json::parse(R"({"detail":"internal server error"})"));
    CHECK(crash.body.find("secret") == std::string::npos);
    CHECK_FALSE(crash.header("x-request-id").empty());

    auto conflict = c.request("GET", "/http-error");
    CHECK(conflict.status == 409);
    CHECK(str(conflict.json().at("detail")) == "call \"c1\" has already ended");

    // The connection survives both.
    CHECK(c.request("GET", "/echo").status == 200);
    CHECK(c.connects() == 1);
}

TEST_CASE("server: a body over the limit is refused with 413 as soon as the headers arrive", "[server]") {
    server_options o;
    o.body_limit_bytes = 1024;
    fixture f(o);

    SECTION("announced by Content-Length, body never sent") {
        auto c = f.client();
        c.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nX-Request-Id: big-1\r\nContent-Length: 10000000\r\n\r\n");
        auto r = c.read_response(10s);
        REQUIRE(r);
        CHECK(r->status == 413);
        CHECK(str(r->json().at("detail")) == "request body exceeds the limit of 1024 bytes");
        CHECK(r->header("connection") == "close");
        CHECK(r->header("x-request-id") == "big-1");
        CHECK(c.closed_by_peer(10s));
        CHECK(f.calls == 0);
    }
    SECTION("announced and sent: the answer still arrives (no reset)") {
        auto c = f.client();
        std::string body(300'000, 'u');
        c.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                   body);
        auto r = c.read_response(10s);
        REQUIRE(r);
        CHECK(r->status == 413);
        CHECK(f.calls == 0);
    }
    SECTION("chunked, over the limit part way") {
        auto c = f.client();
        std::string chunk(2000, 'a');
        c.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n" + chunk + "\r\n");
        auto r = c.read_response(10s);
        REQUIRE(r);
        CHECK(r->status == 413);
        CHECK(c.closed_by_peer(10s));
        CHECK(f.calls == 0);
    }
    SECTION("exactly at the limit is fine") {
        auto c = f.client();
        auto r = c.request("POST", "/echo", std::string(1024, 'b'));
        CHECK(r.status == 200);
        CHECK(str(r.json().at("body")).size() == 1024);
        CHECK(f.calls == 1);
    }
}

TEST_CASE("server: malformed HTTP gets 400 and the connection closes", "[server]") {
    fixture f;
    auto c = f.client();
    SECTION("garbage request line") { c.send_raw("THIS IS NOT HTTP\r\n\r\n"); }
    SECTION("bad header") { c.send_raw("GET / HTTP/1.1\r\nHost x\r\n\r\n"); }
    SECTION("bad content-length") { c.send_raw("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n"); }
    auto r = c.read_response(10s);
    REQUIRE(r);
    CHECK(r->status == 400);
    CHECK(str(r->json().at("detail")).rfind("malformed HTTP request: ", 0) == 0);
    CHECK(r->header("connection") == "close");
    CHECK_FALSE(r->header("x-request-id").empty());
    CHECK(c.closed_by_peer(10s));
    CHECK(f.calls == 0);
}

TEST_CASE("server: oversized headers get 431", "[server]") {
    fixture f;
    auto c = f.client();
    c.send_raw("GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20'000, 'h') + "\r\n\r\n");
    auto r = c.read_response(10s);
    REQUIRE(r);
    CHECK(r->status == 431);
    CHECK(str(r->json().at("detail")) == "request headers exceed the limit of 16384 bytes");
    CHECK(c.closed_by_peer(10s));
    CHECK(f.calls == 0);
}

TEST_CASE("server: a client too slow to send its request gets 408 and is closed", "[server]") {
    server_options o;
    o.read_timeout = 300ms;
    fixture f(o);
    auto c = f.client();
    SECTION("half the headers") { c.send_raw("GET /echo HTTP/1.1\r\nHost: x\r\nX-Te"); }
    SECTION("half the body") { c.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789"); }
    auto r = c.read_response(10s);
    REQUIRE(r);
    CHECK(r->status == 408);
    CHECK(str(r->json().at("detail")) == "request not received within 300 ms");
    CHECK(c.closed_by_peer(10s));
    CHECK(f.calls == 0);
}

TEST_CASE("server: an idle keep-alive connection is closed silently", "[server]") {
    server_options o;
    o.idle_timeout = 300ms;
    fixture f(o);
    auto c = f.client();
    CHECK(c.request("GET", "/echo").status == 200);
    CHECK(c.closed_by_peer(10s));
    CHECK_FALSE(c.read_response(100ms).has_value());  // nothing was sent before the close
    // The client reconnects transparently.
    CHECK(c.request("GET", "/echo").status == 200);
    CHECK(c.connects() == 2);
}

TEST_CASE("server: pipelined requests are answered in order", "[server]") {
    fixture f;
    auto c = f.client();
    c.send_raw("GET /echo/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /echo/2 HTTP/1.1\r\nHost: x\r\n\r\n");
    auto a = c.read_response(10s);
    auto b = c.read_response(10s);
    REQUIRE(a);
    REQUIRE(b);
    CHECK(str(a->json().at("path")) == "/echo/1");
    CHECK(str(b->json().at("path")) == "/echo/2");
}

TEST_CASE("server: HTTP/1.0 without keep-alive closes after the response", "[server]") {
    fixture f;
    auto c = f.client();
    c.send_raw("GET /echo HTTP/1.0\r\n\r\n");
    auto r = c.read_response(10s);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(c.closed_by_peer(10s));
}

TEST_CASE("server: HEAD has the GET length and no body, 204 has neither", "[server]") {
    fixture f;
    auto c = f.client();
    auto get = c.request("GET", "/fixed");
    auto head = c.request("HEAD", "/fixed");
    CHECK(get.body == "fixed body 123");
    CHECK(head.status == 200);
    CHECK(head.body.empty());
    CHECK(head.header("content-length") == std::to_string(get.body.size()));
    auto none = c.request("GET", "/no-content");
    CHECK(none.status == 204);
    CHECK(none.header("content-length").empty());
    // A stray body byte would corrupt this next response on the same connection.
    CHECK(str(c.request("GET", "/echo/after").json().at("path")) == "/echo/after");
    CHECK(c.connects() == 1);
}

TEST_CASE("server: Expect 100-continue is honoured", "[server]") {
    fixture f;
    auto c = f.client();
    c.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    // The interim answer comes before we send the body.
    auto interim = c.read_response(10s, false, true);
    REQUIRE(interim);
    CHECK(interim->status == 100);
    c.send_raw("hello");
    auto r = c.read_response(10s);
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(str(r->json().at("body")) == "hello");
}

TEST_CASE("server: handlers run off the I/O thread", "[server]") {
    server_options o;
    o.io_threads = 1;
    o.worker_threads = 2;
    fixture f(o);
    auto blocked = std::async(std::launch::async, [&] { return f.client().request("GET", "/block"); });
    f.entered.get_future().wait();
    // The only I/O thread is free while a handler blocks: another connection is served.
    auto other = f.client().request("GET", "/echo");
    CHECK(other.status == 200);
    f.release_promise.set_value();
    auto r = blocked.get();
    CHECK(r.status == 200);
    CHECK(r.body == "unblocked");
}

TEST_CASE("server: run_inline handlers bypass a busy worker pool", "[server]") {
    server_options o;
    o.io_threads = 1;
    o.worker_threads = 1;
    o.run_inline = [](const request& req) { return req.path == "/echo"; };
    fixture f(o);
    // The only worker is stuck in /block; /echo still answers, so it did not need one.
    auto blocked = std::async(std::launch::async, [&] { return f.client().request("GET", "/block"); });
    f.entered.get_future().wait();
    auto inline_answer = f.client().request("GET", "/echo");
    CHECK(inline_answer.status == 200);
    f.release_promise.set_value();
    CHECK(blocked.get().status == 200);
}

TEST_CASE("server: stop() lets an in-flight request finish, then refuses connections", "[server]") {
    fixture f;
    auto port = f.port();
    http_client idle("127.0.0.1", port);
    REQUIRE(idle.request("GET", "/echo").status == 200);

    auto in_flight = std::async(std::launch::async, [&] { return f.client().request("GET", "/slow"); });
    f.entered.get_future().wait();
    std::thread stopper([&] { f.srv->stop(10s); });
    f.srv->wait();
    stopper.join();

    auto r = in_flight.get();
    CHECK(r.status == 200);
    CHECK(r.body == std::string(200'000, 'x'));
    CHECK(r.header("connection") == "close");
    CHECK(idle.closed_by_peer(10s));  // idle keep-alive connections were closed
    CHECK_FALSE(testing::http_get("127.0.0.1", port, "/echo").has_value());
    f.srv->stop(1s);  // a second stop is harmless
}

TEST_CASE("server: lifecycle edge cases", "[server]") {
    SECTION("bind failure names the address") {
        fixture f;
        server_options o;
        o.port = f.port();
        server second(o, [](request&) { return response::text(200, "x"); });
        CHECK_THROWS_WITH(second.start(), Catch::StartsWith("cannot listen on 127.0.0.1:" + std::to_string(f.port()) + ": "));
    }
    SECTION("stop before start, and the destructor of a running server") {
        server never({}, [](request&) { return response::text(200, "x"); });
        never.stop(1s);
        never.wait();
        server_options o;
        o.port = 0;
        auto running = std::make_unique<server>(o, [](request&) { return response::text(200, "x"); });
        running->start();
        auto port = running->bound_port();
        CHECK(testing::http_get("127.0.0.1", port, "/").has_value());
        running.reset();
        CHECK_FALSE(testing::http_get("127.0.0.1", port, "/").has_value());
    }
}

namespace {
// Records each message with the request id that was current on the logging thread.
class id_recording_sink : public spdlog::sinks::base_sink<std::mutex> {
public:
    std::vector<std::pair<std::string, std::string>> lines;  // {request id, message}

protected:
    void sink_it_(const spdlog::details::log_msg& msg) override {
        lines.emplace_back(std::string(switchboard::core::current_request_id()),
                           std::string(msg.payload.data(), msg.payload.size()));
    }
    void flush_() override {}
};
}  // namespace

TEST_CASE("server: access log has method, path, status under the request id, never the query", "[server]") {
    auto previous = spdlog::default_logger();
    auto sink = std::make_shared<id_recording_sink>();
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
    {
        fixture f;
        auto r = f.client().request("GET", "/echo/logged?token=s3cret", {}, {{"X-Request-Id", "log-1"}});
        CHECK(r.status == 200);
        f.srv->stop(5s);  // the log line is written before the connection is released
    }
    spdlog::set_default_logger(previous);
    bool found = false;
    for (auto const& [id, text] : sink->lines) {
        CAPTURE(id, text);
        CHECK(text.find("s3cret") == std::string::npos);
        if (text.find("GET /echo/logged 200") != std::string::npos) {
            found = true;
            CHECK(id == "log-1");
        }
    }
    CHECK(found);
}

TEST_CASE("server: a deferred response is written when its reply comes, once", "[server]") {
    server_options o;
    o.worker_threads = 1;  // the one worker must be free again while replies are pending
    fixture f(o);
    http_client a = f.client(), b = f.client();
    auto r1 = a.request("POST", "/deferred", "one");
    CHECK(r1.status == 201);
    CHECK(r1.body == "later: one");
    CHECK_FALSE(r1.header("x-request-id").empty());
    // The connection is still usable: the ignored second reply wrote nothing.
    auto r2 = a.request("GET", "/fixed");
    CHECK(r2.status == 200);
    CHECK(r2.body == "fixed body 123");
    CHECK(b.request("POST", "/deferred", "two").body == "later: two");
    CHECK(f.deferred_replies == 2);

    auto failed = a.request("GET", "/deferred-throws");
    CHECK(failed.status == 500);
    CHECK(failed.body.find("could not start") == std::string::npos);
    CHECK(a.request("GET", "/fixed").status == 200);
}
