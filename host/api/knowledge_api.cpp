// /api/v1/knowledge: an organisation's knowledge-base documents (stored, chunked and
// indexed by knowledge::library) and the same search the assistant's tool uses.
#include "host/api/api_context.hpp"
#include "host/api/calls_out.hpp"
#include "host/api/params.hpp"
#include "host/api/routes.hpp"
#include "host/core/time.hpp"
#include "host/http/router.hpp"
#include "host/knowledge/library.hpp"
#include "host/store/store.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <set>

namespace switchboard::api {
namespace json = boost::json;
using http::access;

namespace {

constexpr std::size_t max_title = 500;
constexpr std::size_t max_body = 2 * 1024 * 1024;
constexpr std::size_t max_tags = 32;

knowledge::library& library_of(api_context& ctx) {
    if (!ctx.knowledge) throw http::http_error(503, "the knowledge base is not available on this host");
    return *ctx.knowledge;
}

json::object document_json(const store::knowledge_document& d, bool with_body) {
    json::array tags;
    for (auto const& t : d.tags) tags.emplace_back(t);
    json::object o{{"id", d.id},
                   {"org", d.org},
                   {"title", d.title},
                   {"format", d.format},
                   {"tags", std::move(tags)},
                   {"chunks", d.chunk_count},
                   {"sequence", d.sequence},
                   {"created_at", core::to_iso8601(d.created_at)},
                   {"updated_at", core::to_iso8601(d.updated_at)}};
    if (!d.external_id.empty()) o["external_id"] = d.external_id;
    if (with_body) o["text"] = d.body;
    return o;
}

std::string string_field(const json::object& o, std::string_view key, const std::string& where) {
    auto const* v = o.if_contains(key);
    if (!v || v->is_null()) return {};
    if (!v->is_string()) throw http::http_error(422, where + std::string(key) + ": expected a string");
    return std::string(v->get_string());
}

// One document of a request body: title, and text or markdown (format follows the
// key used, or "format"), tags, external_id. `base` gives the values a PUT keeps.
knowledge::document_input read_document(const json::object& o, const std::string& where,
                                        const store::knowledge_document* base = nullptr) {
    static const std::set<std::string, std::less<>> known{"title", "text", "markdown", "format", "tags",
                                                          "external_id", "org"};
    for (auto const& kv : o)
        if (!known.count(kv.key()))
            throw http::http_error(422, where + std::string(kv.key()) +
                                            ": unknown field (title, text, markdown, format, tags, external_id)");
    knowledge::document_input d;
    if (base) {
        d.id = base->id;
        d.external_id = base->external_id;
        d.title = base->title;
        d.body = base->body;
        d.format = base->format;
        d.tags = base->tags;
    }
    if (o.contains("title")) d.title = string_field(o, "title", where);
    if (o.contains("external_id")) d.external_id = string_field(o, "external_id", where);
    const bool has_text = o.contains("text"), has_markdown = o.contains("markdown");
    if (has_text && has_markdown) throw http::http_error(422, where + "text, markdown: give one of them");
    if (has_text) {
        d.body = string_field(o, "text", where);
        if (!base || !o.contains("format")) d.format = "text";
    }
    if (has_markdown) {
        d.body = string_field(o, "markdown", where);
        d.format = "markdown";
    }
    if (o.contains("format")) {
        auto f = string_field(o, "format", where);
        if (f != "text" && f != "markdown") throw http::http_error(422, where + "format: text or markdown");
        if (has_markdown && f != "markdown") throw http::http_error(422, where + "format: markdown was given");
        d.format = f;
    }
    if (auto const* t = o.if_contains("tags")) {
        if (!t->is_array()) throw http::http_error(422, where + "tags: expected an array of strings");
        if (t->get_array().size() > max_tags)
            throw http::http_error(422, where + "tags: at most " + std::to_string(max_tags));
        d.tags.clear();
        for (auto const& tag : t->get_array()) {
            if (!tag.is_string() || tag.get_string().empty() || tag.get_string().size() > 64)
                throw http::http_error(422, where + "tags: each tag is a string of 1 to 64 characters");
            std::string s(tag.get_string());
            if (s.find_first_of("\"\\") != std::string::npos)
                throw http::http_error(422, where + "tags: a tag cannot contain '\"' or '\\'");
            if (std::find(d.tags.begin(), d.tags.end(), s) == d.tags.end()) d.tags.push_back(std::move(s));
        }
    }
    if (d.title.empty()) throw http::http_error(422, where + "title: required");
    if (d.title.size() > max_title)
        throw http::http_error(422, where + "title: at most " + std::to_string(max_title) + " characters");
    if (!base && !has_text && !has_markdown) throw http::http_error(422, where + "text or markdown: required");
    if (d.body.size() > max_body) throw http::http_error(413, where + "text: at most 2 MiB per document");
    return d;
}

// The caller's org for a read: its own, or (admin) the `org` parameter, required.
std::string reading_org(api_context& ctx, const http::request& req) { return acting_org(ctx, req, {}); }

store::knowledge_document find_document(api_context& ctx, const http::request& req, const std::string& org) {
    auto d = ctx.store.get_knowledge(req.params.at("id"), org);
    if (!d) throw http::http_error(404, "document not found");
    return std::move(*d);
}

// POST: one document, or {"documents": [...]} (up to 1000) in one transaction.
http::response create(api_context& ctx, const http::request& req) {
    auto body = json_object_body(req);
    auto org = acting_org(ctx, req, body);
    std::vector<knowledge::document_input> docs;
    const bool batch = body.contains("documents");
    if (batch) {
        auto const* list = body.if_contains("documents");
        if (!list->is_array() || list->get_array().empty() || list->get_array().size() > 1000)
            throw http::http_error(422, "documents: expected an array of 1 to 1000 documents");
        for (auto const& kv : body)
            if (kv.key() != "documents" && kv.key() != "org")
                throw http::http_error(422, std::string(kv.key()) + ": unknown field next to documents");
        std::size_t i = 0;
        for (auto const& item : list->get_array()) {
            const std::string where = "documents[" + std::to_string(i++) + "].";
            if (!item.is_object()) throw http::http_error(422, where.substr(0, where.size() - 1) + ": expected an object");
            docs.push_back(read_document(item.get_object(), where));
        }
    } else {
        docs.push_back(read_document(body, ""));
    }
    auto stored = library_of(ctx).put(org, std::move(docs));
    spdlog::info("org {}: {} knowledge document(s) stored by {}", org, stored.size(), req.auth->subject);
    if (!batch) return http::response::json(201, document_json(stored.front(), false));
    json::array out;
    for (auto const& d : stored) out.push_back(document_json(d, false));
    return http::response::json(201, json::object{{"documents", std::move(out)}});
}

http::response list(api_context& ctx, const http::request& req) {
    store::knowledge_filter f;
    f.org = reading_org(ctx, req);
    f.tag = str_param(req, "tag").value_or("");
    f.page = static_cast<int>(int_param(req, "page", 1, 1'000'000).value_or(1));
    f.page_size = static_cast<int>(int_param(req, "page_size", 1, 100).value_or(20));
    auto page = ctx.store.list_knowledge(f);
    json::array items;
    for (auto const& d : page.documents) items.push_back(document_json(d, false));
    return http::response::json(200, json::object{{"documents", std::move(items)},
                                                  {"total", page.total},
                                                  {"page", f.page},
                                                  {"page_size", f.page_size}});
}

http::response get_one(api_context& ctx, const http::request& req) {
    return http::response::json(200, document_json(find_document(ctx, req, reading_org(ctx, req)), true));
}

// PUT replaces the fields given and keeps the others; the document is chunked again.
http::response update(api_context& ctx, const http::request& req) {
    auto body = json_object_body(req);
    auto org = acting_org(ctx, req, body);
    auto current = find_document(ctx, req, org);
    auto doc = read_document(body, "", &current);
    auto stored = library_of(ctx).put(org, {std::move(doc)});
    spdlog::info("org {}: knowledge document {} updated by {}", org, current.id, req.auth->subject);
    return http::response::json(200, document_json(stored.front(), false));
}

http::response remove(api_context& ctx, const http::request& req) {
    auto org = reading_org(ctx, req);
    auto const& id = req.params.at("id");
    if (!library_of(ctx).remove(org, id)) throw http::http_error(404, "document not found");
    spdlog::info("org {}: knowledge document {} deleted by {}", org, id, req.auth->subject);
    return http::response::json(200, json::object{{"id", id}, {"deleted", true}});
}

http::response search(api_context& ctx, const http::request& req) {
    auto org = reading_org(ctx, req);
    auto q = str_param(req, "q");
    if (!q || q->empty()) throw http::http_error(422, "q: required");
    if (q->size() > 1000) throw http::http_error(422, "q: at most 1000 characters");
    sdk::knowledge_query query;
    query.query = *q;
    query.limit = static_cast<std::size_t>(int_param(req, "limit", 1, 50).value_or(5));
    if (auto tag = str_param(req, "tag")) query.tags.push_back(*tag);
    const auto began = std::chrono::steady_clock::now();
    auto found = library_of(ctx).search(org, query);
    const double took_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - began).count();
    if (!found.available) throw http::http_error(503, found.error);
    json::array results;
    for (auto const& p : found.passages)
        results.push_back(json::object{{"document_id", p.document_id},
                                       {"title", p.title},
                                       {"heading", p.heading},
                                       {"text", p.text},
                                       {"score", p.score}});
    return http::response::json(200, json::object{{"query", *q}, {"results", std::move(results)}, {"took_ms", took_ms}});
}

http::response status(api_context& ctx, const http::request& req) {
    auto org = reading_org(ctx, req);
    auto s = library_of(ctx).status(org);
    return http::response::json(200, json::object{{"org", org},
                                                  {"chunks", s.chunks},
                                                  {"applied_sequence", s.applied_sequence},
                                                  {"store_sequence", s.store_sequence},
                                                  {"in_step", s.applied_sequence == s.store_sequence}});
}

}  // namespace

void add_knowledge_routes(http::router& r, api_context& ctx) {
    const std::string doc_schema =
        R"({"type":"object","properties":{"id":{"type":"string"},"org":{"type":"string"},"title":{"type":"string"},)"
        R"("format":{"type":"string","enum":["markdown","text"]},"tags":{"type":"array","items":{"type":"string"}},)"
        R"("chunks":{"type":"integer"},"sequence":{"type":"integer"},"external_id":{"type":"string"},)"
        R"("text":{"type":"string","description":"GET of one document only"},)"
        R"("created_at":{"type":"string","format":"date-time"},"updated_at":{"type":"string","format":"date-time"}}})";
    const std::string input_props =
        R"("title":{"type":"string"},"text":{"type":"string","description":"plain text"},)"
        R"("markdown":{"type":"string","description":"Markdown: chunked by heading"},)"
        R"("format":{"type":"string","enum":["markdown","text"]},"tags":{"type":"array","items":{"type":"string"}},)"
        R"("external_id":{"type":"string","description":"your name for it: posting it again replaces it"},)"
        R"("org":{"type":"string","description":"admin only"})";
    const std::string create_body =
        R"j({"type":"object","description":"one document, or {\"documents\": [...]} (1 to 1000)","properties":{)j" +
        input_props + R"(,"documents":{"type":"array","items":{"type":"object"}}}})";
    const std::string put_body = R"({"type":"object","properties":{)" + input_props + "}}";
    const std::vector<http::param_doc> org_param{{"org", "query", "string", false, "admin only: the organisation"}};
    auto with_org = [&](std::vector<http::param_doc> p) {
        p.insert(p.end(), org_param.begin(), org_param.end());
        return p;
    };

    r.add("POST", "/api/v1/knowledge/documents", access::authenticated,
          {"Add knowledge-base documents (stored, chunked and indexed before the answer)", "knowledge", org_param,
           create_body, doc_schema, {400, 401, 404, 413, 415, 422, 503}},
          [&ctx](http::request& q) { return create(ctx, q); });
    r.add("GET", "/api/v1/knowledge/documents", access::authenticated,
          {"The org's documents, most recently changed first", "knowledge",
           with_org({{"tag", "query", "string", false, "only documents with this tag"},
                     {"page", "query", "integer", false, "1-based"},
                     {"page_size", "query", "integer", false, "1..100, default 20"}}),
           "", R"({"type":"object","properties":{"documents":{"type":"array","items":)" + doc_schema +
                   R"(},"total":{"type":"integer"},"page":{"type":"integer"},"page_size":{"type":"integer"}}})",
           {401, 404, 422}},
          [&ctx](http::request& q) { return list(ctx, q); });
    r.add("GET", "/api/v1/knowledge/documents/{id}", access::authenticated,
          {"One document with its text", "knowledge", org_param, "", doc_schema, {401, 404}},
          [&ctx](http::request& q) { return get_one(ctx, q); });
    r.add("PUT", "/api/v1/knowledge/documents/{id}", access::authenticated,
          {"Change a document: the fields given replace the stored ones; it is chunked and indexed again",
           "knowledge", org_param, put_body, doc_schema, {400, 401, 404, 413, 415, 422, 503}},
          [&ctx](http::request& q) { return update(ctx, q); });
    r.add("DELETE", "/api/v1/knowledge/documents/{id}", access::authenticated,
          {"Delete a document (and its chunks from the index)", "knowledge", org_param, "",
           R"({"type":"object","properties":{"id":{"type":"string"},"deleted":{"type":"boolean"}}})",
           {401, 404, 503}},
          [&ctx](http::request& q) { return remove(ctx, q); });
    r.add("GET", "/api/v1/knowledge/search", access::authenticated,
          {"Search the org's knowledge base (BM25 over the chunks; the same search the assistant's "
           "search_knowledge_base uses)",
           "knowledge",
           with_org({{"q", "query", "string", true, "the words to look for; \"quoted phrases\" and prefix* work"},
                     {"limit", "query", "integer", false, "1..50, default 5"},
                     {"tag", "query", "string", false, "only documents with this tag"}}),
           "",
           R"({"type":"object","properties":{"query":{"type":"string"},"took_ms":{"type":"number"},"results":{"type":"array","items":{"type":"object","properties":{"document_id":{"type":"string"},"title":{"type":"string"},"heading":{"type":"string"},"text":{"type":"string"},"score":{"type":"number"}}}}}})",
           {401, 404, 422, 503}},
          [&ctx](http::request& q) { return search(ctx, q); });
    r.add("GET", "/api/v1/knowledge/status", access::authenticated,
          {"The org's search index against the store: chunks indexed, sequences, in step or not", "knowledge",
           org_param, "",
           R"({"type":"object","properties":{"org":{"type":"string"},"chunks":{"type":"integer"},"applied_sequence":{"type":"integer"},"store_sequence":{"type":"integer"},"in_step":{"type":"boolean"}}})",
           {401, 404, 503}},
          [&ctx](http::request& q) { return status(ctx, q); });
}

}  // namespace switchboard::api
