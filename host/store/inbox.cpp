// The webhook inbox: raw provider payloads written before they are applied, so an
// acknowledged webhook is never lost, and a redelivery is recognised by its key.
#include "host/core/ids.hpp"
#include "host/core/time.hpp"
#include "host/store/store_impl.hpp"

#include <algorithm>

namespace switchboard::store {

bool store::inbox_append(inbox_entry& e) {
    if (e.id.empty()) e.id = core::new_id();
    if (e.received_at == sdk::time_point{}) e.received_at = std::chrono::system_clock::now();
    return guarded("inbox_append", [&] {
        lease s(impl_->pool, impl_->kind);
        std::string received = core::to_iso8601(e.received_at);
        // ON CONFLICT DO NOTHING (SQLite >= 3.24, PostgreSQL >= 9.5): a duplicate
        // is an ordinary outcome, not an error, and leaves no aborted transaction.
        soci::statement st =
            (s->prepare << "INSERT INTO webhook_inbox (id, org_id, provider, idempotency_key, event_type, "
                           "provider_call_id, body, status, attempts, last_error, received_at) VALUES (:id, :org, "
                           ":provider, :key, :event_type, :pcid, :body, :status, :attempts, :last_error, :received) "
                           "ON CONFLICT (provider, idempotency_key) DO NOTHING",
             soci::use(e.id, "id"), soci::use(e.org, "org"), soci::use(e.provider, "provider"),
             soci::use(e.idempotency_key, "key"), soci::use(e.event_type, "event_type"),
             soci::use(e.provider_call_id, "pcid"), soci::use(e.body, "body"), soci::use(e.status, "status"),
             soci::use(e.attempts, "attempts"), soci::use(e.last_error, "last_error"),
             soci::use(received, "received"));
        st.execute(true);
        return st.get_affected_rows() > 0;
    });
}

std::vector<inbox_entry> store::inbox_pending(int limit) {
    return guarded("inbox_pending", [&] {
        lease s(impl_->pool, impl_->kind);
        inbox_entry e;
        std::string received;
        long long lim = std::max(limit, 0);
        soci::statement st =
            (s->prepare << "SELECT id, org_id, provider, idempotency_key, event_type, provider_call_id, body, status, "
                           "attempts, last_error, received_at FROM webhook_inbox WHERE status = 'pending' "
                           "ORDER BY received_at, id LIMIT :lim",
             soci::use(lim, "lim"), soci::into(e.id), soci::into(e.org), soci::into(e.provider),
             soci::into(e.idempotency_key), soci::into(e.event_type), soci::into(e.provider_call_id),
             soci::into(e.body), soci::into(e.status), soci::into(e.attempts), soci::into(e.last_error),
             soci::into(received));
        st.execute(false);
        std::vector<inbox_entry> out;
        while (st.fetch()) {
            e.received_at = core::parse_iso8601(received).value_or(sdk::time_point{});
            out.push_back(e);
        }
        return out;
    });
}

// Every mark counts as one processing attempt.
void store::inbox_mark(const std::string& id, const std::string& status, const std::string& error) {
    if (status != "pending" && status != "applied" && status != "failed")
        throw store_error("store: inbox_mark: status '" + status + "' is not pending, applied or failed");
    guarded("inbox_mark", [&] {
        lease s(impl_->pool, impl_->kind);
        *s << "UPDATE webhook_inbox SET status = :status, last_error = :error, attempts = attempts + 1 "
              "WHERE id = :id",
            soci::use(status, "status"), soci::use(error, "error"), soci::use(id, "id");
    });
}

}  // namespace switchboard::store
