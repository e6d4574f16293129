#include "store_scenario.hpp"

using namespace switchboard;

namespace {

void orgs(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    CHECK(s.list_orgs().empty());
    CHECK_FALSE(s.get_org("acme").has_value());

    s.upsert_org("globex", "Globex");
    s.upsert_org("acme", "Acme");
    auto all = s.list_orgs();
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == "acme");  // ordered by id
    CHECK(all[1].name == "Globex");
    CHECK(all[0].config.empty());
    CHECK(all[0].created_at > sdk::time_point{});

    boost::json::object config{{"greeting", "Hello"}, {"max_minutes", 12}, {"tags", boost::json::array{"a", "b"}}};
    CHECK(s.set_org_config("acme", config));
    CHECK_FALSE(s.set_org_config("nobody", config));

    s.upsert_org("acme", "Acme Corp");  // renames, keeps the config
    auto acme = s.get_org("acme");
    REQUIRE(acme);
    CHECK(acme->name == "Acme Corp");
    CHECK(acme->config == config);
    CHECK(acme->updated_at >= acme->created_at);
    CHECK(s.list_orgs().size() == 2);
}
STORE_SCENARIO("organisations upsert, list and config", orgs)

}  // namespace
