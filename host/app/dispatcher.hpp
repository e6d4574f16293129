// The request pipeline in front of the handlers: CORS, routing (404/405),
// authentication and access, rate limits, error bodies, metrics. Runs on a worker thread.
#pragma once

#include "host/app/rate_limiter.hpp"
#include "host/http/message.hpp"

#include <string>
#include <vector>

namespace switchboard::http {
class router;
struct route;
}
namespace switchboard::auth { class authenticator; }
namespace switchboard::ops { struct host_metrics; }

namespace switchboard::app {

class dispatcher {
public:
    dispatcher(const http::router& routes, const auth::authenticator& auth, ops::host_metrics& metrics,
               std::vector<std::string> cors_origins, unsigned rate_limit_per_minute);

    http::response operator()(http::request& req) const;

private:
    http::response route(http::request& req) const;
    http::response call_handler(const http::route& r, http::request& req) const;
    static void add_rate_headers(http::response& res, const rate_limiter::decision& d);
    void add_cors(const http::request& req, http::response& res) const;
    bool origin_allowed(std::string_view origin) const;

    const http::router& routes_;
    const auth::authenticator& auth_;
    ops::host_metrics& metrics_;
    std::vector<std::string> cors_origins_;
    mutable rate_limiter limiter_;
};

}  // namespace switchboard::app
