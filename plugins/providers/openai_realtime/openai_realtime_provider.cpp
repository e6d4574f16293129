#include "openai_realtime_provider.hpp"

#include <switchboard/plugin_helpers.hpp>

#include <boost/json/serialize.hpp>

namespace switchboard::plugins::openai_realtime {

sdk::verification openai_realtime_provider::verify(const sdk::webhook_request& request) const {
    const std::string_view secret = sdk::string_setting(request.settings, "webhook_secret");
    if (secret.empty()) return {true, "no webhook_secret configured"};
    const std::string_view presented = sdk::bearer_token(request);
    if (presented.empty()) return {false, "openai_realtime: missing Authorization: Bearer header"};
    if (!sdk::constant_time_equal(presented, secret)) return {false, "openai_realtime: webhook secret does not match"};
    return {true, {}};
}

sdk::parsed_webhook openai_realtime_provider::parse(const sdk::webhook_request& request) const {
    const boost::json::object body = sdk::parse_json_object(request.body, "openai_realtime");

    sdk::call_event event;
    event.body = sdk::unknown_event{};
    if (auto* type = body.if_contains("type"); type && type->is_string())
        event.type = type->get_string();
    sdk::parsed_webhook out;
    out.events.push_back(std::move(event));
    return out;
}

sdk::webhook_response openai_realtime_provider::render(const sdk::webhook_request&, const sdk::webhook_answer& answer) const {
    // Answers (assistant, tools, transfers) come with this provider's dialect.
    const bool has_answer = answer.assistant || !answer.tool_results.empty() || answer.transfer || answer.documents;
    if (!has_answer) return {200, "application/json", R"({"ok":true})"};
    boost::json::object error{{"error", "openai_realtime: answers are not supported yet"}};
    return {501, "application/json", boost::json::serialize(error)};
}

}  // namespace switchboard::plugins::openai_realtime
