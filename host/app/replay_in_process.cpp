// replay's in-process target: the configured database and plugins, the real
// pipeline, verification skipped (the recordings are the operator's own).
#include "host/app/replay_options.hpp"
#include "host/app/replay_target.hpp"

#include "host/api/json_views.hpp"
#include "host/app/logging.hpp"
#include "host/app/startup.hpp"
#include "host/calls/call_state.hpp"
#include "host/calls/event_bus.hpp"
#include "host/calls/pipeline.hpp"
#include "host/ops/host_metrics.hpp"
#include "host/ops/metrics.hpp"
#include "host/plugins/registry.hpp"
#include "host/store/store.hpp"

#include <boost/json/serialize.hpp>

#include <iostream>

namespace switchboard::app {
namespace {

class in_process_target final : public replay_target {
public:
    in_process_target(config::config cfg, std::string org, std::string provider)
        : cfg_(std::move(cfg)), org_(std::move(org)), provider_(std::move(provider)),
          db_(cfg_.database.url, 2), metrics_(metrics_registry_, "0.1.0") {}

    // Separate from the constructor: each step fails with its own exit code.
    bool start(int& exit_code) {
        db_.migrate();
        sync_orgs(db_, cfg_);
        if (!load_plugins(registry_, cfg_, true)) {
            exit_code = exit_config;
            return false;
        }
        if (!registry_.provider(provider_)) {
            std::cerr << "replay: provider '" << provider_ << "' is not loaded by " << cfg_.file << "\n";
            exit_code = exit_config;
            return false;
        }
        pipeline_ = std::make_unique<calls::pipeline>(cfg_, db_, registry_, metrics_, bus_);
        return true;
    }

    std::string describe() const override {
        return "the in-process pipeline (org " + org_ + ", provider " + provider_ + ", config " + cfg_.file + ")";
    }

    line_outcome send(const recorded_line& line) override {
        calls::webhook_input in{provider_, org_, "POST", "/replay", line.body, {}, true};
        auto r = pipeline_->ingest(in);
        return {r.status, r.duplicate, std::move(r.body)};
    }

    bool print_calls(const std::vector<std::string>& ids, std::ostream& out, std::ostream& err) override {
        for (auto const& pcid : ids) {
            auto row = db_.find_call(provider_, pcid);
            if (!row) {
                err << "replay: call " << pcid << " (provider " << provider_ << ") was not stored\n";
                continue;
            }
            // Ordered as GET /api/v1/calls/{id} orders it, so both modes print the same.
            auto history = db_.status_history(row->call.id);
            calls::order_history(history);
            out << boost::json::serialize(api::call_detail_json(*row, db_.transcript(row->call.id), history)) << "\n";
        }
        return true;
    }

private:
    // Declaration order is destruction order in reverse: the pipeline (and its
    // committer) goes before the plugins and the store it writes to.
    config::config cfg_;
    std::string org_;
    std::string provider_;
    store::store db_;
    plugins::registry registry_;
    ops::registry metrics_registry_;
    ops::host_metrics metrics_;
    calls::event_bus bus_;
    std::unique_ptr<calls::pipeline> pipeline_;
};

}  // namespace

std::unique_ptr<replay_target> make_in_process_target(const replay_options& o, int& exit_code) {
    auto cfg = read_config(o.config_path);
    if (!cfg) {
        exit_code = exit_config;
        return nullptr;
    }
    setup_logging("warn", "text");
    auto org = o.org.empty() ? cfg->default_org : o.org;
    if (!cfg->find_org(org)) {
        std::cerr << "replay: unknown organisation '" << org << "' (not in " << cfg->file << ")\n";
        exit_code = exit_config;
        return nullptr;
    }
    try {
        auto target = std::make_unique<in_process_target>(std::move(*cfg), org, o.provider);
        if (!target->start(exit_code)) return nullptr;
        return target;
    } catch (const std::exception& e) {
        std::cerr << "replay: " << e.what() << "\n";
        exit_code = exit_runtime;
        return nullptr;
    }
}

}  // namespace switchboard::app
