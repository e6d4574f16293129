// A tool plugin answers an assistant's function calls. One plugin may offer several
// functions (tour scheduling offers check_availability, schedule_tour, ...).
#pragma once

#include <boost/config.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <string>
#include <vector>

namespace switchboard::sdk {

struct tool_spec {
    std::string name;
    std::string description;
    boost::json::object parameters;  // JSON Schema of the arguments
    // Answers from memory in microseconds and never blocks (no I/O, no locks held
    // long): the host then runs it on the webhook's own thread, without the deadline
    // watch that other tools get, and without looking the call up first (call_id is
    // empty). When in doubt, leave it false.
    bool quick = false;
};

struct tool_invocation {
    std::string org;
    std::string call_id;
    std::string tool_call_id;
    std::string name;
    boost::json::object arguments;  // already validated against the spec's schema
    // The org's merged section of this plugin (global config overlaid with
    // orgs[].plugins.<name>), valid during invoke(); null when the plugin has none.
    const boost::json::object* settings = nullptr;
    std::string timezone;  // the org's IANA zone ("UTC" when it sets none)
};

struct tool_result {
    bool ok = true;
    std::string result;        // one line the assistant can say or use
    boost::json::value data;   // structured detail for the API and logs
};

class BOOST_SYMBOL_VISIBLE tool {
public:
    virtual ~tool() = default;
    virtual std::vector<tool_spec> specs() const = 0;
    virtual tool_result invoke(const tool_invocation& invocation) = 0;
};

}  // namespace switchboard::sdk
