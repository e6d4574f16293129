#include "host/scripting/lua_json.hpp"

#include <lua.hpp>

#include <boost/json.hpp>

#include <cmath>
#include <string>

namespace switchboard::scripting {
namespace {

void push_value(lua_State* L, const boost::json::value& v, int depth) {
    if (depth > max_json_depth) luaL_error(L, "value nested deeper than %d levels", max_json_depth);
    luaL_checkstack(L, 3, "value nested too deeply");
    switch (v.kind()) {
    case boost::json::kind::null: lua_pushnil(L); break;
    case boost::json::kind::bool_: lua_pushboolean(L, v.get_bool()); break;
    case boost::json::kind::int64: lua_pushinteger(L, v.get_int64()); break;
    case boost::json::kind::uint64: lua_pushnumber(L, static_cast<lua_Number>(v.get_uint64())); break;
    case boost::json::kind::double_: lua_pushnumber(L, v.get_double()); break;
    case boost::json::kind::string: lua_pushlstring(L, v.get_string().data(), v.get_string().size()); break;
    case boost::json::kind::array: {
        auto const& a = v.get_array();
        lua_createtable(L, static_cast<int>(a.size()), 0);
        lua_Integer i = 0;
        for (auto const& e : a) {
            push_value(L, e, depth + 1);
            lua_rawseti(L, -2, ++i);
        }
        break;
    }
    case boost::json::kind::object: {
        auto const& o = v.get_object();
        lua_createtable(L, 0, static_cast<int>(o.size()));
        for (auto const& kv : o) {
            lua_pushlstring(L, kv.key().data(), kv.key().size());
            push_value(L, kv.value(), depth + 1);
            lua_rawset(L, -3);
        }
        break;
    }
    }
}

const char* what_is(lua_State* L, int index) { return luaL_typename(L, index); }

boost::json::value read_value(lua_State* L, int index, int depth);

boost::json::value read_table(lua_State* L, int index, int depth) {
    if (depth > max_json_depth)
        luaL_error(L, "table nested deeper than %d levels (does it contain itself?)", max_json_depth);
    luaL_checkstack(L, 4, "table nested too deeply");
    index = lua_absindex(L, index);
    lua_Integer n = static_cast<lua_Integer>(lua_rawlen(L, index));
    lua_Integer keys = 0;
    bool sequence = n > 0;
    lua_pushnil(L);
    while (lua_next(L, index) != 0) {
        ++keys;
        if (!lua_isinteger(L, -2)) {
            sequence = false;
        } else {
            lua_Integer k = lua_tointeger(L, -2);
            if (k < 1 || k > n) sequence = false;
        }
        lua_pop(L, 1);
    }
    if (sequence && keys == n) {
        boost::json::array a;
        a.reserve(static_cast<std::size_t>(n));
        for (lua_Integer i = 1; i <= n; ++i) {
            lua_rawgeti(L, index, i);
            a.push_back(read_value(L, -1, depth + 1));
            lua_pop(L, 1);
        }
        return a;
    }
    boost::json::object o;
    lua_pushnil(L);
    while (lua_next(L, index) != 0) {
        std::string key;
        if (lua_type(L, -2) == LUA_TSTRING) {
            std::size_t len = 0;
            const char* s = lua_tolstring(L, -2, &len);
            key.assign(s, len);
        } else if (lua_type(L, -2) == LUA_TNUMBER) {
            // lua_tolstring would turn the key itself into a string and confuse lua_next.
            lua_pushvalue(L, -2);
            key = lua_tostring(L, -1);
            lua_pop(L, 1);
        } else {
            luaL_error(L, "a table key is a %s; only strings and numbers convert to JSON", what_is(L, -2));
        }
        o[key] = read_value(L, -1, depth + 1);
        lua_pop(L, 1);
    }
    return o;
}

boost::json::value read_value(lua_State* L, int index, int depth) {
    switch (lua_type(L, index)) {
    case LUA_TNIL: return nullptr;
    case LUA_TBOOLEAN: return lua_toboolean(L, index) != 0;
    case LUA_TNUMBER:
        if (lua_isinteger(L, index)) return static_cast<std::int64_t>(lua_tointeger(L, index));
        {
            double d = lua_tonumber(L, index);
            if (!std::isfinite(d)) luaL_error(L, "a number is not finite (%f); JSON has no such value", d);
            return d;
        }
    case LUA_TSTRING: {
        std::size_t len = 0;
        const char* s = lua_tolstring(L, index, &len);
        return boost::json::string(s, len);
    }
    case LUA_TTABLE: return read_table(L, index, depth);
    default: luaL_error(L, "a %s cannot be converted to JSON", what_is(L, index));
    }
    return nullptr;  // not reached: luaL_error raises
}

}  // namespace

void push_json(lua_State* L, const boost::json::value& v) { push_value(L, v, 0); }

boost::json::value to_json(lua_State* L, int index) { return read_value(L, index, 0); }

}  // namespace switchboard::scripting
