// GET /healthz, /readyz, /metrics, /openapi.json: open routes for operators and
// load balancers (no credentials, no org data).
#include "host/api/api_context.hpp"
#include "host/api/routes.hpp"
#include "host/http/router.hpp"
#include "host/ops/metrics.hpp"
#include "host/ops/openapi.hpp"
#include "host/plugins/registry.hpp"
#include "host/store/store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace switchboard::api {
namespace json = boost::json;
using http::access;

namespace {

// What `switchboard plugins` prints, as JSON. Key defaults are shown; values never.
json::object plugins_json(const plugins::registry& registry) {
    json::array loaded;
    for (auto const& p : registry.plugins()) {
        json::array keys;
        for (auto const& k : p.keys)
            keys.push_back(json::object{{"name", k.name},
                                        {"type", plugins::to_string(k.type)},
                                        {"required", k.required},
                                        {"default", k.default_json ? json::parse(*k.default_json) : json::value(nullptr)},
                                        {"secret", k.secret},
                                        {"description", k.description}});
        loaded.push_back(json::object{{"name", p.name},
                                      {"kind", plugins::to_string(p.kind)},
                                      {"version", p.version},
                                      {"description", p.description},
                                      {"file", p.file.string()},
                                      {"required", p.required},
                                      {"config_keys", std::move(keys)}});
    }
    json::array failures;
    for (auto const& f : registry.failures())
        failures.push_back(json::object{{"plugin", f.name}, {"file", f.file}, {"symbol", f.symbol},
                                        {"message", f.message}, {"required", f.required}});
    return {{"plugins", std::move(loaded)}, {"failures", std::move(failures)}};
}

}  // namespace

void add_ops_routes(http::router& r, api_context& ctx) {
    r.add("GET", "/healthz", access::open,
          {"Liveness: the process is up", "ops", {}, "", R"({"type":"object","properties":{"status":{"type":"string"}}})", {}},
          [](http::request&) { return http::response::json(200, json::object{{"status", "ok"}}); })
        .non_blocking = true;

    r.add("GET", "/readyz", access::open,
          {"Readiness: the store answers and every required plugin is loaded; 503 while draining", "ops", {}, "",
           R"({"type":"object","properties":{"status":{"type":"string"},"checks":{"type":"object"}}})", {503}},
          [&ctx](http::request&) {
              bool store_ok = ctx.store.ping();
              bool plugins_ok = ctx.plugins.all_required_loaded();
              bool draining = ctx.draining.load();
              bool ready = store_ok && plugins_ok && !draining;
              json::object checks{{"store", store_ok ? "ok" : "unreachable"},
                                  {"plugins", plugins_ok ? "ok" : "required plugin missing"},
                                  {"shutdown", draining ? "draining" : "no"}};
              return http::response::json(ready ? 200 : 503,
                                          json::object{{"status", ready ? "ready" : "not ready"}, {"checks", checks}});
          });

    r.add("GET", "/metrics", access::open,
          {"Prometheus metrics (text exposition format 0.0.4)", "ops", {}, "", "", {}}, [&ctx](http::request&) {
              // on_scrape hooks (calls by status) run inside render().
              return http::response::text(200, ctx.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
          });

    r.add("GET", "/api/v1/plugins", access::admin,
          {"Loaded plugins with their declared config keys, and load failures (admin only)", "ops", {}, "",
           R"({"type":"object","properties":{"plugins":{"type":"array"},"failures":{"type":"array"}}})", {401, 403}},
          [&ctx](http::request&) { return http::response::json(200, plugins_json(ctx.plugins)); });

    r.add("GET", "/openapi.json", access::open,
          {"This API's OpenAPI 3 description, generated from the route table", "ops", {}, "", R"({"type":"object"})", {}},
          [&r](http::request&) {
              return http::response::json(200, ops::openapi_document(r, "Switchboard", "0.1.0"));
          })
        .non_blocking = true;
}

}  // namespace switchboard::api
