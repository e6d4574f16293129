// search_knowledge_base(query): the org's knowledge base (kept and indexed by the
// host, asked through host_services::search_knowledge) turned into one line the
// assistant can say: the best passages' facts, plain, within a spoken budget.
#pragma once

#include <switchboard/host_services.hpp>
#include <switchboard/tool.hpp>

#include <boost/json/object.hpp>

namespace switchboard::plugins::knowledge_search {

class knowledge_search_tool final : public sdk::tool {
public:
    // `host` may be null (tools that load the plugin alone): every search then answers
    // the "unavailable" fallback.
    knowledge_search_tool(boost::json::object config, sdk::host_services* host)
        : config_(std::move(config)), host_(host) {}

    std::vector<sdk::tool_spec> specs() const override;
    sdk::tool_result invoke(const sdk::tool_invocation& invocation) override;

private:
    boost::json::object config_;  // global section; per-org settings come with each invocation
    sdk::host_services* host_;
};

}  // namespace switchboard::plugins::knowledge_search
