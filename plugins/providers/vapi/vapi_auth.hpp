// Checking that a webhook comes from Vapi (protocol page, section 2): the HMAC
// credential when `hmac_secret` is set, else the shared secret (`X-Vapi-Secret` or a
// Bearer token) when `webhook_secret` is set, else nothing (the host warns).
#pragma once

#include <switchboard/provider.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace switchboard::plugins::vapi {

// Returns a problem with the HMAC settings of `settings` (an unknown algorithm or
// encoding), or an empty string. The factory refuses a global section that has one.
std::string hmac_settings_problem(const boost::json::object* settings);

sdk::verification verify_webhook(const sdk::webhook_request& request, std::chrono::system_clock::time_point now);

}  // namespace switchboard::plugins::vapi
