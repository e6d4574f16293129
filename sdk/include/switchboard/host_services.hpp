// What the host lends a plugin for its lifetime. Everything a plugin needs from the
// outside world goes through here, so plugins never link Asio, SOCI or spdlog state
// of their own.
#pragma once

#include <boost/config.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::sdk {

enum class log_level { trace, debug, info, warn, error };

// An outgoing HTTP(S) request made through the host (plugins never open sockets).
struct http_request {
    std::string method = "GET";
    std::string url;  // http:// or https://; TLS certificates are always verified
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{10'000};  // per attempt: connect + send + receive
    int max_retries = 2;  // extra attempts on 429, 502, 503, 504 and connection errors, with backoff
};

struct http_response {
    int status = 0;  // 0: no response (see error)
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
    std::string body;
    std::string error;  // why no response arrived (DNS, connect, TLS, timeout); empty otherwise
    int attempts = 0;

    std::string_view header(std::string_view lower_name) const noexcept {
        for (auto const& [k, v] : headers)
            if (k == lower_name) return v;
        return {};
    }
};

class BOOST_SYMBOL_VISIBLE host_services {
public:
    virtual ~host_services() = default;

    // Logs under the plugin's name; the host adds the request id when there is one.
    virtual void log(log_level level, std::string_view message) = 0;

    // The host's clock (tests may fix it).
    virtual std::chrono::system_clock::time_point now() const = 0;

    // Blocking HTTP(S) call through the host's client (TLS verified, timeouts,
    // retries with backoff on 429/5xx honouring Retry-After). Never throws.
    virtual http_response http(const http_request& request) = 0;
};

}  // namespace switchboard::sdk
