// The vapi plugin: descriptor, config keys (docs/plugin-keys.md) and export.
#include "vapi_provider.hpp"

#include <switchboard/plugin.hpp>

#include <memory>

namespace {

using switchboard::sdk::config_key;
using switchboard::sdk::config_type;

constexpr config_key keys[] = {
    {"webhook_secret", config_type::string, false, nullptr,
     "expected X-Vapi-Secret / Bearer credential on webhooks", true},
    {"hmac_secret", config_type::string, false, nullptr, "key of the HMAC signature scheme", true},
    {"signature_tolerance_seconds", config_type::integer, false, "300", "max age of a signed webhook's timestamp",
     false},
    {"api_key", config_type::string, false, nullptr, "Vapi REST API key (outbound calls, assistants)", true},
    {"base_url", config_type::string, false, R"("https://api.vapi.ai")", "Vapi REST base URL", false},
    {"assistant_ids", config_type::list, false, "[]", "assistants owned by this org (routes seed webhook paths)",
     false},
    {"phone_number_ids", config_type::list, false, "[]", "phone numbers owned by this org", false},
};

std::unique_ptr<switchboard::sdk::provider> make(const switchboard::sdk::plugin_context& ctx) {
    return std::make_unique<switchboard::plugins::vapi::vapi_provider>(ctx.config);
}

const switchboard::sdk::plugin_descriptor descriptor{
    switchboard::sdk::plugin_kind::provider,
    "vapi",
    "0.1.0",
    "Vapi webhooks: shared-secret check, message type, ack (full dialect pending)",
    keys,
    std::size(keys),
    &make,
    nullptr,
};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
