#include "integration/host_fixture.hpp"

#include <catch2/catch.hpp>

#include <csignal>
#include <fstream>
#include <sstream>

namespace switchboard::testing {

std::string db_url_for(db_kind kind, const temp_dir& dir) {
    if (kind == db_kind::sqlite) return "sqlite:" + (dir.path() / "switchboard.db").string();
    return fresh_pg_database();
}

host::host(db_kind kind, host_options options) : port_(free_port()), options_(std::move(options)) {
    db_url_ = db_url_for(kind, dir_);
    config_path_ = dir_.write("switchboard.yaml", write_config(options_));
}

host::~host() {
    if (proc_ && proc_->running()) {
        proc_->signal(SIGTERM);
        proc_->wait(std::chrono::seconds(10));
    }
}

std::string host::write_config(const host_options& o) const {
    std::ostringstream y;
    y << "server:\n  listen: \"127.0.0.1:" << port_ << "\"\n  worker_threads: 2\n  io_threads: 1\n"
      << "  body_limit: 65536\n  read_timeout_ms: 1500\n  idle_timeout_ms: 5000\n  shutdown_grace_ms: 5000\n"
      << "  cors_origins: [\"https://dash.example.com\"]\n"
      << o.server_yaml;
    y << "database:\n  url: \"" << db_url_ << "\"\n  pool_size: 2\n";
    y << "logging:\n  level: info\n  format: text\n";
    y << "auth:\n  admin_keys: [\"" << admin_key << "\"]\n  jwt_secret: \"" << jwt_secret << "\"\n";
    if (!o.plugins_yaml.empty()) {
        y << o.plugins_yaml;
    } else {
        y << "plugins:\n  directories: [\"" << SB_PLUGIN_DIR << "\"]\n  load:\n";
        for (auto n : {"vapi", "openai_realtime", "livekit_sip"}) y << "    - name: " << n << "\n      required: true\n";
        for (auto n : {"knowledge_search", "tour_scheduling", "escalation"}) y << "    - name: " << n << "\n";
    }
    if (!o.org_yaml.empty()) {
        y << o.org_yaml;
    } else {
        y << "orgs:\n"
          << "  - id: acme\n    name: Acme Support\n    api_keys: [\"" << acme_key << "\"]\n"
          << "    settings: {greeting: \"Hello from Acme\"}\n"
          << "  - id: globex\n    name: Globex Leasing\n    api_keys: [\"" << globex_key << "\"]\n";
    }
    // Each host its own index folder (the PostgreSQL default is shared: var/knowledge).
    if (o.extra_yaml.find("knowledge:") == std::string::npos)
        y << "knowledge:\n  directory: \"" << (dir_.path() / "knowledge").string() << "\"\n";
    y << o.extra_yaml;
    return y.str();
}

void host::start() {
    proc_ = std::make_unique<testing::process>(
        std::vector<std::string>{SB_BINARY, "serve", "--config", config_path_.string()}, options_.env,
        dir_.path() / "host.log");
    bool up = wait_until_listening(port_, std::chrono::seconds(30));
    INFO("host log:\n" << proc_->output());
    REQUIRE(up);
    REQUIRE(proc_->running());
}

run_result host::cli(const std::string& command) const {
    return run({SB_BINARY, command, "--config", config_path_.string()}, options_.env);
}

run_result host::cli(std::vector<std::string> args) const {
    args.insert(args.begin(), SB_BINARY);
    args.push_back("--config");
    args.push_back(config_path_.string());
    return run(args, options_.env);
}

http_response host::get(const std::string& target, const std::string& key) {
    return request("GET", target, "", key);
}

http_response host::request(const std::string& method, const std::string& target, const std::string& body,
                            const std::string& key, const std::string& content_type) {
    http_client client("127.0.0.1", port_);
    std::map<std::string, std::string> headers;
    if (!key.empty()) headers["Authorization"] = "Bearer " + key;
    if (!body.empty() || method == "PUT" || method == "POST") headers["Content-Type"] = content_type;
    return client.request(method, target, body, headers);
}

}  // namespace switchboard::testing
