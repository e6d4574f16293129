// The openai_realtime plugin: descriptor, config keys (docs/plugin-keys.md) and export.
#include "openai_realtime_provider.hpp"

#include <switchboard/plugin.hpp>

#include <memory>

namespace {

using switchboard::sdk::config_key;
using switchboard::sdk::config_type;

constexpr config_key keys[] = {
    {"api_key", config_type::string, false, nullptr, "OpenAI API key", true},
    {"base_url", config_type::string, false, R"("https://api.openai.com/v1")", "OpenAI REST base URL", false},
    {"model", config_type::string, false, R"("gpt-4o-realtime-preview")", "realtime model", false},
    {"voice", config_type::string, false, R"("alloy")", "voice", false},
    {"webhook_secret", config_type::string, false, nullptr, "secret of signed webhooks", true},
};

std::unique_ptr<switchboard::sdk::provider> make(const switchboard::sdk::plugin_context& ctx) {
    return std::make_unique<switchboard::plugins::openai_realtime::openai_realtime_provider>(ctx.config);
}

const switchboard::sdk::plugin_descriptor descriptor{
    switchboard::sdk::plugin_kind::provider,
    "openai_realtime",
    "0.1.0",
    "OpenAI Realtime webhooks: Bearer check, event type, ack (sessions and full dialect pending)",
    keys,
    std::size(keys),
    &make,
    nullptr,
};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
