#include "store_scenario.hpp"

#include "host/store/migrations.hpp"
#include "host/store/wal_checkpointer.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
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


// A database an earlier build left at schema v1, with rows in it: migrate brings it
// to the latest version, the rows survive and read back with the new defaults.
void upgrade_from_v1(const std::string& url) {
    store::store s(url, 1);  // creates the SQLite folder; does not migrate
    auto db = store::parse_database_url(url);
    {
        soci::session raw;
        store_test::open_raw(raw, url);
        auto const& v1 = store::migrations().at(0);
        REQUIRE(v1.version == 1);
        raw << "BEGIN";
        raw << "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
               "applied_at TEXT NOT NULL)";
        for (auto sql : v1.statements) raw << store::render_sql(sql, db.kind);
        raw << "INSERT INTO schema_migrations (version, name, applied_at) "
               "VALUES (1, 'initial_schema', '2025-01-01T00:00:00.000Z')";
        raw << "INSERT INTO calls (id, org_id, provider, provider_call_id, direction, status, cost, "
               "recording_url, external_record_id, created_at, updated_at) VALUES ('old-call', 'acme', 'vapi', "
               "'pc-old', 'inbound', 'completed', 0.5, 'https://rec/old.wav', 'crm-1', "
               "'2025-01-01T10:00:00.000Z', '2025-01-01T10:05:00.000Z')";
        raw << "INSERT INTO transcript_segments (id, call_id, seq, role, text, created_at) VALUES "
               "('seg-1', 'old-call', 1, 'customer', 'hello from v1', '2025-01-01T10:00:01.000Z')";
        raw << "INSERT INTO webhook_inbox (id, org_id, provider, idempotency_key, body, received_at) VALUES "
               "('in-1', 'acme', 'vapi', 'old-key', '{}', '2025-01-01T10:00:02.000Z')";
        raw << "COMMIT";
    }
    CHECK(s.schema_version() == 1);
    CHECK(s.migrate() == store::store::latest_schema_version() - 1);
    CHECK(s.schema_version() == store::store::latest_schema_version());

    auto call = s.get_call("old-call");
    REQUIRE(call);
    CHECK(call->call.provider_call_id == "pc-old");
    CHECK(call->call.status == sdk::call_status::completed);
    CHECK(call->call.recording_url == "https://rec/old.wav");
    CHECK(call->call.cost == 0.5);
    CHECK(call->call.stereo_recording_url.empty());
    CHECK(call->call.summary.empty());
    CHECK(call->call.analysis.empty());
    CHECK(call->call.cost_breakdown.is_null());
    store::call_filter f;
    f.external_record_id = "crm-1";
    CHECK(s.list_calls(f).total == 1);

    auto segments = s.transcript("old-call");
    REQUIRE(segments.size() == 1);
    CHECK(segments[0].segment.text == "hello from v1");
    CHECK(segments[0].source == "live");

    auto entry = s.inbox_get("in-1");
    REQUIRE(entry);
    CHECK(entry->idempotency_key == "old-key");
    CHECK(entry->events_json.empty());
    CHECK(entry->response.empty());
    CHECK(entry->call_id.empty());
    CHECK_FALSE(entry->next_attempt_at);
    auto due = s.inbox_due(std::chrono::system_clock::now(), 10);
    REQUIRE(due.size() == 1);
    CHECK(due[0].id == "in-1");

    // The new table works against the old rows.
    CHECK(s.status_history("old-call").empty());
    auto w = s.begin_write();
    w->add_status_step("old-call", {sdk::call_status::completed, "ended", std::nullopt, {}});
    sdk::transcript_segment bye;
    bye.role = sdk::speaker_role::assistant;
    bye.text = "bye";
    w->append_transcript("old-call", {bye});
    w->commit();
    w.reset();
    CHECK(s.status_history("old-call").size() == 1);
    auto after = s.transcript("old-call");
    REQUIRE(after.size() == 2);
    CHECK(after[1].seq == 2);
}
STORE_SCENARIO("migrating a v1 database keeps its rows", upgrade_from_v1)

}  // namespace

TEST_CASE("store: the WAL checkpointer copies the WAL back, so writers reuse the file", "[store][sqlite]") {
    switchboard::testing::temp_dir dir;
    auto path = (dir.path() / "w.db").string();
    soci::session w(soci::sqlite3, path);
    std::string mode;
    w << "PRAGMA journal_mode = WAL", soci::into(mode);
    w << "PRAGMA wal_autocheckpoint = 0";  // as if nobody checkpointed: only the thread does
    w << "CREATE TABLE t (v TEXT)";
    auto write_some = [&] {
        soci::transaction tx(w);
        std::string v(3000, 'x');
        for (int i = 0; i < 200; ++i) w << "INSERT INTO t (v) VALUES (:v)", soci::use(v);
        tx.commit();
    };
    auto wal_size = [&] { return std::filesystem::file_size(path + "-wal"); };
    write_some();
    auto first = wal_size();
    REQUIRE(first > 200 * 3000);
    {
        store::wal_checkpointer checkpointer(path, std::chrono::milliseconds(10));
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (checkpointer.runs() < 2 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        REQUIRE(checkpointer.runs() >= 2);
        // Everything was copied back: the next transaction starts the WAL from the top
        // instead of appending (it would be twice the size without the checkpoints).
        write_some();
        CHECK(wal_size() < first + first / 2);
        long long rows = 0;
        w << "SELECT COUNT(*) FROM t", soci::into(rows);
        CHECK(rows == 400);
    }
}
