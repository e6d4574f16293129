// POST /api/v1/calls/outbound/create (seed 004: POST /api/v1/voice/call): the provider
// places the call, then the host records it, so the webhooks that follow update that
// same row. GET /api/v1/calls/{id}/provider: the provider's own view of a call.
#include "host/api/api_context.hpp"
#include "host/api/assistant_spec.hpp"
#include "host/api/calls_out.hpp"
#include "host/api/json_views.hpp"
#include "host/api/params.hpp"
#include "host/api/routes.hpp"
#include "host/calls/pipeline.hpp"
#include "host/config/config.hpp"
#include "host/http/router.hpp"
#include "host/store/store.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::api {
namespace json = boost::json;
using http::access;

namespace {

constexpr const char* outbound_body_schema = R"~({"type":"object","additionalProperties":false,"properties":{
 "provider":{"type":"string","description":"provider plugin; default: the one the org configures"},
 "org":{"type":"string","description":"admin only: the organisation"},
 "to":{"type":"string","description":"E.164 number to call (aliases: phone_number, customer_number)"},
 "phone_number":{"type":"string"},"customer_number":{"type":"string"},
 "customer_name":{"type":"string"},
 "assistant_id":{"type":"string","description":"the host's assistant id or the provider's; default orgs[].answers.assistant_id"},
 "assistant":{"type":"object","description":"an inline assistant: the canonical fields of POST /api/v1/assistants"},
 "phone_number_id":{"type":"string","description":"the provider's id of the number to call from; default from the plugin settings"},
 "variables":{"type":"object","description":"template values for the assistant"},
 "metadata":{"type":"object","description":"comes back on every webhook of the call"},
 "external_record_id":{"type":"string","description":"linked record in the org's own system (alias: lead_id)"},
 "lead_id":{"type":"string"},"name":{"type":"string","description":"a label for the call"}}})~";

constexpr const char* known_keys[] = {"provider", "org",       "to",       "phone_number",       "customer_number",
                                      "customer_name", "assistant_id", "assistant", "phone_number_id", "variables",
                                      "metadata", "external_record_id", "lead_id", "name"};

// The first of several alias fields that is set; 422 when two disagree.
std::optional<std::string> aliased(const json::object& body, std::initializer_list<const char*> names) {
    std::optional<std::string> found;
    std::string first;
    for (auto n : names) {
        auto v = body_string(body, n);
        if (!v || v->empty()) continue;
        if (found && *found != *v) throw http::http_error(422, std::string(n) + ": differs from " + first);
        if (!found) first = n;
        found = v;
    }
    return found;
}

// Our record of the call; when a webhook was faster and already made the row, the
// request's facts fill it in (they never replace what the provider said).
store::call_row record_call(api_context& ctx, sdk::call call) {
    auto tx = ctx.store.begin_write();
    if (auto existing = tx->find_call(call.provider, call.provider_call_id)) {
        existing->direction = sdk::call_direction::outbound;
        if (existing->to_number.empty()) existing->to_number = call.to_number;
        if (existing->assistant.empty()) existing->assistant = call.assistant;
        if (existing->external_record_id.empty()) existing->external_record_id = call.external_record_id;
        for (auto const& kv : call.metadata)
            if (!existing->metadata.contains(kv.key())) existing->metadata[kv.key()] = kv.value();
        tx->update_call(*existing);
        call.id = existing->id;
    } else {
        tx->insert_call(call);
    }
    tx->commit();
    auto row = ctx.store.get_call(call.id);
    if (!row) throw http::http_error(500, "the call was recorded but cannot be read back");
    return std::move(*row);
}

http::response create_outbound(api_context& ctx, const http::request& req) {
    const auto body = json_object_body(req);
    for (auto const& kv : body)
        if (std::find(std::begin(known_keys), std::end(known_keys), kv.key()) == std::end(known_keys))
            throw http::http_error(422, std::string(kv.key()) + ": unknown field");

    auto org = acting_org(ctx, req, body);
    auto to = aliased(body, {"to", "phone_number", "customer_number"});
    if (!to) throw http::http_error(422, "to: required (the number to call, E.164)");
    if (!is_e164(*to)) throw http::http_error(422, "to: expected an E.164 number (+ and 8 to 15 digits)");

    sdk::outbound_call_request out;
    out.to_number = *to;
    out.customer_name = body_string(body, "customer_name").value_or("");
    out.phone_number_id = body_string(body, "phone_number_id").value_or("");
    out.variables = body_object(body, "variables");
    out.metadata = body_object(body, "metadata");
    out.name = body_string(body, "name").value_or("");
    auto external = aliased(body, {"external_record_id", "lead_id"}).value_or("");
    // In the metadata the provider echoes, so every later webhook names the record too.
    if (!external.empty() && !out.metadata.contains("external_record_id")) out.metadata["external_record_id"] = external;

    // The name comes back in the call's metadata, so the org's hooks know whom they talk to.
    if (!out.customer_name.empty() && !out.metadata.contains("customer_name"))
        out.metadata["customer_name"] = out.customer_name;

    auto assistant_id = body_string(body, "assistant_id").value_or("");
    std::optional<sdk::assistant_spec> inline_assistant;
    auto const& flow = ctx.pipeline.flow();
    auto read_spec = [&](const json::object& fields) {
        try {
            inline_assistant = flow.read_spec(fields, "assistant.");
        } catch (const calls::spec_error& e) {
            throw http::http_error(422, e.what());
        }
    };
    if (body.contains("assistant") && !body.at("assistant").is_null()) read_spec(body_object(body, "assistant"));
    if (!assistant_id.empty() && inline_assistant)
        throw http::http_error(422, "assistant: give assistant_id or an inline assistant, not both");

    // The org's script may refuse the call or change how it is placed.
    std::string provider;
    bool routed_assistant = false;
    auto const* org_cfg = ctx.cfg.find_org(org);
    if (org_cfg && flow.scripted(org, "route_outbound")) {
        json::object request{{"org", org},
                             {"to", out.to_number},
                             {"customer_name", out.customer_name},
                             {"provider", body_string(body, "provider").value_or("")},
                             {"phone_number_id", out.phone_number_id},
                             {"assistant_id", assistant_id},
                             {"metadata", out.metadata},
                             {"variables", out.variables},
                             {"name", out.name},
                             {"external_record_id", external}};
        auto route = flow.route_outbound(*org_cfg, request);
        if (!route.refusal.empty()) {
            spdlog::info("org {}: outbound call refused by its script: {}", org, route.refusal);
            throw http::http_error(403, "the org's call flow refuses this call: " + route.refusal);
        }
        provider = route.provider;
        if (!route.phone_number_id.empty()) out.phone_number_id = route.phone_number_id;
        for (auto const& kv : route.metadata) out.metadata[kv.key()] = kv.value();
        for (auto const& kv : route.variables) out.variables[kv.key()] = kv.value();
        if (!route.assistant_id.empty()) {
            assistant_id = route.assistant_id;
            inline_assistant.reset();
        } else if (route.assistant) {
            inline_assistant = std::move(route.assistant);
            assistant_id.clear();
            routed_assistant = true;
        }
    }
    if (provider.empty()) provider = choose_provider(ctx, org, body);
    auto p = provider_for(ctx, org, provider);

    // The org's prompt hook writes the system prompt of an assistant the org's config or
    // script built, and of the caller's inline one when it brings none.
    bool org_built = routed_assistant;
    if (assistant_id.empty() && !inline_assistant) {
        if (org_cfg) assistant_id = org_cfg->answers.assistant_id;
        if (assistant_id.empty() && org_cfg && !org_cfg->answers.assistant_spec.empty()) {
            read_spec(org_cfg->answers.assistant_spec);
            org_built = true;
        }
        if (assistant_id.empty() && !inline_assistant)
            throw http::http_error(422, "assistant_id: required (or an inline assistant; orgs[].answers.assistant_id "
                                        "or assistant_spec is the default and org '" + org + "' has neither)");
    }
    if (inline_assistant && org_cfg && (org_built || inline_assistant->system_prompt.empty())) {
        sdk::call view;
        view.org = org;
        view.provider = provider;
        view.direction = sdk::call_direction::outbound;
        view.to_number = out.to_number;
        view.metadata = out.metadata;
        view.external_record_id = external;
        if (auto prompt = flow.prompt(*org_cfg, calls::call_view(view))) inline_assistant->system_prompt = *prompt;
    }
    if (inline_assistant) out.assistant = &*inline_assistant;
    if (!assistant_id.empty()) {
        // A host id names one of the org's stored assistants; anything else is the provider's own id.
        if (auto row = ctx.store.get_assistant(assistant_id, org)) {
            if (row->provider != provider)
                throw http::http_error(422, "assistant_id: assistant '" + assistant_id + "' lives at '" +
                                                row->provider + "', not '" + provider + "'");
            assistant_id = row->provider_assistant_id;
        }
        out.assistant_id = assistant_id;
    }

    auto placed = call_provider(p, "place_call", [&] { return p.plugin->place_call(p.org, out); });

    sdk::call call;
    call.org = org;
    call.provider = provider;
    call.provider_call_id = placed.provider_call_id;
    call.direction = sdk::call_direction::outbound;
    call.to_number = out.to_number;
    call.status = placed.status;
    call.assistant = out.assistant_id;
    call.external_record_id = external;
    call.metadata = out.metadata;
    auto row = record_call(ctx, std::move(call));
    // No number at info level: the call id is enough to find it.
    spdlog::info("org {}: outbound {} call {} placed as {} by {}", org, provider, row.call.provider_call_id,
                 row.call.id, req.auth->subject);
    return http::response::json(201, call_json(row));
}

http::response provider_view(api_context& ctx, const http::request& req) {
    auto org = req.auth && !req.auth->admin ? req.auth->org : std::string{};
    auto row = ctx.store.get_call(req.params.at("id"), org);
    if (!row) throw http::http_error(404, "call not found");
    auto p = provider_for(ctx, row->call.org, row->call.provider);
    auto raw = call_provider(p, "get_call", [&] { return p.plugin->get_call(p.org, row->call.provider_call_id); });
    return http::response::json(200, raw);
}

}  // namespace

void add_outbound_routes(http::router& r, api_context& ctx) {
    http::route_doc doc{"Place an outbound call through a provider and record it (status queued); its webhooks "
                        "then update the same call",
                        "calls", {}, outbound_body_schema,
                        R"({"type":"object","description":"the call, as GET /api/v1/calls/{id} lists it"})",
                        {400, 401, 404, 409, 415, 422, 501, 502, 504}};
    auto create = [&ctx](http::request& q) { return create_outbound(ctx, q); };
    r.add("POST", "/api/v1/calls/outbound/create", access::authenticated, doc, create);
    doc.summary += " (alias, seed 004: body phone_number, assistant_id, lead_id, metadata)";
    r.add("POST", "/api/v1/voice/call", access::authenticated, doc, create);
    r.add("GET", "/api/v1/calls/{id}/provider", access::authenticated,
          {"The provider's current view of a call, as it sends it (for debugging)", "calls", {}, "",
           R"({"type":"object"})", {401, 404, 422, 501, 502, 504}},
          [&ctx](http::request& q) { return provider_view(ctx, q); });
}

}  // namespace switchboard::api
