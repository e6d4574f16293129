// What an organisation decides for its calls. Every decision asks the org's Lua
// hook first (docs/lua-guide.md) and falls back to the org's YAML defaults, so the
// answer path, the pipeline, calls out and `switchboard script test` follow one set
// of rules. A hook that fails or returns something unusable is logged (org, hook,
// what is wrong) and the default applies: a script never breaks a call.
#pragma once

#include "host/calls/assistant_spec.hpp"
#include "host/scripting/effects.hpp"
#include "host/store/store.hpp"

#include <switchboard/model.hpp>
#include <switchboard/provider.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <atomic>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::config { struct org_config; }
namespace switchboard::scripting { class engine; }

namespace switchboard::calls {

// What hooks see of a call (docs/lua-guide.md, "The call table"): ids, numbers,
// direction, status, phase, assistant, customer, metadata, tags and times.
boost::json::object call_view(const sdk::call& c);

// An event as on_event sees it; empty for events it is not told about.
boost::json::object event_view(const sdk::call_event& e);

// A transcript as classify sees it: [{role, text}, ...].
boost::json::array transcript_view(const std::vector<sdk::transcript_segment>& segments);

struct tool_route {
    sdk::tool_call_requested call;            // what to run: as asked, rewritten or redirected
    std::optional<sdk::tool_answer> refusal;  // denied: the spoken answer; nothing runs
};

// How an outbound call is placed (route_outbound); empty fields keep the request's.
struct outbound_route {
    std::string refusal;  // not empty: the call is not placed, and this is why
    std::string provider;
    std::string phone_number_id;
    std::string assistant_id;
    std::optional<sdk::assistant_spec> assistant;
    boost::json::object metadata;   // added to the request's
    boost::json::object variables;  // added to the request's
};

class call_flow {
public:
    // `scripts` may be null (every decision takes its default); `tools` resolves
    // function names in assistant specs.
    call_flow(scripting::engine* scripts, tool_lookup tools);

    bool scripted(const std::string& org, std::string_view hook) const;

    // Each decision adds what the hook asked through sb.tag / sb.set_phase /
    // sb.escalate to `fx` (when given); the caller applies it with the event.
    sdk::assistant_choice assistant(const config::org_config& org, const boost::json::object& call,
                                    scripting::effects* fx = nullptr) const;
    // The system prompt from the prompt hook; nullopt: none (keep the configured one).
    std::optional<std::string> prompt(const config::org_config& org, const boost::json::object& call,
                                      scripting::effects* fx = nullptr) const;
    tool_route route_tool(const config::org_config& org, const boost::json::object& call,
                          const sdk::tool_call_requested& asked, scripting::effects* fx = nullptr) const;
    sdk::transfer_destination transfer(const config::org_config& org, const boost::json::object& call,
                                       const std::string& reason, scripting::effects* fx = nullptr) const;
    // The effects on_event asked for (sb.* calls, or a returned {tags, phase, escalate}).
    scripting::effects on_event(const config::org_config& org, const boost::json::object& call,
                                const boost::json::object& event) const;
    // nullopt: no classification (no hook, or it gave none).
    std::optional<store::call_analytics> classify(const config::org_config& org, const boost::json::object& call,
                                                  const boost::json::array& transcript,
                                                  scripting::effects* fx = nullptr) const;
    outbound_route route_outbound(const config::org_config& org, const boost::json::object& request) const;

    // The org's YAML assistant_spec, read (throws spec_error naming the field).
    sdk::assistant_spec configured_spec(const config::org_config& org) const;
    // Resolves tool function names (loaded tool plugins).
    const tool_lookup& tools() const noexcept { return tools_; }
    // Canonical fields with tools resolved by name (throws spec_error).
    sdk::assistant_spec read_spec(const boost::json::object& fields, std::string_view where) const;

private:
    struct answer;
    answer ask(const config::org_config& org, std::string_view hook, std::vector<boost::json::value> args,
               scripting::effects* fx) const;

    scripting::engine* scripts_;
    tool_lookup tools_;
    mutable std::atomic<unsigned> next_agent_{0};  // spreads transfers over the agents with a skill
};

// Folds `more` into `into`: tags add up, the later phase and escalation win.
void merge_effects(scripting::effects& into, const scripting::effects& more);

}  // namespace switchboard::calls
