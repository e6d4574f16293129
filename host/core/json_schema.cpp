#include "host/core/json_schema.hpp"

#include <boost/json/serialize.hpp>

#include <cmath>

namespace switchboard::core {

namespace {

namespace json = boost::json;

bool is_integer(const json::value& v) {
    if (v.is_int64() || v.is_uint64()) return true;
    return v.is_double() && std::isfinite(v.get_double()) && std::floor(v.get_double()) == v.get_double();
}

bool has_type(const json::value& v, std::string_view type) {
    if (type == "string") return v.is_string();
    if (type == "integer") return is_integer(v);
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_bool();
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "null") return v.is_null();
    return true;  // an unknown type name constrains nothing
}

std::string article(std::string_view word) {
    const bool vowel = !word.empty() && std::string_view("aeiou").find(word.front()) != std::string_view::npos;
    return (vowel ? "an " : "a ") + std::string(word);
}

double number(const json::value& v) { return v.to_number<double>(); }

bool digits(std::string_view s, std::size_t from, std::size_t n) {
    if (s.size() < from + n) return false;
    for (std::size_t i = from; i < from + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

bool fits_format(std::string_view s, std::string_view format) {
    if (format == "date") return s.size() == 10 && digits(s, 0, 4) && s[4] == '-' && digits(s, 5, 2) && s[7] == '-' && digits(s, 8, 2);
    if (format == "time") return s.size() >= 5 && digits(s, 0, 2) && s[2] == ':' && digits(s, 3, 2);
    if (format == "date-time") return s.size() >= 16 && fits_format(s.substr(0, 10), "date") && (s[10] == 'T' || s[10] == ' ') && fits_format(s.substr(11), "time");
    if (format == "email") {
        auto at = s.find('@');
        return at != std::string_view::npos && at > 0 && s.find('.', at) != std::string_view::npos && s.back() != '.';
    }
    return true;
}

std::string join(const std::string& base, std::string_view key) {
    return base.empty() ? std::string(key) : base + "." + std::string(key);
}

std::optional<schema_violation> check(const json::value& v, const json::object& s, const std::string& path) {
    auto fail = [&](std::string problem) { return schema_violation{path, std::move(problem)}; };

    if (auto const* t = s.if_contains("type")) {
        if (t->is_string()) {
            if (!has_type(v, t->get_string())) return fail("must be " + article(t->get_string()));
        } else if (t->is_array()) {
            bool any = false;
            std::string names;
            for (auto const& one : t->get_array())
                if (one.is_string()) {
                    any = any || has_type(v, one.get_string());
                    names += (names.empty() ? "" : " or ") + std::string(one.get_string());
                }
            if (!any && !names.empty()) return fail("must be " + names);
        }
    }
    if (auto const* e = s.if_contains("enum"); e && e->is_array()) {
        bool found = false;
        std::string names;
        for (auto const& one : e->get_array()) {
            found = found || one == v;
            names += (names.empty() ? "" : ", ") + (one.is_string() ? std::string(one.get_string()) : json::serialize(one));
        }
        if (!found) return fail("must be one of: " + names);
    }
    if (auto const* c = s.if_contains("const"); c && !(*c == v)) return fail("must be " + json::serialize(*c));

    if (v.is_number()) {
        const double x = number(v);
        if (auto const* m = s.if_contains("minimum"); m && m->is_number() && x < number(*m))
            return fail("must be at least " + json::serialize(*m));
        if (auto const* m = s.if_contains("maximum"); m && m->is_number() && x > number(*m))
            return fail("must be at most " + json::serialize(*m));
        if (auto const* m = s.if_contains("exclusiveMinimum"); m && m->is_number() && x <= number(*m))
            return fail("must be more than " + json::serialize(*m));
        if (auto const* m = s.if_contains("exclusiveMaximum"); m && m->is_number() && x >= number(*m))
            return fail("must be less than " + json::serialize(*m));
    }
    if (v.is_string()) {
        const std::string_view str = v.get_string();
        // Lengths in characters (UTF-8 code points), as JSON Schema counts them.
        std::size_t chars = 0;
        for (unsigned char ch : str) chars += (ch & 0xC0) != 0x80;
        if (auto const* m = s.if_contains("minLength"); m && is_integer(*m) && chars < number(*m))
            return fail(number(*m) == 1 ? "must not be empty" : "must have at least " + json::serialize(*m) + " characters");
        if (auto const* m = s.if_contains("maxLength"); m && is_integer(*m) && chars > number(*m))
            return fail("must have at most " + json::serialize(*m) + " characters");
        if (auto const* f = s.if_contains("format"); f && f->is_string() && !fits_format(str, f->get_string()))
            return fail("must be " + article(f->get_string()));
    }
    if (v.is_array()) {
        auto const& a = v.get_array();
        if (auto const* m = s.if_contains("minItems"); m && is_integer(*m) && a.size() < number(*m))
            return fail("must have at least " + json::serialize(*m) + " items");
        if (auto const* m = s.if_contains("maxItems"); m && is_integer(*m) && a.size() > number(*m))
            return fail("must have at most " + json::serialize(*m) + " items");
        if (auto const* items = s.if_contains("items"); items && items->is_object())
            for (std::size_t i = 0; i < a.size(); ++i)
                if (auto bad = check(a[i], items->get_object(), path + "[" + std::to_string(i) + "]")) return bad;
    }
    if (v.is_object()) {
        auto const& o = v.get_object();
        auto const* props = s.if_contains("properties");
        auto const* properties = props && props->is_object() ? &props->get_object() : nullptr;
        if (auto const* req = s.if_contains("required"); req && req->is_array())
            for (auto const& name : req->get_array())
                if (name.is_string() && (!o.contains(name.get_string()) || o.at(name.get_string()).is_null()))
                    return schema_violation{join(path, name.get_string()), "is required"};
        if (properties)
            for (auto const& kv : *properties)
                if (auto const* x = o.if_contains(kv.key()); x && kv.value().is_object())
                    if (auto bad = check(*x, kv.value().get_object(), join(path, kv.key()))) return bad;
        if (auto const* extra = s.if_contains("additionalProperties")) {
            for (auto const& kv : o) {
                if (properties && properties->contains(kv.key())) continue;
                if (extra->is_bool() && !extra->get_bool())
                    return schema_violation{join(path, kv.key()), "is not expected"};
                if (extra->is_object())
                    if (auto bad = check(kv.value(), extra->get_object(), join(path, kv.key()))) return bad;
            }
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<schema_violation> check_schema(const json::value& value, const json::object& schema) {
    return check(value, schema, "");
}

}  // namespace switchboard::core
