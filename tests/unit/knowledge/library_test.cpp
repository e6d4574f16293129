// The library over a real SQLite store: writes are searchable when they return, a
// second host's index (another folder, same database) catches up on sync, an index
// that has seen more than the store is rebuilt, and orgs never see each other.
#include "host/knowledge/library.hpp"
#include "host/knowledge/search_index.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

using namespace switchboard;
using switchboard::testing::temp_dir;

namespace {

knowledge::library_options options(const temp_dir& dir, const std::string& name) {
    knowledge::library_options o;
    o.directory = dir.path() / name;
    o.follow_interval = std::chrono::milliseconds(0);  // syncs are driven by the test
    return o;
}

std::size_t found(knowledge::library& kb, const std::string& org, const std::string& q) {
    auto a = kb.search(org, {q, 5, 0, {}});
    REQUIRE(a.available);
    return a.passages.size();
}

}  // namespace

TEST_CASE("the library keeps each org's index in step with the store", "[knowledge][library]") {
    temp_dir dir;
    store::store db("sqlite:" + (dir.path() / "kb.db").string(), 2);
    db.migrate();

    knowledge::library a(db, options(dir, "host-a"));
    a.start();
    auto stored = a.put("acme", {{"", "faq/pets.md", "Pets", "# Pets\n\nDogs welcome. Deposit $300.", "markdown", {"pets"}},
                                 {"", "", "Empty", "", "text", {}}});
    REQUIRE(stored.size() == 2);
    CHECK(stored[0].chunk_count == 1);
    CHECK(stored[1].chunk_count == 1);  // a title-only document is still findable
    CHECK(found(a, "acme", "deposit") == 1);
    CHECK(found(a, "acme", "empty") == 1);
    CHECK(found(a, "globex", "deposit") == 0);  // another org's index is empty
    auto passages = a.search("acme", {"deposit", 3, 0, {}}).passages;
    REQUIRE(passages.size() == 1);
    CHECK(passages[0].heading == "Pets");
    CHECK(passages[0].document_id == stored[0].id);

    // A second host (its own folder, same database) builds its index when it starts...
    knowledge::library b(db, options(dir, "host-b"));
    b.start();
    CHECK(found(b, "acme", "deposit") == 1);
    // ...and applies what the first one writes later when it syncs.
    a.put("acme", {{"", "", "Parking", "Garage parking is $75.", "text", {}}});
    CHECK(found(b, "acme", "garage") == 0);
    CHECK(b.sync("acme") == 1);
    CHECK(found(b, "acme", "garage") == 1);
    CHECK(a.remove("acme", stored[0].id));
    CHECK_FALSE(a.remove("acme", stored[0].id));
    CHECK(found(a, "acme", "deposit") == 0);
    b.sync("acme");
    CHECK(found(b, "acme", "deposit") == 0);
    auto status = b.status("acme");
    CHECK(status.applied_sequence == status.store_sequence);
    CHECK(status.chunks == 2);
}

TEST_CASE("an index ahead of the store is rebuilt from it", "[knowledge][library]") {
    temp_dir dir;
    {
        // An index that saw 1000 changes of some other database.
        knowledge::search_index stale(dir.path() / "kb" / "acme");
        stale.apply({{"ghost", {{"ghost#0", "ghost", "Ghost", "", "A document the store never had.", {}}}}}, 1000);
    }
    store::store db("sqlite:" + (dir.path() / "kb.db").string(), 2);
    db.migrate();
    std::vector<store::knowledge_entry> rows{{{}, {{"", 0, "", "Real text about parking."}}}};
    rows[0].document.org = "acme";
    rows[0].document.title = "Real";
    db.put_knowledge(rows);

    knowledge::library kb(db, options(dir, "kb"));
    kb.start();
    CHECK(found(kb, "acme", "ghost") == 0);
    CHECK(found(kb, "acme", "parking") == 1);
    CHECK(kb.status("acme").applied_sequence == db.knowledge_sequence("acme"));
}

TEST_CASE("index folder names cannot leave the library's folder", "[knowledge][library]") {
    CHECK(knowledge::index_folder_name("acme-support_1") == "acme-support_1");
    CHECK(knowledge::index_folder_name("../etc") == "%2e%2e%2fetc");
    CHECK(knowledge::index_folder_name("") == "%");
}
