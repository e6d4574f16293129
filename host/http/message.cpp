#include "host/http/message.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cctype>

namespace switchboard::http {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

}  // namespace

std::string_view request::header(std::string_view lower_name) const noexcept {
    for (const auto& [name, value] : headers)
        if (name == lower_name) return value;
    return {};
}

std::optional<std::string> request::query_param(const std::string& name) const {
    if (auto it = query.find(name); it != query.end()) return it->second;
    return std::nullopt;
}

void response::set_header(std::string name, std::string value) {
    name = lower(std::move(name));
    // Replace every earlier value: a header set twice is a bug, not a list.
    std::erase_if(headers, [&](const auto& h) { return h.first == name; });
    headers.emplace_back(std::move(name), std::move(value));
}

void response::then(std::function<void(response&)> fn) {
    if (!deferred) return fn(*this);
    deferred = [start = std::move(deferred), fn = std::move(fn)](reply done) mutable {
        start([fn = std::move(fn), done = std::move(done)](response r) mutable {
            fn(r);
            done(std::move(r));
        });
    };
}

response response::defer(std::function<void(reply)> start) {
    response r;
    r.deferred = std::move(start);
    return r;
}

response response::json(int status, const boost::json::value& body) {
    response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = boost::json::serialize(body);
    return r;
}

response response::text(int status, std::string body, std::string content_type) {
    response r;
    r.status = status;
    r.content_type = std::move(content_type);
    r.body = std::move(body);
    return r;
}

response response::error(int status, std::string_view detail) {
    boost::json::object o;
    o["detail"] = detail;
    return json(status, o);
}

std::string_view reason_phrase(int status) noexcept {
    switch (status) {
        case 100: return "Continue";
        case 101: return "Switching Protocols";
        case 200: return "OK";
        case 201: return "Created";
        case 202: return "Accepted";
        case 204: return "No Content";
        case 206: return "Partial Content";
        case 301: return "Moved Permanently";
        case 302: return "Found";
        case 303: return "See Other";
        case 304: return "Not Modified";
        case 307: return "Temporary Redirect";
        case 308: return "Permanent Redirect";
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 402: return "Payment Required";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 406: return "Not Acceptable";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 410: return "Gone";
        case 411: return "Length Required";
        case 412: return "Precondition Failed";
        case 413: return "Content Too Large";
        case 414: return "URI Too Long";
        case 415: return "Unsupported Media Type";
        case 416: return "Range Not Satisfiable";
        case 417: return "Expectation Failed";
        case 422: return "Unprocessable Content";
        case 423: return "Locked";
        case 425: return "Too Early";
        case 426: return "Upgrade Required";
        case 428: return "Precondition Required";
        case 429: return "Too Many Requests";
        case 431: return "Request Header Fields Too Large";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        case 505: return "HTTP Version Not Supported";
        default: break;
    }
    // Unknown codes still get a sensible phrase for their class.
    if (status >= 100 && status < 200) return "Informational";
    if (status >= 200 && status < 300) return "Success";
    if (status >= 300 && status < 400) return "Redirection";
    if (status >= 400 && status < 500) return "Client Error";
    if (status >= 500 && status < 600) return "Server Error";
    return "Unknown";
}

}  // namespace switchboard::http
