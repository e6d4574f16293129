// Standard Webhooks signatures as OpenAI sends them (protocol page, section 5): the
// page's known-answer vector, wrong secrets, the 300 s tolerance either way, several
// signatures (rotation) and malformed entries; then the same through the loaded plugin.
#include "openai_signature.hpp"

#include <switchboard/signing.hpp>

#include "host/plugins/registry.hpp"

#include <catch2/catch.hpp>

#include <openssl/hmac.h>

#include <boost/json.hpp>

using namespace switchboard;
namespace oa = switchboard::plugins::openai_realtime;
using std::chrono::seconds;

namespace {

// The page's vector, reproduced there with Python hmac, standardwebhooks and the openai SDK.
constexpr std::string_view page_secret = "whsec_c3dpdGNoYm9hcmQtZXhhbXBsZS1rZXktMzItYnl0ZXM=";
constexpr std::string_view page_id = "wh_example0001";
constexpr std::string_view page_ts = "1787472000";
constexpr std::string_view page_body =
    R"({"object":"event","id":"evt_example0001","type":"realtime.call.incoming","created_at":1787472000,"data":{"call_id":"rtc_example0001","sip_headers":[{"name":"From","value":"<sip:+15550100@example.test>"},{"name":"To","value":"<sip:+15550199@example.test>"}]}})";
constexpr std::string_view page_signature = "v1,PFzW5fnejEw/AJRjOGj8Z+EzhQKj7+qzYbSScMaa+W8=";

std::chrono::system_clock::time_point at(std::int64_t unix_seconds) {
    return std::chrono::system_clock::time_point{seconds{unix_seconds}};
}
const auto page_now = at(1787472000);

// Signed here with OpenSSL directly, not with the code under test.
std::string sign(std::string_view key, std::string_view id, std::string_view ts, std::string_view body) {
    const std::string content = std::string(id) + "." + std::string(ts) + "." + std::string(body);
    unsigned char mac[32];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(content.data()),
         content.size(), mac, &len);
    std::string b64(48, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(b64.data()), mac, static_cast<int>(len));
    b64.resize(static_cast<std::size_t>(n));
    return "v1," + b64;
}

}  // namespace

TEST_CASE("openai signature: the protocol page's known-answer vector verifies", "[openai][signature]") {
    auto v = oa::verify_signature({page_id, page_ts, page_signature}, page_body, page_secret, page_now);
    INFO(v.reason);
    CHECK(v.ok);
    CHECK(v.reason.empty());
    // The key is the base64 after whsec_, and signing reproduces the page's value.
    CHECK(oa::webhook_key(page_secret) == std::optional<std::string>("switchboard-example-key-32-bytes"));
    CHECK(oa::sign_webhook("switchboard-example-key-32-bytes", page_id, page_ts, page_body) == page_signature);
    CHECK(sign("switchboard-example-key-32-bytes", page_id, page_ts, page_body) == page_signature);
}

TEST_CASE("openai signature: a changed body, id, timestamp or secret fails", "[openai][signature]") {
    std::string body(page_body);
    body.back() = ' ';
    CHECK_FALSE(oa::verify_signature({page_id, page_ts, page_signature}, body, page_secret, page_now).ok);
    CHECK_FALSE(oa::verify_signature({"wh_example0002", page_ts, page_signature}, page_body, page_secret, page_now).ok);
    CHECK_FALSE(oa::verify_signature({page_id, "1787472001", page_signature}, page_body, page_secret, page_now).ok);
    auto wrong = oa::verify_signature({page_id, page_ts, page_signature}, page_body,
                                      "whsec_b3RoZXIta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMh", page_now);
    CHECK_FALSE(wrong.ok);
    CHECK(wrong.reason == "no matching webhook signature");
    CHECK(wrong.reason.find("whsec") == std::string::npos);
    // A secret without whsec_ is used as its own bytes (openai-node): the raw key
    // verifies, its base64 text does not.
    CHECK(oa::verify_signature({page_id, page_ts, page_signature}, page_body, "switchboard-example-key-32-bytes",
                               page_now)
              .ok);
    CHECK_FALSE(oa::verify_signature({page_id, page_ts, page_signature}, page_body,
                                     "c3dpdGNoYm9hcmQtZXhhbXBsZS1rZXktMzItYnl0ZXM=", page_now)
                    .ok);
    auto bad_secret = oa::verify_signature({page_id, page_ts, page_signature}, page_body, "whsec_!!notbase64", page_now);
    CHECK_FALSE(bad_secret.ok);
    CHECK(bad_secret.reason == "webhook_secret is not a valid whsec_ secret (bad base64)");
}

TEST_CASE("openai signature: timestamps more than 300 s away either way fail, exactly 300 s passes",
          "[openai][signature]") {
    auto check = [](std::int64_t now_offset) {
        return oa::verify_signature({page_id, page_ts, page_signature}, page_body, page_secret,
                                    at(1787472000 + now_offset));
    };
    CHECK(check(300).ok);
    CHECK(check(-300).ok);
    auto old = check(301);
    CHECK_FALSE(old.ok);
    CHECK(old.reason == "webhook timestamp too old");
    auto future = check(-301);
    CHECK_FALSE(future.ok);
    CHECK(future.reason == "webhook timestamp too new");
    // The tolerance is a setting; 0 turns the check off (replays of old captures).
    CHECK(oa::verify_signature({page_id, page_ts, page_signature}, page_body, page_secret, at(1787472000 + 1000), 2000)
              .ok);
    CHECK(oa::verify_signature({page_id, page_ts, page_signature}, page_body, page_secret, at(0), 0).ok);
    CHECK(oa::verify_signature({page_id, "17874720x0", page_signature}, page_body, page_secret, page_now).reason ==
          "webhook-timestamp is not an integer");
}

TEST_CASE("openai signature: any matching v1 entry passes, other versions and junk are skipped",
          "[openai][signature]") {
    const std::string good(page_signature);
    const std::string other = sign("another-key", page_id, page_ts, page_body);
    CHECK(oa::verify_signature({page_id, page_ts, other + " " + good}, page_body, page_secret, page_now).ok);
    CHECK(oa::verify_signature({page_id, page_ts, good + " " + other}, page_body, page_secret, page_now).ok);
    CHECK(oa::verify_signature({page_id, page_ts, "junk v1a,abc= " + good}, page_body, page_secret, page_now).ok);
    CHECK_FALSE(oa::verify_signature({page_id, page_ts, other + " junk"}, page_body, page_secret, page_now).ok);
    // The right MAC under another version label is not a v1 signature.
    CHECK_FALSE(oa::verify_signature({page_id, page_ts, "v2," + good.substr(3)}, page_body, page_secret, page_now).ok);
    CHECK_FALSE(oa::verify_signature({page_id, page_ts, good.substr(3)}, page_body, page_secret, page_now).ok);

    // Rotation: several configured secrets, the old one still verifies.
    const std::string rotated = "whsec_" + switchboard::sdk::base64_encode("another-key") + " " + std::string(page_secret);
    CHECK(oa::verify_signature({page_id, page_ts, other}, page_body, rotated, page_now).ok);
    CHECK(oa::verify_signature({page_id, page_ts, good}, page_body, rotated, page_now).ok);
}

TEST_CASE("openai signature: each of the three headers is required", "[openai][signature]") {
    const std::string reason = "missing webhook-id, webhook-timestamp or webhook-signature header";
    CHECK(oa::verify_signature({"", page_ts, page_signature}, page_body, page_secret, page_now).reason == reason);
    CHECK(oa::verify_signature({page_id, "", page_signature}, page_body, page_secret, page_now).reason == reason);
    CHECK(oa::verify_signature({page_id, page_ts, ""}, page_body, page_secret, page_now).reason == reason);
}

TEST_CASE("openai_realtime plugin: verify() checks Standard Webhooks headers with the org's secret",
          "[openai][signature]") {
    plugins::registry registry;
    config::plugins_config cfg;
    cfg.directories = {SB_PLUGIN_DIR};
    config::plugin_entry e;
    e.name = "openai_realtime";
    e.required = true;
    cfg.load.push_back(e);
    auto report = registry.load(cfg);
    for (auto const& f : report.failures) UNSCOPED_INFO(f.message);
    REQUIRE(report.failures.empty());
    auto* p = registry.provider("openai_realtime");
    REQUIRE(p);

    // Signed now (the plugin has no host in this test: it reads the system clock).
    const auto now = std::chrono::duration_cast<seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
    const std::string ts = std::to_string(now);
    const std::string sig = sign("switchboard-example-key-32-bytes", page_id, ts, page_body);
    boost::json::object with{{"webhook_secret", page_secret}};
    auto request = [&](const boost::json::object* settings, std::vector<std::pair<std::string, std::string>> headers) {
        sdk::webhook_request r;
        r.method = "POST";
        r.target = "/webhooks/openai_realtime/acme";
        r.body = page_body;
        r.headers = std::move(headers);
        r.settings = settings;
        return r;
    };
    CHECK(p->verify(request(&with, {{"webhook-id", std::string(page_id)}, {"webhook-timestamp", ts},
                                    {"webhook-signature", sig}}))
              .ok);
    auto wrong = p->verify(request(&with, {{"webhook-id", "wh_other"}, {"webhook-timestamp", ts},
                                           {"webhook-signature", sig}}));
    CHECK_FALSE(wrong.ok);
    CHECK(wrong.reason == "no matching webhook signature");
    // A Bearer token is no credential for OpenAI webhooks.
    CHECK_FALSE(p->verify(request(&with, {{"authorization", "Bearer " + std::string(page_secret)}})).ok);
    // The page's old vector is far outside the tolerance now.
    CHECK(p->verify(request(&with, {{"webhook-id", std::string(page_id)}, {"webhook-timestamp", std::string(page_ts)},
                                    {"webhook-signature", std::string(page_signature)}}))
              .reason == "webhook timestamp too old");
    // No secret: accepted, and the reason says nothing was checked.
    boost::json::object none;
    auto open = p->verify(request(&none, {}));
    CHECK(open.ok);
    CHECK(open.reason == "no webhook_secret configured");
}
