// The escalation plugin: descriptor, config keys (docs/plugin-keys.md) and export.
#include "escalation_tool.hpp"

#include <switchboard/plugin.hpp>

#include <memory>

namespace {

using switchboard::sdk::config_key;
using switchboard::sdk::config_type;

constexpr config_key keys[] = {
    {"emergency_keywords", config_type::list, false, "[]", "words that escalate at once", false},
    {"high_priority_keywords", config_type::list, false, "[]", "words that raise urgency", false},
    {"transfer_number", config_type::string, false, nullptr, "where a human answers (a phone number)", true},
    {"max_uncertain_turns", config_type::integer, false, "2", "assistant turns of uncertainty before escalating", false},
};

std::unique_ptr<switchboard::sdk::tool> make(const switchboard::sdk::plugin_context& ctx) {
    return std::make_unique<switchboard::plugins::escalation::escalation_tool>(ctx.config);
}

const switchboard::sdk::plugin_descriptor descriptor{
    switchboard::sdk::plugin_kind::tool,
    "escalation",
    "0.1.0",
    "transfer_to_human, escalate (specs final; behaviour pending)",
    keys,
    std::size(keys),
    nullptr,
    &make,
};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
