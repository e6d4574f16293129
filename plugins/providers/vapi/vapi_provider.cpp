#include "vapi_provider.hpp"

#include "vapi_answers.hpp"
#include "vapi_auth.hpp"
#include "vapi_dialect.hpp"
#include "vapi_json.hpp"
#include "vapi_rest.hpp"

#include <boost/json/parse.hpp>

#include <stdexcept>

namespace switchboard::plugins::vapi {

namespace {

bool listed(const boost::json::object* settings, std::string_view key, std::string_view id) {
    if (id.empty()) return false;
    const boost::json::array* ids = array_at(settings, key);
    if (!ids) return false;
    for (auto const& v : *ids)
        if (v.is_string() && v.get_string() == id) return true;
    return false;
}

}  // namespace

vapi_provider::vapi_provider(boost::json::object config, sdk::host_services* host)
    : config_(std::move(config)), host_(host) {
    if (auto problem = hmac_settings_problem(&config_); !problem.empty())
        throw std::invalid_argument("vapi: " + problem);
}

sdk::verification vapi_provider::verify(const sdk::webhook_request& request) const {
    return verify_webhook(request, host_ ? host_->now() : std::chrono::system_clock::now());
}

sdk::parsed_webhook vapi_provider::parse(const sdk::webhook_request& request) const {
    return parse_webhook(request.body);
}

sdk::webhook_response vapi_provider::render(const sdk::webhook_request& request,
                                            const sdk::webhook_answer& answer) const {
    std::string type = answer.message_type;
    // Only tool results depend on the request (legacy function-call or tool-calls);
    // read the body again only when the host did not say which it answers.
    if (!answer.tool_results.empty() && type.empty()) {
        boost::system::error_code ec;
        auto body = boost::json::parse(request.body, ec);
        if (!ec && body.is_object()) {
            const boost::json::object* msg = object_at(&body.get_object(), "message");
            if (!msg) msg = &body.get_object();
            type = std::string(string_at(msg, "type"));
        }
    }
    return render_answer(type, answer);
}

bool vapi_provider::matches_org(const sdk::webhook_request& request) const {
    boost::system::error_code ec;
    auto body = boost::json::parse(request.body, ec);
    if (ec || !body.is_object()) return false;
    const boost::json::object* msg = object_at(&body.get_object(), "message");
    if (!msg) msg = &body.get_object();
    const boost::json::object* call = object_at(msg, "call");
    const auto* s = request.settings;
    for (auto id : {string_at(call, "assistantId"), path_string(msg, {"assistant", "id"}),
                    path_string(call, {"assistant", "id"})})
        if (listed(s, "assistant_ids", id)) return true;
    for (auto id : {string_at(call, "phoneNumberId"), path_string(msg, {"phoneNumber", "id"}),
                    path_string(call, {"phoneNumber", "id"})})
        if (listed(s, "phone_number_ids", id)) return true;
    return false;
}

vapi_rest vapi_provider::rest(const sdk::org_context& org) const {
    if (!host_) throw sdk::provider_api_error(502, "vapi: loaded without host services, cannot call out");
    // Settings come merged (org over global); an org without a section still has the global one.
    sdk::org_context merged = org;
    if (!merged.settings) merged.settings = &config_;
    return vapi_rest(*host_, merged);
}

sdk::remote_assistant vapi_provider::create_assistant(const sdk::org_context& org,
                                                      const sdk::assistant_spec& spec) const {
    return rest(org).create_assistant(spec);
}

sdk::remote_assistant vapi_provider::get_assistant(const sdk::org_context& org, std::string_view id) const {
    return rest(org).get_assistant(id);
}

sdk::remote_assistant vapi_provider::update_assistant(const sdk::org_context& org, std::string_view id,
                                                      const sdk::assistant_spec& spec) const {
    return rest(org).update_assistant(id, spec);
}

void vapi_provider::delete_assistant(const sdk::org_context& org, std::string_view id) const {
    rest(org).delete_assistant(id);
}

boost::json::array vapi_provider::list_assistants(const sdk::org_context& org, int limit) const {
    return rest(org).list_assistants(limit);
}

sdk::placed_call vapi_provider::place_call(const sdk::org_context& org,
                                           const sdk::outbound_call_request& request) const {
    return rest(org).place_call(request);
}

boost::json::object vapi_provider::get_call(const sdk::org_context& org, std::string_view id) const {
    return rest(org).get_call(id);
}

boost::json::array vapi_provider::list_calls(const sdk::org_context& org, const sdk::call_query& query) const {
    return rest(org).list_calls(query);
}

}  // namespace switchboard::plugins::vapi
