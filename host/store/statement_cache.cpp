// The call pipeline's statements, prepared once per pooled session (see the header).
#include "host/store/statement_cache.hpp"

#include "host/core/ids.hpp"
#include "host/core/time.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

namespace switchboard::store {

void statement_cache_deleter::operator()(statement_cache* c) const noexcept { delete c; }

statement_cache& lease::statements() {
    auto& slot = impl_.caches[pos_];
    if (!slot) slot.reset(new statement_cache(impl_.kind));
    return *slot;
}

void cached_statement::prepare(soci::session& s, backend kind, const std::string& sql,
                               const std::function<void(soci::statement&)>& bind) {
    soci::statement st(s);
    bind(st);
    st.alloc();
    st.prepare(sql);
    st.define_and_bind();
    st_.emplace(std::move(st));
    kind_ = kind;
}

bool cached_statement::execute() {
    struct reset_after {
        cached_statement& c;
        ~reset_after() {
            if (c.kind_ != backend::sqlite) return;
            if (auto* be = static_cast<soci::sqlite3_statement_backend*>(c.st_->get_backend()); be && be->stmt_)
                sqlite_api::sqlite3_reset(be->stmt_);
        }
    } guard{*this};
    affected_ = 0;
    bool row = st_->execute(true);
    affected_ = st_->get_affected_rows();
    return row;
}

bool statement_cache::insert_inbox(soci::session& s, inbox_entry& e) {
    auto& q = inbox_insert_;
    if (!q.st.prepared())
        q.st.prepare(s, kind, inbox_insert_sql, [&](soci::statement& st) {
            auto& b = q.e;
            st.exchange(soci::use(b.id, "id"));
            st.exchange(soci::use(b.org, "org"));
            st.exchange(soci::use(b.provider, "provider"));
            st.exchange(soci::use(b.idempotency_key, "key"));
            st.exchange(soci::use(b.event_type, "event_type"));
            st.exchange(soci::use(b.provider_call_id, "pcid"));
            st.exchange(soci::use(b.body, "body"));
            st.exchange(soci::use(b.body_encoding, "encoding"));
            st.exchange(soci::use(b.events_json, "events"));
            st.exchange(soci::use(b.response, "response"));
            st.exchange(soci::use(b.call_id, "call"));
            st.exchange(soci::use(b.status, "status"));
            st.exchange(soci::use(b.attempts, "attempts"));
            st.exchange(soci::use(b.last_error, "last_error"));
            st.exchange(soci::use(q.received, "received"));
            st.exchange(soci::use(q.next.value, q.next.ind, "next"));
        });
    fill_new_inbox_entry(e);
    q.e = e;
    q.received = core::to_iso8601(e.received_at);
    q.next = time_column(e.next_attempt_at);
    q.st.execute();
    return q.st.affected_rows() > 0;
}

long long statement_cache::update_inbox(soci::session& s, const inbox_entry& e) {
    auto& q = inbox_update_;
    if (!q.st.prepared())
        q.st.prepare(s, kind, inbox_update_sql, [&](soci::statement& st) {
            st.exchange(soci::use(q.e.status, "status"));
            st.exchange(soci::use(q.e.call_id, "call"));
            st.exchange(soci::use(q.e.response, "response"));
            st.exchange(soci::use(q.e.last_error, "error"));
            st.exchange(soci::use(q.next.value, q.next.ind, "next"));
            st.exchange(soci::use(q.e.events_json, "events"));
            st.exchange(soci::use(q.e.id, "id"));
        });
    q.e.status = e.status;
    q.e.call_id = e.call_id;
    q.e.response = e.response;
    q.e.last_error = e.last_error;
    q.e.events_json = e.events_json;
    q.e.id = e.id;
    q.next = time_column(e.next_attempt_at);
    q.st.execute();
    return q.st.affected_rows();
}

std::optional<sdk::call> statement_cache::find_call(soci::session& s, const std::string& provider,
                                                    const std::string& pcid) {
    auto& q = find_call_;
    if (!q.st.prepared()) {
        // The pipeline never reads analytics here, so the join is left out.
        std::string sql = q.reader.select() + "WHERE c.provider = :provider AND c.provider_call_id = :pcid";
        // SQLite: BEGIN IMMEDIATE already excludes every other writer.
        if (kind == backend::postgresql) sql += " FOR UPDATE";
        q.st.prepare(s, kind, sql, [&](soci::statement& st) {
            q.reader.bind(st);
            st.exchange(soci::use(q.provider, "provider"));
            st.exchange(soci::use(q.pcid, "pcid"));
        });
    }
    q.provider = provider;
    q.pcid = pcid;
    if (!q.st.execute()) return std::nullopt;
    return q.reader.row().call;
}

void statement_cache::insert_call(soci::session& s, sdk::call& call, const char* op) {
    auto& q = insert_call_;
    if (!q.st.prepared())
        q.st.prepare(s, kind, call_writer::insert_sql, [&](soci::statement& st) { q.w.bind(st, true); });
    fill_new_call(call);
    q.w.assign(call);
    q.st.execute();
    if (q.st.affected_rows() == 0) throw duplicate_call_error(op, call);
}

bool statement_cache::update_call(soci::session& s, const sdk::call& call) {
    auto& q = update_call_;
    if (!q.st.prepared())
        q.st.prepare(s, kind, call_writer::update_sql, [&](soci::statement& st) { q.w.bind(st, false); });
    q.w.assign(call);
    q.st.execute();
    return q.st.affected_rows() > 0;
}

long long statement_cache::scalar(call_scalar& q, soci::session& s, const char* sql, const std::string& call_id) {
    if (!q.st.prepared())
        q.st.prepare(s, kind, sql, [&](soci::statement& st) {
            st.exchange(soci::into(q.n));
            st.exchange(soci::use(q.call_id, "c"));
        });
    q.call_id = call_id;
    q.n = 0;
    q.st.execute();
    return q.n;
}

bool statement_cache::has_report_transcript(soci::session& s, const std::string& call_id) {
    return scalar(has_report_, s, "SELECT COUNT(*) FROM transcript_segments WHERE call_id = :c AND source = 'report'",
                  call_id) > 0;
}

void statement_cache::add_status_step(soci::session& s, const std::string& call_id, const status_step& step) {
    const long long last =
        scalar(max_status_seq_, s, "SELECT COALESCE(MAX(seq), 0) FROM call_status_history WHERE call_id = :c", call_id);

    auto& q = insert_status_;
    if (!q.st.prepared())
        q.st.prepare(s, kind,
                     "INSERT INTO call_status_history (id, call_id, seq, status, provider_status, at, recorded_at) "
                     "VALUES (:id, :call, :seq, :status, :pstatus, :at, :recorded)",
                     [&](soci::statement& st) {
                         st.exchange(soci::use(q.id, "id"));
                         st.exchange(soci::use(q.call_id, "call"));
                         st.exchange(soci::use(q.seq, "seq"));
                         st.exchange(soci::use(q.status, "status"));
                         st.exchange(soci::use(q.provider_status, "pstatus"));
                         st.exchange(soci::use(q.at.value, q.at.ind, "at"));
                         st.exchange(soci::use(q.recorded, "recorded"));
                     });
    q.id = core::new_id();
    q.call_id = call_id;
    q.seq = last + 1;
    q.status = sdk::to_string(step.status);
    q.provider_status = step.provider_status;
    q.at = time_column(step.at);
    q.recorded = step.recorded_at == sdk::time_point{} ? now_text() : core::to_iso8601(step.recorded_at);
    q.st.execute();
}

long long statement_cache::max_segment_seq(soci::session& s, const std::string& call_id) {
    return scalar(max_segment_seq_, s, "SELECT COALESCE(MAX(seq), 0) FROM transcript_segments WHERE call_id = :c",
                  call_id);
}

void statement_cache::delete_segments(soci::session& s, const std::string& call_id) {
    auto& q = delete_segments_;
    if (!q.st.prepared())
        q.st.prepare(s, kind, "DELETE FROM transcript_segments WHERE call_id = :c",
                     [&](soci::statement& st) { st.exchange(soci::use(q.call_id, "c")); });
    q.call_id = call_id;
    q.st.execute();
}

void statement_cache::insert_segments(soci::session& s, const std::string& call_id,
                                      const std::vector<sdk::transcript_segment>& segments, long long seq,
                                      const std::string& source) {
    if (segments.empty()) return;
    auto& q = insert_segment_;
    if (!q.st.prepared())
        q.st.prepare(s, kind,
                     "INSERT INTO transcript_segments (id, call_id, seq, role, text, started_at, seconds_from_start, "
                     "duration_ms, confidence, is_final, created_at, source) VALUES (:id, :call, :seq, :role, :text, "
                     ":started, :from_start, :duration, :confidence, :final, :created, :source)",
                     [&](soci::statement& st) {
                         st.exchange(soci::use(q.id, "id"));
                         st.exchange(soci::use(q.call_id, "call"));
                         st.exchange(soci::use(q.seq, "seq"));
                         st.exchange(soci::use(q.role, "role"));
                         st.exchange(soci::use(q.text, "text"));
                         st.exchange(soci::use(q.started.value, q.started.ind, "started"));
                         st.exchange(soci::use(q.from_start.value, q.from_start.ind, "from_start"));
                         st.exchange(soci::use(q.duration_ms, q.duration_ind, "duration"));
                         st.exchange(soci::use(q.confidence.value, q.confidence.ind, "confidence"));
                         st.exchange(soci::use(q.is_final, "final"));
                         st.exchange(soci::use(q.created, "created"));
                         st.exchange(soci::use(q.source, "source"));
                     });
    q.call_id = call_id;
    q.created = now_text();
    q.source = source;
    for (auto const& seg : segments) {
        q.id = core::new_id();
        q.seq = ++seq;
        q.role = sdk::to_string(seg.role);
        q.text = seg.text;
        q.started = time_column(seg.started_at);
        q.from_start = real_column(seg.seconds_from_start);
        q.confidence = real_column(seg.confidence);
        q.duration_ms = seg.duration_ms.value_or(0);
        q.duration_ind = seg.duration_ms ? soci::i_ok : soci::i_null;
        q.is_final = seg.final ? 1 : 0;
        q.st.execute();
    }
}

void statement_cache::exec(soci::session& s, const std::string& sql) {
    auto it = fixed_.find(sql);
    if (it == fixed_.end()) {
        if (fixed_.size() >= 16) {  // many distinct names: not worth keeping
            s << sql;
            return;
        }
        it = fixed_.emplace(sql, cached_statement{}).first;
    }
    if (!it->second.prepared()) it->second.prepare(s, kind, sql, [](soci::statement&) {});
    it->second.execute();
}

}  // namespace switchboard::store
