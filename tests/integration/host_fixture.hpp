// Starts the real `switchboard` binary on a free port, against a temporary SQLite
// file or a fresh PostgreSQL database, with the real plugins.
#pragma once

#include "support/http_client.hpp"
#include "support/test_support.hpp"

#include <functional>
#include <memory>
#include <string>

namespace switchboard::testing {

enum class db_kind { sqlite, postgresql };

struct host_options {
    std::string extra_yaml;        // appended to the generated config (top-level keys)
    std::string org_yaml;          // replaces the default orgs section when set
    std::string plugins_yaml;      // replaces the default plugins section when set
    std::string server_yaml;       // extra lines inside `server:`
    std::map<std::string, std::string> env;
};

class host {
public:
    host(db_kind kind, host_options options = {});
    ~host();

    const std::string& db_url() const noexcept { return db_url_; }
    unsigned short port() const noexcept { return port_; }
    const std::filesystem::path& config_path() const noexcept { return config_path_; }
    testing::process& proc() { return *proc_; }

    // Starts the binary and waits until /healthz answers; REQUIREs success.
    void start();
    // Runs `switchboard <command> --config <this config>`.
    run_result cli(const std::string& command) const;
    // Runs `switchboard <args...> --config <this config>`.
    run_result cli(std::vector<std::string> args) const;

    http_response get(const std::string& target, const std::string& key = {});
    http_response request(const std::string& method, const std::string& target, const std::string& body,
                          const std::string& key, const std::string& content_type = "application/json");
    std::string log() const { return proc_ ? proc_->output() : std::string{}; }

private:
    std::string write_config(const host_options& o) const;

    temp_dir dir_;
    std::string db_url_;
    unsigned short port_;
    std::filesystem::path config_path_;
    host_options options_;
    std::unique_ptr<testing::process> proc_;
};

// Writes calls straight into the store the host will serve.
std::string db_url_for(db_kind kind, const temp_dir& dir);

// Registers a scenario twice: on SQLite ([sqlite]) and on PostgreSQL ([pg]).
#define SB_BOTH_DATABASES(name, tags, fn)                                        \
    TEST_CASE(name " (sqlite)", tags "[sqlite]") { fn(::switchboard::testing::db_kind::sqlite); } \
    TEST_CASE(name " (postgresql)", tags "[pg]") { fn(::switchboard::testing::db_kind::postgresql); }

inline constexpr const char* admin_key = "it-admin-key";
inline constexpr const char* acme_key = "it-acme-key";
inline constexpr const char* globex_key = "it-globex-key";
inline constexpr const char* jwt_secret = "it-jwt-secret-0123456789abcdef";

}  // namespace switchboard::testing
