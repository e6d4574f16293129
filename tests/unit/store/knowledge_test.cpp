// The knowledge base's rows: documents with their chunks, replacement by id and by
// import name, per-org isolation, tag filters, and the change sequence the search
// index follows (one entry per changed document, deletions included, in order).
#include "store_scenario.hpp"

using namespace switchboard;

namespace {

store::knowledge_entry doc(const std::string& org, const std::string& title, std::vector<std::string> chunks,
                           std::vector<std::string> tags = {}, const std::string& external_id = {}) {
    store::knowledge_entry e;
    e.document.org = org;
    e.document.title = title;
    e.document.external_id = external_id;
    e.document.tags = std::move(tags);
    for (auto& c : chunks) {
        e.document.body += c + "\n\n";
        e.chunks.push_back({"", 0, "Section", c});
    }
    return e;
}

void knowledge_rows(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    CHECK(s.knowledge_sequence("acme") == 0);
    CHECK(s.knowledge_changes("acme", 0, 100).empty());

    std::vector<store::knowledge_entry> batch{doc("acme", "Pets", {"Dogs under 50 lb.", "Cats welcome."}, {"pets", "policy_2024"}),
                                              doc("acme", "Parking", {"Covered parking is $50."}, {"parking"}, "parking.md"),
                                              doc("globex", "Hours", {"Open 9 to 5."})};
    const auto last = s.put_knowledge(batch);
    CHECK(last == batch[2].document.sequence);
    CHECK(batch[0].document.sequence < batch[1].document.sequence);
    CHECK(batch[0].document.id.size() == 36);
    CHECK(batch[0].chunks[1].id == batch[0].document.id + "#1");
    CHECK(batch[0].document.chunk_count == 2);

    // Reads are per org: globex's document is not acme's.
    auto pets = s.get_knowledge(batch[0].document.id, "acme");
    REQUIRE(pets);
    CHECK(pets->title == "Pets");
    CHECK(pets->body == "Dogs under 50 lb.\n\nCats welcome.\n\n");
    CHECK(pets->tags == std::vector<std::string>{"pets", "policy_2024"});
    CHECK(pets->chunk_count == 2);
    CHECK_FALSE(s.get_knowledge(batch[2].document.id, "acme"));
    CHECK(s.get_knowledge(batch[2].document.id, "globex"));

    auto page = s.list_knowledge({"acme", "", 1, 20});
    CHECK(page.total == 2);
    REQUIRE(page.documents.size() == 2);
    CHECK(page.documents[0].body.empty());  // lists leave the body out
    CHECK(s.list_knowledge({"acme", "parking", 1, 20}).total == 1);
    CHECK(s.list_knowledge({"acme", "policy_2024", 1, 20}).total == 1);
    CHECK(s.list_knowledge({"acme", "policy%2024", 1, 20}).total == 0);  // LIKE wildcards are literal
    CHECK(s.list_knowledge({"acme", "pet", 1, 20}).total == 0);          // whole tags only
    CHECK(s.list_knowledge({"acme", "", 2, 1}).documents.size() == 1);

    // The follower's view: acme's two documents with their chunks, in sequence order.
    auto changes = s.knowledge_changes("acme", 0, 100);
    REQUIRE(changes.size() == 2);
    CHECK(changes[0].document_id == batch[0].document.id);
    REQUIRE(changes[0].entry);
    CHECK(changes[0].entry->chunks.size() == 2);
    CHECK(changes[0].entry->chunks[0].text == "Dogs under 50 lb.");
    CHECK(changes[0].entry->chunks[0].heading == "Section");
    CHECK(s.knowledge_sequence("acme") == batch[1].document.sequence);
    CHECK(s.knowledge_changes("acme", s.knowledge_sequence("acme"), 100).empty());

    // Importing the same name again replaces the document (same id, new chunks).
    std::vector<store::knowledge_entry> again{doc("acme", "Parking", {"Garage parking is $75.", "Guests park free."}, {},
                                                  "parking.md")};
    s.put_knowledge(again);
    CHECK(again[0].document.id == batch[1].document.id);
    auto parking = s.get_knowledge(again[0].document.id, "acme");
    REQUIRE(parking);
    CHECK(parking->chunk_count == 2);
    CHECK(parking->created_at <= parking->updated_at);
    CHECK(s.list_knowledge({"acme", "", 1, 20}).total == 2);

    // Replacing by id, and an id of another org is a new document, not a takeover.
    auto by_id = doc("acme", "Pets", {"No pets."});
    by_id.document.id = batch[0].document.id;
    auto foreign = doc("acme", "Hours", {"Stolen."});
    foreign.document.id = batch[2].document.id;
    std::vector<store::knowledge_entry> edits{by_id};
    s.put_knowledge(edits);
    CHECK(s.get_knowledge(batch[0].document.id, "acme")->chunk_count == 1);
    std::vector<store::knowledge_entry> takeover{foreign};
    CHECK_THROWS_AS(s.put_knowledge(takeover), store::store_error);  // the id is taken: refused
    CHECK(s.get_knowledge(batch[2].document.id, "globex")->title == "Hours");

    // Deletion is a change too; the document shows as gone.
    const auto before_delete = s.knowledge_sequence("acme");
    CHECK_FALSE(s.delete_knowledge(batch[2].document.id, "acme"));  // not acme's
    CHECK(s.delete_knowledge(batch[0].document.id, "acme"));
    CHECK_FALSE(s.delete_knowledge(batch[0].document.id, "acme"));
    auto tail = s.knowledge_changes("acme", before_delete, 100);
    REQUIRE(tail.size() == 1);
    CHECK(tail[0].document_id == batch[0].document.id);
    CHECK_FALSE(tail[0].entry);

    // From the start: one entry per document, at its newest sequence.
    auto all = s.knowledge_changes("acme", 0, 100);
    REQUIRE(all.size() == 2);
    CHECK(all.back().sequence == s.knowledge_sequence("acme"));
    CHECK(s.knowledge_orgs() == std::vector<std::string>{"acme", "globex"});
    // A small limit pages through the rows.
    CHECK(s.knowledge_changes("acme", 0, 1).size() == 1);
}
STORE_SCENARIO("knowledge documents, chunks and the change sequence", knowledge_rows)

}  // namespace
