// Checks a JSON value against the subset of JSON Schema that tool specs use: type
// (one or a list), properties, required, additionalProperties (false or a schema),
// items, enum, const, minimum/maximum, exclusiveMinimum/exclusiveMaximum,
// minLength/maxLength, minItems/maxItems, pattern-free formats "date", "time",
// "date-time", "email". Keywords it does not know are ignored (accept liberally).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>

namespace switchboard::core {

struct schema_violation {
    std::string path;     // "preferred_time", "guests[2].name"; empty: the value itself
    std::string problem;  // "is required", "must be a string", ...
    std::string message() const { return path.empty() ? problem : path + " " + problem; }
};

// The first violation found (properties in schema order), or nullopt when `value` fits.
std::optional<schema_violation> check_schema(const boost::json::value& value, const boost::json::object& schema);

}  // namespace switchboard::core
