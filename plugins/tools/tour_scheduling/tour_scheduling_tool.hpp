// Tour scheduling for leasing assistants: get_office_hours (answers from config),
// check_availability, schedule_tour, qualify_lead (specs final; behaviour comes with
// the scheduling work).
#pragma once

#include <switchboard/tool.hpp>

#include <boost/json/object.hpp>

namespace switchboard::plugins::tour_scheduling {

class tour_scheduling_tool final : public sdk::tool {
public:
    explicit tour_scheduling_tool(boost::json::object config);

    std::vector<sdk::tool_spec> specs() const override;
    // get_office_hours answers one line from the config; the others are not
    // implemented yet and answer ok=false, "<function> is not available yet".
    sdk::tool_result invoke(const sdk::tool_invocation& invocation) override;

private:
    boost::json::object config_;
    std::string office_hours_;  // the get_office_hours line, built once
};

}  // namespace switchboard::plugins::tour_scheduling
