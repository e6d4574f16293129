// Every store scenario is written once, as a function of a database URL, and
// registered twice: on a fresh SQLite file and on a fresh PostgreSQL database
// (the [pg] copy fails when SB_PG is unset; scripts/with-services.sh sets it).
#pragma once

#include "host/store/store.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <string>

namespace switchboard::store_test {

// A SQLite URL in a fresh temp folder; the file sits in a subfolder that does
// not exist yet, so every scenario also checks that the store creates it.
inline std::string sqlite_url(const testing::temp_dir& dir) {
    return "sqlite:" + (dir.path() / "data dir" / "switchboard.db").string();
}

// A call and an inbox entry with just the fields the pipeline always sets.
inline sdk::call make_call(const std::string& pcid) {
    sdk::call c;
    c.org = "acme";
    c.provider = "vapi";
    c.provider_call_id = pcid;
    return c;
}

inline store::inbox_entry make_entry(const std::string& key) {
    store::inbox_entry e;
    e.org = "acme";
    e.provider = "vapi";
    e.idempotency_key = key;
    e.event_type = "status-update";
    e.provider_call_id = "pc-" + key;
    e.body = R"({"key":")" + key + R"("})";
    return e;
}

// A connection of its own to the store's database, to look at the rows as stored.
inline void open_raw(soci::session& raw, const std::string& url) {
    auto db = store::parse_database_url(url);
    if (db.kind == store::backend::sqlite)
        raw.open(soci::sqlite3, db.connect);
    else
        raw.open(soci::postgresql, db.connect);
}

}  // namespace switchboard::store_test

#define SB_STORE_CONCAT2(a, b) a##b
#define SB_STORE_CONCAT(a, b) SB_STORE_CONCAT2(a, b)

// STORE_SCENARIO("what it checks", function taking const std::string& url)
#define STORE_SCENARIO(name, fn)                                                  \
    TEST_CASE("store: " name " (sqlite)", "[store][sqlite]") {                    \
        switchboard::testing::temp_dir SB_STORE_CONCAT(dir_, __LINE__);           \
        fn(switchboard::store_test::sqlite_url(SB_STORE_CONCAT(dir_, __LINE__))); \
    }                                                                             \
    TEST_CASE("store: " name " (pg)", "[store][pg]") { fn(switchboard::testing::fresh_pg_database()); }
