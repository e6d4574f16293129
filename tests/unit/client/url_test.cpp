#include "host/client/url.hpp"

#include <catch2/catch.hpp>

using namespace switchboard::client;

namespace {
parsed_url ok(std::string_view url) {
    std::string why;
    auto u = parse_url(url, why);
    INFO(url << ": " << why);
    REQUIRE(u);
    return *u;
}
std::string bad(std::string_view url) {
    std::string why;
    auto u = parse_url(url, why);
    INFO(url);
    REQUIRE_FALSE(u);
    return why;
}
}  // namespace

TEST_CASE("parse_url splits scheme, host, port and target", "[client][url]") {
    auto u = ok("https://api.example.test/v1/calls?limit=5&x=y#frag");
    CHECK(u.tls);
    CHECK(u.host == "api.example.test");
    CHECK(u.port == "443");
    CHECK(u.target == "/v1/calls?limit=5&x=y");
    CHECK(u.path() == "/v1/calls");
    CHECK(u.host_header() == "api.example.test");

    u = ok("HTTP://127.0.0.1:8080");
    CHECK_FALSE(u.tls);
    CHECK(u.port == "8080");
    CHECK(u.target == "/");
    CHECK(u.host_header() == "127.0.0.1:8080");

    u = ok("http://h?q=1");
    CHECK(u.port == "80");
    CHECK(u.target == "/?q=1");

    u = ok("https://[::1]:8443/x");
    CHECK(u.host == "::1");
    CHECK(u.port == "8443");
    CHECK(u.host_header() == "[::1]:8443");
}

TEST_CASE("parse_url rejects what the client cannot call", "[client][url]") {
    CHECK(bad("") == "empty URL");
    CHECK(bad("ftp://x/y").find("scheme must be http or https") != std::string::npos);
    CHECK(bad("api.example.test/v1").find("scheme") != std::string::npos);
    CHECK(bad("http:///path").find("no host") != std::string::npos);
    CHECK(bad("http://h:0/").find("port must be 1-65535") != std::string::npos);
    CHECK(bad("http://h:70000/").find("port must be 1-65535") != std::string::npos);
    CHECK(bad("http://h:abc/").find("port must be 1-65535") != std::string::npos);
    CHECK(bad("http://h:/").find("empty port") != std::string::npos);
    CHECK(bad("http://h/a b").find("spaces or control characters") != std::string::npos);
    CHECK(bad("http://[::1/").find("unterminated") != std::string::npos);
    CHECK(bad("http://::1/").find("brackets") != std::string::npos);
    auto why = bad("https://user:secret@h/");
    CHECK(why.find("credentials") != std::string::npos);
    CHECK(why.find("secret") == std::string::npos);  // never echo the password
    // Queries may hold keys: error messages leave them out.
    CHECK(bad("ftp://h/p?key=SECRET").find("SECRET") == std::string::npos);
}
