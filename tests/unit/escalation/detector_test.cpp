// Keyword detection on what callers say: word-bounded, case- and punctuation-blind,
// most urgent signal first, prefixes, and org lists replacing the defaults.
#include "host/escalation/detector.hpp"

#include <catch2/catch.hpp>

using namespace switchboard::escalation;

TEST_CASE("normalise lowers, drops punctuation and pads with spaces", "[escalation]") {
    CHECK(normalise("Can't BREATHE!!") == " can t breathe ");
    CHECK(normalise("  ...  ") == " ");
    CHECK(normalise("Can\xe2\x80\x99t breathe") == " can t breathe ");  // typographic apostrophe
    CHECK(normalise("café 911") == " caf\xc3\xa9 911 ");
}

TEST_CASE("phrases match whole words, whatever the case and punctuation", "[escalation]") {
    detector d(default_keywords());
    auto hit = d.scan("Help, my husband... he CAN'T breathe!");
    REQUIRE(hit);
    CHECK(hit->kind == signal::emergency);
    CHECK(hit->phrase == "can't breathe");
    CHECK_FALSE(d.scan("The fireplace in unit 4 is lovely"));  // "fire" is not in "fireplace"
    CHECK(d.scan("There is a FIRE in the kitchen")->phrase == "fire");
    CHECK_FALSE(d.scan("I'd like to book a tour on Friday"));
    CHECK_FALSE(d.scan(""));
}

TEST_CASE("the most urgent signal wins and prefixes match word beginnings", "[escalation]") {
    detector d(default_keywords());
    // A request for a person and an emergency in one sentence: the emergency wins.
    auto hit = d.scan("Get me a real person, someone is unconscious");
    REQUIRE(hit);
    CHECK(hit->kind == signal::emergency);
    CHECK(d.scan("Can I talk to a real person please")->kind == signal::human_request);
    CHECK(d.scan("I'm not sure what I need")->kind == signal::uncertainty);
    CHECK(d.scan("he got injured on the stairs")->kind == signal::high_priority);  // injur*
    CHECK(d.scan("he got injured on the stairs")->phrase == "injur");
    CHECK(to_string(signal::high_priority) == "high_priority");
}

TEST_CASE("an org's lists replace the defaults", "[escalation]") {
    keyword_lists lists;
    lists.emergency = {"code red", "!!!"};  // a phrase of punctuation only matches nothing
    lists.human_request = {"nurse"};
    detector d(lists);
    CHECK(d.scan("this is a Code-Red situation")->kind == signal::emergency);
    CHECK(d.scan("I want the nurse")->kind == signal::human_request);
    CHECK_FALSE(d.scan("there is a fire"));  // not in this org's lists
    CHECK_FALSE(d.scan("!!!"));
}
