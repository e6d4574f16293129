// Request-target parsing: percent-decoding and the query string. Hand-written (no
// Boost.URL) because targets are simple origin-form strings and sb_http does not link
// Boost::url.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace switchboard::http {

// Decodes %XX escapes; a malformed escape ("%zz", a trailing "%") is kept as is.
// plus_as_space: '+' means ' ' (query strings, form encoding), not in paths.
std::string percent_decode(std::string_view in, bool plus_as_space = false);

struct parsed_target {
    std::string raw_path;  // still encoded, without the query
    std::string path;      // decoded
    std::map<std::string, std::string> query;  // decoded; last value wins
};

// Splits an origin-form target ("/a/b?x=1&y"); absolute-form ("http://h/a") is
// reduced to its path. Returns false for anything else ("*", "a/b", empty).
bool parse_target(std::string_view target, parsed_target& out);

}  // namespace switchboard::http
