// Hot reload under load, on the real binary: client threads keep asking Vapi tool
// questions while the org's script is rewritten many times (atomically, in place with
// a torn middle, and broken in three ways). Every answer must come from a version that
// loaded, per client never older than the one before, and the host must report the
// broken versions while the previous one keeps serving.
#include "host_fixture.hpp"

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <vector>

using namespace switchboard::testing;
namespace json = boost::json;
namespace fs = std::filesystem;

namespace {

constexpr const char* secret = "it-vapi-secret";
constexpr int client_count = 6;

// Version n denies get_office_hours with the spoken message "v<n>". The cut point
// splits it inside the returned table, so a reader that sees only the first part gets
// a syntax error.
std::string good_script(int n) {
    return "-- version " + std::to_string(n) +
           "\nfunction route_tool(call, name, args)\n"
           "  if name == 'get_office_hours' then\n"
           "    return { action = 'deny', message = 'v" +
           std::to_string(n) + "' }\n  end\n  return nil\nend\n";
}

// Each broken version would also deny with its own "v<n>" if it were ever served;
// line 8 is where it breaks.
enum class breakage { syntax, runtime, endless };

std::string broken_script(int n, breakage b) {
    auto s = good_script(n);
    switch (b) {
    case breakage::syntax: return s + "broken_v" + std::to_string(n) + " broken_v" + std::to_string(n) + "\n";
    case breakage::runtime: return s + "error('broken v" + std::to_string(n) + "')\n";
    case breakage::endless: return s + "while true do end\n";
    }
    return s;
}

// What the org status must say about a broken version (the error names file and line).
std::string expected_error(int n, breakage b) {
    switch (b) {
    case breakage::syntax: return "syntax error near 'broken_v" + std::to_string(n) + "'";
    case breakage::runtime: return "broken v" + std::to_string(n);
    case breakage::endless: return "while loading";
    }
    return {};
}

struct response_record {
    int status = 0;       // HTTP status; 0: the request itself failed
    std::string spoken;   // results[0].result, or what went wrong
    bool well_formed = false;
};

std::string tool_call_body(const std::string& id) {
    return R"({"message":{"type":"tool-calls","toolCallList":[{"id":")" + id +
           R"(","type":"function","function":{"name":"get_office_hours","arguments":{}}}],"call":{"id":"call-)" + id +
           R"("}}})";
}

// Never throws and never asserts: client threads use it (Catch2 v2 is not thread safe).
response_record ask(http_client& c, const std::string& id) {
    response_record rec;
    try {
        auto r = c.request("POST", "/webhooks/vapi/acme", tool_call_body(id),
                           {{"Content-Type", "application/json"}, {"X-Vapi-Secret", secret}});
        rec.status = r.status;
        rec.spoken = r.body;
        auto v = json::parse(r.body);
        auto const& results = v.at("results").as_array();
        if (results.size() != 1) return rec;
        auto const& one = results[0].as_object();
        if (one.at("toolCallId").as_string() != id.c_str() || one.at("name").as_string() != "get_office_hours")
            return rec;
        rec.spoken = std::string(one.at("result").as_string());
        rec.well_formed = true;
    } catch (const std::exception& e) {
        rec.spoken += std::string(" [") + e.what() + "]";
    }
    return rec;
}

// "v<n>" -> n; -1 for anything else.
int version_of(const std::string& spoken) {
    if (spoken.size() < 2 || spoken[0] != 'v' || spoken.size() > 8) return -1;
    int n = 0;
    for (std::size_t i = 1; i < spoken.size(); ++i) {
        if (spoken[i] < '0' || spoken[i] > '9') return -1;
        n = n * 10 + (spoken[i] - '0');
    }
    return n;
}

// Sum of every sample of a series whose name and labels start with `prefix`.
double metric_sum(const std::string& text, const std::string& prefix) {
    double sum = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(prefix, 0) == 0) sum += std::stod(line.substr(line.rfind(' ') + 1));
    return sum;
}

void reload_under_load(db_kind kind) {
    temp_dir scripts;
    auto script = scripts.write("orgs/acme.lua", good_script(1));
    host_options o;
    o.org_yaml = std::string("orgs:\n  - id: acme\n    api_keys: [\"") + acme_key + "\"]\n" +
                 "    plugins:\n      vapi: {webhook_secret: \"" + secret + "\"}\n" +
                 "    answers:\n      fallback_result: Let me find someone who knows.\n";
    o.plugins_yaml = std::string("plugins:\n  directories: [\"") + SB_PLUGIN_DIR +
                     "\"]\n  load:\n    - name: vapi\n      required: true\n    - name: tour_scheduling\n"
                     "      required: true\n";
    o.extra_yaml = "scripting:\n  directory: \"" + scripts.path().string() +
                   "\"\n  instruction_limit: 100000\n  reload_interval_ms: 20\n";
    host h(kind, o);
    h.start();

    http_client mine("127.0.0.1", h.port());
    int asked = 0;
    auto served = [&] { return ask(mine, "main-" + std::to_string(asked++)); };
    {
        auto first = served();
        INFO(first.spoken);
        REQUIRE(first.status == 200);
        REQUIRE(first.spoken == "v1");
    }

    // The clients: ask until told the final version serves, then once more.
    std::atomic<bool> final_seen{false};
    std::atomic<int> started{0};
    std::vector<std::vector<response_record>> records(client_count);
    std::vector<response_record> last(client_count);
    std::vector<std::thread> clients;
    for (int t = 0; t < client_count; ++t)
        clients.emplace_back([&, t] {
            // Half keep one connection alive, half open a fresh one per request.
            std::unique_ptr<http_client> kept;
            if (t % 2 == 0) kept = std::make_unique<http_client>("127.0.0.1", h.port());
            auto one = [&](const std::string& id) {
                if (kept) return ask(*kept, id);
                http_client fresh("127.0.0.1", h.port());
                return ask(fresh, id);
            };
            for (int i = 0;; ++i) {
                bool stop = final_seen.load();
                auto rec = one("c" + std::to_string(t) + "-" + std::to_string(i));
                if (stop) {
                    last[t] = rec;
                    break;
                }
                records[t].push_back(std::move(rec));
                if (i == 0) ++started;
                // Steady load, not a flood: the two cores also run the host and the writer.
                std::this_thread::sleep_for(std::chrono::microseconds(500));
            }
        });
    struct joiner {
        std::vector<std::thread>& ts;
        std::atomic<bool>& stop;
        ~joiner() {
            stop = true;
            for (auto& t : ts)
                if (t.joinable()) t.join();
        }
    } join_clients{clients, final_seen};

    auto poll = [](auto&& done) {
        for (int i = 0; i < 3000; ++i) {  // up to about a minute: generous, not a threshold
            if (done()) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    };
    REQUIRE(poll([&] { return started.load() == client_count; }));

    auto write_atomically = [&](const std::string& text) {
        auto tmp = scripts.write("acme.lua.tmp", text);  // outside orgs/: never looked at
        fs::rename(tmp, script);
    };
    // Truncate and write in two parts with a pause between, so the watcher may read
    // the first part alone: that torn text must be refused, never served.
    auto write_in_place = [&](const std::string& text) {
        auto cut = text.find("message");
        REQUIRE(cut != std::string::npos);
        int fd = ::open(script.c_str(), O_WRONLY | O_TRUNC);
        REQUIRE(fd >= 0);
        REQUIRE(::write(fd, text.data(), cut) == static_cast<ssize_t>(cut));
        std::this_thread::sleep_for(std::chrono::milliseconds(30));
        REQUIRE(::write(fd, text.data() + cut, text.size() - cut) == static_cast<ssize_t>(text.size() - cut));
        ::close(fd);
    };

    std::set<int> good{1};
    std::set<int> broken;
    int last_good = 1;
    const std::map<int, breakage> breaks{{6, breakage::syntax},   {11, breakage::runtime}, {16, breakage::endless},
                                         {21, breakage::syntax},  {26, breakage::runtime}, {31, breakage::endless}};
    const int final_version = 36;
    for (int n = 2; n <= final_version; ++n) {
        const bool in_place = n % 4 == 3;
        if (auto b = breaks.find(n); b != breaks.end()) {
            // Let the last good version serve first, so what follows is about this one.
            CAPTURE(n, last_good);
            REQUIRE(poll([&] { return served().spoken == "v" + std::to_string(last_good); }));
            broken.insert(n);
            auto text = broken_script(n, b->second);
            if (in_place) write_in_place(text);
            else write_atomically(text);
            std::string error;
            bool reported = poll([&] {
                auto org = h.get("/api/v1/orgs/acme", acme_key);
                if (org.status != 200) return false;
                error = std::string(json::parse(org.body).at("script").at("error").as_string());
                return error.find(expected_error(n, b->second)) != std::string::npos;
            });
            INFO("script.error: " << error);
            CHECK(reported);
            CHECK_THAT(error, Catch::Contains("orgs/acme.lua:8:"));
            // The previous version keeps serving.
            auto now = served();
            CHECK(now.status == 200);
            CHECK(now.spoken == "v" + std::to_string(last_good));
            auto org = json::parse(h.get("/api/v1/orgs/acme", acme_key).body).as_object();
            CHECK(org.at("script").at("present") == true);
            CHECK(org.at("script").at("hooks") == json::parse(R"(["route_tool"])"));
        } else {
            good.insert(n);
            last_good = n;
            if (in_place) write_in_place(good_script(n));
            else write_atomically(good_script(n));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(30 + (n * 7) % 31));
    }

    // The final version serves (after a settle wait of whatever length it takes)...
    REQUIRE(poll([&] { return served().spoken == "v" + std::to_string(final_version); }));
    // ...and every client's next answer, asked after that, comes from it.
    final_seen = true;
    for (auto& t : clients) t.join();

    std::size_t total = 0;
    std::set<int> observed;
    for (int t = 0; t < client_count; ++t) {
        INFO("client " << t);
        REQUIRE_FALSE(records[t].empty());
        CHECK(records[t].front().spoken == "v1");
        int previous = 0;
        for (std::size_t i = 0; i < records[t].size(); ++i) {
            auto const& r = records[t][i];
            INFO("request " << i << ": HTTP " << r.status << ": " << r.spoken);
            REQUIRE(r.status == 200);
            REQUIRE(r.well_formed);
            int v = version_of(r.spoken);
            REQUIRE(v > 0);
            REQUIRE(good.count(v) == 1);  // never a broken version, a fallback or the tool itself
            REQUIRE(v >= previous);       // never back to an older version
            previous = v;
            observed.insert(v);
        }
        total += records[t].size();
        INFO("after the final version served: HTTP " << last[t].status << ": " << last[t].spoken);
        CHECK(last[t].status == 200);
        CHECK(last[t].spoken == "v" + std::to_string(final_version));
    }
    WARN(total << " answers from " << client_count << " clients; " << observed.size() << " of " << good.size()
                << " good versions observed");
    // The clients saw reloads happen, not just the first version.
    CHECK(observed.size() >= 2);

    auto metrics = h.get("/metrics").body;
    INFO(metrics);
    CHECK(metric_sum(metrics, R"(switchboard_script_loads_total{org="acme",result="failed"})") >=
          static_cast<double>(broken.size()));
    CHECK(metric_sum(metrics, R"(switchboard_script_loads_total{org="acme",result="loaded"})") >= 2);
    // No hook call failed: no answer came from a default.
    CHECK(metric_sum(metrics, R"(switchboard_script_failures_total{org="acme")") == 0);

    auto org = json::parse(h.get("/api/v1/orgs/acme", acme_key).body).as_object();
    CHECK(org.at("script").at("error").as_string().empty());
    CHECK(h.proc().running());
}

// Reloading does not touch the store: SQLite only.
TEST_CASE("a script rewritten many times under load: every answer comes from a version that loaded",
          "[scripts][reload][sqlite]") {
    reload_under_load(db_kind::sqlite);
}

}  // namespace
