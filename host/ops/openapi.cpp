#include "host/ops/openapi.hpp"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace switchboard::ops {
namespace json = boost::json;
namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// "{id}" segments of a pattern, in order.
std::vector<std::string> path_params(std::string_view pattern) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while ((pos = pattern.find('{', pos)) != std::string_view::npos) {
        const auto end = pattern.find('}', pos);
        if (end == std::string_view::npos) break;
        out.emplace_back(pattern.substr(pos + 1, end - pos - 1));
        pos = end + 1;
    }
    return out;
}

json::object schema_of(const std::string& text, const http::route& r, const char* what) {
    if (text.empty()) return {};
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec || !v.is_object()) {
        spdlog::warn("openapi: {} {}: {} is not a JSON object ({}); documenting it as {{}}", r.method, r.pattern,
                     what, ec ? ec.message() : "not an object");
        return {};
    }
    return std::move(v.as_object());
}

json::object parameter(const std::string& name, const std::string& in, const std::string& type, bool required,
                       const std::string& description) {
    json::object p{{"name", name}, {"in", in}, {"required", required}, {"schema", {{"type", type}}}};
    if (!description.empty()) p["description"] = description;
    return p;
}

std::string operation_id(const http::route& r) {
    std::string id = lower(r.method);
    for (char c : r.pattern) {
        if (std::isalnum(static_cast<unsigned char>(c))) id += c;
        else if (c == '/' || c == '-' || c == '_' || c == '.') id += '_';
    }
    while (!id.empty() && id.back() == '_') id.pop_back();
    return id;
}

json::object error_response(int status) {
    std::string_view reason = http::reason_phrase(status);
    return {{"description", reason.empty() ? std::string("Error") : std::string(reason)},
            {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

json::object operation(const http::route& r) {
    const auto& doc = r.doc;
    json::object op;
    if (!doc.summary.empty()) op["summary"] = doc.summary;
    op["operationId"] = operation_id(r);
    if (!doc.tag.empty()) op["tags"] = json::array{json::value(doc.tag)};

    json::array params;
    for (const auto& name : path_params(r.pattern)) {
        // A documented path param contributes its type and description.
        auto it = std::find_if(doc.params.begin(), doc.params.end(),
                               [&](const http::param_doc& p) { return p.in == "path" && p.name == name; });
        params.push_back(it != doc.params.end() ? parameter(name, "path", it->type, true, it->description)
                                                : parameter(name, "path", "string", true, ""));
    }
    for (const auto& p : doc.params) {
        if (p.in == "path") continue;  // covered above (or not in the pattern: OpenAPI would reject it)
        params.push_back(parameter(p.name, p.in, p.type, p.required, p.description));
    }
    if (!params.empty()) op["parameters"] = std::move(params);

    if (!doc.request_schema.empty()) {
        op["requestBody"] = {{"required", true},
                             {"content", {{"application/json", {{"schema", schema_of(doc.request_schema, r, "request_schema")}}}}}};
    }

    json::object responses;
    json::object ok{{"description", "OK"}};
    if (!doc.response_schema.empty())
        ok["content"] = {{"application/json", {{"schema", schema_of(doc.response_schema, r, "response_schema")}}}};
    responses["200"] = std::move(ok);

    std::vector<int> errors = doc.errors;
    if (r.who != http::access::open && std::find(errors.begin(), errors.end(), 401) == errors.end())
        errors.push_back(401);
    std::sort(errors.begin(), errors.end());
    for (int status : errors) responses[std::to_string(status)] = error_response(status);
    op["responses"] = std::move(responses);

    if (r.who != http::access::open) {
        op["security"] = json::array{json::object{{"bearer", json::array{}}}};
        if (r.who == http::access::admin) op["x-switchboard-access"] = "admin";
    }
    return op;
}

}  // namespace

json::object openapi_document(const http::router& routes, std::string title, std::string version) {
    json::object paths;
    for (const auto& r : routes.routes()) {
        auto& item = paths[r->pattern];
        if (!item.is_object()) item = json::object{};
        item.as_object()[lower(r->method)] = operation(*r);
    }

    json::object components{
        {"schemas",
         {{"Error",
           {{"type", "object"},
            {"required", json::array{"detail"}},
            {"properties", {{"detail", {{"type", "string"}, {"description", "What went wrong, for humans."}}}}}}}}},
        {"securitySchemes",
         {{"bearer",
           {{"type", "http"},
            {"scheme", "bearer"},
            {"bearerFormat", "JWT or API key"},
            {"description", "Authorization: Bearer <API key or HS256 JWT>"}}}}}};

    return json::object{{"openapi", "3.0.3"},
                        {"info", {{"title", std::move(title)}, {"version", std::move(version)}}},
                        {"paths", std::move(paths)},
                        {"components", std::move(components)}};
}

}  // namespace switchboard::ops
