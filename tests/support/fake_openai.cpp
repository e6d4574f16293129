#include "support/fake_openai.hpp"

#include "host/core/crypto.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace switchboard::testing {
namespace json = boost::json;

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

std::string reason(int status) {
    switch (status) {
        case 200: return "OK";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 404: return "Not Found";
        case 500: return "Internal Server Error";
        default: return "Status";
    }
}

// OpenAI's error envelope.
std::string openai_error(const std::string& message, const std::string& type, const std::string& code,
                         json::value param = nullptr) {
    return json::serialize(json::object{
        {"error", json::object{{"message", message}, {"type", type}, {"code", code}, {"param", std::move(param)}}}});
}

}  // namespace

long long unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::map<std::string, std::string> openai_webhook_headers(const std::string& secret, const std::string& webhook_id,
                                                          const std::string& body, long long timestamp) {
    const std::string prefix = "whsec_";
    auto key = secret.rfind(prefix, 0) == 0 ? core::base64_decode(secret.substr(prefix.size())) : secret;
    if (!key) throw std::invalid_argument("openai_webhook_headers: the secret is not whsec_<base64>");
    const std::string ts = std::to_string(timestamp);
    const std::string content = webhook_id + "." + ts + "." + body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()),
         reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &len);
    return {{"webhook-id", webhook_id},
            {"webhook-timestamp", ts},
            {"webhook-signature", "v1," + core::base64_encode(std::string(reinterpret_cast<char*>(mac), len))}};
}

fake_openai::fake_openai(std::string api_key) : api_key_(std::move(api_key)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("fake_openai: socket failed");
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0)
        throw std::runtime_error(std::string("fake_openai: bind/listen failed: ") + std::strerror(errno));
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
}

fake_openai::~fake_openai() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
}

std::string fake_openai::base_url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/v1"; }

std::vector<fake_request> fake_openai::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

std::size_t fake_openai::count(const std::string& method, const std::string& path_prefix) const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(requests_.begin(), requests_.end(), [&](const fake_request& r) {
        return r.method == method && r.path.rfind(path_prefix, 0) == 0;
    }));
}

fake_request fake_openai::last(const std::string& method, const std::string& path_prefix) const {
    std::lock_guard lock(mutex_);
    for (auto it = requests_.rbegin(); it != requests_.rend(); ++it)
        if (it->method == method && it->path.rfind(path_prefix, 0) == 0) return *it;
    throw std::runtime_error("fake_openai: no " + method + " " + path_prefix + "* request was received");
}

void fake_openai::fail_next(std::string method, std::string path_prefix, int status, std::string body) {
    std::lock_guard lock(mutex_);
    canned_.push_back({std::move(method), std::move(path_prefix), std::move(body), status});
}

std::map<std::string, json::object> fake_openai::accepted() const {
    std::lock_guard lock(mutex_);
    return accepted_;
}

std::map<std::string, int> fake_openai::rejected() const {
    std::lock_guard lock(mutex_);
    return rejected_;
}

void fake_openai::serve() {
    while (!stop_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;  // wakes up to notice stop_
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        handle(fd);
        ::close(fd);
    }
}

void fake_openai::handle(int fd) {
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
    // Success bodies are empty (section 3.3).
    std::string out = "HTTP/1.1 " + std::to_string(a.status) + " " + reason(a.status) +
                      (a.body.empty() ? std::string() : "\r\nContent-Type: application/json") +
                      "\r\nContent-Length: " + std::to_string(a.body.size()) + "\r\nConnection: close\r\n\r\n" + a.body;
    for (std::size_t sent = 0; sent < out.size();) {
        ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<std::size_t>(n);
    }
}

fake_openai::answer fake_openai::respond(const fake_request& r) {
    std::lock_guard lock(mutex_);
    requests_.push_back(r);
    if (r.header("authorization") != "Bearer " + api_key_)
        return {401, openai_error("Incorrect API key provided: sk-***. You can find your API key at "
                                  "https://platform.openai.com/account/api-keys.",
                                  "invalid_request_error", "invalid_api_key")};
    for (auto it = canned_.begin(); it != canned_.end(); ++it) {
        if (it->method == r.method && r.path.rfind(it->prefix, 0) == 0) {
            answer a{it->status, it->body};
            canned_.erase(it);
            return a;
        }
    }
    return route(r);
}

fake_openai::answer fake_openai::route(const fake_request& r) {
    const std::string calls = "/v1/realtime/calls/";
    const answer not_found{404, openai_error("Not found", "invalid_request_error", "not_found")};
    if (r.method != "POST" || r.path.rfind(calls, 0) != 0) return not_found;
    const std::string rest = r.path.substr(calls.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos) return not_found;
    const std::string call_id = rest.substr(0, slash), verb = rest.substr(slash + 1);
    if (verb != "accept" && verb != "reject") return not_found;

    json::object body;
    if (!r.body.empty()) {
        if (r.header("content-type").rfind("application/json", 0) != 0)
            return {400, openai_error("Content-Type must be application/json", "invalid_request_error", "")};
        boost::system::error_code ec;
        auto v = json::parse(r.body, ec);
        if (ec || !v.is_object())
            return {400, openai_error("We could not parse the JSON body of your request.", "invalid_request_error", "")};
        body = std::move(v.as_object());
    }
    // A call is pending until its first successful accept or reject.
    if (accepted_.count(call_id) || rejected_.count(call_id))
        return {404, openai_error("Call " + call_id + " not found", "invalid_request_error", "call_id_not_found")};

    if (verb == "accept") {
        auto const* type = body.if_contains("type");
        if (!type || !type->is_string() || type->get_string() != "realtime")
            return {400, openai_error("Missing required parameter: 'session.type'.", "invalid_request_error",
                                      "missing_required_parameter", "session.type")};
        auto const* audio = body.if_contains("audio");
        auto const* input = audio && audio->is_object() ? audio->get_object().if_contains("input") : nullptr;
        auto const* td = input && input->is_object() ? input->get_object().if_contains("turn_detection") : nullptr;
        if (td && td->is_object())
            for (auto key : {"threshold", "prefix_padding_ms", "silence_duration_ms"})
                if (td->get_object().contains(key)) {
                    const std::string param = std::string("session.audio.input.turn_detection.") + key;
                    return {400, openai_error("Unknown parameter: '" + param + "'.", "invalid_request_error",
                                              "unknown_parameter", json::string(param))};
                }
        accepted_[call_id] = std::move(body);
        return {200, ""};
    }
    int status = 603;
    if (auto const* s = body.if_contains("status_code"); s && s->is_int64()) status = static_cast<int>(s->get_int64());
    rejected_[call_id] = status;
    return {200, ""};
}

}  // namespace switchboard::testing
