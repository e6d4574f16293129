#include "vapi_rest.hpp"

#include "vapi_answers.hpp"
#include "vapi_json.hpp"
#include "vapi_status.hpp"

#include <switchboard/plugin_helpers.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>

namespace switchboard::plugins::vapi {

namespace json = boost::json;

namespace {

// Vapi's model providers for the common model families; anything else is "openai",
// and Vapi's 400 (shown to the client as a 422) says when that is wrong.
std::string model_provider_for(std::string_view model) {
    auto starts = [&](std::string_view p) { return model.substr(0, p.size()) == p; };
    if (starts("claude")) return "anthropic";
    if (starts("gemini")) return "google";
    return "openai";
}


std::string quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

}  // namespace

json::object assistant_body(const sdk::assistant_spec& spec) {
    json::object out;
    if (!spec.name.empty()) out["name"] = spec.name;
    if (!spec.first_message.empty()) out["firstMessage"] = spec.first_message;
    if (!spec.model.empty() || !spec.system_prompt.empty() || !spec.model_provider.empty()) {
        // A prompt needs a model object to live in; gpt-4o is Vapi's own default.
        const std::string model = spec.model.empty() ? "gpt-4o" : spec.model;
        json::object m{{"provider", spec.model_provider.empty() ? model_provider_for(model) : spec.model_provider},
                       {"model", model}};
        if (!spec.system_prompt.empty())
            m["messages"] = json::array{json::object{{"role", "system"}, {"content", spec.system_prompt}}};
        out["model"] = std::move(m);
    }
    if (!spec.tools.empty()) {
        // Function tools without a server of their own: Vapi sends their calls to the
        // assistant's (or the phone number's) server URL, which is this host.
        json::array tools;
        for (auto const& t : spec.tools) {
            json::object fn{{"name", t.name}};
            if (!t.description.empty()) fn["description"] = t.description;
            fn["parameters"] = t.parameters.empty() ? json::object{{"type", "object"}, {"properties", json::object{}}}
                                                    : t.parameters;
            tools.push_back(json::object{{"type", "function"}, {"function", std::move(fn)}});
        }
        auto& model = out["model"];
        if (!model.is_object()) model = json::object{{"provider", "openai"}, {"model", "gpt-4o"}};
        model.as_object()["tools"] = std::move(tools);
    }
    if (!spec.voice_id.empty())
        out["voice"] = json::object{{"provider", spec.voice_provider.empty() ? "11labs" : spec.voice_provider},
                                    {"voiceId", spec.voice_id}};
    if (!spec.metadata.empty()) out["metadata"] = spec.metadata;
    sdk::deep_merge(out, spec.provider_config);
    return out;
}

json::object call_body(const sdk::outbound_call_request& r, std::string_view phone_number_id) {
    json::object customer{{"number", r.to_number}};
    if (!r.customer_name.empty()) customer["name"] = r.customer_name;
    json::object out{{"phoneNumberId", phone_number_id}, {"customer", std::move(customer)}};
    if (!r.assistant_id.empty()) {
        out["assistantId"] = r.assistant_id;
    } else if (r.assistant) {
        auto a = assistant_body(*r.assistant);
        // A transient assistant without serverMessages may never send its report.
        if (!a.contains("serverMessages")) a["serverMessages"] = default_server_messages();
        out["assistant"] = std::move(a);
    }
    json::object overrides;
    if (!r.variables.empty()) overrides["variableValues"] = r.variables;
    if (!r.metadata.empty()) overrides["metadata"] = r.metadata;
    if (!overrides.empty()) out["assistantOverrides"] = std::move(overrides);
    if (!r.name.empty()) out["name"] = r.name;
    return out;
}

std::string error_message(std::string_view body) {
    boost::system::error_code ec;
    auto v = json::parse(body, ec);
    if (ec || !v.is_object()) return {};
    auto const& o = v.get_object();
    if (auto const* m = o.if_contains("message")) {
        if (m->is_string()) return std::string(m->get_string());
        if (m->is_array()) {
            std::string out;
            for (auto const& item : m->get_array()) {
                if (!item.is_string()) continue;
                if (!out.empty()) out += "; ";
                out += item.get_string();
            }
            if (!out.empty()) return out;
        }
    }
    if (auto const* e = o.if_contains("error"); e && e->is_string()) return std::string(e->get_string());
    return {};
}

sdk::provider_api_error error_for(const sdk::http_response& r, std::string_view what) {
    const std::string thing(what);
    if (r.status == 0) {
        if (r.error.find("timed out") != std::string::npos)
            return {504, "vapi did not answer in time (" + thing + "): " + r.error};
        return {502, "vapi is unreachable (" + thing + "): " + r.error};
    }
    std::string said = error_message(r.body);
    auto with = [&](std::string head) { return said.empty() ? head : head + ": " + said; };
    const std::string code = std::to_string(r.status);
    // The key itself is never quoted, and neither is Vapi's text, which may hint at it.
    if (r.status == 401 || r.status == 403) return {502, "vapi rejected the API key (" + code + ")"};
    if (r.status == 404) return {404, with("vapi has no " + thing)};
    if (r.status == 409) return {409, with("vapi refused to change " + thing + " (409)")};
    if (r.status == 408 || r.status == 429) return {502, with("vapi is busy (" + code + ") for " + thing)};
    if (r.status >= 400 && r.status < 500) return {422, with("vapi refused " + thing + " (" + code + ")")};
    return {502, with("vapi failed on " + thing + " (" + code + ")")};
}

vapi_rest::vapi_rest(sdk::host_services& host, const sdk::org_context& org)
    : host_(host), settings_(org.settings), org_(org.org) {
    api_key_ = std::string(sdk::string_setting(settings_, "api_key"));
    if (api_key_.empty())
        throw sdk::provider_api_error(
            422, "vapi: org '" + org_ + "' has no API key: set orgs[].plugins.vapi.api_key for it (or "
                 "plugins.load[].config.api_key for every org)");
    base_url_ = std::string(sdk::string_setting(settings_, "base_url"));
    if (base_url_.empty()) base_url_ = "https://api.vapi.ai";
    while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
}

std::string vapi_rest::default_phone_number_id() const {
    if (auto id = sdk::string_setting(settings_, "outbound_phone_number_id"); !id.empty()) return std::string(id);
    if (auto const* ids = array_at(settings_, "phone_number_ids"); ids && !ids->empty() && ids->front().is_string())
        return std::string(ids->front().get_string());
    throw sdk::provider_api_error(422, "phone_number_id: org '" + org_ +
                                           "' has no number to call from: pass phone_number_id, or set "
                                           "orgs[].plugins.vapi.outbound_phone_number_id");
}

json::value vapi_rest::exchange(std::string method, const std::string& path, const json::object* body,
                                std::string_view what) {
    sdk::http_request req;
    req.method = std::move(method);
    req.url = base_url_ + path;
    req.headers = {{"Authorization", "Bearer " + api_key_}, {"Accept", "application/json"}};
    if (body) {
        req.headers.emplace_back("Content-Type", "application/json");
        req.body = json::serialize(*body);
    }
    auto res = host_.http(req);
    if (res.status < 200 || res.status > 299) {
        auto err = error_for(res, what);
        // Status only at warn: Vapi's validation text may quote the phone number.
        host_.log(sdk::log_level::warn, "org " + org_ + ": " + req.method + " " + path.substr(0, path.find('?')) +
                                            " -> " + (res.status ? std::to_string(res.status) : "no answer") +
                                            ", answering " + std::to_string(err.status()));
        host_.log(sdk::log_level::debug, "org " + org_ + ": " + err.what());
        throw err;
    }
    if (res.body.empty()) return nullptr;
    boost::system::error_code ec;
    auto v = json::parse(res.body, ec);
    if (ec) throw sdk::provider_api_error(502, "vapi answered " + std::string(what) + " with a body that is not JSON");
    return v;
}

namespace {

sdk::remote_assistant to_assistant(json::value v, std::string_view what) {
    if (!v.is_object() || string_at(&v.get_object(), "id").empty())
        throw sdk::provider_api_error(502, "vapi answered " + std::string(what) + " without an assistant id");
    sdk::remote_assistant out;
    out.id = std::string(string_at(&v.get_object(), "id"));
    out.raw = std::move(v.get_object());
    return out;
}

json::array to_array(json::value v, std::string_view what) {
    if (!v.is_array()) throw sdk::provider_api_error(502, "vapi answered " + std::string(what) + " without a list");
    return std::move(v.get_array());
}

}  // namespace

sdk::remote_assistant vapi_rest::create_assistant(const sdk::assistant_spec& spec) {
    auto body = assistant_body(spec);
    return to_assistant(exchange("POST", "/assistant", &body, "the new assistant"), "the new assistant");
}

sdk::remote_assistant vapi_rest::get_assistant(std::string_view id) {
    const auto what = "assistant " + quoted(id);
    return to_assistant(exchange("GET", "/assistant/" + sdk::url_path_segment(id), nullptr, what), what);
}

sdk::remote_assistant vapi_rest::update_assistant(std::string_view id, const sdk::assistant_spec& spec) {
    const auto what = "assistant " + quoted(id);
    auto body = assistant_body(spec);
    return to_assistant(exchange("PATCH", "/assistant/" + sdk::url_path_segment(id), &body, what), what);
}

void vapi_rest::delete_assistant(std::string_view id) {
    exchange("DELETE", "/assistant/" + sdk::url_path_segment(id), nullptr, "assistant " + quoted(id));
}

json::array vapi_rest::list_assistants(int limit) {
    return to_array(exchange("GET", "/assistant?limit=" + std::to_string(std::clamp(limit, 1, 1000)), nullptr,
                             "the assistant list"),
                    "the assistant list");
}

sdk::placed_call vapi_rest::place_call(const sdk::outbound_call_request& request) {
    if (request.assistant_id.empty() == (request.assistant == nullptr))
        throw sdk::provider_api_error(422, "assistant: give exactly one of assistant_id or an inline assistant");
    const std::string number = request.phone_number_id.empty() ? default_phone_number_id() : request.phone_number_id;
    auto body = call_body(request, number);
    auto v = exchange("POST", "/call", &body, "the outbound call");
    if (!v.is_object() || string_at(&v.get_object(), "id").empty())
        throw sdk::provider_api_error(502, "vapi answered the outbound call without a call id");
    auto& o = v.get_object();
    sdk::placed_call out;
    out.provider_call_id = std::string(string_at(&o, "id"));
    out.status = status_for_vapi_status(string_at(&o, "status")).value_or(sdk::call_status::queued);
    out.phone_number_id = string_at(&o, "phoneNumberId").empty() ? number : std::string(string_at(&o, "phoneNumberId"));
    out.raw = std::move(o);
    return out;
}

json::object vapi_rest::get_call(std::string_view id) {
    const auto what = "call " + quoted(id);
    auto v = exchange("GET", "/call/" + sdk::url_path_segment(id), nullptr, what);
    if (!v.is_object()) throw sdk::provider_api_error(502, "vapi answered " + what + " without a call object");
    return std::move(v.get_object());
}

json::array vapi_rest::list_calls(const sdk::call_query& query) {
    std::string path = "/call?limit=" + std::to_string(std::clamp(query.limit, 1, 1000));
    if (!query.assistant_id.empty()) path += "&assistantId=" + sdk::url_path_segment(query.assistant_id);
    return to_array(exchange("GET", path, nullptr, "the call list"), "the call list");
}

}  // namespace switchboard::plugins::vapi
