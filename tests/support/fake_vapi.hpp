// A local stand-in for Vapi's REST API (protocol page, section 5) on 127.0.0.1, for
// the tests of the host's calls out. Plain sockets, one connection at a time, so it
// shares no code with what it tests. It keeps assistants and calls in memory,
// records every request, checks the Bearer key (401 NestJS-shaped otherwise), and
// validates bodies the way Vapi does: unknown properties are a 400
// {"message": ["property x should not exist"], "error": "Bad Request", "statusCode": 400}.
#pragma once

#include "support/fake_http.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace switchboard::testing {

class fake_vapi {
public:
    explicit fake_vapi(std::string api_key);
    ~fake_vapi();
    fake_vapi(const fake_vapi&) = delete;
    fake_vapi& operator=(const fake_vapi&) = delete;

    std::string base_url() const;  // http://127.0.0.1:<port>
    unsigned short port() const noexcept { return server_.port(); }

    // What was received, and canned failures: see fake_http_server.
    std::vector<fake_request> requests() const { return server_.requests(); }
    fake_request last(const std::string& method, const std::string& path_prefix) const {
        return server_.last(method, path_prefix);
    }
    std::size_t count(const std::string& method, const std::string& path_prefix) const {
        return server_.count(method, path_prefix);
    }
    void fail_next(std::string method, std::string path_prefix, int status, std::string body) {
        server_.fail_next(std::move(method), std::move(path_prefix), status, std::move(body));
    }

    // What the fake holds, by id.
    std::map<std::string, boost::json::object> assistants() const;
    std::map<std::string, boost::json::object> calls() const;

private:
    fake_answer route(const fake_request& r);

    mutable std::mutex mutex_;  // the fake's state
    std::map<std::string, boost::json::object> assistants_;
    std::map<std::string, boost::json::object> calls_;
    int next_id_ = 1;
    fake_http_server server_;  // last: it stops serving before the state goes
};

}  // namespace switchboard::testing
