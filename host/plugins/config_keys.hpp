// The config keys a plugin declares, copied out of the library (so they outlive it),
// and the validation of a plugin's YAML section against them.
#pragma once

#include "host/config/config.hpp"

#include <switchboard/plugin.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins {

struct declared_key {
    std::string name;
    sdk::config_type type = sdk::config_type::string;
    bool required = false;
    std::optional<std::string> default_json;  // JSON text, as declared
    std::string description;
    bool secret = false;
};

declared_key to_declared_key(const sdk::config_key& key);

// "string", "integer", "number", "boolean", "list", "object".
std::string_view to_string(sdk::config_type type) noexcept;

// A plugin's global section (plugins.load[i].config) must hold every required key and
// gets the defaults filled in; an org section (orgs[i].plugins.<name>) only overrides
// the global one, so it is checked for unknown keys and types only.
enum class section_kind { global, org };

// Checks `section` against `keys`: one problem per unknown key, wrong type or missing
// required key, formatted "<file>:<line>: <where.path>.<key>: <reason>" (the key's own
// line when known, else the section's). For a global section, fills the defaults in.
// `plugin` names the plugin in "unknown key for plugin '...'".
std::vector<std::string> validate_plugin_section(config::plugin_section& section,
                                                 const std::vector<declared_key>& keys,
                                                 std::string_view plugin = {},
                                                 section_kind kind = section_kind::global);

}  // namespace switchboard::plugins
