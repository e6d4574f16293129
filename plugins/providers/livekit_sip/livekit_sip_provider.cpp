#include "livekit_sip_provider.hpp"

#include <switchboard/plugin_helpers.hpp>

#include <boost/json/serialize.hpp>

namespace switchboard::plugins::livekit_sip {

sdk::verification livekit_sip_provider::verify(const sdk::webhook_request& request) const {
    const std::string_view secret = sdk::string_setting(request.settings, "webhook_secret");
    if (secret.empty()) return {true, "no webhook_secret configured"};
    const std::string_view presented = sdk::bearer_token(request);
    if (presented.empty()) return {false, "livekit_sip: missing Authorization: Bearer header"};
    if (!sdk::constant_time_equal(presented, secret)) return {false, "livekit_sip: webhook secret does not match"};
    return {true, {}};
}

sdk::parsed_webhook livekit_sip_provider::parse(const sdk::webhook_request& request) const {
    const boost::json::object body = sdk::parse_json_object(request.body, "livekit_sip");

    sdk::call_event event;
    event.body = sdk::unknown_event{};
    if (auto* type = body.if_contains("event"); type && type->is_string())
        event.type = type->get_string();
    sdk::parsed_webhook out;
    out.events.push_back(std::move(event));
    return out;
}

sdk::webhook_response livekit_sip_provider::render(const sdk::webhook_request&, const sdk::webhook_answer& answer) const {
    // Answers (assistant, tools, transfers) come with this provider's dialect.
    const bool has_answer = answer.assistant || !answer.tool_results.empty() || answer.transfer || answer.documents;
    if (!has_answer) return {200, "application/json", R"({"ok":true})"};
    boost::json::object error{{"error", "livekit_sip: answers are not supported yet"}};
    return {501, "application/json", boost::json::serialize(error)};
}

}  // namespace switchboard::plugins::livekit_sip
