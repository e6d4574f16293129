// The engine: scripts per org from a folder, checked before they serve, reloaded on
// change, one sandbox per org per thread.
#include "host/scripting/engine.hpp"

#include "support/test_support.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

using namespace switchboard::scripting;
using switchboard::testing::temp_dir;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

// Writes a script and moves its mtime forward, so a rewrite within the file system's
// timestamp granularity still reads as a change.
void put(const temp_dir& dir, const std::string& rel, const std::string& text) {
    auto p = dir.path() / rel;
    fs::create_directories(p.parent_path());
    auto before = fs::exists(p) ? fs::last_write_time(p) : fs::file_time_type{};
    dir.write(rel, text);
    if (fs::last_write_time(p) <= before) fs::last_write_time(p, before + std::chrono::seconds(1));
}

engine::options manual(const temp_dir& dir) {
    engine::options o;
    o.directory = dir.path();
    o.reload_interval = std::chrono::milliseconds(0);  // the test calls reload()
    return o;
}

std::vector<org_profile> orgs(std::initializer_list<const char*> ids) {
    std::vector<org_profile> v;
    for (auto* id : ids) v.push_back(org_profile{id, "UTC", {}});
    return v;
}

hook_result prompt(engine& e, const char* org) {
    std::vector<json::value> args{json::object{}};
    return e.call(org, "prompt", args);
}

}  // namespace

TEST_CASE("an org without a script runs on defaults", "[scripting]") {
    temp_dir dir;
    engine e(manual(dir), orgs({"acme"}));
    CHECK(prompt(e, "acme").state == hook_result::status::no_hook);
    CHECK(prompt(e, "nobody").state == hook_result::status::no_hook);
    auto s = e.status("acme");
    REQUIRE(s);
    CHECK_FALSE(s->present);
    CHECK(s->path == fs::path(dir.path().filename() / "orgs" / "acme.lua").generic_string());
}

TEST_CASE("a changed script replaces the old one, a broken one leaves it serving", "[scripting]") {
    temp_dir dir;
    put(dir, "orgs/acme.lua", "function prompt() return 'v1' end");
    std::vector<std::pair<std::string, bool>> loads;
    auto o = manual(dir);
    o.on_load = [&](const std::string& org, bool ok) { loads.emplace_back(org, ok); };
    engine e(o, orgs({"acme", "harbor"}));
    CHECK(prompt(e, "acme").value == "v1");
    CHECK(e.has_hook("acme", "prompt"));
    CHECK_FALSE(e.has_hook("acme", "assistant"));
    CHECK(e.status("acme")->version == 1);

    put(dir, "orgs/acme.lua", "function prompt()\n  return 'v2'\nend\nfunction assistant() return {} end\n");
    e.reload();
    CHECK(prompt(e, "acme").value == "v2");
    CHECK(e.has_hook("acme", "assistant"));
    CHECK(e.status("acme")->version == 2);

    put(dir, "orgs/acme.lua", "function prompt()\n  return 'v3' +\nend\n");
    e.reload();
    CHECK(prompt(e, "acme").value == "v2");
    auto s = e.status("acme");
    CHECK(s->version == 2);
    CHECK_THAT(s->error, Catch::Contains("orgs/acme.lua:3:"));
    REQUIRE(loads.size() == 3);
    CHECK(loads.back() == std::pair<std::string, bool>{"acme", false});

    e.reload();  // nothing changed: not tried again
    CHECK(loads.size() == 3);

    put(dir, "orgs/acme.lua", "function prompt() return 'v4' end");
    e.reload();
    CHECK(prompt(e, "acme").value == "v4");
    CHECK(e.status("acme")->error.empty());

    fs::remove(dir.path() / "orgs" / "acme.lua");
    e.reload();
    CHECK(prompt(e, "acme").state == hook_result::status::no_hook);
    CHECK_FALSE(e.status("acme")->present);
}

TEST_CASE("a changed scripts/lib module reloads the orgs that use it", "[scripting]") {
    temp_dir dir;
    put(dir, "lib/greeting.lua", "return { text = 'hello' }");
    put(dir, "orgs/acme.lua", "local g = require('greeting') function prompt() return g.text end");
    engine e(manual(dir), orgs({"acme"}));
    CHECK(prompt(e, "acme").value == "hello");
    put(dir, "lib/greeting.lua", "return { text = 'good morning' }");
    e.reload();
    CHECK(prompt(e, "acme").value == "good morning");
}

TEST_CASE("a hook that trips a limit fails, is reported, and the next call gets a fresh state", "[scripting]") {
    temp_dir dir;
    put(dir, "orgs/acme.lua", R"(
        local calls = 0
        function prompt(ctx)
          calls = calls + 1
          if ctx.spin then while true do end end
          return calls
        end)");
    auto o = manual(dir);
    o.lim.instructions = 100'000;
    std::vector<failure_kind> failures;
    o.on_failure = [&](const std::string& org, std::string_view hook, failure_kind k) {
        CHECK(org == "acme");
        CHECK(hook == "prompt");
        failures.push_back(k);
    };
    engine e(o, orgs({"acme"}));
    CHECK(prompt(e, "acme").value == 1);
    CHECK(prompt(e, "acme").value == 2);  // the same state serves this thread
    std::vector<json::value> spin{json::parse(R"({"spin": true})")};
    auto r = e.call("acme", "prompt", spin);
    CHECK(r.failure == failure_kind::instructions);
    CHECK(failures == std::vector<failure_kind>{failure_kind::instructions});
    CHECK(prompt(e, "acme").value == 1);  // a fresh state: the spoiled one was dropped
}

TEST_CASE("each thread has its own state, and reloads under load fail no call", "[scripting]") {
    temp_dir dir;
    put(dir, "orgs/acme.lua", "local n = 0 function prompt() n = n + 1 return 'v0:' .. n end");
    std::atomic<int> failures{0};
    auto o = manual(dir);
    o.on_failure = [&](const std::string&, std::string_view, failure_kind) { ++failures; };
    engine e(o, orgs({"acme"}));
    std::atomic<bool> stop{false};
    std::atomic<int> bad{0}, calls{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < 4; ++t)
        workers.emplace_back([&] {
            int last = 0;
            std::string prefix = "v0";
            while (!stop) {
                auto r = prompt(e, "acme");
                ++calls;
                if (!r.ok()) {
                    ++bad;
                    continue;
                }
                std::string v(r.value.as_string());
                // Per thread, the counter only grows until a new version starts a new state.
                auto colon = v.find(':');
                auto p = v.substr(0, colon);
                int n = std::stoi(v.substr(colon + 1));
                if (p != prefix) {
                    prefix = p;
                    last = 0;
                }
                if (n != last + 1) ++bad;
                last = n;
            }
        });
    for (int i = 0; i < 20; ++i) {
        put(dir, "orgs/acme.lua",
            "local n = 0 function prompt() n = n + 1 return 'v" + std::to_string(i + 1) + ":' .. n end");
        e.reload();
        if (i % 5 == 0) {
            put(dir, "orgs/acme.lua", "function prompt( return end");  // broken: must not serve
            e.reload();
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    stop = true;
    for (auto& w : workers) w.join();
    CHECK(calls > 0);
    CHECK(bad == 0);
    CHECK(failures == 0);
}

TEST_CASE("the watcher picks up a change by itself", "[scripting]") {
    temp_dir dir;
    put(dir, "orgs/acme.lua", "function prompt() return 'before' end");
    auto o = manual(dir);
    o.reload_interval = std::chrono::milliseconds(20);
    engine e(o, orgs({"acme"}));
    CHECK(prompt(e, "acme").value == "before");
    put(dir, "orgs/acme.lua", "function prompt() return 'after' end");
    bool seen = false;
    for (int i = 0; i < 500 && !seen; ++i) {
        seen = prompt(e, "acme").value == "after";
        if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    CHECK(seen);
}
