#include "openai_session.hpp"

#include <switchboard/plugin_helpers.hpp>

#include <boost/json/array.hpp>

namespace switchboard::plugins::openai_realtime {

boost::json::object session_from_spec(const sdk::assistant_spec& spec, const boost::json::object* settings) {
    namespace json = boost::json;
    json::object s{{"type", "realtime"}};
    std::string model = spec.model;
    if (model.empty()) model = std::string(sdk::string_setting(settings, "model"));
    if (model.empty()) model = std::string(default_model);
    s["model"] = model;
    if (!spec.system_prompt.empty()) s["instructions"] = spec.system_prompt;
    std::string voice = spec.voice_id;
    if (voice.empty()) voice = std::string(sdk::string_setting(settings, "voice"));
    if (!voice.empty()) s["audio"] = json::object{{"output", json::object{{"voice", voice}}}};
    if (!spec.tools.empty()) {
        json::array tools;
        for (auto const& t : spec.tools) {
            json::object fn{{"type", "function"}, {"name", t.name}};
            if (!t.description.empty()) fn["description"] = t.description;
            fn["parameters"] = t.parameters.empty() ? json::object{{"type", "object"}, {"properties", json::object{}}}
                                                    : t.parameters;
            tools.push_back(std::move(fn));
        }
        s["tools"] = std::move(tools);
        s["tool_choice"] = "auto";
    }
    sdk::deep_merge(s, spec.provider_config);
    return s;
}

boost::json::object session_from_prompt(std::string_view prompt_id, const boost::json::object& overrides,
                                               const boost::json::object* settings) {
    namespace json = boost::json;
    std::string model(sdk::string_setting(settings, "model"));
    if (model.empty()) model = std::string(default_model);
    json::object prompt{{"id", prompt_id}};
    if (auto const* vars = overrides.if_contains("variables"); vars && vars->is_object()) prompt["variables"] = *vars;
    return {{"type", "realtime"}, {"model", model}, {"prompt", std::move(prompt)}};
}

boost::json::object session_from_raw(boost::json::object raw) {
    if (!raw.contains("type")) raw["type"] = "realtime";
    return raw;
}

std::vector<std::string> strip_sip_refused(boost::json::object& session) {
    std::vector<std::string> dropped;
    auto* audio = session.if_contains("audio");
    auto* input = audio && audio->is_object() ? audio->get_object().if_contains("input") : nullptr;
    auto* td = input && input->is_object() ? input->get_object().if_contains("turn_detection") : nullptr;
    if (!td || !td->is_object()) return dropped;
    for (auto key : {"threshold", "prefix_padding_ms", "silence_duration_ms"})
        if (td->get_object().erase(key)) dropped.push_back(std::string("audio.input.turn_detection.") + key);
    return dropped;
}

}  // namespace switchboard::plugins::openai_realtime
