#include "host/store/body_codec.hpp"

#include "store_scenario.hpp"


using namespace switchboard;

namespace {

// A webhook-like body: repetitive JSON, as providers send.
std::string big_body(int messages) {
    std::string b = R"({"message":{"type":"end-of-call-report","artifact":{"messages":[)";
    for (int i = 0; i < messages; ++i)
        b += (i ? "," : "") + std::string(R"({"role":"user","message":"turn )") + std::to_string(i) +
             R"( of the call","time":17672256)" + std::to_string(1000 + i) + "}";
    return b + "]}}}";
}

}  // namespace

TEST_CASE("body codec: round trip of any bytes, and smaller for JSON", "[store]") {
    for (std::string raw : {std::string(), std::string("{}"), std::string("a\0b\xff\x01", 5), big_body(50)}) {
        auto packed = store::pack_body(raw);
        CHECK(packed.find('\0') == std::string::npos);  // TEXT-safe
        CHECK(store::unpack_body(packed) == raw);
    }
    auto body = big_body(50);
    CHECK(store::pack_body(body).size() * 3 < body.size());
}

TEST_CASE("body codec: damaged input is a store_error, not garbage", "[store]") {
    auto packed = store::pack_body(big_body(10));
    CHECK_THROWS_AS(store::unpack_body("not base64!"), store::store_error);
    std::string cut = packed.substr(0, packed.size() - 8);
    cut.resize((cut.size() / 4) * 4);
    CHECK_THROWS_AS(store::unpack_body(cut), store::store_error);
    CHECK_THROWS_AS(store::unpack_body(store::pack_body("x").substr(0, 4)), store::store_error);
}

namespace {

void packed_inbox_bodies(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto small = store_test::make_entry("small");
    store::pack_inbox_body(small);
    CHECK(small.body_encoding.empty());  // not worth it under 1 KiB

    auto large = store_test::make_entry("large");
    const std::string raw = big_body(80);
    large.body = raw;
    store::pack_inbox_body(large);
    CHECK(large.body_encoding == store::packed_body_encoding);
    CHECK(large.body != raw);
    REQUIRE(s.inbox_append(large));
    REQUIRE(s.inbox_append(small));

    // Readers get the body as received, whichever way it was stored.
    auto got = s.inbox_get(large.id);
    REQUIRE(got);
    CHECK(got->body == raw);
    CHECK(got->body_encoding.empty());
    auto found = s.inbox_find("vapi", "small");
    REQUIRE(found);
    CHECK(found->body == R"({"key":"small"})");
    auto pending = s.inbox_pending(10);
    REQUIRE(pending.size() == 2);
    for (auto const& e : pending) CHECK(e.body.front() == '{');

    // On disk it is the packed form, marked as such.
    soci::session raw_db;
    store_test::open_raw(raw_db, url);
    std::string encoding;
    long long stored_size = 0;
    raw_db << "SELECT body_encoding, LENGTH(body) FROM webhook_inbox WHERE idempotency_key = 'large'",
        soci::into(encoding), soci::into(stored_size);
    CHECK(encoding == store::packed_body_encoding);
    CHECK(stored_size < static_cast<long long>(raw.size()) / 2);
}

}  // namespace

STORE_SCENARIO("large inbox bodies are stored packed and read back raw", packed_inbox_bodies)
