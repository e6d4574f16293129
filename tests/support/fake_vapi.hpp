// A local stand-in for Vapi's REST API (protocol page, section 5) on 127.0.0.1, for
// the tests of the host's calls out. Plain sockets, one connection at a time, so it
// shares no code with what it tests. It keeps assistants and calls in memory,
// records every request, checks the Bearer key (401 NestJS-shaped otherwise), and
// validates bodies the way Vapi does: unknown properties are a 400
// {"message": ["property x should not exist"], "error": "Bad Request", "statusCode": 400}.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::testing {

struct fake_request {
    std::string method;
    std::string target;  // path and query, as sent
    std::string path;    // without the query
    std::map<std::string, std::string> headers;  // names lower-case
    std::string body;

    std::string header(const std::string& lower_name) const;
    boost::json::object json() const;  // the body as an object; throws when it is not one
};

class fake_vapi {
public:
    explicit fake_vapi(std::string api_key);
    ~fake_vapi();
    fake_vapi(const fake_vapi&) = delete;
    fake_vapi& operator=(const fake_vapi&) = delete;

    std::string base_url() const;  // http://127.0.0.1:<port>
    unsigned short port() const noexcept { return port_; }

    // Every request received so far, in order (a copy).
    std::vector<fake_request> requests() const;
    // The last request with this method whose path starts with `path_prefix`; throws when none.
    fake_request last(const std::string& method, const std::string& path_prefix) const;
    std::size_t count(const std::string& method, const std::string& path_prefix) const;

    // The next request matching method and path prefix gets this answer instead
    // (after the auth check), once.
    void fail_next(std::string method, std::string path_prefix, int status, std::string body);

    // What the fake holds, by id.
    std::map<std::string, boost::json::object> assistants() const;
    std::map<std::string, boost::json::object> calls() const;

private:
    struct canned {
        std::string method, prefix, body;
        int status;
    };
    struct answer {
        int status;
        std::string body;
    };

    void serve();
    void handle(int fd);
    answer respond(const fake_request& r);
    answer route(const fake_request& r);

    std::string api_key_;
    int listen_fd_ = -1;
    unsigned short port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<fake_request> requests_;
    std::deque<canned> canned_;
    std::map<std::string, boost::json::object> assistants_;
    std::map<std::string, boost::json::object> calls_;
    int next_id_ = 1;
    std::thread thread_;
};

}  // namespace switchboard::testing
