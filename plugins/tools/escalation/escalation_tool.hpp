// Hand-off to a human (transfer_to_human, escalate). The function specs are final; the
// behaviour (keywords, urgency, transfer number) comes with the escalation work.
#pragma once

#include <switchboard/tool.hpp>

#include <boost/json/object.hpp>

namespace switchboard::plugins::escalation {

class escalation_tool final : public sdk::tool {
public:
    explicit escalation_tool(boost::json::object config) : config_(std::move(config)) {}

    std::vector<sdk::tool_spec> specs() const override;
    // Not implemented yet: answers ok=false, "<function> is not available yet".
    sdk::tool_result invoke(const sdk::tool_invocation& invocation) override;

private:
    boost::json::object config_;
};

}  // namespace switchboard::plugins::escalation
