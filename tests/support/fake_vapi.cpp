#include "support/fake_vapi.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <algorithm>
#include <stdexcept>

namespace switchboard::testing {
namespace json = boost::json;

namespace {


std::string nest_error(int status, json::value message) {
    return json::serialize(json::object{{"message", std::move(message)}, {"error", http_reason(status)}, {"statusCode", status}});
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

fake_vapi::fake_vapi(std::string api_key)
    : server_("fake_vapi", std::move(api_key),
              {401, nest_error(401, "Invalid Key. Hot tip, make sure you're using the private key.")},
              [this](const fake_request& r) {
                  std::lock_guard lock(mutex_);
                  return route(r);
              }) {}

fake_vapi::~fake_vapi() = default;

std::string fake_vapi::base_url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }

std::map<std::string, json::object> fake_vapi::assistants() const {
    std::lock_guard lock(mutex_);
    return assistants_;
}

std::map<std::string, json::object> fake_vapi::calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
}

fake_answer fake_vapi::route(const fake_request& r) {
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
    auto not_found = fake_answer{404, nest_error(404, "Not Found")};
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
