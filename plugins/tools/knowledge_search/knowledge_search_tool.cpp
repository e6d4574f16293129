#include "knowledge_search_tool.hpp"

#include <boost/json/array.hpp>

namespace switchboard::plugins::knowledge_search {

std::vector<sdk::tool_spec> knowledge_search_tool::specs() const {
    using boost::json::array;
    using boost::json::object;
    return {
        {"search_knowledge_base",
         "Search the organisation's knowledge base for facts to answer the caller's question.",
         object{{"type", "object"},
                {"properties",
                 object{{"query", object{{"type", "string"},
                                         {"description", "the caller's question or the facts to look up"}}}}},
                {"required", array{"query"}}}},
    };
}

sdk::tool_result knowledge_search_tool::invoke(const sdk::tool_invocation& invocation) {
    sdk::tool_result r;
    r.ok = false;
    bool known = false;
    for (auto const& s : specs()) known = known || s.name == invocation.name;
    if (!known) {
        r.result = "unknown function '" + invocation.name + "' for tool plugin 'knowledge_search'";
        r.data = boost::json::object{{"error", "unknown_function"}};
        return r;
    }
    // Honest placeholder: the function is declared to the assistant but does nothing yet.
    r.result = invocation.name + " is not available yet";
    r.data = boost::json::object{{"error", "not_implemented"}};
    return r;
}

}  // namespace switchboard::plugins::knowledge_search
