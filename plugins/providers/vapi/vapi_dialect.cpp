#include "vapi_dialect.hpp"

#include "vapi_json.hpp"
#include "vapi_status.hpp"

#include <switchboard/plugin_helpers.hpp>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace switchboard::plugins::vapi {

namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

// Types whose meaning depends on the call they belong to: without call.id they
// cannot be attributed, so they are refused (and dead-lettered by the host).
// chat.*, session.*, campaign.* and types we do not know yet pass without one.
bool is_call_scoped(std::string_view type) noexcept {
    static constexpr std::string_view scoped[] = {
        "assistant-request",     "tool-calls",        "function-call",          "status-update",
        "end-of-call-report",    "transcript",        "conversation-update",    "speech-update",
        "hang",                  "transfer-destination-request", "transfer-update", "user-interrupted",
        "phone-call-control",    "model-output",      "voice-input",            "knowledge-base-request",
        "language-change-detected", "handoff-destination-request", "assistant.speechStarted"};
    if (type.substr(0, 11) == "transcript[") return true;  // transcript[transcriptType="final"]
    return std::find(std::begin(scoped), std::end(scoped), type) != std::end(scoped);
}

std::string first_of(std::initializer_list<std::string_view> candidates) {
    for (auto c : candidates)
        if (!c.empty()) return std::string(c);
    return {};
}

// Tool arguments arrive as an object (2024-25 captures) or a JSON string (spec).
// A string that is not a JSON object gives {}: the raw body keeps the original.
object arguments_of(const value* v) {
    if (!v) return {};
    // A copy with the default storage: the body it comes from lives in parse's arena.
    if (v->is_object()) return object(v->get_object(), boost::json::storage_ptr());
    if (v->is_string()) {
        boost::system::error_code ec;
        value parsed = boost::json::parse(v->get_string(), ec);
        if (!ec && parsed.is_object()) return std::move(parsed.get_object());
    }
    return {};
}

std::string text_of(const value* v) {
    if (!v || v->is_null()) return {};
    if (v->is_string()) return std::string(v->get_string());
    return boost::json::serialize(*v);
}

sdk::call facts_of(const object& msg, const object* call, const std::string& call_id) {
    sdk::call f;
    f.provider = "vapi";
    f.provider_call_id = call_id;
    const std::string_view type = string_at(call, "type");
    f.direction = type == "outboundPhoneCall" ? sdk::call_direction::outbound : sdk::call_direction::inbound;
    // Without call.type we cannot tell which number is whose: leave both empty.
    if (!type.empty()) {
        std::string customer = first_of({path_string(call, {"customer", "number"}), path_string(&msg, {"customer", "number"})});
        std::string ours = first_of({path_string(&msg, {"phoneNumber", "number"}), path_string(call, {"phoneNumber", "number"})});
        if (f.direction == sdk::call_direction::inbound) {
            f.from_number = std::move(customer);
            f.to_number = std::move(ours);
        } else {
            f.from_number = std::move(ours);
            f.to_number = std::move(customer);
        }
    }
    f.assistant = first_of({string_at(call, "assistantId"), path_string(&msg, {"assistant", "id"}),
                            path_string(call, {"assistant", "id"})});
    f.started_at = time_at(call, "startedAt");
    f.ended_at = time_at(call, "endedAt");

    const object* overrides = object_at(call, "assistantOverrides");
    // POST /call has no top-level metadata: correlation data goes in
    // assistantOverrides.metadata; call.metadata wins where both have a key.
    if (auto const* m = object_at(overrides, "metadata")) f.metadata = *m;
    if (auto const* m = object_at(call, "metadata"))
        for (auto const& kv : *m) f.metadata[kv.key()] = kv.value();

    for (const object* source : {object_at(overrides, "variableValues"), object_at(call, "metadata"),
                                 object_at(overrides, "metadata")}) {
        for (auto key : external_record_keys) {
            f.external_record_id = text_at(source, key);
            if (!f.external_record_id.empty()) break;
        }
        if (!f.external_record_id.empty()) break;
    }
    return f;
}

// --- conversation messages (section 4) -----------------------------------------

std::string tool_calls_text(const object& m) {
    std::string out;
    if (auto const* calls = array_at(&m, "toolCalls")) {
        for (auto const& c : *calls) {
            if (!c.is_object()) continue;
            const object* fn = object_at(&c.get_object(), "function");
            std::string name = first_of({string_at(fn, "name"), string_at(&c.get_object(), "name")});
            const value* args = fn ? fn->if_contains("arguments") : nullptr;
            if (!args) args = c.get_object().if_contains("parameters");
            if (!out.empty()) out += "; ";
            out += name + "(" + text_of(args) + ")";
        }
    }
    if (out.empty()) out = first_of({string_at(&m, "message"), string_at(&m, "content"), string_at(&m, "name")});
    return out;
}

std::vector<sdk::transcript_segment> segments_of(const array& messages) {
    std::vector<sdk::transcript_segment> out;
    for (auto const& v : messages) {
        if (!v.is_object()) continue;
        const object& m = v.get_object();
        const std::string_view role = string_at(&m, "role");
        sdk::transcript_segment s;
        if (role == "user") {
            s.role = sdk::speaker_role::customer;
        } else if (role == "bot" || role == "assistant") {
            s.role = sdk::speaker_role::assistant;
        } else if (role == "tool_calls" || role == "function_call") {
            s.role = sdk::speaker_role::tool;
        } else if (role == "tool_call_result" || role == "function_result" || role == "tool") {
            s.role = sdk::speaker_role::tool_result;
        } else {
            continue;  // system prompts, and roles nobody has classified
        }
        if (s.role == sdk::speaker_role::tool)
            s.text = tool_calls_text(m);
        else if (s.role == sdk::speaker_role::tool_result)
            s.text = m.contains("result") ? text_of(m.if_contains("result"))
                                          : first_of({string_at(&m, "message"), string_at(&m, "content")});
        else
            s.text = first_of({string_at(&m, "message"), string_at(&m, "content")});
        s.started_at = time_at(&m, "time");
        s.seconds_from_start = number_at(&m, "secondsFromStart");
        auto t0 = number_at(&m, "time"), t1 = number_at(&m, "endTime");
        // `duration` is ms in 2025+ payloads but was seconds in 2024: endTime - time
        // is right in both eras, so it wins when present.
        if (t0 && t1 && *t1 >= *t0)
            s.duration_ms = std::llround(*t1 - *t0);
        else if (auto d = number_at(&m, "duration"))
            s.duration_ms = std::llround(*d);
        s.confidence = number_at(&m, "confidence");
        s.final = true;
        out.push_back(std::move(s));
    }
    return out;
}

// --- one function per message type ------------------------------------------------

void status_update(const object& msg, const object* call, const std::string& call_id, sdk::call_event proto,
                   sdk::parsed_webhook& out) {
    const std::string status(string_at(&msg, "status"));
    sdk::status_changed sc;
    sc.provider_status = status;
    bool known = true;
    if (status == "ended") {
        sc.ended_reason = first_of({string_at(&msg, "endedReason"), string_at(call, "endedReason")});
        sc.status = status_for_ended_reason(sc.ended_reason);
        if (auto const* dbg = msg.if_contains("inboundPhoneCallDebuggingArtifacts"); dbg && !dbg->is_null())
            sc.detail["inboundPhoneCallDebuggingArtifacts"] = *dbg;
    } else if (status == "completed" || status == "failed" || status == "no-answer" || status == "busy") {
        // Words of older backends (seed AutoPulse), not Vapi's; kept so their replays map.
        sc.status = status == "completed" ? sdk::call_status::completed
                    : status == "failed"  ? sdk::call_status::failed
                                          : sdk::call_status::missed;
        sc.ended_reason = std::string(string_at(&msg, "endedReason"));
    } else if (auto s = status_for_vapi_status(status)) {
        sc.status = *s;
        if (status == "forwarding") {
            // The transfer has started; the call becomes `transferred` when it ends
            // with a transfer reason (a failed transfer must still be able to fail).
            sc.phase = sdk::call_phase::escalation;
            if (auto const* d = msg.if_contains("destination"); d && !d->is_null()) sc.detail["destination"] = *d;
        }
    } else {
        known = false;  // not-found, deletion-failed, missing or new words: kept raw
    }
    if (!status.empty()) {
        out.idempotency_key = "status-update:" + call_id + ":" + status;
        if (known && !sc.ended_reason.empty()) out.idempotency_key += ":" + sc.ended_reason;
    }
    if (known)
        proto.body = std::move(sc);
    else
        proto.body = sdk::unknown_event{};
    out.events.push_back(std::move(proto));
}

void transcript(const object& msg, bool final_by_type, sdk::call_event proto, sdk::parsed_webhook& out) {
    const std::string_view role = string_at(&msg, "role");
    sdk::transcript_added t;
    if (role == "user") {
        t.segment.role = sdk::speaker_role::customer;
    } else if (role == "assistant" || role == "bot") {
        t.segment.role = sdk::speaker_role::assistant;
    } else {
        proto.body = sdk::unknown_event{};
        out.events.push_back(std::move(proto));
        return;
    }
    t.segment.text = std::string(string_at(&msg, "transcript"));
    t.segment.final = final_by_type || string_at(&msg, "transcriptType") == "final";
    t.segment.started_at = proto.at;
    t.segment.confidence = number_at(&msg, "confidence");
    proto.body = std::move(t);
    out.events.push_back(std::move(proto));
}

void tool_calls(const object& msg, sdk::call_event proto, sdk::parsed_webhook& out) {
    std::vector<const object*> items;
    for (auto key : {"toolCallList", "toolCalls"}) {
        if (auto const* list = array_at(&msg, key); list && !list->empty()) {
            for (auto const& v : *list)
                if (v.is_object()) items.push_back(&v.get_object());
            break;
        }
    }
    if (items.empty())
        if (auto const* list = array_at(&msg, "toolWithToolCallList"))
            for (auto const& v : *list)
                if (auto const* tc = v.is_object() ? object_at(&v.get_object(), "toolCall") : nullptr)
                    items.push_back(tc);

    std::string ids;
    for (const object* item : items) {
        sdk::tool_call_requested r;
        r.tool_call_id = text_at(item, "id");
        const object* fn = object_at(item, "function");
        r.name = first_of({string_at(fn, "name"), string_at(item, "name")});
        const value* args = fn ? fn->if_contains("arguments") : nullptr;
        if (!args) args = item->if_contains("parameters");  // the events page's flattened item
        if (!args) args = item->if_contains("arguments");
        r.arguments = arguments_of(args);
        if (!ids.empty()) ids += ",";
        ids += r.tool_call_id;
        sdk::call_event e = proto;
        e.body = std::move(r);
        out.events.push_back(std::move(e));
    }
    if (items.empty()) {
        proto.body = sdk::unknown_event{};
        out.events.push_back(std::move(proto));
    } else if (ids.find_first_not_of(',') != std::string::npos) {
        out.idempotency_key = "tool-calls:" + ids;
    }
}

void function_call(const object& msg, sdk::call_event proto, sdk::parsed_webhook& out) {
    const object* fc = object_at(&msg, "functionCall");
    if (!fc) {
        proto.body = sdk::unknown_event{};
    } else {
        sdk::tool_call_requested r;  // legacy: the function has no call id
        r.name = std::string(string_at(fc, "name"));
        const value* args = fc->if_contains("parameters");
        if (!args) args = fc->if_contains("arguments");
        r.arguments = arguments_of(args);
        proto.body = std::move(r);
    }
    out.events.push_back(std::move(proto));
}

const array* conversation_of(const object& msg) {
    const object* artifact = object_at(&msg, "artifact");
    if (auto const* a = array_at(artifact, "messages"); a && !a->empty()) return a;
    if (auto const* a = array_at(&msg, "messages"); a && !a->empty()) return a;
    return array_at(artifact, "messages");
}

void transfer_request(const object& msg, const std::string& call_id, sdk::call_event proto, sdk::parsed_webhook& out) {
    sdk::transfer_requested t;
    // The model's transferCall arguments (last tool_calls entry) may say why.
    if (const array* conv = conversation_of(msg)) {
        for (auto it = conv->rbegin(); it != conv->rend() && t.reason.empty(); ++it) {
            if (!it->is_object() || string_at(&it->get_object(), "role") != "tool_calls") continue;
            if (auto const* calls = array_at(&it->get_object(), "toolCalls"))
                for (auto const& c : *calls) {
                    if (!c.is_object()) continue;
                    const object* fn = object_at(&c.get_object(), "function");
                    object args = arguments_of(fn ? fn->if_contains("arguments") : nullptr);
                    if (auto r = string_at(&args, "reason"); !r.empty()) t.reason = std::string(r);
                }
            break;
        }
    }
    proto.body = std::move(t);
    out.events.push_back(std::move(proto));
    if (auto const* ts = msg.if_contains("timestamp"); ts && !ts->is_null())
        out.idempotency_key = "transfer-destination-request:" + call_id + ":" + text_of(ts);
}

void transfer_update(const object& msg, sdk::call_event proto, sdk::parsed_webhook& out) {
    sdk::status_changed sc;
    sc.status = sdk::call_status::in_progress;
    sc.provider_status = "transfer-update";
    sc.phase = sdk::call_phase::escalation;
    for (auto key : {"destination", "toAssistant", "fromAssistant"})
        if (auto const* d = msg.if_contains(key); d && !d->is_null()) sc.detail[key] = *d;
    proto.body = std::move(sc);
    out.events.push_back(std::move(proto));
}

void knowledge_request(const object& msg, sdk::call_event proto, sdk::parsed_webhook& out) {
    sdk::knowledge_requested k;
    auto last_user = [](const array* list, std::initializer_list<std::string_view> text_keys) -> std::string {
        if (!list) return {};
        for (auto it = list->rbegin(); it != list->rend(); ++it) {
            if (!it->is_object() || string_at(&it->get_object(), "role") != "user") continue;
            for (auto k : text_keys)
                if (auto s = string_at(&it->get_object(), k); !s.empty()) return std::string(s);
        }
        return {};
    };
    k.query = last_user(array_at(&msg, "messages"), {"message", "content"});
    if (k.query.empty()) k.query = last_user(array_at(&msg, "messagesOpenAIFormatted"), {"content", "message"});
    proto.body = std::move(k);
    out.events.push_back(std::move(proto));
}

void end_of_call_report(const object& msg, const object* call, const std::string& call_id, sdk::call_event proto,
                        sdk::parsed_webhook& out) {
    const object* artifact = object_at(&msg, "artifact");
    const object* call_artifact = object_at(call, "artifact");
    sdk::call_ended r;
    r.ended_reason = first_of({string_at(&msg, "endedReason"), string_at(call, "endedReason")});
    r.status = status_for_ended_reason(r.ended_reason);
    r.started_at = time_at(&msg, "startedAt");
    if (!r.started_at) r.started_at = time_at(call, "startedAt");
    r.ended_at = time_at(&msg, "endedAt");
    if (!r.ended_at) r.ended_at = time_at(call, "endedAt");
    r.cost = number_at(&msg, "cost");
    if (!r.cost) r.cost = number_at(call, "cost");
    for (auto [source, key] : {std::pair{&msg, "costBreakdown"}, std::pair{&msg, "costs"},
                               std::pair{call, "costBreakdown"}, std::pair{call, "costs"}}) {
        if (!source) continue;
        if (auto const* v = source->if_contains(key); v && !v->is_null()) {
            r.cost_breakdown = *v;
            break;
        }
    }
    if (auto ms = number_at(&msg, "durationMs"))
        r.duration_seconds = *ms / 1000.0;
    else if (auto s = number_at(&msg, "durationSeconds"))
        r.duration_seconds = *s;
    else if (auto m = number_at(&msg, "durationMinutes"))
        r.duration_seconds = *m * 60.0;
    else if (r.started_at && r.ended_at && *r.ended_at >= *r.started_at)
        r.duration_seconds = std::chrono::duration<double>(*r.ended_at - *r.started_at).count();

    r.recording_url = first_of({string_at(artifact, "recordingUrl"),
                                path_string(artifact, {"recording", "mono", "combinedUrl"}),
                                string_at(&msg, "recordingUrl"), string_at(call_artifact, "recordingUrl"),
                                path_string(call_artifact, {"recording", "mono", "combinedUrl"}),
                                string_at(call, "recordingUrl")});
    r.stereo_recording_url = first_of({string_at(artifact, "stereoRecordingUrl"),
                                       path_string(artifact, {"recording", "stereoUrl"}),
                                       string_at(&msg, "stereoRecordingUrl"),
                                       string_at(call_artifact, "stereoRecordingUrl"),
                                       path_string(call_artifact, {"recording", "stereoUrl"}),
                                       string_at(call, "stereoRecordingUrl")});

    const object* analysis = object_at(&msg, "analysis");
    if (!analysis) analysis = object_at(call, "analysis");
    if (analysis) r.analysis = *analysis;
    r.summary = first_of({string_at(analysis, "summary"), string_at(&msg, "summary"), string_at(call, "summary")});

    // Prefer artifact.messages; the 2024 capture had it empty and the top-level copy full.
    const array* conv = nullptr;
    bool any_list = false;
    for (const array* candidate : {array_at(artifact, "messages"), array_at(&msg, "messages"),
                                   array_at(call_artifact, "messages"), array_at(call, "messages")}) {
        if (!candidate) continue;
        any_list = true;
        if (!candidate->empty()) {
            conv = candidate;
            break;
        }
    }
    r.has_transcript = any_list;
    if (conv) r.transcript = segments_of(*conv);

    proto.body = std::move(r);
    out.events.push_back(std::move(proto));
    out.idempotency_key = "end-of-call-report:" + call_id;
}

}  // namespace

const object& message_of(const object& body) {
    if (auto const* m = body.if_contains("message")) {
        if (m->is_object()) return m->get_object();
        throw sdk::bad_payload("vapi: message is not an object");
    }
    if (body.contains("type")) return body;
    throw sdk::bad_payload("vapi: body has no message");
}

sdk::parsed_webhook parse_webhook(std::string_view text) {
    // The document lives in an arena (a stack buffer, then larger heap blocks) and is
    // freed at once: hundreds of small allocations fewer per webhook. What the events
    // keep is copied out with the default storage (assignments into default-made
    // members, or explicit copies such as arguments_of's).
    alignas(std::max_align_t) unsigned char buffer[16 * 1024];
    boost::json::monotonic_resource arena(buffer, sizeof buffer);
    boost::system::error_code ec;
    const value doc = boost::json::parse(text, ec, &arena);
    if (ec || !doc.is_object()) throw sdk::bad_payload("vapi: body is not a JSON object");
    const object& body = doc.get_object();
    const object& msg = message_of(body);

    auto const* type_v = msg.if_contains("type");
    if (!type_v || !type_v->is_string() || type_v->get_string().empty())
        throw sdk::bad_payload("vapi: message.type is missing or not a string");
    const std::string type(type_v->get_string());

    const object* call = nullptr;
    if (auto const* c = msg.if_contains("call"); c && !c->is_null()) {
        if (!c->is_object()) throw sdk::bad_payload("vapi: " + type + ": call is not an object");
        call = &c->get_object();
    }
    std::string call_id;
    if (auto const* id = call ? call->if_contains("id") : nullptr; id && !id->is_null()) {
        if (!id->is_string()) throw sdk::bad_payload("vapi: " + type + ": call.id is not a string");
        call_id = std::string(id->get_string());
    }
    if (call_id.empty() && is_call_scoped(type)) throw sdk::bad_payload("vapi: " + type + " without call.id");

    sdk::call_event proto;
    proto.provider_call_id = call_id;
    proto.type = type;
    proto.at = time_at(&msg, "timestamp");
    proto.facts = facts_of(msg, call, call_id);
    proto.body = sdk::unknown_event{};

    sdk::parsed_webhook out;
    if (type == "status-update") {
        status_update(msg, call, call_id, std::move(proto), out);
    } else if (type == "end-of-call-report") {
        end_of_call_report(msg, call, call_id, std::move(proto), out);
    } else if (type == "tool-calls") {
        tool_calls(msg, std::move(proto), out);
    } else if (type == "function-call") {
        function_call(msg, std::move(proto), out);
    } else if (type == "transcript" || type.substr(0, 11) == "transcript[") {
        transcript(msg, type == R"(transcript[transcriptType="final"])", std::move(proto), out);
    } else if (type == "assistant-request") {
        proto.body = sdk::assistant_requested{};
        out.events.push_back(std::move(proto));
        out.idempotency_key = "assistant-request:" + call_id;
    } else if (type == "transfer-destination-request") {
        transfer_request(msg, call_id, std::move(proto), out);
    } else if (type == "transfer-update") {
        transfer_update(msg, std::move(proto), out);
    } else if (type == "knowledge-base-request") {
        knowledge_request(msg, std::move(proto), out);
    } else {
        // conversation-update, speech-update, hang, user-interrupted, model-output,
        // voice-input, language-change-detected, phone-call-control, chat.*,
        // session.*, and whatever Vapi adds next: stored raw, answered {}.
        out.events.push_back(std::move(proto));
    }
    return out;
}

}  // namespace switchboard::plugins::vapi
