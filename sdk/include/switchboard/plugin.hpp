// The one thing a plugin exports: a descriptor saying what it is, which config keys
// it reads, and how to make it. The host checks `switchboard_abi_version` before it
// touches anything else in the library.
#pragma once

#include <switchboard/abi_version.hpp>  // generated from these headers' text
#include <switchboard/host_services.hpp>
#include <switchboard/provider.hpp>
#include <switchboard/tool.hpp>

#include <boost/config.hpp>
#include <boost/json/object.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>

namespace switchboard::sdk {

enum class plugin_kind : std::uint8_t { provider, tool };

enum class config_type : std::uint8_t { string, integer, number, boolean, list, object };

// One config key a plugin reads. The table drives YAML validation, defaults and
// `switchboard plugins` output.
struct config_key {
    const char* name;
    config_type type;
    bool required;
    const char* default_json;  // JSON text of the default, or nullptr for none
    const char* description;
    bool secret;  // never printed, never logged
};

// Handed to the factory. `config` is the plugin's YAML section as JSON, validated
// and with defaults filled in. `host` outlives the plugin's objects.
struct plugin_context {
    host_services* host = nullptr;
    boost::json::object config;
};

struct plugin_descriptor {
    plugin_kind kind;
    const char* name;  // unique across loaded plugins, e.g. "vapi"
    const char* version;
    const char* description;
    const config_key* config_keys;
    std::size_t config_key_count;
    // Exactly one factory is set, matching `kind`. A factory may throw; the host
    // reports it and refuses the plugin.
    std::unique_ptr<provider> (*make_provider)(const plugin_context&);
    std::unique_ptr<tool> (*make_tool)(const plugin_context&);
};

}  // namespace switchboard::sdk

// Symbol names the host looks up.
#define SWITCHBOARD_ABI_SYMBOL "switchboard_abi_version"
#define SWITCHBOARD_ENTRY_SYMBOL "switchboard_plugin"

// Exports a plugin: SWITCHBOARD_PLUGIN(my_descriptor) where my_descriptor is a
// `const switchboard::sdk::plugin_descriptor` with static storage.
#define SWITCHBOARD_PLUGIN(descriptor)                                                              \
    extern "C" {                                                                                    \
    BOOST_SYMBOL_EXPORT extern const std::uint64_t switchboard_abi_version;                         \
    const std::uint64_t switchboard_abi_version = ::switchboard::sdk::abi_version;                    \
    BOOST_SYMBOL_EXPORT const ::switchboard::sdk::plugin_descriptor* switchboard_plugin() noexcept {  \
        return &(descriptor);                                                                       \
    }                                                                                               \
    }
