#include "host/app/application.hpp"

#include "host/api/api_context.hpp"
#include "host/api/routes.hpp"
#include "host/app/dispatcher.hpp"
#include "host/calls/event_bus.hpp"
#include "host/calls/pipeline.hpp"
#include "host/calls/retrier.hpp"
#include "host/app/logging.hpp"
#include "host/auth/authenticator.hpp"
#include "host/config/config.hpp"
#include "host/http/router.hpp"
#include "host/http/server.hpp"
#include "host/ops/host_metrics.hpp"
#include "host/ops/metrics.hpp"
#include "host/plugins/describe.hpp"
#include "host/plugins/registry.hpp"
#include "host/store/store.hpp"

#include <spdlog/spdlog.h>

#include "host/api/json_views.hpp"

#include <boost/json.hpp>

#include <csignal>
#include <fstream>
#include <set>
#include <filesystem>
#include <cstdio>
#include <iostream>
#include <optional>

namespace switchboard::app {
namespace {

constexpr int exit_config = 2;    // the config (or a required plugin) is wrong
constexpr int exit_runtime = 1;   // the store or the listen address failed

std::optional<config::config> read_config(const std::string& path) {
    try {
        return config::load(path);
    } catch (const config::config_error& e) {
        for (auto const& p : e.problems()) std::cerr << p << "\n";
        std::cerr << path << ": " << e.problems().size() << " problem(s); nothing was started\n";
        return std::nullopt;
    }
}

// Loads the plugins the config names and validates their sections. Returns false
// (after printing why) when a required plugin failed or a section is invalid.
bool load_plugins(plugins::registry& registry, config::config& cfg, bool print_failures) {
    auto report = registry.load(cfg.plugins, cfg.orgs, std::filesystem::path(cfg.file).parent_path());
    for (auto const& f : report.failures) {
        if (print_failures) std::cerr << f.message << "\n";
        spdlog::log(f.required ? spdlog::level::err : spdlog::level::warn, "{}", f.message);
    }
    return !report.fatal;
}

// Organisations from YAML become rows, keeping settings edited through the API.
void sync_orgs(store::store& db, const config::config& cfg) {
    for (auto const& org : cfg.orgs) {
        db.upsert_org(org.id, org.name);
        auto row = db.get_org(org.id);
        if (row && row->config.empty() && !org.settings.empty()) db.set_org_config(org.id, org.settings);
    }
}

// Blocks SIGINT/SIGTERM in every thread started after this, so that only
// wait_for_signal() (via sigwait) sees them.
sigset_t block_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

}  // namespace

int serve(const std::string& config_path) {
    auto signals = block_stop_signals();
    auto cfg = read_config(config_path);
    if (!cfg) return exit_config;
    try {
        setup_logging(cfg->logging.level, cfg->logging.format);
    } catch (const std::exception& e) {
        std::cerr << config_path << ": logging: " << e.what() << "\n";
        return exit_config;
    }
    spdlog::info("switchboard starting: config {}, {} org(s)", cfg->file, cfg->orgs.size());

    std::unique_ptr<store::store> db;
    try {
        db = std::make_unique<store::store>(cfg->database.url, cfg->database.pool_size);
        int applied = db->migrate();
        spdlog::info("store ready ({}), {} migration(s) applied, schema version {}",
                     db->kind() == store::backend::sqlite ? "sqlite" : "postgresql", applied, db->schema_version());
        sync_orgs(*db, *cfg);
    } catch (const std::exception& e) {
        spdlog::critical("database: {}", e.what());
        return exit_runtime;
    }

    ops::registry metrics_registry;
    ops::host_metrics metrics(metrics_registry, "0.1.0");
    plugins::registry registry;
    if (!load_plugins(registry, *cfg, false)) {
        spdlog::critical("a required plugin failed to load; not starting");
        return exit_config;
    }
    for (auto const& f : registry.failures()) metrics.plugin_load_failures.with({f.name}).inc();
    metrics_registry.on_scrape([&db, &metrics] {
        try {
            for (auto s : {sdk::call_status::queued, sdk::call_status::ringing, sdk::call_status::in_progress,
                           sdk::call_status::completed, sdk::call_status::failed, sdk::call_status::missed,
                           sdk::call_status::transferred})
                metrics.calls.with({sdk::to_string(s)}).set(0);
            for (auto const& [status, n] : db->count_calls_by_status())
                metrics.calls.with({sdk::to_string(status)}).set(static_cast<double>(n));
        } catch (const std::exception& e) {
            spdlog::warn("metrics: cannot count calls: {}", e.what());  // the scrape still answers
        }
    });

    auth::authenticator authenticator(cfg->auth);
    calls::event_bus bus;
    auto pipeline = std::make_unique<calls::pipeline>(*cfg, *db, registry, metrics, bus);
    api::api_context ctx{*cfg, *db, registry, metrics_registry, *pipeline};
    http::router routes;
    api::add_call_routes(routes, ctx);
    api::add_org_routes(routes, ctx);
    api::add_ops_routes(routes, ctx);
    api::add_webhook_routes(routes, ctx);
    api::add_inbox_routes(routes, ctx);
    api::add_assistant_routes(routes, ctx);
    api::add_outbound_routes(routes, ctx);
    auto retries = std::make_unique<calls::retrier>(*db, *pipeline);
    retries->start();  // also resumes what a previous run left pending
    dispatcher dispatch(routes, authenticator, metrics, cfg->server.cors_origins, cfg->server.rate_limit_per_minute);

    http::server_options opts;
    opts.host = cfg->server.host;
    opts.port = cfg->server.port;
    opts.io_threads = cfg->server.io_threads;
    opts.worker_threads = cfg->server.worker_threads;
    opts.body_limit_bytes = cfg->server.body_limit_bytes;
    opts.read_timeout = std::chrono::milliseconds(cfg->server.read_timeout_ms);
    opts.idle_timeout = std::chrono::milliseconds(cfg->server.idle_timeout_ms);
    opts.run_inline = [&routes](const http::request& req) {
        auto m = routes.match(req);
        return m.found && m.found->non_blocking;
    };
    http::server server(opts, [&dispatch](http::request& req) { return dispatch(req); });
    try {
        server.start();
    } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        return exit_runtime;
    }
    spdlog::info("listening on http://{}:{}", opts.host, server.bound_port());

    int sig = 0;
    sigwait(&signals, &sig);
    spdlog::info("{} received: draining (grace {} ms)", sig == SIGINT ? "SIGINT" : "SIGTERM",
                 cfg->server.shutdown_grace_ms);
    ctx.draining = true;
    server.stop(std::chrono::milliseconds(cfg->server.shutdown_grace_ms));
    retries.reset();
    pipeline.reset();  // after the last handler: the committer finishes its batch
    db.reset();        // then the pool (and SQLite's WAL) closes cleanly
    spdlog::info("stopped");
    return 0;
}

int check_config(const std::string& config_path) {
    auto cfg = read_config(config_path);
    if (!cfg) return exit_config;
    setup_logging("warn", "text");
    plugins::registry registry;
    bool ok = load_plugins(registry, *cfg, true);
    if (!ok) {
        std::cerr << config_path << ": invalid\n";
        return exit_config;
    }
    std::cout << config_path << ": OK (" << cfg->orgs.size() << " org(s), " << registry.plugins().size()
              << " plugin(s) loaded, " << registry.failures().size() << " optional plugin(s) failed)\n";
    return 0;
}

int migrate(const std::string& config_path) {
    auto cfg = read_config(config_path);
    if (!cfg) return exit_config;
    setup_logging("warn", "text");
    try {
        store::store db(cfg->database.url, 1);
        int applied = db.migrate();
        std::cout << "applied " << applied << " migration(s); schema version " << db.schema_version() << "\n";
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "migrate: " << e.what() << "\n";
        return exit_runtime;
    }
}

int replay(const std::string& config_path, const std::string& file, const std::string& org,
           const std::string& provider) {
    auto cfg = read_config(config_path);
    if (!cfg) return exit_config;
    setup_logging("warn", "text");
    std::ifstream in(file);
    if (!in) {
        std::cerr << "replay: cannot open " << file << "\n";
        return exit_runtime;
    }
    const auto* target = cfg->find_org(org.empty() ? cfg->default_org : org);
    if (!target) {
        std::cerr << "replay: unknown organisation '" << org << "'\n";
        return exit_config;
    }
    try {
        store::store db(cfg->database.url, 2);
        db.migrate();
        sync_orgs(db, *cfg);
        plugins::registry registry;
        if (!load_plugins(registry, *cfg, true)) return exit_config;
        ops::registry metrics_registry;
        ops::host_metrics metrics(metrics_registry, "0.1.0");
        calls::event_bus bus;
        calls::pipeline pipeline(*cfg, db, registry, metrics, bus);
        std::set<std::string> provider_call_ids;
        int line_no = 0, failed = 0;
        for (std::string line; std::getline(in, line);) {
            ++line_no;
            if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
            calls::webhook_input w{provider, target->id, "POST", "/replay", line, {}, true};
            auto r = pipeline.ingest(w);
            std::cout << file << ":" << line_no << ": " << r.status << (r.duplicate ? " (duplicate)" : "") << " "
                      << r.body << "\n";
            if (r.status >= 400) ++failed;
            boost::system::error_code ec;
            auto v = boost::json::parse(line, ec);
            if (ec || !v.is_object()) continue;
            auto const* msg = v.as_object().if_contains("message");
            auto const& o = msg && msg->is_object() ? msg->as_object() : v.as_object();
            if (auto const* c = o.if_contains("call"); c && c->is_object())
                if (auto const* id = c->as_object().if_contains("id"); id && id->is_string())
                    provider_call_ids.insert(std::string(id->as_string()));
        }
        for (auto const& pcid : provider_call_ids) {
            auto row = db.find_call(provider, pcid);
            if (!row) continue;
            auto detail = api::call_detail_json(*row, db.transcript(row->call.id), db.status_history(row->call.id));
            std::cout << boost::json::serialize(detail) << "\n";
        }
        return failed ? 1 : 0;
    } catch (const std::exception& e) {
        std::cerr << "replay: " << e.what() << "\n";
        return exit_runtime;
    }
}

int list_plugins(const std::string& config_path) {
    auto cfg = read_config(config_path);
    if (!cfg) return exit_config;
    setup_logging("error", "text");
    plugins::registry registry;
    bool ok = load_plugins(registry, *cfg, false);
    std::cout << plugins::describe(registry);
    return ok && registry.failures().empty() ? 0 : 1;
}

}  // namespace switchboard::app
