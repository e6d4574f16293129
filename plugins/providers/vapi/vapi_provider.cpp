#include "vapi_provider.hpp"

#include <switchboard/plugin_helpers.hpp>

#include <boost/json/serialize.hpp>

namespace switchboard::plugins::vapi {

sdk::verification vapi_provider::verify(const sdk::webhook_request& request) const {
    const std::string_view secret = sdk::string_setting(request.settings, "webhook_secret");
    if (secret.empty()) return {true, "no webhook_secret configured"};

    std::string_view presented = request.header("x-vapi-secret");
    if (presented.empty()) presented = sdk::bearer_token(request);
    if (presented.empty()) return {false, "vapi: missing X-Vapi-Secret or Authorization: Bearer header"};
    if (!sdk::constant_time_equal(presented, secret)) return {false, "vapi: webhook secret does not match"};
    return {true, {}};
}

std::vector<sdk::call_event> vapi_provider::parse(const sdk::webhook_request& request) const {
    const boost::json::object body = sdk::parse_json_object(request.body, "vapi");

    sdk::call_event event;
    event.body = sdk::unknown_event{};
    if (auto* message = body.if_contains("message"); message && message->is_object())
        if (auto* type = message->as_object().if_contains("type"); type && type->is_string())
            event.type = type->get_string();
    return {std::move(event)};
}

sdk::webhook_response vapi_provider::render(const sdk::webhook_answer& answer) const {
    if (answer.kind == "ack") return {200, "application/json", R"({"ok":true})"};
    boost::json::object error{{"error", "vapi: answer kind '" + answer.kind + "' is not supported yet"}};
    return {501, "application/json", boost::json::serialize(error)};
}

}  // namespace switchboard::plugins::vapi
