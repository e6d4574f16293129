// The knowledge base's documents and chunks, and the change sequence the search index
// follows (host/knowledge). Every write records one knowledge_changes row per document
// in the same transaction, so "the index has applied sequence N" means it has seen
// every document write up to N.
#include "host/core/ids.hpp"
#include "host/core/time.hpp"
#include "host/store/store_impl.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <map>

namespace switchboard::store {

namespace {

std::string tags_text(const std::vector<std::string>& tags) {
    boost::json::array a;
    for (auto const& t : tags) a.emplace_back(t);
    return boost::json::serialize(a);
}

std::vector<std::string> read_tags(const std::string& text) {
    std::vector<std::string> out;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_array()) return out;
    for (auto const& t : v.get_array())
        if (t.is_string()) out.emplace_back(t.get_string());
    return out;
}

struct document_reader {
    std::string id, org, external_id, title, body, format, tags, created, updated;
    long long sequence = 0, chunks = 0;
    soci::indicator i_created = soci::i_null, i_updated = soci::i_null, i_body = soci::i_null;

    // `body_column`: "d.body", or "''" for lists that leave it out.
    static std::string columns(const char* body_column) {
        return std::string("d.id, d.org_id, d.external_id, d.title, ") + body_column +
               ", d.format, d.tags_json, d.sequence, d.created_at, d.updated_at, "
               "(SELECT COUNT(*) FROM knowledge_chunks c WHERE c.document_id = d.id)";
    }
    void bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(org));
        st.exchange(soci::into(external_id));
        st.exchange(soci::into(title));
        st.exchange(soci::into(body, i_body));
        st.exchange(soci::into(format));
        st.exchange(soci::into(tags));
        st.exchange(soci::into(sequence));
        st.exchange(soci::into(created, i_created));
        st.exchange(soci::into(updated, i_updated));
        st.exchange(soci::into(chunks));
    }
    knowledge_document row() const {
        knowledge_document d;
        d.id = id;
        d.org = org;
        d.external_id = external_id;
        d.title = title;
        d.body = i_body == soci::i_ok ? body : std::string();
        d.format = format;
        d.tags = read_tags(tags);
        d.sequence = sequence;
        d.chunk_count = chunks;
        d.created_at = read_time_or_epoch(created, i_created);
        d.updated_at = read_time_or_epoch(updated, i_updated);
        return d;
    }
};

std::vector<knowledge_document> select_documents(soci::session& s, const char* body_column, const std::string& tail,
                                                 bound_params& params,
                                                 const std::function<void(soci::statement&)>& extra = {}) {
    document_reader r;
    soci::statement st(s);
    r.bind(st);
    params.bind(st);
    if (extra) extra(st);
    st.alloc();
    st.prepare("SELECT " + document_reader::columns(body_column) + " FROM knowledge_documents d " + tail);
    st.define_and_bind();
    st.execute(false);
    std::vector<knowledge_document> out;
    while (st.fetch()) out.push_back(r.row());
    return out;
}

// Serialises writers on PostgreSQL until commit, so sequences commit in order and a
// follower reading "after N" never skips a sequence committed late (BIGSERIAL hands
// numbers out at insert, not at commit). Readers are not blocked. SQLite has one
// writer anyway.
void lock_changes(soci::session& s, backend kind) {
    if (kind == backend::postgresql) s << "LOCK TABLE knowledge_changes IN EXCLUSIVE MODE";
}

long long record_change(soci::session& s, const std::string& org, const std::string& document_id,
                        const std::string& at) {
    long long seq = 0;
    s << "INSERT INTO knowledge_changes (org_id, document_id, changed_at) VALUES (:o, :d, :a) RETURNING sequence",
        soci::use(org, "o"), soci::use(document_id, "d"), soci::use(at, "a"), soci::into(seq);
    return seq;
}

}  // namespace

std::int64_t store::put_knowledge(std::vector<knowledge_entry>& entries) {
    return guarded("put_knowledge", [&] {
        lease s(*impl_);
        write_tx tx(*s, impl_->kind);
        lock_changes(*s, impl_->kind);
        long long last = 0;
        // One prepared insert for every chunk of the batch (an import writes 1000s).
        std::string chunk_id, chunk_document, heading, text;
        int ordinal = 0;
        soci::statement ins =
            (s->prepare << "INSERT INTO knowledge_chunks (id, document_id, ordinal, heading, text) "
                           "VALUES (:id, :d, :n, :h, :t)",
             soci::use(chunk_id, "id"), soci::use(chunk_document, "d"), soci::use(ordinal, "n"),
             soci::use(heading, "h"), soci::use(text, "t"));
        for (auto& e : entries) {
            auto& d = e.document;
            if (d.org.empty()) throw store_error("store: put_knowledge: a document has no org");
            const std::string now = now_text();
            // Who is being replaced: the id given, else the import name.
            std::string existing_id, existing_created;
            soci::indicator i_id = soci::i_null, i_created = soci::i_null;
            if (!d.id.empty()) {
                *s << "SELECT id, created_at FROM knowledge_documents WHERE id = :id AND org_id = :o",
                    soci::use(d.id, "id"), soci::use(d.org, "o"), soci::into(existing_id, i_id),
                    soci::into(existing_created, i_created);
            } else if (!d.external_id.empty()) {
                // "external_id <> ''" lets both databases use the partial unique index.
                *s << "SELECT id, created_at FROM knowledge_documents WHERE org_id = :o AND external_id = :x "
                      "AND external_id <> ''",
                    soci::use(d.org, "o"), soci::use(d.external_id, "x"), soci::into(existing_id, i_id),
                    soci::into(existing_created, i_created);
            }
            const bool replace = i_id == soci::i_ok;
            if (replace) d.id = existing_id;
            if (d.id.empty()) d.id = core::new_id();
            const std::string created = replace && i_created == soci::i_ok ? existing_created : now;
            const long long seq = record_change(*s, d.org, d.id, now);
            const std::string tags = tags_text(d.tags);
            if (replace) {
                *s << "DELETE FROM knowledge_chunks WHERE document_id = :id", soci::use(d.id, "id");
                *s << "UPDATE knowledge_documents SET external_id = :x, title = :t, body = :b, format = :f, "
                      "tags_json = :g, sequence = :q, updated_at = :u WHERE id = :id",
                    soci::use(d.external_id, "x"), soci::use(d.title, "t"), soci::use(d.body, "b"),
                    soci::use(d.format, "f"), soci::use(tags, "g"), soci::use(seq, "q"), soci::use(now, "u"),
                    soci::use(d.id, "id");
            } else {
                *s << "INSERT INTO knowledge_documents (id, org_id, external_id, title, body, format, tags_json, "
                      "sequence, created_at, updated_at) VALUES (:id, :o, :x, :t, :b, :f, :g, :q, :c, :u)",
                    soci::use(d.id, "id"), soci::use(d.org, "o"), soci::use(d.external_id, "x"),
                    soci::use(d.title, "t"), soci::use(d.body, "b"), soci::use(d.format, "f"), soci::use(tags, "g"),
                    soci::use(seq, "q"), soci::use(created, "c"), soci::use(now, "u");
            }
            chunk_document = d.id;
            for (std::size_t i = 0; i < e.chunks.size(); ++i) {
                auto& c = e.chunks[i];
                c.ordinal = static_cast<int>(i);
                c.id = d.id + "#" + std::to_string(i);
                chunk_id = c.id;
                ordinal = c.ordinal;
                heading = c.heading;
                text = c.text;
                ins.execute(true);
            }
            d.sequence = seq;
            d.chunk_count = static_cast<std::int64_t>(e.chunks.size());
            d.created_at = core::parse_iso8601(created).value_or(sdk::time_point{});
            d.updated_at = core::parse_iso8601(now).value_or(sdk::time_point{});
            last = seq;
        }
        tx.commit();
        return static_cast<std::int64_t>(last);
    });
}

bool store::delete_knowledge(const std::string& id, const std::string& org) {
    return guarded("delete_knowledge", [&] {
        lease s(*impl_);
        write_tx tx(*s, impl_->kind);
        lock_changes(*s, impl_->kind);
        soci::statement st = (s->prepare << "DELETE FROM knowledge_documents WHERE id = :id AND org_id = :o",
                              soci::use(id, "id"), soci::use(org, "o"));
        st.execute(true);
        if (st.get_affected_rows() == 0) return false;
        record_change(*s, org, id, now_text());
        tx.commit();
        return true;
    });
}

std::optional<knowledge_document> store::get_knowledge(const std::string& id, const std::string& org) {
    return guarded("get_knowledge", [&]() -> std::optional<knowledge_document> {
        lease s(*impl_);
        bound_params p;
        const std::string tail = "WHERE d.id = " + p.add(id) + " AND d.org_id = " + p.add(org);
        auto rows = select_documents(*s, "d.body", tail, p);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    });
}

knowledge_page store::list_knowledge(const knowledge_filter& f) {
    return guarded("list_knowledge", [&] {
        lease s(*impl_);
        bound_params p;
        std::string where = "WHERE d.org_id = " + p.add(f.org);
        // Tags are a JSON array of strings: match the quoted element, with LIKE's own
        // wildcards escaped (the API refuses tags with '"' or '\\').
        if (!f.tag.empty()) {
            std::string element = tags_text({f.tag}), pattern = "%";
            for (char c : element.substr(1, element.size() - 2)) {
                if (c == '%' || c == '_' || c == '!') pattern += '!';
                pattern += c;
            }
            where += " AND d.tags_json LIKE " + p.add(pattern + "%") + " ESCAPE '!'";
        }
        knowledge_page page;
        {
            bound_params count_params = p;
            long long total = 0;
            soci::statement st(*s);
            st.exchange(soci::into(total));
            count_params.bind(st);
            st.alloc();
            st.prepare("SELECT COUNT(*) FROM knowledge_documents d " + where);
            st.define_and_bind();
            st.execute(true);
            page.total = total;
        }
        const int size = std::clamp(f.page_size, 1, 100);
        const int offset = (std::max(f.page, 1) - 1) * size;
        int limit = size, skip = offset;
        page.documents = select_documents(*s, "''", where + " ORDER BY d.updated_at DESC, d.id DESC LIMIT :lim OFFSET :off",
                                          p, [&](soci::statement& st) {
                                              st.exchange(soci::use(limit, "lim"));
                                              st.exchange(soci::use(skip, "off"));
                                          });
        return page;
    });
}

std::vector<store::knowledge_change> store::knowledge_changes(const std::string& org, std::int64_t after, int limit) {
    return guarded("knowledge_changes", [&] {
        lease s(*impl_);
        // The newest sequence per document among the next changes: one entry per document.
        std::map<std::string, long long> newest;
        std::vector<std::string> order;
        {
            long long seq = 0, from = after;
            std::string doc;
            int rows = std::max(limit, 1);
            soci::statement st =
                (s->prepare << "SELECT sequence, document_id FROM knowledge_changes WHERE org_id = :o AND sequence > :a "
                               "ORDER BY sequence LIMIT :l",
                 soci::use(org, "o"), soci::use(from, "a"), soci::use(rows, "l"), soci::into(seq), soci::into(doc));
            st.execute(false);
            while (st.fetch()) {
                auto [it, fresh] = newest.emplace(doc, seq);
                if (fresh) order.push_back(doc);
                else it->second = seq;
            }
        }
        // The changed documents and their chunks, a few hundred ids per query (one
        // query per document made a 100k rebuild take 30 s).
        std::map<std::string, knowledge_entry> found;
        constexpr std::size_t per_query = 400;
        for (std::size_t from = 0; from < order.size(); from += per_query) {
            const std::size_t to = std::min(order.size(), from + per_query);
            bound_params p;
            std::string ids;
            for (std::size_t i = from; i < to; ++i) ids += (ids.empty() ? "" : ", ") + p.add(order[i]);
            bound_params chunk_params = p;
            for (auto& d : select_documents(*s, "''", "WHERE d.org_id = " + p.add(org) + " AND d.id IN (" + ids + ")", p))
                found[d.id].document = std::move(d);
            knowledge_chunk c;
            std::string doc;
            soci::statement st(*s);
            st.exchange(soci::into(doc));
            st.exchange(soci::into(c.id));
            st.exchange(soci::into(c.ordinal));
            st.exchange(soci::into(c.heading));
            st.exchange(soci::into(c.text));
            chunk_params.bind(st);
            st.alloc();
            st.prepare("SELECT document_id, id, ordinal, heading, text FROM knowledge_chunks WHERE document_id IN (" +
                       ids + ") ORDER BY document_id, ordinal");
            st.define_and_bind();
            st.execute(false);
            while (st.fetch())
                if (auto it = found.find(doc); it != found.end()) it->second.chunks.push_back(c);
        }
        std::vector<knowledge_change> out;
        out.reserve(order.size());
        for (auto const& doc : order) {
            knowledge_change c;
            c.sequence = newest[doc];
            c.document_id = doc;
            if (auto it = found.find(doc); it != found.end()) c.entry = std::move(it->second);
            out.push_back(std::move(c));
        }
        std::sort(out.begin(), out.end(), [](auto const& a, auto const& b) { return a.sequence < b.sequence; });
        return out;
    });
}

std::int64_t store::knowledge_sequence(const std::string& org) {
    return guarded("knowledge_sequence", [&] {
        lease s(*impl_);
        long long seq = 0;
        soci::indicator ind = soci::i_null;
        *s << "SELECT MAX(sequence) FROM knowledge_changes WHERE org_id = :o", soci::use(org, "o"), soci::into(seq, ind);
        return static_cast<std::int64_t>(ind == soci::i_ok ? seq : 0);
    });
}

std::vector<std::string> store::knowledge_orgs() {
    return guarded("knowledge_orgs", [&] {
        lease s(*impl_);
        std::string org;
        soci::statement st = (s->prepare << "SELECT DISTINCT org_id FROM knowledge_changes ORDER BY org_id", soci::into(org));
        st.execute(false);
        std::vector<std::string> out;
        while (st.fetch()) out.push_back(org);
        return out;
    });
}

}  // namespace switchboard::store
