#include "host/knowledge/search_index.hpp"

#include <xapian.h>

#include <atomic>
#include <charconv>
#include <mutex>
#include <stdexcept>

namespace switchboard::knowledge {

namespace {

constexpr const char* sequence_key = "switchboard.applied_sequence";

// The bench's stop words (../shared/bench/peer-fastapi/app.py) and a few more common
// English function words: searches rank on what the caller asked about.
const char* const english_stop_words[] = {
    "a", "an", "the", "is", "are", "was", "were", "be", "been", "am", "i", "me", "my", "we", "our", "you",
    "your", "it", "its", "of", "to", "in", "on", "at", "for", "from", "by", "with", "and", "or", "not", "no",
    "do", "does", "did", "can", "could", "would", "should", "will", "shall", "may", "might", "must", "how",
    "what", "when", "where", "which", "who", "whom", "why", "there", "here", "this", "that", "these", "those",
    "have", "has", "had", "any", "some", "about", "into", "as", "if", "than", "then", "so", "just", "please",
    "tell", "know", "want", "need", "get", "like", "he", "she", "they", "them", "their", "his", "her", "us",
    "im", "ive", "id", "hi", "hello", "thanks", "thank"};

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Document data: fields as "<length>:<bytes>", so any text survives.
void put_field(std::string& out, std::string_view field) {
    out += std::to_string(field.size());
    out += ':';
    out += field;
}

bool take_field(std::string_view& in, std::string& field) {
    auto colon = in.find(':');
    if (colon == std::string_view::npos) return false;
    std::size_t n = 0;
    auto [p, ec] = std::from_chars(in.data(), in.data() + colon, n);
    if (ec != std::errc{} || p != in.data() + colon || in.size() < colon + 1 + n) return false;
    field.assign(in.substr(colon + 1, n));
    in.remove_prefix(colon + 1 + n);
    return true;
}

std::string encode(const indexed_chunk& c) {
    std::string out;
    put_field(out, c.chunk_id);
    put_field(out, c.document_id);
    put_field(out, c.title);
    put_field(out, c.heading);
    put_field(out, c.text);
    for (auto const& t : c.tags) put_field(out, t);
    return out;
}

search_hit decode(std::string_view data) {
    search_hit h;
    take_field(data, h.chunk_id) && take_field(data, h.document_id) && take_field(data, h.title) &&
        take_field(data, h.heading) && take_field(data, h.text);
    std::string tag;
    while (take_field(data, tag)) h.tags.push_back(tag);
    return h;
}

}  // namespace

struct search_index::impl {
    std::filesystem::path directory;
    std::string language;
    Xapian::Stem stemmer;  // the writer's (used under writer_mutex)
    Xapian::SimpleStopper stopper;  // read-only once built: shared

    mutable std::mutex writer_mutex;
    Xapian::WritableDatabase writer;
    std::atomic<std::uint64_t> generation{0};  // bumped by every commit

    // Reader handles, each used by one search at a time.
    // Xapian::Stem keeps state while it stems: one per reader, one for the writer.
    struct reader {
        Xapian::Database db;
        Xapian::Stem stemmer;
        std::uint64_t generation = 0;
    };
    mutable std::mutex readers_mutex;
    mutable std::vector<std::unique_ptr<reader>> idle;

    // Call with writer_mutex held.
    std::int64_t applied() const {
        const std::string v = writer.get_metadata(sequence_key);
        std::int64_t n = 0;
        std::from_chars(v.data(), v.data() + v.size(), n);
        return n;
    }

    std::runtime_error error(const std::string& what, const Xapian::Error& e) const {
        return std::runtime_error("knowledge index " + directory.string() + ": " + what + ": " + e.get_msg() +
                                  " (" + e.get_type() + ")");
    }

    // An idle reader, or a new one (opening may race a commit: the caller retries).
    std::unique_ptr<reader> lease() const {
        {
            std::lock_guard lock(readers_mutex);
            if (!idle.empty()) {
                auto r = std::move(idle.back());
                idle.pop_back();
                return r;
            }
        }
        auto r = std::make_unique<reader>();
        r->generation = generation.load();  // read before opening: a later commit still reopens
        r->db = Xapian::Database(directory.string());
        if (language != "none") r->stemmer = Xapian::Stem(language);
        return r;
    }
    void give_back(std::unique_ptr<reader> r) const {
        std::lock_guard lock(readers_mutex);
        if (idle.size() < 16) idle.push_back(std::move(r));
    }

    // The writer's term generator, set up once (used under writer_mutex).
    Xapian::TermGenerator gen;
    void set_up_generator() {
        if (language == "none") return;
        gen.set_stemmer(stemmer);
        gen.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        gen.set_stopper(&stopper);
        gen.set_stopper_strategy(Xapian::TermGenerator::STOP_STEMMED);
    }

    // Call with writer_mutex held.
    Xapian::Document document(const indexed_chunk& c) {
        Xapian::Document doc;
        gen.set_document(doc);
        gen.index_text(c.title, 2);  // the title counts twice
        gen.increase_termpos();
        gen.index_text(c.heading);
        gen.increase_termpos();
        gen.index_text(c.text);
        doc.add_boolean_term("Q" + c.chunk_id);
        doc.add_boolean_term("D" + c.document_id);
        for (auto const& t : c.tags) doc.add_boolean_term("K" + lower(t));
        doc.set_data(encode(c));
        return doc;
    }

    Xapian::Query parse(const std::string& text, const reader& r) const {
        auto const& db = r.db;
        Xapian::QueryParser qp;
        qp.set_database(db);  // wildcards expand against it
        qp.set_default_op(Xapian::Query::OP_OR);
        if (language != "none") {
            qp.set_stemmer(r.stemmer);
            qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
            qp.set_stopper(&stopper);
        }
        const unsigned flags = Xapian::QueryParser::FLAG_PHRASE | Xapian::QueryParser::FLAG_LOVEHATE |
                               Xapian::QueryParser::FLAG_WILDCARD;
        try {
            return qp.parse_query(text, flags);
        } catch (const Xapian::QueryParserError&) {
            // Unbalanced quotes and the like: the caller's words, plainly.
            std::string plain;
            for (char c : text) plain.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : ' ');
            return qp.parse_query(plain, 0);
        }
    }
};

search_index::search_index(std::filesystem::path directory, std::string language) : impl_(std::make_unique<impl>()) {
    impl_->directory = std::move(directory);
    impl_->language = language.empty() ? "english" : std::move(language);
    try {
        if (impl_->language != "none") impl_->stemmer = Xapian::Stem(impl_->language);
    } catch (const Xapian::Error& e) {
        throw std::runtime_error("knowledge index: unknown language '" + impl_->language + "': " + e.get_msg());
    }
    if (impl_->language == "english")
        for (auto const* w : english_stop_words) impl_->stopper.add(w);
    impl_->set_up_generator();
    std::error_code ec;
    std::filesystem::create_directories(impl_->directory, ec);
    if (ec) throw std::runtime_error("knowledge index " + impl_->directory.string() + ": cannot create: " + ec.message());
    try {
        impl_->writer = Xapian::WritableDatabase(impl_->directory.string(), Xapian::DB_CREATE_OR_OPEN);
    } catch (const Xapian::Error& e) {
        throw impl_->error("cannot open", e);
    }
}

search_index::~search_index() = default;

void search_index::apply(const std::vector<document_update>& updates, std::int64_t sequence) {
    std::lock_guard lock(impl_->writer_mutex);
    try {
        for (auto const& u : updates) {
            // The document's old chunks go first, so its new ones can simply be added
            // when their ids are "<document id>#n" (no other document can hold them).
            impl_->writer.delete_document("D" + u.document_id);
            const std::string own = u.document_id + "#";
            for (auto const& c : u.chunks) {
                if (c.chunk_id.starts_with(own))
                    impl_->writer.add_document(impl_->document(c));
                else
                    impl_->writer.replace_document("Q" + c.chunk_id, impl_->document(c));
            }
        }
        impl_->writer.set_metadata(sequence_key, std::to_string(sequence));
        impl_->writer.commit();
    } catch (const Xapian::Error& e) {
        throw impl_->error("cannot apply changes", e);
    }
    ++impl_->generation;
}

void search_index::clear() {
    std::lock_guard lock(impl_->writer_mutex);
    try {
        std::vector<Xapian::docid> ids;
        for (auto it = impl_->writer.postlist_begin(""); it != impl_->writer.postlist_end(""); ++it) ids.push_back(*it);
        for (auto id : ids) impl_->writer.delete_document(id);
        impl_->writer.set_metadata(sequence_key, "0");
        impl_->writer.commit();
    } catch (const Xapian::Error& e) {
        throw impl_->error("cannot clear", e);
    }
    ++impl_->generation;
}

std::vector<search_hit> search_index::search(const search_request& request) const {
    std::vector<search_hit> hits;
    if (request.limit == 0) return hits;
    std::unique_ptr<impl::reader> r;
    for (int attempt = 0;; ++attempt) {
        try {
            if (!r) r = impl_->lease();
            const auto now = impl_->generation.load();
            if (r->generation != now) {
                r->db.reopen();
                r->generation = now;
            }
            Xapian::Query q = impl_->parse(request.query, *r);
            if (q.empty()) break;
            if (!request.tags.empty()) {
                std::vector<Xapian::Query> tags;
                for (auto const& t : request.tags) tags.emplace_back("K" + lower(t));
                q = Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(Xapian::Query::OP_OR, tags.begin(), tags.end()));
            }
            Xapian::Enquire enquire(r->db);
            enquire.set_query(q);
            enquire.set_weighting_scheme(Xapian::BM25Weight());
            if (request.min_score > 0) enquire.set_cutoff(0, request.min_score);
            auto mset = enquire.get_mset(0, static_cast<Xapian::doccount>(request.limit));
            hits.clear();
            for (auto it = mset.begin(); it != mset.end(); ++it) {
                auto h = decode(it.get_document().get_data());
                h.score = it.get_weight();
                hits.push_back(std::move(h));
            }
            break;
        } catch (const Xapian::DatabaseModifiedError&) {
            // Commits recycled blocks this revision still used (or one landed while
            // opening): start again on the latest revision.
            if (attempt >= 5) throw std::runtime_error("knowledge index " + impl_->directory.string() +
                                                       ": changing too fast to read");
            r.reset();  // a fresh handle on the latest revision
        } catch (const Xapian::Error& e) {
            throw impl_->error("search failed", e);
        }
    }
    impl_->give_back(std::move(r));
    return hits;
}

index_stats search_index::stats() const {
    std::lock_guard lock(impl_->writer_mutex);
    return {static_cast<std::size_t>(impl_->writer.get_doccount()), impl_->applied()};
}

std::int64_t search_index::applied_sequence() const {
    std::lock_guard lock(impl_->writer_mutex);
    return impl_->applied();
}

const std::filesystem::path& search_index::directory() const noexcept { return impl_->directory; }

}  // namespace switchboard::knowledge
