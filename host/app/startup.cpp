#include "host/app/startup.hpp"

#include "host/knowledge/library.hpp"
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

knowledge::library_options knowledge_options(const config::config& cfg) {
    knowledge::library_options o;
    o.language = cfg.knowledge.language;
    o.follow_interval = std::chrono::milliseconds(cfg.knowledge.follow_interval_ms);
    if (!cfg.knowledge.directory.empty()) {
        o.directory = cfg.knowledge.directory;
    } else {
        auto url = store::parse_database_url(cfg.database.url);
        if (url.kind == store::backend::sqlite && !url.in_memory)
            o.directory = std::filesystem::absolute(url.sqlite_path).parent_path() / "knowledge";
        else
            o.directory = std::filesystem::absolute("var/knowledge");  // like the default database URL
    }
    return o;
}

void sync_orgs(store::store& db, const config::config& cfg) {
    for (auto const& org : cfg.orgs) {
        db.upsert_org(org.id, org.name);
        auto row = db.get_org(org.id);
        if (row && row->config.empty() && !org.settings.empty()) db.set_org_config(org.id, org.settings);
    }
}

}  // namespace switchboard::app
