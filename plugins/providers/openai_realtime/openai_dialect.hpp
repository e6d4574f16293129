// Reading OpenAI's webhooks (protocol page, section 3.2) into canonical events:
// `realtime.call.incoming` asks for an assistant; every other type is acknowledged
// and kept raw.
#pragma once

#include <switchboard/provider.hpp>

#include <boost/json/array.hpp>

#include <string>
#include <string_view>

namespace switchboard::plugins::openai_realtime {

inline constexpr std::string_view call_incoming = "realtime.call.incoming";

// The value of the first SIP header named `name` (or its compact form, e.g. "f" for
// From), compared case-insensitively; empty when absent.
std::string_view sip_header(const boost::json::array& headers, std::string_view name,
                            std::string_view compact = {});

// The user part of a From/To value: `"Name" <sip:+15550100@host;p>;tag=x` -> "+15550100",
// `<tel:+15550100;phone-context=x>` -> "+15550100". Empty when there is none.
std::string sip_user(std::string_view value);

// One webhook. `webhook_id` is the delivery header (stable across retries), the
// idempotency key when present. Throws sdk::bad_payload naming what is wrong.
sdk::parsed_webhook parse_webhook(std::string_view body, std::string_view webhook_id);

// data.call_id of a realtime.call.incoming body; empty for anything else.
std::string incoming_call_id(std::string_view body);

}  // namespace switchboard::plugins::openai_realtime
