#include "openai_realtime_provider.hpp"

#include "openai_calls.hpp"
#include "openai_dialect.hpp"
#include "openai_signature.hpp"

#include <switchboard/plugin_helpers.hpp>

#include <boost/json/serialize.hpp>

namespace switchboard::plugins::openai_realtime {

namespace {

std::int64_t tolerance(const boost::json::object* s) {
    auto const* v = s ? s->if_contains("signature_tolerance_seconds") : nullptr;
    if (v && v->is_int64()) return v->get_int64();
    if (v && v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
    return 300;
}

}  // namespace

sdk::verification openai_realtime_provider::verify(const sdk::webhook_request& request) const {
    const std::string_view secret = sdk::string_setting(settings(request), "webhook_secret");
    if (secret.empty()) return {true, "no webhook_secret configured"};
    const auto now = host_ ? host_->now() : std::chrono::system_clock::now();
    return verify_signature({request.header("webhook-id"), request.header("webhook-timestamp"),
                             request.header("webhook-signature")},
                            request.body, secret, now, tolerance(settings(request)));
}

sdk::parsed_webhook openai_realtime_provider::parse(const sdk::webhook_request& request) const {
    return parse_webhook(request.body, request.header("webhook-id"));
}

sdk::webhook_response openai_realtime_provider::render(const sdk::webhook_request& request,
                                                       const sdk::webhook_answer& answer) const {
    if (answer.assistant) {
        // The answer does not carry the call: it is the webhook's data.call_id.
        const std::string call_id = incoming_call_id(request.body);
        if (call_id.empty() || (!answer.message_type.empty() && answer.message_type != call_incoming)) {
            if (host_)
                host_->log(sdk::log_level::error, "org " + std::string(request.org) +
                                                      ": an assistant answer for a webhook that is no " +
                                                      std::string(call_incoming) + "; nothing to accept");
            return outcome(call_id, "none", 0, "not a realtime.call.incoming webhook");
        }
        if (!host_) return outcome(call_id, "none", 0, "loaded without host services, cannot call out");
        return answer_incoming(*host_, settings(request), request.org, call_id, *answer.assistant);
    }
    if (!answer.tool_results.empty() || answer.transfer || answer.documents) {
        // parse() never asks these: on OpenAI they travel on the sideband WebSocket.
        // 200, not 5xx: a failure status would only make OpenAI redeliver for 72 hours.
        if (host_)
            host_->log(sdk::log_level::warn, "org " + std::string(request.org) +
                                                 ": tool, transfer and knowledge answers go over the sideband, "
                                                 "which is not implemented yet; dropped");
        boost::json::object o{{"ok", false},
                              {"detail", "openai_realtime: tool, transfer and knowledge answers need the sideband "
                                         "WebSocket, which is not supported yet"}};
        return {200, "application/json", boost::json::serialize(o)};
    }
    return {200, "application/json", R"({"ok":true})"};
}

}  // namespace switchboard::plugins::openai_realtime
