#include "escalation_tool.hpp"

#include <boost/json/array.hpp>

namespace switchboard::plugins::escalation {

std::vector<sdk::tool_spec> escalation_tool::specs() const {
    using boost::json::array;
    using boost::json::object;
    return {
        {"transfer_to_human", "Transfer the call to a human agent.",
         object{{"type", "object"},
                {"properties",
                 object{{"reason", object{{"type", "string"}, {"description", "why the caller needs a human"}}}}},
                {"required", array{"reason"}}}},
        {"escalate", "Flag the call for urgent human attention (emergency, high priority, or the assistant is unsure).",
         object{{"type", "object"},
                {"properties",
                 object{{"reason", object{{"type", "string"}, {"description", "what happened"}}},
                        {"urgency", object{{"type", "string"},
                                           {"enum", array{"low", "medium", "high", "emergency"}},
                                           {"description", "how urgent it is"}}}}},
                {"required", array{"reason", "urgency"}}}},
    };
}

sdk::tool_result escalation_tool::invoke(const sdk::tool_invocation& invocation) {
    sdk::tool_result r;
    r.ok = false;
    bool known = false;
    for (auto const& s : specs()) known = known || s.name == invocation.name;
    if (!known) {
        r.result = "unknown function '" + invocation.name + "' for tool plugin 'escalation'";
        r.data = boost::json::object{{"error", "unknown_function"}};
        return r;
    }
    // Honest placeholder: the function is declared to the assistant but does nothing yet.
    r.result = invocation.name + " is not available yet";
    r.data = boost::json::object{{"error", "not_implemented"}};
    return r;
}

}  // namespace switchboard::plugins::escalation
