// Private to host/store: the session pool and the small SQL helpers the store's
// .cpp files share. Nothing outside this folder includes it.
#pragma once

#include "host/store/store.hpp"
#include "host/store/wal_checkpointer.hpp"

#include <boost/json/value.hpp>
#include <soci/soci.h>

#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace switchboard::store {

// The unit_of_work's statements prepared on one pooled session (statement_cache.hpp).
struct statement_cache;
struct statement_cache_deleter {
    void operator()(statement_cache* c) const noexcept;
};
using statement_cache_ptr = std::unique_ptr<statement_cache, statement_cache_deleter>;

// The pooled sessions and what is kept per session (store::impl is private to
// store, so the helpers below take this).
struct session_pool {
    backend kind = backend::sqlite;
    std::size_t size = 1;
    soci::connection_pool pool;
    // By pool position; only the session's current leaseholder touches its entry.
    // Prepared statements point into their session's backend, so an entry must go
    // before its session reconnects or closes (lease, ~store) and, declared after
    // the pool, it is destroyed before the pool.
    std::vector<statement_cache_ptr> caches;

    session_pool(backend k, std::size_t n) : kind(k), size(n), pool(n), caches(n) {}
    void drop_caches() noexcept {
        for (auto& c : caches) c.reset();
    }
};

struct store::impl : session_pool {
    using session_pool::session_pool;
    // SQLite files: checkpoints off the commit path. A member of the derived
    // struct, so it stops before the pool's sessions close.
    std::unique_ptr<wal_checkpointer> checkpointer;
};

// One pooled session for the lifetime of a method call.
class lease {
public:
    explicit lease(session_pool& impl);
    ~lease() { impl_.pool.give_back(pos_); }
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    soci::session& operator*() const noexcept { return *session_; }
    soci::session* operator->() const noexcept { return session_; }
    backend kind() const noexcept { return impl_.kind; }
    // This session's prepared statements, made on first use.
    statement_cache& statements();

private:
    session_pool& impl_;
    std::size_t pos_;
    soci::session* session_;
};

// An explicit write transaction. SQLite: BEGIN IMMEDIATE takes the write lock up
// front, so two writers wait on busy_timeout instead of failing when a read
// transaction tries to upgrade. Rolls back unless committed.
class write_tx {
public:
    write_tx(soci::session& s, backend kind) : s_(s) { s_ << (kind == backend::sqlite ? "BEGIN IMMEDIATE" : "BEGIN"); }
    ~write_tx() {
        if (!done_) try {
                s_ << "ROLLBACK";
            } catch (...) {
            }
    }
    write_tx(const write_tx&) = delete;
    write_tx& operator=(const write_tx&) = delete;
    void commit() {
        s_ << "COMMIT";
        done_ = true;
    }

private:
    soci::session& s_;
    bool done_ = false;
};

// Bound parameters for a query assembled at run time: add() returns the placeholder
// to splice into the SQL, the value itself only ever travels as a bound parameter.
// deque: soci::use keeps references, so the values must not move.
class bound_params {
public:
    std::string add(std::string value) {
        names_.push_back("p" + std::to_string(names_.size()));
        values_.push_back(std::move(value));
        return ":" + names_.back();
    }
    void bind(soci::statement& st) {
        for (std::size_t i = 0; i < values_.size(); ++i) st.exchange(soci::use(values_[i], names_[i]));
    }

private:
    std::deque<std::string> names_;
    std::deque<std::string> values_;
};

// Runs `fn`, turning SOCI's errors into store_error naming the operation.
template <class Fn>
auto guarded(const char* op, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const store_error&) {
        throw;
    } catch (const soci::soci_error& e) {
        throw store_error(std::string("store: ") + op + ": " + e.get_error_message());
    }
}

// NULL-aware conversions between model values and bound columns.
struct nullable_text {
    std::string value;
    soci::indicator ind = soci::i_null;
};
struct nullable_real {
    double value = 0;
    soci::indicator ind = soci::i_null;
};

nullable_text time_column(const std::optional<sdk::time_point>& t);
nullable_real real_column(const std::optional<double>& v);
std::optional<sdk::time_point> read_time(const std::string& text, soci::indicator ind);
sdk::time_point read_time_or_epoch(const std::string& text, soci::indicator ind);
std::string write_json(const boost::json::object& o);
boost::json::object read_json(const std::string& text, soci::indicator ind);
std::string now_text();
// JSON that may be null: null is stored as NULL, anything else serialised.
nullable_text json_value_column(const boost::json::value& v);
boost::json::value read_json_value(const std::string& text, soci::indicator ind);

// --- row SQL shared by store and unit_of_work: each runs on the session it is given,
// inside whatever transaction that session has open.

// Fills id/created_at/updated_at when empty. Throws store_error naming `op` on a
// duplicate (provider, provider_call_id); ON CONFLICT DO NOTHING keeps a PostgreSQL
// transaction usable after a duplicate.
void insert_call_row(soci::session& s, sdk::call& call, const char* op);
void fill_new_call(sdk::call& call);  // the defaults insert_call_row fills in
store_error duplicate_call_error(const char* op, const sdk::call& call);
// SELECT <call + analytics columns> FROM calls c LEFT JOIN call_analytics a <tail>.
// `extra` binds values the tail names beyond `params` (LIMIT/OFFSET).
std::vector<call_row> select_calls(soci::session& s, const std::string& tail, bound_params& params,
                                   const std::function<void(soci::statement&)>& extra = {});

long long max_segment_seq(soci::session& s, const std::string& call_id);
// Inserts `segments` numbered after_seq + 1, after_seq + 2, ...
void insert_segments(soci::session& s, const std::string& call_id,
                     const std::vector<sdk::transcript_segment>& segments, long long after_seq,
                     const std::string& source);

// Throws store_error naming `op` unless status is pending, applied or failed.
void check_inbox_status(const char* op, const std::string& status);
// Fills id/received_at when empty; false (nothing written) on a duplicate key.
bool insert_inbox_row(soci::session& s, inbox_entry& e);
void fill_new_inbox_entry(inbox_entry& e);  // the defaults insert_inbox_row fills in
void unpack_inbox_body(inbox_entry& e);     // what select_inbox does to every row it reads
// Binds :id ... :next (received: e.received_at as text; next: e.next_attempt_at).
extern const char* const inbox_insert_sql;
extern const char* const inbox_update_sql;  // :status :call :response :error :next :events :id
// SELECT <inbox columns> FROM webhook_inbox <tail>; `extra` as for select_calls.
std::vector<inbox_entry> select_inbox(soci::session& s, const std::string& tail, bound_params& params,
                                      const std::function<void(soci::statement&)>& extra = {});

// The write transaction behind store::begin_write (unit_of_work.cpp).
// Inserts or replaces a call's analytics row.
void write_analytics(soci::session& s, const std::string& call_id, const call_analytics& a);

std::unique_ptr<unit_of_work> open_unit_of_work(session_pool& impl);

}  // namespace switchboard::store
