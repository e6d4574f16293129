#include "host/calls/answers.hpp"

#include "host/config/config.hpp"
#include "host/plugins/registry.hpp"
#include "host/scripting/engine.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <future>
#include <memory>
#include <thread>

namespace switchboard::calls {

answerer::answerer(plugins::registry& plugins, scripting::engine* scripts) : plugins_(plugins), scripts_(scripts) {
    for (auto const& info : plugins.plugins()) {
        if (info.kind != sdk::plugin_kind::tool) continue;
        auto* t = plugins.tool(info.name);
        if (!t) continue;
        try {
            for (auto const& spec : t->specs()) {
                auto [it, inserted] = tool_owner_.emplace(spec.name, info.name);
                if (inserted) quick_[spec.name] = spec.quick;
                if (!inserted)
                    spdlog::warn("tool function '{}' is offered by '{}' and '{}'; '{}' answers", spec.name, it->second,
                                 info.name, it->second);
            }
        } catch (const std::exception& e) {
            spdlog::error("tool plugin '{}': specs() failed: {}", info.name, e.what());
        }
    }
}

bool answerer::needs_answer(const std::vector<sdk::call_event>& events) const {
    for (auto const& e : events)
        if (std::holds_alternative<sdk::assistant_requested>(e.body) ||
            std::holds_alternative<sdk::tool_call_requested>(e.body) ||
            std::holds_alternative<sdk::transfer_requested>(e.body) ||
            std::holds_alternative<sdk::knowledge_requested>(e.body))
            return true;
    return false;
}

bool answerer::needs_call_id(const std::vector<sdk::call_event>& events) const {
    for (auto const& e : events) {
        if (auto* call = std::get_if<sdk::tool_call_requested>(&e.body)) {
            auto q = quick_.find(call->name);
            if (q == quick_.end() || !q->second) return true;
        } else if (std::holds_alternative<sdk::assistant_requested>(e.body) ||
                   std::holds_alternative<sdk::transfer_requested>(e.body) ||
                   std::holds_alternative<sdk::knowledge_requested>(e.body)) {
            return true;
        }
    }
    return false;
}

answerer::pending_tool answerer::start_tool(const config::org_config& org, const std::string& call_id,
                                           const sdk::tool_call_requested& call) const {
    pending_tool p{{call.tool_call_id, call.name, org.answers.fallback_result, false}, {}, {}};
    auto owner = tool_owner_.find(call.name);
    if (owner == tool_owner_.end()) {
        spdlog::warn("org {}: tool call '{}' has no tool plugin; answering with the fallback", org.id, call.name);
        return p;
    }
    p.plugin = owner->second;
    auto* tool = plugins_.tool(owner->second);
    sdk::tool_invocation inv{org.id, call_id, call.tool_call_id, call.name, call.arguments};
    // The tool runs on the runner's threads so a slow one can be abandoned at the
    // deadline; the shared state outlives this call if it is. A quick tool runs here.
    auto result = std::make_shared<std::promise<sdk::tool_result>>();
    p.result = result->get_future();
    if (auto q = quick_.find(call.name); q != quick_.end() && q->second) {
        try {
            result->set_value(tool->invoke(inv));
        } catch (...) {
            result->set_exception(std::current_exception());
        }
        return p;
    }
    runner_.post([tool, inv = std::move(inv), result]() mutable {
        try {
            result->set_value(tool->invoke(inv));
        } catch (...) {
            result->set_exception(std::current_exception());
        }
    });
    return p;
}

sdk::tool_answer answerer::finish_tool(const config::org_config& org, pending_tool& p,
                                       std::chrono::steady_clock::time_point deadline) const {
    if (!p.result.valid()) return p.answer;
    if (p.result.wait_until(deadline) != std::future_status::ready) {
        spdlog::warn("org {}: tool '{}' ({}) passed its {} ms deadline; answering with the fallback", org.id,
                     p.answer.name, p.plugin, org.answers.tool_timeout_ms);
        return p.answer;
    }
    try {
        auto r = p.result.get();
        if (!r.ok) {
            spdlog::info("org {}: tool '{}' could not answer: {}", org.id, p.answer.name, r.result);
            return p.answer;
        }
        p.answer.result = r.result;
        p.answer.ok = true;
    } catch (const std::exception& e) {
        spdlog::error("org {}: tool '{}' ({}) threw: {}", org.id, p.answer.name, p.plugin, e.what());
    }
    return p.answer;
}

sdk::tool_answer answerer::run_tool(const config::org_config& org, const std::string& call_id,
                                    const sdk::tool_call_requested& call) const {
    auto p = start_tool(org, call_id, call);
    return finish_tool(org, p, std::chrono::steady_clock::now() + std::chrono::milliseconds(org.answers.tool_timeout_ms));
}

namespace {

std::string text_field(const boost::json::object& o, const char* key) {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The hook's value when it gave one (an object); nothing when it is not defined,
// failed (already logged and counted by the engine) or answered nil.
std::optional<boost::json::object> ask(scripting::engine* scripts, const config::org_config& org, std::string_view hook,
                                       std::vector<boost::json::value> args) {
    if (!scripts || !scripts->has_hook(org.id, hook)) return std::nullopt;
    auto r = scripts->call(org.id, hook, args);
    if (!r.ok() || r.value.is_null()) return std::nullopt;
    if (!r.value.is_object()) {
        spdlog::error("lua org {} hook {}: returned a {}, expected a table; the default applies", org.id, hook,
                      r.value.is_string() ? "string" : "non-table value");
        return std::nullopt;
    }
    return std::move(r.value.as_object());
}

}  // namespace

std::optional<sdk::tool_answer> answerer::route_tool(const config::org_config& org,
                                                     const boost::json::object& call_view,
                                                     sdk::tool_call_requested& call) const {
    auto d = ask(scripts_, org, "route_tool", {call_view, boost::json::string(call.name), call.arguments});
    if (!d) return std::nullopt;
    auto action = text_field(*d, "action");
    if (action.empty() || action == "allow") return std::nullopt;
    if (action == "deny") {
        auto message = text_field(*d, "message");
        return sdk::tool_answer{call.tool_call_id, call.name, message.empty() ? org.answers.fallback_result : message,
                                false};
    }
    if (action == "rewrite" || action == "redirect") {
        if (auto* args = d->if_contains("args"); args && args->is_object()) call.arguments = args->as_object();
        if (action == "redirect") {
            auto target = text_field(*d, "tool");
            if (target.empty()) {
                spdlog::error("lua org {} hook route_tool: 'redirect' without a 'tool'; running '{}' as asked", org.id,
                              call.name);
                return std::nullopt;
            }
            call.name = target;
        }
        return std::nullopt;
    }
    spdlog::error("lua org {} hook route_tool: unknown action '{}' (allow, deny, rewrite, redirect); running '{}'",
                  org.id, action, call.name);
    return std::nullopt;
}

sdk::webhook_answer answerer::answer(const config::org_config& org, const std::string& call_id,
                                     const std::vector<sdk::call_event>& events) const {
    sdk::webhook_answer a;
    for (auto const& e : events)
        if (!std::holds_alternative<sdk::unknown_event>(e.body) && a.message_type.empty()) a.message_type = e.type;
    // What hooks see of the call (docs/lua-guide.md).
    boost::json::object call_view{{"id", call_id}, {"org", org.id}};
    // Tool calls of one message run side by side under one deadline. A routed call
    // keeps the name and id the provider asked with in its answer.
    std::vector<pending_tool> tools;
    std::vector<std::optional<sdk::tool_answer>> decided;
    for (auto const& e : events)
        if (auto* asked = std::get_if<sdk::tool_call_requested>(&e.body)) {
            if (!scripts_ || !scripts_->has_hook(org.id, "route_tool")) {
                decided.emplace_back();
                tools.push_back(start_tool(org, call_id, *asked));
                continue;
            }
            auto call = *asked;
            auto refusal = route_tool(org, call_view, call);
            decided.push_back(refusal);
            tools.push_back(refusal ? pending_tool{} : start_tool(org, call_id, call));
            if (!refusal) {
                tools.back().answer.name = asked->name;
                tools.back().answer.tool_call_id = asked->tool_call_id;
            }
        }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(org.answers.tool_timeout_ms);
    for (std::size_t i = 0; i < tools.size(); ++i)
        a.tool_results.push_back(decided[i] ? *decided[i] : finish_tool(org, tools[i], deadline));
    for (auto const& e : events) {
        std::visit(
            [&](auto const& body) {
                using T = std::decay_t<decltype(body)>;
                if constexpr (std::is_same_v<T, sdk::assistant_requested>) {
                    sdk::assistant_choice choice;
                    choice.assistant_id = org.answers.assistant_id;
                    choice.assistant = org.answers.assistant;
                    if (auto d = ask(scripts_, org, "assistant", {call_view})) {
                        // The script's choice replaces the YAML default whole.
                        choice = {};
                        choice.assistant_id = text_field(*d, "assistant_id");
                        if (auto* inline_one = d->if_contains("assistant"); inline_one && inline_one->is_object())
                            choice.assistant = inline_one->as_object();
                        if (auto* o = d->if_contains("overrides"); o && o->is_object()) choice.overrides = o->as_object();
                        choice.error = text_field(*d, "error");
                    }
                    if (choice.assistant_id.empty() && choice.assistant.empty())
                        choice.error = "This number is not set up to take calls yet.";
                    a.assistant = std::move(choice);
                } else if constexpr (std::is_same_v<T, sdk::transfer_requested>) {
                    sdk::transfer_destination d;
                    d.number = org.answers.transfer_number;
                    d.message = org.answers.transfer_message;
                    if (auto t = ask(scripts_, org, "transfer_target", {call_view, boost::json::string(body.reason)})) {
                        d = {};
                        d.number = text_field(*t, "number");
                        d.sip_uri = text_field(*t, "sip");
                        if (!d.sip_uri.empty()) d.type = "sip";
                        d.message = text_field(*t, "message");
                        if (d.message.empty()) d.message = org.answers.transfer_message;
                        d.error = text_field(*t, "error");
                    }
                    if (d.number.empty() && d.sip_uri.empty() && d.error.empty())
                        d.error = "No one is available to take this call right now.";
                    a.transfer = std::move(d);
                } else if constexpr (std::is_same_v<T, sdk::knowledge_requested>) {
                    std::vector<sdk::knowledge_document> docs;
                    sdk::tool_call_requested lookup{"", "search_knowledge_base", {{"query", body.query}}};
                    auto r = run_tool(org, call_id, lookup);
                    if (r.ok && !r.result.empty()) docs.push_back({r.result, 1.0, ""});
                    a.documents = std::move(docs);
                }
            },
            e.body);
    }
    return a;
}

}  // namespace switchboard::calls
