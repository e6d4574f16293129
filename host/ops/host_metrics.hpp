// The host's metric families, registered once so every module feeds the same names.
#pragma once

#include "host/ops/metrics.hpp"

#include <string>

namespace switchboard::ops {

struct host_metrics {
    // Registers every family in `reg` and sets switchboard_build_info{version} = 1.
    host_metrics(registry& reg, const std::string& version);

    counter_family& http_requests;            // switchboard_http_requests_total{route,method,status}
    histogram_family& http_request_duration;  // switchboard_http_request_duration_seconds{route}
    gauge_family& calls;                      // switchboard_calls{status}: set by an on_scrape hook from the store
    counter_family& plugin_load_failures;     // switchboard_plugin_load_failures_total{plugin}
    counter_family& webhook_rejected;         // switchboard_webhook_rejected_total{provider,reason}
    counter_family& script_failures;          // switchboard_script_failures_total{org,hook,kind}
    counter_family& script_loads;             // switchboard_script_loads_total{org,result}
    gauge_family& build_info;                 // switchboard_build_info{version} 1
};

}  // namespace switchboard::ops
