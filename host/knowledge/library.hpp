// The knowledge base of every organisation: documents are written to the store (the
// source of truth) and chunked there; each org's search index follows the store's
// change sequence. Writes through this host are visible to its searches as soon as
// the write returns; writes by other hosts on the same database are picked up by the
// follower within `follow_interval`.
#pragma once

#include "host/knowledge/chunker.hpp"
#include "host/store/store.hpp"

#include <switchboard/host_services.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <vector>

namespace switchboard::knowledge {

class search_index;
struct search_hit;

struct library_options {
    std::filesystem::path directory;  // one index folder per org beneath
    std::string language = "english";
    std::chrono::milliseconds follow_interval{1000};  // 0: no follower thread
    chunk_options chunking;
};

// What a caller gives for one document; the library chunks it.
struct document_input {
    std::string id;           // replace this document (of the same org); empty: new, or by external_id
    std::string external_id;  // an import's name for it: importing again replaces it
    std::string title;
    std::string body;
    std::string format = "markdown";  // markdown | text
    std::vector<std::string> tags;
};

struct index_status {
    std::size_t chunks = 0;
    std::int64_t applied_sequence = 0;  // what the index has seen
    std::int64_t store_sequence = 0;    // what the store has
};

class library {
public:
    library(store::store& store, library_options options);
    ~library();  // stops the follower
    library(const library&) = delete;
    library& operator=(const library&) = delete;

    // Brings every org's index in step with the store (building missing or stale ones),
    // then starts the follower. Call once, before serving.
    void start();

    // Stores the documents (one transaction) and applies them to the org's index
    // before returning. Throws store::store_error on a storage failure.
    std::vector<store::knowledge_document> put(const std::string& org, std::vector<document_input> documents);
    bool remove(const std::string& org, const std::string& id);

    // Never throws: a failure is an answer with available = false and the reason.
    sdk::knowledge_answer search(std::string_view org, const sdk::knowledge_query& query);

    // Applies the org's pending changes; rebuilds its index when the index has seen
    // more than the store holds (a different or restored database). Returns how many
    // documents changed in the index.
    std::size_t sync(const std::string& org);
    index_status status(const std::string& org);

    const library_options& options() const noexcept { return options_; }

private:
    struct org_index;
    // The org's index, opened (and caught up) on first use; `caught_up` gets how many
    // documents that first catch-up applied.
    org_index& index_for(const std::string& org, std::size_t* caught_up = nullptr);
    std::size_t sync(org_index& index);
    void follow();

    store::store& store_;
    library_options options_;
    std::shared_mutex indexes_mutex_;
    std::map<std::string, std::unique_ptr<org_index>, std::less<>> indexes_;

    std::mutex follower_mutex_;
    std::condition_variable follower_wake_;
    bool stopping_ = false;
    std::thread follower_;
};

// Chunks each document and makes the rows the store takes (a document with no text
// gets one chunk holding its title, so it can still be found).
std::vector<store::knowledge_entry> prepare_documents(const std::string& org, std::vector<document_input> documents,
                                                      const chunk_options& chunking);

// The folder name of an org's index: the id itself when it is a plain slug, else
// percent-encoded so that no id can name a path outside the library's directory.
std::string index_folder_name(std::string_view org);

}  // namespace switchboard::knowledge
