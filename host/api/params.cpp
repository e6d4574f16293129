#include "host/api/params.hpp"

#include "host/core/time.hpp"

#include <boost/json/parse.hpp>

#include <charconv>

namespace switchboard::api {

std::optional<std::string> str_param(const http::request& req, const std::string& name) {
    auto v = req.query_param(name);
    if (!v || v->empty()) return std::nullopt;
    return v;
}

std::optional<long long> int_param(const http::request& req, const std::string& name, long long min, long long max) {
    auto v = str_param(req, name);
    if (!v) return std::nullopt;
    long long n = 0;
    auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
    if (ec != std::errc{} || end != v->data() + v->size())
        throw http::http_error(422, name + ": expected an integer, got '" + *v + "'");
    if (n < min || n > max)
        throw http::http_error(422, name + ": must be between " + std::to_string(min) + " and " + std::to_string(max));
    return n;
}

std::optional<std::chrono::system_clock::time_point> time_param(const http::request& req, const std::string& name,
                                                                bool end_of_day_if_date_only) {
    auto v = str_param(req, name);
    if (!v) return std::nullopt;
    auto t = core::parse_iso8601(*v);
    if (!t) throw http::http_error(422, name + ": expected an ISO-8601 date or time, got '" + *v + "'");
    // "date_to=2025-01-15" means the whole of that day.
    if (end_of_day_if_date_only && v->size() == 10) *t += std::chrono::hours(24) - std::chrono::milliseconds(1);
    return t;
}

boost::json::value json_body(const http::request& req) {
    auto ct = req.header("content-type");
    if (ct.substr(0, ct.find(';')) != "application/json")
        throw http::http_error(415, "Content-Type must be application/json");
    boost::system::error_code ec;
    auto v = boost::json::parse(req.body, ec);
    if (ec) throw http::http_error(400, "body is not valid JSON: " + ec.message());
    return v;
}

boost::json::object json_object_body(const http::request& req) {
    auto body = json_body(req);
    if (!body.is_object()) throw http::http_error(422, "body: expected a JSON object");
    return std::move(body.as_object());
}

std::string scope_org(const http::request& req) {
    if (!req.auth) return {};
    if (!req.auth->admin) return req.auth->org;
    return str_param(req, "org").value_or("");
}

void require_org_access(const http::request& req, const std::string& org, std::string_view what) {
    if (req.auth && (req.auth->admin || req.auth->org == org)) return;
    throw http::http_error(404, std::string(what) + " not found");
}

}  // namespace switchboard::api
