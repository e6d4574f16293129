#include "host/app/application.hpp"

#include "host/api/api_context.hpp"
#include "host/api/routes.hpp"
#include "host/app/dispatcher.hpp"
#include "host/calls/event_bus.hpp"
#include "host/calls/pipeline.hpp"
#include "host/calls/retrier.hpp"
#include "host/app/logging.hpp"
#include "host/app/startup.hpp"
#include "host/auth/authenticator.hpp"
#include "host/config/config.hpp"
#include "host/http/router.hpp"
#include "host/http/server.hpp"
#include "host/ops/host_metrics.hpp"
#include "host/ops/metrics.hpp"
#include "host/plugins/describe.hpp"
#include "host/knowledge/library.hpp"
#include "host/plugins/registry.hpp"
#include "host/scripting/engine.hpp"
#include "host/store/store.hpp"

#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

namespace switchboard::app {
namespace {

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

// The orgs' Lua scripts, with failures and loads counted in /metrics. Destroyed
// before `metrics`, which its callbacks use (declared after it).
std::unique_ptr<scripting::engine> start_scripts(const config::config& cfg, ops::host_metrics& metrics,
                                                 knowledge::library& kb) {
    scripting::engine::options o;
    o.directory = cfg.scripting.directory;
    o.lim.instructions = cfg.scripting.instruction_limit;
    o.lim.time = std::chrono::milliseconds(cfg.scripting.time_limit_ms);
    o.lim.memory_bytes = std::size_t(cfg.scripting.memory_limit_mb) << 20;
    o.reload_interval = std::chrono::milliseconds(cfg.scripting.reload_interval_ms);
    o.on_failure = [&metrics](const std::string& org, std::string_view hook, scripting::failure_kind kind) {
        metrics.script_failures.with({org, hook, scripting::to_string(kind)}).inc();
    };
    o.on_load = [&metrics](const std::string& org, bool loaded) {
        metrics.script_loads.with({org, loaded ? "loaded" : "failed"}).inc();
    };
    std::vector<scripting::org_profile> orgs;
    for (auto const& org : cfg.orgs) orgs.push_back({org.id, org.timezone, org.settings});
    auto services = std::make_shared<scripting::services>();
    services->kb_search = [&kb](const std::string& org, const std::string& query, int k) {
        auto found = kb.search(org, {query, static_cast<std::size_t>(k), 0, {}});
        if (!found.available) throw std::runtime_error(found.error);  // sb.kb_search raises it in the script
        boost::json::array out;
        for (auto const& p : found.passages)
            out.push_back(boost::json::object{{"text", p.text}, {"title", p.title}, {"heading", p.heading},
                                              {"document_id", p.document_id}, {"score", p.score}});
        return out;
    };
    return std::make_unique<scripting::engine>(std::move(o), std::move(orgs), std::move(services));
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

    std::unique_ptr<knowledge::library> kb;
    try {
        kb = std::make_unique<knowledge::library>(*db, knowledge_options(*cfg));
        kb->start();  // a missing or stale index is built here, before anything is served
    } catch (const std::exception& e) {
        spdlog::critical("knowledge base: {}", e.what());
        return exit_runtime;
    }
    registry.links().knowledge = [&kb](std::string_view org, const sdk::knowledge_query& q) {
        return kb->search(org, q);
    };

    auto scripts = start_scripts(*cfg, metrics, *kb);

    auth::authenticator authenticator(cfg->auth);
    calls::event_bus bus;
    auto pipeline = std::make_unique<calls::pipeline>(*cfg, *db, registry, metrics, bus, scripts.get());
    api::api_context ctx{*cfg, *db, registry, metrics_registry, *pipeline, scripts.get(), kb.get()};
    http::router routes;
    api::add_call_routes(routes, ctx);
    api::add_org_routes(routes, ctx);
    api::add_ops_routes(routes, ctx);
    api::add_webhook_routes(routes, ctx);
    api::add_inbox_routes(routes, ctx);
    api::add_assistant_routes(routes, ctx);
    api::add_outbound_routes(routes, ctx);
    api::add_knowledge_routes(routes, ctx);
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
    scripts.reset();
    registry.links().knowledge = nullptr;
    kb.reset();        // stops the follower before the store goes
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
