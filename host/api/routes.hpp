// Each resource registers its routes (with their docs, from which /openapi.json is
// generated) on the one router.
#pragma once

namespace switchboard::http { class router; }

namespace switchboard::api {
struct api_context;

void add_call_routes(http::router& r, api_context& ctx);
void add_org_routes(http::router& r, api_context& ctx);
void add_ops_routes(http::router& r, api_context& ctx);
void add_webhook_routes(http::router& r, api_context& ctx);
void add_inbox_routes(http::router& r, api_context& ctx);
void add_assistant_routes(http::router& r, api_context& ctx);
void add_outbound_routes(http::router& r, api_context& ctx);
void add_knowledge_routes(http::router& r, api_context& ctx);
}  // namespace switchboard::api
