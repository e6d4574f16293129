// Plain request/response values handed to handlers. No Beast here: only the server
// TUs pay for Beast's headers.
#pragma once

#include <boost/json/fwd.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::http {

using header_list = std::vector<std::pair<std::string, std::string>>;  // names lower-case

struct principal {
    bool admin = false;
    std::string org;      // bound org; empty for admin
    std::string subject;  // key name or JWT subject, for logs
};

struct request {
    std::string method;  // "GET", "POST", ...
    std::string target;  // raw, with query
    std::string path;    // percent-decoded path without query
    std::string raw_path;  // path as sent (still percent-encoded), without query: what the router splits
    std::map<std::string, std::string> query;  // decoded; last value wins
    header_list headers;
    std::string body;
    std::string remote;      // peer address
    std::string request_id;  // from X-Request-Id when sane, else generated
    std::map<std::string, std::string> params;  // path parameters, set by the router
    std::string route;       // matched pattern, e.g. "/api/v1/calls/{id}" (for metrics)
    std::optional<principal> auth;  // set by the auth step

    std::string_view header(std::string_view lower_name) const noexcept;
    std::optional<std::string> query_param(const std::string& name) const;
};

struct response;
// Delivers a response that was not ready when the handler returned. Call it exactly
// once, from any thread.
using reply = std::function<void(response)>;

struct response {
    int status = 200;
    std::string content_type = "application/json";
    header_list headers;
    std::string body;
    // Set (by defer()) when the handler handed its work on, e.g. to the group commit,
    // instead of blocking a worker thread until it is done: the server calls it with
    // the reply that writes the real response. The other fields are then unused.
    std::function<void(reply)> deferred;

    void set_header(std::string name, std::string value);
    // Runs `fn` on the final response: now, or when a deferred one arrives.
    void then(std::function<void(response&)> fn);

    static response defer(std::function<void(reply)> start);

    static response json(int status, const boost::json::value& body);
    static response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
    // {"detail": "..."}, the one error shape every endpoint uses.
    static response error(int status, std::string_view detail);
};

// Thrown by handlers (or helpers they call) to answer with {"detail"}; anything
// else escaping a handler is a 500 whose detail does not leak internals.
class http_error : public std::exception {
public:
    http_error(int status, std::string detail) : status_(status), detail_(std::move(detail)) {}
    int status() const noexcept { return status_; }
    const std::string& detail() const noexcept { return detail_; }
    const char* what() const noexcept override { return detail_.c_str(); }

private:
    int status_;
    std::string detail_;
};

std::string_view reason_phrase(int status) noexcept;

}  // namespace switchboard::http
