// OpenAI Realtime's webhook dialect. Today: a Bearer check against webhook_secret when one is
// configured, the event type of each webhook, and the "ack" answer. The full mapping
// (session creation, realtime events, signed webhooks) comes with the provider work.
#pragma once

#include <switchboard/provider.hpp>

#include <boost/json/object.hpp>

namespace switchboard::plugins::openai_realtime {

class openai_realtime_provider final : public sdk::provider {
public:
    explicit openai_realtime_provider(boost::json::object config) : config_(std::move(config)) {}

    sdk::verification verify(const sdk::webhook_request& request) const override;
    sdk::parsed_webhook parse(const sdk::webhook_request& request) const override;
    sdk::webhook_response render(const sdk::webhook_request& request,
                                 const sdk::webhook_answer& answer) const override;

private:
    boost::json::object config_;  // global section; per-org settings come with each request
};

}  // namespace switchboard::plugins::openai_realtime
