#include "vapi_answers.hpp"

#include "vapi_rest.hpp"

#include <boost/json/serialize.hpp>

namespace switchboard::plugins::vapi {

namespace {

using boost::json::object;

object assistant_answer(const sdk::assistant_choice& a) {
    if (!a.error.empty()) return {{"error", a.error}};  // Vapi speaks it and ends the call
    object out;
    if (!a.assistant_id.empty()) {
        out["assistantId"] = a.assistant_id;
    } else if (!a.assistant.empty()) {
        object assistant = a.assistant;
        if (!assistant.contains("serverMessages")) assistant["serverMessages"] = default_server_messages();
        out["assistant"] = std::move(assistant);
    } else if (a.spec) {
        object assistant = assistant_body(*a.spec);
        if (!assistant.contains("serverMessages")) assistant["serverMessages"] = default_server_messages();
        out["assistant"] = std::move(assistant);
    } else {
        // A choice naming nothing would end the call as "no-assistant" with Vapi's own
        // words; say something the caller can understand instead.
        return {{"error", "Sorry, no assistant is available to take this call."}};
    }
    if (!a.overrides.empty()) out["assistantOverrides"] = a.overrides;
    return out;
}

object transfer_answer(const sdk::transfer_destination& t) {
    if (!t.error.empty()) return {{"error", t.error}};
    object dest;
    if (t.type == "sip") {
        dest["type"] = "sip";
        dest["sipUri"] = t.sip_uri;
    } else {
        dest["type"] = "number";
        dest["number"] = t.number;
    }
    if (!t.message.empty()) dest["message"] = t.message;
    return {{"destination", std::move(dest)}};
}

}  // namespace

boost::json::array default_server_messages() {
    return {"status-update",
            "end-of-call-report",
            "tool-calls",
            "function-call",
            "transfer-destination-request",
            "transfer-update",
            "knowledge-base-request",
            R"(transcript[transcriptType="final"])",
            "hang",
            "user-interrupted"};
}

std::string one_line(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') continue;  // \r\n: one space
        out.push_back(text[i] == '\n' || text[i] == '\r' ? ' ' : text[i]);
    }
    return out;
}

sdk::webhook_response render_answer(std::string_view request_type, const sdk::webhook_answer& answer) {
    object out;
    if (answer.assistant)
        for (auto& kv : assistant_answer(*answer.assistant)) out[kv.key()] = kv.value();

    if (!answer.tool_results.empty()) {
        if (request_type == "function-call") {
            // Legacy functions take one string result.
            out["result"] = one_line(answer.tool_results.front().result);
        } else {
            // A failed tool still answers `result` (the fallback line the host chose):
            // Vapi drops non-200 answers and its handling of `error` leaves the
            // assistant silent, while `result` is always spoken from.
            boost::json::array results;
            for (auto const& t : answer.tool_results)
                results.push_back(object{{"name", t.name}, {"toolCallId", t.tool_call_id}, {"result", one_line(t.result)}});
            out["results"] = std::move(results);
        }
    }

    if (answer.transfer)
        for (auto& kv : transfer_answer(*answer.transfer)) out[kv.key()] = kv.value();

    if (answer.documents) {
        boost::json::array docs;
        for (auto const& d : *answer.documents) {
            object doc{{"content", d.content}, {"similarity", d.similarity}};
            if (!d.id.empty()) doc["uuid"] = d.id;
            docs.push_back(std::move(doc));
        }
        out["documents"] = std::move(docs);
    }
    // Nothing to answer: Vapi ignores the body of informational messages; {} is what it expects.
    return {200, "application/json", boost::json::serialize(out)};
}

}  // namespace switchboard::plugins::vapi
