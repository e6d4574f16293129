// The knowledge_search tool against a recording host: what it asks, and how passages
// become one spoken line (plain text, budget, no repeats, relative floor).
#include "knowledge_search/knowledge_search_tool.hpp"

#include <catch2/catch.hpp>

using namespace switchboard;
namespace json = boost::json;
using switchboard::plugins::knowledge_search::knowledge_search_tool;

namespace {

struct recording_host final : sdk::host_services {
    std::vector<sdk::knowledge_passage> passages;
    bool available = true;
    std::string asked_org;
    sdk::knowledge_query asked;
    std::vector<std::string> logs;

    void log(sdk::log_level, std::string_view m) override { logs.emplace_back(m); }
    std::chrono::system_clock::time_point now() const override { return {}; }
    sdk::http_response http(const sdk::http_request&) override { return {}; }
    sdk::knowledge_answer search_knowledge(std::string_view org, const sdk::knowledge_query& q) override {
        asked_org = org;
        asked = q;
        if (!available) return {false, {}, "index unreadable"};
        return {true, passages, {}};
    }
};

sdk::tool_invocation ask(const std::string& query, const json::object* settings = nullptr) {
    sdk::tool_invocation inv;
    inv.org = "acme";
    inv.name = "search_knowledge_base";
    inv.arguments = {{"query", query}};
    inv.settings = settings;
    return inv;
}

}  // namespace

TEST_CASE("the query and the org's settings reach the host", "[knowledge_search]") {
    recording_host host;
    knowledge_search_tool tool({{"top_k", 3}, {"min_score", 0}}, &host);
    json::object org{{"top_k", 5}, {"min_score", 1.5}};
    tool.invoke(ask("  pet deposit  ", &org));
    CHECK(host.asked_org == "acme");
    CHECK(host.asked.query == "pet deposit");
    CHECK(host.asked.limit == 5);
    CHECK(host.asked.min_score == 1.5);
}

TEST_CASE("passages become one plain spoken line", "[knowledge_search]") {
    recording_host host;
    host.passages = {
        {"pets", "Pet policy", "Pets > Dogs",
         "## Dogs\n\n**Dogs** under 50 lb are welcome. See https://example.test/pets for breeds. Deposit is $300.", 9},
        // The next chunk of the same document repeats the last sentence (overlap).
        {"pets", "Pet policy", "Pets > Cats", "Deposit is $300.\n\nCats are welcome too.", 8},
        {"parking", "Parking", "", "Parking is covered.", 1},  // under 0.35 x 9: left out
    };
    knowledge_search_tool tool({{"max_chars", 600}, {"relative_floor", 0.35}}, &host);
    auto r = tool.invoke(ask("pets"));
    CHECK(r.ok);
    CHECK(r.result == "Dogs. Dogs under 50 lb are welcome. See for breeds. Deposit is $300. Cats are welcome too.");
    CHECK(r.result.find("http") == std::string::npos);
    CHECK(r.result.find('*') == std::string::npos);
    CHECK(r.result.find('\n') == std::string::npos);
    REQUIRE(r.data.at("passages").as_array().size() == 2);
    CHECK(r.data.at("passages").as_array()[0].at("document_id") == "pets");

    // The budget keeps whole sentences; the best passage always says something.
    knowledge_search_tool tight({{"max_chars", 80}}, &host);
    auto short_line = tight.invoke(ask("pets"));
    CHECK(short_line.result.size() <= 80);
    CHECK(short_line.result == "Dogs. Dogs under 50 lb are welcome. See for breeds. Deposit is $300.");
}

TEST_CASE("no passages, no knowledge base, no host, no query, unknown function", "[knowledge_search]") {
    recording_host host;
    knowledge_search_tool tool({}, &host);
    auto none = tool.invoke(ask("unicorns"));
    CHECK(none.ok);
    CHECK(none.result == "I couldn't find anything about that in our information.");
    CHECK(none.data.at("passages").as_array().empty());

    host.available = false;
    auto down = tool.invoke(ask("pets"));
    CHECK_FALSE(down.ok);
    CHECK(down.data.at("detail") == "index unreadable");
    REQUIRE(host.logs.size() == 1);
    CHECK(host.logs[0].find("index unreadable") != std::string::npos);

    knowledge_search_tool alone({}, nullptr);
    CHECK_FALSE(alone.invoke(ask("pets")).ok);

    auto empty = tool.invoke(ask("   "));
    CHECK(empty.result == "I didn't catch what to look up.");
    CHECK(empty.data.at("error") == "empty_query");

    auto other = ask("x");
    other.name = "search_everything";
    auto unknown = tool.invoke(other);
    CHECK_FALSE(unknown.ok);
    CHECK(unknown.result == "unknown function 'search_everything' for tool plugin 'knowledge_search'");
}
