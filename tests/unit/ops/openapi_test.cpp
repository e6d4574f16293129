#include "host/ops/openapi.hpp"

#include <catch2/catch.hpp>

#include <boost/json.hpp>

using namespace switchboard;
namespace json = boost::json;

namespace {

http::router sample_router() {
    http::router r;
    auto ok = [](http::request&) { return http::response::text(200, "ok"); };
    r.add("GET", "/healthz", http::access::open, http::route_doc{"Liveness", "ops", {}, "", "", {}}, ok);

    http::route_doc get_call;
    get_call.summary = "Get a call";
    get_call.tag = "calls";
    get_call.params = {{"id", "path", "string", true, "Call id"}, {"include", "query", "string", false, "Extra parts"}};
    get_call.response_schema = R"({"type":"object","properties":{"id":{"type":"string"}}})";
    get_call.errors = {404};
    r.add("GET", "/api/v1/orgs/{org}/calls/{id}", http::access::authenticated, get_call, ok);

    http::route_doc del_call{"Delete a call", "calls", {}, "", "", {404, 409}};
    r.add("DELETE", "/api/v1/orgs/{org}/calls/{id}", http::access::admin, del_call, ok);

    http::route_doc create;
    create.summary = "Create a thing";
    create.tag = "things";
    create.request_schema = R"({"type":"object","required":["name"]})";
    create.response_schema = "{ this is not json";
    create.errors = {400, 422};
    r.add("POST", "/api/v1/things", http::access::authenticated, create, ok);
    return r;
}

const json::object& obj(const json::value& v) { return v.as_object(); }

}  // namespace

TEST_CASE("openapi: document header and components", "[openapi]") {
    auto r = sample_router();
    const auto doc = ops::openapi_document(r, "Switchboard", "0.1.0");
    CHECK(doc.at("openapi") == "3.0.3");
    CHECK(doc.at("info").at("title") == "Switchboard");
    CHECK(doc.at("info").at("version") == "0.1.0");
    const auto& bearer = doc.at("components").at("securitySchemes").at("bearer");
    CHECK(bearer.at("type") == "http");
    CHECK(bearer.at("scheme") == "bearer");
    const auto& error = doc.at("components").at("schemas").at("Error");
    CHECK(error.at("properties").at("detail").at("type") == "string");
    // Round-trips through the serializer.
    CHECK(json::parse(json::serialize(doc)).as_object() == doc);
}

TEST_CASE("openapi: paths, methods, params and security", "[openapi]") {
    auto r = sample_router();
    const auto doc = ops::openapi_document(r, "Switchboard", "0.1.0");
    const auto& paths = obj(doc.at("paths"));
    REQUIRE(paths.size() == 3);

    const auto& health = paths.at("/healthz").at("get");
    CHECK(health.at("summary") == "Liveness");
    CHECK(health.at("tags").as_array() == json::array{"ops"});
    CHECK_FALSE(obj(health).contains("security"));
    CHECK_FALSE(obj(health.at("responses")).contains("401"));

    const auto& item = obj(paths.at("/api/v1/orgs/{org}/calls/{id}"));
    REQUIRE(item.contains("get"));
    REQUIRE(item.contains("delete"));
    const auto& get = item.at("get");
    const auto& params = get.at("parameters").as_array();
    REQUIRE(params.size() == 3);
    CHECK(params[0].at("name") == "org");
    CHECK(params[0].at("in") == "path");
    CHECK(params[0].at("required") == true);
    CHECK(params[1].at("name") == "id");
    CHECK(params[1].at("description") == "Call id");
    CHECK(params[2].at("name") == "include");
    CHECK(params[2].at("in") == "query");
    CHECK(params[2].at("required") == false);
    CHECK(get.at("security").as_array() == json::array{json::object{{"bearer", json::array{}}}});
    CHECK(get.at("responses").at("200").at("content").at("application/json").at("schema").at("type") == "object");
    for (const char* status : {"404", "401"}) {
        INFO(status);
        CHECK(get.at("responses").at(status).at("content").at("application/json").at("schema").at("$ref") ==
              "#/components/schemas/Error");
    }

    const auto& del = item.at("delete");
    CHECK(del.at("x-switchboard-access") == "admin");
    CHECK(obj(del.at("responses")).contains("409"));
    CHECK(del.at("parameters").as_array().size() == 2);
}

TEST_CASE("openapi: request bodies, and invalid schema text becomes {}", "[openapi]") {
    auto r = sample_router();
    const auto doc = ops::openapi_document(r, "t", "v");
    const auto& post = doc.at("paths").at("/api/v1/things").at("post");
    const auto& body = post.at("requestBody");
    CHECK(body.at("required") == true);
    CHECK(body.at("content").at("application/json").at("schema").at("required").as_array() == json::array{"name"});
    CHECK(post.at("responses").at("200").at("content").at("application/json").at("schema") == json::object{});
    CHECK(obj(post.at("responses")).contains("422"));
    CHECK(obj(post.at("responses")).contains("400"));
    CHECK_FALSE(obj(post).contains("parameters"));
    CHECK(post.at("operationId") == "post_api_v1_things");
}
