// Lenient readers for Vapi's JSON: a field of the wrong type reads as absent, so a
// drifted non-routing field never rejects a webhook (protocol page, section 7).
#pragma once

#include <switchboard/model.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace switchboard::plugins::vapi {

inline const boost::json::object* object_at(const boost::json::object* o, std::string_view key) noexcept {
    if (!o) return nullptr;
    auto const* v = o->if_contains(key);
    return v && v->is_object() ? &v->get_object() : nullptr;
}

inline const boost::json::array* array_at(const boost::json::object* o, std::string_view key) noexcept {
    if (!o) return nullptr;
    auto const* v = o->if_contains(key);
    return v && v->is_array() ? &v->get_array() : nullptr;
}

inline std::string_view string_at(const boost::json::object* o, std::string_view key) noexcept {
    if (!o) return {};
    auto const* v = o->if_contains(key);
    return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

// Numbers of any JSON kind; numeric strings ("0.12") too, since payload types drift.
std::optional<double> number_at(const boost::json::object* o, std::string_view key) noexcept;

// A JSON number or string as text (ids sent as numbers); empty otherwise.
std::string text_at(const boost::json::object* o, std::string_view key);

// The string at a nested path, e.g. path_string(artifact, {"recording", "mono", "combinedUrl"}).
std::string_view path_string(const boost::json::object* o, std::initializer_list<std::string_view> path) noexcept;

// Unix time in ms (numbers >= 1e11, possibly floats) or seconds (1e9..1e11), or an
// ISO 8601 string ("2026-01-01T00:00:02.000Z", "+hh:mm" offsets).
std::optional<sdk::time_point> time_from(const boost::json::value& v) noexcept;
std::optional<sdk::time_point> time_at(const boost::json::object* o, std::string_view key) noexcept;
std::optional<sdk::time_point> parse_iso8601(std::string_view s) noexcept;

}  // namespace switchboard::plugins::vapi
