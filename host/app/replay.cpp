#include "host/app/replay.hpp"

#include "host/app/recording.hpp"
#include "host/app/replay_target.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <set>
#include <thread>

namespace switchboard::app {
namespace {

constexpr int exit_failed_line = 1;
constexpr int exit_usage = 2;

std::string where(const replay_options& o) {
    if (!o.url.empty()) return o.url + "/webhooks/" + o.provider + "/" + o.org;
    return "the in-process pipeline (org " + (o.org.empty() ? std::string("default") : o.org) + ")";
}

// --dry-run: what each line is, and nothing sent. Needs neither a config nor a host.
int dry_run(const replay_options& o, const std::vector<recorded_line>& lines) {
    std::cout << "dry run: " << lines.size() << " line(s) from " << o.file << " for " << where(o) << "\n";
    int invalid = 0;
    for (auto const& l : lines) {
        std::cout << "line " << l.number << ": " << l.type;
        if (!l.call_id.empty()) std::cout << " call " << l.call_id;
        if (!l.error.empty()) {
            std::cout << " -> not sent: " << l.error << "\n";
            ++invalid;
        } else {
            std::cout << " -> would send " << l.body.size() << " bytes\n";
        }
    }
    return invalid ? exit_failed_line : 0;
}

std::string env_or(const char* name, std::string fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::string(v) : std::move(fallback);
}

}  // namespace

int replay(const replay_options& o) {
    std::ifstream in(o.file);
    if (!in) {
        std::cerr << "replay: cannot open " << o.file << ": " << std::strerror(errno) << "\n" << replay_usage;
        return exit_usage;
    }
    auto lines = read_recording(in);
    if (o.dry_run) return dry_run(o, lines);

    int exit_code = 0;
    auto target = o.url.empty() ? make_in_process_target(o, exit_code) : make_http_target(o);
    if (!target) return exit_code;
    std::cout << "replaying " << lines.size() << " line(s) from " << o.file << " to " << target->describe() << "\n";

    std::vector<int> failed;
    std::set<std::string> call_ids;  // sorted: both modes print the calls in the same order
    bool first = true;
    for (auto const& l : lines) {
        if (!l.call_id.empty()) call_ids.insert(l.call_id);
        std::cout << "line " << l.number << ": " << l.type << " -> ";
        if (!l.error.empty()) {
            std::cout << "not sent: " << l.error << std::endl;
            failed.push_back(l.number);
            continue;
        }
        if (!first && o.delay.count() > 0) std::this_thread::sleep_for(o.delay);
        first = false;
        auto r = target->send(l);
        if (r.status == 0)
            std::cout << "no response: " << r.detail;
        else
            std::cout << r.status << (r.duplicate ? " (duplicate)" : "") << " " << r.detail;
        std::cout << std::endl;  // flushed: a slow replay shows its progress
        if (!r.ok()) failed.push_back(l.number);
    }

    bool calls_ok = target->print_calls({call_ids.begin(), call_ids.end()}, std::cout, std::cerr);
    if (!failed.empty()) {
        std::cerr << "replay: " << o.file << ": " << failed.size() << " of " << lines.size()
                  << " line(s) failed (line";
        for (std::size_t i = 0; i < failed.size(); ++i) std::cerr << (i ? ", " : " ") << failed[i];
        std::cerr << ")\n";
    }
    return failed.empty() && calls_ok ? 0 : exit_failed_line;
}

int replay_command(const std::string& config_path, const std::vector<std::string>& args) {
    replay_options defaults;
    defaults.config_path = config_path;
    // From the environment so they stay out of `ps` and shell history.
    defaults.secret = env_or("SWITCHBOARD_REPLAY_SECRET", "");
    defaults.api_key = env_or("SWITCHBOARD_API_KEY", "");
    auto parsed = parse_replay_args(args, std::move(defaults));
    if (parsed.help) {
        std::cout << replay_usage;
        return 0;
    }
    if (!parsed.options) {
        std::cerr << "switchboard replay: " << parsed.error << "\n" << replay_usage;
        return exit_usage;
    }
    return replay(*parsed.options);
}

}  // namespace switchboard::app
