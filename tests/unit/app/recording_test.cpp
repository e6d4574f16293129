#include "host/app/recording.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using switchboard::app::read_recording;

TEST_CASE("recording: lines keep their numbers, blanks and comments are skipped", "[app][replay]") {
    std::istringstream in(
        "# recorded 2026-01-01\n"
        "{\"message\":{\"type\":\"status-update\",\"call\":{\"id\":\"c-1\"}}}\r\n"
        "\n"
        "   \n"
        "  # indented comment\n"
        "{\"type\":\"room_started\",\"call\":{\"id\":\"c-2\"}}\n"
        "[1,2]\n"
        "{\"message\":{\"type\":\"status-upd\n");
    auto lines = read_recording(in);
    REQUIRE(lines.size() == 4);

    CHECK(lines[0].number == 2);
    CHECK(lines[0].type == "status-update");
    CHECK(lines[0].call_id == "c-1");
    CHECK(lines[0].body.back() == '}');  // the CR of a CRLF file is not part of the body
    CHECK(lines[0].error.empty());

    CHECK(lines[1].number == 6);  // no envelope: the top level
    CHECK(lines[1].type == "room_started");
    CHECK(lines[1].call_id == "c-2");

    CHECK(lines[2].number == 7);  // valid JSON the host will refuse: still sent
    CHECK(lines[2].type == "?");
    CHECK(lines[2].error.empty());

    CHECK(lines[3].number == 8);
    CHECK(lines[3].type == "?");
    CHECK(lines[3].error.rfind("invalid JSON at column ", 0) == 0);
}

TEST_CASE("recording: the column of a syntax error", "[app][replay]") {
    std::istringstream in("{\"a\": tru}\n{\"a\": 1,, 2}\n");
    auto lines = read_recording(in);
    REQUIRE(lines.size() == 2);
    INFO(lines[0].error << "\n" << lines[1].error);
    CHECK(lines[0].error.rfind("invalid JSON at column 7:", 0) == 0);  // where the bad token starts
    CHECK(lines[1].error.rfind("invalid JSON at column 9:", 0) == 0);
}
