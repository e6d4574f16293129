// The canonical call model: what every provider plugin translates its wire dialect
// into, and what the host stores and serves. Plain values, no behaviour beyond the
// status ordering, so plugins and host agree on it without sharing code.
#pragma once

#include <boost/config.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace switchboard::sdk {

using time_point = std::chrono::system_clock::time_point;

// Canonical call status. Forward-only: see can_advance().
enum class call_status : std::uint8_t {
    queued,
    ringing,
    in_progress,
    completed,
    failed,
    missed,       // no-answer, busy
    transferred,  // ended after being handed to a human or another number
};

enum class call_direction : std::uint8_t { inbound, outbound };

enum class call_phase : std::uint8_t { greeting, intake, clarification, escalation, completed };

enum class speaker_role : std::uint8_t { customer, assistant, tool, tool_result, human_agent };

// Rank used to keep statuses forward-only: a late "ringing" never overwrites
// "completed". All terminal statuses share the top rank, so the first one wins.
constexpr int status_rank(call_status s) noexcept {
    switch (s) {
        case call_status::queued: return 0;
        case call_status::ringing: return 1;
        case call_status::in_progress: return 2;
        default: return 3;
    }
}

constexpr bool is_terminal(call_status s) noexcept { return status_rank(s) == 3; }

// True when a call at `from` may move to `to`.
constexpr bool can_advance(call_status from, call_status to) noexcept {
    return status_rank(to) > status_rank(from);
}

// Wire names ("in_progress", "missed", ...) used in the API and the database.
namespace detail {
inline constexpr std::string_view status_names[] = {"queued",    "ringing", "in_progress", "completed",
                                                    "failed",    "missed",  "transferred"};
inline constexpr std::string_view direction_names[] = {"inbound", "outbound"};
inline constexpr std::string_view phase_names[] = {"greeting", "intake", "clarification", "escalation",
                                                   "completed"};
inline constexpr std::string_view role_names[] = {"customer", "assistant", "tool", "tool_result",
                                                  "human_agent"};

template <class Enum, std::size_t N>
constexpr std::optional<Enum> parse_name(const std::string_view (&names)[N], std::string_view s) noexcept {
    for (std::size_t i = 0; i < N; ++i)
        if (names[i] == s) return static_cast<Enum>(i);
    return std::nullopt;
}
}  // namespace detail

constexpr std::string_view to_string(call_status s) noexcept { return detail::status_names[static_cast<int>(s)]; }
constexpr std::string_view to_string(call_direction d) noexcept { return detail::direction_names[static_cast<int>(d)]; }
constexpr std::string_view to_string(call_phase p) noexcept { return detail::phase_names[static_cast<int>(p)]; }
constexpr std::string_view to_string(speaker_role r) noexcept { return detail::role_names[static_cast<int>(r)]; }

constexpr std::optional<call_status> parse_call_status(std::string_view s) noexcept {
    return detail::parse_name<call_status>(detail::status_names, s);
}
constexpr std::optional<call_direction> parse_call_direction(std::string_view s) noexcept {
    return detail::parse_name<call_direction>(detail::direction_names, s);
}
constexpr std::optional<call_phase> parse_call_phase(std::string_view s) noexcept {
    return detail::parse_name<call_phase>(detail::phase_names, s);
}
constexpr std::optional<speaker_role> parse_speaker_role(std::string_view s) noexcept {
    return detail::parse_name<speaker_role>(detail::role_names, s);
}

struct call {
    std::string id;  // the host's id (time-sortable)
    std::string org;
    std::string provider;
    std::string provider_call_id;
    call_direction direction = call_direction::inbound;
    std::string from_number;
    std::string to_number;
    call_status status = call_status::queued;
    std::optional<time_point> started_at;
    std::optional<time_point> ended_at;
    std::optional<double> duration_seconds;
    std::string ended_reason;
    std::optional<double> cost;
    std::string recording_url;
    std::string stereo_recording_url;
    std::string summary;              // the provider's own summary of the call
    boost::json::object analysis;     // the provider's analysis (structured data, evaluation), as sent
    boost::json::value cost_breakdown;  // the provider's cost items, as sent (null when unknown)
    std::string assistant;
    boost::json::object metadata;
    call_phase phase = call_phase::greeting;
    std::string external_record_id;  // id of a linked record in the org's own system
    time_point created_at{};
    time_point updated_at{};
};

struct transcript_segment {
    speaker_role role = speaker_role::customer;
    std::string text;
    std::optional<time_point> started_at;
    std::optional<double> seconds_from_start;
    std::optional<std::int64_t> duration_ms;
    std::optional<double> confidence;
    bool final = true;
};

// --- canonical events (what a provider's webhook means) -------------------------

struct status_changed {
    call_status status = call_status::queued;
    std::string provider_status;  // the provider's own word, kept for the record
    std::string ended_reason;     // the provider's reason, verbatim, when the call ended
    std::optional<call_phase> phase;  // e.g. escalation while a transfer is under way
    boost::json::object detail;   // e.g. {"destination": ...} of a transfer
};

// Live transcription. Only final segments are stored; partial ones are published to
// live subscribers and dropped. A call_ended transcript replaces live segments.
struct transcript_added {
    transcript_segment segment;
};

// Events marked "needs an answer" wait for the host's reply in the webhook response.
struct assistant_requested {};  // needs an answer

struct tool_call_requested {  // needs an answer
    std::string tool_call_id;
    std::string name;
    boost::json::object arguments;
};

struct transfer_requested {  // needs an answer
    std::string reason;
};

struct knowledge_requested {  // needs an answer
    std::string query;  // what to look up (the caller's last words)
};

// The provider's final report. Fields it did not carry stay empty and never overwrite.
struct call_ended {
    call_status status = call_status::completed;  // the terminal status the report implies
    std::string ended_reason;                      // verbatim
    std::optional<sdk::time_point> started_at;
    std::optional<sdk::time_point> ended_at;
    std::optional<double> cost;
    boost::json::value cost_breakdown;  // provider's items, kept as sent (null when absent)
    std::optional<double> duration_seconds;
    std::string recording_url;
    std::string stereo_recording_url;
    std::string summary;
    boost::json::object analysis;  // structured data, success evaluation, ... as sent
    bool has_transcript = false;   // true: `transcript` is the whole conversation
    std::vector<transcript_segment> transcript;
};

// Kept raw and answered 200: informational messages (speech updates, hangs, ...) and
// types the provider does not know.
struct unknown_event {};

using call_event_body = std::variant<status_changed, transcript_added, assistant_requested,
                                     tool_call_requested, transfer_requested, knowledge_requested,
                                     call_ended, unknown_event>;

struct call_event {
    std::string provider_call_id;
    std::string type;  // the provider's own message type, e.g. "status-update"
    std::optional<time_point> at;
    // Call facts the payload carried (numbers, direction, assistant); empty fields
    // mean "not in this payload" and never overwrite stored values.
    call facts;
    call_event_body body;
};

}  // namespace switchboard::sdk
