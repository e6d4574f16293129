#include "host/http/message.hpp"
#include "host/http/url.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

using namespace switchboard::http;

TEST_CASE("response::error escapes the detail as JSON", "[message]") {
    std::string detail = "bad \"name\" \\ line\nbreak\ttab \x01 caf\xC3\xA9";
    auto res = response::error(422, detail);
    CHECK(res.status == 422);
    CHECK(res.content_type == "application/json");
    auto parsed = boost::json::parse(res.body);
    CHECK(parsed.as_object().size() == 1);
    CHECK(parsed.at("detail").as_string() == detail);
    CHECK(res.body.find('\n') == std::string::npos);  // escaped, not raw
    CHECK(res.body.find("\\\"name\\\"") != std::string::npos);
}

TEST_CASE("response::json and text", "[message]") {
    auto j = response::json(201, boost::json::object{{"id", "c1"}, {"n", 3}});
    CHECK(j.status == 201);
    CHECK(boost::json::parse(j.body) == boost::json::parse(R"({"id":"c1","n":3})"));
    auto t = response::text(200, "hello");
    CHECK(t.content_type == "text/plain; charset=utf-8");
    CHECK(t.body == "hello");
    auto h = response::text(200, "<p>", "text/html");
    CHECK(h.content_type == "text/html");
}

TEST_CASE("response::set_header replaces, case-insensitively", "[message]") {
    response r;
    r.set_header("Cache-Control", "no-store");
    r.set_header("X-A", "1");
    r.set_header("cache-control", "max-age=5");
    REQUIRE(r.headers.size() == 2);
    CHECK(r.headers[0] == std::pair<std::string, std::string>{"x-a", "1"});
    CHECK(r.headers[1] == std::pair<std::string, std::string>{"cache-control", "max-age=5"});
}

TEST_CASE("request::header and query_param", "[message]") {
    request req;
    req.headers = {{"content-type", "application/json"}, {"x-request-id", "r1"}};
    req.query = {{"limit", "10"}, {"empty", ""}};
    CHECK(req.header("content-type") == "application/json");
    CHECK(req.header("authorization").empty());
    CHECK(req.query_param("limit") == std::optional<std::string>("10"));
    CHECK(req.query_param("empty") == std::optional<std::string>(""));
    CHECK_FALSE(req.query_param("offset").has_value());
}

TEST_CASE("http_error carries status and detail", "[message]") {
    try {
        throw http_error(404, "call c9 not found");
    } catch (const std::exception& e) {
        auto* h = dynamic_cast<const http_error*>(&e);
        REQUIRE(h);
        CHECK(h->status() == 404);
        CHECK(std::string(e.what()) == "call c9 not found");
    }
}

TEST_CASE("reason_phrase covers the common codes", "[message]") {
    CHECK(reason_phrase(200) == "OK");
    CHECK(reason_phrase(201) == "Created");
    CHECK(reason_phrase(204) == "No Content");
    CHECK(reason_phrase(400) == "Bad Request");
    CHECK(reason_phrase(401) == "Unauthorized");
    CHECK(reason_phrase(403) == "Forbidden");
    CHECK(reason_phrase(404) == "Not Found");
    CHECK(reason_phrase(405) == "Method Not Allowed");
    CHECK(reason_phrase(408) == "Request Timeout");
    CHECK(reason_phrase(409) == "Conflict");
    CHECK(reason_phrase(413) == "Content Too Large");
    CHECK(reason_phrase(415) == "Unsupported Media Type");
    CHECK(reason_phrase(422) == "Unprocessable Content");
    CHECK(reason_phrase(429) == "Too Many Requests");
    CHECK(reason_phrase(500) == "Internal Server Error");
    CHECK(reason_phrase(503) == "Service Unavailable");
    CHECK(reason_phrase(499) == "Client Error");
    CHECK(reason_phrase(42) == "Unknown");
}

TEST_CASE("percent_decode and parse_target", "[url]") {
    CHECK(percent_decode("a%20b%2fc") == "a b/c");
    CHECK(percent_decode("a+b") == "a+b");
    CHECK(percent_decode("a+b", true) == "a b");
    CHECK(percent_decode("100%") == "100%");
    CHECK(percent_decode("%zz%4") == "%zz%4");
    CHECK(percent_decode("%41%42") == "AB");

    parsed_target t;
    REQUIRE(parse_target("/api/v1/calls/a%20b?limit=10&q=h%C3%A9llo+world&flag&limit=20&=x", t));
    CHECK(t.raw_path == "/api/v1/calls/a%20b");
    CHECK(t.path == "/api/v1/calls/a b");
    CHECK(t.query.at("limit") == "20");  // last value wins
    CHECK(t.query.at("q") == "h\xC3\xA9llo world");
    CHECK(t.query.at("flag").empty());
    CHECK(t.query.size() == 4);

    REQUIRE(parse_target("http://example.com:8080/x?y=1", t));
    CHECK(t.path == "/x");
    CHECK(t.query.at("y") == "1");
    REQUIRE(parse_target("/", t));
    CHECK(t.path == "/");
    CHECK(t.query.empty());
    CHECK_FALSE(parse_target("*", t));
    CHECK_FALSE(parse_target("relative/path", t));
    CHECK_FALSE(parse_target("", t));
}

TEST_CASE("response::then runs now, or on the deferred response when it arrives", "[http]") {
    using switchboard::http::reply;
    using switchboard::http::response;
    auto now = response::text(200, "x");
    now.then([](response& r) { r.set_header("X-Added", "1"); });
    CHECK(now.headers.size() == 1);

    reply saved;
    auto later = response::defer([&](reply done) { saved = std::move(done); });
    int steps = 0;
    later.then([&](response& r) {
        CHECK(steps++ == 0);  // in the order they were attached
        r.set_header("X-First", "1");
    });
    later.then([&](response& r) {
        CHECK(steps++ == 1);
        r.status = 202;
    });
    CHECK(steps == 0);  // nothing ran yet
    response written;
    later.deferred([&](response r) { written = std::move(r); });
    REQUIRE(saved);
    saved(response::text(200, "done"));
    CHECK(steps == 2);
    CHECK(written.status == 202);
    CHECK(written.body == "done");
    REQUIRE(written.headers.size() == 1);
    CHECK(written.headers[0].first == "x-first");
}
