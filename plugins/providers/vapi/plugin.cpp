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
    {"outbound_phone_number_id", config_type::string, false, nullptr,
     "Vapi phone number id outbound calls go out from (default: phone_number_ids[0])", false},
    {"hmac_algorithm", config_type::string, false, R"("sha256")", "HMAC hash: sha256, sha512 or sha1", false},
    {"signature_header", config_type::string, false, R"("x-signature")", "header carrying the HMAC signature",
     false},
    {"timestamp_header", config_type::string, false, R"("x-timestamp")", "header carrying the signed timestamp",
     false},
    {"payload_format", config_type::string, false, R"("{timestamp}.{body}")",
     "signed text; tokens {body} {timestamp} {method} {url}", false},
    {"signature_prefix", config_type::string, false, R"("")", "prefix before the signature, e.g. \"sha256=\"",
     false},
    {"signature_encoding", config_type::string, false, R"("hex")", "signature encoding: hex or base64", false},
    {"secret_is_base64", config_type::boolean, false, "false", "decode hmac_secret from base64 before use", false},
};

std::unique_ptr<switchboard::sdk::provider> make(const switchboard::sdk::plugin_context& ctx) {
    return std::make_unique<switchboard::plugins::vapi::vapi_provider>(ctx.config, ctx.host);
}

const switchboard::sdk::plugin_descriptor descriptor{
    switchboard::sdk::plugin_kind::provider,
    "vapi",
    "0.1.0",
    "Vapi server messages: secret/HMAC check, statuses, transcripts, tool calls, reports, answers",
    keys,
    std::size(keys),
    &make,
    nullptr,
};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
