// One organisation's search index (Xapian): chunks with their document, title,
// heading and tags, BM25 ranking, stemming and stop words, phrase and prefix queries,
// and the store's change sequence it has applied (kept in the same commit as the
// changes, so "applied N" is exact). Searches may run on many threads while another
// applies changes: each search uses a reader handle of its own, reopened when the
// index moved on, and never sees half of a batch.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace switchboard::knowledge {

struct indexed_chunk {
    std::string chunk_id;  // unique in the org: "<document id>#<ordinal>"
    std::string document_id;
    std::string title;
    std::string heading;
    std::string text;
    std::vector<std::string> tags;
};

struct search_request {
    std::string query;              // caller words; "quoted phrases" and prefix* honoured
    std::size_t limit = 3;
    double min_score = 0;           // relevance floor on the BM25 weight; 0: none
    std::vector<std::string> tags;  // when set: only chunks with any of these tags
};

struct search_hit {
    std::string chunk_id, document_id, title, heading, text;
    std::vector<std::string> tags;
    double score = 0;  // BM25 weight
};

struct index_stats {
    std::size_t chunks = 0;
    std::int64_t applied_sequence = 0;
};

class search_index {
public:
    // Opens or creates the index in `directory`. `language`: a Xapian stemmer name
    // ("english"), or "none". Throws std::runtime_error naming the folder.
    search_index(std::filesystem::path directory, std::string language = "english");
    ~search_index();
    search_index(const search_index&) = delete;
    search_index& operator=(const search_index&) = delete;

    // Replaces every chunk of each document with the given ones (none: the document is
    // gone) and records `sequence` as applied, in one commit.
    struct document_update {
        std::string document_id;
        std::vector<indexed_chunk> chunks;
    };
    void apply(const std::vector<document_update>& updates, std::int64_t sequence);

    // Empties the index (a rebuild follows); the applied sequence becomes 0.
    void clear();

    // Best first. A query with no usable words gives no hits; never throws for a
    // query's sake (a malformed one is read as plain words).
    std::vector<search_hit> search(const search_request& request) const;

    index_stats stats() const;
    std::int64_t applied_sequence() const;
    const std::filesystem::path& directory() const noexcept;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace switchboard::knowledge
