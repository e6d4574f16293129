// One org's Xapian index: what it finds and in which order, stemming, stop words,
// phrases, prefixes, tags, the relevance floor, replacing and deleting documents,
// the applied sequence across reopening, and searches running while changes apply.
#include "host/knowledge/search_index.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace switchboard::knowledge;
using switchboard::testing::temp_dir;

namespace {

search_index::document_update doc(const std::string& id, const std::string& title, std::vector<std::string> texts,
                                  std::vector<std::string> tags = {}) {
    search_index::document_update u{id, {}};
    for (std::size_t i = 0; i < texts.size(); ++i)
        u.chunks.push_back({id + "#" + std::to_string(i), id, title, "", texts[i], tags});
    return u;
}

std::vector<std::string> ids(const std::vector<search_hit>& hits) {
    std::vector<std::string> out;
    for (auto const& h : hits) out.push_back(h.chunk_id);
    return out;
}

std::vector<search_hit> find(const search_index& ix, const std::string& q, std::size_t limit = 3) {
    search_request r;
    r.query = q;
    r.limit = limit;
    return ix.search(r);
}

void fill(search_index& ix) {
    ix.apply({doc("pets", "Pet policy", {"Dogs under 50 pounds are welcome. A pet deposit of $300 applies.",
                                         "Cats are welcome, two per apartment."},
                  {"Policy"}),
              doc("parking", "Parking", {"Covered parking costs $75 a month. The garage has a refrigerator."}),
              doc("tours", "Tours", {"We give tours every weekday; book a tour by phone."}, {"leasing"}),
              doc("laundry", "Laundry", {"Laundry rooms are on every floor of the welcome center building."})},
             4);
}

}  // namespace

TEST_CASE("the index finds by title and text, stems, and ignores stop words", "[knowledge][index]") {
    temp_dir dir;
    search_index ix(dir.path() / "acme");
    fill(ix);
    auto hits = find(ix, "what is the pet deposit");
    REQUIRE_FALSE(hits.empty());
    CHECK(hits[0].chunk_id == "pets#0");
    CHECK(hits[0].document_id == "pets");
    CHECK(hits[0].title == "Pet policy");
    CHECK(hits[0].text.find("$300") != std::string::npos);
    CHECK(hits[0].tags == std::vector<std::string>{"Policy"});
    CHECK(hits[0].score > 0);
    CHECK(ids(find(ix, "touring")) == std::vector<std::string>{"tours#0"});  // stemmed: tour
    CHECK(find(ix, "the of and what is").empty());                          // stop words only
    CHECK(find(ix, "!!! ???").empty());
    CHECK(find(ix, "").empty());
    // Ordered by score, and the limit holds.
    auto welcome = find(ix, "welcome", 10);
    REQUIRE(welcome.size() == 3);
    for (std::size_t i = 1; i < welcome.size(); ++i) CHECK(welcome[i - 1].score >= welcome[i].score);
    CHECK(find(ix, "welcome", 2).size() == 2);
}

TEST_CASE("phrases, prefixes, tags and the relevance floor", "[knowledge][index]") {
    temp_dir dir;
    search_index ix(dir.path() / "acme");
    fill(ix);
    // The exact phrase ranks the chunk that has it first.
    auto phrase = find(ix, "\"welcome center\"");
    REQUIRE(phrase.size() == 1);
    CHECK(phrase[0].chunk_id == "laundry#0");
    CHECK(ids(find(ix, "refri*")) == std::vector<std::string>{"parking#0"});
    // Tags filter (case-insensitive), any of them.
    search_request r;
    r.query = "welcome";
    r.limit = 10;
    r.tags = {"policy"};
    auto tagged = ix.search(r);
    REQUIRE(tagged.size() == 2);
    for (auto const& h : tagged) CHECK(h.document_id == "pets");
    r.tags = {"nothing"};
    CHECK(ix.search(r).empty());
    // A floor above the best score drops everything; below it keeps the best.
    r.tags.clear();
    auto all = ix.search(r);
    REQUIRE_FALSE(all.empty());
    r.min_score = all.front().score + 1;
    CHECK(ix.search(r).empty());
    r.min_score = all.front().score - 1e-9;
    CHECK_FALSE(ix.search(r).empty());
    // Unbalanced quotes are read as words, never an exception.
    CHECK_NOTHROW(find(ix, "\"pet deposit"));
    CHECK_FALSE(find(ix, "\"pet deposit").empty());
}

TEST_CASE("documents are replaced and deleted whole, the sequence survives reopening", "[knowledge][index]") {
    temp_dir dir;
    {
        search_index ix(dir.path() / "acme");
        CHECK(ix.applied_sequence() == 0);
        fill(ix);
        CHECK(ix.stats().chunks == 5);
        // Replacing "pets" with one chunk removes both old ones.
        ix.apply({doc("pets", "Pet policy", {"No pets allowed any more."})}, 9);
        CHECK(find(ix, "deposit").empty());
        CHECK(ids(find(ix, "pets allowed")) == std::vector<std::string>{"pets#0"});
        ix.apply({doc("parking", "Parking", {})}, 10);  // no chunks: deleted
        CHECK(find(ix, "garage").empty());
        CHECK(ix.stats().chunks == 3);
        CHECK(ix.applied_sequence() == 10);
    }
    search_index again(dir.path() / "acme");
    CHECK(again.applied_sequence() == 10);
    CHECK(again.stats().chunks == 3);
    CHECK_FALSE(find(again, "laundry").empty());
    again.clear();
    CHECK(again.applied_sequence() == 0);
    CHECK(again.stats().chunks == 0);
    CHECK(find(again, "laundry").empty());
}

TEST_CASE("searches on several threads while another applies changes", "[knowledge][index]") {
    temp_dir dir;
    search_index ix(dir.path() / "acme");
    fill(ix);
    std::atomic<bool> stop{false};
    std::atomic<int> searches{0}, malformed{0};
    std::vector<std::thread> readers;
    for (int t = 0; t < 4; ++t)
        readers.emplace_back([&] {
            while (!stop) {
                for (auto const& h : find(ix, "welcome parking tour", 5))
                    if (h.chunk_id.empty() || h.document_id.empty() || h.text.empty()) ++malformed;
                ++searches;
            }
        });
    for (int i = 0; i < 60; ++i)
        ix.apply({doc("extra" + std::to_string(i % 7), "Extra", {"Welcome parking note " + std::to_string(i)})},
                 100 + i);
    stop = true;
    for (auto& t : readers) t.join();
    CHECK(malformed == 0);
    CHECK(searches > 0);
    CHECK(ix.applied_sequence() == 159);
    CHECK(ix.stats().chunks == 5 + 7);
}

TEST_CASE("an unknown language or an unusable folder is an error naming it", "[knowledge][index]") {
    temp_dir dir;
    CHECK_THROWS_WITH(search_index(dir.path() / "x", "klingon"), Catch::Contains("klingon"));
    dir.write("file", "not a folder");
    CHECK_THROWS_WITH(search_index(dir.path() / "file"), Catch::Contains((dir.path() / "file").string()));
}
