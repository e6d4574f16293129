// The sandbox: hooks in, JSON out, the limits and every escape we know of refused.
#include "host/scripting/sandbox.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <chrono>

using namespace switchboard::scripting;
namespace json = boost::json;

namespace {

org_profile acme() {
    org_profile p;
    p.id = "acme";
    p.timezone = "America/New_York";
    p.settings = json::parse(R"({"greeting": "Hi", "hours": {"weekdays": "09:00-17:00"}})").as_object();
    return p;
}

std::unique_ptr<sandbox> load(const std::string& text, limits lim = {},
                              std::shared_ptr<const module_sources> modules = {}) {
    return std::make_unique<sandbox>(acme(), script_source{"scripts/orgs/acme.lua", text}, std::move(modules), lim,
                                     nullptr);
}

hook_result call(sandbox& s, std::string_view hook, std::initializer_list<json::value> args = {}) {
    std::vector<json::value> v(args);
    return s.call(hook, v);
}

// A hook body that returns what `expr` evaluates to, or the error it raises.
std::string probe(const std::string& expr) {
    auto s = load("function prompt() local ok, v = pcall(function() return " + expr +
                  " end) if ok then return tostring(v) else return 'error: ' .. tostring(v) end end");
    auto r = call(*s, "prompt");
    REQUIRE(r.ok());
    return std::string(r.value.as_string());
}

}  // namespace

TEST_CASE("hooks receive JSON as tables and return JSON", "[scripting]") {
    auto s = load(R"(
        function route_tool(call, name, args)
          return { action = "rewrite", name = name .. "_v2", args = { n = args.n + 1, list = { 1, 2, 3 } },
                   caller = call.from, empty = {} }
        end)");
    CHECK(s->has("route_tool"));
    CHECK_FALSE(s->has("prompt"));
    auto r = call(*s, "route_tool", {json::parse(R"({"from": "+15550001111"})"), "lookup", json::parse(R"({"n": 41})")});
    REQUIRE(r.ok());
    CHECK(r.value.at("action") == "rewrite");
    CHECK(r.value.at("name") == "lookup_v2");
    CHECK(r.value.at("args").at("n") == 42);
    CHECK(r.value.at("args").at("list") == json::parse("[1,2,3]"));
    CHECK(r.value.at("caller") == "+15550001111");
    CHECK(r.value.at("empty") == json::object{});
}

TEST_CASE("a script may return its hooks in a table", "[scripting]") {
    auto s = load("local M = {} function M.classify(call, t) return { category = 'billing' } end return M");
    CHECK(s->has("classify"));
    auto r = call(*s, "classify", {json::object{}, json::array{}});
    REQUIRE(r.ok());
    CHECK(r.value.at("category") == "billing");
    CHECK_THROWS_WITH(load("return { promt = function() end }"), Catch::Contains("'promt', which is not a hook"));
}

TEST_CASE("an undefined hook is no_hook, not a failure", "[scripting]") {
    auto s = load("function prompt() return 'x' end");
    auto r = call(*s, "assistant");
    CHECK(r.state == hook_result::status::no_hook);
}

TEST_CASE("load errors name the file and line", "[scripting]") {
    CHECK_THROWS_WITH(load("function prompt()\n  return 1 +\nend"), Catch::StartsWith("scripts/orgs/acme.lua:3:"));
    CHECK_THROWS_WITH(load("\n\nerror('boom')"), Catch::StartsWith("scripts/orgs/acme.lua:3: boom"));
    CHECK_THROWS_WITH(load("helper = 1"), Catch::Contains("no new globals: 'helper'"));
    CHECK_THROWS_WITH(load("function helper() end"), Catch::Contains("no new globals: 'helper'"));
    CHECK_THROWS_WITH(load("return 42"), Catch::Contains("returned a number"));
}

TEST_CASE("runtime errors fail the call with file and line and leave the state usable", "[scripting]") {
    auto s = load("function prompt(ctx)\n  if ctx.fail then\n    error('bad ctx')\n  end\n  return 'ok'\nend");
    auto r = call(*s, "prompt", {json::parse(R"({"fail": true})")});
    CHECK(r.state == hook_result::status::failed);
    CHECK(r.failure == failure_kind::error);
    CHECK(r.error == "scripts/orgs/acme.lua:3: bad ctx");
    CHECK_FALSE(s->spoiled());
    auto again = call(*s, "prompt", {json::object{}});
    REQUIRE(again.ok());
    CHECK(again.value == "ok");
}

TEST_CASE("a result that is not JSON is a failure", "[scripting]") {
    auto s = load("function prompt() return { f = function() end } end\n"
                  "function assistant() local t = {} t.self = t return t end");
    auto r = call(*s, "prompt");
    CHECK(r.failure == failure_kind::error);
    CHECK_THAT(r.error, Catch::Contains("function cannot be converted"));
    auto c = call(*s, "assistant");
    CHECK(c.failure == failure_kind::error);
    CHECK_THAT(c.error, Catch::Contains("nested deeper"));
}

TEST_CASE("an endless loop is stopped by the instruction budget, even inside pcall", "[scripting]") {
    limits lim;
    lim.instructions = 200'000;
    lim.time = std::chrono::seconds(30);
    auto s = load("function prompt()\n  while true do end\nend\n"
                  "function assistant()\n  for i = 1, 100 do pcall(function() while true do end end) end\n"
                  "  return 'escaped'\nend",
                  lim);
    auto r = call(*s, "prompt");
    CHECK(r.failure == failure_kind::instructions);
    CHECK_THAT(r.error, Catch::StartsWith("scripts/orgs/acme.lua:2:"));
    CHECK(s->spoiled());
    auto fresh = load("function assistant()\n  for i = 1, 100 do pcall(function() while true do end end) end\n"
                      "  return 'escaped'\nend",
                      lim);
    auto a = call(*fresh, "assistant");
    CHECK(a.state == hook_result::status::failed);
    CHECK(a.failure == failure_kind::instructions);
    CHECK(a.value.is_null());
}

TEST_CASE("the wall-clock deadline stops a script the budget would let run", "[scripting]") {
    limits lim;
    lim.instructions = std::uint64_t(1) << 62;
    lim.time = std::chrono::milliseconds(50);
    auto s = load("function prompt() local ok repeat ok = pcall(function() while true do end end) until false end",
                  lim);
    auto r = call(*s, "prompt");
    CHECK(r.failure == failure_kind::time);
}

TEST_CASE("allocating without bound hits the memory cap", "[scripting]") {
    limits lim;
    lim.memory_bytes = 4u << 20;
    lim.time = std::chrono::seconds(30);
    auto s = load("function prompt() local t = {} local i = 0 while true do i = i + 1 t[i] = string.rep('x', 1000) .. i end end",
                  lim);
    auto r = call(*s, "prompt");
    CHECK(r.failure == failure_kind::memory);
    CHECK(s->memory_in_use() <= lim.memory_bytes);
    auto s2 = load("function assistant() local ok = pcall(string.rep, 'x', 1 << 26) return tostring(ok) end", lim);
    auto a = call(*s2, "assistant");
    CHECK(a.state == hook_result::status::failed);  // caught by the script's pcall, still stopped
}

TEST_CASE("endless recursion is stopped", "[scripting]") {
    limits lim;
    lim.time = std::chrono::seconds(30);
    auto s = load("local function f(n) return f(n + 1) + 1 end\nfunction prompt() return f(1) end", lim);
    auto r = call(*s, "prompt");
    CHECK(r.state == hook_result::status::failed);
    CHECK(r.failure != failure_kind::none);
}

TEST_CASE("loading has its own limit", "[scripting]") {
    limits lim;
    lim.load_instructions = 100'000;
    lim.load_time = std::chrono::seconds(30);
    try {
        load("while true do end", lim);
        FAIL("an endless top level loaded");
    } catch (const load_error& e) {
        CHECK(e.kind() == failure_kind::instructions);
        CHECK_THAT(e.what(), Catch::Contains("while loading"));
    }
}

TEST_CASE("escape: no io, os beyond time/clock/date, debug, package or loaders", "[scripting][escape]") {
    CHECK(probe("io") == "nil");
    CHECK(probe("debug") == "nil");
    CHECK(probe("package") == "nil");
    CHECK(probe("load") == "nil");
    CHECK(probe("loadfile") == "nil");
    CHECK(probe("dofile") == "nil");
    CHECK(probe("os.execute") == "nil");
    CHECK(probe("os.getenv") == "nil");
    CHECK(probe("os.remove") == "nil");
    CHECK(probe("os.exit") == "nil");
    CHECK(probe("type(os.time())") == "number");
    CHECK(probe("type(os.clock())") == "number");
    CHECK(probe("type(os.date('!%Y'))") == "string");
}

TEST_CASE("escape: string metatable cannot reach string.dump or be replaced", "[scripting][escape]") {
    CHECK(probe("string.dump") == "nil");
    CHECK(probe("('').dump") == "nil");
    CHECK(probe("getmetatable('')") == "locked");
    CHECK_THAT(probe("setmetatable('', {})"), Catch::StartsWith("error:"));
    CHECK(probe("('abc'):upper()") == "ABC");
}

TEST_CASE("escape: collectgarbage only counts", "[scripting][escape]") {
    CHECK_THAT(probe("collectgarbage('stop')"), Catch::Contains("not available"));
    CHECK_THAT(probe("collectgarbage('collect')"), Catch::Contains("not available"));
    CHECK(probe("type(collectgarbage('count'))") == "number");
}

TEST_CASE("escape: no bytecode, by any door", "[scripting][escape]") {
    // The chunk header of Lua 5.4 bytecode: a loaded script in binary form is refused.
    CHECK_THROWS_WITH(load(std::string("\x1bLua\x54\x00", 6)), Catch::Contains("attempt to load a binary chunk"));
    CHECK_THAT(probe("load(string.dump(print))"), Catch::StartsWith("error:"));
}

TEST_CASE("escape: require reaches scripts/lib modules only", "[scripting][escape]") {
    auto mods = std::make_shared<module_sources>();
    (*mods)["util.greet"] = script_source{"scripts/lib/util/greet.lua",
                                          "local M = {} function M.hi(n) return 'hi ' .. n end return M"};
    (*mods)["leaky"] = script_source{"scripts/lib/leaky.lua", "oops = 1 return {}"};
    auto s = load(R"(
        function prompt(ctx)
          local results = {}
          results[1] = require('util.greet').hi('ann')
          for _, name in ipairs({ 'os', 'io', '../etc/passwd', 'util/greet', '/etc/passwd', 'nope', 'leaky' }) do
            local ok, err = pcall(require, name)
            results[#results + 1] = tostring(ok) .. ':' .. tostring(err)
          end
          return results
        end)",
                  {}, mods);
    auto r = call(*s, "prompt", {json::object{}});
    REQUIRE(r.ok());
    auto const& a = r.value.as_array();
    CHECK(a[0] == "hi ann");
    CHECK_THAT(std::string(a[1].as_string()), Catch::Contains("no module 'os' in scripts/lib"));
    CHECK_THAT(std::string(a[2].as_string()), Catch::Contains("no module 'io'"));
    CHECK_THAT(std::string(a[3].as_string()), Catch::Contains("is not a module name"));
    CHECK_THAT(std::string(a[4].as_string()), Catch::Contains("is not a module name"));
    CHECK_THAT(std::string(a[5].as_string()), Catch::Contains("is not a module name"));
    CHECK_THAT(std::string(a[6].as_string()), Catch::Contains("no module 'nope'"));
    CHECK_THAT(std::string(a[7].as_string()), Catch::Contains("no new globals: 'oops'"));
}

TEST_CASE("escape: _ENV tricks cannot add globals or unlock the environment", "[scripting][escape]") {
    CHECK_THAT(probe("setmetatable(_ENV, nil)"), Catch::StartsWith("error:"));
    CHECK(probe("getmetatable(_ENV)") == "locked");
    CHECK_THAT(probe("rawset(_ENV, 'x', 1)"), Catch::Contains("no new globals"));
    CHECK_THAT(probe("(function() x = 1 end)()"), Catch::Contains("no new globals: 'x'"));
    CHECK_THAT(probe("(function() prompt = print end)()"), Catch::Contains("only be defined"));
    // A local _ENV only changes the script's own scope; nothing outside it appears.
    CHECK(probe("(function() local _ENV = { tostring = tostring } return tostring(io) end)()") == "nil");
    CHECK(probe("_G == _ENV") == "false");
    CHECK(probe("_G") == "nil");
}

TEST_CASE("escape: finalizers are refused", "[scripting][escape]") {
    CHECK_THAT(probe("setmetatable({}, { __gc = function() while true do end end })"),
               Catch::Contains("__gc is not available"));
    CHECK(probe("getmetatable(setmetatable({}, { __index = { a = 1 } })).__index.a") == "1");
}

TEST_CASE("sb.* reports effects, reads config and the org", "[scripting]") {
    auto s = load(R"(
        function on_event(call, event)
          sb.tag('vip') sb.tag('vip') sb.tag('billing')
          sb.set_phase('intake')
          if event.text == 'human please' then sb.escalate('asked for a person') end
          return { org = sb.org, tz = sb.timezone, greeting = sb.config('greeting'),
                   weekdays = sb.config('hours.weekdays'), missing = sb.config('no.such'),
                   now_ok = sb.now() > 1.7e9 }
        end
        function prompt() sb.set_phase('lunch') end)");
    auto r = call(*s, "on_event", {json::object{}, json::parse(R"({"text": "human please"})")});
    REQUIRE(r.ok());
    CHECK(r.effects.tags == std::vector<std::string>{"vip", "billing"});
    CHECK(r.effects.escalation == std::optional<std::string>("asked for a person"));
    CHECK(r.effects.phase == std::optional<std::string>("escalation"));
    CHECK(r.value.at("org") == "acme");
    CHECK(r.value.at("tz") == "America/New_York");
    CHECK(r.value.at("greeting") == "Hi");
    CHECK(r.value.at("weekdays") == "09:00-17:00");
    CHECK_FALSE(r.value.as_object().contains("missing"));
    CHECK(r.value.at("now_ok") == true);
    auto bad = call(*s, "prompt");
    CHECK(bad.failure == failure_kind::error);
    CHECK_THAT(bad.error, Catch::Contains("unknown phase 'lunch'"));
    CHECK(bad.effects.empty());
}

TEST_CASE("sb.kb_search says when there is no knowledge base", "[scripting]") {
    auto s = load("function prompt() local r, err = sb.kb_search('pets') return err end");
    auto r = call(*s, "prompt");
    REQUIRE(r.ok());
    CHECK(r.value == "knowledge search is not available");
}
