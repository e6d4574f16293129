#include "host/store/migrations.hpp"

namespace switchboard::store {

// Conventions, so both backends read the rows the same way:
// - ids are UUIDv7 TEXT; times are TEXT in core::to_iso8601's fixed-width UTC form,
//   so ORDER BY and range filters compare strings;
// - optional text is '' rather than NULL; optional numbers and times are NULL;
// - JSON is TEXT (config_json, metadata_json, detail_json, analysis_json, ...).
const std::vector<migration>& migrations() {
    static const std::vector<migration> list = {
        {1,
         "initial_schema",
         {
             R"(CREATE TABLE organizations (
                  id TEXT PRIMARY KEY,
                  name TEXT NOT NULL,
                  config_json TEXT NOT NULL DEFAULT '{}',
                  created_at TEXT NOT NULL,
                  updated_at TEXT NOT NULL))",
             // org_id has no foreign key: webhooks may record calls for an org that
             // the config names but that was never upserted.
             R"(CREATE TABLE calls (
                  id TEXT PRIMARY KEY,
                  org_id TEXT NOT NULL,
                  provider TEXT NOT NULL,
                  provider_call_id TEXT NOT NULL,
                  direction TEXT NOT NULL,
                  from_number TEXT NOT NULL DEFAULT '',
                  to_number TEXT NOT NULL DEFAULT '',
                  status TEXT NOT NULL,
                  started_at TEXT,
                  ended_at TEXT,
                  duration_seconds {real},
                  ended_reason TEXT NOT NULL DEFAULT '',
                  cost {real},
                  recording_url TEXT NOT NULL DEFAULT '',
                  assistant TEXT NOT NULL DEFAULT '',
                  metadata_json TEXT NOT NULL DEFAULT '{}',
                  phase TEXT NOT NULL DEFAULT 'greeting',
                  external_record_id TEXT NOT NULL DEFAULT '',
                  created_at TEXT NOT NULL,
                  updated_at TEXT NOT NULL,
                  UNIQUE (provider, provider_call_id)))",
             "CREATE INDEX calls_org_started ON calls (org_id, started_at)",
             "CREATE INDEX calls_status ON calls (status)",
             R"(CREATE TABLE transcript_segments (
                  id TEXT PRIMARY KEY,
                  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
                  seq BIGINT NOT NULL,
                  role TEXT NOT NULL,
                  text TEXT NOT NULL,
                  started_at TEXT,
                  seconds_from_start {real},
                  duration_ms BIGINT,
                  confidence {real},
                  is_final INTEGER NOT NULL DEFAULT 1,
                  created_at TEXT NOT NULL,
                  UNIQUE (call_id, seq)))",
             R"(CREATE TABLE call_analytics (
                  call_id TEXT PRIMARY KEY REFERENCES calls (id) ON DELETE CASCADE,
                  sentiment TEXT NOT NULL DEFAULT '',
                  category TEXT NOT NULL DEFAULT '',
                  resolution TEXT NOT NULL DEFAULT '',
                  sentiment_score {real},
                  summary TEXT NOT NULL DEFAULT '',
                  detail_json TEXT NOT NULL DEFAULT '{}',
                  created_at TEXT NOT NULL))",
             R"(CREATE TABLE webhook_inbox (
                  id TEXT PRIMARY KEY,
                  org_id TEXT NOT NULL,
                  provider TEXT NOT NULL,
                  idempotency_key TEXT NOT NULL,
                  event_type TEXT NOT NULL DEFAULT '',
                  provider_call_id TEXT NOT NULL DEFAULT '',
                  body TEXT NOT NULL,
                  status TEXT NOT NULL DEFAULT 'pending',
                  attempts INTEGER NOT NULL DEFAULT 0,
                  last_error TEXT NOT NULL DEFAULT '',
                  received_at TEXT NOT NULL,
                  UNIQUE (provider, idempotency_key)))",
             "CREATE INDEX webhook_inbox_status ON webhook_inbox (status, received_at)",
         }},
        // The provider-neutral call pipeline: the provider's final report, transcript
        // provenance, the inbox as a retry queue, and every status a call went through.
        {2,
         "call_pipeline",
         {
             "ALTER TABLE calls ADD COLUMN stereo_recording_url TEXT NOT NULL DEFAULT ''",
             "ALTER TABLE calls ADD COLUMN summary TEXT NOT NULL DEFAULT ''",
             "ALTER TABLE calls ADD COLUMN analysis_json TEXT NOT NULL DEFAULT '{}'",
             // NULL: the provider sent no breakdown (JSON null); otherwise any JSON value.
             "ALTER TABLE calls ADD COLUMN cost_breakdown_json TEXT",
             "CREATE INDEX calls_org_external ON calls (org_id, external_record_id)",
             // live: live transcription; report: the provider's final transcript.
             "ALTER TABLE transcript_segments ADD COLUMN source TEXT NOT NULL DEFAULT 'live'",
             "ALTER TABLE webhook_inbox ADD COLUMN events_json TEXT NOT NULL DEFAULT ''",
             "ALTER TABLE webhook_inbox ADD COLUMN response TEXT NOT NULL DEFAULT ''",
             "ALTER TABLE webhook_inbox ADD COLUMN call_id TEXT NOT NULL DEFAULT ''",
             "ALTER TABLE webhook_inbox ADD COLUMN next_attempt_at TEXT",
             "CREATE INDEX webhook_inbox_due ON webhook_inbox (status, next_attempt_at)",
             R"(CREATE TABLE call_status_history (
                  id TEXT PRIMARY KEY,
                  call_id TEXT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
                  seq BIGINT NOT NULL,
                  status TEXT NOT NULL,
                  provider_status TEXT NOT NULL DEFAULT '',
                  at TEXT,
                  recorded_at TEXT NOT NULL,
                  UNIQUE (call_id, seq)))",
         }},
        // Assistants created at a provider through the API (calls out).
        {3,
         "assistants",
         {
             R"(CREATE TABLE assistants (
                  id TEXT PRIMARY KEY,
                  org_id TEXT NOT NULL,
                  provider TEXT NOT NULL,
                  provider_assistant_id TEXT NOT NULL,
                  name TEXT NOT NULL DEFAULT '',
                  spec_json TEXT NOT NULL DEFAULT '{}',
                  created_at TEXT NOT NULL,
                  updated_at TEXT NOT NULL,
                  UNIQUE (provider, provider_assistant_id)))",
             "CREATE INDEX assistants_org ON assistants (org_id, id)",
         }},
        // Large webhook bodies are stored compressed (body_codec.hpp); '' = raw.
        {4,
         "inbox_body_encoding",
         {
             "ALTER TABLE webhook_inbox ADD COLUMN body_encoding TEXT NOT NULL DEFAULT ''",
         }},
        // The knowledge base: documents and their chunks are the source of truth; the
        // search index (host/knowledge) follows knowledge_changes by sequence.
        {5,
         "knowledge",
         {
             R"(CREATE TABLE knowledge_documents (
                  id TEXT PRIMARY KEY,
                  org_id TEXT NOT NULL,
                  external_id TEXT NOT NULL DEFAULT '',
                  title TEXT NOT NULL,
                  body TEXT NOT NULL,
                  format TEXT NOT NULL DEFAULT 'markdown',
                  tags_json TEXT NOT NULL DEFAULT '[]',
                  sequence BIGINT NOT NULL DEFAULT 0,
                  created_at TEXT NOT NULL,
                  updated_at TEXT NOT NULL))",
             "CREATE INDEX knowledge_documents_org ON knowledge_documents (org_id, updated_at)",
             // An import names its documents (file path, JSONL id): importing again replaces them.
             "CREATE UNIQUE INDEX knowledge_documents_external ON knowledge_documents (org_id, external_id) "
             "WHERE external_id <> ''",
             R"(CREATE TABLE knowledge_chunks (
                  id TEXT PRIMARY KEY,
                  document_id TEXT NOT NULL REFERENCES knowledge_documents (id) ON DELETE CASCADE,
                  ordinal INTEGER NOT NULL,
                  heading TEXT NOT NULL DEFAULT '',
                  text TEXT NOT NULL,
                  UNIQUE (document_id, ordinal)))",
             R"(CREATE TABLE knowledge_changes (
                  sequence {serial},
                  org_id TEXT NOT NULL,
                  document_id TEXT NOT NULL,
                  changed_at TEXT NOT NULL))",
             "CREATE INDEX knowledge_changes_org ON knowledge_changes (org_id, sequence)",
         }},
    };
    return list;
}

std::string render_sql(std::string_view sql, backend kind) {
    static constexpr std::string_view real_word = "{real}", serial_word = "{serial}";
    const bool pg = kind == backend::postgresql;
    std::string out;
    out.reserve(sql.size() + 32);
    for (std::size_t i = 0; i < sql.size();) {
        if (sql.substr(i, real_word.size()) == real_word) {
            out += pg ? "DOUBLE PRECISION" : "REAL";
            i += real_word.size();
        } else if (sql.substr(i, serial_word.size()) == serial_word) {
            // AUTOINCREMENT: SQLite never reuses a number, even after the last row goes.
            out += pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT";
            i += serial_word.size();
        } else {
            out += sql[i++];
        }
    }
    return out;
}

}  // namespace switchboard::store
