// The host's answer path for events that need one (assistant, tool calls, transfer
// destination, knowledge lookups). The org's call flow decides (its Lua hooks, else
// its `answers:` YAML) and the tool plugins answer function calls. A tool that is
// missing, fails or runs past its deadline yields the org's spoken fallback, never
// an HTTP error.
#pragma once

#include "host/calls/call_flow.hpp"
#include "host/calls/tool_runner.hpp"

#include <switchboard/model.hpp>
#include <switchboard/provider.hpp>
#include <switchboard/tool.hpp>

#include <chrono>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::config { struct org_config; }
namespace switchboard::plugins { class registry; }
namespace switchboard::scripting { class engine; }

namespace switchboard::calls {

class answerer {
public:
    // `scripts` may be null: then every answer comes from the org's YAML.
    explicit answerer(plugins::registry& plugins, scripting::engine* scripts = nullptr);

    bool needs_answer(const std::vector<sdk::call_event>& events) const;
    // False when every question in `events` is a call of a quick tool (tool_spec::quick)
    // and the org has no route_tool hook (which sees the stored call and may send the
    // call to a tool that is not quick).
    bool needs_call_id(const std::string& org, const std::vector<sdk::call_event>& events) const;
    // `stored`: the call as stored, when it was looked up (needs_call_id); else the
    // hooks see what the events carry. What hooks asked of the call goes to `fx`.
    sdk::webhook_answer answer(const config::org_config& org, const std::string& provider, const sdk::call* stored,
                               const std::vector<sdk::call_event>& events, scripting::effects* fx = nullptr) const;

    const call_flow& flow() const noexcept { return flow_; }

private:
    struct pending_tool {
        sdk::tool_answer answer;  // the fallback until the tool answers
        std::string plugin;
        std::future<sdk::tool_result> result;  // invalid when no tool offers the function
    };
    pending_tool start_tool(const config::org_config& org, const std::string& call_id,
                            const sdk::tool_call_requested& call) const;
    sdk::tool_answer finish_tool(const config::org_config& org, pending_tool& p,
                                 std::chrono::steady_clock::time_point deadline) const;
    // A provider's own knowledge-base request: the org's best passages, straight from
    // the host's knowledge base (no tool in between: the provider wants documents).
    std::vector<sdk::knowledge_document> knowledge_documents(const config::org_config& org,
                                                             const std::string& query) const;

    plugins::registry& plugins_;
    std::map<std::string, std::string, std::less<>> tool_owner_;  // function name -> tool plugin
    std::map<std::string, sdk::tool_spec, std::less<>> specs_;      // function name -> its spec
    call_flow flow_;
    mutable tool_runner runner_;
};

}  // namespace switchboard::calls
