#include "host/config/config.hpp"

#include "host/config/schema.hpp"
#include "host/config/yaml_reader.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace switchboard::config {

namespace {

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) {
        if (!out.empty()) out += '\n';
        out += l;
    }
    return out;
}

}  // namespace

const org_config* config::find_org(const std::string& id) const {
    for (const auto& o : orgs)
        if (o.id == id) return &o;
    return nullptr;
}

config_error::config_error(std::vector<std::string> problems)
    : std::runtime_error(join_lines(problems)), problems_(std::move(problems)) {}

env_lookup process_env() {
    return [](const std::string& name) -> std::optional<std::string> {
        if (const char* value = std::getenv(name.c_str())) return std::string(value);
        return std::nullopt;
    };
}

config load(const std::string& path, const env_lookup& env) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw config_error({path + ": cannot open: " + std::strerror(errno)});
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw config_error({path + ": cannot read: " + std::strerror(errno)});
    return parse(text.str(), path, env);
}

config parse(const std::string& yaml_text, const std::string& file_name, const env_lookup& env) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception& e) {
        // e.what() repeats the position; msg is the bare reason.
        const int line = e.mark.line >= 0 ? e.mark.line + 1 : 1;
        throw config_error({file_name + ":" + std::to_string(line) + ": " + e.msg});
    }

    // Relative plugin paths are relative to the config file, not to wherever the
    // operator happened to start the process.
    namespace fs = std::filesystem;
    const fs::path parent = fs::path(file_name).parent_path();
    const fs::path base_dir = parent.empty() ? fs::current_path() : fs::absolute(parent);

    config c;
    c.file = file_name;
    detail::problem_list problems(file_name);
    detail::reader reader(problems, env);
    detail::read_document(reader, root, base_dir, c);
    detail::apply_env_overrides(c, env, problems);
    if (!problems.empty()) throw config_error(problems.sorted());
    return c;
}

}  // namespace switchboard::config
