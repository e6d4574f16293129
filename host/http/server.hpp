// The HTTP/1.1 server (Boost.Beast): keep-alive, a fresh parser per request with a
// body limit, a deadline on every read, handlers run on a worker pool (never on the
// I/O threads), graceful stop. Beast stays inside server.cpp.
#pragma once

#include "host/http/message.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace switchboard::http {

struct server_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: pick a free port (see bound_port())
    unsigned io_threads = 1;
    unsigned worker_threads = 4;
    std::size_t body_limit_bytes = 1024 * 1024;
    std::chrono::milliseconds read_timeout{10'000};
    std::chrono::milliseconds idle_timeout{60'000};
    // When set and true for a request, its handler runs on the I/O thread instead of
    // the worker pool (for handlers that answer from memory, e.g. /healthz).
    std::function<bool(const request&)> run_inline;
};

// Called on a worker thread for every well-formed request. request_id is already
// set; the server adds X-Request-Id to the response and answers errors of its own
// (400 malformed, 413 too large, 431 headers too large, 408 on read timeout) without
// calling it. A handler that throws http_error answers its status with {"detail"};
// any other exception is a 500 {"detail":"internal server error"} (logged).
using request_handler = std::function<response(request&)>;

class server {
public:
    server(server_options options, request_handler handler);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    // Binds and starts accepting on the I/O threads; returns once listening.
    // Throws std::runtime_error naming the address when it cannot bind.
    void start();
    std::uint16_t bound_port() const noexcept;

    // Graceful stop: stop accepting, let in-flight requests finish (up to `grace`),
    // close idle keep-alive connections, join all threads. Safe from any thread except
    // the server's own (not from a handler); a second call returns at once.
    // A handler still running after `grace` is waited for (threads cannot be killed).
    void stop(std::chrono::milliseconds grace);

    // Blocks until stop() has completed (returns at once if never started).
    void wait();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace switchboard::http
