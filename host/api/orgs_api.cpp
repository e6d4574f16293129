// GET /api/v1/orgs, GET|PUT /api/v1/orgs/{id}/config, and seed 002's
// /api/org/config/{org_id} (GET|POST).
#include "host/api/api_context.hpp"
#include "host/api/json_views.hpp"
#include "host/api/params.hpp"
#include "host/api/routes.hpp"
#include "host/core/time.hpp"
#include "host/http/router.hpp"
#include "host/scripting/engine.hpp"
#include "host/store/store.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::api {
namespace json = boost::json;
using http::access;

namespace {

constexpr const char* orgs_schema =
    R"({"type":"object","properties":{"orgs":{"type":"array","items":{"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"},"created_at":{"type":"string"},"updated_at":{"type":"string"}}}},"total":{"type":"integer"}}})";
constexpr const char* config_schema =
    R"({"type":"object","properties":{"org":{"type":"string"},"config":{"type":"object"},"updated_at":{"type":"string","format":"date-time"}}})";
constexpr const char* config_body_schema =
    R"({"type":"object","description":"the organisation's settings; replaces the stored object whole","additionalProperties":true})";

http::response list_orgs(api_context& ctx, const http::request& req) {
    json::array orgs;
    for (auto const& o : ctx.store.list_orgs())
        if (req.auth->admin || req.auth->org == o.id) orgs.push_back(org_json(o));
    auto total = orgs.size();
    return http::response::json(200, json::object{{"orgs", std::move(orgs)}, {"total", total}});
}

store::org_row find_org(api_context& ctx, const http::request& req, const std::string& id) {
    require_org_access(req, id, "organisation");
    auto org = ctx.store.get_org(id);
    if (!org) throw http::http_error(404, "organisation not found");
    return std::move(*org);
}

constexpr const char* org_schema =
    R"({"type":"object","properties":{"id":{"type":"string"},"name":{"type":"string"},"created_at":{"type":"string"},"updated_at":{"type":"string"},"script":{"type":"object","description":"the org's Lua script: file, whether one serves, its version and hooks, and the last load error with its line","properties":{"file":{"type":"string"},"present":{"type":"boolean"},"version":{"type":"integer"},"hooks":{"type":"array","items":{"type":"string"}},"error":{"type":"string"},"loaded_at":{"type":"string"}}}}})";

http::response get_org(api_context& ctx, const http::request& req) {
    auto org = find_org(ctx, req, req.params.at("id"));
    auto view = org_json(org);
    if (ctx.scripts)
        if (auto s = ctx.scripts->status(org.id)) {
            json::array hooks;
            for (auto const& h : s->hooks) hooks.emplace_back(h);
            json::object script{{"file", s->path}, {"present", s->present}, {"version", s->version},
                                {"hooks", std::move(hooks)}, {"error", s->error}};
            if (s->present) script["loaded_at"] = core::to_iso8601(s->loaded_at);
            view["script"] = std::move(script);
        }
    return http::response::json(200, std::move(view));
}

json::object config_view(const store::org_row& org) {
    return {{"org", org.id}, {"config", org.config}, {"updated_at", core::to_iso8601(org.updated_at)}};
}

http::response get_config(api_context& ctx, const http::request& req, const std::string& param) {
    return http::response::json(200, config_view(find_org(ctx, req, req.params.at(param))));
}

http::response put_config(api_context& ctx, const http::request& req, const std::string& param) {
    auto const& id = req.params.at(param);
    find_org(ctx, req, id);
    auto body = json_body(req);
    if (!body.is_object()) throw http::http_error(422, "body: expected a JSON object of settings");
    // Seed 002 posts {"config": {...}}; a bare object is the settings themselves.
    auto const& obj = body.as_object();
    json::object settings = obj.size() == 1 && obj.contains("config") && obj.at("config").is_object()
                                ? obj.at("config").as_object()
                                : obj;
    if (!ctx.store.set_org_config(id, settings)) throw http::http_error(404, "organisation not found");
    spdlog::info("org {} config replaced by {}", id, req.auth->subject);
    return http::response::json(200, config_view(find_org(ctx, req, id)));
}

}  // namespace

void add_org_routes(http::router& r, api_context& ctx) {
    r.add("GET", "/api/v1/orgs", access::authenticated,
          {"Organisations the caller may see (all for an admin, its own otherwise)", "orgs", {}, "", orgs_schema, {401}},
          [&ctx](http::request& req) { return list_orgs(ctx, req); });

    r.add("GET", "/api/v1/orgs/{id}", access::authenticated,
          {"An organisation, with the state of its Lua script", "orgs", {}, "", org_schema, {401, 404}},
          [&ctx](http::request& req) { return get_org(ctx, req); });

    http::route_doc get_doc{"An organisation's settings", "orgs", {}, "", config_schema, {401, 404}};
    http::route_doc put_doc{"Replace an organisation's settings", "orgs", {}, config_body_schema, config_schema,
                            {400, 401, 404, 415, 422}};
    r.add("GET", "/api/v1/orgs/{id}/config", access::authenticated, get_doc,
          [&ctx](http::request& req) { return get_config(ctx, req, "id"); });
    r.add("PUT", "/api/v1/orgs/{id}/config", access::authenticated, put_doc,
          [&ctx](http::request& req) { return put_config(ctx, req, "id"); });

    // Seed 002 alias: GET and POST /api/org/config/{org_id}.
    get_doc.summary += " (alias, seed 002)";
    put_doc.summary += " (alias, seed 002)";
    r.add("GET", "/api/org/config/{org_id}", access::authenticated, get_doc,
          [&ctx](http::request& req) { return get_config(ctx, req, "org_id"); });
    r.add("POST", "/api/org/config/{org_id}", access::authenticated, put_doc,
          [&ctx](http::request& req) { return put_config(ctx, req, "org_id"); });
}

}  // namespace switchboard::api
