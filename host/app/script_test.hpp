// `switchboard script test <org> <scenario.yaml>`: runs an organisation's script
// hooks against a scripted call, offline, through the same decisions the host takes
// (calls::call_flow), prints each decision and checks the scenario's expectations.
// The format is in docs/lua-guide.md ("Testing a script offline").
#pragma once

#include <string>
#include <vector>

namespace switchboard::app {

inline constexpr int exit_expectation_failed = 1;  // exit_config (2): unreadable scenario, config or script

// args: what follows `script` on the command line ("test", org, file, options).
int script_command(const std::string& config_path, const std::vector<std::string>& args);

}  // namespace switchboard::app
