#include "host/calls/assistant_spec.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <iterator>

namespace switchboard::calls {
namespace json = boost::json;
namespace {

// One table for reading, writing and showing the text fields.
struct text_field {
    const char* name;
    std::string sdk::assistant_spec::*member;
};
constexpr text_field text_fields[] = {
    {"name", &sdk::assistant_spec::name},
    {"first_message", &sdk::assistant_spec::first_message},
    {"system_prompt", &sdk::assistant_spec::system_prompt},
    {"model", &sdk::assistant_spec::model},
    {"model_provider", &sdk::assistant_spec::model_provider},
    {"voice_id", &sdk::assistant_spec::voice_id},
    {"voice_provider", &sdk::assistant_spec::voice_provider},
};
struct object_field {
    const char* name;
    json::object sdk::assistant_spec::*member;
};
constexpr object_field object_fields[] = {
    {"metadata", &sdk::assistant_spec::metadata},
    {"provider_config", &sdk::assistant_spec::provider_config},
};

std::string known_fields() {
    std::string out;
    for (auto const& f : text_fields) out += std::string(out.empty() ? "" : ", ") + f.name;
    for (auto const& f : object_fields) out += std::string(", ") + f.name;
    return out + ", tools";
}

std::vector<sdk::tool_spec> read_tools(const json::value& v, const std::string& field, const tool_lookup* tools) {
    if (!tools) throw spec_error(field + ": not accepted here");
    if (!v.is_array()) throw spec_error(field + ": expected an array of function names");
    std::vector<sdk::tool_spec> out;
    for (auto const& item : v.get_array()) {
        if (!item.is_string()) throw spec_error(field + ": expected an array of function names");
        auto spec = (*tools)(item.get_string());
        if (!spec) throw spec_error(field + ": no loaded tool plugin offers '" + std::string(item.get_string()) + "'");
        out.push_back(std::move(*spec));
    }
    return out;
}

}  // namespace

sdk::assistant_spec read_assistant_spec(const json::object& body, std::string_view where,
                                        std::initializer_list<std::string_view> skip, const tool_lookup* tools) {
    sdk::assistant_spec spec;
    for (auto const& kv : body) {
        const std::string_view key = kv.key();
        if (std::find(skip.begin(), skip.end(), key) != skip.end()) continue;
        const std::string field = std::string(where) + std::string(key);
        auto text = std::find_if(std::begin(text_fields), std::end(text_fields),
                                 [&](auto const& f) { return key == f.name; });
        if (text != std::end(text_fields)) {
            if (kv.value().is_null()) continue;
            if (!kv.value().is_string()) throw spec_error(field + ": expected a string");
            spec.*(text->member) = std::string(kv.value().get_string());
            continue;
        }
        auto obj = std::find_if(std::begin(object_fields), std::end(object_fields),
                                [&](auto const& f) { return key == f.name; });
        if (obj != std::end(object_fields)) {
            if (kv.value().is_null()) continue;
            if (!kv.value().is_object()) throw spec_error(field + ": expected a JSON object");
            spec.*(obj->member) = kv.value().get_object();
            continue;
        }
        if (key == "tools") {
            if (kv.value().is_null()) continue;
            spec.tools = read_tools(kv.value(), field, tools);
            continue;
        }
        throw spec_error(field + ": unknown field (expected " + known_fields() + ")");
    }
    return spec;
}

json::object spec_json(const sdk::assistant_spec& spec) {
    json::object out;
    for (auto const& f : text_fields)
        if (!(spec.*(f.member)).empty()) out[f.name] = spec.*(f.member);
    for (auto const& f : object_fields)
        if (!(spec.*(f.member)).empty()) out[f.name] = spec.*(f.member);
    if (!spec.tools.empty()) {
        json::array names;
        for (auto const& t : spec.tools) names.push_back(json::string(t.name));
        out["tools"] = std::move(names);
    }
    return out;
}

json::object spec_view(const json::object& stored) {
    json::object out;
    for (auto const& f : text_fields) {
        auto const* v = stored.if_contains(f.name);
        out[f.name] = v && v->is_string() ? *v : json::value("");
    }
    for (auto const& f : object_fields) {
        auto const* v = stored.if_contains(f.name);
        out[f.name] = v && v->is_object() ? *v : json::object{};
    }
    auto const* tools = stored.if_contains("tools");
    out["tools"] = tools && tools->is_array() ? *tools : json::array{};
    return out;
}

}  // namespace switchboard::calls
