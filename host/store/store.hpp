// The repository layer over SOCI: one API for SQLite (embedded default, WAL) and
// PostgreSQL. Every method leases a session from the pool, so it may be called from
// any worker thread. Nothing above this folder writes SQL.
#pragma once

#include <switchboard/model.hpp>

#include <boost/json/object.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace switchboard::store {

enum class backend { sqlite, postgresql };

// "sqlite:var/switchboard.db", "sqlite::memory:" (tests only), "postgresql://user:pw@host:port/db"
// or a libpq keyword string prefixed "postgresql:" ("postgresql:host=... port=...").
struct database_url {
    backend kind = backend::sqlite;
    std::string connect;      // what the SOCI backend receives
    std::string sqlite_path;  // SQLite only: the file (":memory:" for the in-memory form)
    bool in_memory = false;   // SQLite ":memory:": one connection, so the pool is size 1
};
database_url parse_database_url(const std::string& url);  // throws store_error

class store_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct org_row {
    std::string id;
    std::string name;
    boost::json::object config;  // the org's editable settings
    sdk::time_point created_at{};
    sdk::time_point updated_at{};
};

struct call_filter {
    std::optional<std::string> org;  // empty: all orgs (admin)
    std::optional<sdk::call_status> status;
    std::optional<sdk::call_direction> direction;
    std::optional<std::string> provider;
    std::optional<std::string> sentiment;  // from call_analytics
    std::optional<std::string> category;   // from call_analytics
    std::optional<sdk::time_point> date_from;  // started_at >= (created_at when not started)
    std::optional<sdk::time_point> date_to;    // started_at <= (inclusive)
    std::optional<std::string> external_record_id;
    bool active_only = false;  // queued, ringing, in_progress
    int page = 1;              // 1-based
    int page_size = 20;        // 1..100
};

struct call_analytics {
    std::string sentiment;   // positive|neutral|negative
    std::string category;
    std::string resolution;
    std::optional<double> sentiment_score;
    std::string summary;
    boost::json::object detail;  // anything else the analysis produced
    sdk::time_point created_at{};
};

struct call_row {
    sdk::call call;
    std::optional<call_analytics> analytics;  // joined
};

struct call_page {
    std::vector<call_row> calls;  // newest first (started_at, then created_at, then id)
    std::int64_t total = 0;       // size of the filtered set, all pages
};

struct stored_segment {
    std::string id;
    std::string call_id;
    std::int64_t seq = 0;  // order within the call
    sdk::transcript_segment segment;
    std::string source = "live";  // live: from live transcription; report: from the final report
};

// One step of a call's status history.
struct status_step {
    sdk::call_status status = sdk::call_status::queued;
    std::string provider_status;
    std::optional<sdk::time_point> at;  // when the provider says it happened
    sdk::time_point recorded_at{};
};

// A raw webhook kept before it is applied, so nothing acknowledged is lost.
struct inbox_entry {
    std::string id;
    std::string org;
    std::string provider;
    std::string idempotency_key;  // unique per provider; a repeat is a duplicate
    std::string event_type;
    std::string provider_call_id;
    std::string body;          // as received (see pack_inbox_body)
    std::string body_encoding; // "": body is raw; set by pack_inbox_body (readers always get raw)
    std::string events_json;   // the canonical events, as the host serialised them
    std::string response;      // the answer sent (answered messages), replayed to duplicates
    std::string call_id;       // the host's call id, once applied
    std::string status = "pending";  // pending|applied|failed
    int attempts = 0;
    std::string last_error;
    sdk::time_point received_at{};
    std::optional<sdk::time_point> next_attempt_at;  // pending: when to try again
};

// Compresses a large body for storage (body_codec.hpp), on the caller's thread so
// the single writer does not pay for it. Bodies under 1 KiB stay raw.
void pack_inbox_body(inbox_entry& entry);

// One write transaction on one pooled session, for the call pipeline: the inbox row
// and everything it changes commit together. Savepoints let several webhooks share
// one transaction (group commit) while failing independently. Rolls back unless
// committed. Not thread-safe: one thread uses it.
class unit_of_work {
public:
    virtual ~unit_of_work() = default;

    // false when (provider, idempotency_key) is already there: nothing written.
    virtual bool inbox_insert(inbox_entry& entry) = 0;
    virtual std::optional<inbox_entry> inbox_find(const std::string& provider, const std::string& key) = 0;
    virtual std::optional<inbox_entry> inbox_get(const std::string& id) = 0;
    // Sets status, call_id, response, last_error; counts an attempt; next_attempt_at
    // for pending rows that failed.
    virtual void inbox_update(const inbox_entry& entry) = 0;

    // The call a provider id names, locked for this transaction (PostgreSQL: FOR UPDATE).
    virtual std::optional<sdk::call> find_call(const std::string& provider, const std::string& provider_call_id) = 0;
    virtual void insert_call(sdk::call& call) = 0;       // fills id/created_at/updated_at when empty
    virtual void update_call(const sdk::call& call) = 0; // every column, by id; sets updated_at
    virtual void append_transcript(const std::string& call_id, const std::vector<sdk::transcript_segment>& segments) = 0;
    // Deletes the call's segments and stores these with source "report".
    virtual void replace_transcript(const std::string& call_id,
                                    const std::vector<sdk::transcript_segment>& segments) = 0;
    virtual bool has_report_transcript(const std::string& call_id) = 0;
    virtual void add_status_step(const std::string& call_id, const status_step& step) = 0;
    // Inserts or replaces the call's analytics (the org's classification).
    virtual void put_analytics(const std::string& call_id, const call_analytics& analytics) = 0;

    virtual void savepoint(const std::string& name) = 0;
    virtual void release(const std::string& name) = 0;
    virtual void rollback_to(const std::string& name) = 0;
    virtual void commit() = 0;
};

// An assistant created through the API: the provider holds it, this row remembers
// whose it is and the canonical spec it was made from.
struct assistant_row {
    std::string id;  // the host's id
    std::string org;
    std::string provider;
    std::string provider_assistant_id;
    std::string name;
    boost::json::object spec;  // the canonical fields as last sent (see api/assistant_spec)
    sdk::time_point created_at{};
    sdk::time_point updated_at{};
};

// A knowledge-base document (knowledge.cpp). `body` is the text as given (Markdown or
// plain); its chunks are what the search index holds.
struct knowledge_document {
    std::string id;
    std::string org;
    std::string external_id;  // set by imports: importing the same name again replaces it
    std::string title;
    std::string body;
    std::string format = "markdown";  // markdown | text
    std::vector<std::string> tags;
    std::int64_t sequence = 0;     // the change that last wrote it
    std::int64_t chunk_count = 0;  // filled by reads
    sdk::time_point created_at{};
    sdk::time_point updated_at{};
};

struct knowledge_chunk {
    std::string id;  // "<document id>#<ordinal>"
    int ordinal = 0;
    std::string heading;
    std::string text;
};

// A document with its chunks, as a write takes it and the index follower reads it.
struct knowledge_entry {
    knowledge_document document;
    std::vector<knowledge_chunk> chunks;
};

struct knowledge_filter {
    std::string org;  // required
    std::string tag;  // only documents with this tag
    int page = 1;
    int page_size = 20;  // 1..100
};

struct knowledge_page {
    std::vector<knowledge_document> documents;  // newest first (updated_at), without body
    std::int64_t total = 0;
};

class store {
public:
    // Opens the pool (SQLite: WAL, synchronous=FULL, busy timeout, foreign keys).
    // Does not migrate: call migrate().
    store(const std::string& url, unsigned pool_size);
    ~store();
    store(const store&) = delete;
    store& operator=(const store&) = delete;

    backend kind() const noexcept;

    // Applies pending versioned migrations in order, each in its own transaction;
    // returns how many ran. Safe to call on every start.
    int migrate();
    int schema_version();
    static int latest_schema_version();

    bool ping() noexcept;  // store reachable

    // --- organisations
    void upsert_org(const std::string& id, const std::string& name);  // keeps config
    std::vector<org_row> list_orgs();
    std::optional<org_row> get_org(const std::string& id);
    bool set_org_config(const std::string& id, const boost::json::object& config);

    // --- calls
    // Inserts a call (id/created_at/updated_at filled in when empty). Throws
    // store_error on a duplicate (provider, provider_call_id).
    std::string insert_call(sdk::call call);
    // `org` empty means any org (admin); otherwise a call of another org is nullopt.
    std::optional<call_row> get_call(const std::string& id, const std::string& org = {});
    call_page list_calls(const call_filter& filter);
    std::vector<std::pair<sdk::call_status, std::int64_t>> count_calls_by_status();

    // --- transcripts
    void append_transcript(const std::string& call_id, const std::vector<sdk::transcript_segment>& segments);
    std::vector<stored_segment> transcript(const std::string& call_id);

    // --- analytics (filled by later issues' analysis)
    void put_analytics(const std::string& call_id, const call_analytics& analytics);

    // --- the call pipeline's transactions
    std::unique_ptr<unit_of_work> begin_write();
    std::vector<status_step> status_history(const std::string& call_id);
    std::optional<call_row> find_call(const std::string& provider, const std::string& provider_call_id);

    // --- webhook inbox
    // Returns false when the idempotency key was already there (nothing written).
    bool inbox_append(inbox_entry& entry);
    std::vector<inbox_entry> inbox_pending(int limit);  // oldest first
    // Pending rows whose next_attempt_at has passed (or is unset), oldest first.
    std::vector<inbox_entry> inbox_due(sdk::time_point now, int limit);
    // status "failed" or "pending" etc., newest first, at most `limit`.
    std::vector<inbox_entry> inbox_list(const std::string& status, const std::string& org, int limit);
    std::optional<inbox_entry> inbox_get(const std::string& id);
    // A read outside any write transaction (no write lock), e.g. to spot a redelivery.
    std::optional<inbox_entry> inbox_find(const std::string& provider, const std::string& key);
    void inbox_mark(const std::string& id, const std::string& status, const std::string& error = {});

    // --- assistants kept at a provider (assistants.cpp)
    // Fills id/created_at/updated_at when empty. Throws store_error on a duplicate
    // (provider, provider_assistant_id).
    void insert_assistant(assistant_row& row);
    // `org` empty means any org (admin); otherwise another org's assistant is nullopt.
    std::optional<assistant_row> get_assistant(const std::string& id, const std::string& org = {});
    // By the provider's id; `provider` empty: any provider.
    std::optional<assistant_row> find_assistant(const std::string& provider, const std::string& provider_assistant_id,
                                                const std::string& org = {});
    // Newest first; `org` empty: every org.
    std::vector<assistant_row> list_assistants(const std::string& org = {});
    // Name and spec, by id; sets updated_at. False when there is no such row.
    bool update_assistant(assistant_row& row);
    bool delete_assistant(const std::string& id);

    // --- knowledge base (knowledge.cpp)
    // Inserts or replaces each document (by id; else by (org, external_id) when that is
    // set; else a new id) with its chunks, one change recorded per document, all in one
    // transaction. Fills ids, times and sequence in `entries`. Returns the last sequence.
    std::int64_t put_knowledge(std::vector<knowledge_entry>& entries);
    // Deletes the document of `org` and records the change; false when there is none.
    bool delete_knowledge(const std::string& id, const std::string& org);
    std::optional<knowledge_document> get_knowledge(const std::string& id, const std::string& org);
    knowledge_page list_knowledge(const knowledge_filter& filter);
    // Documents changed after `after` in `org`, in sequence order, at most `limit`
    // distinct documents: each with its current chunks, or `deleted` when it is gone.
    struct knowledge_change {
        std::int64_t sequence = 0;
        std::string document_id;
        std::optional<knowledge_entry> entry;  // nullopt: deleted
    };
    std::vector<knowledge_change> knowledge_changes(const std::string& org, std::int64_t after, int limit);
    std::int64_t knowledge_sequence(const std::string& org);  // the org's latest change, 0 when none
    // Every org with at least one change (the follower's work list).
    std::vector<std::string> knowledge_orgs();

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace switchboard::store
