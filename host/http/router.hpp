// Routes "/api/v1/calls/{id}" style patterns to handlers. The route table also
// carries each route's documentation, from which /openapi.json is generated.
#pragma once

#include "host/http/message.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace switchboard::http {

using handler = std::function<response(request&)>;

enum class access { open, authenticated, admin };  // who may call it

struct param_doc {
    std::string name;
    std::string in = "query";  // query|path|header
    std::string type = "string";  // string|integer|number|boolean
    bool required = false;
    std::string description;
};

struct route_doc {
    std::string summary;
    std::string tag;
    std::vector<param_doc> params;     // path params are added from the pattern
    std::string request_schema;        // JSON Schema text, empty when no body
    std::string response_schema;       // JSON Schema text of the 2xx body
    std::vector<int> errors;           // statuses it may answer besides 2xx
};

struct route {
    std::string method;
    std::string pattern;
    access who = access::authenticated;
    route_doc doc;
    handler fn;
    // Never blocks (no storage, tools or Lua): may run on the I/O thread, saving two
    // thread hops. Set it only for handlers that answer from memory.
    bool non_blocking = false;
};

struct match_result {
    const route* found = nullptr;
    std::map<std::string, std::string> params;
    // When the path matched but the method did not: the methods that would have.
    std::vector<std::string> allowed;
};

class router {
public:
    // Patterns are literal segments and "{name}" segments. Literal segments win over
    // parameters ("/calls/all/active" before "/calls/{id}/..."), whatever the order
    // of registration.
    // A trailing slash is tolerated ("/calls/" matches "/calls"). HEAD matches GET
    // routes unless a HEAD route exists (the server drops the body).
    route& add(std::string method, std::string pattern, access who, route_doc doc, handler fn);

    // `path` is the raw, still percent-encoded path (request::raw_path): it is split
    // on '/' first and each parameter decoded after, so "%2F" stays inside its
    // parameter. A path without '%' is the same raw or decoded.
    match_result match(std::string_view method, std::string_view path) const;
    // Same, with req.method and req.raw_path (req.path when raw_path is empty).
    match_result match(const request& req) const;

    const std::vector<std::unique_ptr<route>>& routes() const noexcept { return routes_; }

private:
    struct segment {
        std::string text;  // literal text, or the parameter name
        bool param = false;
    };
    std::vector<std::unique_ptr<route>> routes_;
    std::vector<std::vector<segment>> patterns_;  // parallel to routes_, split once at add()
};

}  // namespace switchboard::http
