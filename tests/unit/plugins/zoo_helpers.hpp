// Paths of the test plugins (build/zoo) and the shipped ones (build/plugins).
#pragma once

#include "host/config/config.hpp"

#include <filesystem>
#include <string>

namespace switchboard::testing {

inline std::string zoo(const std::string& stem) {
    return (std::filesystem::path(SB_ZOO_DIR) / (stem + ".so")).lexically_normal().string();
}

inline std::string shipped(const std::string& name) {
    return (std::filesystem::path(SB_PLUGIN_DIR) / (name + ".so")).lexically_normal().string();
}

inline config::plugin_entry entry(std::string name, std::string file = {}, bool required = false) {
    config::plugin_entry e;
    e.name = std::move(name);
    e.file = std::move(file);
    e.required = required;
    return e;
}

}  // namespace switchboard::testing
