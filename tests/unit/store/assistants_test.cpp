#include "store_scenario.hpp"

using namespace switchboard;

namespace {

store::assistant_row make_assistant(const std::string& org, const std::string& provider_id) {
    store::assistant_row row;
    row.org = org;
    row.provider = "vapi";
    row.provider_assistant_id = provider_id;
    row.name = "Front desk " + provider_id;
    row.spec = {{"name", row.name}, {"first_message", "Hello"}, {"metadata", boost::json::object{{"k", 1}}}};
    return row;
}

void assistants(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    CHECK(s.list_assistants().empty());

    auto a = make_assistant("acme", "asst-1");
    s.insert_assistant(a);
    CHECK(a.id.size() == 36);  // a UUIDv7 was assigned
    CHECK(a.created_at > sdk::time_point{});
    auto b = make_assistant("globex", "asst-2");
    s.insert_assistant(b);
    auto c = make_assistant("acme", "asst-3");
    s.insert_assistant(c);

    auto dup = make_assistant("globex", "asst-1");
    CHECK_THROWS_WITH(s.insert_assistant(dup),
                      Catch::Contains("vapi assistant 'asst-1' is already recorded"));

    auto got = s.get_assistant(a.id);
    REQUIRE(got);
    CHECK(got->org == "acme");
    CHECK(got->provider_assistant_id == "asst-1");
    CHECK(got->spec == a.spec);
    CHECK(got->name == a.name);
    CHECK(s.get_assistant(a.id, "acme"));
    CHECK_FALSE(s.get_assistant(a.id, "globex"));  // another org's looks missing

    CHECK(s.find_assistant("vapi", "asst-2")->id == b.id);
    CHECK(s.find_assistant("", "asst-2")->id == b.id);
    CHECK_FALSE(s.find_assistant("vapi", "asst-2", "acme"));
    CHECK_FALSE(s.find_assistant("livekit_sip", "asst-2"));

    auto acme = s.list_assistants("acme");
    REQUIRE(acme.size() == 2);
    CHECK(acme[0].id == c.id);  // newest first
    CHECK(acme[1].id == a.id);
    CHECK(s.list_assistants().size() == 3);

    a.name = "Renamed";
    a.spec["name"] = "Renamed";
    CHECK(s.update_assistant(a));
    CHECK(s.get_assistant(a.id)->name == "Renamed");
    CHECK(s.get_assistant(a.id)->spec.at("name") == "Renamed");
    CHECK(s.get_assistant(a.id)->updated_at >= s.get_assistant(a.id)->created_at);

    CHECK(s.delete_assistant(a.id));
    CHECK_FALSE(s.delete_assistant(a.id));
    CHECK_FALSE(s.get_assistant(a.id));
    auto missing = make_assistant("acme", "asst-9");
    missing.id = "no-such-id";
    CHECK_FALSE(s.update_assistant(missing));
}
STORE_SCENARIO("assistants insert, find, list, update and delete", assistants)

}  // namespace
