#include "host/plugins/plugin_host.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::plugins {

std::shared_ptr<client::http_client> shared_http_client() {
    // A function-local static: made on first use, thread-safe (C++11 statics).
    static const auto instance = std::make_shared<client::http_client>();
    return instance;
}

plugin_host::plugin_host(std::string plugin_name, std::shared_ptr<client::http_client> client)
    : plugin_name_(std::move(plugin_name)), client_(client ? std::move(client) : shared_http_client()) {}

void plugin_host::log(sdk::log_level level, std::string_view message) {
    spdlog::level::level_enum l = spdlog::level::info;
    switch (level) {
        case sdk::log_level::trace: l = spdlog::level::trace; break;
        case sdk::log_level::debug: l = spdlog::level::debug; break;
        case sdk::log_level::info: l = spdlog::level::info; break;
        case sdk::log_level::warn: l = spdlog::level::warn; break;
        case sdk::log_level::error: l = spdlog::level::err; break;
    }
    // The request id (when there is one) is added by the logger's pattern.
    spdlog::log(l, "[{}] {}", plugin_name_, message);
}

std::chrono::system_clock::time_point plugin_host::now() const { return std::chrono::system_clock::now(); }

sdk::http_response plugin_host::http(const sdk::http_request& request) {
    // The client logs method, host and path; say which plugin asked.
    spdlog::debug("[{}] outgoing http request", plugin_name_);
    return client_->send(request);
}

}  // namespace switchboard::plugins
