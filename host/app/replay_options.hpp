// The command line of `switchboard replay`: what to send, where, and with which
// credentials. Parsing is apart from running so its refusals are testable alone.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::app {

struct replay_options {
    std::string file;                 // JSON lines, one webhook body per line
    std::string config_path = "config/switchboard.yaml";  // in-process mode only
    std::string org;                  // empty: the config's default org (in-process mode only)
    std::string provider = "vapi";
    std::string url;                  // set: POST to a running host instead of the in-process pipeline
    std::string secret;               // the provider's webhook secret (--url); never printed
    std::string api_key;              // reads the resulting calls back (--url); never printed
    std::chrono::milliseconds delay{0};  // between lines, to mimic the provider's pacing
    bool dry_run = false;
};

// Text for --help and usage errors.
extern const char* const replay_usage;

struct replay_args {
    std::optional<replay_options> options;  // nullopt: `error` says why (a usage error)
    std::string error;
    bool help = false;  // -h/--help: print replay_usage, exit 0
};

// `args` are what follows the word `replay`; `defaults` carries what came before it
// (--config) and the environment (SWITCHBOARD_REPLAY_SECRET, SWITCHBOARD_API_KEY),
// which the command line overrides.
replay_args parse_replay_args(const std::vector<std::string>& args, replay_options defaults = {});

}  // namespace switchboard::app
