// A local stand-in for OpenAI's Realtime call-control REST API (protocol page,
// section 3.3) on 127.0.0.1, for the tests of SIP call acceptance. Plain sockets, one
// connection at a time, so it shares no code with what it tests. It records every
// request, checks the Bearer key (401 in OpenAI's error envelope otherwise), and
// answers like OpenAI: accept needs a JSON session with "type":"realtime" and refuses
// the VAD tuning fields SIP does not take (400 Unknown parameter); a call can be
// settled (accepted or rejected) once, after which it is 404 call_id_not_found.
// Also signs webhooks the way OpenAI does (Standard Webhooks, section 5).
#pragma once

#include "support/fake_vapi.hpp"  // fake_request

#include <boost/json/object.hpp>

#include <atomic>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::testing {

class fake_openai {
public:
    explicit fake_openai(std::string api_key);
    ~fake_openai();
    fake_openai(const fake_openai&) = delete;
    fake_openai& operator=(const fake_openai&) = delete;

    std::string base_url() const;  // http://127.0.0.1:<port>/v1
    unsigned short port() const noexcept { return port_; }

    std::vector<fake_request> requests() const;
    // Requests with this method whose path starts with `path_prefix`.
    std::size_t count(const std::string& method, const std::string& path_prefix) const;
    // The last such request; throws when none.
    fake_request last(const std::string& method, const std::string& path_prefix) const;

    // The next request matching method and path prefix gets this answer instead
    // (after the auth check), once.
    void fail_next(std::string method, std::string path_prefix, int status, std::string body);

    // Sessions of accepted calls and status codes of rejected ones, by call id.
    std::map<std::string, boost::json::object> accepted() const;
    std::map<std::string, int> rejected() const;

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
    std::map<std::string, boost::json::object> accepted_;
    std::map<std::string, int> rejected_;
    std::thread thread_;
};

// The three Standard Webhooks headers for `body`, signed with `secret` ("whsec_" +
// base64 key) at `timestamp` (Unix seconds), as OpenAI sends them.
std::map<std::string, std::string> openai_webhook_headers(const std::string& secret, const std::string& webhook_id,
                                                          const std::string& body, long long timestamp);
long long unix_now();

}  // namespace switchboard::testing
