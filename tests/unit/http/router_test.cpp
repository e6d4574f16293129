#include "host/http/router.hpp"

#include <catch2/catch.hpp>

using namespace switchboard::http;

namespace {
handler named(std::string name) {
    return [name](request&) { return response::text(200, name); };
}
std::string answer(const match_result& m) {
    request req;
    return m.found ? m.found->fn(req).body : "<none>";
}
}  // namespace

TEST_CASE("router: literal segments win over parameters whatever the registration order", "[router]") {
    router r;
    r.add("GET", "/api/v1/calls/{id}", access::authenticated, {}, named("by-id"));
    r.add("GET", "/api/v1/calls/{id}/events", access::authenticated, {}, named("events"));
    r.add("GET", "/api/v1/calls/active", access::authenticated, {}, named("active"));
    r.add("GET", "/api/v1/{kind}/active/{x}", access::authenticated, {}, named("kind-active"));
    r.add("GET", "/api/v1/calls/{id}/{x}", access::authenticated, {}, named("calls-id-x"));

    CHECK(answer(r.match("GET", "/api/v1/calls/active")) == "active");
    CHECK(answer(r.match("GET", "/api/v1/calls/abc")) == "by-id");
    CHECK(answer(r.match("GET", "/api/v1/calls/abc/events")) == "events");
    // At the first differing segment ("calls" vs {kind}) the literal wins.
    CHECK(answer(r.match("GET", "/api/v1/calls/active/7")) == "calls-id-x");
    CHECK(answer(r.match("GET", "/api/v1/orgs/active/7")) == "kind-active");

    auto m = r.match("GET", "/api/v1/calls/c-1");
    REQUIRE(m.found);
    CHECK(m.found->pattern == "/api/v1/calls/{id}");
    CHECK(m.params.at("id") == "c-1");
    CHECK(m.allowed.empty());
}

TEST_CASE("router: path parameters are percent-decoded after splitting", "[router]") {
    router r;
    r.add("GET", "/files/{name}/{rest}", access::open, {}, named("f"));
    auto m = r.match("GET", "/files/a%20b%2Fc/x%C3%A9");
    REQUIRE(m.found);
    CHECK(m.params.at("name") == "a b/c");  // the encoded '/' stays inside its parameter
    CHECK(m.params.at("rest") == "x\xC3\xA9");

    request req;
    req.method = "GET";
    req.path = "/files/a b/c/x";  // decoded: would not split right
    req.raw_path = "/files/a%20b%2Fc/x";
    auto m2 = r.match(req);
    REQUIRE(m2.found);
    CHECK(m2.params.at("name") == "a b/c");
}

TEST_CASE("router: trailing slash tolerated, root route, no match", "[router]") {
    router r;
    r.add("GET", "/", access::open, {}, named("root"));
    r.add("GET", "/api/v1/calls", access::open, {}, named("calls"));
    CHECK(answer(r.match("GET", "/api/v1/calls/")) == "calls");
    CHECK(answer(r.match("GET", "/api/v1/calls")) == "calls");
    CHECK(answer(r.match("GET", "/api/v1/calls?limit=3")) == "calls");
    CHECK(answer(r.match("GET", "/")) == "root");

    auto none = r.match("GET", "/api/v1/nope");
    CHECK(none.found == nullptr);
    CHECK(none.allowed.empty());  // 404, not 405
    CHECK(r.match("GET", "/api/v1/calls/x").found == nullptr);
    CHECK(r.match("GET", "/api/v1").found == nullptr);
    CHECK(r.match("GET", "/api//calls").found == nullptr);
}

TEST_CASE("router: a path with other methods only gives the allowed list (405)", "[router]") {
    router r;
    r.add("GET", "/api/v1/agents/{id}", access::open, {}, named("get"));
    r.add("PUT", "/api/v1/agents/{id}", access::open, {}, named("put"));
    r.add("DELETE", "/api/v1/agents/{id}", access::open, {}, named("delete"));
    r.add("POST", "/api/v1/agents", access::open, {}, named("create"));

    auto m = r.match("POST", "/api/v1/agents/a1");
    CHECK(m.found == nullptr);
    std::vector<std::string> allowed = m.allowed;
    std::sort(allowed.begin(), allowed.end());
    CHECK(allowed == std::vector<std::string>{"DELETE", "GET", "HEAD", "PUT"});

    CHECK(answer(r.match("PUT", "/api/v1/agents/a1")) == "put");
    CHECK(answer(r.match("DELETE", "/api/v1/agents/a1/")) == "delete");
    auto list = r.match("GET", "/api/v1/agents");
    CHECK(list.found == nullptr);
    CHECK(list.allowed == std::vector<std::string>{"POST"});
}

TEST_CASE("router: HEAD falls back to GET routes", "[router]") {
    router r;
    r.add("GET", "/healthz", access::open, {}, named("health"));
    CHECK(answer(r.match("HEAD", "/healthz")) == "health");
    r.add("HEAD", "/healthz", access::open, {}, named("head"));
    CHECK(answer(r.match("HEAD", "/healthz")) == "head");
}

TEST_CASE("router: the route carries its metadata", "[router]") {
    router r;
    route_doc doc;
    doc.summary = "List calls";
    auto& added = r.add("GET", "/api/v1/calls", access::admin, doc, named("x"));
    CHECK(&added == r.routes().front().get());
    auto m = r.match("GET", "/api/v1/calls");
    REQUIRE(m.found);
    CHECK(m.found->who == access::admin);
    CHECK(m.found->doc.summary == "List calls");
    CHECK(r.routes().size() == 1);
}

TEST_CASE("router: bad and duplicate patterns are refused", "[router]") {
    router r;
    r.add("GET", "/a/{id}", access::open, {}, named("a"));
    CHECK_THROWS_WITH(r.add("GET", "/a/{other}", access::open, {}, named("b")),
                      "route GET /a/{other} duplicates /a/{id}");
    CHECK_NOTHROW(r.add("POST", "/a/{id}", access::open, {}, named("c")));
    CHECK_THROWS_AS(r.add("GET", "/a/x{y}", access::open, {}, named("d")), std::invalid_argument);
}
