// One provider webhook, provider-neutral: verify -> parse -> answer -> commit to the
// durable inbox together with its effect on the call (group commit) -> respond ->
// publish. Nothing here knows a provider's dialect: plugins translate.
#pragma once

#include "host/calls/answers.hpp"
#include "host/calls/committer.hpp"
#include "host/calls/event_bus.hpp"
#include "host/calls/recent_answers.hpp"

#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace switchboard::config { struct config; struct org_config; }
namespace switchboard::plugins { class registry; }
namespace switchboard::ops { struct host_metrics; }
namespace switchboard::scripting { class engine; }

namespace switchboard::calls {

struct webhook_input {
    std::string provider;  // plugin name
    std::string org;       // empty: the provider finds the owner in the payload, else the default org
    std::string method;
    std::string target;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
    bool trusted = false;  // replay of recorded webhooks by an operator: skip verification
};

struct webhook_result {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;    // the provider's answer, or {"detail": ...} for errors
    bool duplicate = false;
    std::string org;     // the org it was filed under (empty when refused before)
};

class pipeline {
public:
    // `scripts` (may be null: every decision takes its default) outlives the pipeline.
    pipeline(const config::config& cfg, store::store& db, plugins::registry& plugins, ops::host_metrics& metrics,
             event_bus& bus, scripting::engine* scripts = nullptr);

    using completion = std::function<void(webhook_result)>;

    // Answers on the calling thread when the webhook needs no storage or is a
    // question (answered first, recorded right behind); otherwise `done` runs on the
    // committer's thread once the webhook is durable. Exactly once; must be quick.
    void ingest(webhook_input in, completion done);
    // The same, blocking (replay, tests).
    webhook_result ingest(const webhook_input& in);

    // Re-applies a stored inbox entry (retries and operator replays): same parse and
    // state machine, no answer. Returns the error text, empty when applied.
    std::string reapply(const store::inbox_entry& entry);

    // The orgs' decisions (Lua hooks, else YAML), for the API's calls out.
    const call_flow& flow() const noexcept { return answers_.flow(); }

private:
    const config::org_config* resolve_org(const webhook_input& in, sdk::provider& p) const;
    // Applies the events and records the inbox entry (inserted when `new_entry`, else
    // updated). Throws duplicate_delivery when a new entry's key is already stored.
    // What the org's script decided about one call while this webhook was read:
    // effects (tags, phase, escalation) and, for an ended call, its classification.
    // Applied in the webhook's own transaction.
    struct call_decision {
        scripting::effects fx;
        std::optional<store::call_analytics> analytics;
    };
    using decisions = std::map<std::string, call_decision, std::less<>>;  // by provider call id
    // Whether the org's script has on_event or classify hooks these events reach.
    bool wants_decisions(const config::org_config& org, const std::vector<sdk::call_event>& events) const;
    // Asks on_event and classify (on the caller's thread, never the writer's).
    void decide(const config::org_config& org, const std::string& provider, const std::vector<sdk::call_event>& events,
                const sdk::call* stored, decisions& out) const;
    void apply(store::unit_of_work& tx, const std::string& org, const std::string& provider,
               const std::vector<sdk::call_event>& events, const decisions& decided, store::inbox_entry& entry,
               bool new_entry);
    struct duplicate_delivery : std::exception {
        std::string response;  // the answer stored with the first delivery
    };
    // One verified, parsed webhook on its way through the group commit.
    struct pending_webhook {
        store::inbox_entry entry;
        std::vector<sdk::call_event> events;
        decisions decided;
    };
    void commit(std::shared_ptr<pending_webhook> job, completion done);
    void keep_for_retry(std::shared_ptr<pending_webhook> job, const std::string& why, completion done);
    void publish(const std::string& org, const std::string& call_id, const std::vector<sdk::call_event>& events,
                 const decisions& decided);

    const config::config& cfg_;
    store::store& db_;
    plugins::registry& plugins_;
    ops::host_metrics& metrics_;
    event_bus& bus_;
    answerer answers_;
    recent_answers answered_;
    committer committer_;
    std::mutex warned_mutex_;
    std::set<std::string> warned_unverified_;  // "org/provider" already warned about
};

}  // namespace switchboard::calls
