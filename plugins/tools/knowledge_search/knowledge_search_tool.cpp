#include "knowledge_search_tool.hpp"

#include <switchboard/spoken.hpp>

#include <boost/json/array.hpp>

#include <algorithm>
#include <set>

namespace switchboard::plugins::knowledge_search {

namespace {

namespace json = boost::json;

const json::value* setting(const sdk::tool_invocation& inv, const json::object& global, std::string_view key) {
    if (inv.settings)
        if (auto const* v = inv.settings->if_contains(key)) return v;
    return global.if_contains(key);
}

double number_setting(const sdk::tool_invocation& inv, const json::object& global, std::string_view key,
                      double fallback) {
    auto const* v = setting(inv, global, key);
    return v && v->is_number() ? v->to_number<double>() : fallback;
}

std::string string_setting(const sdk::tool_invocation& inv, const json::object& global, std::string_view key,
                           std::string_view fallback) {
    auto const* v = setting(inv, global, key);
    return v && v->is_string() && !v->get_string().empty() ? std::string(v->get_string()) : std::string(fallback);
}

std::string trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

}  // namespace

std::vector<sdk::tool_spec> knowledge_search_tool::specs() const {
    return {
        {"search_knowledge_base",
         "Search the organisation's knowledge base for facts to answer the caller's question.",
         json::object{{"type", "object"},
                      {"properties",
                       json::object{{"query", json::object{{"type", "string"},
                                                           {"description", "the caller's question or the facts to look up"}}}}},
                      {"required", json::array{"query"}}}},
    };
}

sdk::tool_result knowledge_search_tool::invoke(const sdk::tool_invocation& inv) {
    sdk::tool_result r;
    if (inv.name != "search_knowledge_base") {
        r.ok = false;
        r.result = "unknown function '" + inv.name + "' for tool plugin 'knowledge_search'";
        r.data = json::object{{"error", "unknown_function"}};
        return r;
    }
    std::string query;
    if (auto const* q = inv.arguments.if_contains("query"); q && q->is_string()) query = trimmed(q->get_string());
    if (query.empty()) {
        r.ok = true;  // a line to say (with ok=false the host would say its fallback)
        r.result = "I didn't catch what to look up.";
        r.data = json::object{{"error", "empty_query"}};
        return r;
    }

    const auto top_k = static_cast<std::size_t>(std::clamp(number_setting(inv, config_, "top_k", 3), 1.0, 20.0));
    const auto max_chars = static_cast<std::size_t>(std::clamp(number_setting(inv, config_, "max_chars", 600), 80.0, 4000.0));
    const double relative_floor = std::clamp(number_setting(inv, config_, "relative_floor", 0.35), 0.0, 1.0);
    sdk::knowledge_query kq{query, top_k, std::max(0.0, number_setting(inv, config_, "min_score", 0)), {}};

    sdk::knowledge_answer found;
    if (host_) found = host_->search_knowledge(inv.org, kq);
    else found = {false, {}, "loaded without host services"};
    if (!found.available) {
        r.ok = false;
        r.result = string_setting(inv, config_, "unavailable", "I can't look that up right now.");
        r.data = json::object{{"error", "unavailable"}, {"detail", found.error}};
        if (host_) host_->log(sdk::log_level::warn, "org " + inv.org + ": knowledge search unavailable: " + found.error);
        return r;
    }

    // BM25 weights have no fixed scale: keep what scores near the best passage.
    const double best = found.passages.empty() ? 0 : found.passages.front().score;
    std::string line;
    std::set<std::string> said;  // local: invoke runs on many threads at once
    json::array used;
    bool full = false;
    for (auto const& p : found.passages) {
        if (full || (best > 0 && p.score < relative_floor * best)) break;
        // The title is read out only when the chunk itself has nothing to say.
        std::string text = sdk::spoken::plain_text(p.text);
        if (text.empty()) text = sdk::spoken::plain_text(p.title);
        bool contributed = false;
        for (auto const& s : sdk::spoken::sentences(text)) {
            if (!said.insert(s).second) continue;  // overlapping chunks repeat sentences
            const std::size_t need = line.empty() ? s.size() : line.size() + 1 + s.size();
            if (need > max_chars) {
                if (line.empty()) {  // the best passage always says something
                    line = sdk::spoken::clip(s, max_chars);
                    contributed = !line.empty();
                }
                // Stop here rather than skip ahead: a later, shorter sentence out of
                // order would be said without what led up to it.
                full = true;
                break;
            }
            line += (line.empty() ? "" : " ") + s;
            contributed = true;
        }
        if (contributed)
            used.push_back(json::object{{"document_id", p.document_id},
                                        {"title", p.title},
                                        {"heading", p.heading},
                                        {"score", p.score}});
    }
    r.ok = true;
    r.result = line.empty()
                   ? string_setting(inv, config_, "no_answer", "I couldn't find anything about that in our information.")
                   : line;
    r.data = json::object{{"query", query}, {"passages", std::move(used)}};
    return r;
}

}  // namespace switchboard::plugins::knowledge_search
