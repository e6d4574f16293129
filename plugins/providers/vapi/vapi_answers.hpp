// Writing the host's answers in Vapi's response shapes (protocol page, section 1.2).
#pragma once

#include <switchboard/provider.hpp>

#include <boost/json/array.hpp>

#include <string>
#include <string_view>

namespace switchboard::plugins::vapi {

// What a transient assistant subscribes to when it names nothing itself: without an
// explicit list Vapi may skip the end-of-call report. Never phone-call-control.
boost::json::array default_server_messages();

// `request_type` is the answered message's type ("tool-calls", "function-call", ...).
sdk::webhook_response render_answer(std::string_view request_type, const sdk::webhook_answer& answer);

// A tool result as Vapi wants it: one line (newlines become spaces).
std::string one_line(std::string_view text);

}  // namespace switchboard::plugins::vapi
