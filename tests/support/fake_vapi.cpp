#include "support/fake_vapi.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

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
        case 201: return "Created";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 404: return "Not Found";
        case 409: return "Conflict";
        case 500: return "Internal Server Error";
        default: return "Status";
    }
}

std::string nest_error(int status, json::value message) {
    return json::serialize(json::object{{"message", std::move(message)}, {"error", reason(status)}, {"statusCode", status}});
}

bool is_e164(std::string_view n) {
    if (n.size() < 9 || n.size() > 16 || n[0] != '+' || n[1] == '0') return false;
    return std::all_of(n.begin() + 1, n.end(), [](char c) { return c >= '0' && c <= '9'; });
}

using problems = std::vector<std::string>;

void only_keys(const json::object& o, std::initializer_list<std::string_view> allowed, const std::string& prefix,
               problems& out) {
    for (auto const& kv : o)
        if (std::find(allowed.begin(), allowed.end(), kv.key()) == allowed.end())
            out.push_back("property " + prefix + std::string(kv.key()) + " should not exist");
}

void must_be_string(const json::object& o, std::string_view key, const std::string& prefix, problems& out,
                    bool required, std::size_t max_len = 0) {
    auto const* v = o.if_contains(key);
    const std::string name = prefix + std::string(key);
    if (!v) {
        if (required) out.push_back(name + " must be a string");
        return;
    }
    if (!v->is_string()) return out.push_back(name + " must be a string");
    if (max_len && v->get_string().size() > max_len)
        out.push_back(name + " must be shorter than or equal to " + std::to_string(max_len) + " characters");
}

void must_be_object(const json::object& o, std::string_view key, const std::string& prefix, problems& out) {
    if (auto const* v = o.if_contains(key); v && !v->is_object())
        out.push_back(prefix + std::string(key) + " must be an object");
}

// CreateAssistantDTO / UpdateAssistantDTO (the fields the host may send).
void check_assistant(const json::object& a, const std::string& prefix, problems& out) {
    only_keys(a,
              {"name", "firstMessage", "firstMessageMode", "model", "voice", "transcriber", "serverMessages",
               "clientMessages", "server", "metadata", "analysisPlan", "artifactPlan", "endCallPhrases",
               "endCallMessage", "voicemailMessage", "maxDurationSeconds", "hooks", "silenceTimeoutSeconds"},
              prefix, out);
    must_be_string(a, "name", prefix, out, false, 40);
    must_be_string(a, "firstMessage", prefix, out, false);
    must_be_object(a, "metadata", prefix, out);
    if (auto const* m = a.if_contains("model")) {
        if (!m->is_object()) {
            out.push_back(prefix + "model must be an object");
        } else {
            auto const& mo = m->get_object();
            const std::string mp = prefix + "model.";
            only_keys(mo, {"provider", "model", "messages", "tools", "toolIds", "knowledgeBase", "temperature",
                           "maxTokens"},
                      mp, out);
            must_be_string(mo, "provider", mp, out, true);
            must_be_string(mo, "model", mp, out, true);
            if (auto const* msgs = mo.if_contains("messages")) {
                if (!msgs->is_array()) {
                    out.push_back(mp + "messages must be an array");
                } else {
                    for (auto const& msg : msgs->get_array()) {
                        auto const* o = msg.if_object();
                        auto const* role = o ? o->if_contains("role") : nullptr;
                        if (!o || !role || !role->is_string() ||
                            (role->get_string() != "system" && role->get_string() != "user" &&
                             role->get_string() != "assistant"))
                            out.push_back(mp + "messages.role must be one of the following values: system, user, assistant");
                        else
                            must_be_string(*o, "content", mp + "messages.", out, true);
                    }
                }
            }
        }
    }
    if (auto const* v = a.if_contains("voice")) {
        if (!v->is_object()) {
            out.push_back(prefix + "voice must be an object");
        } else {
            const std::string vp = prefix + "voice.";
            only_keys(v->get_object(), {"provider", "voiceId", "model", "speed", "stability", "similarityBoost"}, vp,
                      out);
            must_be_string(v->get_object(), "provider", vp, out, true);
            must_be_string(v->get_object(), "voiceId", vp, out, true);
        }
    }
}

}  // namespace

std::string fake_request::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
}

json::object fake_request::json() const { return json::parse(body).as_object(); }

fake_vapi::fake_vapi(std::string api_key) : api_key_(std::move(api_key)) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (listen_fd_ < 0) throw std::runtime_error("fake_vapi: socket failed");
    int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(listen_fd_, 16) != 0)
        throw std::runtime_error(std::string("fake_vapi: bind/listen failed: ") + std::strerror(errno));
    socklen_t len = sizeof addr;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
}

fake_vapi::~fake_vapi() {
    stop_ = true;
    thread_.join();
    ::close(listen_fd_);
}

std::string fake_vapi::base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<fake_request> fake_vapi::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

fake_request fake_vapi::last(const std::string& method, const std::string& path_prefix) const {
    std::lock_guard lock(mutex_);
    for (auto it = requests_.rbegin(); it != requests_.rend(); ++it)
        if (it->method == method && it->path.rfind(path_prefix, 0) == 0) return *it;
    throw std::runtime_error("fake_vapi: no " + method + " " + path_prefix + "* request was received");
}

std::size_t fake_vapi::count(const std::string& method, const std::string& path_prefix) const {
    std::lock_guard lock(mutex_);
    return static_cast<std::size_t>(std::count_if(requests_.begin(), requests_.end(), [&](const fake_request& r) {
        return r.method == method && r.path.rfind(path_prefix, 0) == 0;
    }));
}

void fake_vapi::fail_next(std::string method, std::string path_prefix, int status, std::string body) {
    std::lock_guard lock(mutex_);
    canned_.push_back({std::move(method), std::move(path_prefix), std::move(body), status});
}

std::map<std::string, json::object> fake_vapi::assistants() const {
    std::lock_guard lock(mutex_);
    return assistants_;
}

std::map<std::string, json::object> fake_vapi::calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
}

void fake_vapi::serve() {
    while (!stop_) {
        pollfd p{listen_fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;  // wakes up to notice stop_
        int fd = ::accept(listen_fd_, nullptr, nullptr);
        if (fd < 0) continue;
        handle(fd);
        ::close(fd);
    }
}

void fake_vapi::handle(int fd) {
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
    std::string out = "HTTP/1.1 " + std::to_string(a.status) + " " + reason(a.status) +
                      "\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: " +
                      std::to_string(a.body.size()) + "\r\nConnection: close\r\n\r\n" + a.body;
    for (std::size_t sent = 0; sent < out.size();) {
        ssize_t n = ::send(fd, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<std::size_t>(n);
    }
}

fake_vapi::answer fake_vapi::respond(const fake_request& r) {
    std::lock_guard lock(mutex_);
    requests_.push_back(r);
    if (r.header("authorization") != "Bearer " + api_key_)
        return {401, nest_error(401, "Invalid Key. Hot tip, make sure you're using the private key.")};
    for (auto it = canned_.begin(); it != canned_.end(); ++it) {
        if (it->method == r.method && r.path.rfind(it->prefix, 0) == 0) {
            answer a{it->status, it->body};
            canned_.erase(it);
            return a;
        }
    }
    return route(r);
}

fake_vapi::answer fake_vapi::route(const fake_request& r) {
    const bool has_body = r.method == "POST" || r.method == "PATCH";
    json::object body;
    if (has_body) {
        if (r.header("content-type").rfind("application/json", 0) != 0)
            return {400, nest_error(400, json::array{"Content-Type must be application/json"})};
        boost::system::error_code ec;
        auto v = json::parse(r.body, ec);
        if (ec || !v.is_object()) return {400, nest_error(400, json::array{"body must be a JSON object"})};
        body = std::move(v.as_object());
    }
    const std::string now = "2026-01-01T00:00:00.000Z";
    auto not_found = answer{404, nest_error(404, "Not Found")};
    auto id_after = [&](std::string_view prefix) { return r.path.substr(prefix.size()); };

    if (r.path == "/assistant" && r.method == "POST") {
        problems p;
        check_assistant(body, "", p);
        if (!p.empty()) return {400, nest_error(400, json::value_from(p))};
        auto id = "asst-" + std::to_string(next_id_++);
        body["id"] = id;
        body["orgId"] = "org-fake";
        body["createdAt"] = now;
        body["updatedAt"] = now;
        assistants_[id] = body;
        return {201, json::serialize(body)};
    }
    if (r.path == "/assistant" && r.method == "GET") {
        json::array all;
        for (auto const& [id, a] : assistants_) all.push_back(a);
        return {200, json::serialize(all)};
    }
    if (r.path.rfind("/assistant/", 0) == 0) {
        auto id = id_after("/assistant/");
        auto it = assistants_.find(id);
        if (it == assistants_.end()) return not_found;
        if (r.method == "GET") return {200, json::serialize(it->second)};
        if (r.method == "PATCH") {
            problems p;
            check_assistant(body, "", p);
            if (!p.empty()) return {400, nest_error(400, json::value_from(p))};
            for (auto const& kv : body) it->second[kv.key()] = kv.value();  // nested objects replaced whole
            it->second["updatedAt"] = "2026-01-01T00:00:01.000Z";
            return {200, json::serialize(it->second)};
        }
        if (r.method == "DELETE") {
            auto gone = std::move(it->second);
            assistants_.erase(it);
            return {200, json::serialize(gone)};
        }
    }
    if (r.path == "/call" && r.method == "POST") {
        problems p;
        only_keys(body,
                  {"phoneNumberId", "phoneNumber", "customer", "customerId", "customers", "assistantId",
                   "assistantVersion", "assistant", "squadId", "squad", "workflowId", "workflow", "assistantOverrides",
                   "name", "schedulePlan"},
                  "", p);
        if (!body.contains("phoneNumberId") && !body.contains("phoneNumber"))
            p.push_back("phoneNumberId must be a string");
        else
            must_be_string(body, "phoneNumberId", "", p, false);
        auto const* customer = body.if_contains("customer");
        if (!customer || !customer->is_object()) {
            p.push_back("customer must be an object");
        } else {
            only_keys(customer->get_object(), {"number", "name", "extension"}, "customer.", p);
            auto const* n = customer->get_object().if_contains("number");
            if (!n || !n->is_string() || !is_e164(n->get_string()))
                p.push_back("customer.number must be a valid phone number in the E.164 format");
            must_be_string(customer->get_object(), "name", "customer.", p, false);
        }
        int assistants = 0;
        for (auto k : {"assistantId", "assistant", "squadId", "squad", "workflowId", "workflow"})
            assistants += body.contains(k) ? 1 : 0;
        if (assistants != 1)
            p.push_back("exactly one of assistantId, assistant, squadId, squad, workflowId, workflow must be given");
        if (auto const* a = body.if_contains("assistant")) {
            if (a->is_object())
                check_assistant(a->get_object(), "assistant.", p);
            else
                p.push_back("assistant must be an object");
        }
        must_be_string(body, "name", "", p, false, 40);
        if (auto const* o = body.if_contains("assistantOverrides")) {
            if (!o->is_object()) {
                p.push_back("assistantOverrides must be an object");
            } else {
                only_keys(o->get_object(), {"variableValues", "metadata", "serverMessages", "firstMessage"},
                          "assistantOverrides.", p);
                must_be_object(o->get_object(), "variableValues", "assistantOverrides.", p);
                must_be_object(o->get_object(), "metadata", "assistantOverrides.", p);
            }
        }
        if (!p.empty()) return {400, nest_error(400, json::value_from(p))};
        if (auto const* id = body.if_contains("assistantId"); id && id->is_string() && !assistants_.count(std::string(id->get_string())))
            return {400, nest_error(400, json::string("Couldn't Get Assistant. `assistantId` " +
                                                          std::string(id->get_string()) + " Does Not Exist."))};
        auto id = "call-" + std::to_string(next_id_++);
        json::object call = body;
        call["id"] = id;
        call["orgId"] = "org-fake";
        call["type"] = "outboundPhoneCall";
        call["status"] = "queued";
        call["cost"] = 0;
        call["createdAt"] = now;
        call["updatedAt"] = now;
        call["monitor"] = json::object{{"listenUrl", "wss://fake.example.test/" + id + "/listen"},
                                       {"controlUrl", "https://fake.example.test/" + id + "/control"}};
        calls_[id] = call;
        return {201, json::serialize(call)};
    }
    if (r.path == "/call" && r.method == "GET") {
        std::string assistant;
        if (auto q = r.target.find("assistantId="); q != std::string::npos)
            assistant = r.target.substr(q + 12, r.target.find('&', q) - q - 12);
        json::array all;
        for (auto const& [id, c] : calls_) {
            auto const* a = c.if_contains("assistantId");
            if (assistant.empty() || (a && a->is_string() && a->get_string() == assistant)) all.push_back(c);
        }
        return {200, json::serialize(all)};
    }
    if (r.path.rfind("/call/", 0) == 0 && r.method == "GET") {
        auto it = calls_.find(id_after("/call/"));
        if (it == calls_.end()) return not_found;
        return {200, json::serialize(it->second)};
    }
    return not_found;
}

}  // namespace switchboard::testing
