// A local stand-in for OpenAI's Realtime call-control REST API (protocol page,
// section 3.3) on 127.0.0.1, for the tests of SIP call acceptance. Plain sockets, one
// connection at a time, so it shares no code with what it tests. It records every
// request, checks the Bearer key (401 in OpenAI's error envelope otherwise), and
// answers like OpenAI: accept needs a JSON session with "type":"realtime" and refuses
// the VAD tuning fields SIP does not take (400 Unknown parameter); a call can be
// settled (accepted or rejected) once, after which it is 404 call_id_not_found.
// Also signs webhooks the way OpenAI does (Standard Webhooks, section 5).
#pragma once

#include "support/fake_http.hpp"

#include <boost/json/object.hpp>

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace switchboard::testing {

class fake_openai {
public:
    explicit fake_openai(std::string api_key);
    ~fake_openai();
    fake_openai(const fake_openai&) = delete;
    fake_openai& operator=(const fake_openai&) = delete;

    std::string base_url() const;  // http://127.0.0.1:<port>/v1
    unsigned short port() const noexcept { return server_.port(); }

    // What was received, and canned failures: see fake_http_server.
    std::vector<fake_request> requests() const { return server_.requests(); }
    std::size_t count(const std::string& method, const std::string& path_prefix) const {
        return server_.count(method, path_prefix);
    }
    fake_request last(const std::string& method, const std::string& path_prefix) const {
        return server_.last(method, path_prefix);
    }
    void fail_next(std::string method, std::string path_prefix, int status, std::string body) {
        server_.fail_next(std::move(method), std::move(path_prefix), status, std::move(body));
    }

    // Sessions of accepted calls and status codes of rejected ones, by call id.
    std::map<std::string, boost::json::object> accepted() const;
    std::map<std::string, int> rejected() const;

private:
    fake_answer route(const fake_request& r);

    mutable std::mutex mutex_;  // the fake's state
    std::map<std::string, boost::json::object> accepted_;
    std::map<std::string, int> rejected_;
    fake_http_server server_;  // last: it stops serving before the state goes
};

// The three Standard Webhooks headers for `body`, signed with `secret` ("whsec_" +
// base64 key) at `timestamp` (Unix seconds), as OpenAI sends them.
std::map<std::string, std::string> openai_webhook_headers(const std::string& secret, const std::string& webhook_id,
                                                          const std::string& body, long long timestamp);
long long unix_now();

}  // namespace switchboard::testing
