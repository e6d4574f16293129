// Reading query and body values with the API's error rules: a value that is present
// but unreadable is a 422 naming the parameter, never silently ignored.
#pragma once

#include "host/http/message.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace switchboard::api {

std::optional<long long> int_param(const http::request& req, const std::string& name, long long min, long long max);
std::optional<std::string> str_param(const http::request& req, const std::string& name);
std::optional<std::chrono::system_clock::time_point> time_param(const http::request& req, const std::string& name,
                                                                bool end_of_day_if_date_only = false);

// The request body as JSON; 415 unless Content-Type is application/json, 400 with
// the parser's message when it is not JSON.
boost::json::value json_body(const http::request& req);
// json_body, and 422 "body: expected a JSON object" for any other JSON value.
boost::json::object json_object_body(const http::request& req);

// The org the caller's data is limited to: its own for an org credential; for an
// admin, the `org` query parameter if given, else all (empty).
std::string scope_org(const http::request& req);

// 404 unless the caller may see `org` (foreign ids look like missing ones).
void require_org_access(const http::request& req, const std::string& org, std::string_view what);

}  // namespace switchboard::api
