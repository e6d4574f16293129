// The knowledge_search plugin: descriptor, config keys (docs/plugin-keys.md) and export.
#include "knowledge_search_tool.hpp"

#include <switchboard/plugin.hpp>

#include <memory>

namespace {

using switchboard::sdk::config_key;
using switchboard::sdk::config_type;

constexpr config_key keys[] = {
    {"top_k", config_type::integer, false, "3", "passages asked of the knowledge base per query", false},
    {"max_chars", config_type::integer, false, "600", "longest answer line (whole sentences)", false},
    {"min_score", config_type::number, false, "0", "absolute BM25 floor of a passage", false},
    {"relative_floor", config_type::number, false, "0.35",
     "passages scoring under this fraction of the best one are left out", false},
    {"no_answer", config_type::string, false, R"("I couldn't find anything about that in our information.")",
     "said when nothing relevant is found", false},
    {"unavailable", config_type::string, false, R"("I can't look that up right now.")",
     "result when the knowledge base cannot be searched (no knowledge base, index error, no host); "
     "the host logs it and says the org's answers.fallback_result",
     false},
};

std::unique_ptr<switchboard::sdk::tool> make(const switchboard::sdk::plugin_context& ctx) {
    return std::make_unique<switchboard::plugins::knowledge_search::knowledge_search_tool>(ctx.config, ctx.host);
}

const switchboard::sdk::plugin_descriptor descriptor{
    switchboard::sdk::plugin_kind::tool,
    "knowledge_search",
    "0.1.0",
    "search_knowledge_base: the org's knowledge base (host-side Xapian index) as one spoken line",
    keys,
    std::size(keys),
    nullptr,
    &make,
};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
