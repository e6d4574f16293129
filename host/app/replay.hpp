// `switchboard replay FILE.jsonl`: feeds recorded webhooks through the in-process
// pipeline or, with --url, to a running host; prints one result per line, then the
// resulting calls as JSON. Options and exit codes: replay_options.hpp.
#pragma once

#include "host/app/replay_options.hpp"

#include <string>
#include <vector>

namespace switchboard::app {

// The whole command: reads the environment, parses `args` (what follows `replay`),
// prints usage errors, runs. `config_path` is a --config given before `replay`.
int replay_command(const std::string& config_path, const std::vector<std::string>& args);

// Runs parsed options; returns the exit code.
int replay(const replay_options& options);

}  // namespace switchboard::app
