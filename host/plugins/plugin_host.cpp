#include "host/plugins/plugin_host.hpp"

#include "host/core/time_zone.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::plugins {

std::shared_ptr<client::http_client> shared_http_client() {
    // A function-local static: made on first use, thread-safe (C++11 statics).
    static const auto instance = std::make_shared<client::http_client>();
    return instance;
}

plugin_host::plugin_host(std::string plugin_name, std::shared_ptr<client::http_client> client,
                         std::shared_ptr<const host_links> links)
    : plugin_name_(std::move(plugin_name)),
      client_(client ? std::move(client) : shared_http_client()),
      links_(links ? std::move(links) : std::make_shared<const host_links>()) {}

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

sdk::knowledge_answer plugin_host::search_knowledge(std::string_view org, const sdk::knowledge_query& query) {
    if (!links_->knowledge) return {false, {}, "this host has no knowledge base"};
    try {
        return links_->knowledge(org, query);
    } catch (const std::exception& e) {  // an exception must not cross into the plugin
        return {false, {}, e.what()};
    }
}

namespace {

// The zone, or UTC when it is empty or unknown (logged once per name would be nicer;
// the org's zone is validated when the config loads, so this is a plugin's own name).
std::shared_ptr<const core::time_zone> zone_or_utc(std::string_view zone) {
    try {
        return core::time_zone::find(zone.empty() ? std::string_view("UTC") : zone);
    } catch (const std::exception&) {
        return core::time_zone::find("UTC");
    }
}

}  // namespace

sdk::local_time plugin_host::to_local(std::chrono::system_clock::time_point at, std::string_view zone) const {
    auto l = zone_or_utc(zone)->to_local(at);
    return {l.year, l.month, l.day, l.hour, l.minute, l.second, l.weekday};
}

std::chrono::system_clock::time_point plugin_host::to_utc(const sdk::local_time& local, std::string_view zone) const {
    try {
        return zone_or_utc(zone)->to_utc(local.year, local.month, local.day, local.hour, local.minute, local.second);
    } catch (const std::exception&) {  // outside 1700..2200: the UTC reading of the fields
        return sdk::host_services::to_utc(local, "");
    }
}

}  // namespace switchboard::plugins
