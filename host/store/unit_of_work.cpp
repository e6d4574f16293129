// The call pipeline's write transaction: one pooled session, one transaction, any
// number of savepoints, one COMMIT (group commit).
#include "host/core/ids.hpp"
#include "host/core/time.hpp"
#include "host/store/statement_cache.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

namespace switchboard::store {
namespace {

// Savepoint names are spliced into SQL, so only plain identifier characters pass;
// the name is quoted as well, so "1" is as good as "sp_1" on PostgreSQL.
std::string savepoint_name(const char* op, const std::string& name) {
    bool ok = !name.empty() && name.size() <= 63;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) ok = false;
    if (!ok)
        throw store_error(std::string("store: unit_of_work.") + op + ": savepoint name '" + name +
                          "' must be 1..63 characters of [A-Za-z0-9_]");
    return "\"" + name + "\"";
}

class sql_unit_of_work final : public unit_of_work {
public:
    explicit sql_unit_of_work(session_pool& impl) : lease_(impl), kind_(impl.kind) {
        guarded("begin_write", [&] { *lease_ << (kind_ == backend::sqlite ? "BEGIN IMMEDIATE" : "BEGIN"); });
    }

    ~sql_unit_of_work() override {
        if (done_) return;
        try {
            *lease_ << "ROLLBACK";
        } catch (...) {
            // A dead connection has no transaction left to roll back.
        }
    }

    bool inbox_insert(inbox_entry& entry) override {
        return run("inbox_insert", [&] { return cache().insert_inbox(*lease_, entry); });
    }

    std::optional<inbox_entry> inbox_find(const std::string& provider, const std::string& key) override {
        return run("inbox_find", [&]() -> std::optional<inbox_entry> {
            bound_params p;
            auto rows =
                select_inbox(*lease_, "WHERE provider = " + p.add(provider) + " AND idempotency_key = " + p.add(key), p);
            if (rows.empty()) return std::nullopt;
            return std::move(rows.front());
        });
    }

    std::optional<inbox_entry> inbox_get(const std::string& id) override {
        return run("inbox_get", [&]() -> std::optional<inbox_entry> {
            bound_params p;
            auto rows = select_inbox(*lease_, "WHERE id = " + p.add(id), p);
            if (rows.empty()) return std::nullopt;
            return std::move(rows.front());
        });
    }

    void inbox_update(const inbox_entry& e) override {
        check_inbox_status("unit_of_work.inbox_update", e.status);
        run("inbox_update", [&] {
            if (cache().update_inbox(*lease_, e) == 0)
                throw store_error("store: unit_of_work.inbox_update: no inbox entry with id '" + e.id + "'");
        });
    }

    std::optional<sdk::call> find_call(const std::string& provider, const std::string& provider_call_id) override {
        return run("find_call", [&] { return cache().find_call(*lease_, provider, provider_call_id); });
    }

    void insert_call(sdk::call& call) override {
        run("insert_call", [&] { cache().insert_call(*lease_, call, "unit_of_work.insert_call"); });
    }

    void update_call(const sdk::call& call) override {
        run("update_call", [&] {
            sdk::call c = call;
            c.updated_at = std::chrono::system_clock::now();
            if (!cache().update_call(*lease_, c))
                throw store_error("store: unit_of_work.update_call: no call with id '" + call.id + "'");
        });
    }

    void append_transcript(const std::string& call_id, const std::vector<sdk::transcript_segment>& segments) override {
        if (segments.empty()) return;
        run("append_transcript",
            [&] {
                auto after = cache().max_segment_seq(*lease_, call_id);
                cache().insert_segments(*lease_, call_id, segments, after, "live");
            });
    }

    void replace_transcript(const std::string& call_id,
                            const std::vector<sdk::transcript_segment>& segments) override {
        run("replace_transcript", [&] {
            cache().delete_segments(*lease_, call_id);
            cache().insert_segments(*lease_, call_id, segments, 0, "report");
        });
    }

    bool has_report_transcript(const std::string& call_id) override {
        return run("has_report_transcript", [&] { return cache().has_report_transcript(*lease_, call_id); });
    }

    void add_status_step(const std::string& call_id, const status_step& step) override {
        run("add_status_step", [&] { cache().add_status_step(*lease_, call_id, step); });
    }

    void put_analytics(const std::string& call_id, const call_analytics& analytics) override {
        run("put_analytics", [&] { write_analytics(*lease_, call_id, analytics); });
    }

    void savepoint(const std::string& name) override {
        auto sql = "SAVEPOINT " + savepoint_name("savepoint", name);
        run("savepoint", [&] { cache().exec(*lease_, sql); });
    }

    void release(const std::string& name) override {
        auto sql = "RELEASE SAVEPOINT " + savepoint_name("release", name);
        run("release", [&] { cache().exec(*lease_, sql); });
    }

    void rollback_to(const std::string& name) override {
        auto sql = "ROLLBACK TO SAVEPOINT " + savepoint_name("rollback_to", name);
        run("rollback_to", [&] { cache().exec(*lease_, sql); });
    }

    void commit() override {
        run("commit", [&] {
            check_transaction_alive();
            *lease_ << "COMMIT";
            done_ = true;
        });
    }

private:
    statement_cache& cache() { return lease_.statements(); }

    // Every method: refuses after commit, and names itself in SOCI's errors.
    template <class Fn>
    auto run(const char* op, Fn&& fn) -> decltype(fn()) {
        std::string name = std::string("unit_of_work.") + op;
        if (done_) throw store_error("store: " + name + ": the unit of work is already committed");
        return guarded(name.c_str(), std::forward<Fn>(fn));
    }

    // A COMMIT must never silently discard work: PostgreSQL answers COMMIT in a failed
    // transaction with a rollback, not an error; SQLite may have rolled the whole
    // transaction back itself (disk full, I/O error) and gone back to autocommit.
    void check_transaction_alive() {
        if (kind_ == backend::postgresql) {
            auto* be = static_cast<soci::postgresql_session_backend*>(lease_->get_backend());
            if (be && PQtransactionStatus(be->conn_) == PQTRANS_INERROR)
                throw store_error(
                    "store: unit_of_work.commit: the transaction failed earlier and was not rolled back to a "
                    "savepoint; nothing is committed");
        } else {
            auto* be = static_cast<soci::sqlite3_session_backend*>(lease_->get_backend());
            if (be && sqlite_api::sqlite3_get_autocommit(be->conn_))
                throw store_error(
                    "store: unit_of_work.commit: SQLite rolled the transaction back after an error; nothing is "
                    "committed");
        }
    }

    lease lease_;
    backend kind_;
    bool done_ = false;
};

}  // namespace

std::unique_ptr<unit_of_work> open_unit_of_work(session_pool& impl) { return std::make_unique<sql_unit_of_work>(impl); }

std::unique_ptr<unit_of_work> store::begin_write() { return open_unit_of_work(*impl_); }

}  // namespace switchboard::store
