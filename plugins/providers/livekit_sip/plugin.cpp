// The livekit_sip plugin: descriptor, config keys (docs/plugin-keys.md) and export.
#include "livekit_sip_provider.hpp"

#include <switchboard/plugin.hpp>

#include <memory>

namespace {

using switchboard::sdk::config_key;
using switchboard::sdk::config_type;

constexpr config_key keys[] = {
    {"url", config_type::string, false, R"("http://127.0.0.1:7880")", "LiveKit server URL", false},
    {"api_key", config_type::string, false, nullptr, "LiveKit API key (also the webhook JWT issuer)", false},
    {"api_secret", config_type::string, false, nullptr, "LiveKit API secret (signs API tokens, verifies webhooks)",
     true},
    {"sip_trunk_id", config_type::string, false, nullptr, "outbound SIP trunk", false},
    {"agent_name", config_type::string, false, R"("switchboard-agent")", "agent dispatched into rooms", false},
};

std::unique_ptr<switchboard::sdk::provider> make(const switchboard::sdk::plugin_context& ctx) {
    return std::make_unique<switchboard::plugins::livekit_sip::livekit_sip_provider>(ctx.config);
}

const switchboard::sdk::plugin_descriptor descriptor{
    switchboard::sdk::plugin_kind::provider,
    "livekit_sip",
    "0.1.0",
    "LiveKit SIP webhooks: event type, ack (webhook JWT check and SIP calls pending)",
    keys,
    std::size(keys),
    &make,
    nullptr,
};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
