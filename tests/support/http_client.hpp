// A tiny blocking HTTP/1.1 client on POSIX sockets for tests (no Beast, so the tests
// do not trust the code they test). Content-Length bodies only, which is all the
// server sends; also reads until close when no length is given.
#pragma once

#include <boost/json/value.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>

namespace switchboard::testing {

struct http_response {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-case
    std::string body;

    boost::json::value json() const;  // throws when the body is not JSON
    std::string header(const std::string& lower_name) const;  // "" when absent
};

class http_client {
public:
    http_client(std::string host, unsigned short port);
    ~http_client();
    http_client(const http_client&) = delete;
    http_client& operator=(const http_client&) = delete;

    // Sends one request on the kept-alive connection (reconnecting once when the server
    // closed it) and reads the response. Adds Host and Content-Length. Throws
    // std::runtime_error on connect failure, timeout or a connection closed mid-response.
    http_response request(const std::string& method, const std::string& target, const std::string& body = {},
                          const std::map<std::string, std::string>& headers = {});

    // Raw bytes on the current connection (connects first if needed).
    void send_raw(const std::string& bytes);
    // The next response on the connection; nullopt on timeout or when the peer closes first.
    // `head`: the request was HEAD, so no body follows. `interim`: return a 1xx
    // (e.g. 100 Continue) instead of skipping it.
    std::optional<http_response> read_response(std::chrono::milliseconds timeout, bool head = false,
                                               bool interim = false);
    // True when the peer closes (or resets) the connection within `timeout`; bytes that
    // arrive meanwhile are kept for read_response().
    bool closed_by_peer(std::chrono::milliseconds timeout);

    void close();
    bool connected() const noexcept { return fd_ >= 0; }
    int connects() const noexcept { return connects_; }  // connections opened so far
    void set_timeout(std::chrono::milliseconds t) { timeout_ = t; }

private:
    void connect();
    // Appends what arrives to buffer_; 0 on EOF/reset, -1 on timeout.
    long receive(std::chrono::steady_clock::time_point deadline);

    std::string host_;
    unsigned short port_;
    int fd_ = -1;
    int connects_ = 0;
    bool peer_closed_ = false;
    bool must_reconnect_ = false;  // the last response said Connection: close
    std::string buffer_;
    std::chrono::milliseconds timeout_{30'000};
};

// One GET on a fresh connection; nullopt when it fails.
std::optional<http_response> http_get(const std::string& host, unsigned short port, const std::string& target,
                                      const std::map<std::string, std::string>& headers = {});

// Polls until something accepts TCP connections on 127.0.0.1:port.
bool wait_until_listening(unsigned short port, std::chrono::milliseconds timeout);

}  // namespace switchboard::testing
