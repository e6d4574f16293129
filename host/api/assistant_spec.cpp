#include "host/api/assistant_spec.hpp"

#include "host/core/time.hpp"
#include "host/http/message.hpp"

namespace switchboard::api {
namespace json = boost::json;

sdk::assistant_spec read_assistant_spec(const json::object& body, std::string_view where,
                                        std::initializer_list<std::string_view> skip, const calls::tool_lookup* tools) {
    try {
        return calls::read_assistant_spec(body, where, skip, tools);
    } catch (const calls::spec_error& e) {
        throw http::http_error(422, e.what());
    }
}

json::object spec_json(const sdk::assistant_spec& spec) { return calls::spec_json(spec); }

json::object assistant_json(const store::assistant_row& row) {
    json::object out{{"id", row.id},
                     {"org", row.org},
                     {"provider", row.provider},
                     {"provider_assistant_id", row.provider_assistant_id}};
    for (auto& kv : calls::spec_view(row.spec)) out[kv.key()] = std::move(kv.value());
    out["name"] = row.name;
    out["created_at"] = core::to_iso8601(row.created_at);
    out["updated_at"] = core::to_iso8601(row.updated_at);
    return out;
}

}  // namespace switchboard::api
