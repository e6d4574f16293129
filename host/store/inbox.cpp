// The webhook inbox: raw provider payloads written before they are applied, so an
// acknowledged webhook is never lost, and a redelivery is recognised by its key.
// Pending rows double as the retry queue (next_attempt_at).
#include "host/core/ids.hpp"
#include "host/core/time.hpp"
#include "host/store/body_codec.hpp"
#include "host/store/store_impl.hpp"

#include <algorithm>

namespace switchboard::store {
namespace {

constexpr const char* inbox_columns =
    "id, org_id, provider, idempotency_key, event_type, provider_call_id, body, body_encoding, events_json, "
    "response, call_id, status, attempts, last_error, received_at, next_attempt_at";

}  // namespace

void check_inbox_status(const char* op, const std::string& status) {
    if (status != "pending" && status != "applied" && status != "failed")
        throw store_error(std::string("store: ") + op + ": status '" + status +
                          "' is not pending, applied or failed");
}

const char* const inbox_insert_sql =
    "INSERT INTO webhook_inbox (id, org_id, provider, idempotency_key, event_type, provider_call_id, body, "
    "body_encoding, events_json, response, call_id, status, attempts, last_error, received_at, next_attempt_at) "
    "VALUES (:id, :org, :provider, :key, :event_type, :pcid, :body, :encoding, :events, :response, :call, :status, "
    ":attempts, :last_error, :received, :next) ON CONFLICT (provider, idempotency_key) DO NOTHING";

const char* const inbox_update_sql =
    "UPDATE webhook_inbox SET status = :status, call_id = :call, response = :response, last_error = :error, "
    "next_attempt_at = :next, events_json = :events, attempts = attempts + 1 WHERE id = :id";

void pack_inbox_body(inbox_entry& e) {
    if (!e.body_encoding.empty() || e.body.size() < 1024) return;
    e.body = pack_body(e.body);
    e.body_encoding = std::string(packed_body_encoding);
}

void unpack_inbox_body(inbox_entry& e) {
    if (e.body_encoding.empty()) return;
    if (e.body_encoding != packed_body_encoding)
        throw store_error("store: inbox entry " + e.id + ": unknown body encoding '" + e.body_encoding + "'");
    e.body = unpack_body(e.body);
    e.body_encoding.clear();
}

void fill_new_inbox_entry(inbox_entry& e) {
    if (e.id.empty()) e.id = core::new_id();
    if (e.received_at == sdk::time_point{}) e.received_at = std::chrono::system_clock::now();
}

bool insert_inbox_row(soci::session& s, inbox_entry& e) {
    fill_new_inbox_entry(e);
    std::string received = core::to_iso8601(e.received_at);
    auto next = time_column(e.next_attempt_at);
    // ON CONFLICT DO NOTHING (SQLite >= 3.24, PostgreSQL >= 9.5): a duplicate is an
    // ordinary outcome, not an error, and leaves no aborted transaction.
    soci::statement st =
        (s.prepare << inbox_insert_sql, soci::use(e.id, "id"), soci::use(e.org, "org"),
         soci::use(e.provider, "provider"), soci::use(e.idempotency_key, "key"), soci::use(e.event_type, "event_type"),
         soci::use(e.provider_call_id, "pcid"), soci::use(e.body, "body"), soci::use(e.body_encoding, "encoding"),
         soci::use(e.events_json, "events"),
         soci::use(e.response, "response"), soci::use(e.call_id, "call"), soci::use(e.status, "status"),
         soci::use(e.attempts, "attempts"), soci::use(e.last_error, "last_error"), soci::use(received, "received"),
         soci::use(next.value, next.ind, "next"));
    st.execute(true);
    return st.get_affected_rows() > 0;
}

std::vector<inbox_entry> select_inbox(soci::session& s, const std::string& tail, bound_params& params,
                                      const std::function<void(soci::statement&)>& extra) {
    inbox_entry e;
    std::string received, next;
    soci::indicator next_ind = soci::i_null;
    soci::statement st(s);
    for (auto* text : {&e.id, &e.org, &e.provider, &e.idempotency_key, &e.event_type, &e.provider_call_id, &e.body,
                       &e.body_encoding, &e.events_json, &e.response, &e.call_id, &e.status})
        st.exchange(soci::into(*text));
    st.exchange(soci::into(e.attempts));
    st.exchange(soci::into(e.last_error));
    st.exchange(soci::into(received));
    st.exchange(soci::into(next, next_ind));
    params.bind(st);
    if (extra) extra(st);
    st.alloc();
    st.prepare(std::string("SELECT ") + inbox_columns + " FROM webhook_inbox " + tail);
    st.define_and_bind();
    st.execute(false);
    std::vector<inbox_entry> out;
    while (st.fetch()) {
        e.received_at = core::parse_iso8601(received).value_or(sdk::time_point{});
        e.next_attempt_at = read_time(next, next_ind);
        out.push_back(e);
        unpack_inbox_body(out.back());
    }
    return out;
}

bool store::inbox_append(inbox_entry& e) {
    return guarded("inbox_append", [&] {
        lease s(*impl_);
        return insert_inbox_row(*s, e);
    });
}

namespace {

std::function<void(soci::statement&)> bind_limit(long long& lim) {
    return [&lim](soci::statement& st) { st.exchange(soci::use(lim, "lim")); };
}

}  // namespace

std::vector<inbox_entry> store::inbox_pending(int limit) {
    return guarded("inbox_pending", [&] {
        lease s(*impl_);
        bound_params p;
        long long lim = std::max(limit, 0);
        return select_inbox(*s, "WHERE status = 'pending' ORDER BY received_at, id LIMIT :lim", p, bind_limit(lim));
    });
}

std::vector<inbox_entry> store::inbox_due(sdk::time_point now, int limit) {
    return guarded("inbox_due", [&] {
        lease s(*impl_);
        bound_params p;
        long long lim = std::max(limit, 0);
        auto tail = "WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= " +
                    p.add(core::to_iso8601(now)) + ") ORDER BY received_at, id LIMIT :lim";
        return select_inbox(*s, tail, p, bind_limit(lim));
    });
}

std::vector<inbox_entry> store::inbox_list(const std::string& status, const std::string& org, int limit) {
    return guarded("inbox_list", [&] {
        lease s(*impl_);
        bound_params p;
        std::string where = "WHERE 1 = 1";
        if (!status.empty()) where += " AND status = " + p.add(status);
        if (!org.empty()) where += " AND org_id = " + p.add(org);
        long long lim = std::max(limit, 0);
        return select_inbox(*s, where + " ORDER BY received_at DESC, id DESC LIMIT :lim", p, bind_limit(lim));
    });
}

std::optional<inbox_entry> store::inbox_get(const std::string& id) {
    return guarded("inbox_get", [&]() -> std::optional<inbox_entry> {
        lease s(*impl_);
        bound_params p;
        auto rows = select_inbox(*s, "WHERE id = " + p.add(id), p);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    });
}

std::optional<inbox_entry> store::inbox_find(const std::string& provider, const std::string& key) {
    return guarded("inbox_find", [&]() -> std::optional<inbox_entry> {
        lease s(*impl_);
        bound_params p;
        auto rows = select_inbox(*s, "WHERE provider = " + p.add(provider) + " AND idempotency_key = " + p.add(key), p);
        if (rows.empty()) return std::nullopt;
        return std::move(rows.front());
    });
}

// Every mark counts as one processing attempt.
void store::inbox_mark(const std::string& id, const std::string& status, const std::string& error) {
    check_inbox_status("inbox_mark", status);
    guarded("inbox_mark", [&] {
        lease s(*impl_);
        *s << "UPDATE webhook_inbox SET status = :status, last_error = :error, attempts = attempts + 1 "
              "WHERE id = :id",
            soci::use(status, "status"), soci::use(error, "error"), soci::use(id, "id");
    });
}

}  // namespace switchboard::store
