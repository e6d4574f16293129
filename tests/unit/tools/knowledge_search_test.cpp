// The knowledge_search tool against a recording host: what it asks, and how passages
// become one spoken line (plain text, budget, no repeats, relative floor).
#include "knowledge_search/knowledge_search_tool.hpp"

#include <catch2/catch.hpp>

#include <switchboard/spoken.hpp>

using namespace switchboard;
namespace json = boost::json;
using switchboard::plugins::knowledge_search::knowledge_search_tool;

namespace {

struct recording_host final : sdk::host_services {
    std::vector<sdk::knowledge_passage> passages;
    bool available = true;
    int searches = 0;
    std::string asked_org;
    sdk::knowledge_query asked;
    std::vector<std::pair<sdk::log_level, std::string>> logs;

    void log(sdk::log_level level, std::string_view m) override { logs.emplace_back(level, m); }
    std::chrono::system_clock::time_point now() const override { return {}; }
    sdk::http_response http(const sdk::http_request&) override { return {}; }  // status 0
    sdk::knowledge_answer search_knowledge(std::string_view org, const sdk::knowledge_query& q) override {
        ++searches;
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

std::vector<std::string> used_documents(const sdk::tool_result& r) {
    std::vector<std::string> out;
    for (auto const& p : r.data.at("passages").as_array()) out.emplace_back(p.at("document_id").as_string());
    return out;
}

const std::string dogs = "Dogs under 50 lb are welcome in every building.";
const std::string deposit = "A pet deposit of $300 is due at move-in.";
const std::string cats = "Cats are welcome too.";

}  // namespace

TEST_CASE("the org and the query reach the host with top_k and min_score", "[knowledge_search]") {
    recording_host host;
    SECTION("from the plugin's config") {
        knowledge_search_tool tool({{"top_k", 4}, {"min_score", 0.75}}, &host);
        tool.invoke(ask("pet policy two-bedroom units"));
        CHECK(host.asked_org == "acme");
        CHECK(host.asked.query == "pet policy two-bedroom units");
        CHECK(host.asked.limit == 4);
        CHECK(host.asked.min_score == 0.75);
        CHECK(host.asked.tags.empty());
    }
    SECTION("the org's settings win over the plugin's config; the query is trimmed") {
        knowledge_search_tool tool({{"top_k", 3}, {"min_score", 0}}, &host);
        json::object org{{"top_k", 5}, {"min_score", 1.5}};
        auto inv = ask("  pet deposit  ", &org);
        inv.org = "globex";
        tool.invoke(inv);
        CHECK(host.asked_org == "globex");
        CHECK(host.asked.query == "pet deposit");
        CHECK(host.asked.limit == 5);
        CHECK(host.asked.min_score == 1.5);
    }
    SECTION("defaults when nothing is configured") {
        knowledge_search_tool tool({}, &host);
        tool.invoke(ask("parking"));
        CHECK(host.asked.limit == 3);
        CHECK(host.asked.min_score == 0);
    }
}

TEST_CASE("Markdown, links and URLs never reach the spoken line", "[knowledge_search]") {
    recording_host host;
    host.passages = {{"pets", "Pet policy", "Pets > Dogs",
                      "## Dogs\n\n**Dogs** under _50 lb_ are [welcome](https://example.test/pets) in every "
                      "building.\nSee https://example.test/breeds or www.example.test for breeds.\n\n"
                      "- Deposit: $300\n- Rent: $25 a month\n\n```\nrender(pets);\n```\n<b>Ask</b> the office.",
                      9}};
    knowledge_search_tool tool({}, &host);
    auto r = tool.invoke(ask("dogs"));
    REQUIRE(r.ok);
    for (auto bad : {"http", "www", "example.test", "*", "#", "_", "[", "](", "`", "<b>", "render", "\n"})
        CHECK(r.result.find(bad) == std::string::npos);
    CHECK(r.result.find("Dogs under 50 lb are welcome in every building.") != std::string::npos);
    CHECK(r.result.find("Deposit: $300.") != std::string::npos);
    CHECK(r.result.find("Ask the office.") != std::string::npos);
    // The title is not read out when the text has something to say.
    CHECK(r.result.find("Pet policy") == std::string::npos);
}

TEST_CASE("a passage without text is read by its title", "[knowledge_search]") {
    recording_host host;
    host.passages = {{"hours", "Office hours are 9 to 5", "", "```\nonly code\n```", 4}};
    knowledge_search_tool tool({}, &host);
    auto r = tool.invoke(ask("hours"));
    CHECK(r.ok);
    CHECK(r.result == "Office hours are 9 to 5");
}

TEST_CASE("overlapping chunks say a shared sentence once, best passage first", "[knowledge_search]") {
    recording_host host;
    host.passages = {
        {"pets", "Pet policy", "Pets > Dogs", dogs + " " + deposit, 9},
        // The next chunk of the same document overlaps the previous one by a sentence.
        {"pets", "Pet policy", "Pets > Cats", deposit + "\n\n" + cats, 8},
    };
    knowledge_search_tool tool({}, &host);
    auto r = tool.invoke(ask("pets"));
    CHECK(r.ok);
    CHECK(r.result == dogs + " " + deposit + " " + cats);
    CHECK(used_documents(r) == std::vector<std::string>{"pets", "pets"});
    auto const& first = r.data.at("passages").as_array()[0].as_object();
    CHECK(first.at("title") == "Pet policy");
    CHECK(first.at("heading") == "Pets > Dogs");
    CHECK(first.at("score").to_number<double>() == 9);
    CHECK(r.data.at("query") == "pets");
}

TEST_CASE("the budget keeps whole sentences and the best passage always speaks", "[knowledge_search]") {
    recording_host host;
    host.passages = {
        {"pets", "Pet policy", "", dogs + " " + deposit, 9},
        {"cats", "Cats", "", cats, 8},
    };
    SECTION("sentences are added while the line stays within max_chars") {
        // Room for the first two sentences, not for the third (+1 for each space).
        const auto budget = static_cast<std::int64_t>(dogs.size() + 1 + deposit.size() + cats.size());
        knowledge_search_tool tool({{"max_chars", budget}}, &host);
        auto r = tool.invoke(ask("pets"));
        CHECK(r.result == dogs + " " + deposit);
        CHECK(r.result.size() <= static_cast<std::size_t>(budget));
        CHECK(used_documents(r) == std::vector<std::string>{"pets"});
    }
    SECTION("a sentence that does not fit stops the line: later, shorter ones are not said out of order") {
        const auto budget = static_cast<std::int64_t>(dogs.size() + 1 + cats.size());
        knowledge_search_tool tool({{"max_chars", budget}}, &host);
        CHECK(tool.invoke(ask("pets")).result == dogs);
    }
    SECTION("a first sentence longer than the budget is cut at a word and ends with a period") {
        knowledge_search_tool tool({{"max_chars", 80}}, &host);
        host.passages = {{"long", "Long", "",
                          "Residents may reserve the rooftop lounge, the theater room and the game room for private "
                          "events of up to thirty guests on weekends. Second sentence.",
                          5}};
        auto r = tool.invoke(ask("lounge"));
        CHECK(r.ok);
        CHECK_FALSE(r.result.empty());
        CHECK(r.result.size() <= 80);
        CHECK(r.result.back() == '.');
        CHECK(r.result.rfind("Residents may reserve the rooftop lounge", 0) == 0);
        CHECK(r.result.find("Second") == std::string::npos);
    }
}

TEST_CASE("the relative floor drops passages far below the best one", "[knowledge_search]") {
    recording_host host;
    host.passages = {
        {"pets", "Pet policy", "", dogs, 10},
        {"cats", "Cats", "", cats, 4},          // 0.4 of the best: kept at 0.35
        {"parking", "Parking", "", "Parking is covered.", 3},  // 0.3 of the best: dropped
    };
    knowledge_search_tool tool({}, &host);
    auto r = tool.invoke(ask("pets"));
    CHECK(r.result == dogs + " " + cats);
    CHECK(used_documents(r) == std::vector<std::string>{"pets", "cats"});

    json::object strict{{"relative_floor", 0.5}};
    auto s = tool.invoke(ask("pets", &strict));
    CHECK(s.result == dogs);
    CHECK(used_documents(s) == std::vector<std::string>{"pets"});
}

TEST_CASE("nothing relevant is answered with no_answer", "[knowledge_search]") {
    recording_host host;
    knowledge_search_tool tool({}, &host);
    auto none = tool.invoke(ask("unicorns"));
    CHECK(none.ok);
    CHECK(none.result == "I couldn't find anything about that in our information.");
    CHECK(none.data.at("passages").as_array().empty());
    CHECK(none.data.at("query") == "unicorns");

    json::object org{{"no_answer", "Our leasing team can help with that."}};
    CHECK(tool.invoke(ask("unicorns", &org)).result == "Our leasing team can help with that.");
}

TEST_CASE("no knowledge base or no host: ok=false with the unavailable line", "[knowledge_search]") {
    recording_host host;
    host.available = false;
    knowledge_search_tool tool({}, &host);
    auto down = tool.invoke(ask("pets"));
    CHECK_FALSE(down.ok);
    CHECK(down.result == "I can't look that up right now.");
    CHECK(down.data.at("error") == "unavailable");
    CHECK(down.data.at("detail") == "index unreadable");
    REQUIRE(host.logs.size() == 1);
    CHECK(host.logs[0].first == sdk::log_level::warn);
    CHECK(host.logs[0].second.find("acme") != std::string::npos);
    CHECK(host.logs[0].second.find("index unreadable") != std::string::npos);

    knowledge_search_tool configured({{"unavailable", "Search is down."}}, &host);
    CHECK(configured.invoke(ask("pets")).result == "Search is down.");

    knowledge_search_tool alone({}, nullptr);
    auto r = alone.invoke(ask("pets"));
    CHECK_FALSE(r.ok);
    CHECK(r.result == "I can't look that up right now.");
    CHECK(r.data.at("error") == "unavailable");
}

TEST_CASE("an empty query and an unknown function are refused before any search", "[knowledge_search]") {
    recording_host host;
    knowledge_search_tool tool({}, &host);
    auto empty = tool.invoke(ask(" \t "));
    CHECK(empty.ok);  // a line to say: with ok=false the host would say its fallback
    CHECK(empty.result == "I didn't catch what to look up.");
    CHECK(empty.data.at("error") == "empty_query");

    auto missing = ask("x");
    missing.arguments.clear();
    CHECK(tool.invoke(missing).data.at("error") == "empty_query");

    auto other = ask("x");
    other.name = "search_everything";
    auto unknown = tool.invoke(other);
    CHECK_FALSE(unknown.ok);
    CHECK(unknown.result == "unknown function 'search_everything' for tool plugin 'knowledge_search'");
    CHECK(unknown.data.at("error") == "unknown_function");
    CHECK(host.searches == 0);
}

TEST_CASE("the function's schema asks for a query only", "[knowledge_search]") {
    knowledge_search_tool tool({}, nullptr);
    auto specs = tool.specs();
    REQUIRE(specs.size() == 1);
    CHECK(specs[0].name == "search_knowledge_base");
    CHECK(specs[0].parameters.at("required") == json::array{"query"});
    CHECK(specs[0].parameters.at("properties").as_object().size() == 1);
    CHECK(specs[0].parameters.at("properties").at("query").at("type") == "string");
}

TEST_CASE("the result is always one line", "[knowledge_search]") {
    recording_host host;
    host.passages = {{"a", "A\ntitle", "", "Line one\nline two\r\n\r\n| a | b |\n|---|---|\n| 1 | 2 |", 3},
                     {"b", "B", "", "\n\nSecond passage.\n", 2}};
    knowledge_search_tool tool({}, &host);
    auto r = tool.invoke(ask("lines"));
    CHECK(r.ok);
    CHECK(r.result == "Line one line two. a, b. 1, 2. Second passage.");
    CHECK(r.result.find('\n') == std::string::npos);
    CHECK(r.result.find('\r') == std::string::npos);
}
