// The host's answer path for events that need one (assistant, tool calls, transfer
// destination, knowledge lookups). Until Lua hooks decide, answers come from the
// org's `answers:` YAML and the tool plugins. A tool that is missing, fails or runs
// past its deadline yields the org's spoken fallback, never an HTTP error.
#pragma once

#include <switchboard/model.hpp>
#include <switchboard/provider.hpp>

#include <map>
#include <string>
#include <vector>

namespace switchboard::config { struct org_config; }
namespace switchboard::plugins { class registry; }

namespace switchboard::calls {

class answerer {
public:
    explicit answerer(plugins::registry& plugins);

    bool needs_answer(const std::vector<sdk::call_event>& events) const;
    sdk::webhook_answer answer(const config::org_config& org, const std::string& call_id,
                               const std::vector<sdk::call_event>& events) const;

private:
    sdk::tool_answer run_tool(const config::org_config& org, const std::string& call_id,
                              const sdk::tool_call_requested& call) const;

    plugins::registry& plugins_;
    std::map<std::string, std::string, std::less<>> tool_owner_;  // function name -> tool plugin
};

}  // namespace switchboard::calls
