// Vapi's webhook dialect. Today: the shared-secret check, the message type of each
// webhook, and the "ack" answer. The full mapping (status, transcripts, tool calls,
// end-of-call report, HMAC signatures) comes with the provider work.
#pragma once

#include <switchboard/provider.hpp>

#include <boost/json/object.hpp>

namespace switchboard::plugins::vapi {

class vapi_provider final : public sdk::provider {
public:
    explicit vapi_provider(boost::json::object config) : config_(std::move(config)) {}

    sdk::verification verify(const sdk::webhook_request& request) const override;
    std::vector<sdk::call_event> parse(const sdk::webhook_request& request) const override;
    sdk::webhook_response render(const sdk::webhook_answer& answer) const override;

private:
    boost::json::object config_;  // global section; per-org settings come with each request
};

}  // namespace switchboard::plugins::vapi
