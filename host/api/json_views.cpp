#include "host/api/json_views.hpp"

#include "host/core/time.hpp"

namespace switchboard::api {
namespace json = boost::json;
namespace {

json::value opt_time(const std::optional<sdk::time_point>& t) {
    return t ? json::value(core::to_iso8601(*t)) : json::value(nullptr);
}
json::value opt_num(const std::optional<double>& d) { return d ? json::value(*d) : json::value(nullptr); }
json::value opt_str(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

}  // namespace

json::object analytics_json(const store::call_analytics& a) {
    return {{"sentiment", opt_str(a.sentiment)},
            {"category", opt_str(a.category)},
            {"resolution", opt_str(a.resolution)},
            {"sentiment_score", opt_num(a.sentiment_score)},
            {"summary", opt_str(a.summary)},
            {"detail", a.detail},
            {"created_at", core::to_iso8601(a.created_at)}};
}

json::object call_json(const store::call_row& row) {
    auto const& c = row.call;
    json::object o{{"id", c.id},
                   {"org", c.org},
                   {"provider", c.provider},
                   {"provider_call_id", c.provider_call_id},
                   {"direction", sdk::to_string(c.direction)},
                   {"from_number", opt_str(c.from_number)},
                   {"to_number", opt_str(c.to_number)},
                   {"status", sdk::to_string(c.status)},
                   {"started_at", opt_time(c.started_at)},
                   {"ended_at", opt_time(c.ended_at)},
                   {"duration_seconds", opt_num(c.duration_seconds)},
                   {"ended_reason", opt_str(c.ended_reason)},
                   {"cost", opt_num(c.cost)},
                   {"recording_url", opt_str(c.recording_url)},
                   {"stereo_recording_url", opt_str(c.stereo_recording_url)},
                   {"summary", opt_str(c.summary)},
                   {"analysis", c.analysis},
                   {"cost_breakdown", c.cost_breakdown},
                   {"assistant", opt_str(c.assistant)},
                   {"phase", sdk::to_string(c.phase)},
                   {"external_record_id", opt_str(c.external_record_id)},
                   {"metadata", c.metadata},
                   {"created_at", core::to_iso8601(c.created_at)},
                   {"updated_at", core::to_iso8601(c.updated_at)}};
    // Seed 000's list view shows the analysis beside each call.
    o["sentiment"] = row.analytics ? opt_str(row.analytics->sentiment) : json::value(nullptr);
    o["category"] = row.analytics ? opt_str(row.analytics->category) : json::value(nullptr);
    o["resolution"] = row.analytics ? opt_str(row.analytics->resolution) : json::value(nullptr);
    return o;
}

json::object segment_json(const store::stored_segment& s) {
    auto const& g = s.segment;
    return {{"id", s.id},
            {"call_id", s.call_id},
            {"seq", s.seq},
            {"role", sdk::to_string(g.role)},
            {"text", g.text},
            {"started_at", opt_time(g.started_at)},
            {"seconds_from_start", opt_num(g.seconds_from_start)},
            {"duration_ms", g.duration_ms ? json::value(*g.duration_ms) : json::value(nullptr)},
            {"confidence", opt_num(g.confidence)},
            {"final", g.final},
            {"source", s.source}};
}

json::array transcript_json(const std::vector<store::stored_segment>& transcript) {
    json::array a;
    a.reserve(transcript.size());
    for (auto const& s : transcript) a.push_back(segment_json(s));
    return a;
}

json::array status_history_json(const std::vector<store::status_step>& steps) {
    json::array a;
    for (auto const& s : steps)
        a.push_back(json::object{{"status", sdk::to_string(s.status)},
                                 {"provider_status", opt_str(s.provider_status)},
                                 {"at", opt_time(s.at)},
                                 {"recorded_at", core::to_iso8601(s.recorded_at)}});
    return a;
}

json::object call_detail_json(const store::call_row& row, const std::vector<store::stored_segment>& transcript,
                              const std::vector<store::status_step>& history) {
    auto o = call_json(row);
    o["status_history"] = status_history_json(history);
    o["transcript"] = transcript_json(transcript);
    o["analytics"] = row.analytics ? json::value(analytics_json(*row.analytics)) : json::value(nullptr);
    return o;
}

json::object org_json(const store::org_row& org) {
    return {{"id", org.id},
            {"name", org.name},
            {"created_at", core::to_iso8601(org.created_at)},
            {"updated_at", core::to_iso8601(org.updated_at)}};
}

}  // namespace switchboard::api
