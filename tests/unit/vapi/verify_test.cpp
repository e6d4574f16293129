// Webhook authentication: shared secret (X-Vapi-Secret, Bearer), the HMAC plan
// (algorithms, encodings, prefixes, payload formats, timestamps), and no auth.
#include "vapi_test_support.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

using namespace vapi_test;

namespace {

const std::string body = R"({"message":{"type":"hang","call":{"id":"c"}}})";

std::string mac(const EVP_MD* md, std::string_view key, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    REQUIRE(HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
                 data.size(), out, &len));
    return std::string(reinterpret_cast<char*>(out), len);
}

std::string hex(std::string_view raw) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

std::string b64(std::string_view raw) {
    std::string out(4 * ((raw.size() + 2) / 3), '\0');
    EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(raw.data()),
                    static_cast<int>(raw.size()));
    return out;
}

std::int64_t now_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

sdk::verification verify(const owned_request& r) { return vapi().verify(r.view()); }

owned_request with(boost::json::object settings, std::vector<std::pair<std::string, std::string>> headers) {
    owned_request r;
    r.body = body;
    r.settings = std::move(settings);
    r.headers = std::move(headers);
    return r;
}

void check_failure(const sdk::verification& v, const std::string& reason, std::string_view secret) {
    CHECK_FALSE(v.ok);
    CHECK(v.reason == reason);
    CHECK(v.reason.find(secret) == std::string::npos);
}

}  // namespace

TEST_CASE("verify: nothing configured lets the webhook in and says so", "[vapi][verify]") {
    auto v = verify(with({}, {}));
    CHECK(v.ok);
    CHECK(v.reason == "no webhook auth configured");
    CHECK(verify(with({{"webhook_secret", ""}, {"hmac_secret", ""}}, {})).ok);  // "${VAR:-}" left empty
}

TEST_CASE("verify: the shared secret in X-Vapi-Secret or as a Bearer token", "[vapi][verify]") {
    boost::json::object s{{"webhook_secret", "s3cret"}};
    CHECK(verify(with(s, {{"x-vapi-secret", "s3cret"}})).ok);
    CHECK(verify(with(s, {{"authorization", "Bearer s3cret"}})).ok);
    CHECK(verify(with(s, {{"authorization", "s3cret"}})).ok);  // bearerPrefixEnabled: false
    check_failure(verify(with(s, {})), "missing secret", "s3cret");
    check_failure(verify(with(s, {{"x-vapi-secret", "s3creT"}})), "secret does not match", "s3cret");
    check_failure(verify(with(s, {{"x-vapi-secret", "s3cret-longer"}})), "secret does not match", "s3cret");
    check_failure(verify(with(s, {{"authorization", "Basic s3cret"}})), "secret does not match", "s3cret");
    check_failure(verify(with(s, {{"x-vapi-signature", "s3cret"}})), "missing secret", "s3cret");
    // One wrong header does not hide a right one.
    CHECK(verify(with(s, {{"x-vapi-secret", "nope"}, {"authorization", "Bearer s3cret"}})).ok);
}

TEST_CASE("verify: HMAC-SHA256 hex of {timestamp}.{body} by default", "[vapi][verify]") {
    const std::string key = "whsec_1";
    boost::json::object s{{"hmac_secret", key}, {"webhook_secret", "ignored-when-hmac-is-set"}};
    const std::string ts = std::to_string(now_s());
    const std::string sig = hex(mac(EVP_sha256(), key, ts + "." + body));
    CHECK(verify(with(s, {{"x-timestamp", ts}, {"x-signature", sig}})).ok);
    // Upper-case hex is the same signature.
    std::string upper = sig;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    CHECK(verify(with(s, {{"x-timestamp", ts}, {"x-signature", upper}})).ok);
    // The shared secret alone is not enough once HMAC is configured.
    check_failure(verify(with(s, {{"x-vapi-secret", "ignored-when-hmac-is-set"}})), "missing signature", key);
    check_failure(verify(with(s, {{"x-timestamp", ts}})), "missing signature", key);
    check_failure(verify(with(s, {{"x-signature", sig}})), "missing timestamp", key);
    check_failure(verify(with(s, {{"x-timestamp", ts}, {"x-signature", hex(mac(EVP_sha256(), "other", ts + "." + body))}})),
                  "bad signature", key);
    check_failure(verify(with(s, {{"x-timestamp", ts}, {"x-signature", "zz" + sig.substr(2)}})), "bad signature", key);
    // The timestamp is signed: changing it breaks the signature.
    check_failure(verify(with(s, {{"x-timestamp", std::to_string(now_s() + 1)}, {"x-signature", sig}})),
                  "bad signature", key);
    // So is the body.
    auto tampered = with(s, {{"x-timestamp", ts}, {"x-signature", sig}});
    tampered.body += " ";
    check_failure(verify(tampered), "bad signature", key);
}

TEST_CASE("verify: a known signature computed elsewhere (Python hmac)", "[vapi][verify]") {
    // tolerance 0 turns the age check off, so a fixed timestamp can be used.
    boost::json::object s{{"hmac_secret", "whsec_known"}, {"signature_tolerance_seconds", 0}};
    CHECK(verify(with(s, {{"x-timestamp", "1767225601"},
                          {"x-signature", "b028caf4819cc487e9f8cc352a92e4f63ac166893a131f3fa465d72b2db7c7c0"}}))
              .ok);
    boost::json::object s512{{"hmac_secret", "c2VjcmV0LWJ5dGVzAAH/"},
                             {"secret_is_base64", true},
                             {"hmac_algorithm", "sha512"},
                             {"signature_encoding", "base64"},
                             {"payload_format", "{method} {url} {timestamp} {body}"},
                             {"signature_tolerance_seconds", 0}};
    CHECK(verify(with(s512, {{"x-timestamp", "1767225601000"},
                             {"x-signature", "J8mkDyGQyYQtnHOCTOH8/Fm9/wYPSy5Ts4JNkmlOkl0FJ+gVlCF9M4fqfe0n7WVjl+rsSLo0yHmPJatXieON0w=="}}))
              .ok);
}

TEST_CASE("verify: sha512 and sha1, base64 encoding, prefixes and custom headers", "[vapi][verify]") {
    const std::string key = "k-512";
    const std::string ts = std::to_string(now_s());
    SECTION("sha512 hex") {
        boost::json::object s{{"hmac_secret", key}, {"hmac_algorithm", "sha512"}};
        CHECK(verify(with(s, {{"x-timestamp", ts}, {"x-signature", hex(mac(EVP_sha512(), key, ts + "." + body))}})).ok);
        // A sha256 signature is not a sha512 one.
        check_failure(verify(with(s, {{"x-timestamp", ts}, {"x-signature", hex(mac(EVP_sha256(), key, ts + "." + body))}})),
                      "bad signature", key);
    }
    SECTION("sha512 base64 with a prefix, in other headers") {
        boost::json::object s{{"hmac_secret", key},         {"hmac_algorithm", "sha512"},
                              {"signature_encoding", "base64"}, {"signature_prefix", "v1="},
                              {"signature_header", "X-Webhook-Signature"}, {"timestamp_header", "X-Webhook-Time"}};
        const std::string sig = b64(mac(EVP_sha512(), key, ts + "." + body));
        CHECK(verify(with(s, {{"x-webhook-time", ts}, {"x-webhook-signature", "v1=" + sig}})).ok);
        check_failure(verify(with(s, {{"x-webhook-time", ts}, {"x-webhook-signature", sig}})), "bad signature", key);
        check_failure(verify(with(s, {{"x-webhook-time", ts}, {"x-webhook-signature", "v2=" + sig}})), "bad signature",
                      key);
        check_failure(verify(with(s, {{"x-timestamp", ts}, {"x-signature", "v1=" + sig}})), "missing signature", key);
    }
    SECTION("sha256 base64 of the body alone, as the doc samples' x-vapi-signature: sha256=...") {
        boost::json::object s{{"hmac_secret", key},
                              {"signature_encoding", "base64"},
                              {"signature_prefix", "sha256="},
                              {"signature_header", "x-vapi-signature"},
                              {"payload_format", "{body}"}};
        const std::string sig = "sha256=" + b64(mac(EVP_sha256(), key, body));
        CHECK(verify(with(s, {{"x-vapi-signature", sig}})).ok);  // no timestamp needed: none is signed
        auto stale = with(s, {{"x-vapi-signature", sig}, {"x-timestamp", std::to_string(now_s() - 3600)}});
        check_failure(verify(stale), "timestamp outside tolerance", key);  // a timestamp that is sent is still checked
    }
    SECTION("sha1 hex over method, url and timestamp") {
        boost::json::object s{{"hmac_secret", key}, {"hmac_algorithm", "sha1"},
                              {"payload_format", "{method}\n{url}\n{timestamp}\n{body}"}};
        const std::string payload = "POST\n/webhooks/vapi/org_demo\n" + ts + "\n" + body;
        CHECK(verify(with(s, {{"x-timestamp", ts}, {"x-signature", hex(mac(EVP_sha1(), key, payload))}})).ok);
        auto other_path = with(s, {{"x-timestamp", ts}, {"x-signature", hex(mac(EVP_sha1(), key, payload))}});
        other_path.target = "/api/v1/vapi/webhook";
        check_failure(verify(other_path), "bad signature", key);
    }
    SECTION("secret_is_base64 decodes the key first") {
        const std::string raw_key("\x01\x02\xff\x00key", 7);
        boost::json::object s{{"hmac_secret", b64(raw_key)}, {"secret_is_base64", true}};
        CHECK(verify(with(s, {{"x-timestamp", ts}, {"x-signature", hex(mac(EVP_sha256(), raw_key, ts + "." + body))}})).ok);
        // Without the flag the base64 text itself is the key.
        boost::json::object text_key{{"hmac_secret", b64(raw_key)}};
        check_failure(
            verify(with(text_key, {{"x-timestamp", ts}, {"x-signature", hex(mac(EVP_sha256(), raw_key, ts + "." + body))}})),
            "bad signature", b64(raw_key));
        boost::json::object broken{{"hmac_secret", "not*base64"}, {"secret_is_base64", true}};
        check_failure(verify(with(broken, {{"x-timestamp", ts}, {"x-signature", "00"}})), "hmac_secret is not valid base64",
                      "not*base64");
    }
    SECTION("settings with an unknown algorithm or encoding refuse every webhook") {
        boost::json::object md5{{"hmac_secret", key}, {"hmac_algorithm", "md5"}};
        auto v = verify(with(md5, {{"x-timestamp", ts}, {"x-signature", "00"}}));
        CHECK_FALSE(v.ok);
        CHECK(v.reason == "hmac_algorithm must be sha256, sha512 or sha1 (got 'md5')");
        boost::json::object b32{{"hmac_secret", key}, {"signature_encoding", "base32"}};
        CHECK_FALSE(verify(with(b32, {{"x-timestamp", ts}, {"x-signature", "00"}})).ok);
    }
}

TEST_CASE("verify: timestamps in seconds or milliseconds, within the tolerance only", "[vapi][verify]") {
    const std::string key = "whsec_t";
    boost::json::object s{{"hmac_secret", key}};  // default tolerance: 300 s
    auto signed_at = [&](const std::string& ts, const boost::json::object& settings) {
        return verify(with(settings, {{"x-timestamp", ts}, {"x-signature", hex(mac(EVP_sha256(), key, ts + "." + body))}}));
    };
    const std::int64_t now = now_s();
    CHECK(signed_at(std::to_string(now), s).ok);
    CHECK(signed_at(std::to_string(now * 1000 + 123), s).ok);  // milliseconds
    CHECK(signed_at(std::to_string(now - 120), s).ok);
    CHECK(signed_at(std::to_string((now + 120) * 1000), s).ok);
    check_failure(signed_at(std::to_string(now - 3600), s), "timestamp outside tolerance", key);
    check_failure(signed_at(std::to_string(now + 3600), s), "timestamp outside tolerance", key);  // future
    check_failure(signed_at(std::to_string((now - 3600) * 1000), s), "timestamp outside tolerance", key);
    check_failure(signed_at(std::to_string((now + 3600) * 1000), s), "timestamp outside tolerance", key);
    check_failure(signed_at("yesterday", s), "bad timestamp", key);
    // A wider window lets the hour-old one in; 0 turns the check off.
    boost::json::object wide{{"hmac_secret", key}, {"signature_tolerance_seconds", 7200}};
    CHECK(signed_at(std::to_string(now - 3600), wide).ok);
    boost::json::object off{{"hmac_secret", key}, {"signature_tolerance_seconds", 0}};
    CHECK(signed_at(std::to_string(now - 86400 * 30), off).ok);
}

TEST_CASE("verify: the plugin refuses a global section with an unknown algorithm", "[vapi][verify]") {
    plugins::registry registry;
    config::plugin_section section;
    section.values = {{"hmac_algorithm", "md5"}};
    auto report = registry.load_file(SB_PLUGIN_DIR "/vapi.so", "vapi", section);
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures[0].message.find("hmac_algorithm must be sha256, sha512 or sha1 (got 'md5')") !=
          std::string::npos);
}
