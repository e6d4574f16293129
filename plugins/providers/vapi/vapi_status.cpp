#include "vapi_status.hpp"

namespace switchboard::plugins::vapi {

namespace {

bool starts(std::string_view s, std::string_view p) noexcept { return s.substr(0, p.size()) == p; }
bool ends(std::string_view s, std::string_view p) noexcept {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

}  // namespace

sdk::call_status status_for_ended_reason(std::string_view r) noexcept {
    using sdk::call_status;
    // Handed over: the call left the assistant for a human or another number.
    if (r == "assistant-forwarded-call" || ends(r, ".hook-executed-transfer")) return call_status::transferred;
    // Never connected to anyone.
    if (r == "customer-busy" || r == "customer-did-not-answer" || r == "voicemail" ||
        r == "call.ringing.sip-inbound-caller-hungup-before-call-connect")
        return call_status::missed;
    // A conversation that ended the normal way, whoever hung up.
    if (starts(r, "customer-ended-call") || starts(r, "assistant-ended-call") || r == "assistant-said-end-call-phrase" ||
        r == "silence-timed-out" || r == "exceeded-max-duration" || ends(r, ".hook-executed-say") ||
        r == "call.in-progress.twilio-completed-call" || r == "call.in-progress.sip-completed-call" ||
        r == "vonage-completed")
        return call_status::completed;
    // pipeline-error-*, call.start.error-*, call.in-progress.error-*, assistant-request-*,
    // assistant-not-*, call.forwarding.*, *-deleted, worker-shutdown, ... and anything new.
    return call_status::failed;
}

std::optional<sdk::call_status> status_for_vapi_status(std::string_view s) noexcept {
    using sdk::call_status;
    if (s == "scheduled" || s == "queued") return call_status::queued;
    if (s == "ringing") return call_status::ringing;
    if (s == "in-progress" || s == "forwarding") return call_status::in_progress;
    return std::nullopt;
}

}  // namespace switchboard::plugins::vapi
