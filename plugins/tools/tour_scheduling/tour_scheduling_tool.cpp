#include "tour_scheduling_tool.hpp"

#include <boost/json/array.hpp>

namespace switchboard::plugins::tour_scheduling {

namespace {

boost::json::object prop(const char* type, const char* description) {
    return {{"type", type}, {"description", description}};
}

std::string text_setting(const boost::json::object& config, const char* key, const char* fallback) {
    auto const* v = config.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string(fallback);
}

}  // namespace

tour_scheduling_tool::tour_scheduling_tool(boost::json::object config)
    : config_(std::move(config)),
      office_hours_("Our office is open " + text_setting(config_, "business_hours", "09:00-17:00") + " (" +
                    text_setting(config_, "timezone", "UTC") + " time), " +
                    text_setting(config_, "business_days", "Monday to Saturday") + ".") {}

std::vector<sdk::tool_spec> tour_scheduling_tool::specs() const {
    using boost::json::array;
    using boost::json::object;
    return {
        {"get_office_hours", "Tell the caller when the office is open.",
         object{{"type", "object"}, {"properties", object{}}, {"required", array{}}},
         /*quick=*/true},  // from the org's settings in memory
        {"check_availability", "Check which tour slots (and units) are available on a date.",
         object{{"type", "object"},
                {"properties", object{{"date", prop("string", "date to check, YYYY-MM-DD")},
                                      {"unit_type", prop("string", "kind of unit, e.g. \"2 bedroom\"")}}},
                {"required", array{"date"}}}},
        {"schedule_tour", "Book a property tour for the caller and record them as a lead.",
         object{{"type", "object"},
                {"properties", object{{"name", prop("string", "the caller's full name")},
                                      {"phone", prop("string", "the caller's phone number")},
                                      {"date", prop("string", "tour date, YYYY-MM-DD")},
                                      {"time", prop("string", "tour start time, HH:MM (24h)")},
                                      {"email", prop("string", "the caller's email address")},
                                      {"unit_type", prop("string", "kind of unit they want to see")},
                                      {"notes", prop("string", "anything else the agent should know")}}},
                {"required", array{"name", "phone", "date", "time"}}}},
        {"qualify_lead", "Record what the caller is looking for so the lead can be scored and qualified.",
         object{{"type", "object"},
                {"properties", object{{"name", prop("string", "the caller's full name")},
                                      {"phone", prop("string", "the caller's phone number")},
                                      {"move_in_date", prop("string", "desired move-in date, YYYY-MM-DD")},
                                      {"budget", prop("number", "monthly budget")},
                                      {"bedrooms", prop("integer", "number of bedrooms wanted")},
                                      {"pets", prop("boolean", "whether they have pets")},
                                      {"notes", prop("string", "other requirements")}}},
                {"required", array{}}}},
    };
}

sdk::tool_result tour_scheduling_tool::invoke(const sdk::tool_invocation& invocation) {
    sdk::tool_result r;
    if (invocation.name == "get_office_hours") {
        r.result = office_hours_;
        return r;
    }
    r.ok = false;
    bool known = false;
    for (auto const& s : specs()) known = known || s.name == invocation.name;
    if (!known) {
        r.result = "unknown function '" + invocation.name + "' for tool plugin 'tour_scheduling'";
        r.data = boost::json::object{{"error", "unknown_function"}};
        return r;
    }
    // Honest placeholder: the function is declared to the assistant but does nothing yet.
    r.result = invocation.name + " is not available yet";
    r.data = boost::json::object{{"error", "not_implemented"}};
    return r;
}

}  // namespace switchboard::plugins::tour_scheduling
