// What a Lua hook costs the host (issue 5): `assistant(call)` and
// `route_tool(call, name, args)` through scripting::engine, against a C++ no-op that
// builds the same arguments and returns a fixed decision. The three cases run
// interleaved in rounds within one process and are reported as medians, because
// absolute speed on these machines drifts from minute to minute. Then a long run of
// hook calls samples the process RSS and the Lua heap of the state that served them.
//
//   bench_scripting [--calls N] [--rounds R] [--memory-calls M] [--json]
//   (or SB_BENCH_CALLS, SB_BENCH_ROUNDS, SB_BENCH_MEMORY_CALLS)
#include "host/scripting/engine.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace switchboard::scripting;

namespace {

// A typical organisation script: the assistant by dialled line, caller and time of
// day, with the caller's name passed on; tools denied by a table, one argument
// checked with string.match and others normalised. `classify` is the bench's probe
// of the state's Lua heap (the host does not call it yet).
constexpr const char* script = R"lua(
local lines = {
  ["+15559870000"] = { day = "asst_front_desk", night = "asst_after_hours" },
  ["+15559870001"] = { day = "asst_leasing",    night = "asst_after_hours" },
}
local vip = { ["+15550000001"] = true, ["+15550000002"] = true }
local denied = { issue_refund = true, delete_account = true, wire_transfer = true }

function assistant(call)
  local line = lines[call.to] or lines["+15559870000"]
  local hour = tonumber(os.date("!%H"))
  local id = (hour >= 13 and hour < 23) and line.day or line.night
  if vip[call.from] then id = "asst_concierge" end
  local meta = call.metadata or {}
  return {
    assistant_id = id,
    overrides = { variableValues = {
      name = call.customer and call.customer.name or "there",
      source = meta.source or "direct",
    } },
  }
end

function route_tool(call, name, args)
  if denied[name] then
    return { action = "deny", message = "A person on our team handles that." }
  end
  if name == "schedule_tour" then
    if not string.match(args.date or "", "^%d%d%d%d%-%d%d%-%d%d$") then
      return { action = "deny", message = "Which day would suit you?" }
    end
    local name_lower = string.lower(args.name or "")
    if name_lower ~= args.name then
      return { action = "rewrite", args = {
        date = args.date, time = args.time, name = name_lower, phone = args.phone,
      } }
    end
  end
  return { action = "allow" }
end

function classify() return collectgarbage("count") end
)lua";

// The call view the host passes to hooks.
json::object call_view() {
    return json::object{
        {"id", "01JD3Z8Q7W5K2M4N6P8R0T2V4X"},
        {"org", "acme"},
        {"provider", "vapi"},
        {"provider_call_id", "5f0c1e2a-7b3d-4c9e-8a61-2d4f6b8e0c13"},
        {"direction", "inbound"},
        {"from", "+15551230000"},
        {"to", "+15559870000"},
        {"status", "in_progress"},
        {"phase", "intake"},
        {"assistant", ""},
        {"customer", json::object{{"number", "+15551230000"}, {"name", "Dana"}}},
        {"metadata", json::object{{"source", "google_ads"}, {"campaign", "fall_open_house"}, {"unit", "4B"}}},
        {"tags", json::array{}},
        {"started_at", 1700000000},
    };
}

const json::object tool_args{{"date", "2026-11-23"}, {"time", "10:00"}, {"name", "Dana"}, {"phone", "+15551230000"}};
constexpr const char* tool_name = "schedule_tour";

// A folder of its own for the script, removed at exit.
struct scratch {
    fs::path path;
    scratch() {
        std::string t = (fs::temp_directory_path() / "sb_bench_scripting_XXXXXX").string();
        if (!mkdtemp(t.data())) throw std::runtime_error("bench_scripting: cannot create a folder under /tmp");
        path = t;
    }
    ~scratch() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

long rss_kib() {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    return -1;
}

std::uint64_t checksum = 0;  // kept and printed, so no decision can be elided
std::uint64_t failures = 0;

void fold(const json::object& decision) {
    for (auto const& kv : decision) {
        checksum += kv.key().size();
        if (kv.value().is_string()) checksum += kv.value().get_string().size();
        else if (kv.value().is_object()) checksum += kv.value().get_object().size();
    }
}

// What the host does without a script: the same argument vector, a fixed decision.
[[gnu::noinline]] json::object no_op_decision(std::span<const json::value> args) {
    checksum += args.size() + args.front().get_object().size();
    return json::object{{"action", "allow"}};
}

// What the host does with one (calls/answers.cpp, ask()): look the hook up, call it,
// take the table it returned.
json::object ask(engine& e, std::string_view hook, std::span<const json::value> args) {
    if (!e.has_hook("acme", hook)) {
        ++failures;
        return {};
    }
    auto r = e.call("acme", hook, args);
    if (!r.ok() || !r.value.is_object()) {
        ++failures;
        return {};
    }
    return std::move(r.value.as_object());
}

enum which { baseline, assistant_hook, route_tool_hook };
constexpr const char* labels[] = {"baseline (C++ no-op)", "assistant(call)", "route_tool(call, name, args)"};

void one_call(engine& e, which w, const json::object& view) {
    switch (w) {
    case baseline: {
        std::vector<json::value> args{view, json::string(tool_name), tool_args};
        fold(no_op_decision(args));
        break;
    }
    case assistant_hook: {
        std::vector<json::value> args{view};
        fold(ask(e, "assistant", args));
        break;
    }
    case route_tool_hook: {
        std::vector<json::value> args{view, json::string(tool_name), tool_args};
        fold(ask(e, "route_tool", args));
        break;
    }
    }
}

double run_ns_per_call(engine& e, which w, const json::object& view, std::uint64_t n) {
    auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < n; ++i) one_call(e, w, view);
    auto t1 = std::chrono::steady_clock::now();
    return std::chrono::duration<double, std::nano>(t1 - t0).count() / static_cast<double>(n);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    auto n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double lua_kib(engine& e) {
    std::vector<json::value> none;
    auto r = e.call("acme", "classify", none);
    return r.ok() && r.value.is_number() ? r.value.to_number<double>() : -1;
}

std::uint64_t setting(int argc, char** argv, const char* flag, const char* env, std::uint64_t fallback) {
    for (int i = 1; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], flag) == 0) return std::strtoull(argv[i + 1], nullptr, 10);
    if (auto* v = std::getenv(env); v && *v) return std::strtoull(v, nullptr, 10);
    return fallback;
}

struct sample {
    std::uint64_t calls;
    long rss;
    double lua;
};

}  // namespace

int main(int argc, char** argv) {
    bool as_json = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--json") as_json = true;
        else if (a == "--help" || a == "-h") {
            std::cout << "bench_scripting [--calls N] [--rounds R] [--memory-calls M] [--json]\n"
                         "  N calls per case per round (SB_BENCH_CALLS, default 200000), R rounds (SB_BENCH_ROUNDS,\n"
                         "  default 5), then M route_tool and M assistant calls alternating for memory\n"
                         "  (SB_BENCH_MEMORY_CALLS, default 1000000)\n";
            return 0;
        } else if (a == "--calls" || a == "--rounds" || a == "--memory-calls") ++i;
        else {
            std::cerr << "bench_scripting: unknown argument '" << a << "' (--help)\n";
            return 2;
        }
    }
    const auto n = std::max<std::uint64_t>(1, setting(argc, argv, "--calls", "SB_BENCH_CALLS", 200'000));
    const auto rounds = std::max<std::uint64_t>(1, setting(argc, argv, "--rounds", "SB_BENCH_ROUNDS", 5));
    const auto memory_calls = setting(argc, argv, "--memory-calls", "SB_BENCH_MEMORY_CALLS", 1'000'000);

    spdlog::set_level(spdlog::level::warn);  // not the script's "loaded" line; failures still show
    scratch dir;
    fs::create_directories(dir.path / "orgs");
    std::ofstream(dir.path / "orgs" / "acme.lua") << script;
    engine::options o;
    o.directory = dir.path;
    o.reload_interval = std::chrono::milliseconds(0);  // no watcher thread
    o.on_failure = [](const std::string&, std::string_view, failure_kind) { ++failures; };
    engine e(o, {org_profile{"acme", "UTC", {}}});
    const auto view = call_view();

    // The hooks must answer as intended, or the figures would time an error path.
    {
        std::vector<json::value> a{view};
        auto d = ask(e, "assistant", a);
        std::vector<json::value> r{view, json::string(tool_name), tool_args};
        auto t = ask(e, "route_tool", r);
        auto* id = d.if_contains("assistant_id");
        auto* action = t.if_contains("action");
        if (!id || !id->is_string() || id->get_string().empty() || !action || *action != "rewrite" ||
            lua_kib(e) <= 0) {
            std::cerr << "bench_scripting: the script did not answer as expected: assistant " << json::serialize(d)
                      << ", route_tool " << json::serialize(t) << "\n";
            return 1;
        }
    }

    // Warm-up, then rounds; the order rotates so drift does not favour one case.
    for (int w = 0; w < 3; ++w) run_ns_per_call(e, static_cast<which>(w), view, std::max<std::uint64_t>(n / 10, 1));
    std::vector<double> ns[3];
    for (std::uint64_t round = 0; round < rounds; ++round)
        for (int k = 0; k < 3; ++k) {
            auto w = static_cast<which>((k + round) % 3);
            ns[w].push_back(run_ns_per_call(e, w, view, n));
        }
    double med[3];
    for (int w = 0; w < 3; ++w) med[w] = median(ns[w]);

    // Memory: route_tool and assistant alternating on the same state.
    std::vector<sample> samples{{0, rss_kib(), lua_kib(e)}};
    double lua_min = samples[0].lua, lua_max = samples[0].lua;
    const std::uint64_t marks[] = {memory_calls / 10, memory_calls / 2, memory_calls};
    std::size_t next_mark = 0;
    while (next_mark < 3 && marks[next_mark] == 0) ++next_mark;
    auto mem_t0 = std::chrono::steady_clock::now();
    for (std::uint64_t i = 1; i <= memory_calls; ++i) {
        one_call(e, route_tool_hook, view);
        one_call(e, assistant_hook, view);
        if (i % 10'000 == 0) {
            auto kib = lua_kib(e);
            lua_min = std::min(lua_min, kib);
            lua_max = std::max(lua_max, kib);
        }
        while (next_mark < 3 && i == marks[next_mark]) {
            samples.push_back({i, rss_kib(), lua_kib(e)});
            ++next_mark;
        }
    }
    auto mem_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - mem_t0).count();

    const double overhead_us[3] = {0, (med[assistant_hook] - med[baseline]) / 1000,
                                   (med[route_tool_hook] - med[baseline]) / 1000};
    const auto& first = samples.size() > 1 ? samples[1] : samples[0];
    const auto& last = samples.back();
    const long rss_growth = last.rss - first.rss;
    const double lua_growth = last.lua - first.lua;

    if (as_json) {
        json::object out{
            {"bench", "scripting"},
            {"calls_per_round", n},
            {"rounds", rounds},
            {"baseline_ns", med[baseline]},
            {"assistant_ns", med[assistant_hook]},
            {"route_tool_ns", med[route_tool_hook]},
            {"assistant_overhead_us", overhead_us[assistant_hook]},
            {"route_tool_overhead_us", overhead_us[route_tool_hook]},
            {"assistant_calls_per_s", 1e9 / med[assistant_hook]},
            {"route_tool_calls_per_s", 1e9 / med[route_tool_hook]},
            {"memory_calls", memory_calls},
            {"rss_kib", json::array{}},
            {"lua_kib", json::array{}},
            {"rss_growth_kib", rss_growth},
            {"lua_growth_kib", lua_growth},
            {"lua_min_kib", lua_min},
            {"lua_max_kib", lua_max},
            {"failures", failures},
            {"checksum", checksum},
        };
        for (auto const& s : samples) {
            out["rss_kib"].as_array().push_back(json::array{s.calls, s.rss});
            out["lua_kib"].as_array().push_back(json::array{s.calls, s.lua});
        }
        std::cout << json::serialize(out) << "\n";
        return failures ? 1 : 0;
    }

    std::printf("scripting hooks through scripting::engine (Lua 5.4), %llu rounds x %llu calls per case, medians\n",
                static_cast<unsigned long long>(rounds), static_cast<unsigned long long>(n));
    std::printf("  %-30s %10s %12s %14s   %s\n", "case", "ns/call", "calls/s", "overhead/call", "rounds (ns/call)");
    for (int w = 0; w < 3; ++w) {
        std::string all;
        for (auto v : ns[w]) all += (all.empty() ? "" : " ") + std::to_string(static_cast<long>(v));
        char over[32];
        if (w == baseline) std::snprintf(over, sizeof over, "-");
        else std::snprintf(over, sizeof over, "%.2f us", overhead_us[w]);
        std::printf("  %-30s %10.0f %12.0f %14s   %s\n", labels[w], med[w], 1e9 / med[w], over, all.c_str());
    }
    std::printf("memory: %llu route_tool + %llu assistant calls alternating, %.1f s (%.0f calls/s)\n",
                static_cast<unsigned long long>(memory_calls), static_cast<unsigned long long>(memory_calls), mem_s,
                2.0 * static_cast<double>(memory_calls) / mem_s);
    std::printf("  %-14s %12s %14s\n", "after (pairs)", "RSS (KiB)", "Lua heap (KiB)");
    for (auto const& s : samples)
        std::printf("  %-14llu %12ld %14.1f\n", static_cast<unsigned long long>(s.calls), s.rss, s.lua);
    std::printf("  growth %llu -> %llu: RSS %+ld KiB, Lua heap %+.1f KiB (Lua heap sampled every 10k: %.1f..%.1f KiB)\n",
                static_cast<unsigned long long>(first.calls), static_cast<unsigned long long>(last.calls), rss_growth,
                lua_growth, lua_min, lua_max);
    std::printf("targets: overhead < 20 us per hook: %s; no memory growth: %s (RSS %+ld KiB)\n",
                overhead_us[assistant_hook] < 20 && overhead_us[route_tool_hook] < 20 ? "met" : "NOT met",
                rss_growth <= 0 ? "met" : (rss_growth < 256 ? "met (within 256 KiB page noise)" : "NOT met"),
                rss_growth);
    std::printf("(failed hook calls: %llu; checksum %llu)\n", static_cast<unsigned long long>(failures),
                static_cast<unsigned long long>(checksum));
    return failures ? 1 : 0;
}
