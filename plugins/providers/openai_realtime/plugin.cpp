// The openai_realtime plugin: descriptor, config keys (docs/plugin-keys.md) and export.
#include "openai_realtime_provider.hpp"

#include <switchboard/plugin.hpp>

#include <memory>

namespace {

using switchboard::sdk::config_key;
using switchboard::sdk::config_type;

constexpr config_key keys[] = {
    {"api_key", config_type::string, false, nullptr, "OpenAI API key (needed to accept or reject SIP calls)", true},
    {"base_url", config_type::string, false, R"("https://api.openai.com/v1")", "OpenAI REST base URL", false},
    {"model", config_type::string, false, R"("gpt-realtime")", "realtime model when the assistant names none", false},
    {"voice", config_type::string, false, R"("marin")", "voice when the assistant names none", false},
    {"webhook_secret", config_type::string, false, nullptr,
     "whsec_ signing secret of the project webhook (several: space-separated, for rotation)", true},
    {"signature_tolerance_seconds", config_type::integer, false, "300",
     "max age (either way) of a signed webhook's timestamp", false},
};

std::unique_ptr<switchboard::sdk::provider> make(const switchboard::sdk::plugin_context& ctx) {
    return std::make_unique<switchboard::plugins::openai_realtime::openai_realtime_provider>(ctx.config, ctx.host);
}

const switchboard::sdk::plugin_descriptor descriptor{
    switchboard::sdk::plugin_kind::provider,
    "openai_realtime",
    "0.1.0",
    "OpenAI Realtime SIP: signed realtime.call.incoming webhooks, accept/reject with the org's session "
    "(sideband WebSocket pending)",
    keys,
    std::size(keys),
    &make,
    nullptr,
};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
