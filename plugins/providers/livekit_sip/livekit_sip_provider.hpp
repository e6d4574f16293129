// LiveKit SIP's webhook dialect. Today: a Bearer check against webhook_secret when one is
// configured, the event type of each webhook, and the "ack" answer. The full mapping
// (room and participant events, the signed webhook JWT checked with api_secret, SIP dispatch) comes with the provider work.
#pragma once

#include <switchboard/provider.hpp>

#include <boost/json/object.hpp>

namespace switchboard::plugins::livekit_sip {

class livekit_sip_provider final : public sdk::provider {
public:
    explicit livekit_sip_provider(boost::json::object config) : config_(std::move(config)) {}

    sdk::verification verify(const sdk::webhook_request& request) const override;
    sdk::parsed_webhook parse(const sdk::webhook_request& request) const override;
    sdk::webhook_response render(const sdk::webhook_request& request,
                                 const sdk::webhook_answer& answer) const override;

private:
    boost::json::object config_;  // global section; per-org settings come with each request
};

}  // namespace switchboard::plugins::livekit_sip
