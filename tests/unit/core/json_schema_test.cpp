// The JSON Schema subset tool arguments are checked against: each keyword refuses
// what it should and names the path, and what fits passes.
#include "host/core/json_schema.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

using switchboard::core::check_schema;
namespace json = boost::json;

namespace {
std::string problem(const std::string& value, const std::string& schema) {
    auto bad = check_schema(json::parse(value), json::parse(schema).as_object());
    return bad ? bad->message() : "ok";
}
}  // namespace

TEST_CASE("tool argument schemas: types, required and nesting", "[core][schema]") {
    const std::string tour = R"({"type":"object","required":["name","phone"],"properties":{
        "name":{"type":"string","minLength":1},"phone":{"type":"string"},"email":{"type":"string","format":"email"},
        "bedrooms":{"type":"integer","minimum":0,"maximum":6},"max_rent":{"type":"number","exclusiveMinimum":0},
        "when":{"type":"string","format":"date"},"urgency":{"enum":["low","medium","high","emergency"]},
        "guests":{"type":"array","maxItems":2,"items":{"type":"object","required":["name"]}}}})";
    CHECK(problem(R"({"name":"Ann","phone":"+15550100"})", tour) == "ok");
    CHECK(problem(R"({"name":"Ann"})", tour) == "phone is required");
    CHECK(problem(R"({"name":"Ann","phone":null})", tour) == "phone is required");
    CHECK(problem(R"({"name":"","phone":"1"})", tour) == "name must not be empty");
    CHECK(problem(R"({"name":"Ann","phone":5})", tour) == "phone must be a string");
    CHECK(problem(R"({"name":"A","phone":"1","bedrooms":2.5})", tour) == "bedrooms must be an integer");
    CHECK(problem(R"({"name":"A","phone":"1","bedrooms":2.0})", tour) == "ok");  // 2.0 is an integer
    CHECK(problem(R"({"name":"A","phone":"1","bedrooms":7})", tour) == "bedrooms must be at most 6");
    CHECK(problem(R"({"name":"A","phone":"1","max_rent":0})", tour) == "max_rent must be more than 0");
    CHECK(problem(R"({"name":"A","phone":"1","email":"ann"})", tour) == "email must be an email");
    CHECK(problem(R"({"name":"A","phone":"1","when":"next tuesday"})", tour) == "when must be a date");
    CHECK(problem(R"({"name":"A","phone":"1","when":"2026-12-01"})", tour) == "ok");
    CHECK(problem(R"({"name":"A","phone":"1","urgency":"panic"})", tour) ==
          "urgency must be one of: low, medium, high, emergency");
    CHECK(problem(R"({"name":"A","phone":"1","guests":[{"name":"B"},{}]})", tour) == "guests[1].name is required");
    CHECK(problem(R"({"name":"A","phone":"1","guests":[{},{},{}]})", tour) == "guests must have at most 2 items");
    CHECK(problem(R"("text")", tour) == "must be an object");
    CHECK(problem(R"({"name":"A","phone":"1","colour":"red"})", tour) == "ok");  // extra keys allowed by default
}

TEST_CASE("tool argument schemas: additionalProperties, type lists, unknown keywords", "[core][schema]") {
    CHECK(problem(R"({"q":"x","extra":1})", R"({"properties":{"q":{}},"additionalProperties":false})") ==
          "extra is not expected");
    CHECK(problem(R"({"a":1,"b":"x"})", R"({"additionalProperties":{"type":"integer"}})") == "b must be an integer");
    CHECK(problem("null", R"({"type":["string","null"]})") == "ok");
    CHECK(problem("3", R"({"type":["string","null"]})") == "must be string or null");
    CHECK(problem(R"("é")", R"({"type":"string","maxLength":1})") == "ok");  // one character, two bytes
    CHECK(problem("1", R"({"type":"integer","x-anything":{"deep":true}})") == "ok");
    CHECK(problem("1", R"({"const":2})") == "must be 2");
}
