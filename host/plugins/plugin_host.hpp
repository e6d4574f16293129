// The host_services a plugin gets: logging through the host's spdlog logger under the
// plugin's name (plugins never own a logger), and the system clock.
#pragma once

#include <switchboard/host_services.hpp>

#include <string>

namespace switchboard::plugins {

class plugin_host final : public sdk::host_services {
public:
    explicit plugin_host(std::string plugin_name);

    void log(sdk::log_level level, std::string_view message) override;
    std::chrono::system_clock::time_point now() const override;

    const std::string& plugin_name() const noexcept { return plugin_name_; }

private:
    std::string plugin_name_;
};

}  // namespace switchboard::plugins
