// Wiring: builds the store, plugins, auth, routes and server from a config, and
// runs them until SIGINT/SIGTERM. The CLI commands are thin calls into this.
#pragma once

#include <string>

namespace switchboard::app {

// Each returns the process exit code and writes its own diagnostics.
int serve(const std::string& config_path);
int check_config(const std::string& config_path);
int migrate(const std::string& config_path);
int list_plugins(const std::string& config_path);
// `replay` lives in replay.hpp.

}  // namespace switchboard::app
