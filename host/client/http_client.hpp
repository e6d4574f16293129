// The host's outgoing HTTP(S) client (Boost.Beast + OpenSSL): what provider plugins
// use, through sdk::host_services::http, to call Vapi, OpenAI and LiveKit. Beast
// stays inside http_client.cpp.
#pragma once

#include <switchboard/host_services.hpp>

#include <memory>
#include <string>

namespace switchboard::client {

struct client_options {
    std::string ca_file;  // extra CA bundle (PEM) to trust besides the system store; tests use it
    std::chrono::milliseconds max_backoff{8'000};
    std::string user_agent = "switchboard/0.1";
};

class http_client {
public:
    explicit http_client(client_options options = {});
    ~http_client();
    http_client(const http_client&) = delete;
    http_client& operator=(const http_client&) = delete;

    // Thread-safe; blocks the calling (worker) thread. Never throws.
    sdk::http_response send(const sdk::http_request& request);

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace switchboard::client
