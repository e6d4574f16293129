// Calls, their transcripts and analytics.
#include "host/core/ids.hpp"
#include "host/core/time.hpp"
#include "host/store/call_rows.hpp"

#include <algorithm>
#include <array>

namespace switchboard::store {

std::string call_reader::select() const {
    std::string sql = "SELECT ";
    sql += call_columns;
    if (with_analytics) {
        sql += ", ";
        sql += analytics_columns;
        sql += " FROM ";
        sql += from;
    } else {
        sql += " FROM calls c";
    }
    return sql + " ";
}

void call_reader::bind(soci::statement& st) {
    auto t = [&](text_col c) { st.exchange(soci::into(text[c], text_ind[c])); };
    for (auto c : {id, org, provider, provider_call_id, direction, from_number, to_number, status, started_at,
                   ended_at})
        t(c);
    st.exchange(soci::into(duration, duration_ind));
    t(ended_reason);
    st.exchange(soci::into(cost, cost_ind));
    for (auto c : {recording_url, stereo_recording_url, summary, analysis, cost_breakdown, assistant, metadata, phase,
                   external_record_id, created_at, updated_at})
        t(c);
    if (!with_analytics) return;
    for (auto c : {a_call_id, a_sentiment, a_category, a_resolution}) t(c);
    st.exchange(soci::into(score, score_ind));
    for (auto c : {a_summary, a_detail, a_created_at}) t(c);
}

call_row call_reader::row() const {
    call_row r;
    auto& c = r.call;
    c.id = get(id);
    c.org = get(org);
    c.provider = get(provider);
    c.provider_call_id = get(provider_call_id);
    c.direction = sdk::parse_call_direction(get(direction)).value_or(sdk::call_direction::inbound);
    c.from_number = get(from_number);
    c.to_number = get(to_number);
    c.status = sdk::parse_call_status(get(status)).value_or(sdk::call_status::queued);
    c.started_at = read_time(text[started_at], text_ind[started_at]);
    c.ended_at = read_time(text[ended_at], text_ind[ended_at]);
    if (duration_ind == soci::i_ok) c.duration_seconds = duration;
    c.ended_reason = get(ended_reason);
    if (cost_ind == soci::i_ok) c.cost = cost;
    c.recording_url = get(recording_url);
    c.stereo_recording_url = get(stereo_recording_url);
    c.summary = get(summary);
    c.analysis = read_json(text[analysis], text_ind[analysis]);
    c.cost_breakdown = read_json_value(text[cost_breakdown], text_ind[cost_breakdown]);
    c.assistant = get(assistant);
    c.metadata = read_json(text[metadata], text_ind[metadata]);
    c.phase = sdk::parse_call_phase(get(phase)).value_or(sdk::call_phase::greeting);
    c.external_record_id = get(external_record_id);
    c.created_at = read_time_or_epoch(text[created_at], text_ind[created_at]);
    c.updated_at = read_time_or_epoch(text[updated_at], text_ind[updated_at]);
    if (with_analytics && text_ind[a_call_id] == soci::i_ok) {
        call_analytics a;
        a.sentiment = get(a_sentiment);
        a.category = get(a_category);
        a.resolution = get(a_resolution);
        if (score_ind == soci::i_ok) a.sentiment_score = score;
        a.summary = get(a_summary);
        a.detail = read_json(text[a_detail], text_ind[a_detail]);
        a.created_at = read_time_or_epoch(text[a_created_at], text_ind[a_created_at]);
        r.analytics = std::move(a);
    }
    return r;
}

std::vector<call_row> select_calls(soci::session& s, const std::string& tail, bound_params& params,
                                   const std::function<void(soci::statement&)>& extra) {
    call_reader r;
    soci::statement st(s);
    r.bind(st);
    params.bind(st);
    if (extra) extra(st);
    st.alloc();
    st.prepare(r.select() + tail);
    st.define_and_bind();
    st.execute(false);
    std::vector<call_row> out;
    while (st.fetch()) out.push_back(r.row());
    return out;
}

const char* const call_writer::insert_sql =
    "INSERT INTO calls (id, org_id, provider, provider_call_id, direction, from_number, to_number, status, "
    "started_at, ended_at, duration_seconds, ended_reason, cost, recording_url, stereo_recording_url, "
    "summary, analysis_json, cost_breakdown_json, assistant, metadata_json, phase, external_record_id, "
    "created_at, updated_at) VALUES (:id, :org, :provider, :pcid, :direction, :from_number, :to_number, "
    ":status, :started, :ended, :duration, :reason, :cost, :recording, :stereo, :summary, :analysis, "
    ":breakdown, :assistant, :metadata, :phase, :external, :created, :updated) "
    "ON CONFLICT (provider, provider_call_id) DO NOTHING";

const char* const call_writer::update_sql =
    "UPDATE calls SET org_id = :org, provider = :provider, provider_call_id = :pcid, "
    "direction = :direction, from_number = :from_number, to_number = :to_number, status = :status, "
    "started_at = :started, ended_at = :ended, duration_seconds = :duration, ended_reason = :reason, "
    "cost = :cost, recording_url = :recording, stereo_recording_url = :stereo, summary = :summary, "
    "analysis_json = :analysis, cost_breakdown_json = :breakdown, assistant = :assistant, "
    "metadata_json = :metadata, phase = :phase, external_record_id = :external, updated_at = :updated "
    "WHERE id = :id";

void call_writer::assign(const sdk::call& c) {
    call = c;
    direction = sdk::to_string(c.direction);
    status = sdk::to_string(c.status);
    phase = sdk::to_string(c.phase);
    metadata = write_json(c.metadata);
    analysis = write_json(c.analysis);
    created = core::to_iso8601(c.created_at);
    updated = core::to_iso8601(c.updated_at);
    started = time_column(c.started_at);
    ended = time_column(c.ended_at);
    cost_breakdown = json_value_column(c.cost_breakdown);
    duration = real_column(c.duration_seconds);
    cost = real_column(c.cost);
}

void call_writer::bind(soci::statement& st, bool with_created) {
    auto& c = call;
    st.exchange(soci::use(c.id, "id"));
    if (with_created) st.exchange(soci::use(created, "created"));
    st.exchange(soci::use(c.org, "org"));
    st.exchange(soci::use(c.provider, "provider"));
    st.exchange(soci::use(c.provider_call_id, "pcid"));
    st.exchange(soci::use(direction, "direction"));
    st.exchange(soci::use(c.from_number, "from_number"));
    st.exchange(soci::use(c.to_number, "to_number"));
    st.exchange(soci::use(status, "status"));
    st.exchange(soci::use(started.value, started.ind, "started"));
    st.exchange(soci::use(ended.value, ended.ind, "ended"));
    st.exchange(soci::use(duration.value, duration.ind, "duration"));
    st.exchange(soci::use(c.ended_reason, "reason"));
    st.exchange(soci::use(cost.value, cost.ind, "cost"));
    st.exchange(soci::use(c.recording_url, "recording"));
    st.exchange(soci::use(c.stereo_recording_url, "stereo"));
    st.exchange(soci::use(c.summary, "summary"));
    st.exchange(soci::use(analysis, "analysis"));
    st.exchange(soci::use(cost_breakdown.value, cost_breakdown.ind, "breakdown"));
    st.exchange(soci::use(c.assistant, "assistant"));
    st.exchange(soci::use(metadata, "metadata"));
    st.exchange(soci::use(phase, "phase"));
    st.exchange(soci::use(c.external_record_id, "external"));
    st.exchange(soci::use(updated, "updated"));
}

void fill_new_call(sdk::call& call) {
    auto now = std::chrono::system_clock::now();
    if (call.id.empty()) call.id = core::new_id();
    if (call.created_at == sdk::time_point{}) call.created_at = now;
    if (call.updated_at == sdk::time_point{}) call.updated_at = call.created_at;
}

store_error duplicate_call_error(const char* op, const sdk::call& call) {
    return store_error(std::string("store: ") + op + ": provider '" + call.provider +
                       "' already has a call with id '" + call.provider_call_id + "'");
}

namespace {

long long run(soci::statement& st, const std::string& sql) {
    st.alloc();
    st.prepare(sql);
    st.define_and_bind();
    st.execute(true);
    return st.get_affected_rows();
}

}  // namespace

void insert_call_row(soci::session& s, sdk::call& call, const char* op) {
    fill_new_call(call);
    call_writer v;
    v.assign(call);
    soci::statement st(s);
    v.bind(st, true);
    if (run(st, call_writer::insert_sql) == 0) throw duplicate_call_error(op, call);
}

std::string store::insert_call(sdk::call call) {
    return guarded("insert_call", [&] {
        lease s(*impl_);
        insert_call_row(*s, call, "insert_call");
        return call.id;
    });
}

std::optional<call_row> store::get_call(const std::string& id, const std::string& org) {
    return guarded("get_call", [&]() -> std::optional<call_row> {
        lease s(*impl_);
        bound_params p;
        std::string where = "WHERE c.id = " + p.add(id);
        if (!org.empty()) where += " AND c.org_id = " + p.add(org);
        auto rows = select_calls(*s, where, p);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    });
}

call_page store::list_calls(const call_filter& f) {
    return guarded("list_calls", [&] {
        lease s(*impl_);
        bound_params p;
        std::string where = "WHERE 1 = 1";
        // The time a call sorts and filters by: when it started, or when we first saw it.
        const std::string when = "COALESCE(c.started_at, c.created_at)";
        if (f.org && !f.org->empty()) where += " AND c.org_id = " + p.add(*f.org);
        if (f.status) where += " AND c.status = " + p.add(std::string(sdk::to_string(*f.status)));
        if (f.direction) where += " AND c.direction = " + p.add(std::string(sdk::to_string(*f.direction)));
        if (f.provider) where += " AND c.provider = " + p.add(*f.provider);
        if (f.sentiment) where += " AND a.sentiment = " + p.add(*f.sentiment);
        if (f.category) where += " AND a.category = " + p.add(*f.category);
        if (f.date_from) where += " AND " + when + " >= " + p.add(core::to_iso8601(*f.date_from));
        if (f.date_to) where += " AND " + when + " <= " + p.add(core::to_iso8601(*f.date_to));
        if (f.external_record_id) where += " AND c.external_record_id = " + p.add(*f.external_record_id);
        if (f.active_only) where += " AND c.status IN ('queued', 'ringing', 'in_progress')";

        call_page page;
        {
            soci::statement st(*s);
            st.exchange(soci::into(page.total));
            p.bind(st);
            st.alloc();
            st.prepare(std::string("SELECT COUNT(*) FROM ") + call_reader::from + " " + where);
            st.define_and_bind();
            st.execute(true);
        }
        long long size = std::clamp(f.page_size, 1, 100);
        long long offset = (std::max(f.page, 1) - 1LL) * size;
        page.calls = select_calls(*s, where + " ORDER BY " + when + " DESC, c.id DESC LIMIT :lim OFFSET :off", p,
                                 [&](soci::statement& st) {
                                     st.exchange(soci::use(size, "lim"));
                                     st.exchange(soci::use(offset, "off"));
                                 });
        return page;
    });
}

std::vector<std::pair<sdk::call_status, std::int64_t>> store::count_calls_by_status() {
    return guarded("count_calls_by_status", [&] {
        lease s(*impl_);
        std::string status;
        long long n = 0;
        soci::statement st =
            (s->prepare << "SELECT status, COUNT(*) FROM calls GROUP BY status ORDER BY status", soci::into(status),
             soci::into(n));
        st.execute(false);
        std::vector<std::pair<sdk::call_status, std::int64_t>> out;
        while (st.fetch())
            if (auto parsed = sdk::parse_call_status(status)) out.emplace_back(*parsed, n);
        return out;
    });
}

// --- transcripts

void store::append_transcript(const std::string& call_id, const std::vector<sdk::transcript_segment>& segments) {
    if (segments.empty()) return;
    guarded("append_transcript", [&] {
        lease s(*impl_);
        write_tx tx(*s, impl_->kind);
        // PostgreSQL: lock the call row so concurrent appends to one call take turns
        // reading MAX(seq); SQLite's BEGIN IMMEDIATE already serialises writers.
        std::string found;
        soci::indicator found_ind = soci::i_null;
        *s << (impl_->kind == backend::postgresql ? "SELECT id FROM calls WHERE id = :c FOR UPDATE"
                                                  : "SELECT id FROM calls WHERE id = :c"),
            soci::use(call_id, "c"), soci::into(found, found_ind);
        if (!s->got_data()) throw store_error("store: append_transcript: no call with id '" + call_id + "'");
        insert_segments(*s, call_id, segments, max_segment_seq(*s, call_id), "live");
        tx.commit();
    });
}

long long max_segment_seq(soci::session& s, const std::string& call_id) {
    long long seq = 0;
    s << "SELECT COALESCE(MAX(seq), 0) FROM transcript_segments WHERE call_id = :c", soci::use(call_id, "c"),
        soci::into(seq);
    return seq;
}

void insert_segments(soci::session& s, const std::string& call_id,
                     const std::vector<sdk::transcript_segment>& segments, long long seq,
                     const std::string& source) {
    if (segments.empty()) return;
    std::string id, role, text, created = now_text();
    nullable_text started;
    nullable_real from_start, confidence;
    long long duration_ms = 0;
    soci::indicator duration_ind = soci::i_null;
    int is_final = 1;
    soci::statement st =
        (s.prepare << "INSERT INTO transcript_segments (id, call_id, seq, role, text, started_at, "
                      "seconds_from_start, duration_ms, confidence, is_final, created_at, source) VALUES (:id, "
                      ":call, :seq, :role, :text, :started, :from_start, :duration, :confidence, :final, :created, "
                      ":source)",
         soci::use(id, "id"), soci::use(call_id, "call"), soci::use(seq, "seq"), soci::use(role, "role"),
         soci::use(text, "text"), soci::use(started.value, started.ind, "started"),
         soci::use(from_start.value, from_start.ind, "from_start"), soci::use(duration_ms, duration_ind, "duration"),
         soci::use(confidence.value, confidence.ind, "confidence"), soci::use(is_final, "final"),
         soci::use(created, "created"), soci::use(source, "source"));
    for (auto const& seg : segments) {
        id = core::new_id();
        ++seq;
        role = std::string(sdk::to_string(seg.role));
        text = seg.text;
        started = time_column(seg.started_at);
        from_start = real_column(seg.seconds_from_start);
        confidence = real_column(seg.confidence);
        duration_ms = seg.duration_ms.value_or(0);
        duration_ind = seg.duration_ms ? soci::i_ok : soci::i_null;
        is_final = seg.final ? 1 : 0;
        st.execute(true);
    }
}

std::vector<stored_segment> store::transcript(const std::string& call_id) {
    return guarded("transcript", [&] {
        lease s(*impl_);
        std::string id, call, role, text, started, source;
        soci::indicator started_ind = soci::i_null, from_start_ind = soci::i_null, duration_ind = soci::i_null,
                        confidence_ind = soci::i_null;
        long long seq = 0, duration_ms = 0;
        double from_start = 0, confidence = 0;
        int is_final = 1;
        soci::statement st =
            (s->prepare << "SELECT id, call_id, seq, role, text, started_at, seconds_from_start, duration_ms, "
                           "confidence, is_final, source FROM transcript_segments WHERE call_id = :c ORDER BY seq",
             soci::use(call_id, "c"), soci::into(id), soci::into(call), soci::into(seq), soci::into(role),
             soci::into(text), soci::into(started, started_ind), soci::into(from_start, from_start_ind),
             soci::into(duration_ms, duration_ind), soci::into(confidence, confidence_ind), soci::into(is_final),
             soci::into(source));
        st.execute(false);
        std::vector<stored_segment> out;
        while (st.fetch()) {
            stored_segment seg;
            seg.id = id;
            seg.call_id = call;
            seg.seq = seq;
            seg.segment.role = sdk::parse_speaker_role(role).value_or(sdk::speaker_role::customer);
            seg.segment.text = text;
            seg.segment.started_at = read_time(started, started_ind);
            if (from_start_ind == soci::i_ok) seg.segment.seconds_from_start = from_start;
            if (duration_ind == soci::i_ok) seg.segment.duration_ms = duration_ms;
            if (confidence_ind == soci::i_ok) seg.segment.confidence = confidence;
            seg.segment.final = is_final != 0;
            seg.source = source;
            out.push_back(std::move(seg));
        }
        return out;
    });
}

// --- status history

std::vector<status_step> store::status_history(const std::string& call_id) {
    return guarded("status_history", [&] {
        lease s(*impl_);
        std::string status, provider_status, at, recorded;
        soci::indicator at_ind = soci::i_null, recorded_ind = soci::i_null;
        soci::statement st =
            (s->prepare << "SELECT status, provider_status, at, recorded_at FROM call_status_history "
                           "WHERE call_id = :c ORDER BY seq",
             soci::use(call_id, "c"), soci::into(status), soci::into(provider_status), soci::into(at, at_ind),
             soci::into(recorded, recorded_ind));
        st.execute(false);
        std::vector<status_step> out;
        while (st.fetch()) {
            status_step step;
            step.status = sdk::parse_call_status(status).value_or(sdk::call_status::queued);
            step.provider_status = provider_status;
            step.at = read_time(at, at_ind);
            step.recorded_at = read_time_or_epoch(recorded, recorded_ind);
            out.push_back(std::move(step));
        }
        return out;
    });
}

std::optional<call_row> store::find_call(const std::string& provider, const std::string& provider_call_id) {
    return guarded("find_call", [&]() -> std::optional<call_row> {
        lease s(*impl_);
        bound_params p;
        std::string where = "WHERE c.provider = " + p.add(provider) + " AND c.provider_call_id = " + p.add(provider_call_id);
        auto rows = select_calls(*s, where, p);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    });
}

// --- analytics

void write_analytics(soci::session& s, const std::string& call_id, const call_analytics& a) {
    auto score = real_column(a.sentiment_score);
    std::string detail = write_json(a.detail);
    std::string created = a.created_at == sdk::time_point{} ? now_text() : core::to_iso8601(a.created_at);
    s << "INSERT INTO call_analytics (call_id, sentiment, category, resolution, sentiment_score, summary, "
         "detail_json, created_at) VALUES (:call, :sentiment, :category, :resolution, :score, :summary, "
         ":detail, :created) ON CONFLICT (call_id) DO UPDATE SET sentiment = excluded.sentiment, "
         "category = excluded.category, resolution = excluded.resolution, "
         "sentiment_score = excluded.sentiment_score, summary = excluded.summary, "
         "detail_json = excluded.detail_json, created_at = excluded.created_at",
        soci::use(call_id, "call"), soci::use(a.sentiment, "sentiment"), soci::use(a.category, "category"),
        soci::use(a.resolution, "resolution"), soci::use(score.value, score.ind, "score"),
        soci::use(a.summary, "summary"), soci::use(detail, "detail"), soci::use(created, "created");
}

void store::put_analytics(const std::string& call_id, const call_analytics& a) {
    guarded("put_analytics", [&] {
        lease s(*impl_);
        write_analytics(*s, call_id, a);
    });
}

}  // namespace switchboard::store
