#include "host/app/startup.hpp"

#include "host/plugins/registry.hpp"
#include "host/store/store.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

namespace switchboard::app {

std::optional<config::config> read_config(const std::string& path) {
    try {
        return config::load(path);
    } catch (const config::config_error& e) {
        for (auto const& p : e.problems()) std::cerr << p << "\n";
        std::cerr << path << ": " << e.problems().size() << " problem(s); nothing was started\n";
        return std::nullopt;
    }
}

bool load_plugins(plugins::registry& registry, config::config& cfg, bool print_failures) {
    auto report = registry.load(cfg.plugins, cfg.orgs, std::filesystem::path(cfg.file).parent_path());
    for (auto const& f : report.failures) {
        if (print_failures) std::cerr << f.message << "\n";
        spdlog::log(f.required ? spdlog::level::err : spdlog::level::warn, "{}", f.message);
    }
    return !report.fatal;
}

void sync_orgs(store::store& db, const config::config& cfg) {
    for (auto const& org : cfg.orgs) {
        db.upsert_org(org.id, org.name);
        auto row = db.get_org(org.id);
        if (row && row->config.empty() && !org.settings.empty()) db.set_org_config(org.id, org.settings);
    }
}

}  // namespace switchboard::app
