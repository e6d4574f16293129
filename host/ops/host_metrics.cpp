#include "host/ops/host_metrics.hpp"

namespace switchboard::ops {

host_metrics::host_metrics(registry& reg, const std::string& version)
    : http_requests(reg.counter("switchboard_http_requests_total", "HTTP requests answered, by route pattern.",
                                {"route", "method", "status"})),
      http_request_duration(reg.histogram("switchboard_http_request_duration_seconds",
                                          "Time from request parsed to response ready, by route pattern.", {"route"})),
      calls(reg.gauge("switchboard_calls", "Calls in the store, by status (refreshed at scrape time).", {"status"})),
      plugin_load_failures(reg.counter("switchboard_plugin_load_failures_total",
                                       "Plugins that failed to load, by plugin name.", {"plugin"})),
      webhook_rejected(reg.counter("switchboard_webhook_rejected_total",
                                   "Provider webhooks refused (bad signature, malformed...), by provider and reason.",
                                   {"provider", "reason"})),
      script_failures(reg.counter("switchboard_script_failures_total",
                                  "Lua hook calls that failed (error, instructions, time, memory); the default applied.",
                                  {"org", "hook", "kind"})),
      script_loads(reg.counter("switchboard_script_loads_total",
                               "Attempts to load an organisation's script, by result (loaded, failed).",
                               {"org", "result"})),
      build_info(reg.gauge("switchboard_build_info", "Always 1; the labels describe the running build.", {"version"})) {
    build_info.with({version}).set(1);
}

}  // namespace switchboard::ops
