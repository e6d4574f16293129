// OpenAI Realtime SIP calls through the real binary: a signed realtime.call.incoming
// is answered by accepting the call at a local fake OpenAI with the session the org's
// call flow chose (Lua assistant and prompt hooks, or the YAML assistant_spec), or by
// rejecting it; unsigned webhooks and redeliveries call nothing.
#include "host_fixture.hpp"
#include "support/fake_openai.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

using namespace switchboard::testing;
namespace json = boost::json;

namespace {

constexpr const char* api_key = "sk-it-openai-key";
// whsec_ + base64("it-openai-webhook-key-32-bytes!!")
constexpr const char* secret = "whsec_aXQtb3BlbmFpLXdlYmhvb2sta2V5LTMyLWJ5dGVzISE=";

const char* acme_script = R"(
function assistant(call)
  if call.to == '+15550999' then return { error = 'closed' } end
  return { first_message = 'Hello from Acme', system_prompt = 'replaced by the prompt hook',
           model = 'gpt-realtime-mini', voice_id = 'cedar', tools = { 'get_office_hours' } }
end

function prompt(call)
  return 'You answer the phone for Acme. The caller is ' .. call.from .. '.'
end
)";

std::string incoming(const std::string& call_id, const std::string& from, const std::string& to) {
    return R"({"object":"event","id":"evt_)" + call_id + R"(","type":"realtime.call.incoming","created_at":)" +
           std::to_string(unix_now()) + R"(,"data":{"call_id":")" + call_id +
           R"(","sip_headers":[{"name":"From","value":"\"Caller\" <sip:)" + from +
           R"(@carrier.example.test>;tag=a1"},{"name":"To","value":"<sip:)" + to +
           R"(@sip.example.test>"},{"name":"Call-ID","value":"c-)" + call_id + R"(@carrier.example.test"}]}})";
}

struct openai_host {
    fake_openai openai{api_key};
    temp_dir scripts;
    std::unique_ptr<host> h;

    openai_host() {
        scripts.write("orgs/acme.lua", acme_script);
        const std::string section = std::string("      openai_realtime: {webhook_secret: \"") + secret +
                                    "\", api_key: \"" + api_key + "\", base_url: \"" + openai.base_url() + "\"}\n";
        host_options o;
        o.org_yaml = std::string("orgs:\n") +
                     "  - id: acme\n    api_keys: [\"" + acme_key + "\"]\n    plugins:\n" + section +
                     "  - id: globex\n    api_keys: [\"" + globex_key + "\"]\n    plugins:\n" + section +
                     "    answers:\n      assistant_spec:\n        system_prompt: Globex leasing desk.\n"
                     "        voice_id: ash\n        tools: [get_office_hours]\n"
                     "        provider_config: {audio: {input: {transcription: {model: gpt-4o-mini-transcribe}}}}\n";
        o.plugins_yaml = std::string("plugins:\n  directories: [\"") + SB_PLUGIN_DIR +
                         "\"]\n  load:\n    - name: openai_realtime\n      required: true\n"
                         "    - name: tour_scheduling\n      required: true\n";
        o.extra_yaml = "scripting:\n  directory: \"" + scripts.path().string() + "\"\n  reload_interval_ms: 0\n";
        h = std::make_unique<host>(db_kind::sqlite, o);
        h->start();
    }

    http_response post(const std::string& org, const std::string& body, std::map<std::string, std::string> headers) {
        headers["Content-Type"] = "application/json";
        headers["User-Agent"] = "OpenAI/1.0 (+https://platform.openai.com/docs/webhooks)";
        http_client c("127.0.0.1", h->port());
        return c.request("POST", "/webhooks/openai_realtime/" + org, body, headers);
    }

    http_response deliver(const std::string& org, const std::string& body, const std::string& webhook_id) {
        return post(org, body, openai_webhook_headers(secret, webhook_id, body, unix_now()));
    }
};

}  // namespace

TEST_CASE("openai_realtime: an incoming SIP call is accepted with the session the org's Lua hooks build",
          "[openai][integration]") {
    openai_host s;
    const std::string body = incoming("rtc_it_1", "+15550100", "+15550199");
    auto r = s.deliver("acme", body, "wh_it_1");
    INFO(r.body << "\nhost log:\n" << s.h->log());
    REQUIRE(r.status == 200);
    CHECK(json::parse(r.body).at("action") == "accepted");

    REQUIRE(s.openai.count("POST", "/v1/realtime/calls/rtc_it_1/accept") == 1);
    auto accept = s.openai.last("POST", "/v1/realtime/calls/rtc_it_1/accept");
    CHECK(accept.header("authorization") == std::string("Bearer ") + api_key);
    CHECK(accept.header("content-type") == "application/json");
    auto session = accept.json();
    CHECK(session.at("type") == "realtime");
    CHECK(session.at("model") == "gpt-realtime-mini");
    // The prompt hook wrote the instructions, with the caller's number from the From header.
    CHECK(session.at("instructions") == "You answer the phone for Acme. The caller is +15550100.");
    CHECK(session.at("audio") == json::parse(R"({"output":{"voice":"cedar"}})"));
    CHECK(session.at("tool_choice") == "auto");
    auto const& tools = session.at("tools").as_array();
    REQUIRE(tools.size() == 1);
    CHECK(tools[0] == json::parse(R"({"type":"function","name":"get_office_hours",
        "description":"Tell the caller when the office is open.",
        "parameters":{"type":"object","properties":{},"required":[]}})"));
    // OpenAI's accept has no greeting field: the first message is not sent.
    CHECK(accept.body.find("Hello from Acme") == std::string::npos);

    // A redelivery (same webhook-id, fresh timestamp and signature) accepts nothing twice.
    auto again = s.deliver("acme", body, "wh_it_1");
    CHECK(again.status == 200);
    CHECK(again.body == r.body);
    CHECK(s.openai.count("POST", "/v1/realtime/calls/") == 1);

    // The call is stored with its numbers (written right behind the answer).
    std::string calls;
    for (int i = 0; i < 100 && calls.find("rtc_it_1") == std::string::npos; ++i) {
        if (i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        calls = s.h->get("/api/v1/calls", acme_key).body;
    }
    INFO(calls);
    CHECK(calls.find("rtc_it_1") != std::string::npos);
    CHECK(calls.find("+15550100") != std::string::npos);
}

TEST_CASE("openai_realtime: the assistant hook's error rejects the call, an org without a script uses its YAML spec",
          "[openai][integration]") {
    openai_host s;
    auto closed = s.deliver("acme", incoming("rtc_it_closed", "+15550100", "+15550999"), "wh_it_2");
    INFO(closed.body << "\nhost log:\n" << s.h->log());
    REQUIRE(closed.status == 200);
    CHECK(json::parse(closed.body).at("action") == "rejected");
    CHECK(s.openai.rejected() == std::map<std::string, int>{{"rtc_it_closed", 603}});
    CHECK(s.openai.accepted().empty());
    CHECK(s.openai.last("POST", "/v1/realtime/calls/rtc_it_closed/reject").header("authorization") ==
          std::string("Bearer ") + api_key);

    auto globex = s.deliver("globex", incoming("rtc_it_globex", "+15550111", "+15550222"), "wh_it_3");
    REQUIRE(globex.status == 200);
    auto accepted = s.openai.accepted();
    REQUIRE(accepted.count("rtc_it_globex") == 1);
    auto const& session = accepted.at("rtc_it_globex");
    CHECK(session.at("type") == "realtime");
    CHECK(session.at("model") == "gpt-realtime");  // the plugin's default
    CHECK(session.at("instructions") == "Globex leasing desk.");
    CHECK(session.at("audio") ==
          json::parse(R"({"output":{"voice":"ash"},"input":{"transcription":{"model":"gpt-4o-mini-transcribe"}}})"));
    CHECK(session.at("tools").as_array().at(0).at("name") == "get_office_hours");
}

TEST_CASE("openai_realtime: unsigned, badly signed or stale webhooks get 401 and call nothing",
          "[openai][integration]") {
    openai_host s;
    const std::string body = incoming("rtc_it_forged", "+15550100", "+15550199");

    auto unsigned_ = s.post("acme", body, {});
    CHECK(unsigned_.status == 401);
    CHECK_THAT(unsigned_.body, Catch::Contains("missing webhook-id"));

    auto wrong = s.post("acme", body,
                        openai_webhook_headers("whsec_b3RoZXIta2V5LW9mLXRoaXJ0eS10d28tYnl0ZXMh", "wh_f1", body, unix_now()));
    CHECK(wrong.status == 401);
    CHECK_THAT(wrong.body, Catch::Contains("no matching webhook signature"));

    auto stale = s.post("acme", body, openai_webhook_headers(secret, "wh_f2", body, unix_now() - 3600));
    CHECK(stale.status == 401);
    CHECK_THAT(stale.body, Catch::Contains("too old"));

    // The right signature over other bytes.
    auto headers = openai_webhook_headers(secret, "wh_f3", body, unix_now());
    auto tampered = s.post("acme", incoming("rtc_it_forged", "+15550100", "+15550198"), headers);
    CHECK(tampered.status == 401);
    // A Bearer token is no credential here.
    auto bearer = s.post("acme", body, {{"Authorization", std::string("Bearer ") + secret}});
    CHECK(bearer.status == 401);

    CHECK(s.openai.requests().empty());
    CHECK(s.h->log().find(secret) == std::string::npos);

    // Other event types are acknowledged and call nothing.
    const std::string other = R"({"object":"event","id":"evt_o","type":"realtime.call.ended","created_at":1,"data":{}})";
    auto ack = s.deliver("acme", other, "wh_o1");
    CHECK(ack.status == 200);
    CHECK(s.openai.requests().empty());
}
