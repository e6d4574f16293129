#include "host/ops/host_metrics.hpp"
#include "host/ops/metrics.hpp"

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

using namespace switchboard;

TEST_CASE("render: exact text for a small registry", "[metrics]") {
    ops::registry reg;
    auto& req = reg.counter("app_requests_total", "Requests.", {"route", "status"});
    auto& temp = reg.gauge("app_temperature", "Current temperature.");
    req.with({"/b", "200"}).inc();
    req.with({"/a", "500"}).inc(2);
    req.with({"/a", "200"}).inc();
    req.with({"/a", "200"}).inc();
    temp.with({}).set(21.5);

    CHECK(reg.render() ==
          "# HELP app_requests_total Requests.\n"
          "# TYPE app_requests_total counter\n"
          "app_requests_total{route=\"/a\",status=\"200\"} 2\n"
          "app_requests_total{route=\"/a\",status=\"500\"} 2\n"
          "app_requests_total{route=\"/b\",status=\"200\"} 1\n"
          "# HELP app_temperature Current temperature.\n"
          "# TYPE app_temperature gauge\n"
          "app_temperature 21.5\n");
}

TEST_CASE("render: label values and help text are escaped", "[metrics]") {
    ops::registry reg;
    reg.counter("esc_total", "Back\\slash and\nnewline \"quoted\".", {"v"}).with({"a\\b\"c\nd"}).inc();
    CHECK(reg.render() ==
          "# HELP esc_total Back\\\\slash and\\nnewline \"quoted\".\n"
          "# TYPE esc_total counter\n"
          "esc_total{v=\"a\\\\b\\\"c\\nd\"} 1\n");
    CHECK(ops::escape_label_value("plain") == "plain");
    CHECK(ops::format_value(0.0005) == "0.0005");
    CHECK(ops::format_value(3.0) == "3");
    CHECK(ops::format_value(1.0 / 0.0) == "+Inf");
}

TEST_CASE("histogram buckets are cumulative, with +Inf, _sum and _count", "[metrics]") {
    ops::registry reg;
    auto& h = reg.histogram("lat_seconds", "Latency.", {"route"}, {0.1, 0.5, 1});
    auto& s = h.with({"/x"});
    for (double v : {0.05, 0.1, 0.3, 0.7, 2.0, 3.0}) s.observe(v);

    CHECK(reg.render() ==
          "# HELP lat_seconds Latency.\n"
          "# TYPE lat_seconds histogram\n"
          "lat_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"  // 0.1 is "less or equal"
          "lat_seconds_bucket{route=\"/x\",le=\"0.5\"} 3\n"
          "lat_seconds_bucket{route=\"/x\",le=\"1\"} 4\n"
          "lat_seconds_bucket{route=\"/x\",le=\"+Inf\"} 6\n"
          "lat_seconds_sum{route=\"/x\"} 6.15\n"
          "lat_seconds_count{route=\"/x\"} 6\n");
}

TEST_CASE("default latency buckets span 0.5 ms to 10 s", "[metrics]") {
    ops::registry reg;
    auto& h = reg.histogram("d_seconds", "D.");
    CHECK(h.bounds().front() == 0.0005);
    CHECK(h.bounds().back() == 10.0);
    h.with({}).observe(0.0001);
    const auto text = reg.render();
    CHECK(text.find("d_seconds_bucket{le=\"0.0005\"} 1\n") != std::string::npos);
    CHECK(text.find("d_seconds_bucket{le=\"10\"} 1\n") != std::string::npos);
    CHECK(text.find("d_seconds_count 1\n") != std::string::npos);
}

TEST_CASE("series are stable handles, lookups return the same series", "[metrics]") {
    ops::registry reg;
    auto& fam = reg.counter("h_total", "H.", {"k"});
    auto& a = fam.with({"x"});
    std::string key = "x";
    CHECK(&fam.with({std::string_view(key)}) == &a);
    CHECK(&reg.counter("h_total", "H.", {"k"}) == &fam);
}

TEST_CASE("registry rejects conflicting or invalid definitions", "[metrics]") {
    ops::registry reg;
    reg.counter("x_total", "X.", {"a"});
    CHECK_THROWS_AS(reg.gauge("x_total", "X."), std::invalid_argument);
    CHECK_THROWS_AS(reg.counter("x_total", "X.", {"b"}), std::invalid_argument);
    CHECK_THROWS_AS(reg.counter("bad-name", "X."), std::invalid_argument);
    CHECK_THROWS_AS(reg.counter("y_total", "Y.", {"bad label"}), std::invalid_argument);
    CHECK_THROWS_AS(reg.histogram("z", "Z.", {"le"}), std::invalid_argument);
    CHECK_THROWS_AS(reg.histogram("w", "W.", {}, {1, 0.5}), std::invalid_argument);
    CHECK_THROWS_WITH(reg.counter("x_total", "X.", {"a"}).with({"1", "2"}),
                      "metric x_total: expected 1 label value(s), got 2");
}

TEST_CASE("concurrent increments from several threads sum correctly", "[metrics]") {
    ops::registry reg;
    auto& fam = reg.counter("c_total", "C.", {"t"});
    auto& hist = reg.histogram("c_seconds", "C.", {}, {1.0});
    constexpr int threads = 4, per_thread = 20000;
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            const std::string mine = "t" + std::to_string(t % 2);  // two threads share each series
            for (int i = 0; i < per_thread; ++i) {
                fam.with({"shared"}).inc();
                fam.with({std::string_view(mine)}).inc();
                hist.with({}).observe(i % 2 ? 0.5 : 2.0);
            }
        });
    }
    for (auto& th : pool) th.join();
    CHECK(fam.with({"shared"}).value() == threads * per_thread);
    CHECK(fam.with({"t0"}).value() == 2 * per_thread);
    CHECK(fam.with({"t1"}).value() == 2 * per_thread);
    const auto counts = hist.with({}).bucket_counts();
    CHECK(counts[0] == threads * per_thread / 2);
    CHECK(counts[1] == threads * per_thread / 2);
    CHECK(hist.with({}).sum() == Approx(threads * (per_thread / 2) * 2.5));
}

TEST_CASE("scrape hooks run before rendering, a throwing hook does not stop the scrape", "[metrics]") {
    ops::registry reg;
    ops::host_metrics m(reg, "1.2.3");
    int runs = 0;
    reg.on_scrape([&] {
        ++runs;
        m.calls.with({"active"}).set(runs * 10);
    });
    reg.on_scrape([] { throw std::runtime_error("store down"); });
    auto first = reg.render();
    CHECK(first.find("switchboard_calls{status=\"active\"} 10\n") != std::string::npos);
    auto second = reg.render();
    CHECK(second.find("switchboard_calls{status=\"active\"} 20\n") != std::string::npos);
    CHECK(second.find("switchboard_build_info{version=\"1.2.3\"} 1\n") != std::string::npos);
}

TEST_CASE("host_metrics registers the families the host feeds", "[metrics]") {
    ops::registry reg;
    ops::host_metrics m(reg, "0.1.0");
    m.http_requests.with({"/api/v1/calls/{id}", "GET", "200"}).inc();
    m.http_request_duration.with({"/api/v1/calls/{id}"}).observe(0.003);
    m.plugin_load_failures.with({"vapi"}).inc();
    m.webhook_rejected.with({"vapi", "bad signature"}).inc();
    const auto text = reg.render();
    for (const char* line : {
             "# TYPE switchboard_http_requests_total counter\n",
             "switchboard_http_requests_total{route=\"/api/v1/calls/{id}\",method=\"GET\",status=\"200\"} 1\n",
             "# TYPE switchboard_http_request_duration_seconds histogram\n",
             "switchboard_http_request_duration_seconds_bucket{route=\"/api/v1/calls/{id}\",le=\"0.0025\"} 0\n",
             "switchboard_http_request_duration_seconds_bucket{route=\"/api/v1/calls/{id}\",le=\"0.005\"} 1\n",
             "# TYPE switchboard_calls gauge\n",
             "switchboard_plugin_load_failures_total{plugin=\"vapi\"} 1\n",
             "switchboard_webhook_rejected_total{provider=\"vapi\",reason=\"bad signature\"} 1\n",
             "switchboard_build_info{version=\"0.1.0\"} 1\n",
         }) {
        INFO(line);
        CHECK(text.find(line) != std::string::npos);
    }
}
