// Absolute http(s) URLs as the client needs them: scheme, host, port and the
// request target. Hand-written (the client does not link Boost::url); kept apart
// from http_client.cpp so it is testable without a socket.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::client {

struct parsed_url {
    bool tls = false;
    std::string host;    // without brackets for IPv6 literals
    std::string port;    // always set: the scheme's default when the URL has none
    std::string target;  // "/path?query", never empty, no fragment

    // "host" or "host:port" (port omitted when it is the scheme's default); IPv6 in brackets.
    std::string host_header() const;
    // The target without its query: what may be logged.
    std::string_view path() const noexcept;
};

// nullopt and `why` set for anything that is not http:// or https:// with a host,
// an optional port 1-65535, and no spaces or control characters. Userinfo
// ("user:pass@") is refused: credentials belong in headers.
std::optional<parsed_url> parse_url(std::string_view url, std::string& why);

}  // namespace switchboard::client
