#include "host/calls/answers.hpp"

#include "host/config/config.hpp"
#include "host/core/json_schema.hpp"
#include "host/plugins/registry.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

namespace switchboard::calls {

namespace {

// "preferred_time" -> "preferred time"; "guests[1].name" -> "name".
std::string spoken_field(const std::string& path) {
    std::string last = path.substr(path.find_last_of('.') == std::string::npos ? 0 : path.find_last_of('.') + 1);
    if (auto b = last.find('['); b != std::string::npos) last.erase(b);
    std::replace(last.begin(), last.end(), '_', ' ');
    return last;
}

std::string spoken_refusal(const core::schema_violation& v) {
    if (v.path.empty()) return "I'm sorry, I couldn't do that with what I was given.";
    if (v.problem == "is required") return "I'm sorry, I still need the " + spoken_field(v.path) + " for that.";
    return "I'm sorry, I couldn't use the " + spoken_field(v.path) + " I was given. Could you say it again?";
}

}  // namespace

answerer::answerer(plugins::registry& plugins, scripting::engine* scripts)
    : plugins_(plugins), flow_(scripts, [this](std::string_view name) -> std::optional<sdk::tool_spec> {
          auto it = specs_.find(name);
          if (it == specs_.end()) return std::nullopt;
          return it->second;
      }) {
    for (auto const& info : plugins.plugins()) {
        if (info.kind != sdk::plugin_kind::tool) continue;
        auto* t = plugins.tool(info.name);
        if (!t) continue;
        try {
            for (auto const& spec : t->specs()) {
                auto [it, inserted] = tool_owner_.emplace(spec.name, info.name);
                if (inserted) specs_[spec.name] = spec;
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

bool answerer::needs_call_id(const std::string& org, const std::vector<sdk::call_event>& events) const {
    for (auto const& e : events) {
        if (auto* call = std::get_if<sdk::tool_call_requested>(&e.body)) {
            if (flow_.scripted(org, "route_tool")) return true;
            auto q = specs_.find(call->name);
            if (q == specs_.end() || !q->second.quick) return true;
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
    const sdk::tool_spec& spec = specs_.at(call.name);  // recorded with its owner
    // What a tool receives always fits its schema (checked after route_tool, so a
    // hook's rewritten arguments are checked too); a misfit is said politely.
    if (!spec.parameters.empty())
        if (auto bad = core::check_schema(call.arguments, spec.parameters)) {
            spdlog::info("org {}: tool call '{}' ({}): arguments refused: {}", org.id, call.name, p.plugin,
                         bad->message());
            p.answer.result = spoken_refusal(*bad);
            return p;
        }
    sdk::tool_invocation inv{org.id, call_id, call.tool_call_id, call.name, call.arguments,
                             plugins_.org_settings(org.id, p.plugin), org.timezone};
    // The tool runs on the runner's threads so a slow one can be abandoned at the
    // deadline; the shared state outlives this call if it is. A quick tool runs here.
    auto result = std::make_shared<std::promise<sdk::tool_result>>();
    p.result = result->get_future();
    if (spec.quick) {
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

sdk::webhook_answer answerer::answer(const config::org_config& org, const std::string& provider,
                                     const sdk::call* stored, const std::vector<sdk::call_event>& events,
                                     scripting::effects* fx) const {
    sdk::webhook_answer a;
    for (auto const& e : events)
        if (!std::holds_alternative<sdk::unknown_event>(e.body) && a.message_type.empty()) a.message_type = e.type;
    // What hooks see of the call: the stored row, else what the message says of it.
    boost::json::object view;
    if (stored) {
        view = call_view(*stored);
    } else if (!events.empty()) {
        sdk::call c = events.front().facts;
        c.org = org.id;
        c.provider = provider;
        c.provider_call_id = events.front().provider_call_id;
        view = call_view(c);
    }
    // Tool calls of one message run side by side under one deadline. A routed call
    // keeps the name and id the provider asked with in its answer.
    std::vector<pending_tool> tools;
    std::vector<std::optional<sdk::tool_answer>> decided;
    const std::string call_id = stored ? stored->id : std::string();
    for (auto const& e : events)
        if (auto* asked = std::get_if<sdk::tool_call_requested>(&e.body)) {
            if (!flow_.scripted(org.id, "route_tool")) {
                decided.emplace_back();
                tools.push_back(start_tool(org, call_id, *asked));
                continue;
            }
            auto route = flow_.route_tool(org, view, *asked, fx);
            decided.push_back(route.refusal);
            tools.push_back(route.refusal ? pending_tool{} : start_tool(org, call_id, route.call));
            if (!route.refusal) {
                tools.back().answer.name = asked->name;
                tools.back().answer.tool_call_id = asked->tool_call_id;
            }
        }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(org.answers.tool_timeout_ms);
    for (std::size_t i = 0; i < tools.size(); ++i)
        a.tool_results.push_back(decided[i] ? *decided[i] : finish_tool(org, tools[i], deadline));
    for (auto const& e : events) {
        if (std::holds_alternative<sdk::assistant_requested>(e.body)) {
            a.assistant = flow_.assistant(org, view, fx);
        } else if (auto* t = std::get_if<sdk::transfer_requested>(&e.body)) {
            a.transfer = flow_.transfer(org, view, t->reason, fx);
        } else if (auto* k = std::get_if<sdk::knowledge_requested>(&e.body)) {
            a.documents = knowledge_documents(org, k->query);
        }
    }
    return a;
}

std::vector<sdk::knowledge_document> answerer::knowledge_documents(const config::org_config& org,
                                                                   const std::string& query) const {
    std::vector<sdk::knowledge_document> docs;
    auto const& search = plugins_.links().knowledge;
    if (!search || query.empty()) return docs;
    auto found = search(org.id, {query, 3, 0, {}});
    if (!found.available) {
        spdlog::warn("org '{}': knowledge-base request unanswered: {}", org.id, found.error);
        return docs;
    }
    // Similarity in 0..1, relative to the best passage (BM25 weights have no fixed scale).
    const double best = found.passages.empty() ? 1 : std::max(found.passages.front().score, 1e-9);
    for (auto& p : found.passages) {
        std::string content = p.title.empty() ? std::move(p.text) : p.title + ": " + p.text;
        docs.push_back({std::move(content), std::min(1.0, p.score / best), std::move(p.document_id)});
    }
    return docs;
}

}  // namespace switchboard::calls
