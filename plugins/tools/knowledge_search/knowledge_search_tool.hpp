// Knowledge-base search for assistants (search_knowledge_base). The function spec is
// final; the search itself (per-org Xapian index) comes with the knowledge-search work.
#pragma once

#include <switchboard/tool.hpp>

#include <boost/json/object.hpp>

namespace switchboard::plugins::knowledge_search {

class knowledge_search_tool final : public sdk::tool {
public:
    explicit knowledge_search_tool(boost::json::object config) : config_(std::move(config)) {}

    std::vector<sdk::tool_spec> specs() const override;
    // Not implemented yet: answers ok=false, "<function> is not available yet".
    sdk::tool_result invoke(const sdk::tool_invocation& invocation) override;

private:
    boost::json::object config_;
};

}  // namespace switchboard::plugins::knowledge_search
