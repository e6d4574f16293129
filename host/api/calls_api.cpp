// GET /api/v1/calls, /calls/{id}, /calls/{id}/transcript, /calls/all/active, and the
// seed documents' alias paths for them.
#include "host/api/api_context.hpp"
#include "host/calls/call_state.hpp"
#include "host/api/json_views.hpp"
#include "host/api/params.hpp"
#include "host/api/routes.hpp"
#include "host/http/router.hpp"
#include "host/store/store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

namespace switchboard::api {
namespace json = boost::json;
using http::access;

namespace {

constexpr const char* call_schema = R"({"type":"object","properties":{
 "id":{"type":"string"},"org":{"type":"string"},"provider":{"type":"string"},"provider_call_id":{"type":"string"},
 "direction":{"type":"string","enum":["inbound","outbound"]},"from_number":{"type":"string","nullable":true},
 "to_number":{"type":"string","nullable":true},
 "status":{"type":"string","enum":["queued","ringing","in_progress","completed","failed","missed","transferred"]},
 "started_at":{"type":"string","format":"date-time","nullable":true},"ended_at":{"type":"string","format":"date-time","nullable":true},
 "duration_seconds":{"type":"number","nullable":true},"ended_reason":{"type":"string","nullable":true},
 "cost":{"type":"number","nullable":true},"recording_url":{"type":"string","nullable":true},
 "assistant":{"type":"string","nullable":true},"phase":{"type":"string"},"external_record_id":{"type":"string","nullable":true},
 "metadata":{"type":"object"},"created_at":{"type":"string","format":"date-time"},"updated_at":{"type":"string","format":"date-time"},
 "sentiment":{"type":"string","nullable":true},"category":{"type":"string","nullable":true},"resolution":{"type":"string","nullable":true}}})";

constexpr const char* segment_schema = R"({"type":"object","properties":{"id":{"type":"string"},"call_id":{"type":"string"},
 "seq":{"type":"integer"},"role":{"type":"string","enum":["customer","assistant","tool","tool_result","human_agent"]},
 "text":{"type":"string"},"started_at":{"type":"string","nullable":true},"seconds_from_start":{"type":"number","nullable":true},
 "duration_ms":{"type":"integer","nullable":true},"confidence":{"type":"number","nullable":true},"final":{"type":"boolean"}}})";

std::string list_schema() {
    return std::string(R"({"type":"object","properties":{"calls":{"type":"array","items":)") + call_schema +
           R"(},"total":{"type":"integer"},"page":{"type":"integer"},"page_size":{"type":"integer"}}})";
}

std::vector<http::param_doc> list_params() {
    return {{"page", "query", "integer", false, "1-based page (default 1)"},
            {"page_size", "query", "integer", false, "calls per page, 1..100 (default 20)"},
            {"status", "query", "string", false, "queued|ringing|in_progress|completed|failed|missed|transferred"},
            {"direction", "query", "string", false, "inbound|outbound"},
            {"provider", "query", "string", false, "provider plugin name, e.g. vapi"},
            {"sentiment", "query", "string", false, "from the call's analytics"},
            {"category", "query", "string", false, "from the call's analytics"},
            {"date_from", "query", "string", false, "ISO-8601; calls started at or after"},
            {"date_to", "query", "string", false, "ISO-8601; calls started at or before (a bare date means that whole day)"},
            {"external_record_id", "query", "string", false, "the linked record in the org's own system"},
            {"org", "query", "string", false, "admin only: limit to one organisation"}};
}

store::call_filter read_filter(const http::request& req) {
    store::call_filter f;
    auto org = scope_org(req);
    if (!org.empty()) f.org = org;
    f.page = static_cast<int>(int_param(req, "page", 1, 1'000'000).value_or(1));
    f.page_size = static_cast<int>(int_param(req, "page_size", 1, 100).value_or(20));
    if (auto s = str_param(req, "status")) {
        auto st = sdk::parse_call_status(*s);
        // Seeds and providers say "in-progress"; accept both spellings.
        if (!st && *s == "in-progress") st = sdk::call_status::in_progress;
        if (!st) throw http::http_error(422, "status: unknown status '" + *s + "'");
        f.status = st;
    }
    if (auto d = str_param(req, "direction")) {
        auto dir = sdk::parse_call_direction(*d);
        if (!dir) throw http::http_error(422, "direction: expected inbound or outbound");
        f.direction = dir;
    }
    f.provider = str_param(req, "provider");
    f.external_record_id = str_param(req, "external_record_id");
    f.sentiment = str_param(req, "sentiment");
    f.category = str_param(req, "category");
    f.date_from = time_param(req, "date_from");
    f.date_to = time_param(req, "date_to", true);
    if (f.date_from && f.date_to && *f.date_from > *f.date_to)
        throw http::http_error(422, "date_from is after date_to");
    return f;
}

http::response list_calls(api_context& ctx, const http::request& req) {
    auto f = read_filter(req);
    auto page = ctx.store.list_calls(f);
    json::array calls;
    calls.reserve(page.calls.size());
    for (auto const& row : page.calls) calls.push_back(call_json(row));
    return http::response::json(
        200, json::object{{"calls", std::move(calls)}, {"total", page.total}, {"page", f.page}, {"page_size", f.page_size}});
}

store::call_row find_call(api_context& ctx, const http::request& req) {
    auto const& id = req.params.at("id");
    auto org = req.auth && !req.auth->admin ? req.auth->org : std::string{};
    auto row = ctx.store.get_call(id, org);
    if (!row) throw http::http_error(404, "call not found");
    return std::move(*row);
}

http::response get_call(api_context& ctx, const http::request& req) {
    auto row = find_call(ctx, req);
    auto history = ctx.store.status_history(row.call.id);
    calls::order_history(history);
    return http::response::json(200, call_detail_json(row, ctx.store.transcript(row.call.id), history));
}

http::response get_transcript(api_context& ctx, const http::request& req) {
    auto row = find_call(ctx, req);
    return http::response::json(200, transcript_json(ctx.store.transcript(row.call.id)));
}

// Seed 003's shape: counts plus the active calls split by direction.
http::response active_calls(api_context& ctx, const http::request& req) {
    store::call_filter f;
    auto org = scope_org(req);
    if (!org.empty()) f.org = org;
    f.active_only = true;
    f.page_size = 100;
    json::array inbound, outbound;
    std::int64_t total = 0;
    for (f.page = 1;; ++f.page) {
        auto page = ctx.store.list_calls(f);
        total = page.total;
        for (auto const& row : page.calls)
            (row.call.direction == sdk::call_direction::inbound ? inbound : outbound).push_back(call_json(row));
        if (static_cast<std::int64_t>(f.page) * f.page_size >= page.total || page.calls.empty()) break;
    }
    return http::response::json(200, json::object{{"total", total},
                                                  {"inbound_count", inbound.size()},
                                                  {"outbound_count", outbound.size()},
                                                  {"inbound_calls", std::move(inbound)},
                                                  {"outbound_calls", std::move(outbound)}});
}

}  // namespace

void add_call_routes(http::router& r, api_context& ctx) {
    auto list = [&ctx](http::request& req) { return list_calls(ctx, req); };
    auto get = [&ctx](http::request& req) { return get_call(ctx, req); };
    auto detail = json::parse(call_schema).as_object();
    auto& props = detail["properties"].as_object();
    props["transcript"] = json::object{{"type", "array"}, {"items", json::parse(segment_schema)}};
    props["analytics"] = json::object{{"type", "object"}, {"nullable", true}};
    auto detail_schema = json::serialize(detail);
    http::route_doc list_doc{"List calls, newest first, with filters and pagination", "calls", list_params(), "",
                             list_schema(), {401, 422}};
    http::route_doc get_doc{"One call with its transcript, analytics and recording URL", "calls", {}, "", detail_schema,
                            {401, 404}};

    r.add("GET", "/api/v1/calls", access::authenticated, list_doc, list);
    r.add("GET", "/api/v1/calls/all/active", access::authenticated,
          {"Active calls (queued, ringing, in progress), inbound and outbound", "calls",
           {{"org", "query", "string", false, "admin only: limit to one organisation"}}, "",
           R"({"type":"object","properties":{"total":{"type":"integer"},"inbound_count":{"type":"integer"},"outbound_count":{"type":"integer"},"inbound_calls":{"type":"array"},"outbound_calls":{"type":"array"}}})",
           {401}},
          [&ctx](http::request& req) { return active_calls(ctx, req); });
    r.add("GET", "/api/v1/calls/{id}", access::authenticated, get_doc, get);
    r.add("GET", "/api/v1/calls/{id}/transcript", access::authenticated,
          {"A call's transcript, in order", "calls", {}, "",
           std::string(R"({"type":"array","items":)") + segment_schema + "}", {401, 404}},
          [&ctx](http::request& req) { return get_transcript(ctx, req); });

    // Aliases: seed 000/004 (/api/v1/voice/calls) and seed 002 (/api/calls) clients keep working.
    auto alias = [](http::route_doc d, const char* seed) {
        d.summary += " (alias of the /api/v1/calls route, for " + std::string(seed) + " clients)";
        return d;
    };
    r.add("GET", "/api/v1/voice/calls", access::authenticated, alias(list_doc, "seed 000/004"), list);
    r.add("GET", "/api/v1/voice/calls/{id}", access::authenticated, alias(get_doc, "seed 000/004"), get);
    r.add("GET", "/api/calls", access::authenticated, alias(list_doc, "seed 002"), list);
    r.add("GET", "/api/calls/{id}", access::authenticated, alias(get_doc, "seed 002"), get);
}

}  // namespace switchboard::api
