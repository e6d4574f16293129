// POST|GET|PUT|DELETE /api/v1/assistants[/{id}] and seed 004's /api/v1/voice/assistants:
// assistants kept at a provider (created there first), remembered locally per org.
#include "host/api/api_context.hpp"
#include "host/api/assistant_spec.hpp"
#include "host/calls/pipeline.hpp"
#include "host/api/calls_out.hpp"
#include "host/api/params.hpp"
#include "host/api/routes.hpp"
#include "host/http/router.hpp"
#include "host/store/store.hpp"

#include <spdlog/spdlog.h>


namespace switchboard::api {
namespace json = boost::json;
using http::access;

namespace {

constexpr const char* spec_properties = R"(
 "name":{"type":"string"},"first_message":{"type":"string"},"system_prompt":{"type":"string"},
 "model":{"type":"string","description":"e.g. gpt-4o"},"model_provider":{"type":"string","description":"default: from the model name"},
 "voice_id":{"type":"string"},"voice_provider":{"type":"string","description":"Vapi default: 11labs"},
 "metadata":{"type":"object"},
 "provider_config":{"type":"object","description":"the provider's own assistant fields, deep-merged over the canonical ones"},
 "tools":{"type":"array","items":{"type":"string"},"description":"function names offered by loaded tool plugins"})";

std::string assistant_schema() {
    return std::string(R"({"type":"object","properties":{"id":{"type":"string"},"org":{"type":"string"},
 "provider":{"type":"string"},"provider_assistant_id":{"type":"string"},)") +
           spec_properties +
           R"(,"created_at":{"type":"string","format":"date-time"},"updated_at":{"type":"string","format":"date-time"}}})";
}

std::string body_schema(bool create) {
    return std::string(R"({"type":"object",)") + (create ? R"("required":["name"],)" : "") +
           R"("additionalProperties":false,"properties":{"provider":{"type":"string","description":"provider plugin; default: the one the org configures"},"org":{"type":"string","description":"admin only: the organisation"},)" +
           spec_properties + "}}";
}

const std::vector<http::param_doc> property_param{
    {"property_id", "query", "string", false, "seed 004: a label kept in metadata.property_id"}};

// Seed 004 posts ?property_id=<bot id>: kept as a label in the spec's metadata.
void add_property_label(const http::request& req, sdk::assistant_spec& spec) {
    if (auto p = str_param(req, "property_id")) spec.metadata["property_id"] = *p;
}

// The caller's assistant by local id, else by the provider's id; 404 for another org's.
store::assistant_row find_row(api_context& ctx, const http::request& req) {
    auto const& id = req.params.at("id");
    auto org = req.auth && !req.auth->admin ? req.auth->org : std::string{};
    auto row = ctx.store.get_assistant(id, org);
    if (!row) row = ctx.store.find_assistant("", id, org);
    if (!row) throw http::http_error(404, "assistant not found");
    return std::move(*row);
}

http::response create(api_context& ctx, const http::request& req) {
    auto body = json_object_body(req);
    auto org = acting_org(ctx, req, body);
    auto spec = read_assistant_spec(body, "", {"provider", "org"}, &ctx.pipeline.flow().tools());
    if (spec.name.empty()) throw http::http_error(422, "name: required");
    add_property_label(req, spec);
    auto p = provider_for(ctx, org, choose_provider(ctx, org, body));

    auto remote = call_provider(p, "create_assistant", [&] { return p.plugin->create_assistant(p.org, spec); });
    store::assistant_row row;
    row.org = org;
    row.provider = p.name;
    row.provider_assistant_id = remote.id;
    row.name = spec.name;
    row.spec = spec_json(spec);
    try {
        ctx.store.insert_assistant(row);
    } catch (...) {
        // Not remembered here means nobody could manage it: take it back at the provider.
        try {
            p.plugin->delete_assistant(p.org, remote.id);
        } catch (const std::exception& e) {
            spdlog::error("org {}: {} assistant {} created but not stored, and deleting it failed: {}", org, p.name,
                          remote.id, e.what());
        }
        throw;
    }
    spdlog::info("org {}: {} assistant {} created as {} by {}", org, p.name, remote.id, row.id, req.auth->subject);
    return http::response::json(201, assistant_json(row));
}

http::response list(api_context& ctx, const http::request& req) {
    json::array items;
    auto provider = str_param(req, "provider");
    for (auto const& row : ctx.store.list_assistants(scope_org(req)))
        if (!provider || row.provider == *provider) items.push_back(assistant_json(row));
    auto total = items.size();
    return http::response::json(200, json::object{{"assistants", std::move(items)}, {"total", total}});
}

http::response get_one(api_context& ctx, const http::request& req) {
    return http::response::json(200, assistant_json(find_row(ctx, req)));
}

// The provider's current copy (debugging: what the platform really has).
http::response get_remote(api_context& ctx, const http::request& req) {
    auto row = find_row(ctx, req);
    auto p = provider_for(ctx, row.org, row.provider);
    auto remote =
        call_provider(p, "get_assistant", [&] { return p.plugin->get_assistant(p.org, row.provider_assistant_id); });
    return http::response::json(200, remote.raw);
}

// PUT merges the given fields over the stored spec and sends the whole result, so
// the provider's copy and ours say the same.
http::response update(api_context& ctx, const http::request& req) {
    auto body = json_object_body(req);
    auto row = find_row(ctx, req);
    if (auto p = body_string(body, "provider"); p && *p != row.provider)
        throw http::http_error(422, "provider: the assistant lives at '" + row.provider + "' and cannot move");
    read_assistant_spec(body, "", {"provider", "org"}, &ctx.pipeline.flow().tools());  // checks the fields before merging
    json::object merged = row.spec;
    for (auto const& kv : body)
        if (kv.key() != "provider" && kv.key() != "org") merged[kv.key()] = kv.value();
    auto spec = read_assistant_spec(merged, "", {}, &ctx.pipeline.flow().tools());
    if (spec.name.empty()) throw http::http_error(422, "name: must not be empty");
    add_property_label(req, spec);

    auto p = provider_for(ctx, row.org, row.provider);
    call_provider(p, "update_assistant",
                  [&] { return p.plugin->update_assistant(p.org, row.provider_assistant_id, spec); });
    row.name = spec.name;
    row.spec = spec_json(spec);
    if (!ctx.store.update_assistant(row)) throw http::http_error(404, "assistant not found");
    spdlog::info("org {}: {} assistant {} updated by {}", row.org, row.provider, row.id, req.auth->subject);
    return http::response::json(200, assistant_json(row));
}

http::response remove(api_context& ctx, const http::request& req) {
    auto row = find_row(ctx, req);
    auto p = provider_for(ctx, row.org, row.provider);
    bool at_provider = true;
    try {
        call_provider(p, "delete_assistant",
                      [&] { p.plugin->delete_assistant(p.org, row.provider_assistant_id); });
    } catch (const http::http_error& e) {
        if (e.status() != 404) throw;
        at_provider = false;  // already gone there: forget it here too
    }
    ctx.store.delete_assistant(row.id);
    spdlog::info("org {}: {} assistant {} deleted by {}", row.org, row.provider, row.id, req.auth->subject);
    json::object out{{"id", row.id}, {"provider_assistant_id", row.provider_assistant_id}, {"deleted", true},
                     {"deleted_at_provider", at_provider}};
    if (!at_provider) out["detail"] = row.provider + " had no such assistant any more; removed locally";
    return http::response::json(200, out);
}

}  // namespace

void add_assistant_routes(http::router& r, api_context& ctx) {
    const auto one = assistant_schema();
    const auto many =
        R"({"type":"object","properties":{"assistants":{"type":"array","items":)" + one + R"(},"total":{"type":"integer"}}})";
    const auto deleted =
        R"({"type":"object","properties":{"id":{"type":"string"},"provider_assistant_id":{"type":"string"},"deleted":{"type":"boolean"},"deleted_at_provider":{"type":"boolean"},"detail":{"type":"string"}}})";
    http::route_doc create_doc{"Create an assistant at the provider, then remember it for the org", "assistants",
                               property_param, body_schema(true), one, {400, 401, 404, 415, 422, 501, 502, 504}};
    http::route_doc list_doc{"The org's assistants (from the local store), newest first", "assistants",
                             {{"provider", "query", "string", false, "only this provider's"},
                              {"org", "query", "string", false, "admin only: limit to one organisation"}},
                             "", many, {401}};
    http::route_doc get_doc{"One assistant, by the host's id or the provider's", "assistants", {}, "", one, {401, 404}};
    http::route_doc remote_doc{"The provider's current copy of an assistant, as it sends it", "assistants", {}, "",
                               R"({"type":"object"})", {401, 404, 422, 501, 502, 504}};
    http::route_doc put_doc{"Update an assistant: the given fields are merged over the stored ones and the result "
                            "is sent to the provider, then stored",
                            "assistants", property_param, body_schema(false), one,
                            {400, 401, 404, 409, 415, 422, 501, 502, 504}};
    http::route_doc delete_doc{"Delete an assistant at the provider, then here (a provider 404 still deletes here)",
                               "assistants", {}, "", deleted, {401, 404, 409, 422, 501, 502, 504}};

    auto add_all = [&](const std::string& base, const std::string& note) {
        auto d = [&](http::route_doc doc) {
            doc.summary += note;
            return doc;
        };
        r.add("POST", base, access::authenticated, d(create_doc), [&ctx](http::request& q) { return create(ctx, q); });
        r.add("GET", base, access::authenticated, d(list_doc), [&ctx](http::request& q) { return list(ctx, q); });
        r.add("GET", base + "/{id}", access::authenticated, d(get_doc),
              [&ctx](http::request& q) { return get_one(ctx, q); });
        r.add("PUT", base + "/{id}", access::authenticated, d(put_doc),
              [&ctx](http::request& q) { return update(ctx, q); });
        r.add("DELETE", base + "/{id}", access::authenticated, d(delete_doc),
              [&ctx](http::request& q) { return remove(ctx, q); });
    };
    add_all("/api/v1/assistants", "");
    add_all("/api/v1/voice/assistants", " (alias of /api/v1/assistants, for seed 004 clients)");
    r.add("GET", "/api/v1/assistants/{id}/provider", access::authenticated, remote_doc,
          [&ctx](http::request& q) { return get_remote(ctx, q); });
}

}  // namespace switchboard::api
