#include "host/plugins/registry.hpp"

#include "host/plugins/plugin_host.hpp"

#include <boost/dll/shared_library.hpp>
#include <fmt/format.h>

#include <dlfcn.h>

#include <cstdint>
#include <exception>
#include <system_error>

namespace switchboard::plugins {

namespace fs = std::filesystem;

std::string_view to_string(sdk::plugin_kind kind) noexcept {
    switch (kind) {
        case sdk::plugin_kind::provider: return "provider";
        case sdk::plugin_kind::tool: return "tool";
    }
    return "unknown";
}

// One loaded plugin. Member order is the lifetime rule: members are destroyed in
// reverse, so the objects go first, then the host services they may call, and the
// library (whose code and vtables they use) last.
struct registry::entry {
    boost::dll::shared_library library;
    std::unique_ptr<plugin_host> host;
    plugin_info info;
    boost::json::object settings;
    std::unique_ptr<sdk::provider> provider;
    std::unique_ptr<sdk::tool> tool;
};

// What one load is about: the name to report under and the resolved file.
struct registry::attempt {
    std::string name;
    std::string file;
    bool required = false;
};

namespace {

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
    std::string out;
    for (auto const& p : parts) {
        if (!out.empty()) out += sep;
        out += p;
    }
    return out;
}

fs::path resolve(const fs::path& p, const fs::path& base_dir) {
    fs::path r = p.is_relative() && !base_dir.empty() ? base_dir / p : p;
    std::error_code ec;
    fs::path abs = fs::absolute(r, ec);
    return (ec ? r : abs).lexically_normal();
}

bool is_file(const fs::path& p) {
    std::error_code ec;
    return fs::is_regular_file(p, ec);
}

// What is wrong with a descriptor, or empty when it is usable.
std::string descriptor_problem(const sdk::plugin_descriptor& d) {
    if (!d.name || !*d.name) return "name is null or empty";
    if (!d.version) return "version is null";
    switch (d.kind) {
        case sdk::plugin_kind::provider:
            if (!d.make_provider) return "kind is provider but make_provider is null";
            if (d.make_tool) return "kind is provider but make_tool is set too";
            break;
        case sdk::plugin_kind::tool:
            if (!d.make_tool) return "kind is tool but make_tool is null";
            if (d.make_provider) return "kind is tool but make_provider is set too";
            break;
        default: return fmt::format("unknown kind {}", static_cast<int>(d.kind));
    }
    if (d.config_key_count > 0 && !d.config_keys)
        return fmt::format("config_keys is null but config_key_count is {}", d.config_key_count);
    for (std::size_t i = 0; i < d.config_key_count; ++i) {
        auto const& k = d.config_keys[i];
        if (!k.name || !*k.name) return fmt::format("config key {} has no name", i);
        if (static_cast<int>(k.type) > static_cast<int>(sdk::config_type::object))
            return fmt::format("config key '{}' has unknown type {}", k.name, static_cast<int>(k.type));
        for (std::size_t j = 0; j < i; ++j)
            if (std::string_view(d.config_keys[j].name) == k.name)
                return fmt::format("config key '{}' is declared twice", k.name);
    }
    return {};
}

}  // namespace

registry::registry() = default;
registry::~registry() = default;

void registry::fail(load_report& report, attempt const& a, std::string symbol, std::string reason) {
    load_failure f;
    f.name = a.name;
    f.file = a.file;
    f.symbol = std::move(symbol);
    f.message = "plugin '" + a.name + "': " + a.file + ": " + (f.symbol.empty() ? "" : f.symbol + ": ") + reason;
    f.required = a.required;
    f.fatal = a.required;
    report.fatal = report.fatal || f.fatal;
    report.failures.push_back(f);
    failures_.push_back(std::move(f));
}

load_report registry::load(const config::plugins_config& plugins, const std::vector<config::org_config>& orgs,
                           const fs::path& base_dir) {
    load_report report;
    for (auto const& e : plugins.load) {
        attempted_.insert(e.name);
        attempt a{e.name, {}, e.required};
        std::vector<fs::path> candidates;
        std::vector<std::string> searched;
        if (!e.file.empty()) {
            fs::path p = resolve(e.file, base_dir);
            candidates.push_back(p);
            searched.push_back(p.parent_path().string());
            a.file = p.string();
        } else {
            for (auto const& d : plugins.directories) {
                fs::path dir = resolve(d, base_dir);
                candidates.push_back(dir / (e.name + ".so"));
                searched.push_back(dir.string());
            }
            a.file = e.name + ".so";
        }
        const fs::path* found = nullptr;
        for (auto const& c : candidates)
            if (is_file(c)) {
                found = &c;
                break;
            }
        if (!found) {
            fail(report, a, {},
                 "file not found (searched: " + (searched.empty() ? std::string("no plugin directories configured")
                                                                   : join(searched, ", ")) +
                     ")");
            continue;
        }
        a.file = found->string();
        load_resolved(report, a, e.config);
    }
    auto org_report = add_org_sections(orgs);
    report.failures.insert(report.failures.end(), org_report.failures.begin(), org_report.failures.end());
    report.fatal = report.fatal || org_report.fatal;
    return report;
}

load_report registry::load_file(const fs::path& file, std::string_view expected_name, config::plugin_section section,
                                bool required) {
    load_report report;
    fs::path p = resolve(file, {});
    attempt a{expected_name.empty() ? p.stem().string() : std::string(expected_name), p.string(), required};
    attempted_.insert(a.name);
    if (!is_file(p)) {
        fail(report, a, {}, "file not found (searched: " + p.parent_path().string() + ")");
        return report;
    }
    if (expected_name.empty()) a.name.clear();  // take the declared name
    load_resolved(report, a, section);
    return report;
}

void registry::load_resolved(load_report& report, attempt const& given, const config::plugin_section& given_section) {
    attempt a = given;
    const bool take_declared_name = a.name.empty();
    if (take_declared_name) a.name = fs::path(a.file).stem().string();

    auto e = std::make_unique<entry>();
    {
        boost::dll::fs::error_code ec;
        ::dlerror();  // clear, so the text below is this load's
        e->library.load(a.file, ec, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
        if (ec || !e->library.is_loaded()) {
            const char* err = ::dlerror();
            std::string text = err ? err : ec.message();
            // dlerror() repeats the path first; the message names it already.
            if (text.rfind(a.file + ": ", 0) == 0) text.erase(0, a.file.size() + 2);
            fail(report, a, {}, "cannot load library: " + text);
            return;
        }
    }

    // The ABI check reads data only: nothing in the library runs before it passes
    // (apart from its static initialisers, which dlopen runs).
    if (!e->library.has(SWITCHBOARD_ABI_SYMBOL)) {
        fail(report, a, SWITCHBOARD_ABI_SYMBOL, "symbol not found (not a Switchboard plugin)");
        return;
    }
    const std::uint64_t plugin_abi = e->library.get<const std::uint64_t>(SWITCHBOARD_ABI_SYMBOL);
    if (plugin_abi != sdk::abi_version) {
        fail(report, a, SWITCHBOARD_ABI_SYMBOL,
             fmt::format("ABI mismatch (plugin 0x{:016x}, host 0x{:016x}): rebuild the plugin against this SDK",
                         plugin_abi, sdk::abi_version));
        return;
    }

    if (!e->library.has(SWITCHBOARD_ENTRY_SYMBOL)) {
        fail(report, a, SWITCHBOARD_ENTRY_SYMBOL, "symbol not found");
        return;
    }
    const sdk::plugin_descriptor* d = nullptr;
    try {
        d = e->library.get<const sdk::plugin_descriptor*()>(SWITCHBOARD_ENTRY_SYMBOL)();
    } catch (const std::exception& x) {
        fail(report, a, SWITCHBOARD_ENTRY_SYMBOL, std::string("threw: ") + x.what());
        return;
    } catch (...) {
        fail(report, a, SWITCHBOARD_ENTRY_SYMBOL, "threw a non-standard exception");
        return;
    }
    if (!d) {
        fail(report, a, SWITCHBOARD_ENTRY_SYMBOL, "returned no descriptor");
        return;
    }
    if (auto why = descriptor_problem(*d); !why.empty()) {
        fail(report, a, SWITCHBOARD_ENTRY_SYMBOL, "invalid descriptor: " + why);
        return;
    }
    if (take_declared_name) {
        a.name = d->name;
    } else if (a.name != d->name) {
        fail(report, a, SWITCHBOARD_ENTRY_SYMBOL, fmt::format("declares name '{}', expected '{}'", d->name, a.name));
        return;
    }
    if (auto* other = find_entry(a.name)) {
        fail(report, a, SWITCHBOARD_ENTRY_SYMBOL,
             "duplicate plugin name (already loaded from " + other->info.file.string() + ")");
        return;
    }

    e->info.name = d->name;
    e->info.version = d->version;
    e->info.description = d->description ? d->description : "";
    e->info.kind = d->kind;
    e->info.file = a.file;
    e->info.required = a.required;
    for (std::size_t i = 0; i < d->config_key_count; ++i) e->info.keys.push_back(to_declared_key(d->config_keys[i]));

    // Config problems: one failure per problem, the line being the problem itself
    // (it names the file, line and key path already).
    config::plugin_section section = given_section;
    auto problems = validate_plugin_section(section, e->info.keys, a.name, section_kind::global);
    if (!problems.empty()) {
        for (auto& p : problems) {
            load_failure f{a.name, a.file, {}, std::move(p), a.required, a.required};
            report.fatal = report.fatal || f.fatal;
            report.failures.push_back(f);
            failures_.push_back(std::move(f));
        }
        return;
    }
    e->settings = section.values;
    e->host = std::make_unique<plugin_host>(a.name, nullptr, links_);

    sdk::plugin_context ctx;
    ctx.host = e->host.get();
    ctx.config = e->settings;
    const char* factory = d->kind == sdk::plugin_kind::provider ? "make_provider" : "make_tool";
    try {
        if (d->kind == sdk::plugin_kind::provider)
            e->provider = d->make_provider(ctx);
        else
            e->tool = d->make_tool(ctx);
    } catch (const std::exception& x) {
        fail(report, a, factory, std::string("factory threw: ") + x.what());
        return;
    } catch (...) {
        fail(report, a, factory, "factory threw a non-standard exception");
        return;
    }
    if (!e->provider && !e->tool) {
        fail(report, a, factory, "factory returned null");
        return;
    }
    report.loaded.push_back(a.name);
    entries_.push_back(std::move(e));
}

load_report registry::add_org_sections(const std::vector<config::org_config>& orgs) {
    load_report report;
    for (auto const& org : orgs) {
        for (auto const& [name, given] : org.plugins) {
            entry* e = find_entry(name);
            if (!e) {
                // A configured plugin that failed to load was reported already.
                if (attempted_.count(name)) continue;
                std::string where = given.where.path.empty() ? "orgs." + org.id + ".plugins." + name : given.where.path;
                std::string prefix;
                if (!given.where.file.empty())
                    prefix = given.where.file + (given.where.line > 0 ? ":" + std::to_string(given.where.line) : "") + ": ";
                std::vector<std::string> names;
                for (auto const& x : entries_) names.push_back(x->info.name);
                load_failure f{name, {}, {},
                               prefix + where + ": unknown plugin '" + name + "' (loaded: " +
                                   (names.empty() ? std::string("none") : join(names, ", ")) + ")",
                               false, true};
                report.fatal = true;
                report.failures.push_back(f);
                failures_.push_back(std::move(f));
                continue;
            }
            config::plugin_section section = given;
            auto problems = validate_plugin_section(section, e->info.keys, name, section_kind::org);
            if (!problems.empty()) {
                for (auto& p : problems) {
                    load_failure f{name, e->info.file.string(), {}, std::move(p), false, true};
                    report.fatal = true;
                    report.failures.push_back(f);
                    failures_.push_back(std::move(f));
                }
                continue;
            }
            boost::json::object merged = e->settings;
            for (auto const& [k, v] : section.values) merged[k] = v;
            org_settings_[name].insert_or_assign(org.id, std::move(merged));
        }
    }
    return report;
}

registry::entry* registry::find_entry(std::string_view name) const {
    for (auto const& e : entries_)
        if (e->info.name == name) return e.get();
    return nullptr;
}

sdk::provider* registry::provider(std::string_view name) const {
    auto* e = find_entry(name);
    return e ? e->provider.get() : nullptr;
}

sdk::tool* registry::tool(std::string_view name) const {
    auto* e = find_entry(name);
    return e ? e->tool.get() : nullptr;
}

std::vector<plugin_info> registry::plugins() const {
    std::vector<plugin_info> out;
    for (auto const& e : entries_) out.push_back(e->info);
    return out;
}

const plugin_info* registry::find(std::string_view name) const {
    auto* e = find_entry(name);
    return e ? &e->info : nullptr;
}

bool registry::all_required_loaded() const noexcept {
    for (auto const& f : failures_)
        if (f.required) return false;
    return true;
}

const boost::json::object* registry::settings(std::string_view plugin) const {
    auto* e = find_entry(plugin);
    return e ? &e->settings : nullptr;
}

const boost::json::object* registry::org_settings(std::string_view org, std::string_view plugin) const {
    auto* e = find_entry(plugin);
    if (!e) return nullptr;
    if (auto p = org_settings_.find(plugin); p != org_settings_.end())
        if (auto o = p->second.find(org); o != p->second.end()) return &o->second;
    return &e->settings;
}

}  // namespace switchboard::plugins
