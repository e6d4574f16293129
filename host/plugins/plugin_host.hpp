// The host_services a plugin gets: logging through the host's spdlog logger under the
// plugin's name (plugins never own a logger), the system clock, and outgoing HTTP(S)
// through the host's one client (plugins never open sockets).
#pragma once

#include "host/client/http_client.hpp"
#include "host/plugins/host_links.hpp"

#include <switchboard/host_services.hpp>

#include <memory>
#include <string>

namespace switchboard::plugins {

class plugin_host final : public sdk::host_services {
public:
    // `client` is shared by every plugin; null means the process-wide client
    // (shared_http_client()), which is what the registry uses. Tests pass their own.
    explicit plugin_host(std::string plugin_name, std::shared_ptr<client::http_client> client = nullptr,
                         std::shared_ptr<const host_links> links = nullptr);

    void log(sdk::log_level level, std::string_view message) override;
    std::chrono::system_clock::time_point now() const override;
    sdk::http_response http(const sdk::http_request& request) override;
    sdk::knowledge_answer search_knowledge(std::string_view org, const sdk::knowledge_query& query) override;
    sdk::local_time to_local(std::chrono::system_clock::time_point at, std::string_view zone) const override;
    std::chrono::system_clock::time_point to_utc(const sdk::local_time& local, std::string_view zone) const override;

    const std::string& plugin_name() const noexcept { return plugin_name_; }

private:
    std::string plugin_name_;
    std::shared_ptr<client::http_client> client_;
    std::shared_ptr<const host_links> links_;
};

// The process-wide client with default options (system CA store), made on first use.
// Thread-safe; lives until the last plugin_host holding it is gone.
std::shared_ptr<client::http_client> shared_http_client();

}  // namespace switchboard::plugins
