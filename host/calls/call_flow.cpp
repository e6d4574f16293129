#include "host/calls/call_flow.hpp"

#include "host/config/config.hpp"
#include "host/scripting/engine.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <iterator>

namespace switchboard::calls {
namespace json = boost::json;
namespace {

double epoch_seconds(sdk::time_point t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); }

std::string text_field(const json::object& o, const char* key) {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

json::object object_field(const json::object& o, const char* key) {
    auto* v = o.if_contains(key);
    return v && v->is_object() ? v->get_object() : json::object{};
}

const char* kind_of(const json::value& v) {
    switch (v.kind()) {
        case json::kind::string: return "a string";
        case json::kind::array: return "an array";
        case json::kind::bool_: return "a boolean";
        case json::kind::null: return "nil";
        case json::kind::object: return "a table";
        default: return "a number";
    }
}

// The keys of an assistant hook's answer that are not canonical spec fields.
constexpr std::string_view choice_keys[] = {"assistant_id", "assistant", "overrides", "error"};

}  // namespace

json::object call_view(const sdk::call& c) {
    json::object v{{"id", c.id},
                   {"org", c.org},
                   {"provider", c.provider},
                   {"provider_call_id", c.provider_call_id},
                   {"direction", sdk::to_string(c.direction)},
                   {"from", c.from_number},
                   {"to", c.to_number},
                   {"status", sdk::to_string(c.status)},
                   {"phase", sdk::to_string(c.phase)},
                   {"assistant", c.assistant},
                   {"ended_reason", c.ended_reason},
                   {"external_record_id", c.external_record_id}};
    // The customer is whoever is not us: the caller inbound, the called outbound.
    json::object customer{
        {"number", c.direction == sdk::call_direction::inbound ? c.from_number : c.to_number}};
    if (auto name = text_field(c.metadata, "customer_name"); !name.empty()) customer["name"] = name;
    v["customer"] = std::move(customer);
    v["metadata"] = c.metadata;
    auto* tags = c.metadata.if_contains("tags");
    v["tags"] = tags && tags->is_array() ? *tags : json::array{};
    if (c.started_at) v["started_at"] = epoch_seconds(*c.started_at);
    if (c.ended_at) v["ended_at"] = epoch_seconds(*c.ended_at);
    if (c.duration_seconds) v["duration"] = *c.duration_seconds;
    return v;
}

json::object event_view(const sdk::call_event& e) {
    json::object v;
    std::visit(
        [&](auto const& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, sdk::status_changed>) {
                v = {{"kind", "status"}, {"status", sdk::to_string(body.status)},
                     {"provider_status", body.provider_status}};
                if (!body.ended_reason.empty()) v["ended_reason"] = body.ended_reason;
            } else if constexpr (std::is_same_v<T, sdk::transcript_added>) {
                if (!body.segment.final) return;  // partial words are not events
                v = {{"kind", "transcript"}, {"role", sdk::to_string(body.segment.role)}, {"text", body.segment.text}};
            } else if constexpr (std::is_same_v<T, sdk::call_ended>) {
                v = {{"kind", "ended"}, {"status", sdk::to_string(body.status)}, {"ended_reason", body.ended_reason}};
                if (!body.summary.empty()) v["summary"] = body.summary;
                if (body.duration_seconds) v["duration"] = *body.duration_seconds;
            } else if constexpr (std::is_same_v<T, sdk::transfer_requested>) {
                v = {{"kind", "transfer"}, {"reason", body.reason}};
            }
        },
        e.body);
    if (!v.empty()) {
        v["type"] = e.type;
        if (e.at) v["at"] = epoch_seconds(*e.at);
    }
    return v;
}

json::array transcript_view(const std::vector<sdk::transcript_segment>& segments) {
    json::array out;
    out.reserve(segments.size());
    for (auto const& s : segments)
        if (s.final) out.push_back(json::object{{"role", sdk::to_string(s.role)}, {"text", s.text}});
    return out;
}

void merge_effects(scripting::effects& into, const scripting::effects& more) {
    for (auto const& t : more.tags)
        if (std::find(into.tags.begin(), into.tags.end(), t) == into.tags.end()) into.tags.push_back(t);
    if (more.phase) into.phase = more.phase;
    if (more.escalation) into.escalation = more.escalation;
}

// What one hook gave: its table, or nothing (no hook, it failed, it said nil, or
// it returned something other than `want`).
struct call_flow::answer {
    std::optional<json::value> value;
};

call_flow::call_flow(scripting::engine* scripts, tool_lookup tools) : scripts_(scripts), tools_(std::move(tools)) {}

bool call_flow::scripted(const std::string& org, std::string_view hook) const {
    return scripts_ && scripts_->has_hook(org, hook);
}

call_flow::answer call_flow::ask(const config::org_config& org, std::string_view hook,
                                 std::vector<json::value> args, scripting::effects* fx) const {
    if (!scripted(org.id, hook)) return {};
    auto r = scripts_->call(org.id, hook, args);
    if (fx) merge_effects(*fx, r.effects);
    if (!r.ok() || r.value.is_null()) return {};  // a failure is already logged and counted
    return {std::move(r.value)};
}

sdk::assistant_spec call_flow::configured_spec(const config::org_config& org) const {
    return read_spec(org.answers.assistant_spec, "answers.assistant_spec.");
}

sdk::assistant_spec call_flow::read_spec(const json::object& fields, std::string_view where) const {
    return read_assistant_spec(fields, where, {}, &tools_);
}

std::optional<std::string> call_flow::prompt(const config::org_config& org, const json::object& call,
                                             scripting::effects* fx) const {
    auto a = ask(org, "prompt", {call}, fx);
    if (!a.value) return std::nullopt;
    if (!a.value->is_string()) {
        spdlog::error("lua org {} hook prompt: returned {}, expected a string; the configured prompt applies", org.id,
                      kind_of(*a.value));
        return std::nullopt;
    }
    return std::string(a.value->get_string());
}

sdk::assistant_choice call_flow::assistant(const config::org_config& org, const json::object& call,
                                           scripting::effects* fx) const {
    auto from_yaml = [&] {
        sdk::assistant_choice c;
        c.assistant_id = org.answers.assistant_id;
        c.assistant = org.answers.assistant;
        if (c.assistant_id.empty() && c.assistant.empty() && !org.answers.assistant_spec.empty()) try {
                c.spec = configured_spec(org);
            } catch (const spec_error& e) {
                spdlog::error("org {}: {}; no assistant configured", org.id, e.what());
            }
        return c;
    };
    sdk::assistant_choice choice;
    auto a = ask(org, "assistant", {call}, fx);
    if (a.value && !a.value->is_object()) {
        spdlog::error("lua org {} hook assistant: returned {}, expected a table; the default applies", org.id,
                      kind_of(*a.value));
        a.value.reset();
    }
    if (!a.value) {
        choice = from_yaml();
    } else {
        // The script's choice replaces the YAML default; canonical fields it gives are
        // laid over the YAML assistant_spec, so a script can change one thing.
        auto const& d = a.value->get_object();
        choice.assistant_id = text_field(d, "assistant_id");
        choice.assistant = object_field(d, "assistant");
        choice.overrides = object_field(d, "overrides");
        choice.error = text_field(d, "error");
        json::object fields = org.answers.assistant_spec;
        bool canonical = false;
        for (auto const& kv : d)
            if (std::find(std::begin(choice_keys), std::end(choice_keys), kv.key()) == std::end(choice_keys)) {
                fields[kv.key()] = kv.value();
                canonical = true;
            }
        if (canonical && choice.assistant_id.empty() && choice.assistant.empty()) try {
                choice.spec = read_assistant_spec(fields, "", {}, &tools_);
            } catch (const spec_error& e) {
                spdlog::error("lua org {} hook assistant: {}; the default applies", org.id, e.what());
                choice = from_yaml();
            }
    }
    if (choice.spec && choice.error.empty())
        if (auto p = prompt(org, call, fx)) choice.spec->system_prompt = std::move(*p);
    if (choice.assistant_id.empty() && choice.assistant.empty() && !choice.spec && choice.error.empty())
        choice.error = "This number is not set up to take calls yet.";
    return choice;
}

tool_route call_flow::route_tool(const config::org_config& org, const json::object& call,
                                 const sdk::tool_call_requested& asked, scripting::effects* fx) const {
    tool_route route{asked, std::nullopt};
    auto a = ask(org, "route_tool", {call, json::string(asked.name), asked.arguments}, fx);
    if (!a.value) return route;
    if (!a.value->is_object()) {
        spdlog::error("lua org {} hook route_tool: returned {}, expected a table; running '{}' as asked", org.id,
                      kind_of(*a.value), asked.name);
        return route;
    }
    auto const& d = a.value->get_object();
    auto action = text_field(d, "action");
    if (action.empty() || action == "allow") return route;
    if (action == "deny") {
        auto message = text_field(d, "message");
        route.refusal = sdk::tool_answer{asked.tool_call_id, asked.name,
                                         message.empty() ? org.answers.fallback_result : message, false};
        return route;
    }
    if (action == "rewrite" || action == "redirect") {
        if (auto* args = d.if_contains("args"); args && args->is_object()) route.call.arguments = args->get_object();
        if (action == "redirect") {
            auto target = text_field(d, "tool");
            if (target.empty()) {
                spdlog::error("lua org {} hook route_tool: 'redirect' without a 'tool'; running '{}' as asked", org.id,
                              asked.name);
                return {asked, std::nullopt};
            }
            route.call.name = target;
        }
        return route;
    }
    spdlog::error("lua org {} hook route_tool: unknown action '{}' (allow, deny, rewrite, redirect); running '{}'",
                  org.id, action, asked.name);
    return route;
}

sdk::transfer_destination call_flow::transfer(const config::org_config& org, const json::object& call,
                                              const std::string& reason, scripting::effects* fx) const {
    sdk::transfer_destination d;
    d.number = org.answers.transfer_number;
    d.message = org.answers.transfer_message;
    auto a = ask(org, "transfer_target", {call, json::string(reason)}, fx);
    if (a.value && !a.value->is_object()) {
        spdlog::error("lua org {} hook transfer_target: returned {}, expected a table; the default applies", org.id,
                      kind_of(*a.value));
    } else if (a.value) {
        auto const& t = a.value->get_object();
        d = {};
        d.number = text_field(t, "number");
        d.sip_uri = text_field(t, "sip");
        d.message = text_field(t, "message");
        if (d.message.empty()) d.message = org.answers.transfer_message;
        d.error = text_field(t, "error");
        auto name = text_field(t, "agent"), skill = text_field(t, "skill");
        if (d.number.empty() && d.sip_uri.empty() && d.error.empty() && (!name.empty() || !skill.empty())) {
            // A person from orgs[].agents: by name, or the next one with the skill.
            std::vector<const config::agent_config*> fit;
            for (auto const& agent : org.agents)
                if (name.empty() ? std::find(agent.skills.begin(), agent.skills.end(), skill) != agent.skills.end()
                                 : agent.name == name)
                    fit.push_back(&agent);
            if (fit.empty()) {
                spdlog::warn("org {}: transfer_target asked for {} '{}', which no agent in orgs[].agents has", org.id,
                             name.empty() ? "skill" : "agent", name.empty() ? skill : name);
                d.error = "No one who can help with that is available right now.";
            } else {
                auto const* agent = fit[next_agent_.fetch_add(1, std::memory_order_relaxed) % fit.size()];
                d.number = agent->number;
                d.sip_uri = agent->sip;
            }
        }
        if (!d.sip_uri.empty()) d.type = "sip";
    }
    if (d.number.empty() && d.sip_uri.empty() && d.error.empty())
        d.error = "No one is available to take this call right now.";
    return d;
}

scripting::effects call_flow::on_event(const config::org_config& org, const json::object& call,
                                       const json::object& event) const {
    scripting::effects fx;
    auto a = ask(org, "on_event", {call, event}, &fx);
    if (!a.value) return fx;
    if (!a.value->is_object()) {
        spdlog::error("lua org {} hook on_event: returned {}, expected nil or a table", org.id, kind_of(*a.value));
        return fx;
    }
    // The same requests as sb.tag / sb.set_phase / sb.escalate, as a returned table.
    auto const& d = a.value->get_object();
    scripting::effects returned;
    if (auto* tags = d.if_contains("tags"); tags && tags->is_array())
        for (auto const& t : tags->get_array())
            if (t.is_string() && !t.get_string().empty()) returned.tags.emplace_back(t.get_string());
    if (auto phase = text_field(d, "phase"); !phase.empty()) {
        if (sdk::parse_call_phase(phase))
            returned.phase = phase;
        else
            spdlog::error("lua org {} hook on_event: unknown phase '{}'", org.id, phase);
    }
    if (auto reason = text_field(d, "escalate"); !reason.empty()) returned.escalation = reason;
    merge_effects(fx, returned);
    return fx;
}

std::optional<store::call_analytics> call_flow::classify(const config::org_config& org, const json::object& call,
                                                         const json::array& transcript, scripting::effects* fx) const {
    auto a = ask(org, "classify", {call, transcript}, fx);
    if (!a.value) return std::nullopt;
    if (!a.value->is_object()) {
        spdlog::error("lua org {} hook classify: returned {}, expected a table; the call is not classified", org.id,
                      kind_of(*a.value));
        return std::nullopt;
    }
    store::call_analytics out;
    for (auto const& kv : a.value->get_object()) {
        const std::string_view key = kv.key();
        if (key == "category") out.category = text_field(a.value->get_object(), "category");
        else if (key == "resolution") out.resolution = text_field(a.value->get_object(), "resolution");
        else if (key == "summary") out.summary = text_field(a.value->get_object(), "summary");
        else if (key == "sentiment") {
            auto s = text_field(a.value->get_object(), "sentiment");
            if (s == "positive" || s == "neutral" || s == "negative")
                out.sentiment = s;
            else
                spdlog::error("lua org {} hook classify: sentiment '{}' is not positive, neutral or negative", org.id,
                              s);
        } else if (key == "sentiment_score") {
            if (kv.value().is_number()) out.sentiment_score = kv.value().to_number<double>();
        } else {
            out.detail[key] = kv.value();  // anything else the script worked out
        }
    }
    return out;
}

outbound_route call_flow::route_outbound(const config::org_config& org, const json::object& request) const {
    outbound_route r;
    auto a = ask(org, "route_outbound", {request}, nullptr);
    if (!a.value) return r;
    if (!a.value->is_object()) {
        spdlog::error("lua org {} hook route_outbound: returned {}, expected nil or a table; placing as asked", org.id,
                      kind_of(*a.value));
        return r;
    }
    auto const& d = a.value->get_object();
    r.refusal = text_field(d, "refuse");
    r.provider = text_field(d, "provider");
    r.phone_number_id = text_field(d, "phone_number_id");
    r.assistant_id = text_field(d, "assistant_id");
    r.metadata = object_field(d, "metadata");
    r.variables = object_field(d, "variables");
    if (auto* spec = d.if_contains("assistant"); spec && spec->is_object()) try {
            json::object fields = org.answers.assistant_spec;
            for (auto const& kv : spec->get_object()) fields[kv.key()] = kv.value();
            r.assistant = read_assistant_spec(fields, "assistant.", {}, &tools_);
        } catch (const spec_error& e) {
            spdlog::error("lua org {} hook route_outbound: {}; placing as asked", org.id, e.what());
            return {};
        }
    return r;
}

}  // namespace switchboard::calls
