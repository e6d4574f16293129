#include "host/config/schema.hpp"

#include "host/config/values.hpp"

#include <algorithm>

namespace switchboard::config::detail {

void apply_env_overrides(config& c, const env_lookup& env, problem_list& out) {
    if (!env) return;
    auto get = [&](const char* name) -> std::optional<std::string> {
        auto value = env(name);
        if (value && value->empty()) return std::nullopt;  // `VAR= switchboard` means "not set"
        return value;
    };

    if (auto listen = get("SWITCHBOARD_LISTEN")) {
        if (auto hp = parse_host_port(*listen)) {
            c.server.host = hp->host;
            c.server.port = hp->port;
        } else {
            out.add_unlocated("SWITCHBOARD_LISTEN", "expected host:port, got \"" + *listen + "\"");
        }
    }

    if (auto db = get("SWITCHBOARD_DB")) {
        if (valid_database_url(*db)) c.database.url = *db;
        else out.add_unlocated("SWITCHBOARD_DB", database_url_reason);
    }

    if (auto key = get("SWITCHBOARD_ADMIN_KEY")) {
        const auto same = std::find_if(c.auth.keys.begin(), c.auth.keys.end(),
                                       [&](const api_key& k) { return k.key == *key; });
        if (same == c.auth.keys.end()) {
            c.auth.keys.push_back(api_key{"env:SWITCHBOARD_ADMIN_KEY", *key, ""});
        } else if (!same->org.empty()) {
            // One key cannot be both an org's key and an admin key.
            out.add_unlocated("SWITCHBOARD_ADMIN_KEY", "duplicate API key (also org \"" + same->org +
                                                           "\" key \"" + same->name + "\")");
        }
        // Already an admin key in the file: nothing to add.
    }
}

}  // namespace switchboard::config::detail
