// One organisation's script in one sandboxed lua_State. Only safe libraries are
// open, into an environment that refuses new globals; an allocator cap and a count
// hook bound every call (and, separately, loading). Used by one thread at a time:
// the engine keeps one per organisation per worker thread.
#pragma once

#include "host/scripting/effects.hpp"
#include "host/scripting/limits.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>

struct lua_State;

namespace switchboard::scripting {

// The hooks a script may define (docs/lua-guide.md).
inline constexpr std::array<std::string_view, 7> hook_names{
    "prompt", "assistant", "route_tool", "on_event", "transfer_target", "route_outbound", "classify"};
bool is_hook_name(std::string_view name) noexcept;

// What sb.* knows about the organisation.
struct org_profile {
    std::string id;
    std::string timezone = "UTC";   // IANA name
    boost::json::object settings;   // the org's `settings:` from YAML (sb.config)
};

// Host services behind sb.*; an empty member is "not available" to scripts.
struct services {
    // sb.kb_search(query, k): passages best first ({text, score, title}).
    std::function<boost::json::array(const std::string& org, const std::string& query, int k)> kb_search;
    // A fixed clock (`switchboard script test` scenarios): sb.now(), the sb.hours
    // functions' default instant and os.time()/os.date() without a time read it.
    // Empty: the system clock.
    std::function<std::chrono::system_clock::time_point()> clock;
};

// A script's text and the name errors give it ("scripts/orgs/acme.lua").
struct script_source {
    std::string name;
    std::string text;
};
// scripts/lib modules by require() name: "util.hours" is scripts/lib/util/hours.lua.
using module_sources = std::map<std::string, script_source, std::less<>>;

// The script failed to load; what() is "<name>:<line>: <message>".
class load_error : public std::runtime_error {
public:
    load_error(std::string message, failure_kind kind) : std::runtime_error(std::move(message)), kind_(kind) {}
    failure_kind kind() const noexcept { return kind_; }

private:
    failure_kind kind_;
};

struct hook_result {
    enum class status { ok, no_hook, failed };
    status state = status::no_hook;
    boost::json::value value;  // what the hook returned (ok; nil is null)
    failure_kind failure = failure_kind::none;
    std::string error;         // failed: "<name>:<line>: <message>"
    scripting::effects effects;

    bool ok() const noexcept { return state == status::ok; }
};

class sandbox {
public:
    // Runs the script's top level under limits::load_*; throws load_error.
    sandbox(org_profile org, script_source script, std::shared_ptr<const module_sources> modules, limits lim,
            std::shared_ptr<const services> host);
    ~sandbox();
    sandbox(const sandbox&) = delete;
    sandbox& operator=(const sandbox&) = delete;

    bool has(std::string_view hook) const noexcept;
    // Calls the hook with `args`; never throws for anything the script does.
    hook_result call(std::string_view hook, std::span<const boost::json::value> args);
    // A limit tripped: the state may be half-way through anything; discard it.
    bool spoiled() const noexcept;
    std::size_t memory_in_use() const noexcept;

    struct context;  // what the allocator, the count hook and sb.* share (sandbox.cpp)

private:
    std::unique_ptr<context> ctx_;
    lua_State* L_ = nullptr;
    unsigned defined_ = 0;  // bit i: hook_names[i] is a function
};

}  // namespace switchboard::scripting
