// Private to host/store: the call pipeline's statements, prepared once per pooled
// session and re-run with new values. Preparing (SQLite's parser, PostgreSQL's
// PREPARE/DEALLOCATE round trips) cost more than running these small statements, and
// the pipeline's single writer thread runs them thousands of times a second.
// Lifetime: owned by session_pool (store_impl.hpp) per pool position, used only by that session's
// leaseholder, dropped before the session reconnects or closes (store_impl.hpp).
#pragma once

#include "host/store/call_rows.hpp"

#include <map>
#include <optional>

namespace switchboard::store {

// One statement whose use/into variables are members of its owner, bound by
// reference once, at prepare time.
class cached_statement {
public:
    bool prepared() const noexcept { return st_.has_value(); }
    // bind() exchanges the use/into elements; on any error nothing is kept, so the
    // next call prepares again.
    void prepare(soci::session& s, backend kind, const std::string& sql,
                 const std::function<void(soci::statement&)>& bind);
    // Runs with the bound variables' current values: true when a row came back.
    // SQLite: the statement is reset afterwards (success or not), so no read stays
    // open on the connection between calls or after COMMIT.
    bool execute();
    long long affected_rows() const noexcept { return affected_; }

private:
    std::optional<soci::statement> st_;
    backend kind_ = backend::sqlite;
    long long affected_ = 0;
};

struct statement_cache {
    explicit statement_cache(backend kind) : kind(kind) {}

    // Each mirrors the uncached helper of the same meaning in store_impl.hpp and
    // throws SOCI's errors for the caller to wrap.
    bool insert_inbox(soci::session& s, inbox_entry& e);
    long long update_inbox(soci::session& s, const inbox_entry& e);  // rows changed
    // calls only, no analytics join; PostgreSQL locks the row (FOR UPDATE).
    std::optional<sdk::call> find_call(soci::session& s, const std::string& provider, const std::string& pcid);
    void insert_call(soci::session& s, sdk::call& call, const char* op);
    bool update_call(soci::session& s, const sdk::call& call);
    bool has_report_transcript(soci::session& s, const std::string& call_id);
    void add_status_step(soci::session& s, const std::string& call_id, const status_step& step);
    long long max_segment_seq(soci::session& s, const std::string& call_id);
    void delete_segments(soci::session& s, const std::string& call_id);
    void insert_segments(soci::session& s, const std::string& call_id,
                         const std::vector<sdk::transcript_segment>& segments, long long after_seq,
                         const std::string& source);
    // A statement without parameters (SAVEPOINT "job"); only a few distinct texts
    // are kept, beyond that they run uncached.
    void exec(soci::session& s, const std::string& sql);

    backend kind;

private:
    struct {
        cached_statement st;
        inbox_entry e;
        std::string received;
        nullable_text next;
    } inbox_insert_;
    struct {
        cached_statement st;
        inbox_entry e;
        nullable_text next;
    } inbox_update_;
    struct {
        cached_statement st;
        std::string provider, pcid;
        call_reader reader{false};
    } find_call_;
    struct {
        cached_statement st;
        call_writer w;
    } insert_call_, update_call_;
    // One number about one call (a count or a max seq); also the per-call DELETE.
    struct call_scalar {
        cached_statement st;
        std::string call_id;
        long long n = 0;
    } has_report_, max_status_seq_, max_segment_seq_, delete_segments_;
    long long scalar(call_scalar& q, soci::session& s, const char* sql, const std::string& call_id);
    struct {
        cached_statement st;
        std::string id, call_id, status, provider_status, recorded;
        long long seq = 0;
        nullable_text at;
    } insert_status_;
    struct {
        cached_statement st;
        std::string id, call_id, role, text, created, source;
        long long seq = 0, duration_ms = 0;
        soci::indicator duration_ind = soci::i_null;
        nullable_text started;
        nullable_real from_start, confidence;
        int is_final = 1;
    } insert_segment_;
    std::map<std::string, cached_statement, std::less<>> fixed_;
};

}  // namespace switchboard::store
