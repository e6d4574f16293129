#include "host/calls/call_state.hpp"

#include "host/core/time.hpp"

#include <algorithm>
#include <chrono>

namespace switchboard::calls {
namespace {

bool fill(std::string& field, const std::string& value) {
    if (!field.empty() || value.empty()) return false;
    field = value;
    return true;
}

bool fill(std::optional<sdk::time_point>& field, const std::optional<sdk::time_point>& value) {
    if (field || !value) return false;
    field = value;
    return true;
}

// Report values replace what live events guessed (e.g. a start time taken from the
// status message's timestamp).
template <class T>
bool overwrite(T& field, const T& value) {
    if (field == value) return false;
    field = value;
    return true;
}

bool merge_facts(sdk::call& c, const sdk::call& f) {
    bool changed = false;
    changed |= fill(c.from_number, f.from_number);
    changed |= fill(c.to_number, f.to_number);
    changed |= fill(c.assistant, f.assistant);
    changed |= fill(c.external_record_id, f.external_record_id);
    changed |= fill(c.started_at, f.started_at);
    changed |= fill(c.ended_at, f.ended_at);
    for (auto const& [k, v] : f.metadata) {
        if (c.metadata.contains(k)) continue;
        c.metadata[k] = v;
        changed = true;
    }
    return changed;
}

void update_duration(sdk::call& c) {
    if (c.duration_seconds || !c.started_at || !c.ended_at || *c.ended_at < *c.started_at) return;
    c.duration_seconds = std::chrono::duration<double>(*c.ended_at - *c.started_at).count();
}

// Moves the status forward when allowed. Every status event is recorded in the
// history, applied or not, so the history (ordered by the provider's times) is the
// same whatever order the messages arrived in.
bool advance(sdk::call& c, sdk::call_status to, const std::string& provider_status,
             const std::optional<sdk::time_point>& at, call_changes& out) {
    out.steps.push_back({to, provider_status, at, {}});
    if (!sdk::can_advance(c.status, to)) return false;
    c.status = to;
    if (to == sdk::call_status::in_progress) fill(c.started_at, at);
    if (sdk::is_terminal(to)) {
        fill(c.ended_at, at);
        if (c.phase != sdk::call_phase::escalation) c.phase = sdk::call_phase::completed;
    }
    return true;
}

}  // namespace

sdk::call new_call(const std::string& org, const std::string& provider, const sdk::call_event& e) {
    sdk::call c = e.facts;
    c.id.clear();
    c.org = org;
    c.provider = provider;
    c.provider_call_id = e.provider_call_id;
    c.status = sdk::call_status::queued;
    c.phase = sdk::call_phase::greeting;
    // Status-like fields come only from status events, applied next.
    c.ended_reason.clear();
    c.duration_seconds.reset();
    c.cost.reset();
    return c;
}

call_changes apply_event(sdk::call& call, const sdk::call_event& e, bool has_report_transcript) {
    call_changes out;
    out.call_changed = merge_facts(call, e.facts);

    std::visit(
        [&](auto const& body) {
            using T = std::decay_t<decltype(body)>;
            if constexpr (std::is_same_v<T, sdk::status_changed>) {
                if (advance(call, body.status, body.provider_status, e.at, out)) {
                    out.call_changed = true;
                    if (sdk::is_terminal(body.status)) fill(call.ended_reason, body.ended_reason);
                }
                // Escalation sticks whenever it is heard of (so a late "forwarding" gives
                // the same call as an early one); other phases only while the call lives.
                if (body.phase && call.phase != *body.phase &&
                    (*body.phase == sdk::call_phase::escalation || !sdk::is_terminal(call.status))) {
                    call.phase = *body.phase;
                    out.call_changed = true;
                }
                for (auto const& [k, v] : body.detail) {
                    call.metadata[k] = v;
                    out.call_changed = true;
                }
            } else if constexpr (std::is_same_v<T, sdk::transcript_added>) {
                if (body.segment.final && !has_report_transcript) out.append.push_back(body.segment);
            } else if constexpr (std::is_same_v<T, sdk::call_ended>) {
                advance(call, body.status, e.type, body.ended_at ? body.ended_at : e.at, out);
                if (!body.ended_reason.empty()) overwrite(call.ended_reason, body.ended_reason);
                if (body.started_at) overwrite(call.started_at, body.started_at);
                if (body.ended_at) overwrite(call.ended_at, body.ended_at);
                if (body.cost) overwrite(call.cost, body.cost);
                if (!body.cost_breakdown.is_null()) call.cost_breakdown = body.cost_breakdown;
                // Without a reported duration, recompute it from the report's times.
                if (body.duration_seconds) call.duration_seconds = body.duration_seconds;
                else call.duration_seconds.reset();
                if (!body.recording_url.empty()) overwrite(call.recording_url, body.recording_url);
                if (!body.stereo_recording_url.empty()) overwrite(call.stereo_recording_url, body.stereo_recording_url);
                if (!body.summary.empty()) overwrite(call.summary, body.summary);
                if (!body.analysis.empty()) call.analysis = body.analysis;
                if (body.has_transcript) out.replace = body.transcript;
                out.call_changed = true;
            }
            // Answered requests and informational events change no state.
        },
        e.body);

    if (sdk::is_terminal(call.status)) {
        auto before = call.duration_seconds;
        update_duration(call);
        out.call_changed |= before != call.duration_seconds;
    }
    return out;
}

bool apply_effects(sdk::call& c, const scripting::effects& fx, sdk::time_point now) {
    bool changed = false;
    if (!fx.tags.empty()) {
        auto& tags = c.metadata["tags"];
        if (!tags.is_array()) tags = boost::json::array{};
        auto& list = tags.as_array();
        for (auto const& t : fx.tags)
            if (std::find(list.begin(), list.end(), boost::json::value(t)) == list.end()) {
                list.push_back(boost::json::string(t));
                changed = true;
            }
    }
    if (fx.escalation) {
        if (!c.metadata.contains("escalation")) {
            c.metadata["escalation"] =
                boost::json::object{{"reason", *fx.escalation}, {"requested_at", core::to_iso8601(now)}};
            changed = true;
        }
        if (c.phase != sdk::call_phase::escalation) {
            c.phase = sdk::call_phase::escalation;
            changed = true;
        }
    }
    if (fx.phase && c.phase != sdk::call_phase::escalation) {
        auto phase = sdk::parse_call_phase(*fx.phase);
        if (phase && *phase != c.phase && (*phase == sdk::call_phase::escalation || !sdk::is_terminal(c.status))) {
            c.phase = *phase;
            changed = true;
        }
    }
    return changed;
}

void order_history(std::vector<store::status_step>& steps) {
    std::stable_sort(steps.begin(), steps.end(), [](const store::status_step& a, const store::status_step& b) {
        auto ta = a.at.value_or(a.recorded_at), tb = b.at.value_or(b.recorded_at);
        if (ta != tb) return ta < tb;
        if (sdk::status_rank(a.status) != sdk::status_rank(b.status))
            return sdk::status_rank(a.status) < sdk::status_rank(b.status);
        return a.provider_status < b.provider_status;
    });
}

}  // namespace switchboard::calls
