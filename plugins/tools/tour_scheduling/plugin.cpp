// The tour_scheduling plugin: descriptor, config keys (docs/plugin-keys.md) and export.
#include "tour_scheduling_tool.hpp"

#include <switchboard/plugin.hpp>

#include <memory>

namespace {

using switchboard::sdk::config_key;
using switchboard::sdk::config_type;

constexpr config_key keys[] = {
    {"slot_minutes", config_type::integer, false, "30", "length of a tour slot", false},
    {"business_hours", config_type::string, false, R"("09:00-17:00")", "bookable hours", false},
    {"timezone", config_type::string, false, R"("UTC")", "timezone of business_hours", false},
    {"business_days", config_type::string, false, R"("Monday to Saturday")", "days the office opens", false},
};

std::unique_ptr<switchboard::sdk::tool> make(const switchboard::sdk::plugin_context& ctx) {
    return std::make_unique<switchboard::plugins::tour_scheduling::tour_scheduling_tool>(ctx.config);
}

const switchboard::sdk::plugin_descriptor descriptor{
    switchboard::sdk::plugin_kind::tool,
    "tour_scheduling",
    "0.1.0",
    "check_availability, schedule_tour, qualify_lead (specs final; behaviour pending)",
    keys,
    std::size(keys),
    nullptr,
    &make,
};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
