// The HTTP side of the local fakes of outside services (fake_vapi, fake_openai): a
// plain-socket HTTP/1.1 server on 127.0.0.1, one connection at a time, so it shares no
// code with what it tests. It records every request, checks the Bearer key, and can
// answer the next matching request with a canned failure; the fake answers the rest.
#pragma once

#include <boost/json/object.hpp>

#include <atomic>
#include <deque>
#include <functional>
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

struct fake_answer {
    int status = 200;
    std::string body;  // JSON; empty: no body and no Content-Type
};

class fake_http_server {
public:
    using handler = std::function<fake_answer(const fake_request&)>;

    // `unauthorized` answers a request whose Authorization is not "Bearer <api_key>";
    // `route` answers the others, on the server's thread, one at a time. `name` is
    // what errors call it.
    fake_http_server(std::string name, std::string api_key, fake_answer unauthorized, handler route);
    ~fake_http_server();  // stops serving before anything `route` uses goes away
    fake_http_server(const fake_http_server&) = delete;
    fake_http_server& operator=(const fake_http_server&) = delete;

    unsigned short port() const noexcept { return port_; }

    // Every request received so far, in order (a copy).
    std::vector<fake_request> requests() const;
    // The last request with this method whose path starts with `path_prefix`; throws when none.
    fake_request last(const std::string& method, const std::string& path_prefix) const;
    std::size_t count(const std::string& method, const std::string& path_prefix) const;
    // The next request matching method and path prefix gets this answer instead
    // (after the auth check), once.
    void fail_next(std::string method, std::string path_prefix, int status, std::string body);

private:
    struct canned {
        std::string method, prefix;
        fake_answer answer;
    };

    void serve();
    void handle(int fd);
    fake_answer respond(const fake_request& r);

    std::string name_;
    std::string api_key_;
    fake_answer unauthorized_;
    handler route_;
    int listen_fd_ = -1;
    unsigned short port_ = 0;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<fake_request> requests_;
    std::deque<canned> canned_;
    std::thread thread_;
};

// "OK", "Not Found", ... for the statuses the fakes use.
std::string http_reason(int status);

}  // namespace switchboard::testing
