// The operator's one YAML file as a typed, validated value. Every error names the
// file, the line and the key path: "config/switchboard.yaml:14: orgs[1].api_keys:
// expected a list".
#pragma once

#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace switchboard::config {

struct server_config {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    unsigned io_threads = 1;
    // Handlers block on storage and on group commit: many waiting handlers make big
    // commit batches, and a thread waiting on a commit costs only its stack.
    unsigned worker_threads = 32;
    std::size_t body_limit_bytes = 8 * 1024 * 1024;  // provider reports run to several MB
    unsigned read_timeout_ms = 10'000;   // whole request (headers + body) must arrive in this
    unsigned idle_timeout_ms = 60'000;   // keep-alive connection with no request
    unsigned shutdown_grace_ms = 10'000; // in-flight requests get this long on SIGTERM
    std::vector<std::string> cors_origins;  // "*" allows any
    unsigned rate_limit_per_minute = 0;      // per credential; 0: no limit
};

struct database_config {
    std::string url = "sqlite:var/switchboard.db";  // or postgresql://user:pw@host:port/db
    unsigned pool_size = 4;
};

struct logging_config {
    std::string level = "info";   // trace|debug|info|warn|error
    std::string format = "text";  // text|json
};

struct api_key {
    std::string name;  // shown in logs instead of the key
    std::string key;   // hashed by auth at start; never logged
    std::string org;   // empty: admin (sees every org)
};

struct auth_config {
    std::vector<api_key> keys;  // admin keys from auth.admin_keys plus every orgs[].api_keys
    std::string jwt_secret;     // empty: JWTs are refused
    std::string jwt_issuer;     // empty: not checked
};

// Where a value came from, for error messages after parsing (plugin sections are
// validated by host/plugins once the plugins that declare their keys have loaded).
struct source_location {
    std::string file;
    int line = 0;       // 1-based; 0 when unknown
    std::string path;   // key path, e.g. "plugins.load[0].config"
};

// A plugin's YAML section kept as JSON with the line of every key in it.
struct plugin_section {
    boost::json::object values;
    source_location where;
    std::map<std::string, int> key_lines;  // top-level key -> its 1-based line
};

struct plugin_entry {
    std::string name;       // the plugin's declared name; the file is <dir>/<name>.so
    std::string file;       // optional explicit path; absolute (YAML may give it relative to the config file's dir)
    bool required = false;  // failing to load stops start-up
    plugin_section config;  // plugins.load[i].config
    source_location where;
};

struct plugins_config {
    std::vector<std::string> directories;  // searched in order; absolute, normalised (YAML: relative to the config file's dir)
    std::vector<plugin_entry> load;
};

// The organisations' Lua scripts (docs/lua-guide.md).
struct scripting_config {
    std::string directory;                  // holds orgs/ and lib/; absolute (YAML: relative to the config file's dir)
    std::uint64_t instruction_limit = 1'000'000;  // per hook call
    unsigned time_limit_ms = 100;                 // per hook call
    unsigned memory_limit_mb = 32;                // per org per worker thread
    unsigned reload_interval_ms = 250;            // 0: scripts are read once, at start-up
};

// The knowledge base's search index (host/knowledge); documents live in the database.
struct knowledge_config {
    // Holds one index folder per org. Empty: "knowledge" beside the SQLite file, else
    // var/knowledge in the working directory. YAML: relative to the config file's folder.
    std::string directory;
    unsigned follow_interval_ms = 1000;  // how often changes made by other hosts are picked up; 0: never
    std::string language = "english";    // stemming and stop words (a Xapian stemmer name, or "none")
};

// How the host answers a provider's questions for this org until its Lua script
// does (and whenever the script gives no answer).
struct answers_config {
    std::string assistant_id;        // assistant requests: a saved assistant, or
    boost::json::object assistant;   // an inline one, in the provider's format, or
    boost::json::object assistant_spec;  // one in canonical fields (name, system_prompt, tools, ...)
    std::string transfer_number;     // transfer requests (E.164); empty: refuse
    std::string transfer_message;    // said before transferring
    std::string fallback_result = "I'm sorry, I can't look that up right now.";  // a tool missing/failing/slow
    unsigned tool_timeout_ms = 3000;  // per tool call; well inside providers' timeouts
};

// A person calls can be transferred to, by name or by skill (transfer_target).
struct agent_config {
    std::string name;
    std::string number;  // E.164, or
    std::string sip;     // a SIP URI
    std::vector<std::string> skills;
};

struct org_config {
    std::string id;
    std::string name;
    std::string timezone = "UTC";
    boost::json::object settings;                   // free-form, served by /orgs/{id}/config
    answers_config answers;
    std::vector<agent_config> agents;               // people transfers can go to
    std::map<std::string, plugin_section> plugins;  // orgs[i].plugins.<name>: per-org plugin settings
    source_location where;
};

struct config {
    std::string file;  // the path it was read from
    server_config server;
    database_config database;
    logging_config logging;
    auth_config auth;
    plugins_config plugins;
    scripting_config scripting;
    knowledge_config knowledge;
    std::vector<org_config> orgs;
    std::string default_org;  // webhooks that name no org go here; defaults to orgs[0].id

    const org_config* find_org(const std::string& id) const;
};

// All problems found, one line each, in file order.
class config_error : public std::runtime_error {
public:
    explicit config_error(std::vector<std::string> problems);
    const std::vector<std::string>& problems() const noexcept { return problems_; }

private:
    std::vector<std::string> problems_;
};

// Reads environment variables; tests pass their own.
using env_lookup = std::function<std::optional<std::string>(const std::string&)>;
env_lookup process_env();

// Parses and validates the file. `${VAR}` and `${VAR:-default}` are replaced in
// scalar values before typing (a missing VAR without default is an error; `$${` is a
// literal `${`). Then the operator overrides apply: SWITCHBOARD_LISTEN (host:port),
// SWITCHBOARD_DB (URL), SWITCHBOARD_ADMIN_KEY (one more admin key); an empty value
// counts as unset. Throws config_error. `parse` resolves relative plugin paths
// against the folder of `file_name` (the process cwd when it has none).
config load(const std::string& path, const env_lookup& env = process_env());
config parse(const std::string& yaml_text, const std::string& file_name, const env_lookup& env = process_env());

}  // namespace switchboard::config
