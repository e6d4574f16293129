// Start-up steps shared by the commands that build a host from a config (serve,
// check-config, migrate, plugins, replay): each prints why it failed.
#pragma once

#include "host/config/config.hpp"

#include <optional>
#include <string>

namespace switchboard::plugins { class registry; }
namespace switchboard::store { class store; }
namespace switchboard::knowledge { struct library_options; }

namespace switchboard::app {

inline constexpr int exit_config = 2;   // the config (or a required plugin) is wrong
inline constexpr int exit_runtime = 1;  // the store or the listen address failed

// The config, or nullopt after printing every problem with file and line.
std::optional<config::config> read_config(const std::string& path);

// Loads the plugins the config names and validates their sections. Returns false
// (after printing why) when a required plugin failed or a section is invalid.
bool load_plugins(plugins::registry& registry, config::config& cfg, bool print_failures);

// The knowledge library's settings: knowledge.directory, else "knowledge" beside the
// SQLite file, else var/knowledge in the working directory (as the default database).
knowledge::library_options knowledge_options(const config::config& cfg);

// Organisations from YAML become rows, keeping settings edited through the API.
void sync_orgs(store::store& db, const config::config& cfg);

}  // namespace switchboard::app
