// What the REST handlers share: the store, the loaded plugins, the config. Owned by
// the application, which outlives every request.
#pragma once

#include <atomic>

namespace switchboard::config { struct config; }
namespace switchboard::store { class store; }
namespace switchboard::plugins { class registry; }
namespace switchboard::ops { class registry; }
namespace switchboard::calls { class pipeline; }
namespace switchboard::scripting { class engine; }
namespace switchboard::knowledge { class library; }

namespace switchboard::api {

struct api_context {
    const config::config& cfg;
    store::store& store;
    plugins::registry& plugins;
    ops::registry& metrics;
    calls::pipeline& pipeline;
    scripting::engine* scripts = nullptr;  // the orgs' Lua scripts (status in GET /orgs/{id})
    knowledge::library* knowledge = nullptr;  // the orgs' knowledge bases
    std::atomic<bool> draining{false};  // set on SIGTERM: readiness turns 503
};

}  // namespace switchboard::api
