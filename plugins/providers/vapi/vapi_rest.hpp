// Calling Vapi's REST API (protocol page, section 5) through host_services::http:
// assistants and outbound calls. The body builders and the error mapping are free
// functions so tests check them without a network.
#pragma once

#include <switchboard/host_services.hpp>
#include <switchboard/provider_api.hpp>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace switchboard::plugins::vapi {

// Canonical fields -> CreateAssistantDTO (also the PATCH body): name, firstMessage,
// model {provider, model, messages: [{role: system, content}]}, voice {provider,
// voiceId}, metadata, model.tools [{type: function, function: {name, description,
// parameters}}]; then spec.provider_config deep-merged over that.
boost::json::object assistant_body(const sdk::assistant_spec& spec);

// -> CreateCallDTO: phoneNumberId, customer {number, name?}, assistantId | assistant,
// assistantOverrides {variableValues?, metadata?}, name?. Vapi has no top-level
// metadata: it goes into assistantOverrides.metadata.
boost::json::object call_body(const sdk::outbound_call_request& request, std::string_view phone_number_id);

// The host-facing error for a failed exchange. `what` names the thing asked for,
// e.g. "assistant 'a1'" or "call". Never includes the API key.
sdk::provider_api_error error_for(const sdk::http_response& response, std::string_view what);

// The text of a NestJS error body: `message` (a string, or an array joined by "; "),
// else `error`; empty when the body says nothing readable.
std::string error_message(std::string_view body);


// One org's REST session: its key and base URL, read from its merged settings.
// Cheap to make per call: it holds no connection, only the settings it read.
class vapi_rest {
public:
    // Throws provider_api_error(422) naming the config key when there is no api_key.
    vapi_rest(sdk::host_services& host, const sdk::org_context& org);

    sdk::remote_assistant create_assistant(const sdk::assistant_spec& spec);
    sdk::remote_assistant get_assistant(std::string_view id);
    sdk::remote_assistant update_assistant(std::string_view id, const sdk::assistant_spec& spec);
    void delete_assistant(std::string_view id);
    boost::json::array list_assistants(int limit);

    sdk::placed_call place_call(const sdk::outbound_call_request& request);
    boost::json::object get_call(std::string_view id);
    boost::json::array list_calls(const sdk::call_query& query);

    // The number calls go out from when the request names none:
    // outbound_phone_number_id, else phone_number_ids[0], else 422.
    std::string default_phone_number_id() const;

private:
    // One request; the parsed JSON answer of a 2xx, else throws error_for(...).
    boost::json::value exchange(std::string method, const std::string& path, const boost::json::object* body,
                                std::string_view what);

    sdk::host_services& host_;
    const boost::json::object* settings_;
    std::string org_;
    std::string base_url_;
    std::string api_key_;
};

}  // namespace switchboard::plugins::vapi
