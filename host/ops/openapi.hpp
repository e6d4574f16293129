// /openapi.json generated from the route table, so the documentation cannot drift
// from the routes actually served.
#pragma once

#include "host/http/router.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace switchboard::ops {

// OpenAPI 3.0.3. Per route: summary, tags, parameters (path params from the pattern,
// always required, plus route_doc.params), a JSON requestBody from request_schema, a
// "200" response with response_schema, and every status in doc.errors pointing at
// the shared #/components/schemas/Error ({"detail": string}). Routes that are not
// `access::open` require the bearer scheme and always list 401. Schema text that is
// not a JSON object is logged (naming the route) and replaced by {}.
boost::json::object openapi_document(const http::router& routes, std::string title, std::string version);

}  // namespace switchboard::ops
