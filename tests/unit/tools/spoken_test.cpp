// Text made speakable: Markdown and URLs out, sentences, clipping, and the way people
// say lists, times, dates and money.
#include <switchboard/spoken.hpp>

#include <catch2/catch.hpp>

namespace spoken = switchboard::sdk::spoken;

TEST_CASE("plain_text removes Markdown, links and URLs and makes one line", "[spoken]") {
    CHECK(spoken::plain_text("# Pet policy\n\n**Dogs** under _50 lb_ are `welcome`.") ==
          "Pet policy. Dogs under 50 lb are welcome.");
    CHECK(spoken::plain_text("See [our portal](https://example.test/pay) or https://x.test/a?b=1 today.") ==
          "See our portal or today.");
    CHECK(spoken::plain_text("- Pool\n- Gym\n1. Sauna") == "Pool. Gym. Sauna.");
    CHECK(spoken::plain_text("| Fee | Amount |\n|---|---:|\n| Pet | $300 |") == "Fee, Amount. Pet, $300.");
    CHECK(spoken::plain_text("Before\n```\ncode();\n```\nAfter") == "Before After");
    CHECK(spoken::plain_text("![map](m.png) Call <b>us</b> at the_office.") == "Call us at the_office.");
    CHECK(spoken::plain_text("Mail ann@www.example.test or leasing@example.test, not www.example.test.") ==
          "Mail ann@www.example.test or leasing@example.test, not");
    CHECK(spoken::plain_text("Rent < $500 and <br/>pets > 2<!-- note -->") == "Rent < $500 and pets > 2");
    CHECK(spoken::plain_text("~~Old~~ __new__ ***rules***: 2) No smoking\n3) Quiet hours") ==
          "Old new rules: 2) No smoking Quiet hours.");
    CHECK(spoken::plain_text("Steps:\n1. Apply online\n2. Pay the fee!\n> Quoted note") ==
          "Steps: Apply online. Pay the fee! Quoted note");
    CHECK(spoken::plain_text("### Hours\nOpen daily\n\nClosed on holidays") == "Hours. Open daily. Closed on holidays");
    CHECK(spoken::plain_text("  spaced \t out \r\n  text  ") == "spaced out text");
    CHECK(spoken::plain_text("").empty());
    CHECK(spoken::plain_text("line one\nline two").find('\n') == std::string::npos);
}

TEST_CASE("sentences split at ends, not at abbreviations or decimals", "[spoken]") {
    auto s = spoken::sentences("Rent is $1,250.50 a month. Pay by the 5th, e.g. via the portal. Dr. Lee is in! Ok?");
    REQUIRE(s.size() == 4);
    CHECK(s[0] == "Rent is $1,250.50 a month.");
    CHECK(s[1] == "Pay by the 5th, e.g. via the portal.");
    CHECK(s[2] == "Dr. Lee is in!");
    CHECK(s[3] == "Ok?");
    CHECK(spoken::sentences("Open 9 a.m. Monday to Friday. Call No. 5 at St. Mary's. Done") ==
          std::vector<std::string>{"Open 9 a.m. Monday to Friday.", "Call No. 5 at St. Mary's.", "Done"});
    CHECK(spoken::sentences("Lease ends in May. 2 keys are given. Really? yes.") ==
          std::vector<std::string>{"Lease ends in May.", "2 keys are given.", "Really? yes."});
    CHECK(spoken::sentences("no end").size() == 1);
    CHECK(spoken::sentences("  ").empty());
}

TEST_CASE("clip keeps whole sentences within the budget", "[spoken]") {
    CHECK(spoken::clip("One two. Three four. Five six.", 20) == "One two. Three four.");
    CHECK(spoken::clip("One two. Three four.", 100) == "One two. Three four.");
    CHECK(spoken::clip("A very long first sentence without a stop", 16) == "A very long.");
    CHECK(spoken::clip("A very long first sentence, then more. Short.", 30).size() <= 30);
    CHECK(spoken::clip("A very long first sentence, then more. Short.", 30) == "A very long first sentence.");
    CHECK(spoken::clip("One two. Three four.", 8) == "One two.");
    CHECK(spoken::clip("", 10).empty());
}

TEST_CASE("lists, times, ordinals, dates, money and counts as people say them", "[spoken]") {
    CHECK(spoken::join_list({}) == "");
    CHECK(spoken::join_list({"a"}) == "a");
    CHECK(spoken::join_list({"a", "b"}) == "a and b");
    CHECK(spoken::join_list({"a", "b", "c"}, "or") == "a, b or c");
    CHECK(spoken::time_of_day(9, 0) == "9 AM");
    CHECK(spoken::time_of_day(9, 5) == "9:05 AM");
    CHECK(spoken::time_of_day(12, 0) == "noon");
    CHECK(spoken::time_of_day(0, 0) == "midnight");
    CHECK(spoken::time_of_day(12, 15) == "12:15 PM");
    CHECK(spoken::time_of_day(17, 30) == "5:30 PM");
    CHECK(spoken::ordinal(1) == "1st");
    CHECK(spoken::ordinal(2) == "2nd");
    CHECK(spoken::ordinal(3) == "3rd");
    CHECK(spoken::ordinal(11) == "11th");
    CHECK(spoken::ordinal(12) == "12th");
    CHECK(spoken::ordinal(13) == "13th");
    CHECK(spoken::ordinal(22) == "22nd");
    CHECK(spoken::ordinal(101) == "101st");
    CHECK(spoken::ordinal(111) == "111th");
    CHECK(spoken::date(2026, 3, 3, 2) == "Tuesday, March 3rd");
    CHECK(spoken::date(2026, 12, 21) == "December 21st");
    CHECK(spoken::money(1250) == "$1,250");
    CHECK(spoken::money(1250.5) == "$1,250.50");
    CHECK(spoken::money(0.99) == "$0.99");
    CHECK(spoken::money(1234567) == "$1,234,567");
    CHECK(spoken::money(-5) == "minus $5");
    CHECK(spoken::money(0.05) == "$0.05");
    CHECK(spoken::money(999.999) == "$1,000");
    CHECK(spoken::money(0) == "$0");
    CHECK(spoken::time_of_day(23, 59) == "11:59 PM");
    CHECK(spoken::time_of_day(0, 30) == "12:30 AM");
    CHECK(spoken::ordinal(0) == "0th");
    CHECK(spoken::ordinal(112) == "112th");
    CHECK(spoken::ordinal(23) == "23rd");
    CHECK(spoken::date(2026, 2, 1, 0) == "Sunday, February 1st");
    CHECK(spoken::count(0, "bedroom", "bedrooms") == "no bedrooms");
    CHECK(spoken::count(1, "bedroom", "bedrooms") == "1 bedroom");
    CHECK(spoken::count(2, "bedroom", "bedrooms") == "2 bedrooms");
}
