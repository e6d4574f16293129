// Tour scheduling for leasing assistants (check_availability, schedule_tour,
// qualify_lead). The function specs are final; the behaviour comes with the scheduling work.
#pragma once

#include <switchboard/tool.hpp>

#include <boost/json/object.hpp>

namespace switchboard::plugins::tour_scheduling {

class tour_scheduling_tool final : public sdk::tool {
public:
    explicit tour_scheduling_tool(boost::json::object config) : config_(std::move(config)) {}

    std::vector<sdk::tool_spec> specs() const override;
    // Not implemented yet: answers ok=false, "<function> is not available yet".
    sdk::tool_result invoke(const sdk::tool_invocation& invocation) override;

private:
    boost::json::object config_;
};

}  // namespace switchboard::plugins::tour_scheduling
