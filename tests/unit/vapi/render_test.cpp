// Answers in Vapi's shapes, and routing of webhooks that name no org.
#include "vapi_test_support.hpp"

#include <boost/json/serialize.hpp>

using namespace vapi_test;

namespace {

const std::string tool_calls_body =
    R"({"message":{"type":"tool-calls","toolCallList":[{"id":"call_1","function":{"name":"get_hours","arguments":{}}}],"call":{"id":"c"}}})";
const std::string function_call_body =
    R"({"message":{"type":"function-call","functionCall":{"name":"get_hours","parameters":"{}"},"call":{"id":"c"}}})";
const std::string generic_body = R"({"message":{"type":"assistant-request","call":{"id":"c"}}})";

boost::json::value rendered(const std::string& body, const sdk::webhook_answer& answer) {
    owned_request r;
    r.body = body;
    auto resp = vapi().render(r.view(), answer);
    CHECK(resp.status == 200);
    CHECK(resp.content_type == "application/json");
    return boost::json::parse(resp.body);
}

}  // namespace

TEST_CASE("render: nothing to answer is 200 {}", "[vapi][render]") {
    CHECK(rendered(generic_body, {}) == boost::json::object{});
    owned_request r;
    r.body = "not json at all";  // render never needs to read the body for an ack
    CHECK(vapi().render(r.view(), {}).body == "{}");
}

TEST_CASE("render: tool results, one line each, failures still as result", "[vapi][render]") {
    sdk::webhook_answer a;
    a.tool_results.push_back({"call_1", "get_hours", "Open 10 to 4\non Sunday.\r\nClosed Monday.", true});
    a.tool_results.push_back({"call_2", "schedule_tour", "I couldn't book that; a person will call you back.", false});
    auto v = rendered(tool_calls_body, a);
    CHECK(v == boost::json::parse(R"({"results":[
        {"name":"get_hours","toolCallId":"call_1","result":"Open 10 to 4 on Sunday. Closed Monday."},
        {"name":"schedule_tour","toolCallId":"call_2","result":"I couldn't book that; a person will call you back."}]})"));
    CHECK_FALSE(v.as_object().contains("error"));

    // A legacy function-call takes one string.
    sdk::webhook_answer one;
    one.tool_results.push_back({"", "get_hours", "Open\n10 to 4.", true});
    CHECK(rendered(function_call_body, one) == boost::json::parse(R"({"result":"Open 10 to 4."})"));
}

TEST_CASE("render: assistant choices", "[vapi][render]") {
    sdk::webhook_answer saved;
    saved.assistant = sdk::assistant_choice{};
    saved.assistant->assistant_id = "asst_1";
    CHECK(rendered(generic_body, saved) == boost::json::parse(R"({"assistantId":"asst_1"})"));

    saved.assistant->overrides = {{"variableValues", {{"propertyName", "Maple Court"}}}};
    CHECK(rendered(generic_body, saved) ==
          boost::json::parse(R"({"assistantId":"asst_1","assistantOverrides":{"variableValues":{"propertyName":"Maple Court"}}})"));

    sdk::webhook_answer transient;
    transient.assistant = sdk::assistant_choice{};
    transient.assistant->assistant = {{"firstMessage", "Hello!"}, {"model", {{"provider", "openai"}}}};
    auto v = rendered(generic_body, transient);
    auto const& asst = v.at("assistant").as_object();
    CHECK(asst.at("firstMessage").as_string() == "Hello!");
    auto const& subscribed = asst.at("serverMessages").as_array();  // added: else no end-of-call-report
    for (auto want : {"end-of-call-report", "status-update", "tool-calls", "transfer-destination-request"})
        CHECK(std::find(subscribed.begin(), subscribed.end(), boost::json::value(want)) != subscribed.end());
    CHECK(std::find(subscribed.begin(), subscribed.end(), boost::json::value("phone-call-control")) ==
          subscribed.end());
    CHECK_FALSE(v.as_object().contains("assistantId"));

    // An assistant that names its own list keeps it.
    transient.assistant->assistant["serverMessages"] = boost::json::array{"end-of-call-report"};
    CHECK(rendered(generic_body, transient).at("assistant").at("serverMessages") ==
          boost::json::array{"end-of-call-report"});

    sdk::webhook_answer refused;
    refused.assistant = sdk::assistant_choice{};
    refused.assistant->assistant_id = "ignored";
    refused.assistant->error = "We are closed today.";
    CHECK(rendered(generic_body, refused) == boost::json::parse(R"({"error":"We are closed today."})"));

    sdk::webhook_answer empty_choice;
    empty_choice.assistant = sdk::assistant_choice{};
    CHECK(rendered(generic_body, empty_choice).as_object().contains("error"));
}

TEST_CASE("render: transfer destinations", "[vapi][render]") {
    sdk::webhook_answer number;
    number.transfer = sdk::transfer_destination{};
    number.transfer->number = "+15555550199";
    CHECK(rendered(generic_body, number) ==
          boost::json::parse(R"({"destination":{"type":"number","number":"+15555550199"}})"));
    number.transfer->message = "Connecting you now.";
    CHECK(rendered(generic_body, number) ==
          boost::json::parse(R"({"destination":{"type":"number","number":"+15555550199","message":"Connecting you now."}})"));

    sdk::webhook_answer sip;
    sip.transfer = sdk::transfer_destination{};
    sip.transfer->type = "sip";
    sip.transfer->sip_uri = "sip:desk@example.test";
    CHECK(rendered(generic_body, sip) ==
          boost::json::parse(R"({"destination":{"type":"sip","sipUri":"sip:desk@example.test"}})"));

    sdk::webhook_answer refused;
    refused.transfer = sdk::transfer_destination{};
    refused.transfer->error = "No one is available.";
    CHECK(rendered(generic_body, refused) == boost::json::parse(R"({"error":"No one is available."})"));
}

TEST_CASE("render: knowledge documents", "[vapi][render]") {
    sdk::webhook_answer a;
    a.documents = std::vector<sdk::knowledge_document>{{"Covered parking is $75 a month.", 0.91, "kb-parking-1"},
                                                       {"Cats are welcome.", 0.5, ""}};
    auto v = rendered(generic_body, a);
    auto const& docs = v.at("documents").as_array();
    REQUIRE(docs.size() == 2);
    CHECK(docs[0].at("content").as_string() == "Covered parking is $75 a month.");
    CHECK(docs[0].at("similarity").as_double() == Approx(0.91));
    CHECK(docs[0].at("uuid").as_string() == "kb-parking-1");
    CHECK_FALSE(docs[1].as_object().contains("uuid"));
    sdk::webhook_answer none;
    none.documents.emplace();
    CHECK(rendered(generic_body, none) == boost::json::parse(R"({"documents":[]})"));
}

TEST_CASE("matches_org: by assistant id or phone number id", "[vapi][routing]") {
    owned_request r;
    r.settings = {{"assistant_ids", boost::json::array{"asst_mine", "asst_other"}},
                  {"phone_number_ids", boost::json::array{"pn_mine"}}};
    auto matches = [&](std::string body) {
        r.body = std::move(body);
        return vapi().matches_org(r.view());
    };
    CHECK(matches(R"({"message":{"type":"hang","call":{"id":"c","assistantId":"asst_mine"}}})"));
    CHECK(matches(R"({"message":{"type":"hang","call":{"id":"c"},"assistant":{"id":"asst_other"}}})"));
    CHECK(matches(R"({"message":{"type":"assistant-request","call":{"id":"c","phoneNumberId":"pn_mine"}}})"));
    CHECK(matches(R"({"message":{"type":"assistant-request","call":{"id":"c"},"phoneNumber":{"id":"pn_mine"}}})"));
    CHECK(matches(R"({"type":"hang","call":{"id":"c","assistantId":"asst_mine"}})"));  // no envelope
    CHECK_FALSE(matches(R"({"message":{"type":"hang","call":{"id":"c","assistantId":"asst_theirs","phoneNumberId":"pn_theirs"}}})"));
    CHECK_FALSE(matches(R"({"message":{"type":"hang","call":{"id":"c","assistantId":"pn_mine"}}})"));  // wrong list
    CHECK_FALSE(matches(R"({"message":{"type":"chat.created"}})"));
    CHECK_FALSE(matches("not json"));
    r.settings = {};
    CHECK_FALSE(matches(R"({"message":{"type":"hang","call":{"id":"c","assistantId":"asst_mine"}}})"));
    // The fixtures' inbound call belongs to the org that lists its number.
    r.settings = {{"phone_number_ids", boost::json::array{b2}}};
    CHECK(matches(fixture_lines("inbound_call.jsonl").at(0)));
    r.settings = {{"assistant_ids", boost::json::array{a1}}};
    CHECK_FALSE(matches(fixture_lines("inbound_call.jsonl").at(0)));  // assistant-request: not chosen yet
    CHECK(matches(fixture_lines("inbound_call.jsonl").at(2)));
}
