#include "support/http_client.hpp"

#include <boost/json/parse.hpp>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <thread>

namespace switchboard::testing {
namespace {

using clock_type = std::chrono::steady_clock;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return std::string(s);
}

int open_connection(const std::string& host, unsigned short port, std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    std::string service = std::to_string(port);
    if (int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &list); rc != 0) {
        error = ::gai_strerror(rc);
        return -1;
    }
    int fd = -1;
    for (auto* ai = list; ai; ai = ai->ai_next) {
        fd = ::socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) continue;
        if (::connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) break;
        error = std::strerror(errno);
        ::close(fd);
        fd = -1;
    }
    ::freeaddrinfo(list);
    if (fd >= 0) {
        int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    return fd;
}

}  // namespace

boost::json::value http_response::json() const { return boost::json::parse(body); }

std::string http_response::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
}

http_client::http_client(std::string host, unsigned short port) : host_(std::move(host)), port_(port) {}

http_client::~http_client() { close(); }

void http_client::close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
    peer_closed_ = false;
    must_reconnect_ = false;
    buffer_.clear();
}

void http_client::connect() {
    close();
    std::string error;
    fd_ = open_connection(host_, port_, error);
    if (fd_ < 0) throw std::runtime_error("cannot connect to " + host_ + ":" + std::to_string(port_) + ": " + error);
    ++connects_;
}

long http_client::receive(clock_type::time_point deadline) {
    if (fd_ < 0 || peer_closed_) return 0;
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_type::now()).count();
        if (left < 0) left = 0;
        pollfd p{fd_, POLLIN, 0};
        int rc = ::poll(&p, 1, static_cast<int>(left));
        if (rc < 0 && errno == EINTR) continue;
        if (rc == 0) return -1;
        char chunk[65536];
        ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {  // EOF or reset: the peer is gone
            peer_closed_ = true;
            return 0;
        }
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return n;
    }
}

void http_client::send_raw(const std::string& bytes) {
    if (fd_ < 0) connect();
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw std::runtime_error(std::string("send failed: ") + std::strerror(errno));
        sent += static_cast<std::size_t>(n);
    }
}

std::optional<http_response> http_client::read_response(std::chrono::milliseconds timeout, bool head,
                                                        bool interim) {
    auto deadline = clock_type::now() + timeout;
    // Waits until buffer_ holds at least `n` bytes; false on timeout or close.
    auto need = [&](std::size_t n) {
        while (buffer_.size() < n)
            if (receive(deadline) <= 0) return false;
        return true;
    };
    for (;;) {
        std::size_t end;
        while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
            if (receive(deadline) <= 0) return std::nullopt;

        http_response res;
        std::string_view head_text(buffer_.data(), end);
        auto line_end = head_text.find("\r\n");
        std::string_view status_line = head_text.substr(0, line_end);
        auto sp = status_line.find(' ');
        if (sp == std::string_view::npos || status_line.substr(0, 5) != "HTTP/")
            throw std::runtime_error("bad status line: " + std::string(status_line));
        res.status = std::stoi(std::string(status_line.substr(sp + 1, 3)));
        std::string_view rest = line_end == std::string_view::npos ? std::string_view{} : head_text.substr(line_end + 2);
        while (!rest.empty()) {
            auto e = rest.find("\r\n");
            std::string_view line = rest.substr(0, e);
            rest = e == std::string_view::npos ? std::string_view{} : rest.substr(e + 2);
            auto colon = line.find(':');
            if (colon == std::string_view::npos) continue;
            res.headers[lower(std::string(line.substr(0, colon)))] = trim(line.substr(colon + 1));
        }
        std::size_t body_start = end + 4;
        if (res.status >= 100 && res.status < 200) {  // 100 Continue: the real answer follows
            buffer_.erase(0, body_start);
            if (interim) return res;
            continue;
        }

        bool no_body = head || res.status == 204 || res.status == 304;
        if (no_body) {
            buffer_.erase(0, body_start);
        } else if (auto cl = res.headers.find("content-length"); cl != res.headers.end()) {
            std::size_t len = std::stoul(cl->second);
            if (!need(body_start + len)) return std::nullopt;
            res.body = buffer_.substr(body_start, len);
            buffer_.erase(0, body_start + len);
        } else if (lower(res.header("transfer-encoding")).find("chunked") != std::string::npos) {
            std::size_t pos = body_start;
            for (;;) {
                std::size_t eol;
                while ((eol = buffer_.find("\r\n", pos)) == std::string::npos)
                    if (receive(deadline) <= 0) return std::nullopt;
                std::size_t size = std::stoul(buffer_.substr(pos, eol - pos), nullptr, 16);
                if (!need(eol + 2 + size + 2)) return std::nullopt;
                res.body.append(buffer_, eol + 2, size);
                pos = eol + 2 + size + 2;
                if (size == 0) break;  // no trailers expected
            }
            buffer_.erase(0, pos);
        } else {  // no length: the body runs to the close
            while (receive(deadline) > 0) {
            }
            if (!peer_closed_) return std::nullopt;
            res.body = buffer_.substr(body_start);
            buffer_.clear();
        }
        if (lower(res.header("connection")) == "close") must_reconnect_ = true;
        return res;
    }
}

bool http_client::closed_by_peer(std::chrono::milliseconds timeout) {
    if (fd_ < 0) return false;
    auto deadline = clock_type::now() + timeout;
    for (;;) {
        long r = receive(deadline);
        if (r == 0) return true;
        if (r < 0) return false;
    }
}

http_response http_client::request(const std::string& method, const std::string& target, const std::string& body,
                                   const std::map<std::string, std::string>& headers) {
    std::string text = method + " " + target + " HTTP/1.1\r\n";
    bool has_host = false;
    for (const auto& [name, value] : headers) {
        if (lower(name) == "host") has_host = true;
        text += name + ": " + value + "\r\n";
    }
    if (!has_host) text += "Host: " + host_ + ":" + std::to_string(port_) + "\r\n";
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH")
        text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    text += "\r\n";
    text += body;

    for (int attempt = 0;; ++attempt) {
        bool reused = fd_ >= 0 && !peer_closed_ && !must_reconnect_;
        if (!reused) {
            connect();
            must_reconnect_ = false;
        }
        buffer_.clear();
        try {
            send_raw(text);
        } catch (const std::runtime_error&) {
            if (reused && attempt == 0) {
                close();
                continue;
            }
            throw;
        }
        auto res = read_response(timeout_, method == "HEAD");
        if (res) return *res;
        // A kept-alive connection the server had already closed: retry once on a new one.
        if (reused && attempt == 0 && peer_closed_ && buffer_.empty()) {
            close();
            continue;
        }
        throw std::runtime_error("no complete response to " + method + " " + target +
                                 (peer_closed_ ? " (connection closed)" : " (timeout)"));
    }
}

std::optional<http_response> http_get(const std::string& host, unsigned short port, const std::string& target,
                                      const std::map<std::string, std::string>& headers) {
    try {
        http_client client(host, port);
        return client.request("GET", target, {}, headers);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

bool wait_until_listening(unsigned short port, std::chrono::milliseconds timeout) {
    auto deadline = clock_type::now() + timeout;
    for (;;) {
        std::string error;
        int fd = open_connection("127.0.0.1", port, error);
        if (fd >= 0) {
            ::close(fd);
            return true;
        }
        if (clock_type::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace switchboard::testing
