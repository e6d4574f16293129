// The canonical assistant fields (seed 004's names: name, first_message,
// system_prompt, model, voice_id, ...) read from JSON and written back. One table
// serves the REST API, the org's YAML defaults and what Lua hooks return, so the
// three accept the same words.
#pragma once

#include <switchboard/provider_api.hpp>

#include <boost/json/object.hpp>

#include <functional>
#include <initializer_list>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace switchboard::calls {

// A field that is unknown or of the wrong type; what() names it ("assistant.model:
// expected a string").
class spec_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Finds a tool function by name ("tools": ["schedule_tour", ...]).
using tool_lookup = std::function<std::optional<sdk::tool_spec>(std::string_view name)>;

// Reads the spec fields of `body`, ignoring `skip` keys handled by the caller.
// `where` prefixes field names in errors ("assistant."). "tools" (an array of
// function names) needs `tools`; without it the field is refused.
sdk::assistant_spec read_assistant_spec(const boost::json::object& body, std::string_view where,
                                        std::initializer_list<std::string_view> skip = {},
                                        const tool_lookup* tools = nullptr);

// The fields that are set, as stored (tools by name).
boost::json::object spec_json(const sdk::assistant_spec& spec);

// Every canonical field of a stored spec, unset ones as "" / {} / [] (API views).
boost::json::object spec_view(const boost::json::object& stored);

}  // namespace switchboard::calls
