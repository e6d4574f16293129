// Private to host/store: the session pool and the small SQL helpers the store's
// .cpp files share. Nothing outside this folder includes it.
#pragma once

#include "host/store/store.hpp"

#include <soci/soci.h>

#include <deque>
#include <optional>
#include <string>
#include <utility>

namespace switchboard::store {

struct store::impl {
    backend kind = backend::sqlite;
    std::size_t size = 1;
    soci::connection_pool pool;

    impl(backend k, std::size_t n) : kind(k), size(n), pool(n) {}
};

// One pooled session for the lifetime of a method call.
class lease {
public:
    lease(soci::connection_pool& pool, backend kind);
    ~lease() { pool_.give_back(pos_); }
    lease(const lease&) = delete;
    lease& operator=(const lease&) = delete;
    soci::session& operator*() const noexcept { return *session_; }
    soci::session* operator->() const noexcept { return session_; }

private:
    soci::connection_pool& pool_;
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

}  // namespace switchboard::store
