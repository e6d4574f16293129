// The canonical assistant fields as the API reads and shows them (seed 004's names:
// name, first_message, system_prompt, model, voice_id, ...), to and from
// sdk::assistant_spec and the stored row.
#pragma once

#include "host/calls/assistant_spec.hpp"
#include "host/store/store.hpp"

#include <switchboard/provider_api.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace switchboard::api {

// Reads the spec fields of `body`, ignoring `skip` keys handled by the caller
// (provider, org, ...). 422 naming the field (prefixed with `where`, e.g.
// "assistant.") for an unknown key or a value of the wrong type.
// `tools` resolves "tools" (function names); without it the field is refused.
sdk::assistant_spec read_assistant_spec(const boost::json::object& body, std::string_view where,
                                        std::initializer_list<std::string_view> skip = {},
                                        const calls::tool_lookup* tools = nullptr);

// The spec as stored in assistants.spec_json (only the fields that are set).
boost::json::object spec_json(const sdk::assistant_spec& spec);

// A stored assistant in API responses: id, org, provider, provider_assistant_id,
// created_at, updated_at and every canonical field (empty ones as "" / {}).
boost::json::object assistant_json(const store::assistant_row& row);

}  // namespace switchboard::api
