// The vapi provider: wires the dialect (vapi_dialect), the answers (vapi_answers)
// and the webhook check (vapi_auth) into sdk::provider. Stateless apart from the
// host services it borrows, so one object serves every org and thread.
#pragma once

#include <switchboard/host_services.hpp>
#include <switchboard/provider.hpp>

#include <boost/json/object.hpp>

namespace switchboard::plugins::vapi {

class vapi_rest;

class vapi_provider final : public sdk::provider {
public:
    // `host` may be null (tools that load the plugin alone): the system clock is used.
    vapi_provider(boost::json::object config, sdk::host_services* host);

    sdk::verification verify(const sdk::webhook_request& request) const override;
    sdk::parsed_webhook parse(const sdk::webhook_request& request) const override;
    sdk::webhook_response render(const sdk::webhook_request& request, const sdk::webhook_answer& answer) const override;
    bool matches_org(const sdk::webhook_request& request) const override;

    // Calling out (vapi_rest): one REST session per call, from the org's settings.
    sdk::remote_assistant create_assistant(const sdk::org_context& org, const sdk::assistant_spec& spec) const override;
    sdk::remote_assistant get_assistant(const sdk::org_context& org, std::string_view id) const override;
    sdk::remote_assistant update_assistant(const sdk::org_context& org, std::string_view id,
                                           const sdk::assistant_spec& spec) const override;
    void delete_assistant(const sdk::org_context& org, std::string_view id) const override;
    boost::json::array list_assistants(const sdk::org_context& org, int limit) const override;
    sdk::placed_call place_call(const sdk::org_context& org, const sdk::outbound_call_request& request) const override;
    boost::json::object get_call(const sdk::org_context& org, std::string_view id) const override;
    boost::json::array list_calls(const sdk::org_context& org, const sdk::call_query& query) const override;

private:
    vapi_rest rest(const sdk::org_context& org) const;

    boost::json::object config_;  // global section; per-org settings come with each request
    sdk::host_services* host_;    // outlives this object (plugin_context contract)
};

}  // namespace switchboard::plugins::vapi
