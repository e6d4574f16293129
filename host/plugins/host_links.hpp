// What the host's own parts lend every plugin through host_services, set once by the
// application before it serves (plugins are loaded before those parts exist).
#pragma once

#include <switchboard/host_services.hpp>

#include <functional>
#include <string_view>

namespace switchboard::plugins {

struct host_links {
    // Empty: the host offers no knowledge base (plugins get "not available").
    std::function<sdk::knowledge_answer(std::string_view org, const sdk::knowledge_query& query)> knowledge;
};

}  // namespace switchboard::plugins
