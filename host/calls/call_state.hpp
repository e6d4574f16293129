// The canonical call state machine: how one event changes a call. Pure (no I/O), so
// the ordering rules are testable on their own:
// - statuses only move forward (a late "ringing" never overwrites "completed");
// - facts from payloads fill empty fields and never overwrite known ones;
// - the provider's final report is authoritative for what it carries (times, cost,
//   recording, transcript), so the stored call ends the same whatever the order
//   in which messages arrive.
#pragma once

#include "host/scripting/effects.hpp"
#include "host/store/store.hpp"

#include <switchboard/model.hpp>

#include <optional>
#include <vector>

namespace switchboard::calls {

struct call_changes {
    bool call_changed = false;
    std::vector<store::status_step> steps;                          // to append to the history
    std::vector<sdk::transcript_segment> append;                    // live final segments
    std::optional<std::vector<sdk::transcript_segment>> replace;    // the report's whole transcript
};

// A call seen for the first time through `e`.
sdk::call new_call(const std::string& org, const std::string& provider, const sdk::call_event& e);

// Applies `e` to `call`. `has_report_transcript`: the call already holds the
// report's transcript (live segments arriving later are dropped).
call_changes apply_event(sdk::call& call, const sdk::call_event& e, bool has_report_transcript);

// Applies what the org's script asked of the call (sb.tag, sb.set_phase,
// sb.escalate): tags are kept in metadata.tags (each once), an escalation in
// metadata.escalation {reason, requested_at} (the first one) with the phase
// "escalation", which then sticks like a provider's; another phase applies while the
// call lives. True when the call changed.
bool apply_effects(sdk::call& call, const scripting::effects& fx, sdk::time_point now);

// Orders a call's status history by the provider's times (ties: by status, then the
// provider's word), so it reads the same whatever order the messages arrived in.
void order_history(std::vector<store::status_step>& steps);

}  // namespace switchboard::calls
