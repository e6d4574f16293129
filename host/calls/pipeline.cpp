#include "host/calls/pipeline.hpp"

#include "host/calls/call_state.hpp"
#include "host/config/config.hpp"
#include "host/core/crypto.hpp"
#include "host/core/time.hpp"
#include "host/ops/host_metrics.hpp"
#include "host/plugins/registry.hpp"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <semaphore>

namespace switchboard::calls {
namespace json = boost::json;
namespace {

webhook_result error(int status, const std::string& detail) {
    return {status, "application/json", json::serialize(json::object{{"detail", detail}}), false, {}};
}

// A short, secret-free account of the events, kept beside the raw body.
std::string events_summary(const std::vector<sdk::call_event>& events) {
    json::array out;
    for (auto const& e : events) {
        static constexpr const char* kinds[] = {"status_changed",   "transcript_added",    "assistant_requested",
                                                "tool_call_requested", "transfer_requested", "knowledge_requested",
                                                "call_ended",       "unknown_event"};
        json::object o{{"type", e.type}, {"kind", kinds[e.body.index()]}, {"provider_call_id", e.provider_call_id}};
        if (auto* s = std::get_if<sdk::status_changed>(&e.body)) o["status"] = sdk::to_string(s->status);
        if (auto* t = std::get_if<sdk::tool_call_requested>(&e.body)) o["tool"] = t->name;
        out.push_back(std::move(o));
    }
    return json::serialize(out);
}

std::string event_types(const std::vector<sdk::call_event>& events) {
    std::string out;
    for (auto const& e : events)
        if (out.find(e.type) == std::string::npos) out += (out.empty() ? "" : ",") + e.type;
    return out;
}

}  // namespace

pipeline::pipeline(const config::config& cfg, store::store& db, plugins::registry& plugins,
                   ops::host_metrics& metrics, event_bus& bus, scripting::engine* scripts)
    : cfg_(cfg), db_(db), plugins_(plugins), metrics_(metrics), bus_(bus), answers_(plugins, scripts), committer_(db) {
    // Tool names in an assistant_spec are known only once plugins load: say now which
    // are wrong, not on the first call (the call then gets no assistant).
    for (auto const& org : cfg.orgs)
        if (!org.answers.assistant_spec.empty()) try {
                answers_.flow().configured_spec(org);
            } catch (const spec_error& e) {
                spdlog::error("{}, line {} ({}): org '{}': {}", org.where.file, org.where.line, org.where.path, org.id,
                              e.what());
            }
}

const config::org_config* pipeline::resolve_org(const webhook_input& in, sdk::provider& p) const {
    if (!in.org.empty()) return cfg_.find_org(in.org);
    for (auto const& org : cfg_.orgs) {
        sdk::webhook_request probe{in.method, in.target, in.body, in.headers, org.id,
                                   plugins_.org_settings(org.id, in.provider)};
        try {
            if (p.matches_org(probe)) return &org;
        } catch (const std::exception& e) {
            spdlog::warn("provider {}: matches_org failed: {}", in.provider, e.what());
        }
    }
    return cfg_.find_org(cfg_.default_org);
}

webhook_result pipeline::ingest(const webhook_input& in) {
    std::binary_semaphore ready{0};
    webhook_result out;
    ingest(webhook_input(in), [&](webhook_result r) {
        out = std::move(r);
        ready.release();
    });
    ready.acquire();
    return out;
}

void pipeline::ingest(webhook_input in, completion done) {
    auto* provider = plugins_.provider(in.provider);
    if (!provider) return done(error(404, "no provider plugin '" + in.provider + "' is loaded"));
    const auto* org = resolve_org(in, *provider);
    if (!org) return done(error(404, "unknown organisation '" + in.org + "'"));

    sdk::webhook_request req{in.method, in.target, in.body, in.headers, org->id,
                             plugins_.org_settings(org->id, in.provider)};

    // 1. Verify before anything is read or stored.
    sdk::verification v{true, "trusted replay"};
    if (!in.trusted) try {
            v = provider->verify(req);
        } catch (const std::exception& e) {
            v = {false, std::string("verification failed: ") + e.what()};
        }
    if (!v.ok) {
        metrics_.webhook_rejected.with({in.provider, "auth"}).inc();
        spdlog::warn("webhook rejected: provider {} org {}: {}", in.provider, org->id, v.reason);
        return done(error(401, "webhook verification failed: " + v.reason));
    }
    // A provider accepts with a reason only when nothing was checked (no secret set):
    // say so loudly, once per org and provider, since anyone could post such webhooks.
    if (!v.reason.empty() && !in.trusted) {
        std::lock_guard lock(warned_mutex_);
        if (warned_unverified_.insert(org->id + "/" + in.provider).second)
            spdlog::warn("webhooks for org {} from {} are NOT verified ({}): configure a secret in "
                         "orgs[].plugins.{}", org->id, in.provider, v.reason, in.provider);
    }

    // 2. Read the dialect.
    sdk::parsed_webhook parsed;
    try {
        parsed = provider->parse(req);
    } catch (const sdk::bad_payload& e) {
        metrics_.webhook_rejected.with({in.provider, "bad_payload"}).inc();
        spdlog::warn("webhook refused: provider {} org {}: {}", in.provider, org->id, e.what());
        return done(error(400, e.what()));
    } catch (const std::exception& e) {
        metrics_.webhook_rejected.with({in.provider, "bad_payload"}).inc();
        spdlog::error("webhook refused: provider {} org {}: parse failed: {}", in.provider, org->id, e.what());
        return done(error(400, std::string("cannot read the payload: ") + e.what()));
    }
    std::string key =
        parsed.idempotency_key.empty() ? "sha256:" + core::sha256_hex(in.body) : parsed.idempotency_key;
    const std::string provider_call_id = parsed.events.empty() ? "" : parsed.events.front().provider_call_id;

    // 3. Answer what needs an answer, before the write (tools may be slow). A
    //    redelivered question gets the answer already given; tools do not run twice.
    webhook_result out{200, "application/json", "", false, org->id};
    const bool answered = answers_.needs_answer(parsed.events);
    if (answered)
        if (auto prev = answered_.find(in.provider, key)) {
            out.body = std::move(*prev);
            out.duplicate = true;
            spdlog::info("webhook: provider {} org {}: duplicate delivery of {}", in.provider, org->id, key);
            return done(std::move(out));
        }
    // The stored call, read once for the answer and the org's hooks (a quick tool call
    // with no hook to ask reads nothing).
    std::optional<store::call_row> stored;
    const bool hooks = wants_decisions(*org, parsed.events);
    if ((answered && answers_.needs_call_id(org->id, parsed.events)) || hooks) try {
            stored = db_.find_call(in.provider, provider_call_id);
        } catch (const std::exception& e) {
            spdlog::warn("webhook: looking up call {} failed: {}", provider_call_id, e.what());
        }
    const sdk::call* known = stored ? &stored->call : nullptr;
    decisions decided;
    if (answered) {
        scripting::effects fx;
        auto rendered = provider->render(req, answers_.answer(*org, in.provider, known, parsed.events, &fx));
        if (!fx.empty() && !provider_call_id.empty()) decided[provider_call_id].fx = std::move(fx);
        out.status = rendered.status;
        out.content_type = rendered.content_type;
        out.body = std::move(rendered.body);
    } else {
        auto rendered = provider->render(req, {});
        out.status = rendered.status;
        out.content_type = rendered.content_type;
        out.body = std::move(rendered.body);
    }
    if (hooks) decide(*org, in.provider, parsed.events, known, decided);

    // 4. The inbox row and its effects commit together (group commit).
    auto job = std::make_shared<pending_webhook>();
    job->entry.org = org->id;
    job->entry.provider = in.provider;
    job->entry.idempotency_key = std::move(key);
    job->entry.event_type = event_types(parsed.events);
    job->entry.provider_call_id = provider_call_id;
    job->entry.body = std::move(in.body);
    job->entry.events_json = events_summary(parsed.events);
    job->events = std::move(parsed.events);
    job->decided = std::move(decided);
    if (answered) {
        // A question is answered at once and recorded right behind (docs/providers/vapi.md
        // section 5): the caller is waiting on the line, and what the answer changes in
        // the call comes again in later messages.
        job->entry.response = out.body;
        answered_.remember(in.provider, job->entry.idempotency_key, out.body);
        done(std::move(out));
        return commit(job, [](webhook_result) {});
    }
    // Packed here, not on the single writer's thread. (Questions are not: their record
    // is written behind the answer, and on a busy host the CPU is worth more to the
    // answers than the pages saved: 12k against 10.5k trivial tool calls/s measured.)
    store::pack_inbox_body(job->entry);
    commit(job, [out = std::move(out), done = std::move(done)](webhook_result r) mutable {
        if (r.status == 200 && !r.duplicate) return done(std::move(out));
        if (r.duplicate) {
            out.duplicate = true;
            if (!r.body.empty()) out.body = std::move(r.body);
            return done(std::move(out));
        }
        done(std::move(r));
    });
}

void pipeline::commit(std::shared_ptr<pending_webhook> job, completion done) {
    // The committer gives the job a savepoint: whatever apply() throws undoes only it.
    auto work = [this, job](store::unit_of_work& tx) {
        auto& entry = job->entry;
        apply(tx, entry.org, entry.provider, job->events, job->decided, entry, true);
    };
    auto after = [this, job, done = std::move(done)](std::exception_ptr failure) mutable {
        auto const& entry = job->entry;
        webhook_result ok{200, "application/json", "", false, entry.org};
        if (!failure) {
            publish(entry.org, entry.call_id, job->events, job->decided);
            return done(std::move(ok));
        }
        try {
            std::rethrow_exception(failure);
        } catch (const duplicate_delivery& d) {
            // Already stored and applied once; this delivery's effects were undone.
            spdlog::info("webhook: provider {} org {}: duplicate delivery of {}", entry.provider, entry.org,
                         entry.idempotency_key);
            ok.duplicate = true;
            ok.body = d.response;
            done(std::move(ok));
        } catch (const commit_failed& e) {
            spdlog::error("webhook: provider {} org {}: not stored: {}", entry.provider, entry.org, e.what());
            done(error(503, "storage unavailable; deliver again later"));
        } catch (const std::exception& e) {
            spdlog::error("webhook: provider {} org {}: applying {} failed, queued for retry: {}", entry.provider,
                          entry.org, entry.event_type, e.what());
            keep_for_retry(job, e.what(), std::move(done));
        } catch (...) {
            keep_for_retry(job, "unknown error", std::move(done));
        }
    };
    try {
        committer_.submit(std::move(work), std::move(after));
    } catch (const commit_failed& e) {
        spdlog::error("webhook: provider {} org {}: not stored: {}", job->entry.provider, job->entry.org, e.what());
        done(error(503, "storage unavailable; deliver again later"));
    }
}

void pipeline::keep_for_retry(std::shared_ptr<pending_webhook> job, const std::string& why, completion done) {
    // Applying failed (its effects were undone): keep the raw webhook for the retrier
    // and acknowledge it, so the provider does not need to deliver it again.
    auto& entry = job->entry;
    entry.status = "pending";
    entry.last_error = why;
    entry.call_id.clear();
    entry.attempts = 1;
    entry.next_attempt_at = std::chrono::system_clock::now() + std::chrono::seconds(1);
    auto work = [job](store::unit_of_work& tx) { tx.inbox_insert(job->entry); };
    auto after = [job, done = std::move(done)](std::exception_ptr failure) {
        if (!failure) return done(webhook_result{200, "application/json", "", false, job->entry.org});
        spdlog::error("webhook: provider {} org {}: not stored: the pending entry could not be written",
                      job->entry.provider, job->entry.org);
        done(error(503, "storage unavailable; deliver again later"));
    };
    try {
        committer_.submit(std::move(work), std::move(after));
    } catch (const commit_failed&) {
        done(error(503, "storage unavailable; deliver again later"));
    }
}

bool pipeline::wants_decisions(const config::org_config& org, const std::vector<sdk::call_event>& events) const {
    auto const& flow = answers_.flow();
    const bool on_event = flow.scripted(org.id, "on_event");
    const bool classify = flow.scripted(org.id, "classify");
    if (!on_event && !classify) return false;
    for (auto const& e : events) {
        if (e.provider_call_id.empty()) continue;
        if (classify && std::holds_alternative<sdk::call_ended>(e.body)) return true;
        if (on_event && !std::holds_alternative<sdk::unknown_event>(e.body)) return true;
    }
    return false;
}

void pipeline::decide(const config::org_config& org, const std::string& provider,
                      const std::vector<sdk::call_event>& events, const sdk::call* stored, decisions& out) const {
    auto const& flow = answers_.flow();
    const bool on_event = flow.scripted(org.id, "on_event");
    const bool classify = flow.scripted(org.id, "classify");
    // Each hook sees the call as it is once its event is applied (in memory only:
    // the writer applies the same events again, with these decisions).
    std::map<std::string, sdk::call, std::less<>> calls;
    for (auto const& e : events) {
        if (e.provider_call_id.empty()) continue;
        auto it = calls.find(e.provider_call_id);
        if (it == calls.end()) {
            sdk::call c = stored && stored->provider_call_id == e.provider_call_id
                              ? *stored
                              : new_call(org.id, provider, e);
            it = calls.emplace(e.provider_call_id, std::move(c)).first;
        }
        auto& call = it->second;
        auto& d = out[e.provider_call_id];
        apply_event(call, e, false);
        apply_effects(call, d.fx, std::chrono::system_clock::now());
        if (on_event)
            if (auto ev = event_view(e); !ev.empty()) {
                merge_effects(d.fx, flow.on_event(org, call_view(call), ev));
                apply_effects(call, d.fx, std::chrono::system_clock::now());
            }
        auto* ended = std::get_if<sdk::call_ended>(&e.body);
        if (!classify || !ended) continue;
        boost::json::array transcript;
        if (ended->has_transcript) {
            transcript = transcript_view(ended->transcript);
        } else if (!call.id.empty()) {
            try {
                std::vector<sdk::transcript_segment> segments;
                for (auto& s : db_.transcript(call.id)) segments.push_back(std::move(s.segment));
                transcript = transcript_view(segments);
            } catch (const std::exception& ex) {
                spdlog::warn("webhook: reading the transcript of call {} failed: {}", call.id, ex.what());
            }
        }
        d.analytics = flow.classify(org, call_view(call), transcript, &d.fx);
    }
    for (auto it = out.begin(); it != out.end();)
        it = it->second.fx.empty() && !it->second.analytics ? out.erase(it) : std::next(it);
}

void pipeline::apply(store::unit_of_work& tx, const std::string& org, const std::string& provider,
                     const std::vector<sdk::call_event>& events, const decisions& decided, store::inbox_entry& entry,
                     bool new_entry) {
    // Work out every change in memory first, then write each call once: a call seen
    // for the first time is inserted with its final state (no insert-then-update).
    struct open_call {
        sdk::call call;
        bool is_new = false;
        bool has_report = false;
        bool dirty = false;
        std::optional<std::vector<sdk::transcript_segment>> replace;
        std::vector<sdk::transcript_segment> append;
        std::vector<store::status_step> steps;
    };
    std::vector<open_call> calls;  // in order of first mention; webhooks name one or two calls
    for (auto const& e : events) {
        if (e.provider_call_id.empty()) continue;  // chat/session messages: kept raw only
        auto it = std::find_if(calls.begin(), calls.end(),
                               [&](const open_call& c) { return c.call.provider_call_id == e.provider_call_id; });
        if (it == calls.end()) {
            open_call oc;
            if (auto found = tx.find_call(provider, e.provider_call_id)) {
                oc.call = std::move(*found);
                oc.has_report = tx.has_report_transcript(oc.call.id);
            } else {
                // First sight of this call, whatever the message: create it, never drop it.
                oc.call = new_call(org, provider, e);
                oc.is_new = true;
            }
            calls.push_back(std::move(oc));
            it = std::prev(calls.end());
        }
        auto& oc = *it;
        auto changes = apply_event(oc.call, e, oc.has_report);
        if (changes.replace) {
            oc.replace = std::move(changes.replace);
            oc.append.clear();  // the report's transcript replaces live segments
            oc.has_report = true;
        }
        oc.append.insert(oc.append.end(), changes.append.begin(), changes.append.end());
        oc.steps.insert(oc.steps.end(), changes.steps.begin(), changes.steps.end());
        oc.dirty |= changes.call_changed;
    }
    const auto now = std::chrono::system_clock::now();
    for (auto& oc : calls) {
        auto d = decided.find(oc.call.provider_call_id);
        if (d != decided.end()) oc.dirty |= apply_effects(oc.call, d->second.fx, now);
        if (oc.is_new)
            tx.insert_call(oc.call);
        else if (oc.dirty)
            tx.update_call(oc.call);
        if (d != decided.end() && d->second.analytics) tx.put_analytics(oc.call.id, *d->second.analytics);
        if (oc.replace) tx.replace_transcript(oc.call.id, *oc.replace);
        if (!oc.append.empty()) tx.append_transcript(oc.call.id, oc.append);
        for (auto const& step : oc.steps) tx.add_status_step(oc.call.id, step);
        entry.call_id = oc.call.id;
    }
    entry.status = "applied";
    if (!new_entry) return tx.inbox_update(entry);
    // The inbox row goes in last, already applied: one statement instead of an insert
    // and an update. A redelivery loses the race on the unique key; undo its effects.
    entry.attempts = 1;
    if (!tx.inbox_insert(entry)) {
        duplicate_delivery d;
        if (auto prev = tx.inbox_find(provider, entry.idempotency_key)) d.response = prev->response;
        throw d;
    }
}

std::string pipeline::reapply(const store::inbox_entry& stored) {
    auto* provider = plugins_.provider(stored.provider);
    if (!provider) return "no provider plugin '" + stored.provider + "' is loaded";
    sdk::webhook_request req{"POST", "", stored.body, {}, stored.org, plugins_.org_settings(stored.org, stored.provider)};
    sdk::parsed_webhook parsed;
    try {
        parsed = provider->parse(req);
    } catch (const std::exception& e) {
        return std::string("cannot read the payload: ") + e.what();
    }
    decisions decided;
    if (auto const* org = cfg_.find_org(stored.org); org && wants_decisions(*org, parsed.events)) {
        std::optional<store::call_row> known;
        const std::string pcid = parsed.events.empty() ? "" : parsed.events.front().provider_call_id;
        try {
            known = db_.find_call(stored.provider, pcid);
        } catch (const std::exception& e) {
            return std::string("looking up the call failed: ") + e.what();
        }
        decide(*org, stored.provider, parsed.events, known ? &known->call : nullptr, decided);
    }
    store::inbox_entry entry = stored;
    try {
        committer_.run([&](store::unit_of_work& tx) {
            apply(tx, stored.org, stored.provider, parsed.events, decided, entry, false);
        });
    } catch (const std::exception& e) {
        return e.what();
    }
    publish(stored.org, entry.call_id, parsed.events, decided);
    return {};
}

void pipeline::publish(const std::string& org, const std::string& call_id, const std::vector<sdk::call_event>& events,
                       const decisions& decided) {
    if (!bus_.has_subscribers()) return;
    for (auto const& [provider_call_id, d] : decided) {
        if (!d.fx.escalation) continue;
        bus_.publish({org, call_id, "escalation",
                      {{"provider_call_id", provider_call_id}, {"reason", *d.fx.escalation}}});
    }
    for (auto const& e : events) {
        live_event le{org, call_id, "event", {{"type", e.type}, {"provider_call_id", e.provider_call_id}}};
        if (auto* s = std::get_if<sdk::status_changed>(&e.body)) {
            le.kind = "status";
            le.data["status"] = sdk::to_string(s->status);
        } else if (auto* t = std::get_if<sdk::transcript_added>(&e.body)) {
            le.kind = "transcript";
            le.data["role"] = sdk::to_string(t->segment.role);
            le.data["text"] = t->segment.text;
            le.data["final"] = t->segment.final;
        } else if (std::holds_alternative<sdk::call_ended>(e.body)) {
            le.kind = "ended";
        }
        bus_.publish(le);
    }
}

}  // namespace switchboard::calls
