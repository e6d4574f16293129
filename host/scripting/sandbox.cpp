#include "host/scripting/sandbox.hpp"

#include "host/scripting/lua_json.hpp"

#include "host/core/business_hours.hpp"
#include "host/core/time_zone.hpp"

#include <lua.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <set>

namespace switchboard::scripting {

const char* to_string(failure_kind k) noexcept {
    switch (k) {
    case failure_kind::none: return "none";
    case failure_kind::error: return "error";
    case failure_kind::instructions: return "instructions";
    case failure_kind::time: return "time";
    case failure_kind::memory: return "memory";
    }
    return "error";
}

bool is_hook_name(std::string_view name) noexcept {
    return std::find(hook_names.begin(), hook_names.end(), name) != hook_names.end();
}

namespace {
using clock = std::chrono::steady_clock;
// The count hook runs every this many VM instructions: cheap enough to leave on,
// fine enough that a deadline is missed by microseconds.
constexpr int hook_period = 1000;
constexpr const char* env_key = "switchboard.env";          // registry: the script's _ENV
constexpr const char* hooks_key = "switchboard.hooks";      // registry: its hooks (under _ENV)
constexpr const char* modules_key = "switchboard.modules";  // registry: require() results
constexpr const char* phases[] = {"greeting", "intake", "clarification", "escalation", "completed"};
}  // namespace

struct sandbox::context {
    std::string org;
    std::string script_name;
    std::shared_ptr<const module_sources> modules;
    std::shared_ptr<const services> host;
    org_profile profile;
    limits lim;

    std::size_t used = 0;
    std::size_t cap = 0;
    // Counting: a call (or the load) is running under a budget.
    bool active = false;
    bool loading = false;
    std::uint64_t spent = 0;
    std::uint64_t budget = 0;
    clock::time_point deadline{};
    failure_kind tripped = failure_kind::none;
    std::string trip_where;          // "scripts/orgs/acme.lua:12:" where the limit hit
    std::string hook;                // the hook being called, for sb.log
    effects* fx = nullptr;           // the current call's effects
    std::set<std::string> requiring; // require() in progress: loops are errors

    // sb.is_open / sb.hours / sb.local_time. Specs are parsed once per state; the
    // cache is cleared when full, so a script that builds specs on the fly stays bounded.
    static constexpr std::size_t hours_cache_cap = 64;
    std::map<std::string, core::business_hours, std::less<>> hours_cache;
    // The org's zone, resolved at its first use so a bad name fails the sb call, not
    // the script's load; a failure is kept so it is not looked up on every call.
    std::shared_ptr<const core::time_zone> org_zone;
    std::optional<std::string> org_zone_error;

    void trip(failure_kind k) {
        if (tripped == failure_kind::none) tripped = k;
    }
};

namespace {

sandbox::context& ctx_of(lua_State* L) { return **static_cast<sandbox::context**>(lua_getextraspace(L)); }

// The allocator: refuses to grow past the cap. Shrinking and freeing always succeed,
// as Lua requires.
void* capped_alloc(void* ud, void* ptr, std::size_t osize, std::size_t nsize) {
    auto* c = static_cast<sandbox::context*>(ud);
    std::size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        std::free(ptr);
        c->used -= old;
        return nullptr;
    }
    if (nsize > old && c->used + (nsize - old) > c->cap) {
        if (c->active) c->trip(failure_kind::memory);
        return nullptr;
    }
    void* p = std::realloc(ptr, nsize);
    if (!p) return nullptr;
    c->used = c->used - old + nsize;
    return p;
}

const char* limit_message(failure_kind k) {
    switch (k) {
    case failure_kind::instructions: return "instruction budget spent";
    case failure_kind::time: return "time limit passed";
    case failure_kind::memory: return "memory limit reached";
    default: return "stopped";
    }
}

// Once a limit trips, the hook fires on every instruction and raises each time, so
// a script's own pcall cannot catch the stop and carry on.
void count_hook(lua_State* L, lua_Debug*) {
    auto& c = ctx_of(L);
    if (!c.active) return;
    if (c.tripped == failure_kind::none) {
        c.spent += hook_period;
        if (c.spent > c.budget)
            c.trip(failure_kind::instructions);
        else if (clock::now() > c.deadline)
            c.trip(failure_kind::time);
        else
            return;
        lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    }
    if (c.trip_where.empty()) {
        luaL_where(L, 0);  // in a hook, level 0 is the function being run
        c.trip_where = lua_tostring(L, -1);
        lua_pop(L, 1);
    }
    luaL_error(L, "%s", limit_message(c.tripped));
}

// C++ exceptions must not travel through Lua frames: every sb.* function catches its
// own and raises a Lua error instead (after its C++ locals are gone).
template <class Fn>
int guarded(lua_State* L, Fn&& fn) {
    std::string failure;
    try {
        return fn();
    } catch (const std::exception& e) {
        failure = e.what();
    }
    return luaL_error(L, "%s", failure.c_str());
}

std::string arg_string(lua_State* L, int i) {
    std::size_t len = 0;
    const char* s = luaL_checklstring(L, i, &len);
    return std::string(s, len);
}

// --- sb.*

int sb_log(lua_State* L) {
    auto& c = ctx_of(L);
    int n = lua_gettop(L);
    std::string level = "info", text;
    if (n >= 2) {
        level = arg_string(L, 1);
        text = luaL_tolstring(L, 2, nullptr);
    } else {
        text = luaL_tolstring(L, 1, nullptr);
    }
    if (text.size() > 2000) text = text.substr(0, 2000) + "...";
    auto lvl = spdlog::level::from_str(level);
    if (lvl == spdlog::level::off && level != "off") luaL_error(L, "sb.log: unknown level '%s'", level.c_str());
    spdlog::log(lvl, "lua org {} {}: {}", c.org, c.hook.empty() ? "load" : c.hook, text);
    return 0;
}

int sb_print(lua_State* L) {
    auto& c = ctx_of(L);
    std::string text;
    for (int i = 1, n = lua_gettop(L); i <= n; ++i) {
        if (i > 1) text += '\t';
        text += luaL_tolstring(L, i, nullptr);
        lua_pop(L, 1);
    }
    spdlog::info("lua org {} {}: {}", c.org, c.hook.empty() ? "load" : c.hook, text);
    return 0;
}

std::chrono::system_clock::time_point now_of(lua_State* L) {
    auto const& host = ctx_of(L).host;
    return host && host->clock ? host->clock() : std::chrono::system_clock::now();
}

// os.time() and os.date(fmt) on the fixed clock; with a time given, Lua's own.
int fixed_os_time(lua_State* L) {
    if (lua_gettop(L) > 0) {
        lua_pushvalue(L, lua_upvalueindex(1));
        lua_insert(L, 1);
        lua_call(L, lua_gettop(L) - 1, 1);
        return 1;
    }
    lua_pushinteger(L, std::chrono::floor<std::chrono::seconds>(now_of(L)).time_since_epoch().count());
    return 1;
}

int fixed_os_date(lua_State* L) {
    const int n = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    if (n >= 1) lua_pushvalue(L, 1);
    else lua_pushliteral(L, "%c");
    if (n >= 2 && !lua_isnil(L, 2)) lua_pushvalue(L, 2);
    else lua_pushinteger(L, std::chrono::floor<std::chrono::seconds>(now_of(L)).time_since_epoch().count());
    lua_call(L, 2, 1);
    return 1;
}

int sb_now(lua_State* L) {
    auto now = now_of(L).time_since_epoch();
    lua_pushnumber(L, std::chrono::duration<double>(now).count());
    return 1;
}

// sb.config("a.b") walks the org's settings; sb.config() is all of them.
int sb_config(lua_State* L) {
    auto& c = ctx_of(L);
    if (lua_isnoneornil(L, 1)) {
        push_json(L, c.profile.settings);
        return 1;
    }
    std::string path = arg_string(L, 1);
    // Walks the settings in place: each step looks a key up in the object it reached.
    const boost::json::object* obj = &c.profile.settings;
    const boost::json::value* at = nullptr;
    for (std::size_t start = 0; obj;) {
        auto dot = path.find('.', start);
        auto key = std::string_view(path).substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        at = obj->if_contains(key);
        if (!at || dot == std::string::npos) break;
        obj = at->if_object();
        at = nullptr;
        start = dot + 1;
    }
    if (!at) {
        lua_pushnil(L);
        return 1;
    }
    push_json(L, *at);
    return 1;
}

int sb_kb_search(lua_State* L) {
    auto& c = ctx_of(L);
    std::string query = arg_string(L, 1);
    auto k = static_cast<int>(luaL_optinteger(L, 2, 3));
    if (!c.host || !c.host->kb_search) {
        lua_pushnil(L);
        lua_pushstring(L, "knowledge search is not available");
        return 2;
    }
    // A search that cannot run (index unreadable) is the script's to handle, like an
    // absent knowledge base: nil and the reason, not an error that ends the hook.
    boost::json::array found;
    std::string failure;
    try {
        found = c.host->kb_search(c.org, query, std::clamp(k, 1, 20));
    } catch (const std::exception& e) {
        failure = e.what();
    }
    if (!failure.empty()) {
        lua_pushnil(L);
        lua_pushstring(L, failure.c_str());
        return 2;
    }
    return guarded(L, [&] {
        push_json(L, found);
        return 1;
    });
}

effects& current_effects(lua_State* L, const char* fn) {
    auto& c = ctx_of(L);
    if (!c.fx) luaL_error(L, "%s: there is no current call while the script loads", fn);
    return *c.fx;
}

int sb_tag(lua_State* L) {
    auto tag = arg_string(L, 1);
    if (tag.empty() || tag.size() > 64) luaL_error(L, "sb.tag: a tag is 1 to 64 characters");
    auto& fx = current_effects(L, "sb.tag");
    if (std::find(fx.tags.begin(), fx.tags.end(), tag) == fx.tags.end()) fx.tags.push_back(tag);
    return 0;
}

int sb_set_phase(lua_State* L) {
    auto phase = arg_string(L, 1);
    if (std::none_of(std::begin(phases), std::end(phases), [&](const char* p) { return phase == p; }))
        luaL_error(L, "sb.set_phase: unknown phase '%s' (greeting, intake, clarification, escalation, completed)",
                   phase.c_str());
    current_effects(L, "sb.set_phase").phase = phase;
    return 0;
}

int sb_escalate(lua_State* L) {
    auto reason = luaL_optstring(L, 1, "requested by the organisation's script");
    auto& fx = current_effects(L, "sb.escalate");
    fx.escalation = reason;
    fx.phase = "escalation";
    return 0;
}

// --- sb.is_open, sb.hours, sb.local_time

// Like guarded(), with the function's name in front of the message. Lua errors raised
// inside `fn` (luaL_check*) are not std::exceptions and pass through untouched.
template <class Fn>
int guarded_as(lua_State* L, const char* name, Fn&& fn) {
    std::string failure;
    try {
        return fn();
    } catch (const std::exception& e) {
        failure = std::string(name) + ": " + e.what();
    }
    return luaL_error(L, "%s", failure.c_str());
}

// The zone named by argument `i`, or the org's when it is absent or nil.
std::shared_ptr<const core::time_zone> zone_arg(lua_State* L, int i) {
    if (!lua_isnoneornil(L, i)) return core::time_zone::find(arg_string(L, i));
    auto& c = ctx_of(L);
    if (!c.org_zone && !c.org_zone_error) {
        try {
            c.org_zone = core::time_zone::find(c.profile.timezone);
        } catch (const core::time_zone_error& e) {
            c.org_zone_error = std::string(e.what()) + " (the org's timezone)";
        }
    }
    if (c.org_zone_error) throw core::time_zone_error(*c.org_zone_error);
    return c.org_zone;
}

// Argument `i`: seconds since the epoch (fractions allowed), or now when absent.
core::time_point instant_arg(lua_State* L, int i) {
    if (lua_isnoneornil(L, i)) return now_of(L);
    lua_Number at = luaL_checknumber(L, i);
    // Within the years 1748..2191: far inside what time_point and the zone rules handle.
    if (!std::isfinite(at) || std::fabs(at) > 7e9)
        throw std::out_of_range("'at' must be seconds since 1970 within +-7e9, not " + std::to_string(at));
    return core::time_point(
        std::chrono::duration_cast<core::time_point::duration>(std::chrono::duration<double>(at)));
}

// Argument `i` parsed (and cached), or the org's settings.business_hours.
const core::business_hours& hours_arg(lua_State* L, int i) {
    auto& c = ctx_of(L);
    std::string spec;
    if (!lua_isnoneornil(L, i)) {
        spec = arg_string(L, i);
    } else {
        const auto* v = c.profile.settings.if_contains("business_hours");
        if (!v || v->is_null()) throw std::invalid_argument("no hours given and the org has no settings.business_hours");
        if (!v->is_string()) throw std::invalid_argument("settings.business_hours is not a string");
        spec = v->as_string();
    }
    if (auto it = c.hours_cache.find(spec); it != c.hours_cache.end()) return it->second;
    auto parsed = core::business_hours::parse(spec);
    if (c.hours_cache.size() >= sandbox::context::hours_cache_cap) c.hours_cache.clear();
    return c.hours_cache.emplace(std::move(spec), std::move(parsed)).first->second;
}

constexpr const char* weekday_names[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                         "Saturday"};

lua_Integer epoch_seconds(core::time_point t) {
    return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}

// sb.is_open(spec?, tz?, at?) -> boolean
int sb_is_open(lua_State* L) {
    return guarded_as(L, "sb.is_open", [&] {
        const auto& hours = hours_arg(L, 1);
        auto zone = zone_arg(L, 2);
        lua_pushboolean(L, hours.open_at(*zone, instant_arg(L, 3)));
        return 1;
    });
}

// sb.hours(spec?, tz?, at?) -> {open, next_open, next_open_local, describe, timezone, local_time, weekday}
int sb_hours(lua_State* L) {
    return guarded_as(L, "sb.hours", [&] {
        const auto& hours = hours_arg(L, 1);
        auto zone = zone_arg(L, 2);
        auto at = instant_arg(L, 3);
        bool open = hours.open_at(*zone, at);
        auto next = open ? std::nullopt : hours.next_opening(*zone, at);
        auto now = zone->to_local(at);
        std::string describe = hours.describe();
        char buf[64];

        lua_createtable(L, 0, 7);
        lua_pushboolean(L, open);
        lua_setfield(L, -2, "open");
        if (next) {
            auto lt = zone->to_local(*next);
            lua_pushinteger(L, epoch_seconds(*next));
            lua_setfield(L, -2, "next_open");
            std::snprintf(buf, sizeof buf, "%s %d:%02d %s", weekday_names[lt.weekday % 7],
                          lt.hour % 12 == 0 ? 12 : lt.hour % 12, lt.minute, lt.hour < 12 ? "AM" : "PM");
            lua_pushstring(L, buf);
            lua_setfield(L, -2, "next_open_local");
        }
        lua_pushlstring(L, describe.data(), describe.size());
        lua_setfield(L, -2, "describe");
        lua_pushlstring(L, zone->name().data(), zone->name().size());
        lua_setfield(L, -2, "timezone");
        std::snprintf(buf, sizeof buf, "%02d:%02d", now.hour, now.minute);
        lua_pushstring(L, buf);
        lua_setfield(L, -2, "local_time");
        lua_pushstring(L, weekday_names[now.weekday % 7]);
        lua_setfield(L, -2, "weekday");
        return 1;
    });
}

// sb.local_time(tz?, at?) -> {year, month, day, hour, minute, second, weekday (1 = Sunday,
// as os.date's wday), utc_offset, isdst, abbreviation, zone}
int sb_local_time(lua_State* L) {
    return guarded_as(L, "sb.local_time", [&] {
        auto zone = zone_arg(L, 1);
        auto at = instant_arg(L, 2);
        auto lt = zone->to_local(at);
        auto info = zone->at(at);
        lua_createtable(L, 0, 11);
        for (auto [name, value] : {std::pair{"year", lt.year}, {"month", lt.month}, {"day", lt.day},
                                   {"hour", lt.hour}, {"minute", lt.minute}, {"second", lt.second},
                                   {"weekday", lt.weekday + 1}, {"utc_offset", lt.utc_offset_seconds}}) {
            lua_pushinteger(L, value);
            lua_setfield(L, -2, name);
        }
        lua_pushboolean(L, info.is_dst);
        lua_setfield(L, -2, "isdst");
        lua_pushlstring(L, info.abbreviation.data(), info.abbreviation.size());
        lua_setfield(L, -2, "abbreviation");
        lua_pushlstring(L, zone->name().data(), zone->name().size());
        lua_setfield(L, -2, "zone");
        return 1;
    });
}

// --- the sandbox's own versions of base functions

int safe_collectgarbage(lua_State* L) {
    const char* opt = luaL_optstring(L, 1, "count");
    if (std::strcmp(opt, "count") != 0)
        luaL_error(L, "collectgarbage('%s') is not available in scripts; only 'count' is", opt);
    lua_pushnumber(L, static_cast<lua_Number>(ctx_of(L).used) / 1024.0);
    return 1;
}

// Finalizers would run outside any hook call's limits (and when the state closes),
// so metatables with __gc are refused.
int safe_setmetatable(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_getfield(L, 2, "__gc");
        bool gc = !lua_isnil(L, -1);
        lua_pop(L, 1);
        if (gc) luaL_error(L, "setmetatable: __gc is not available in scripts");
    }
    lua_getglobal(L, "setmetatable");  // the real one, from the hidden global table
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

bool is_protected_table(lua_State* L, int index) {
    index = lua_absindex(L, index);
    lua_getfield(L, LUA_REGISTRYINDEX, env_key);
    bool same = lua_rawequal(L, -1, index) != 0;
    lua_pop(L, 1);
    return same;
}

int safe_rawset(lua_State* L) {
    luaL_checktype(L, 1, LUA_TTABLE);
    if (is_protected_table(L, 1)) luaL_error(L, "rawset: the script's environment takes no new globals");
    luaL_checkany(L, 2);
    luaL_checkany(L, 3);
    lua_settop(L, 3);
    lua_rawset(L, 1);
    return 1;
}

// `__newindex` of _ENV: while the script loads, a hook may be defined as a global
// function; nothing else, and nothing after loading.
int env_newindex(lua_State* L) {
    auto& c = ctx_of(L);
    const char* key = lua_type(L, 2) == LUA_TSTRING ? lua_tostring(L, 2) : nullptr;
    if (key && c.loading && is_hook_name(key) && lua_type(L, 3) == LUA_TFUNCTION) {
        lua_getfield(L, LUA_REGISTRYINDEX, hooks_key);
        lua_insert(L, 2);
        lua_settop(L, 4);
        lua_rawset(L, 2);
        return 0;
    }
    if (key && is_hook_name(key))
        return luaL_error(L, "hook '%s' can only be defined as a function while the script loads", key);
    return luaL_error(L, "no new globals: '%s' (declare it local; hooks are prompt, assistant, route_tool, "
                         "on_event, transfer_target, route_outbound, classify)",
                      key ? key : luaL_typename(L, 2));
}

// A fresh environment that stays empty: reads fall through to `parent` (the script's
// hooks, then the shared safe globals), writes are refused, so a hook cannot be
// replaced after loading either. Module scripts get one each, over the safe globals.
void push_env(lua_State* L, const char* parent = "switchboard.base") {
    lua_newtable(L);
    lua_newtable(L);  // its metatable
    lua_getfield(L, LUA_REGISTRYINDEX, parent);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, env_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

// Loads text (never bytecode) as a function whose _ENV is the table on the stack top;
// leaves the function in its place.
void load_chunk(lua_State* L, const script_source& src) {
    std::string chunk = "@" + src.name;
    if (luaL_loadbufferx(L, src.text.data(), src.text.size(), chunk.c_str(), "t") != LUA_OK) lua_error(L);
    lua_insert(L, -2);                      // function, env
    if (!lua_setupvalue(L, -2, 1)) lua_pop(L, 1);  // a chunk's first upvalue is _ENV
}

// require("name"): scripts/lib modules only, by a dotted name of plain words.
int safe_require(lua_State* L) {
    auto& c = ctx_of(L);
    std::string name = arg_string(L, 1);
    bool ok = !name.empty() && name.size() <= 128 && name.front() != '.' && name.back() != '.' &&
              name.find("..") == std::string::npos;
    for (char ch : name)
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.')) ok = false;
    if (!ok) luaL_error(L, "require: '%s' is not a module name (words of letters, digits and _ joined by dots)",
                        name.c_str());
    lua_getfield(L, LUA_REGISTRYINDEX, modules_key);
    lua_getfield(L, -1, name.c_str());
    if (!lua_isnil(L, -1)) return 1;
    lua_pop(L, 1);
    const script_source* src = nullptr;
    if (c.modules)
        if (auto it = c.modules->find(name); it != c.modules->end()) src = &it->second;
    if (!src) luaL_error(L, "require: no module '%s' in scripts/lib", name.c_str());
    if (!c.requiring.insert(name).second) luaL_error(L, "require: module '%s' requires itself", name.c_str());
    push_env(L);
    load_chunk(L, *src);
    lua_call(L, 0, 1);  // an error propagates; `requiring` is reset by the next call
    c.requiring.erase(name);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, -3, name.c_str());
    return 1;
}

void copy_fields(lua_State* L, int from, int to, std::initializer_list<const char*> names) {
    from = lua_absindex(L, from);
    to = lua_absindex(L, to);
    for (auto* n : names) {
        lua_getfield(L, from, n);
        lua_setfield(L, to, n);
    }
}

// A shallow copy of a library table minus some names.
void copy_library(lua_State* L, const char* lib, std::initializer_list<const char*> drop) {
    lua_newtable(L);
    lua_getglobal(L, lib);
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
        const char* k = lua_tostring(L, -2);
        bool dropped = std::any_of(drop.begin(), drop.end(), [&](const char* d) { return std::strcmp(k, d) == 0; });
        if (dropped) {
            lua_pop(L, 1);
            continue;
        }
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -5);
    }
    lua_pop(L, 1);
}

void build_base(lua_State* L) {
    luaL_openlibs(L);  // into the hidden global table, which scripts never see
    lua_newtable(L);   // the safe globals
    int base = lua_gettop(L);
    lua_pushglobaltable(L);
    copy_fields(L, -1, base,
                {"assert", "error", "ipairs", "next", "pairs", "pcall", "xpcall", "select", "tonumber", "tostring",
                 "type", "rawequal", "rawlen", "rawget", "getmetatable", "_VERSION"});
    lua_pop(L, 1);
    lua_pushcfunction(L, safe_setmetatable);
    lua_setfield(L, base, "setmetatable");
    lua_pushcfunction(L, safe_rawset);
    lua_setfield(L, base, "rawset");
    lua_pushcfunction(L, safe_collectgarbage);
    lua_setfield(L, base, "collectgarbage");
    lua_pushcfunction(L, safe_require);
    lua_setfield(L, base, "require");
    lua_pushcfunction(L, sb_print);
    lua_setfield(L, base, "print");

    copy_library(L, "string", {"dump"});
    // Strings' methods come from their metatable: point it at the copy without
    // string.dump, and lock it so getmetatable("") cannot reach the original.
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushvalue(L, -3);
    lua_setfield(L, -2, "__index");
    lua_pushliteral(L, "locked");
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
    lua_setfield(L, base, "string");
    copy_library(L, "table", {});
    lua_setfield(L, base, "table");
    copy_library(L, "math", {});
    lua_setfield(L, base, "math");
    copy_library(L, "utf8", {});
    lua_setfield(L, base, "utf8");
    copy_library(L, "coroutine", {});
    lua_setfield(L, base, "coroutine");
    lua_newtable(L);
    lua_getglobal(L, "os");
    copy_fields(L, -1, -2, {"time", "clock", "date"});
    lua_pop(L, 1);
    if (auto const& host = ctx_of(L).host; host && host->clock) {
        lua_getfield(L, -1, "time");
        lua_pushcclosure(L, fixed_os_time, 1);
        lua_setfield(L, -2, "time");
        lua_getfield(L, -1, "date");
        lua_pushcclosure(L, fixed_os_date, 1);
        lua_setfield(L, -2, "date");
    }
    lua_setfield(L, base, "os");

    static const luaL_Reg sb_functions[] = {{"log", sb_log},           {"now", sb_now},
                                            {"config", sb_config},     {"kb_search", sb_kb_search},
                                            {"tag", sb_tag},           {"set_phase", sb_set_phase},
                                            {"escalate", sb_escalate}, {"is_open", sb_is_open},
                                            {"hours", sb_hours},       {"local_time", sb_local_time},
                                            {nullptr, nullptr}};
    luaL_newlib(L, sb_functions);
    lua_pushstring(L, ctx_of(L).org.c_str());
    lua_setfield(L, -2, "org");
    lua_pushstring(L, ctx_of(L).profile.timezone.c_str());
    lua_setfield(L, -2, "timezone");
    lua_setfield(L, base, "sb");

    lua_setfield(L, LUA_REGISTRYINDEX, "switchboard.base");
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, modules_key);
}

void ignore_warning(void*, const char*, int) {}

std::string error_text(lua_State* L, int index) {
    if (lua_type(L, index) == LUA_TSTRING) return lua_tostring(L, index);
    return std::string("(a ") + luaL_typename(L, index) + " was raised as the error)";
}

}  // namespace

sandbox::sandbox(org_profile org, script_source script, std::shared_ptr<const module_sources> modules, limits lim,
                 std::shared_ptr<const services> host)
    : ctx_(std::make_unique<context>()) {
    auto& c = *ctx_;
    c.org = org.id;
    c.script_name = script.name;
    c.profile = std::move(org);
    c.modules = std::move(modules);
    c.host = std::move(host);
    c.lim = lim;
    c.cap = lim.memory_bytes;
    L_ = lua_newstate(capped_alloc, ctx_.get());
    if (!L_) throw load_error(script.name + ": cannot create a Lua state within the memory limit", failure_kind::memory);
    *static_cast<context**>(lua_getextraspace(L_)) = ctx_.get();
    lua_setwarnf(L_, ignore_warning, nullptr);
    lua_sethook(L_, count_hook, LUA_MASKCOUNT, hook_period);

    c.active = true;
    c.loading = true;
    c.budget = lim.load_instructions;
    c.deadline = clock::now() + lim.load_time;
    auto setup = [](lua_State* L) -> int {
        auto* src = static_cast<const script_source*>(lua_touserdata(L, 1));
        build_base(L);
        lua_newtable(L);  // the hooks, over the safe globals
        lua_newtable(L);
        lua_getfield(L, LUA_REGISTRYINDEX, "switchboard.base");
        lua_setfield(L, -2, "__index");
        lua_setmetatable(L, -2);
        lua_setfield(L, LUA_REGISTRYINDEX, hooks_key);
        push_env(L, hooks_key);
        lua_pushvalue(L, -1);
        lua_setfield(L, LUA_REGISTRYINDEX, env_key);
        load_chunk(L, *src);
        lua_call(L, 0, 1);
        // A script may also return its hooks in a table (module style).
        if (lua_type(L, -1) == LUA_TTABLE) {
            lua_getfield(L, LUA_REGISTRYINDEX, hooks_key);
            lua_pushnil(L);
            while (lua_next(L, -3) != 0) {
                const char* k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : nullptr;
                if (!k || !is_hook_name(k))
                    luaL_error(L, "%s: the returned table has '%s', which is not a hook", src->name.c_str(),
                               k ? k : luaL_typename(L, -2));
                if (lua_type(L, -1) != LUA_TFUNCTION)
                    luaL_error(L, "%s: hook '%s' is a %s, not a function", src->name.c_str(), k,
                               luaL_typename(L, -1));
                lua_pushvalue(L, -2);
                lua_insert(L, -2);
                lua_rawset(L, -4);
            }
        } else if (!lua_isnil(L, -1)) {
            luaL_error(L, "%s: the script returned a %s; return nothing or a table of hooks", src->name.c_str(),
                       luaL_typename(L, -1));
        }
        return 0;
    };
    lua_pushcfunction(L_, setup);
    lua_pushlightuserdata(L_, &script);
    int rc = lua_pcall(L_, 1, 0, 0);
    c.loading = false;
    c.active = false;
    if (rc != LUA_OK || c.tripped != failure_kind::none) {
        auto kind = c.tripped != failure_kind::none ? c.tripped : failure_kind::error;
        std::string msg = rc != LUA_OK ? error_text(L_, -1) : std::string(limit_message(kind));
        if (kind != failure_kind::error)
            msg = (c.trip_where.empty() ? script.name + ": " : c.trip_where) + limit_message(kind) + " while loading";
        lua_close(L_);
        L_ = nullptr;
        if (msg.rfind(script.name, 0) != 0) msg = script.name + ": " + msg;
        throw load_error(msg, kind);
    }
    lua_settop(L_, 0);
    lua_getfield(L_, LUA_REGISTRYINDEX, hooks_key);
    for (std::size_t i = 0; i < hook_names.size(); ++i) {
        lua_pushlstring(L_, hook_names[i].data(), hook_names[i].size());
        lua_rawget(L_, -2);
        if (lua_type(L_, -1) == LUA_TFUNCTION) defined_ |= 1u << i;
        lua_pop(L_, 1);
    }
    lua_settop(L_, 0);
}

sandbox::~sandbox() {
    if (L_) lua_close(L_);
}

bool sandbox::has(std::string_view hook) const noexcept {
    for (std::size_t i = 0; i < hook_names.size(); ++i)
        if (hook_names[i] == hook) return (defined_ >> i) & 1u;
    return false;
}

bool sandbox::spoiled() const noexcept { return ctx_->tripped != failure_kind::none; }

std::size_t sandbox::memory_in_use() const noexcept { return ctx_->used; }

hook_result sandbox::call(std::string_view hook, std::span<const boost::json::value> args) {
    hook_result r;
    if (!L_ || spoiled() || !has(hook)) return r;
    auto& c = *ctx_;
    c.hook = std::string(hook);
    c.fx = &r.effects;
    c.spent = 0;
    c.budget = c.lim.instructions;
    c.deadline = clock::now() + c.lim.time;
    c.trip_where.clear();
    c.requiring.clear();
    lua_settop(L_, 0);
    struct call_args {
        const std::string* hook;
        std::span<const boost::json::value> args;
        boost::json::value* out;
    } ca{&c.hook, args, &r.value};
    // Arguments are converted inside the protected call: a conversion that runs out of
    // memory raises a Lua error like any other.
    lua_pushcfunction(L_, [](lua_State* L) -> int {
        auto* a = static_cast<call_args*>(lua_touserdata(L, 1));
        lua_settop(L, 0);
        lua_getfield(L, LUA_REGISTRYINDEX, hooks_key);
        lua_pushlstring(L, a->hook->data(), a->hook->size());
        lua_rawget(L, -2);
        for (auto const& v : a->args) push_json(L, v);
        lua_call(L, static_cast<int>(a->args.size()), 1);
        *a->out = to_json(L, -1);
        return 0;
    });
    lua_pushlightuserdata(L_, &ca);
    c.active = true;
    int rc = lua_pcall(L_, 1, 0, 0);
    c.active = false;
    c.fx = nullptr;
    c.hook.clear();
    if (c.tripped != failure_kind::none) {
        r.state = hook_result::status::failed;
        r.failure = c.tripped;
        // luaL_where gives "<file>:<line>: ".
        r.error = (c.trip_where.empty() ? c.script_name + ": " : c.trip_where) + limit_message(c.tripped);
        r.value = nullptr;
        r.effects = {};
    } else if (rc != LUA_OK) {
        r.state = hook_result::status::failed;
        r.failure = failure_kind::error;
        r.error = error_text(L_, -1);
        r.value = nullptr;
        r.effects = {};
    } else {
        r.state = hook_result::status::ok;
    }
    lua_settop(L_, 0);
    return r;
}

}  // namespace switchboard::scripting
