// Answering a `realtime.call.incoming`: turn the host's assistant choice into
// POST /realtime/calls/{id}/accept (or /reject) through host_services::http
// (protocol page, sections 3.3 and 3.4).
//
// The webhook itself is always answered 200 once the REST call has returned, whatever
// it said: OpenAI takes accept/reject only through REST, the host remembers the
// answer per webhook-id (a redelivery would not call accept again anyway), and a
// retry minutes later finds the caller gone. Failures are logged and named in the
// answer body, which the host records with the webhook.
#pragma once

#include <switchboard/host_services.hpp>
#include <switchboard/provider.hpp>

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace switchboard::plugins::openai_realtime {

// The 200 answer naming what happened to the call: {"call_id", "action", "status"?, "detail"?}.
sdk::webhook_response outcome(std::string_view call_id, std::string_view action, int status,
                              const std::string& detail = {});

// Accepts the call with the session `choice` asks for, or rejects it (a refusal, no
// assistant, or a session OpenAI refuses). `settings` is the org's merged section.
sdk::webhook_response answer_incoming(sdk::host_services& host, const boost::json::object* settings,
                                      std::string_view org, std::string_view call_id,
                                      const sdk::assistant_choice& choice);

}  // namespace switchboard::plugins::openai_realtime
