// OpenAI's webhooks into canonical events (protocol page, section 3.2): an incoming
// SIP call asks for an assistant with the numbers of its From/To headers; other
// types are acknowledged; malformed bodies are refused naming what is missing.
#include "openai_dialect.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace switchboard;
namespace oa = switchboard::plugins::openai_realtime;
namespace json = boost::json;

namespace {

// The page's example webhook.
constexpr const char* incoming = R"({"object":"event","id":"evt_example0001","type":"realtime.call.incoming",
 "created_at":1787472000,
 "data":{"call_id":"rtc_example0001","sip_headers":[
   {"name":"From","value":"\"Caller\" <sip:+15550100@carrier.example.test>;tag=a1b2"},
   {"name":"To","value":"<sip:+15550199@sip.example.test>"},
   {"name":"Call-ID","value":"f81d4fae@carrier.example.test"},
   {"name":"X-Org","value":"acme"}],
  "sip_media_security":"srtp"}})";

std::string refusal(std::string_view body) {
    try {
        oa::parse_webhook(body, "");
    } catch (const sdk::bad_payload& e) {
        return e.what();
    }
    return "(accepted)";
}

}  // namespace

TEST_CASE("openai dialect: realtime.call.incoming asks for an assistant with the call's numbers", "[openai][dialect]") {
    auto parsed = oa::parse_webhook(incoming, "wh_example0001");
    REQUIRE(parsed.events.size() == 1);
    auto const& e = parsed.events[0];
    CHECK(e.type == "realtime.call.incoming");
    CHECK(e.provider_call_id == "rtc_example0001");
    CHECK(std::holds_alternative<sdk::assistant_requested>(e.body));
    CHECK(e.facts.from_number == "+15550100");
    CHECK(e.facts.to_number == "+15550199");
    CHECK(e.facts.direction == sdk::call_direction::inbound);
    REQUIRE(e.at);
    CHECK(std::chrono::duration_cast<std::chrono::seconds>(e.at->time_since_epoch()).count() == 1787472000);
    // Only the call's identity is kept; caller-controlled headers (X-Org) are not.
    CHECK(e.facts.metadata == json::object{{"sip_call_id", "f81d4fae@carrier.example.test"},
                                           {"sip_media_security", "srtp"}});
    // The delivery id (the same on every retry) is the idempotency key; else the event id.
    CHECK(parsed.idempotency_key == "wh_example0001");
    CHECK(oa::parse_webhook(incoming, "").idempotency_key == "evt_example0001");
}

TEST_CASE("openai dialect: From/To user parts of sip:, sips: and tel: URIs", "[openai][dialect]") {
    CHECK(oa::sip_user(R"("Caller" <sip:+15550100@carrier.example.test>;tag=a1b2)") == "+15550100");
    CHECK(oa::sip_user("<sip:+15550199@sip.example.test>") == "+15550199");
    CHECK(oa::sip_user("sip:+15550199@sip.example.test;tag=x") == "+15550199");
    CHECK(oa::sip_user("<sips:alice@example.test;transport=tls>") == "alice");
    CHECK(oa::sip_user("<sip:+15550100;isup-oli=0@carrier.example.test>") == "+15550100");
    CHECK(oa::sip_user("<tel:+15550142;phone-context=example.test>") == "+15550142");
    CHECK(oa::sip_user("tel:+15550142") == "+15550142");
    CHECK(oa::sip_user("Anonymous <SIP:anonymous@anonymous.invalid>;tag=9") == "anonymous");
    CHECK(oa::sip_user("<sip:sip.example.test>").empty());  // no user part
    CHECK(oa::sip_user("<mailto:a@b>").empty());
    CHECK(oa::sip_user("").empty());

    // Header names are case-insensitive, compact forms (f, t) count, the first wins.
    auto body = R"({"type":"realtime.call.incoming","id":"evt_2","data":{"call_id":"rtc_2","sip_headers":[
        {"name":"f","value":"<tel:+15550111>"},{"name":"TO","value":"<sip:+15550122@x.test>"},
        {"name":"to","value":"<sip:+19990000000@x.test>"},{"name":"Call-ID"},{"value":"orphan"}]}})";
    auto e = oa::parse_webhook(body, "").events.at(0);
    CHECK(e.facts.from_number == "+15550111");
    CHECK(e.facts.to_number == "+15550122");
    CHECK(e.facts.metadata.empty());
}

TEST_CASE("openai dialect: other event types are acknowledged as unknown events", "[openai][dialect]") {
    for (auto type : {"live.call.incoming", "response.completed", "batch.completed"}) {
        INFO(type);
        auto parsed = oa::parse_webhook(std::string(R"({"object":"event","id":"evt_9","type":")") + type +
                                            R"(","created_at":1787472000,"data":{"id":"x"}})",
                                        "wh_9");
        REQUIRE(parsed.events.size() == 1);
        CHECK(parsed.events[0].type == type);
        CHECK(std::holds_alternative<sdk::unknown_event>(parsed.events[0].body));
        CHECK(parsed.events[0].provider_call_id.empty());
        CHECK(parsed.idempotency_key == "wh_9");
    }
}

TEST_CASE("openai dialect: malformed bodies are refused with what is missing", "[openai][dialect]") {
    CHECK(refusal("not json") == "openai_realtime: body is not a JSON object");
    CHECK(refusal("[1]") == "openai_realtime: body is not a JSON object");
    CHECK(refusal(R"({"id":"evt_1"})") == "openai_realtime: event has no \"type\" string");
    CHECK(refusal(R"({"type":7})") == "openai_realtime: event has no \"type\" string");
    CHECK(refusal(R"({"type":"realtime.call.incoming"})") ==
          "openai_realtime: realtime.call.incoming: no \"data\" object");
    CHECK(refusal(R"({"type":"realtime.call.incoming","data":{"sip_headers":[]}})") ==
          "openai_realtime: realtime.call.incoming: no \"data.call_id\" string");
    CHECK(refusal(R"({"type":"realtime.call.incoming","data":{"call_id":"","sip_headers":[]}})") ==
          "openai_realtime: realtime.call.incoming: no \"data.call_id\" string");
    CHECK(refusal(R"({"type":"realtime.call.incoming","data":{"call_id":"rtc_1"}})") ==
          "openai_realtime: realtime.call.incoming: no \"data.sip_headers\" array");
    // Unknown fields are ignored; an empty header list is a call with no numbers.
    auto e = oa::parse_webhook(R"({"type":"realtime.call.incoming","new":1,"data":{"call_id":"rtc_1","sip_headers":[]}})",
                               "")
                 .events.at(0);
    CHECK(e.provider_call_id == "rtc_1");
    CHECK(e.facts.from_number.empty());
}

TEST_CASE("openai dialect: render reads the call id back from the webhook", "[openai][dialect]") {
    CHECK(oa::incoming_call_id(incoming) == "rtc_example0001");
    CHECK(oa::incoming_call_id(R"({"type":"x"})").empty());
    CHECK(oa::incoming_call_id("nope").empty());
}
