#include "host/knowledge/library.hpp"

#include "host/knowledge/search_index.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace switchboard::knowledge {

namespace {

constexpr int change_batch = 1000;  // documents per index commit while catching up

std::vector<indexed_chunk> chunks_of(const store::knowledge_entry& e) {
    std::vector<indexed_chunk> out;
    out.reserve(e.chunks.size());
    for (auto const& c : e.chunks)
        out.push_back({c.id, e.document.id, e.document.title, c.heading, c.text, e.document.tags});
    return out;
}

}  // namespace

struct library::org_index {
    std::string org;
    std::unique_ptr<search_index> index;
    std::mutex sync_mutex;  // one catch-up at a time per org; searches do not take it
};

std::string index_folder_name(std::string_view org) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : org) {
        if (std::isalnum(c) || c == '-' || c == '_') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out.empty() ? "%" : out;
}

library::library(store::store& store, library_options options) : store_(store), options_(std::move(options)) {}

library::~library() {
    {
        std::lock_guard lock(follower_mutex_);
        stopping_ = true;
    }
    follower_wake_.notify_all();
    if (follower_.joinable()) follower_.join();
}

void library::start() {
    const auto began = std::chrono::steady_clock::now();
    std::size_t changed = 0, orgs = 0;
    for (auto const& org : store_.knowledge_orgs()) {
        std::size_t first = 0;
        changed += sync(index_for(org, &first));
        changed += first;
        ++orgs;
    }
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began).count();
    spdlog::info("knowledge: {} org index(es) in step with the store ({} document(s) applied in {} ms)", orgs,
                 changed, ms);
    if (options_.follow_interval.count() > 0 && !follower_.joinable()) follower_ = std::thread([this] { follow(); });
}

library::org_index& library::index_for(const std::string& org, std::size_t* caught_up) {
    {
        std::shared_lock lock(indexes_mutex_);
        if (auto it = indexes_.find(org); it != indexes_.end()) return *it->second;
    }
    org_index* created = nullptr;
    {
        std::unique_lock lock(indexes_mutex_);
        auto [it, fresh] = indexes_.try_emplace(org);
        if (!fresh) return *it->second;
        try {
            auto ix = std::make_unique<org_index>();
            ix->org = org;
            ix->index = std::make_unique<search_index>(options_.directory / index_folder_name(org), options_.language);
            it->second = std::move(ix);
        } catch (...) {
            indexes_.erase(it);
            throw;
        }
        created = it->second.get();
    }
    // A folder opened for the first time in this process may lag the store (or be new):
    // catch up before the first search is served from it.
    const std::size_t applied = sync(*created);
    if (caught_up) *caught_up = applied;
    return *created;
}

std::size_t library::sync(const std::string& org) { return sync(index_for(org)); }

std::size_t library::sync(org_index& ix) {
    std::lock_guard lock(ix.sync_mutex);
    std::int64_t applied = ix.index->applied_sequence();
    if (applied > store_.knowledge_sequence(ix.org)) {
        // The index has seen changes this database never had: another or a restored
        // database. Its contents cannot be trusted; build it again.
        spdlog::warn("knowledge: org '{}': index at sequence {} is ahead of the store ({}); rebuilding", ix.org,
                     applied, store_.knowledge_sequence(ix.org));
        ix.index->clear();
        applied = 0;
    }
    std::size_t changed = 0;
    for (;;) {
        auto changes = store_.knowledge_changes(ix.org, applied, change_batch);
        if (changes.empty()) break;
        std::vector<search_index::document_update> updates;
        updates.reserve(changes.size());
        for (auto const& c : changes)
            updates.push_back({c.document_id, c.entry ? chunks_of(*c.entry) : std::vector<indexed_chunk>{}});
        applied = changes.back().sequence;
        ix.index->apply(updates, applied);
        changed += changes.size();
    }
    return changed;
}

std::vector<store::knowledge_entry> prepare_documents(const std::string& org, std::vector<document_input> documents,
                                                      const chunk_options& chunking) {
    std::vector<store::knowledge_entry> entries;
    entries.reserve(documents.size());
    for (auto& d : documents) {
        store::knowledge_entry e;
        e.document.id = std::move(d.id);
        e.document.org = org;
        e.document.external_id = std::move(d.external_id);
        e.document.title = std::move(d.title);
        e.document.format = std::move(d.format);
        e.document.tags = std::move(d.tags);
        for (auto& c : split_document(d.body, chunking)) e.chunks.push_back({"", 0, c.heading, c.text});
        if (e.chunks.empty()) e.chunks.push_back({"", 0, "", e.document.title});
        e.document.body = std::move(d.body);
        entries.push_back(std::move(e));
    }
    return entries;
}

std::vector<store::knowledge_document> library::put(const std::string& org, std::vector<document_input> documents) {
    auto entries = prepare_documents(org, std::move(documents), options_.chunking);
    store_.put_knowledge(entries);
    sync(index_for(org));
    std::vector<store::knowledge_document> out;
    out.reserve(entries.size());
    for (auto& e : entries) out.push_back(std::move(e.document));
    return out;
}

bool library::remove(const std::string& org, const std::string& id) {
    if (!store_.delete_knowledge(id, org)) return false;
    sync(index_for(org));
    return true;
}

sdk::knowledge_answer library::search(std::string_view org, const sdk::knowledge_query& query) {
    try {
        auto& ix = index_for(std::string(org));
        search_request request;
        request.query = query.query;
        request.limit = std::clamp<std::size_t>(query.limit, 1, 50);
        request.min_score = query.min_score;
        request.tags = query.tags;
        sdk::knowledge_answer answer;
        for (auto& h : ix.index->search(request))
            answer.passages.push_back({std::move(h.document_id), std::move(h.title), std::move(h.heading),
                                       std::move(h.text), h.score});
        return answer;
    } catch (const std::exception& e) {
        spdlog::error("knowledge: org '{}': search failed: {}", org, e.what());
        return {false, {}, std::string("knowledge search failed: ") + e.what()};
    }
}

index_status library::status(const std::string& org) {
    auto& ix = index_for(org);
    auto stats = ix.index->stats();
    return {stats.chunks, stats.applied_sequence, store_.knowledge_sequence(org)};
}

void library::follow() {
    std::unique_lock lock(follower_mutex_);
    while (!follower_wake_.wait_for(lock, options_.follow_interval, [this] { return stopping_; })) {
        lock.unlock();
        try {
            for (auto const& org : store_.knowledge_orgs()) sync(index_for(org));
        } catch (const std::exception& e) {
            // The database may be briefly unreachable: the next round tries again.
            spdlog::warn("knowledge: following the store's changes failed: {}", e.what());
        }
        lock.lock();
    }
}

}  // namespace switchboard::knowledge
