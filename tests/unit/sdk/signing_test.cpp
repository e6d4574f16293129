// The signing primitives plugins verify webhooks with: known answers for HMAC
// (RFC 4231, RFC 2202), base64 both alphabets with and without padding, hex, and
// refusal of malformed input.
#include <switchboard/signing.hpp>

#include <catch2/catch.hpp>

#include <vector>

namespace sdk = switchboard::sdk;

namespace {
std::string hex(const std::string& raw) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : raw) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}
}  // namespace

TEST_CASE("hmac matches the RFC test vectors and refuses unknown algorithms", "[sdk][signing]") {
    const std::string key = "Jefe", data = "what do ya want for nothing?";
    CHECK(hex(sdk::hmac("sha256", key, data)) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK(hex(sdk::hmac("sha1", key, data)) == "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    CHECK(hex(sdk::hmac("sha512", key, data)).substr(0, 16) == "164b7a7bfcf819e2");
    CHECK(sdk::hmac("md5", key, data).empty());
    // An empty key is a valid HMAC key, not a null pointer.
    CHECK(hex(sdk::hmac("sha256", "", "")) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST_CASE("base64 round-trips and accepts both alphabets, with or without padding", "[sdk][signing]") {
    for (std::string s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar",
                                                  std::string("\xff\xfe\x00\x01", 4)}) {
        const std::string encoded = sdk::base64_encode(s);
        CHECK(encoded.size() % 4 == 0);
        if (s.empty()) continue;
        std::string back;
        REQUIRE(sdk::base64_decode(encoded, back));
        CHECK(back == s);
    }
    CHECK(sdk::base64_encode("foobar") == "Zm9vYmFy");
    std::string out;
    REQUIRE(sdk::base64_decode("Zm9vYg", out));  // padding missing
    CHECK(out == "foob");
    REQUIRE(sdk::base64_decode("__--", out));  // url-safe letters
    CHECK(out == std::string("\xff\xff\xbe", 3));
    REQUIRE(sdk::base64_decode("Zm9v\r\nYmFy", out));  // line breaks ignored
    CHECK(out == "foobar");
}

TEST_CASE("malformed base64 and hex are refused and leave the output alone", "[sdk][signing]") {
    std::string out = "kept";
    CHECK_FALSE(sdk::base64_decode("", out));
    CHECK_FALSE(sdk::base64_decode("Zm9v!", out));
    CHECK_FALSE(sdk::base64_decode("Zm9v\"YmFy", out));
    CHECK(out == "kept");
    CHECK_FALSE(sdk::hex_decode("abc", out));
    CHECK_FALSE(sdk::hex_decode("zz", out));
    CHECK(out == "kept");
    REQUIRE(sdk::hex_decode("00fFa1", out));
    CHECK(out == std::string("\x00\xff\xa1", 3));
}

#include <switchboard/plugin_helpers.hpp>

TEST_CASE("ids are percent-encoded for URL paths", "[sdk][helpers]") {
    CHECK(sdk::url_path_segment("asst_1-2.3~x") == "asst_1-2.3~x");
    CHECK(sdk::url_path_segment("../call?x=1#f") == "..%2Fcall%3Fx%3D1%23f");
    CHECK(sdk::url_path_segment("a b/é") == "a%20b%2F%C3%A9");
}

TEST_CASE("deep_merge merges objects and replaces everything else", "[sdk][helpers]") {
    boost::json::object target{{"model", {{"provider", "openai"}, {"temperature", 0.2}}}, {"tools", {1, 2}}};
    sdk::deep_merge(target, {{"model", {{"temperature", 0.7}}}, {"tools", {3}}, {"new", true}});
    CHECK(target.at("model").at("provider") == "openai");  // kept: not in the patch
    CHECK(target.at("model").at("temperature") == 0.7);
    CHECK(target.at("tools") == boost::json::array{3});     // arrays replace
    CHECK(target.at("new") == true);
}
