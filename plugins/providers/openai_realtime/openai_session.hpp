// The GA session config a SIP call is accepted with (protocol page, sections 2.1 and
// 3.3), built from the host's assistant choice.
#pragma once

#include <switchboard/provider_api.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::plugins::openai_realtime {

inline constexpr std::string_view default_model = "gpt-realtime";

// Canonical spec -> {type, model, instructions, audio.output.voice, tools, tool_choice},
// then spec.provider_config deep-merged over it. `settings` (the org's merged section)
// gives the model and voice the spec leaves empty. Fields OpenAI has no place for
// (name, first_message, metadata, model_provider, voice_provider) are not sent.
boost::json::object session_from_spec(const sdk::assistant_spec& spec, const boost::json::object* settings);

// A saved assistant id is an OpenAI reusable prompt ("pmpt_..."): the session names it
// (session field `prompt`, section 2.1) with the model from settings; overrides.variables,
// when given, fill the prompt's variables.
boost::json::object session_from_prompt(std::string_view prompt_id, const boost::json::object& overrides,
                                        const boost::json::object* settings);

// An inline assistant in OpenAI's own format is the session itself; "type" is required.
boost::json::object session_from_raw(boost::json::object raw);

// SIP accept refuses server-VAD tuning with a 400 (section 3.4): drops
// audio.input.turn_detection.{threshold, prefix_padding_ms, silence_duration_ms}.
// Returns the names of what was dropped, for the log.
std::vector<std::string> strip_sip_refused(boost::json::object& session);

}  // namespace switchboard::plugins::openai_realtime
