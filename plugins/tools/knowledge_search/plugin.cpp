// The knowledge_search plugin: descriptor, config keys (docs/plugin-keys.md) and export.
#include "knowledge_search_tool.hpp"

#include <switchboard/plugin.hpp>

#include <memory>

namespace {

using switchboard::sdk::config_key;
using switchboard::sdk::config_type;

constexpr config_key keys[] = {
    {"index_dir", config_type::string, false, R"("var/kb")", "where the per-org search indexes live", false},
    {"top_k", config_type::integer, false, "3", "passages returned per query", false},
    {"max_chars", config_type::integer, false, "600", "longest answer line", false},
};

std::unique_ptr<switchboard::sdk::tool> make(const switchboard::sdk::plugin_context& ctx) {
    return std::make_unique<switchboard::plugins::knowledge_search::knowledge_search_tool>(ctx.config);
}

const switchboard::sdk::plugin_descriptor descriptor{
    switchboard::sdk::plugin_kind::tool,
    "knowledge_search",
    "0.1.0",
    "search_knowledge_base for assistants (spec final; search pending)",
    keys,
    std::size(keys),
    nullptr,
    &make,
};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
