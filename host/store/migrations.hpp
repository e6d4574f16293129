// The versioned schema: an ordered list of migrations, each applied once, in its own
// transaction, and recorded in schema_migrations. Never edit a released migration:
// append a new one (see docs/storage.md).
#pragma once

#include "host/store/store.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::store {

struct migration {
    int version;             // 1, 2, 3 ... with no gaps
    std::string_view name;   // recorded next to the version
    // One SQL statement per entry (SQLite prepares only the first statement of a
    // string). Written once for both backends; see render_sql for the few words
    // that differ.
    std::vector<std::string_view> statements;
};

const std::vector<migration>& migrations();

// Replaces the backend-dependent words in a migration statement:
//   {real}  -> REAL (SQLite) / DOUBLE PRECISION (PostgreSQL: REAL there is 4 bytes)
//   {serial} -> INTEGER PRIMARY KEY AUTOINCREMENT (SQLite) / BIGSERIAL PRIMARY KEY (PostgreSQL)
std::string render_sql(std::string_view sql, backend kind);

}  // namespace switchboard::store
