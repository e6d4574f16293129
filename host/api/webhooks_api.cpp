// POST /webhooks/{provider}/{org} (and /webhooks/{provider}, routed by the payload),
// plus the seed documents' Vapi paths. Open routes: each provider plugin verifies
// its own secret or signature before anything is stored.
#include "host/api/api_context.hpp"
#include "host/api/routes.hpp"
#include "host/calls/pipeline.hpp"
#include "host/http/router.hpp"

namespace switchboard::api {
using http::access;

namespace {

// Deferred: the worker thread moves on while the webhook waits for its group commit.
http::response ingest(api_context& ctx, http::request& req, std::string provider, std::string org) {
    calls::webhook_input in{std::move(provider), std::move(org), req.method, req.target, std::move(req.body),
                            req.headers};  // copied: CORS and logs read them after the handler
    return http::response::defer([&ctx, in = std::move(in)](http::reply reply) mutable {
        ctx.pipeline.ingest(std::move(in), [reply = std::move(reply)](calls::webhook_result result) {
            http::response res;
            res.status = result.status;
            res.content_type = std::move(result.content_type);
            res.body = std::move(result.body);
            reply(std::move(res));
        });
    });
}

http::route_doc webhook_doc(std::string summary) {
    return {std::move(summary),
            "webhooks",
            {},
            R"~({"type":"object","description":"the provider's own message format (see docs/providers/)"})~",
            R"~({"type":"object","description":"the provider's own answer format; {} when nothing is asked"})~",
            {400, 401, 404, 413, 503}};
}

}  // namespace

void add_webhook_routes(http::router& r, api_context& ctx) {
    r.add("POST", "/webhooks/{provider}/{org}", access::open,
          webhook_doc("A provider's webhook for one organisation: verified, stored durably, answered"),
          [&ctx](http::request& req) { return ingest(ctx, req, req.params.at("provider"), req.params.at("org")); });
    r.add("POST", "/webhooks/{provider}", access::open,
          webhook_doc("A provider's webhook; the organisation is found from the assistant or number it names, "
                      "else the default organisation"),
          [&ctx](http::request& req) { return ingest(ctx, req, req.params.at("provider"), ""); });
    // Seed 000 (/api/v1/vapi/webhook, /function) and seed 004 (/api/v1/voice/webhook).
    for (auto path : {"/api/v1/vapi/webhook", "/api/v1/vapi/function", "/api/v1/voice/webhook"})
        r.add("POST", path, access::open,
              webhook_doc("Vapi webhook at a seed document's path (alias of POST /webhooks/vapi)"),
              [&ctx](http::request& req) { return ingest(ctx, req, "vapi", ""); });
}

}  // namespace switchboard::api
