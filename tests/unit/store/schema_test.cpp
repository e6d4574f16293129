#include "store_scenario.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <thread>

using namespace switchboard;

namespace {

void migrate_is_idempotent(const std::string& url) {
    const int latest = store::store::latest_schema_version();
    REQUIRE(latest >= 1);
    {
        store::store s(url, 2);
        CHECK(s.ping());
        CHECK(s.schema_version() == 0);
        CHECK(s.migrate() == latest);
        CHECK(s.schema_version() == latest);
        CHECK(s.migrate() == 0);
        CHECK(s.schema_version() == latest);
    }
    store::store again(url, 1);  // a restart
    CHECK(again.migrate() == 0);
    CHECK(again.schema_version() == latest);
}
STORE_SCENARIO("migrate twice is idempotent", migrate_is_idempotent)

void concurrent_migrations(const std::string& url) {
    // Two processes starting together: each migration must run exactly once.
    store::store a(url, 1), b(url, 1);
    std::atomic<int> ran{0};
    std::thread t1([&] { ran += a.migrate(); });
    std::thread t2([&] { ran += b.migrate(); });
    t1.join();
    t2.join();
    CHECK(ran == store::store::latest_schema_version());
    CHECK(a.schema_version() == store::store::latest_schema_version());
}
STORE_SCENARIO("concurrent migrate runs each migration once", concurrent_migrations)

void backend_settings(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    if (s.kind() == store::backend::sqlite) {
        // WAL is a property of the file: a separate connection sees it.
        soci::session raw(soci::sqlite3, store::parse_database_url(url).connect);
        std::string mode;
        raw << "PRAGMA journal_mode", soci::into(mode);
        CHECK(mode == "wal");
    } else {
        CHECK(s.kind() == store::backend::postgresql);
    }
    // Foreign keys are enforced (SQLite only does so with PRAGMA foreign_keys=ON).
    store::call_analytics a;
    a.sentiment = "positive";
    CHECK_THROWS_AS(s.put_analytics("no-such-call", a), store::store_error);
}
STORE_SCENARIO("durability settings and foreign keys", backend_settings)

}  // namespace
