// Cutting documents into chunks: sections by heading with their path, paragraphs
// packed to the target, long paragraphs cut at sentences, the overlap between
// neighbours, and nothing from blank input.
#include "host/knowledge/chunker.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace switchboard::knowledge;

namespace {
std::string words(int n, const std::string& word = "word") {
    std::ostringstream s;
    for (int i = 0; i < n; ++i) s << (i ? " " : "") << word << i;
    return s.str();
}
}  // namespace

TEST_CASE("headings make sections and name the chunks", "[knowledge][chunking]") {
    auto chunks = split_document("Intro line.\n\n# Pets\n\nAll welcome.\n\n## Dogs\n\nUnder 50 lb.\n\n## Cats\n\nTwo max.\n"
                                 "\n# Parking\n\nCovered.\n");
    REQUIRE(chunks.size() == 5);
    CHECK(chunks[0].heading.empty());
    CHECK(chunks[0].text == "Intro line.");
    CHECK(chunks[1].heading == "Pets");
    CHECK(chunks[2].heading == "Pets > Dogs");
    CHECK(chunks[2].text == "Under 50 lb.");
    CHECK(chunks[3].heading == "Pets > Cats");
    CHECK(chunks[4].heading == "Parking");  // a new top-level heading drops the old path
}

TEST_CASE("blank input gives no chunks, plain text is one section", "[knowledge][chunking]") {
    CHECK(split_document("").empty());
    CHECK(split_document("  \n\n \t\n").empty());
    CHECK(split_document("# Only a heading\n").empty());
    auto plain = split_document("First paragraph.\n\nSecond paragraph.");
    REQUIRE(plain.size() == 1);
    CHECK(plain[0].text == "First paragraph.\n\nSecond paragraph.");
    // A '#' inside a code fence or without a space is not a heading.
    auto code = split_document("```\n# not a heading\n```\n\n#hashtag stays");
    REQUIRE(code.size() == 1);
    CHECK(code[0].heading.empty());
}

TEST_CASE("paragraphs are packed to the target and long ones cut at sentences", "[knowledge][chunking]") {
    chunk_options o;
    o.target_words = 10;
    o.max_words = 15;
    o.overlap_words = 0;
    // Three paragraphs of 6 words: the first two share a chunk (12 >= 10 closes it).
    auto packed = split_document(words(6, "a") + "\n\n" + words(6, "b") + "\n\n" + words(6, "c"), o);
    REQUIRE(packed.size() == 2);
    CHECK(packed[0].text == words(6, "a") + "\n\n" + words(6, "b"));
    CHECK(packed[1].text == words(6, "c"));

    // A 24-word paragraph of three 8-word sentences: cut between sentences, never
    // inside one (two sentences, 16 words, would pass max_words).
    const std::string s1 = words(7, "x") + " end.", s2 = words(7, "y") + " end.", s3 = words(7, "z") + " end.";
    auto cut = split_document(s1 + " " + s2 + " " + s3, o);
    REQUIRE(cut.size() == 3);
    CHECK(cut[0].text == s1);
    CHECK(cut[1].text == s2);
    CHECK(cut[2].text == s3);

    // One sentence longer than max_words: cut by words.
    auto words_only = split_document(words(40, "w"), o);
    REQUIRE(words_only.size() == 3);
    CHECK(words_only[0].text == words(15, "w"));
}

TEST_CASE("the next chunk opens with the previous chunk's last sentences", "[knowledge][chunking]") {
    chunk_options o;
    o.target_words = 8;
    o.max_words = 20;
    o.overlap_words = 5;
    const std::string p1 = "Dogs are welcome here. The deposit is 300.";
    const std::string p2 = "Cats are welcome too. Two at most please.";
    auto chunks = split_document(p1 + "\n\n" + p2 + "\n\n# Other\n\nNew section text here.", o);
    REQUIRE(chunks.size() == 3);
    CHECK(chunks[0].text == p1);
    CHECK(chunks[1].text == "The deposit is 300.\n\n" + p2);  // 4-word tail within the 5-word budget
    CHECK(chunks[2].text == "New section text here.");      // no overlap across headings
    // Deterministic.
    CHECK(split_document(p1 + "\n\n" + p2, o)[1].text == chunks[1].text);
}
