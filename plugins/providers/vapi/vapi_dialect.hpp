// Reading Vapi server messages: one webhook body -> canonical events plus the key
// that identifies a redelivery (protocol page, sections 3, 4, 6, 7).
#pragma once

#include <switchboard/provider.hpp>

#include <boost/json/object.hpp>

#include <string_view>

namespace switchboard::plugins::vapi {

// Keys under which assistantOverrides.variableValues or call.metadata may name the
// org's own record for this call (docs/providers/vapi.md), in lookup order.
inline constexpr std::string_view external_record_keys[] = {"external_record_id", "externalRecordId",
                                                            "service_record_id", "serviceRecordId", "recordId"};

// The `message` object of a body: the envelope's, or the body itself when it has a
// `type` (some proxies unwrap it). Throws bad_payload when there is neither.
const boost::json::object& message_of(const boost::json::object& body);

// The whole translation. Throws sdk::bad_payload for a body that is not a JSON
// object, has no message type, or a call-scoped message without a call id.
sdk::parsed_webhook parse_webhook(std::string_view body);

}  // namespace switchboard::plugins::vapi
