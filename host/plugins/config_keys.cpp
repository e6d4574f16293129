#include "host/plugins/config_keys.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <set>

namespace switchboard::plugins {

declared_key to_declared_key(const sdk::config_key& key) {
    declared_key k;
    k.name = key.name ? key.name : "";
    k.type = key.type;
    k.required = key.required;
    if (key.default_json) k.default_json = key.default_json;
    k.description = key.description ? key.description : "";
    k.secret = key.secret;
    return k;
}

std::string_view to_string(sdk::config_type type) noexcept {
    switch (type) {
        case sdk::config_type::string: return "string";
        case sdk::config_type::integer: return "integer";
        case sdk::config_type::number: return "number";
        case sdk::config_type::boolean: return "boolean";
        case sdk::config_type::list: return "list";
        case sdk::config_type::object: return "object";
    }
    return "unknown";
}

namespace {

std::string_view json_kind_name(const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::null: return "null";
        case boost::json::kind::bool_: return "boolean";
        case boost::json::kind::int64:
        case boost::json::kind::uint64: return "integer";
        case boost::json::kind::double_: return "number";
        case boost::json::kind::string: return "string";
        case boost::json::kind::array: return "list";
        case boost::json::kind::object: return "object";
    }
    return "unknown";
}

bool has_type(const boost::json::value& v, sdk::config_type type) {
    switch (type) {
        case sdk::config_type::string: return v.is_string();
        case sdk::config_type::integer: return v.is_int64() || v.is_uint64();
        case sdk::config_type::number: return v.is_number();  // an integer is a number
        case sdk::config_type::boolean: return v.is_bool();
        case sdk::config_type::list: return v.is_array();
        case sdk::config_type::object: return v.is_object();
    }
    return false;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diag = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diag = up;
        }
    }
    return row[b.size()];
}

// The closest declared name, when it is close enough to be a typo.
const declared_key* closest(std::string_view name, const std::vector<declared_key>& keys) {
    const declared_key* best = nullptr;
    std::size_t best_d = 0;
    for (auto const& k : keys) {
        std::size_t d = edit_distance(name, k.name);
        if (!best || d < best_d) best = &k, best_d = d;
    }
    std::size_t limit = std::max<std::size_t>(1, std::min<std::size_t>(3, name.size() / 3));
    return best && best_d <= limit ? best : nullptr;
}

std::string problem(const config::plugin_section& s, std::string_view key, std::string_view reason) {
    int line = s.where.line;
    if (auto it = s.key_lines.find(std::string(key)); it != s.key_lines.end() && it->second > 0) line = it->second;
    std::string out;
    if (!s.where.file.empty()) {
        out += s.where.file;
        if (line > 0) out += ":" + std::to_string(line);
        out += ": ";
    }
    if (!s.where.path.empty()) {
        out += s.where.path;
        out += ".";
    }
    out += key;
    out += ": ";
    out += reason;
    return out;
}

}  // namespace

std::vector<std::string> validate_plugin_section(config::plugin_section& section,
                                                 const std::vector<declared_key>& keys,
                                                 std::string_view plugin, section_kind kind) {
    std::vector<std::string> problems;
    auto find = [&](std::string_view name) -> const declared_key* {
        for (auto const& k : keys)
            if (k.name == name) return &k;
        return nullptr;
    };

    // Report in file order where lines are known (object order otherwise).
    std::vector<std::pair<int, std::string>> found;
    for (auto const& [name, value] : section.values) {
        const declared_key* k = find(name);
        if (!k) {
            std::string reason = "unknown key";
            if (!plugin.empty()) reason += " for plugin '" + std::string(plugin) + "'";
            if (auto* near = closest(name, keys)) reason += " (did you mean '" + near->name + "'?)";
            found.emplace_back(0, problem(section, name, reason));
        } else if (!has_type(value, k->type)) {
            found.emplace_back(0, problem(section, name,
                                          "expected " + std::string(to_string(k->type)) + ", got " +
                                              std::string(json_kind_name(value))));
        } else {
            continue;
        }
        auto it = section.key_lines.find(std::string(name));
        found.back().first = it != section.key_lines.end() ? it->second : 0;
    }
    std::stable_sort(found.begin(), found.end(), [](auto const& a, auto const& b) { return a.first < b.first; });
    for (auto& f : found) problems.push_back(std::move(f.second));

    if (kind == section_kind::org) return problems;

    for (auto const& k : keys) {
        if (section.values.contains(k.name)) continue;
        if (k.required) {
            problems.push_back(problem(section, k.name, "missing required key (" + std::string(to_string(k.type)) + ")"));
        } else if (k.default_json) {
            boost::system::error_code ec;
            auto v = boost::json::parse(*k.default_json, ec);
            if (ec || !has_type(v, k.type))
                problems.push_back(problem(section, k.name, "the plugin's default is not a valid " +
                                                                std::string(to_string(k.type)) + ": " +
                                                                *k.default_json));
            else
                section.values[k.name] = std::move(v);
        }
    }
    return problems;
}

}  // namespace switchboard::plugins
