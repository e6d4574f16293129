// The openai_realtime provider: wires the signature check (openai_signature), the
// webhook dialect (openai_dialect) and call control (openai_calls) into
// sdk::provider. SIP calls arrive as signed `realtime.call.incoming` webhooks and are
// accepted over REST with the session the org's call flow chose. What happens during
// the call (tools, transcripts, transfers) travels on the sideband WebSocket, which
// is not implemented yet (docs/providers/openai-realtime.md).
#pragma once

#include <switchboard/host_services.hpp>
#include <switchboard/provider.hpp>

#include <boost/json/object.hpp>

namespace switchboard::plugins::openai_realtime {

class openai_realtime_provider final : public sdk::provider {
public:
    // `host` may be null (tools that load the plugin alone): the system clock is used
    // and calls cannot be accepted.
    openai_realtime_provider(boost::json::object config, sdk::host_services* host)
        : config_(std::move(config)), host_(host) {}

    sdk::verification verify(const sdk::webhook_request& request) const override;
    sdk::parsed_webhook parse(const sdk::webhook_request& request) const override;
    sdk::webhook_response render(const sdk::webhook_request& request,
                                 const sdk::webhook_answer& answer) const override;

private:
    // The org's merged section, or the global one when the request has none.
    const boost::json::object* settings(const sdk::webhook_request& request) const {
        return request.settings ? request.settings : &config_;
    }

    boost::json::object config_;  // global section; per-org settings come with each request
    sdk::host_services* host_;    // outlives this object (plugin_context contract)
};

}  // namespace switchboard::plugins::openai_realtime
