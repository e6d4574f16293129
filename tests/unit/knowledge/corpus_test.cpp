// The bench corpus (gen_kb.py, 2000 chunks) indexed and searched with the bench's
// pet-policy question: three hits, the best about pets. Without python3 a corpus in
// the same shape is written here instead, so the test never passes vacuously.
#include "host/knowledge/search_index.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <string>

using namespace switchboard::knowledge;
using switchboard::testing::temp_dir;

namespace {

// The string value of "key" in one JSON Lines object (gen_kb.py writes flat objects
// with plain \-escapes; \uXXXX is kept as written, enough for a search test).
std::string json_string(const std::string& line, const std::string& key) {
    const std::string needle = "\"" + key + "\":\"";
    auto at = line.find(needle);
    if (at == std::string::npos) return {};
    std::string out;
    for (std::size_t i = at + needle.size(); i < line.size(); ++i) {
        const char c = line[i];
        if (c == '"') break;
        if (c == '\\' && i + 1 < line.size()) {
            const char e = line[++i];
            out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

// A stand-in corpus in gen_kb.py's format, for machines without python3.
void write_corpus(const std::filesystem::path& path, int chunks) {
    const char* topics[][2] = {
        {"Pet policy", "Dogs and cats are welcome in two-bedroom units with a pet deposit of $300 and monthly pet rent."},
        {"Parking permits", "Garage remotes cost $125 and reserved spaces have a waitlist."},
        {"Late fees", "Rent is due on the 1st and is late after the 5th; a late fee applies."},
        {"Maintenance requests", "Submit maintenance requests online; emergencies are handled around the clock."},
        {"Amenities", "The pool and fitness center open at 6 am for residents and their guests."}};
    std::ofstream out(path);
    for (int i = 0; i < chunks; ++i) {
        auto const& t = topics[i % 5];
        out << "{\"id\":\"kb-" << i << "\",\"title\":\"" << t[0] << " - Site " << i % 40 << "\",\"text\":\"" << t[1]
            << " Unit " << i << ".\",\"tags\":[],\"property\":\"Site\"}\n";
    }
}

}  // namespace

TEST_CASE("the bench corpus answers the pet-policy question", "[knowledge][index][corpus]") {
    temp_dir dir;
    const auto corpus = dir.path() / "kb.jsonl";
    const std::string cmd = "python3 /work/shared/bench/payloads/gen_kb.py --chunks 2000 --out '" + corpus.string() +
                            "' > /dev/null 2>&1";
    const bool generated = std::filesystem::exists("/work/shared/bench/payloads/gen_kb.py") && std::system(cmd.c_str()) == 0;
    if (!generated) write_corpus(corpus, 2000);
    INFO("corpus from " << (generated ? "gen_kb.py" : "the C++ stand-in"));

    search_index ix(dir.path() / "index");
    std::vector<search_index::document_update> batch;
    std::size_t lines = 0;
    std::ifstream in(corpus);
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) continue;
        ++lines;
        const auto id = json_string(line, "id");
        REQUIRE_FALSE(id.empty());
        batch.push_back({id, {{id + "#0", id, json_string(line, "title"), "", json_string(line, "text"), {}}}});
        if (batch.size() == 500) {
            ix.apply(batch, static_cast<std::int64_t>(lines));
            batch.clear();
        }
    }
    ix.apply(batch, static_cast<std::int64_t>(lines));
    REQUIRE(lines == 2000);  // the corpus was produced, one way or the other
    CHECK(ix.stats().chunks == 2000);
    CHECK(ix.applied_sequence() == 2000);

    search_request r;
    r.query = "pet policy two-bedroom units";
    auto hits = ix.search(r);
    REQUIRE(hits.size() == 3);
    auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return s;
    };
    const auto first = lower(hits[0].title + " " + hits[0].text);
    CHECK(first.find("pet") != std::string::npos);
    for (std::size_t i = 1; i < hits.size(); ++i) CHECK(hits[i - 1].score >= hits[i].score);
}
