#include "host/config/yaml_reader.hpp"

#include "host/config/interpolate.hpp"
#include "host/config/values.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/string.hpp>

#include <algorithm>
#include <climits>
#include <limits>
#include <unordered_map>

namespace switchboard::config::detail {

void problem_list::add(int line, const std::string& path, const std::string& reason) {
    std::string text = file_ + ":" + std::to_string(line) + ": ";
    text += path.empty() ? "(top level)" : path;
    text += ": " + reason;
    entries_.push_back({line, std::move(text)});
}

void problem_list::add_unlocated(const std::string& subject, const std::string& reason) {
    entries_.push_back({INT_MAX, file_ + ": " + subject + ": " + reason});
}

std::vector<std::string> problem_list::sorted() const {
    auto copy = entries_;
    // Stable: problems on one line keep the order the walk found them in.
    std::stable_sort(copy.begin(), copy.end(), [](const entry& a, const entry& b) { return a.line < b.line; });
    std::vector<std::string> out;
    out.reserve(copy.size());
    for (auto& e : copy) out.push_back(std::move(e.text));
    return out;
}

std::string child_path(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string index_path(const std::string& parent, std::size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

int line_of(const YAML::Node& node, int fallback) {
    if (!node.IsDefined()) return fallback;
    const int line = node.Mark().line;
    return line >= 0 ? line + 1 : fallback;
}

std::optional<entry_list> reader::entries(const node_ref& v, bool null_is_empty) {
    if (null_is_empty && (!v.node.IsDefined() || v.node.IsNull())) return entry_list{};
    if (!v.node.IsMap()) {
        problem(v, "expected a mapping");
        return std::nullopt;
    }
    entry_list out;
    std::unordered_map<std::string, int> first_line;
    // yaml-cpp keeps every pair of a mapping but node[key] answers the first one, so a
    // repeated key would be silently ignored: walk the pairs ourselves.
    for (const auto& pair : v.node) {  // by value: yaml-cpp's it->first is a dangling proxy
        const YAML::Node key = pair.first;
        const int key_line = line_of(key, v.line);
        if (!key.IsScalar()) {
            out_.add(key_line, v.path, "expected a scalar key");
            continue;
        }
        const std::string name = key.Scalar();
        const auto [seen, inserted] = first_line.emplace(name, key_line);
        if (!inserted) {
            out_.add(key_line, child_path(v.path, name),
                     "duplicate key (first at line " + std::to_string(seen->second) + ")");
            continue;
        }
        out.emplace_back(name, node_ref{pair.second, key_line, child_path(v.path, name)});
    }
    return out;
}

std::optional<std::map<std::string, node_ref>> reader::mapping(const node_ref& v,
                                                               std::initializer_list<std::string_view> known,
                                                               bool null_is_empty) {
    auto all = entries(v, null_is_empty);
    if (!all) return std::nullopt;
    std::map<std::string, node_ref> out;
    for (auto& [name, ref] : *all) {
        if (std::find(known.begin(), known.end(), name) != known.end()) {
            out.emplace(name, std::move(ref));
            continue;
        }
        std::string reason = "unknown key";
        std::string_view best;
        std::size_t best_distance = std::numeric_limits<std::size_t>::max();
        for (auto candidate : known) {
            const auto d = edit_distance(name, candidate);
            if (d < best_distance) best_distance = d, best = candidate;
        }
        // Close enough to be a typo, not so loose that short keys match everything.
        if (!best.empty() && best_distance <= 2 && best_distance <= std::max<std::size_t>(1, name.size() / 3))
            reason += " (did you mean \"" + std::string(best) + "\"?)";
        problem(ref, reason);
    }
    return out;
}

const node_ref* reader::require(const std::map<std::string, node_ref>& m, const node_ref& parent,
                                const std::string& key) {
    const auto it = m.find(key);
    if (it != m.end()) return &it->second;
    out_.add(line_of(parent.node, parent.line), child_path(parent.path, key), "missing required key");
    return nullptr;
}

std::optional<std::vector<node_ref>> reader::list(const node_ref& v) {
    if (!v.node.IsSequence()) {
        problem(v, "expected a list");
        return std::nullopt;
    }
    std::vector<node_ref> out;
    std::size_t i = 0;
    for (const auto& element : v.node) {
        out.push_back(node_ref{element, line_of(element, v.line), index_path(v.path, i)});
        ++i;
    }
    return out;
}

std::optional<std::string> reader::scalar_text(const node_ref& v, bool* substituted) {
    auto result = interpolate(v.node.Scalar(), env_);
    for (const auto& e : result.errors) problem(v, e);
    if (!result.errors.empty()) return std::nullopt;
    if (substituted) *substituted = result.substituted;
    return std::move(result.text);
}

std::optional<std::string> reader::string(const node_ref& v) {
    if (!v.node.IsScalar()) {
        problem(v, "expected a string");
        return std::nullopt;
    }
    return scalar_text(v);
}

std::optional<std::int64_t> reader::integer(const node_ref& v, std::int64_t min, std::int64_t max) {
    if (!v.node.IsScalar()) {
        problem(v, "expected an integer");
        return std::nullopt;
    }
    const auto text = scalar_text(v);
    if (!text) return std::nullopt;
    const auto value = parse_integer(*text);
    if (!value) {
        problem(v, "expected an integer, got \"" + *text + "\"");
        return std::nullopt;
    }
    if (*value < min || *value > max) {
        problem(v, "must be between " + std::to_string(min) + " and " + std::to_string(max) + ", got " +
                       std::to_string(*value));
        return std::nullopt;
    }
    return value;
}

std::optional<bool> reader::boolean(const node_ref& v) {
    if (!v.node.IsScalar()) {
        problem(v, "expected a boolean");
        return std::nullopt;
    }
    const auto text = scalar_text(v);
    if (!text) return std::nullopt;
    if (*text == "true" || *text == "True" || *text == "TRUE") return true;
    if (*text == "false" || *text == "False" || *text == "FALSE") return false;
    problem(v, "expected a boolean, got \"" + *text + "\"");
    return std::nullopt;
}

std::optional<boost::json::value> reader::json(const node_ref& v) {
    if (!v.node.IsDefined() || v.node.IsNull()) return boost::json::value(nullptr);
    if (v.node.IsScalar()) {
        bool substituted = false;
        auto text = scalar_text(v, &substituted);
        if (!text) return std::nullopt;
        const std::string& tag = v.node.Tag();
        // yaml-cpp 0.7 tags quoted and block scalars "!" and plain ones "?".
        if (tag == "!" || tag == "tag:yaml.org,2002:str") return boost::json::value(*text);
        // "${X:-}" that came out empty is an empty string, not YAML's empty-means-null.
        if (substituted && text->empty()) return boost::json::value("");
        return type_plain_scalar(*text);
    }
    if (v.node.IsSequence()) {
        auto elements = list(v);
        if (!elements) return std::nullopt;
        boost::json::array out;
        bool ok = true;
        for (const auto& e : *elements) {
            if (auto j = json(e)) out.push_back(std::move(*j));
            else ok = false;
        }
        if (!ok) return std::nullopt;
        return boost::json::value(std::move(out));
    }
    auto object = json_object(v);
    if (!object) return std::nullopt;
    return boost::json::value(std::move(*object));
}

std::optional<boost::json::object> reader::json_object(const node_ref& v, std::map<std::string, int>* key_lines) {
    auto all = entries(v);
    if (!all) return std::nullopt;
    boost::json::object out;
    bool ok = true;
    for (const auto& [name, ref] : *all) {
        if (key_lines) (*key_lines)[name] = ref.line;
        if (auto j = json(ref)) out[name] = std::move(*j);
        else ok = false;
    }
    if (!ok) return std::nullopt;
    return out;
}

}  // namespace switchboard::config::detail
