// Reading YAML nodes as typed values while collecting every problem (never stopping
// at the first): each problem names the file, the 1-based line and the key path.
#pragma once

#include "host/config/config.hpp"

#include <boost/json/value.hpp>
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::config::detail {

// Problems sorted into file order when the parse ends.
class problem_list {
public:
    explicit problem_list(std::string file) : file_(std::move(file)) {}
    void add(int line, const std::string& path, const std::string& reason);
    // No line (environment overrides): "<file>: <subject>: <reason>", listed after the file's problems.
    void add_unlocated(const std::string& subject, const std::string& reason);
    bool empty() const { return entries_.empty(); }
    std::vector<std::string> sorted() const;
    const std::string& file() const { return file_; }

private:
    struct entry {
        int line;
        std::string text;
    };
    std::string file_;
    std::vector<entry> entries_;
};

// A value plus what problems about it should say: the line of its key (or of the
// list element) and its key path.
struct node_ref {
    YAML::Node node;
    int line = 1;
    std::string path;
};

std::string child_path(const std::string& parent, std::string_view key);
std::string index_path(const std::string& parent, std::size_t index);
int line_of(const YAML::Node& node, int fallback);  // yaml-cpp marks are 0-based, -1 when unknown

using entry_list = std::vector<std::pair<std::string, node_ref>>;

class reader {
public:
    reader(problem_list& out, const env_lookup& env) : out_(out), env_(env) {}

    problem_list& problems() { return out_; }
    void problem(const node_ref& at, const std::string& reason) { out_.add(at.line, at.path, reason); }

    // Every key of a mapping in file order; a repeated key is a problem and skipped.
    // Null counts as an empty mapping when `null_is_empty`.
    std::optional<entry_list> entries(const node_ref& v, bool null_is_empty = true);
    // Like entries(), and keys outside `known` are problems (with a suggestion).
    std::optional<std::map<std::string, node_ref>> mapping(const node_ref& v,
                                                           std::initializer_list<std::string_view> known,
                                                           bool null_is_empty = true);
    // A required key missing from `m` is reported on the mapping's own line.
    const node_ref* require(const std::map<std::string, node_ref>& m, const node_ref& parent, const std::string& key);

    std::optional<std::vector<node_ref>> list(const node_ref& v);
    std::optional<std::string> string(const node_ref& v);  // interpolated
    std::optional<std::int64_t> integer(const node_ref& v, std::int64_t min, std::int64_t max);
    std::optional<bool> boolean(const node_ref& v);
    // Free-form YAML as JSON: plain scalars typed (int, double, bool, null), quoted ones strings.
    std::optional<boost::json::value> json(const node_ref& v);
    // A free-form mapping; `key_lines` receives the line of each top-level key.
    std::optional<boost::json::object> json_object(const node_ref& v, std::map<std::string, int>* key_lines = nullptr);

    // Interpolated scalar text, or nullopt (problems already reported).
    std::optional<std::string> scalar_text(const node_ref& v, bool* substituted = nullptr);

private:
    problem_list& out_;
    const env_lookup& env_;
};

}  // namespace switchboard::config::detail
