// The organisations' call-flow scripts. Loads scripts/orgs/<org>.lua (with modules
// from scripts/lib), keeps one sandbox per organisation per calling thread (a
// lua_State is never shared between threads), and picks up changed files without a
// restart: a changed script is loaded and checked on the watcher thread first, and
// only a script that loads replaces the running one. Threads switch to the new
// version at their next call, so no call fails during a reload.
#pragma once

#include "host/scripting/sandbox.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace switchboard::scripting {

class engine {
public:
    struct options {
        std::filesystem::path directory;  // holds orgs/<org>.lua and lib/**/*.lua
        limits lim;
        // How often the watcher looks for changed files; zero: no watcher (call reload()).
        std::chrono::milliseconds reload_interval{250};
        // For metrics: a hook call that failed, and each load attempt.
        std::function<void(const std::string& org, std::string_view hook, failure_kind)> on_failure;
        std::function<void(const std::string& org, bool loaded)> on_load;
    };

    struct org_status {
        std::string org;
        std::string path;              // the script file looked for
        bool present = false;          // a script is serving
        std::uint64_t version = 0;     // bumps with every script that replaced the previous one
        std::vector<std::string> hooks;  // defined by the serving script
        std::string error;             // the last load failure, "<file>:<line>: ..." (empty: none)
        std::chrono::system_clock::time_point loaded_at{};
    };

    engine(options opts, std::vector<org_profile> orgs, std::shared_ptr<const services> host = {});
    ~engine();
    engine(const engine&) = delete;
    engine& operator=(const engine&) = delete;

    // Calls `hook` of the org's script; no_hook when there is no script or no such
    // hook. Never throws for what a script does: failures are logged (org, hook,
    // file and line), reported to on_failure, and returned as failed.
    hook_result call(std::string_view org, std::string_view hook, std::span<const boost::json::value> args);
    bool has_hook(std::string_view org, std::string_view hook) const;

    std::optional<org_status> status(std::string_view org) const;
    std::vector<org_status> statuses() const;

    // Reads the scripts again and loads what changed, at once. (The watcher also
    // waits for a changed file to stop changing before it reads it.)
    void reload();

private:
    struct published;
    struct org_entry;
    struct thread_slot;
    struct file_stamp {
        std::filesystem::file_time_type mtime{};
        std::uintmax_t size = 0;
        bool exists = false;
        bool operator==(const file_stamp&) const = default;
    };

    thread_slot& slot();
    org_entry* find(std::string_view org) const;
    // `settle`: skip files that changed since the previous look (the watcher).
    void reload_files(bool settle);
    void load_org(org_entry& e, bool modules_changed, bool settle);
    bool scan_modules(bool settle);  // true: scripts/lib changed
    void log_failure(const std::string& org, std::string_view hook, const hook_result& r);
    void watch();

    options opts_;
    std::shared_ptr<const services> host_;
    std::map<std::string, std::unique_ptr<org_entry>, std::less<>> orgs_;
    const std::uint64_t serial_;  // tells this engine's thread slots from another's

    mutable std::mutex mutex_;  // published versions and statuses
    std::mutex reload_mutex_;   // one reload at a time
    std::shared_ptr<const module_sources> modules_;
    std::map<std::string, file_stamp> module_stamps_;
    std::map<std::string, file_stamp> module_seen_;  // at the watcher's previous look

    std::mutex slots_mutex_;
    std::map<std::thread::id, std::unique_ptr<thread_slot>> slots_;

    std::mutex log_mutex_;  // failure log throttle: one line per org and hook per second
    std::map<std::string, std::pair<std::chrono::steady_clock::time_point, std::uint64_t>> last_logged_;

    std::mutex watch_mutex_;
    std::condition_variable watch_wake_;
    bool stopping_ = false;
    std::thread watcher_;
};

}  // namespace switchboard::scripting
