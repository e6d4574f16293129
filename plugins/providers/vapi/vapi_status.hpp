// Vapi's words for call state -> canonical statuses (protocol page, section 6;
// docs/providers/vapi.md has the tables).
#pragma once

#include <switchboard/model.hpp>

#include <optional>
#include <string_view>

namespace switchboard::plugins::vapi {

// The terminal status an `endedReason` implies. Families match by prefix/suffix;
// unknown or empty reasons are `failed` until someone classifies them.
sdk::call_status status_for_ended_reason(std::string_view ended_reason) noexcept;

// A non-terminal `status-update` status; nullopt for `ended` (use the reason) and for
// words that change nothing (`not-found`, `deletion-failed`, unknown).
std::optional<sdk::call_status> status_for_vapi_status(std::string_view status) noexcept;

}  // namespace switchboard::plugins::vapi
