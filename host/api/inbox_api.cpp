// GET /api/v1/admin/webhook-events?state=failed and POST .../{id}/retry: the durable
// inbox for operators. Nothing is ever silently dropped: what failed is listed here.
#include "host/api/api_context.hpp"
#include "host/api/params.hpp"
#include "host/api/routes.hpp"
#include "host/calls/pipeline.hpp"
#include "host/core/time.hpp"
#include "host/http/router.hpp"
#include "host/store/store.hpp"

#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

namespace switchboard::api {
namespace json = boost::json;
using http::access;

namespace {

json::object entry_json(const store::inbox_entry& e) {
    json::value events;
    boost::system::error_code ec;
    events = json::parse(e.events_json, ec);
    if (ec) events = nullptr;
    return {{"id", e.id},
            {"org", e.org},
            {"provider", e.provider},
            {"event_type", e.event_type},
            {"provider_call_id", e.provider_call_id},
            {"call_id", e.call_id.empty() ? json::value(nullptr) : json::value(e.call_id)},
            {"state", e.status},
            {"attempts", e.attempts},
            {"last_error", e.last_error.empty() ? json::value(nullptr) : json::value(e.last_error)},
            {"received_at", core::to_iso8601(e.received_at)},
            {"next_attempt_at", e.next_attempt_at ? json::value(core::to_iso8601(*e.next_attempt_at)) : nullptr},
            {"events", events},
            {"body_bytes", e.body.size()}};
}

}  // namespace

void add_inbox_routes(http::router& r, api_context& ctx) {
    r.add("GET", "/api/v1/admin/webhook-events", access::admin,
          {"Stored webhooks by state (failed: parked after their retries; pending: waiting for a retry)",
           "admin",
           {{"state", "query", "string", false, "failed (default), pending or applied"},
            {"org", "query", "string", false, "limit to one organisation"},
            {"limit", "query", "integer", false, "1..500, default 100"}},
           "",
           R"({"type":"object","properties":{"events":{"type":"array"},"total":{"type":"integer"}}})",
           {401, 403, 422}},
          [&ctx](http::request& req) {
              auto state = str_param(req, "state").value_or("failed");
              if (state != "failed" && state != "pending" && state != "applied")
                  throw http::http_error(422, "state: expected failed, pending or applied");
              auto limit = static_cast<int>(int_param(req, "limit", 1, 500).value_or(100));
              json::array events;
              for (auto const& e : ctx.store.inbox_list(state, str_param(req, "org").value_or(""), limit))
                  events.push_back(entry_json(e));
              auto total = events.size();
              return http::response::json(200, json::object{{"events", std::move(events)}, {"total", total}});
          });

    r.add("POST", "/api/v1/admin/webhook-events/{id}/retry", access::admin,
          {"Apply a stored webhook again now (an operator's replay of a failed event)", "admin", {}, "",
           R"({"type":"object","properties":{"event":{"type":"object"},"applied":{"type":"boolean"},"error":{"type":"string"}}})",
           {401, 403, 404}},
          [&ctx](http::request& req) {
              auto entry = ctx.store.inbox_get(req.params.at("id"));
              if (!entry) throw http::http_error(404, "webhook event not found");
              auto error = ctx.pipeline.reapply(*entry);
              spdlog::info("webhook {} replayed by {}: {}", entry->id, req.auth->subject, error.empty() ? "applied" : error);
              if (!error.empty()) {
                  entry->last_error = error;
                  auto tx = ctx.store.begin_write();
                  tx->inbox_update(*entry);
                  tx->commit();
              }
              auto after = ctx.store.inbox_get(entry->id);
              json::object out{{"event", entry_json(after.value_or(*entry))}, {"applied", error.empty()}};
              if (!error.empty()) out["error"] = error;
              return http::response::json(200, out);
          });
}

}  // namespace switchboard::api
