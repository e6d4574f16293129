// Loads plugin libraries named in the config, checks them (ABI, descriptor, config
// keys), makes their provider or tool object, and owns both for the host's lifetime.
// Loading never throws: every failure becomes one line naming the file, the symbol and
// the reason (docs/plugins.md lists them).
#pragma once

#include "host/config/config.hpp"
#include "host/plugins/config_keys.hpp"
#include "host/plugins/host_links.hpp"

#include <switchboard/plugin.hpp>

#include <boost/json/object.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins {

struct plugin_info {
    std::string name;
    std::string version;
    std::string description;
    sdk::plugin_kind kind = sdk::plugin_kind::provider;
    std::filesystem::path file;  // absolute
    std::vector<declared_key> keys;
    bool required = false;
};

struct load_failure {
    std::string name;     // the configured name (the file's stem when none was given)
    std::string file;     // as resolved ("<name>.so" when not found)
    std::string symbol;   // "switchboard_plugin", "make_provider"...; empty when none
    std::string message;  // the whole line, e.g. "plugin 'vapi': /x/vapi.so: ..."
    bool required = false;  // the plugin was marked required
    bool fatal = false;     // required, or an invalid org section: start-up must stop
};

struct load_report {
    std::vector<std::string> loaded;  // names, in load order
    std::vector<load_failure> failures;
    bool fatal = false;
};

std::string_view to_string(sdk::plugin_kind kind) noexcept;

class registry {
public:
    registry();
    ~registry();  // destroys every plugin object, then unloads the libraries
    registry(const registry&) = delete;
    registry& operator=(const registry&) = delete;

    // Loads every plugins.load entry (a name resolves to <dir>/<name>.so in the first
    // directory that has it, or to `file`; relative paths are taken from `base_dir`),
    // then validates the orgs' plugin sections. Failures are also kept in failures().
    load_report load(const config::plugins_config& plugins, const std::vector<config::org_config>& orgs = {},
                     const std::filesystem::path& base_dir = {});

    // Loads one library. An empty `expected_name` accepts whatever name it declares.
    load_report load_file(const std::filesystem::path& file, std::string_view expected_name,
                          config::plugin_section section = {}, bool required = false);

    // Validates orgs[i].plugins.<name> against the loaded plugins' keys and records the
    // merged settings. Problems are fatal failures (the config is wrong).
    load_report add_org_sections(const std::vector<config::org_config>& orgs);

    // What the host's parts lend plugins (plugin_host.hpp). Set them before serving:
    // the plugins loaded earlier see them too, and nothing reads them concurrently then.
    host_links& links() noexcept { return *links_; }
    const host_links& links() const noexcept { return *links_; }

    // nullptr when no such plugin is loaded or it is of the other kind.
    sdk::provider* provider(std::string_view name) const;
    sdk::tool* tool(std::string_view name) const;

    std::vector<plugin_info> plugins() const;  // in load order
    const plugin_info* find(std::string_view name) const;
    const std::vector<load_failure>& failures() const noexcept { return failures_; }
    bool all_required_loaded() const noexcept;

    // The plugin's global section (validated, defaults filled); nullptr when not loaded.
    const boost::json::object* settings(std::string_view plugin) const;
    // The global section overlaid with the org's own section (or the global one when
    // the org has none); nullptr when the plugin is not loaded.
    const boost::json::object* org_settings(std::string_view org, std::string_view plugin) const;

private:
    struct entry;
    struct attempt;

    void fail(load_report& report, attempt const& a, std::string symbol, std::string reason);
    void load_resolved(load_report& report, attempt const& a, const config::plugin_section& section);
    entry* find_entry(std::string_view name) const;

    std::vector<std::unique_ptr<entry>> entries_;  // unique_ptr: addresses stay put
    std::vector<load_failure> failures_;
    std::shared_ptr<host_links> links_ = std::make_shared<host_links>();
    std::set<std::string, std::less<>> attempted_;  // every name we tried to load
    // plugin -> org -> merged settings
    std::map<std::string, std::map<std::string, boost::json::object, std::less<>>, std::less<>> org_settings_;
};

}  // namespace switchboard::plugins
