// Store lifecycle (pool, session settings, migrations) and organisations.
#include "host/core/time.hpp"
#include "host/store/migrations.hpp"
#include "host/store/store_impl.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

namespace switchboard::store {

// --- shared helpers (store_impl.hpp)

lease::lease(session_pool& impl) : impl_(impl), pos_(impl.pool.lease()), session_(&impl.pool.at(pos_)) {
    // A PostgreSQL restart leaves the pooled connection dead; reopen it on the next
    // lease instead of failing every later call that draws this slot.
    if (impl.kind == backend::postgresql && !session_->is_connected()) {
        // The cached statements belong to the old connection (and its backend object,
        // which reconnect() deletes): drop them first; they are re-prepared on demand.
        impl.caches[pos_].reset();
        try {
            session_->reconnect();
        } catch (const soci::soci_error& e) {
            spdlog::warn("store: reconnecting to PostgreSQL failed: {}", e.get_error_message());
        }
    }
}

nullable_text time_column(const std::optional<sdk::time_point>& t) {
    if (!t) return {};
    return {core::to_iso8601(*t), soci::i_ok};
}

nullable_real real_column(const std::optional<double>& v) {
    if (!v) return {};
    return {*v, soci::i_ok};
}

std::optional<sdk::time_point> read_time(const std::string& text, soci::indicator ind) {
    if (ind != soci::i_ok) return std::nullopt;
    return core::parse_iso8601(text);
}

sdk::time_point read_time_or_epoch(const std::string& text, soci::indicator ind) {
    return read_time(text, ind).value_or(sdk::time_point{});
}

std::string write_json(const boost::json::object& o) { return boost::json::serialize(o); }

boost::json::object read_json(const std::string& text, soci::indicator ind) {
    if (ind != soci::i_ok || text.empty()) return {};
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) return {};
    return std::move(v.as_object());
}

std::string now_text() { return core::to_iso8601(std::chrono::system_clock::now()); }

nullable_text json_value_column(const boost::json::value& v) {
    if (v.is_null()) return {};
    return {boost::json::serialize(v), soci::i_ok};
}

boost::json::value read_json_value(const std::string& text, soci::indicator ind) {
    if (ind != soci::i_ok || text.empty()) return nullptr;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec) return nullptr;
    return v;
}

// --- lifecycle

namespace {

void configure_sqlite(soci::session& s, const database_url& url) {
    // busy_timeout first: switching to WAL needs a lock another process may hold.
    s << "PRAGMA busy_timeout = 5000";
    std::string mode;
    s << "PRAGMA journal_mode = WAL", soci::into(mode);
    std::transform(mode.begin(), mode.end(), mode.begin(), [](unsigned char c) { return std::tolower(c); });
    if (mode != "wal" && !url.in_memory)
        spdlog::warn("store: SQLite database '{}' is in journal mode '{}', not WAL", url.sqlite_path, mode);
    // FULL: a committed transaction survives power loss (WAL's default NORMAL may
    // lose the last commits), which the webhook inbox relies on.
    s << "PRAGMA synchronous = FULL";
    s << "PRAGMA foreign_keys = ON";
    // Group commit gives each webhook a savepoint; SQLite journals the original of
    // every page a savepoint touches into a temporary file, one pwrite per page.
    // In memory, that costs a memcpy instead of a system call.
    s << "PRAGMA temp_store = MEMORY";
    // The store's wal_checkpointer thread does most checkpointing (see there).
    if (!url.in_memory) s << "PRAGMA wal_autocheckpoint = " + std::to_string(sqlite_wal_autocheckpoint_pages);
}

}  // namespace

store::store(const std::string& url_text, unsigned pool_size) {
    auto url = parse_database_url(url_text);
    // One in-memory database per connection: a pool would scatter the data.
    std::size_t n = url.in_memory ? 1 : std::max(1u, pool_size);
    if (url.kind == backend::sqlite && !url.in_memory) {
        auto parent = std::filesystem::path(url.sqlite_path).parent_path();
        std::error_code ec;
        if (!parent.empty()) std::filesystem::create_directories(parent, ec);
        if (ec)
            throw store_error("store: cannot create the folder '" + parent.string() + "' for SQLite database '" +
                              url.sqlite_path + "': " + ec.message());
    }
    impl_ = std::make_unique<impl>(url.kind, n);
    for (std::size_t i = 0; i < n; ++i) {
        auto& s = impl_->pool.at(i);
        try {
            if (url.kind == backend::sqlite) {
                s.open(soci::sqlite3, url.connect);
                configure_sqlite(s, url);
            } else {
                s.open(soci::postgresql, url.connect);
            }
        } catch (const soci::soci_error& e) {
            impl_.reset();  // closes the sessions opened so far
            if (url.kind == backend::sqlite)
                throw store_error("store: cannot open SQLite database '" + url.sqlite_path +
                                  "': " + e.get_error_message());
            throw store_error("store: cannot connect to PostgreSQL: " + std::string(e.get_error_message()));
        }
    }
    if (url.kind == backend::sqlite && !url.in_memory)
        impl_->checkpointer = std::make_unique<wal_checkpointer>(url.connect);
}

store::~store() {
    if (!impl_) return;
    impl_->drop_caches();  // SQLite cannot close a connection with statements left open
    // Callers must be done with the store (no method running); close each session
    // explicitly so a close error is logged rather than lost in a destructor.
    for (std::size_t i = 0; i < impl_->size; ++i) {
        try {
            impl_->pool.at(i).close();
        } catch (const std::exception& e) {
            spdlog::warn("store: closing connection {}: {}", i, e.what());
        }
    }
}

backend store::kind() const noexcept { return impl_->kind; }

int store::latest_schema_version() { return migrations().empty() ? 0 : migrations().back().version; }

int store::migrate() {
    return guarded("migrate", [&] {
        lease s(*impl_);
        auto kind = impl_->kind;
        // Serialises concurrent migrators (two processes starting together):
        // SQLite through BEGIN IMMEDIATE's write lock, PostgreSQL through an
        // advisory lock held until the transaction ends.
        auto locked_tx = [&] {
            auto tx = std::make_unique<write_tx>(*s, kind);
            if (kind == backend::postgresql) {
                int one = 0;
                *s << "SELECT 1 FROM pg_advisory_xact_lock(7242004817)", soci::into(one);
            }
            return tx;
        };
        {
            auto tx = locked_tx();
            *s << "CREATE TABLE IF NOT EXISTS schema_migrations ("
                  "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
            tx->commit();
        }
        int ran = 0;
        for (auto const& m : migrations()) {
            auto tx = locked_tx();
            long long present = 0;
            *s << "SELECT COUNT(*) FROM schema_migrations WHERE version = :v", soci::use(m.version, "v"),
                soci::into(present);
            if (present) {
                tx->commit();
                continue;
            }
            for (auto sql : m.statements) {
                try {
                    *s << render_sql(sql, kind);
                } catch (const soci::soci_error& e) {
                    throw store_error("store: migration " + std::to_string(m.version) + " (" + std::string(m.name) +
                                      ") failed: " + e.get_error_message());
                }
            }
            std::string name(m.name), at = now_text();
            *s << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)",
                soci::use(m.version, "v"), soci::use(name, "n"), soci::use(at, "a");
            tx->commit();
            spdlog::info("store: applied migration {} ({})", m.version, m.name);
            ++ran;
        }
        int current = 0;
        soci::indicator ind = soci::i_null;
        *s << "SELECT MAX(version) FROM schema_migrations", soci::into(current, ind);
        if (ind == soci::i_ok && current > latest_schema_version())
            spdlog::warn("store: database schema version {} is newer than this build's {}", current,
                         latest_schema_version());
        return ran;
    });
}

int store::schema_version() {
    return guarded("schema_version", [&] {
        lease s(*impl_);
        long long tables = 0;  // a database never migrated has no schema_migrations
        *s << (impl_->kind == backend::sqlite
                   ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
                   : "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'schema_migrations' "
                     "AND table_schema = current_schema()"),
            soci::into(tables);
        if (tables == 0) return 0;
        int version = 0;
        soci::indicator ind = soci::i_null;
        *s << "SELECT MAX(version) FROM schema_migrations", soci::into(version, ind);
        return ind == soci::i_ok ? version : 0;
    });
}

bool store::ping() noexcept {
    try {
        lease s(*impl_);
        int one = 0;
        *s << "SELECT 1", soci::into(one);
        return one == 1;
    } catch (...) {
        return false;
    }
}

// --- organisations

void store::upsert_org(const std::string& id, const std::string& name) {
    guarded("upsert_org", [&] {
        lease s(*impl_);
        std::string now = now_text(), empty = "{}";
        *s << "INSERT INTO organizations (id, name, config_json, created_at, updated_at) "
              "VALUES (:id, :name, :config, :created, :updated) "
              "ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at",
            soci::use(id, "id"), soci::use(name, "name"), soci::use(empty, "config"), soci::use(now, "created"),
            soci::use(now, "updated");
    });
}

namespace {

struct org_reader {
    std::string id, name, config, created, updated;
    soci::indicator i_config = soci::i_null, i_created = soci::i_null, i_updated = soci::i_null;

    static constexpr const char* columns = "id, name, config_json, created_at, updated_at";
    void bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(name));
        st.exchange(soci::into(config, i_config));
        st.exchange(soci::into(created, i_created));
        st.exchange(soci::into(updated, i_updated));
    }
    org_row row() const {
        return {id, name, read_json(config, i_config), read_time_or_epoch(created, i_created),
                read_time_or_epoch(updated, i_updated)};
    }
};

std::vector<org_row> query_orgs(soci::session& s, const std::string& where, const std::string* id) {
    org_reader r;
    soci::statement st(s);
    r.bind(st);
    if (id) st.exchange(soci::use(*id, "id"));
    st.alloc();
    st.prepare(std::string("SELECT ") + org_reader::columns + " FROM organizations " + where + " ORDER BY id");
    st.define_and_bind();
    st.execute(false);
    std::vector<org_row> out;
    while (st.fetch()) out.push_back(r.row());
    return out;
}

}  // namespace

std::vector<org_row> store::list_orgs() {
    return guarded("list_orgs", [&] {
        lease s(*impl_);
        return query_orgs(*s, "", nullptr);
    });
}

std::optional<org_row> store::get_org(const std::string& id) {
    return guarded("get_org", [&]() -> std::optional<org_row> {
        lease s(*impl_);
        auto rows = query_orgs(*s, "WHERE id = :id", &id);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    });
}

bool store::set_org_config(const std::string& id, const boost::json::object& config) {
    return guarded("set_org_config", [&] {
        lease s(*impl_);
        std::string json = write_json(config), now = now_text();
        soci::statement st = (s->prepare << "UPDATE organizations SET config_json = :config, updated_at = :updated "
                                            "WHERE id = :id",
                              soci::use(json, "config"), soci::use(now, "updated"), soci::use(id, "id"));
        st.execute(true);
        return st.get_affected_rows() > 0;
    });
}

}  // namespace switchboard::store
