// switchboard serve|check-config|migrate|plugins|replay|script|kb [--config PATH]
#include "host/app/application.hpp"
#include "host/app/kb_command.hpp"
#include "host/app/replay.hpp"
#include "host/app/script_test.hpp"

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr const char* usage = R"(usage: switchboard [COMMAND] [--config PATH]

Commands:
  serve          run the host (default)
  check-config   validate the config and the plugins it names, start nothing
  migrate        apply pending database migrations and exit
  plugins        list loaded plugins, their config keys, and load failures
  replay FILE    feed recorded webhooks (one JSON body per line) through the
                 pipeline, or to a running host with --url, then print the resulting
                 calls (see `switchboard replay --help`)
  script test ORG SCENARIO.yaml
                 run ORG's Lua script against a scripted call, offline, and check
                 the scenario's expectations (exit 1 when one fails)
  kb import ORG PATH
                 load knowledge-base documents (a folder of .md/.txt files, or a
                 .jsonl file) into the store; see `switchboard kb --help`

Options:
  --config PATH  the YAML config (default: config/switchboard.yaml)
  -h, --help     this text

Environment overrides: SWITCHBOARD_LISTEN (host:port), SWITCHBOARD_DB (database URL),
SWITCHBOARD_ADMIN_KEY (an extra admin API key). See docs/configuration.md.
)";

}  // namespace

int main(int argc, char** argv) {
    std::string command = "serve";
    std::string config_path = "config/switchboard.yaml";
    bool command_seen = false;
    for (int i = 1; i < argc; ++i) {
        std::string arg = argv[i];
        if (arg == "-h" || arg == "--help" || arg == "help") {
            std::cout << usage;
            return 0;
        } else if (arg == "--config" || arg == "-c") {
            if (i + 1 >= argc) {
                std::cerr << "switchboard: --config needs a path\n" << usage;
                return 64;
            }
            config_path = argv[++i];
        } else if (arg.rfind("--config=", 0) == 0) {
            config_path = arg.substr(9);
        } else if (!command_seen && arg == "replay") {
            // replay has its own options (and exit codes): everything after it is its.
            return switchboard::app::replay_command(config_path, std::vector<std::string>(argv + i + 1, argv + argc));
        } else if (!command_seen && arg == "kb") {
            return switchboard::app::kb_command(config_path, std::vector<std::string>(argv + i + 1, argv + argc));
        } else if (!command_seen && arg == "script") {
            return switchboard::app::script_command(config_path, std::vector<std::string>(argv + i + 1, argv + argc));
        } else if (!command_seen && arg[0] != '-') {
            command = arg;
            command_seen = true;
        } else {
            std::cerr << "switchboard: unknown argument '" << arg << "'\n" << usage;
            return 64;
        }
    }
    namespace app = switchboard::app;
    if (command == "serve") return app::serve(config_path);
    if (command == "check-config") return app::check_config(config_path);
    if (command == "migrate") return app::migrate(config_path);
    if (command == "plugins") return app::list_plugins(config_path);
    std::cerr << "switchboard: unknown command '" << command << "'\n" << usage;
    return 64;
}
