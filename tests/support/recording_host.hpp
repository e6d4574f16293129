// A host_services for testing plugin code in process: it records every outgoing HTTP
// request and answers them from a queue the test fills, and keeps what was logged.
#pragma once

#include <switchboard/host_services.hpp>

#include <catch2/catch.hpp>

#include <deque>
#include <string>
#include <utility>
#include <vector>

namespace switchboard::testing {

struct recording_host final : sdk::host_services {
    std::vector<sdk::http_request> sent;
    std::deque<sdk::http_response> answers;
    std::vector<std::pair<sdk::log_level, std::string>> logs;

    void log(sdk::log_level level, std::string_view message) override { logs.emplace_back(level, message); }
    std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
    sdk::http_response http(const sdk::http_request& request) override {
        sent.push_back(request);
        REQUIRE(!answers.empty());  // a request the test did not expect
        auto r = answers.front();
        answers.pop_front();
        return r;
    }

    // Queues the answer to the next request (status 0: no answer, `error` says why).
    void answer(int status, std::string body = {}, std::string error = {}) {
        sdk::http_response r;
        r.status = status;
        r.body = std::move(body);
        r.error = std::move(error);
        answers.push_back(std::move(r));
    }
    std::string all_logs() const {
        std::string out;
        for (auto const& [level, text] : logs) out += text + "\n";
        return out;
    }
};

// The value of the header `name` (as the plugin spelled it) of a recorded request.
inline std::string header(const sdk::http_request& r, std::string_view name) {
    for (auto const& [k, v] : r.headers)
        if (k == name) return v;
    return {};
}

}  // namespace switchboard::testing
