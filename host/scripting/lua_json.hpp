// Hook arguments go into Lua as tables and results come back as JSON: objects are
// tables with string keys, arrays are sequences 1..n, null is nil.
#pragma once

#include <boost/json/value.hpp>

struct lua_State;

namespace switchboard::scripting {

inline constexpr int max_json_depth = 64;

// Pushes `v` onto L's stack. Raises a Lua error when nested deeper than max_json_depth.
void push_json(lua_State* L, const boost::json::value& v);

// The value at `index` as JSON. A table whose keys are exactly 1..n is an array; an
// empty table is an empty object; other tables need string (or number) keys.
// Raises a Lua error naming what cannot be converted (a function, a cycle, ...).
boost::json::value to_json(lua_State* L, int index);

}  // namespace switchboard::scripting
