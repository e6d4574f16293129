#include "support/fake_http.hpp"

#include <boost/json/parse.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace switchboard::testing {

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

std::string trim(std::string s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.erase(s.begin());
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
    return s;
}

bool matches(const fake_request& r, const std::string& method, const std::string& prefix) {
    return r.method == method && r.path.rfind(prefix, 0) == 0;
}

}  // namespace

std::string http_reason(int status) {
    switch (status) {
        case 200: return "OK";
        case 201: return "Created";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 404: return "Not Found";
        case 409: return "Conflict";
        case 500: return "Internal Server Error";
        default: return "Status";
    }
}

std::string fake_request::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
}

boost::json::object fake_request::json() const { return boost::json::parse(body).as_object(); }

fake_http_server::fake_http_server(std::string name, std::string api_key, fake_answer unauthorized, handler route)
    : name_(std::move(name)), api_key_(std::move(api_key)), unauthorized_(std::move(unauthorized)),
      route_(std::move(route)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error(name_ + ": socket failed");
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0) {
        const std::string why = std::strerror(errno);
        ::close(listen_fd_);
        throw std::runtime_error(name_ + ": bind/listen failed: " + why);
    }
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
}

fake_http_server::~fake_http_server() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
}

std::vector<fake_request> fake_http_server::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

fake_request fake_http_server::last(const std::string& method, const std::string& path_prefix) const {
    std::lock_guard lock(mutex_);
    for (auto it = requests_.rbegin(); it != requests_.rend(); ++it)
        if (matches(*it, method, path_prefix)) return *it;
    throw std::runtime_error(name_ + ": no " + method + " " + path_prefix + "* request was received");
}

std::size_t fake_http_server::count(const std::string& method, const std::string& path_prefix) const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(requests_.begin(), requests_.end(),
                                                  [&](const fake_request& r) { return matches(r, method, path_prefix); }));
}

void fake_http_server::fail_next(std::string method, std::string path_prefix, int status, std::string body) {
    std::lock_guard lock(mutex_);
    canned_.push_back({std::move(method), std::move(path_prefix), {status, std::move(body)}});
}

void fake_http_server::serve() {
    while (!stop_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;  // wakes up to notice stop_
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        handle(fd);
        ::close(fd);
    }
}

void fake_http_server::handle(int fd) {
    std::string data;
    char buf[4096];
    auto receive = [&] {
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0) return false;
        ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) return false;
        data.append(buf, static_cast<std::size_t>(n));
        return true;
    };
    std::size_t head_end;
    while ((head_end = data.find("\r\n\r\n")) == std::string::npos)
        if (!receive()) return;

    fake_request r;
    std::size_t line_end = data.find("\r\n");
    std::string first = data.substr(0, line_end);
    auto sp1 = first.find(' '), sp2 = first.rfind(' ');
    if (sp1 == std::string::npos || sp2 == sp1) return;
    r.method = first.substr(0, sp1);
    r.target = first.substr(sp1 + 1, sp2 - sp1 - 1);
    r.path = r.target.substr(0, r.target.find('?'));
    for (std::size_t pos = line_end + 2; pos < head_end;) {
        auto end = data.find("\r\n", pos);
        auto line = data.substr(pos, end - pos);
        auto colon = line.find(':');
        if (colon != std::string::npos) r.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
        pos = end + 2;
    }
    std::size_t length = r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
    while (data.size() < head_end + 4 + length)
        if (!receive()) return;
    r.body = data.substr(head_end + 4, length);

    auto a = respond(r);
    std::string out = "HTTP/1.1 " + std::to_string(a.status) + " " + http_reason(a.status) +
                      (a.body.empty() ? std::string() : "\r\nContent-Type: application/json; charset=utf-8") +
                      "\r\nContent-Length: " + std::to_string(a.body.size()) + "\r\nConnection: close\r\n\r\n" + a.body;
    for (std::size_t sent = 0; sent < out.size();) {
        ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<std::size_t>(n);
    }
}

fake_answer fake_http_server::respond(const fake_request& r) {
    {
        std::lock_guard lock(mutex_);
        requests_.push_back(r);
        if (r.header("authorization") != "Bearer " + api_key_) return unauthorized_;
        for (auto it = canned_.begin(); it != canned_.end(); ++it) {
            if (matches(r, it->method, it->prefix)) {
                auto a = it->answer;
                canned_.erase(it);
                return a;
            }
        }
    }
    return route_(r);
}

}  // namespace switchboard::testing
