#include "host/auth/authenticator.hpp"
#include "host/auth/jwt_token.hpp"
#include "host/core/crypto.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace switchboard;
using namespace std::chrono_literals;
using auth::authenticator;
using auth::auth_failure;
using clock_type = std::chrono::system_clock;

namespace {

const std::string secret = "test-secret-0123456789";

config::auth_config sample_config() {
    config::auth_config cfg;
    cfg.keys = {{"ops-admin", "adm-key-AAAA", ""},
                {"acme-backend", "acme-key-BBBB", "acme"},
                {"globex-backend", "globex-key-CCCC", "globex"}};
    cfg.jwt_secret = secret;
    return cfg;
}

http::principal expect_principal(const std::variant<http::principal, auth_failure>& r) {
    if (auto* f = std::get_if<auth_failure>(&r)) FAIL("unexpected failure: " << f->status << " " << f->detail);
    return std::get<http::principal>(r);
}

auth_failure expect_failure(const std::variant<http::principal, auth_failure>& r) {
    if (auto* p = std::get_if<http::principal>(&r)) FAIL("unexpected success for subject " << p->subject);
    return std::get<auth_failure>(r);
}

std::string b64url(std::string_view in) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < in.size(); i += 3) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8 |
                     static_cast<unsigned char>(in[i + 2]);
        for (int s = 18; s >= 0; s -= 6) out += alphabet[(v >> s) & 63];
    }
    if (in.size() - i == 1) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
    } else if (in.size() - i == 2) {
        unsigned v = static_cast<unsigned char>(in[i]) << 16 | static_cast<unsigned char>(in[i + 1]) << 8;
        out += alphabet[(v >> 18) & 63];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
    }
    return out;
}

std::string hex_to_bytes(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
    return out;
}

// A token built by hand, independent of cpp-jwt: HMAC-SHA256 over base64url(header).base64url(payload).
std::string hand_jwt(const std::string& header_json, const std::string& payload_json, const std::string& key) {
    const std::string signed_part = b64url(header_json) + "." + b64url(payload_json);
    return signed_part + "." + b64url(hex_to_bytes(core::hmac_sha256_hex(key, signed_part)));
}

long long epoch(clock_type::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

TEST_CASE("API keys map to admin and org principals", "[auth]") {
    const authenticator a(sample_config());
    const auto now = clock_type::now();

    auto admin = expect_principal(a.authenticate("Bearer adm-key-AAAA", now));
    CHECK(admin.admin);
    CHECK(admin.org.empty());
    CHECK(admin.subject == "ops-admin");

    auto acme = expect_principal(a.authenticate("Bearer acme-key-BBBB", now));
    CHECK_FALSE(acme.admin);
    CHECK(acme.org == "acme");
    CHECK(acme.subject == "acme-backend");

    auto globex = expect_principal(a.authenticate("bearer   globex-key-CCCC  ", now));  // scheme is case-insensitive
    CHECK(globex.org == "globex");
}

TEST_CASE("Unknown keys, other schemes and missing headers are 401 without echoing the token", "[auth]") {
    const authenticator a(sample_config());
    const auto now = clock_type::now();

    auto unknown = expect_failure(a.authenticate("Bearer acme-key-BBBX", now));
    CHECK(unknown.status == 401);
    CHECK(unknown.detail == "invalid API key");

    auto prefix = expect_failure(a.authenticate("Bearer acme-key-BBB", now));  // a prefix of a real key
    CHECK(prefix.detail == "invalid API key");

    auto basic = expect_failure(a.authenticate("Basic YWNtZS1rZXktQkJCQg==", now));
    CHECK(basic.status == 401);
    CHECK(basic.detail == "Authorization must use the Bearer scheme");

    auto bare = expect_failure(a.authenticate("acme-key-BBBB", now));
    CHECK(bare.detail == "Authorization must use the Bearer scheme");
    CHECK(bare.detail.find("acme-key") == std::string::npos);

    auto missing = expect_failure(a.authenticate("", now));
    CHECK(missing.status == 401);
    CHECK(missing.detail == "missing Authorization header (expected: Bearer <api key or JWT>)");

    auto empty_token = expect_failure(a.authenticate("Bearer   ", now));
    CHECK(empty_token.status == 401);
}

TEST_CASE("Keys are held only as SHA-256 hashes", "[auth]") {
    const auto cfg = sample_config();
    const authenticator a(cfg);
    const auto hashes = a.stored_hashes();
    REQUIRE(hashes.size() == cfg.keys.size());
    for (const auto& k : cfg.keys) {
        CHECK(std::find(hashes.begin(), hashes.end(), k.key) == hashes.end());
        CHECK(std::find(hashes.begin(), hashes.end(), core::sha256_hex(k.key)) != hashes.end());
        for (const auto& h : hashes) CHECK(h.find(k.key) == std::string::npos);
    }
}

TEST_CASE("may_access_org: admin sees all, org principals only their own", "[auth]") {
    CHECK(auth::may_access_org(http::principal{true, "", "root"}, "acme"));
    CHECK(auth::may_access_org(http::principal{false, "acme", "k"}, "acme"));
    CHECK_FALSE(auth::may_access_org(http::principal{false, "acme", "k"}, "globex"));
    CHECK_FALSE(auth::may_access_org(http::principal{false, "", "k"}, ""));
}

TEST_CASE("JWTs issued with issue_jwt authenticate", "[auth][jwt]") {
    const authenticator a(sample_config());
    const auto now = clock_type::now();

    const auto org_token = auth::issue_jwt(secret, "acme", "dashboard", false, now + 1h);
    auto org = expect_principal(a.authenticate("Bearer " + org_token, now));
    CHECK_FALSE(org.admin);
    CHECK(org.org == "acme");
    CHECK(org.subject == "dashboard");

    const auto admin_token = auth::issue_jwt(secret, "", "root-cli", true, now + 1h);
    auto admin = expect_principal(a.authenticate("Bearer " + admin_token, now));
    CHECK(admin.admin);
    CHECK(admin.org.empty());
    CHECK(admin.subject == "root-cli");
}

TEST_CASE("JWT expiry is checked against now with 30 s leeway", "[auth][jwt]") {
    const authenticator a(sample_config());
    const auto now = clock_type::now();
    const auto token = auth::issue_jwt(secret, "acme", "dash", false, now);

    expect_principal(a.authenticate("Bearer " + token, now + 20s));  // within leeway
    auto late = expect_failure(a.authenticate("Bearer " + token, now + 31s + 1s));
    CHECK(late.status == 401);
    CHECK(late.detail == "invalid token: expired");

    // The injected clock decides, not the system clock: valid in the past, expired "now".
    const auto old = auth::issue_jwt(secret, "acme", "dash", false, now - 24h);
    expect_principal(a.authenticate("Bearer " + old, now - 25h));
    CHECK(expect_failure(a.authenticate("Bearer " + old, now)).detail == "invalid token: expired");
}

TEST_CASE("JWT with a bad signature is refused", "[auth][jwt]") {
    const authenticator a(sample_config());
    const auto now = clock_type::now();

    const auto other_key = auth::issue_jwt("another-secret", "acme", "dash", false, now + 1h);
    CHECK(expect_failure(a.authenticate("Bearer " + other_key, now)).detail == "invalid token: bad signature");

    // Tamper with the payload of a correctly signed hand-built token: claim another org.
    const std::string header = R"({"alg":"HS256","typ":"JWT"})";
    const std::string good = hand_jwt(header, R"({"org":"acme","sub":"x","exp":)" + std::to_string(epoch(now + 1h)) + "}", secret);
    expect_principal(a.authenticate("Bearer " + good, now));  // the hand-built baseline passes
    const std::string signature = good.substr(good.rfind('.') + 1);
    const std::string tampered = b64url(header) + "." +
                                 b64url(R"({"org":"globex","sub":"x","exp":)" + std::to_string(epoch(now + 1h)) + "}") +
                                 "." + signature;
    auto f = expect_failure(a.authenticate("Bearer " + tampered, now));
    CHECK(f.detail == "invalid token: bad signature");
    CHECK(f.detail.find(signature) == std::string::npos);
}

TEST_CASE("JWT with alg=none or another algorithm is refused", "[auth][jwt]") {
    const authenticator a(sample_config());
    const auto now = clock_type::now();
    const std::string payload = R"({"org":"acme","sub":"x","admin":true,"exp":)" + std::to_string(epoch(now + 1h)) + "}";

    const std::string none = b64url(R"({"alg":"none","typ":"JWT"})") + "." + b64url(payload) + ".";
    auto f = expect_failure(a.authenticate("Bearer " + none, now));
    CHECK(f.status == 401);
    CHECK(f.detail == "invalid token: unsupported algorithm");

    // HS512 signed with the right secret: still refused, HS256 only.
    const std::string signed_part = b64url(R"({"alg":"HS512","typ":"JWT"})") + "." + b64url(payload);
    const std::string hs512 = signed_part + "." + b64url("0123456789abcdef0123456789abcdef");
    CHECK(expect_failure(a.authenticate("Bearer " + hs512, now)).detail == "invalid token: unsupported algorithm");
}

TEST_CASE("JWT claims: org required unless admin, exp required", "[auth][jwt]") {
    const authenticator a(sample_config());
    const auto now = clock_type::now();
    const auto exp = std::to_string(epoch(now + 1h));
    const std::string header = R"({"alg":"HS256","typ":"JWT"})";

    auto no_org = auth::issue_jwt(secret, "", "dash", false, now + 1h);
    CHECK(expect_failure(a.authenticate("Bearer " + no_org, now)).detail == "invalid token: missing org claim");

    auto org_number = hand_jwt(header, R"({"org":42,"sub":"x","exp":)" + exp + "}", secret);
    CHECK(expect_failure(a.authenticate("Bearer " + org_number, now)).detail == "invalid token: missing org claim");

    auto admin_string = hand_jwt(header, R"({"admin":"true","sub":"x","exp":)" + exp + "}", secret);
    CHECK(expect_failure(a.authenticate("Bearer " + admin_string, now)).detail == "invalid token: missing org claim");

    auto no_exp = hand_jwt(header, R"({"org":"acme","sub":"x"})", secret);
    CHECK(expect_failure(a.authenticate("Bearer " + no_exp, now)).detail == "invalid token: missing exp claim");

    auto exp_string = hand_jwt(header, R"({"org":"acme","sub":"x","exp":"soon"})", secret);
    CHECK(expect_failure(a.authenticate("Bearer " + exp_string, now)).detail == "invalid token: malformed");

    auto not_json = hand_jwt(header, "not json", secret);
    CHECK(expect_failure(a.authenticate("Bearer " + not_json, now)).detail == "invalid token: malformed");

    auto alg_number = hand_jwt(R"({"alg":5})", R"({"org":"acme","exp":)" + exp + "}", secret);
    CHECK(expect_failure(a.authenticate("Bearer " + alg_number, now)).detail == "invalid token: malformed");
}

TEST_CASE("JWT issuer is checked when configured", "[auth][jwt]") {
    auto cfg = sample_config();
    cfg.jwt_issuer = "https://id.example.com";
    const authenticator a(cfg);
    const auto now = clock_type::now();

    auto right = auth::issue_jwt(secret, "acme", "dash", false, now + 1h, "https://id.example.com");
    CHECK(expect_principal(a.authenticate("Bearer " + right, now)).org == "acme");

    auto wrong = auth::issue_jwt(secret, "acme", "dash", false, now + 1h, "https://evil.example.com");
    CHECK(expect_failure(a.authenticate("Bearer " + wrong, now)).detail == "invalid token: wrong issuer");

    auto none = auth::issue_jwt(secret, "acme", "dash", false, now + 1h);
    CHECK(expect_failure(a.authenticate("Bearer " + none, now)).detail == "invalid token: wrong issuer");

    // Without a configured issuer, any iss is accepted.
    const authenticator lax(sample_config());
    CHECK(expect_principal(lax.authenticate("Bearer " + wrong, now)).org == "acme");
}

TEST_CASE("JWTs are refused when no secret is configured", "[auth][jwt]") {
    auto cfg = sample_config();
    cfg.jwt_secret.clear();
    const authenticator a(cfg);
    const auto now = clock_type::now();
    const auto token = auth::issue_jwt(secret, "acme", "dash", false, now + 1h);
    auto f = expect_failure(a.authenticate("Bearer " + token, now));
    CHECK(f.status == 401);
    CHECK(f.detail.rfind("invalid token: ", 0) == 0);
    // And an empty secret must not verify a token signed with the empty key either.
    const auto empty_key = hand_jwt(R"({"alg":"HS256","typ":"JWT"})",
                                    R"({"org":"acme","exp":)" + std::to_string(epoch(now + 1h)) + "}", "");
    CHECK(std::holds_alternative<auth_failure>(a.authenticate("Bearer " + empty_key, now)));
    CHECK_THROWS(auth::issue_jwt("", "acme", "dash", false, now + 1h));  // nothing to sign with
    // API keys still work.
    CHECK(expect_principal(a.authenticate("Bearer acme-key-BBBB", now)).org == "acme");
}

TEST_CASE("looks_like_jwt distinguishes tokens from API keys", "[auth][jwt]") {
    CHECK(auth::looks_like_jwt("aaa.bbb.ccc"));
    CHECK(auth::looks_like_jwt("aaa.bbb."));  // alg=none shape
    CHECK_FALSE(auth::looks_like_jwt("aaa.bbb"));
    CHECK_FALSE(auth::looks_like_jwt("aaa..ccc"));
    CHECK_FALSE(auth::looks_like_jwt("a.b.c.d"));
    CHECK_FALSE(auth::looks_like_jwt("sk_live_123"));
    CHECK_FALSE(auth::looks_like_jwt("aa+a.bbb.ccc"));
}
