// The switchboard.yaml schema (schema.cpp) and the operator's environment
// overrides (overrides.cpp), both reporting into one problem list.
#pragma once

#include "host/config/config.hpp"
#include "host/config/yaml_reader.hpp"

#include <filesystem>

namespace switchboard::config::detail {

// Fills `out` from the document; relative plugin paths resolve against `base_dir`.
void read_document(reader& r, const YAML::Node& root, const std::filesystem::path& base_dir, config& out);

// SWITCHBOARD_LISTEN, SWITCHBOARD_DB, SWITCHBOARD_ADMIN_KEY (an empty value counts as unset).
void apply_env_overrides(config& c, const env_lookup& env, problem_list& out);

// Shared by the schema and SWITCHBOARD_DB.
bool valid_database_url(const std::string& url);
inline constexpr const char* database_url_reason =
    "expected sqlite:<path> or postgresql://user:password@host:port/db (or postgresql:<libpq keywords>)";

}  // namespace switchboard::config::detail
