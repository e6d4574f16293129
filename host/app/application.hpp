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
// Feeds recorded webhooks (one JSON body per line) through the pipeline for `org`,
// as if `provider` had sent them (verification skipped: they are the operator's own
// recordings), then prints the resulting calls.
int replay(const std::string& config_path, const std::string& file, const std::string& org,
           const std::string& provider);

}  // namespace switchboard::app
