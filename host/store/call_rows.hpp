// Private to host/store: a calls row as bound SQL variables, shared by the ad-hoc
// queries (calls.cpp) and the statements cached per session (statement_cache.cpp).
#pragma once

#include "host/store/store_impl.hpp"

#include <array>

namespace switchboard::store {

// One row of calls, optionally LEFT JOIN call_analytics: the column list and the
// into() buffers are declared side by side so they cannot drift apart.
struct call_reader {
    static constexpr const char* call_columns =
        "c.id, c.org_id, c.provider, c.provider_call_id, c.direction, c.from_number, c.to_number, c.status, "
        "c.started_at, c.ended_at, c.duration_seconds, c.ended_reason, c.cost, c.recording_url, "
        "c.stereo_recording_url, c.summary, c.analysis_json, c.cost_breakdown_json, c.assistant, "
        "c.metadata_json, c.phase, c.external_record_id, c.created_at, c.updated_at";
    static constexpr const char* analytics_columns =
        "a.call_id, a.sentiment, a.category, a.resolution, a.sentiment_score, a.summary, a.detail_json, "
        "a.created_at";
    static constexpr const char* from = "calls c LEFT JOIN call_analytics a ON a.call_id = c.id";

    enum text_col {
        id, org, provider, provider_call_id, direction, from_number, to_number, status, started_at, ended_at,
        ended_reason, recording_url, stereo_recording_url, summary, analysis, cost_breakdown, assistant, metadata,
        phase, external_record_id, created_at, updated_at,
        a_call_id, a_sentiment, a_category, a_resolution, a_summary, a_detail, a_created_at, text_count
    };
    std::array<std::string, text_count> text;
    std::array<soci::indicator, text_count> text_ind{};
    double duration = 0, cost = 0, score = 0;
    soci::indicator duration_ind = soci::i_null, cost_ind = soci::i_null, score_ind = soci::i_null;
    bool with_analytics = true;  // false: call_columns only, row().analytics stays empty

    explicit call_reader(bool analytics = true) : with_analytics(analytics) {}
    // "SELECT <columns> FROM <calls, joined or not> "
    std::string select() const;
    void bind(soci::statement& st);
    std::string get(text_col c) const { return text_ind[c] == soci::i_ok ? text[c] : std::string(); }
    call_row row() const;
};

// Every calls column as an owned, bound value (:id, :org ... :created, :updated), so
// a statement can keep them bound while assign() puts in the next call.
struct call_writer {
    static const char* const insert_sql;  // INSERT ... ON CONFLICT (provider, provider_call_id) DO NOTHING
    static const char* const update_sql;  // every column but id and created_at, WHERE id = :id

    sdk::call call;  // the columns that need no conversion bind to its fields
    std::string direction, status, phase, metadata, analysis, created, updated;
    nullable_text started, ended, cost_breakdown;
    nullable_real duration, cost;

    void assign(const sdk::call& c);
    // with_created: bind :created too (insert_sql names it, update_sql does not).
    void bind(soci::statement& st, bool with_created);
};

}  // namespace switchboard::store
