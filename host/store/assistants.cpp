// Assistants created at a provider through the API: which org owns each one, and the
// canonical spec it was last sent.
#include "host/core/ids.hpp"
#include "host/core/time.hpp"
#include "host/store/store_impl.hpp"

namespace switchboard::store {

namespace {

struct assistant_reader {
    std::string id, org, provider, provider_id, name, spec, created, updated;
    soci::indicator i_spec = soci::i_null, i_created = soci::i_null, i_updated = soci::i_null;

    static constexpr const char* columns =
        "id, org_id, provider, provider_assistant_id, name, spec_json, created_at, updated_at";
    void bind(soci::statement& st) {
        st.exchange(soci::into(id));
        st.exchange(soci::into(org));
        st.exchange(soci::into(provider));
        st.exchange(soci::into(provider_id));
        st.exchange(soci::into(name));
        st.exchange(soci::into(spec, i_spec));
        st.exchange(soci::into(created, i_created));
        st.exchange(soci::into(updated, i_updated));
    }
    assistant_row row() const {
        return {id,   org, provider, provider_id, name, read_json(spec, i_spec), read_time_or_epoch(created, i_created),
                read_time_or_epoch(updated, i_updated)};
    }
};

std::vector<assistant_row> select_assistants(soci::session& s, const std::string& tail, bound_params& params) {
    assistant_reader r;
    soci::statement st(s);
    r.bind(st);
    params.bind(st);
    st.alloc();
    st.prepare(std::string("SELECT ") + assistant_reader::columns + " FROM assistants " + tail);
    st.define_and_bind();
    st.execute(false);
    std::vector<assistant_row> out;
    while (st.fetch()) out.push_back(r.row());
    return out;
}

std::optional<assistant_row> first(std::vector<assistant_row> rows) {
    if (rows.empty()) return std::nullopt;
    return std::move(rows.front());
}

}  // namespace

void store::insert_assistant(assistant_row& row) {
    guarded("insert_assistant", [&] {
        if (row.id.empty()) row.id = core::new_id();
        auto now = std::chrono::system_clock::now();
        if (row.created_at == sdk::time_point{}) row.created_at = now;
        if (row.updated_at == sdk::time_point{}) row.updated_at = row.created_at;
        lease s(*impl_);
        std::string spec = write_json(row.spec), created = core::to_iso8601(row.created_at),
                    updated = core::to_iso8601(row.updated_at);
        // DO NOTHING rather than a constraint error: the same message on both backends.
        soci::statement st =
            (s->prepare << "INSERT INTO assistants (id, org_id, provider, provider_assistant_id, name, spec_json, "
                           "created_at, updated_at) VALUES (:id, :org, :provider, :pid, :name, :spec, :created, "
                           ":updated) ON CONFLICT DO NOTHING",
             soci::use(row.id, "id"), soci::use(row.org, "org"), soci::use(row.provider, "provider"),
             soci::use(row.provider_assistant_id, "pid"), soci::use(row.name, "name"), soci::use(spec, "spec"),
             soci::use(created, "created"), soci::use(updated, "updated"));
        st.execute(true);
        if (st.get_affected_rows() == 0)
            throw store_error("store: insert_assistant: " + row.provider + " assistant '" + row.provider_assistant_id +
                              "' is already recorded");
    });
}

std::optional<assistant_row> store::get_assistant(const std::string& id, const std::string& org) {
    return guarded("get_assistant", [&] {
        lease s(*impl_);
        bound_params p;
        std::string where = "WHERE id = " + p.add(id);
        if (!org.empty()) where += " AND org_id = " + p.add(org);
        return first(select_assistants(*s, where, p));
    });
}

std::optional<assistant_row> store::find_assistant(const std::string& provider,
                                                   const std::string& provider_assistant_id, const std::string& org) {
    return guarded("find_assistant", [&] {
        lease s(*impl_);
        bound_params p;
        std::string where = "WHERE provider_assistant_id = " + p.add(provider_assistant_id);
        if (!provider.empty()) where += " AND provider = " + p.add(provider);
        if (!org.empty()) where += " AND org_id = " + p.add(org);
        return first(select_assistants(*s, where, p));
    });
}

std::vector<assistant_row> store::list_assistants(const std::string& org) {
    return guarded("list_assistants", [&] {
        lease s(*impl_);
        bound_params p;
        std::string where = org.empty() ? "" : "WHERE org_id = " + p.add(org);
        // UUIDv7 ids sort by creation time.
        return select_assistants(*s, where + " ORDER BY id DESC", p);
    });
}

bool store::update_assistant(assistant_row& row) {
    return guarded("update_assistant", [&] {
        lease s(*impl_);
        row.updated_at = std::chrono::system_clock::now();
        std::string spec = write_json(row.spec), updated = core::to_iso8601(row.updated_at);
        soci::statement st = (s->prepare << "UPDATE assistants SET name = :name, spec_json = :spec, "
                                            "updated_at = :updated WHERE id = :id",
                              soci::use(row.name, "name"), soci::use(spec, "spec"), soci::use(updated, "updated"),
                              soci::use(row.id, "id"));
        st.execute(true);
        return st.get_affected_rows() > 0;
    });
}

bool store::delete_assistant(const std::string& id) {
    return guarded("delete_assistant", [&] {
        lease s(*impl_);
        soci::statement st = (s->prepare << "DELETE FROM assistants WHERE id = :id", soci::use(id, "id"));
        st.execute(true);
        return st.get_affected_rows() > 0;
    });
}

}  // namespace switchboard::store
