#include "host/app/dispatcher.hpp"

#include "host/auth/authenticator.hpp"
#include "host/http/router.hpp"
#include "host/ops/host_metrics.hpp"
#include "host/store/store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>

namespace switchboard::app {

dispatcher::dispatcher(const http::router& routes, const auth::authenticator& auth, ops::host_metrics& metrics,
                       std::vector<std::string> cors_origins, unsigned rate_limit_per_minute)
    : routes_(routes),
      auth_(auth),
      metrics_(metrics),
      cors_origins_(std::move(cors_origins)),
      limiter_(rate_limit_per_minute) {}

bool dispatcher::origin_allowed(std::string_view origin) const {
    if (origin.empty()) return false;
    return std::any_of(cors_origins_.begin(), cors_origins_.end(),
                       [&](const std::string& o) { return o == "*" || o == origin; });
}

void dispatcher::add_cors(const http::request& req, http::response& res) const {
    auto origin = req.header("origin");
    if (!origin_allowed(origin)) return;
    res.then([origin = std::string(origin)](http::response& r) {
        r.set_header("Access-Control-Allow-Origin", origin);
        r.set_header("Vary", "Origin");
        r.set_header("Access-Control-Expose-Headers", "X-Request-Id");
    });
}

http::response dispatcher::operator()(http::request& req) const {
    auto start = std::chrono::steady_clock::now();
    http::response res = route(req);
    add_cors(req, res);
    // A deferred response is counted when it is written, so durations include the wait.
    res.then([this, start, route = req.route.empty() ? std::string("unmatched") : req.route,
              method = req.method](http::response& r) {
        auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        metrics_.http_requests.with({route, method, std::to_string(r.status)}).inc();
        metrics_.http_request_duration.with({route}).observe(seconds);
    });
    return res;
}

http::response dispatcher::route(http::request& req) const {
    // CORS preflight: answered here for any known path, before authentication,
    // because browsers send it without credentials.
    if (req.method == "OPTIONS" && !req.header("access-control-request-method").empty()) {
        auto m = routes_.match(req.header("access-control-request-method"), req.raw_path);
        if (!m.found) return http::response::error(404, "not found");
        auto res = http::response::text(204, "");
        res.content_type.clear();
        if (origin_allowed(req.header("origin"))) {
            res.set_header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
            res.set_header("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Request-Id");
            res.set_header("Access-Control-Max-Age", "600");
        }
        return res;
    }

    auto m = routes_.match(req);
    if (!m.found) {
        if (m.allowed.empty()) return http::response::error(404, "not found: " + req.path);
        auto res = http::response::error(405, "method " + req.method + " not allowed on " + req.path);
        std::string allow;
        for (auto const& a : m.allowed) allow += (allow.empty() ? "" : ", ") + a;
        res.set_header("Allow", allow);
        return res;
    }
    req.params = std::move(m.params);
    req.route = m.found->pattern;

    if (m.found->who != http::access::open) {
        auto result = auth_.authenticate(req.header("authorization"), std::chrono::system_clock::now());
        if (auto* failure = std::get_if<auth::auth_failure>(&result)) {
            spdlog::info("auth rejected on {} {}: {}", req.method, req.route, failure->detail);
            auto res = http::response::error(failure->status, failure->detail);
            res.set_header("WWW-Authenticate", "Bearer");
            return res;
        }
        req.auth = std::get<http::principal>(std::move(result));
        if (m.found->who == http::access::admin && !req.auth->admin)
            return http::response::error(403, "this endpoint needs an admin credential");
    }

    std::optional<rate_limiter::decision> budget;
    if (req.auth && limiter_.enabled()) {
        budget = limiter_.check(req.auth->subject, std::chrono::steady_clock::now(), std::chrono::system_clock::now());
        if (!budget->allowed) {
            auto res = http::response::error(429, "rate limit exceeded: " + std::to_string(budget->limit) +
                                                      " requests per minute");
            res.set_header("Retry-After", std::to_string(budget->retry_after_seconds));
            add_rate_headers(res, *budget);
            return res;
        }
    }
    auto res = call_handler(*m.found, req);
    if (budget) res.then([d = *budget](http::response& r) { add_rate_headers(r, d); });
    return res;
}

void dispatcher::add_rate_headers(http::response& res, const rate_limiter::decision& d) {
    res.set_header("X-RateLimit-Limit", std::to_string(d.limit));
    res.set_header("X-RateLimit-Remaining", std::to_string(d.remaining));
    res.set_header("X-RateLimit-Reset", std::to_string(d.reset_epoch_seconds));
}

http::response dispatcher::call_handler(const http::route& r, http::request& req) const {
    try {
        return r.fn(req);
    } catch (const http::http_error& e) {
        return http::response::error(e.status(), e.detail());
    } catch (const store::store_error& e) {
        spdlog::error("store error on {} {}: {}", req.method, req.route, e.what());
        return http::response::error(503, "storage unavailable, try again");
    } catch (const std::exception& e) {
        spdlog::error("unhandled error on {} {}: {}", req.method, req.route, e.what());
        return http::response::error(500, "internal server error");
    }
}

}  // namespace switchboard::app
