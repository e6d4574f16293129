#include "openai_dialect.hpp"

#include <switchboard/plugin_helpers.hpp>

#include <boost/json/parse.hpp>

#include <cctype>
#include <chrono>

namespace switchboard::plugins::openai_realtime {

namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

}  // namespace

std::string_view sip_header(const boost::json::array& headers, std::string_view name,
                            std::string_view compact) {
    for (auto const& h : headers) {
        auto const* o = h.if_object();
        if (!o) continue;
        auto const* n = o->if_contains("name");
        auto const* v = o->if_contains("value");
        if (!n || !n->is_string() || !v || !v->is_string()) continue;
        const std::string_view hn = n->get_string();
        if (iequals(hn, name) || (!compact.empty() && iequals(hn, compact))) return v->get_string();
    }
    return {};
}

std::string sip_user(std::string_view value) {
    if (auto lt = value.find('<'); lt != std::string_view::npos) {
        auto gt = value.find('>', lt);
        value = value.substr(lt + 1, gt == std::string_view::npos ? std::string_view::npos : gt - lt - 1);
    } else if (auto semi = value.find(';'); semi != std::string_view::npos) {
        value = value.substr(0, semi);  // a bare URI: header parameters follow
    }
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    auto colon = value.find(':');
    if (colon == std::string_view::npos) return {};
    const std::string_view scheme = value.substr(0, colon);
    std::string_view rest = value.substr(colon + 1);
    if (iequals(scheme, "tel")) return std::string(rest.substr(0, rest.find(';')));
    if (!iequals(scheme, "sip") && !iequals(scheme, "sips")) return {};
    auto at = rest.find('@');
    if (at == std::string_view::npos) return {};  // sip:host has no user
    rest = rest.substr(0, at);
    return std::string(rest.substr(0, rest.find(';')));  // user parameters (;isup-oli=...)
}

sdk::parsed_webhook parse_webhook(std::string_view body, std::string_view webhook_id) {
    namespace json = boost::json;
    const json::object msg = sdk::parse_json_object(body, "openai_realtime");
    auto const* type = msg.if_contains("type");
    if (!type || !type->is_string() || type->get_string().empty())
        throw sdk::bad_payload("openai_realtime: event has no \"type\" string");

    sdk::call_event event;
    event.type = type->get_string();
    event.body = sdk::unknown_event{};
    if (auto const* at = msg.if_contains("created_at"); at && at->is_int64())
        event.at = sdk::time_point{std::chrono::seconds{at->get_int64()}};

    sdk::parsed_webhook out;
    if (!webhook_id.empty()) {
        out.idempotency_key = std::string(webhook_id);
    } else if (auto const* id = msg.if_contains("id"); id && id->is_string()) {
        out.idempotency_key = std::string(id->get_string());
    }

    if (event.type == call_incoming) {
        const std::string where = "openai_realtime: " + std::string(call_incoming) + ": ";
        auto const* data = msg.if_contains("data");
        if (!data || !data->is_object()) throw sdk::bad_payload(where + "no \"data\" object");
        auto const* call_id = data->get_object().if_contains("call_id");
        if (!call_id || !call_id->is_string() || call_id->get_string().empty())
            throw sdk::bad_payload(where + "no \"data.call_id\" string");
        auto const* headers = data->get_object().if_contains("sip_headers");
        if (!headers || !headers->is_array()) throw sdk::bad_payload(where + "no \"data.sip_headers\" array");
        auto const& sip = headers->get_array();

        event.provider_call_id = call_id->get_string();
        event.body = sdk::assistant_requested{};
        event.facts.direction = sdk::call_direction::inbound;
        event.facts.from_number = sip_user(sip_header(sip, "From", "f"));
        event.facts.to_number = sip_user(sip_header(sip, "To", "t"));
        // Only what identifies the call: the other headers are the caller's to set
        // (untrusted), and routing headers are read where they are used.
        if (auto sip_call_id = sip_header(sip, "Call-ID", "i"); !sip_call_id.empty())
            event.facts.metadata["sip_call_id"] = sip_call_id;
        if (auto const* sec = data->get_object().if_contains("sip_media_security"); sec && sec->is_string())
            event.facts.metadata["sip_media_security"] = sec->get_string();
    }
    out.events.push_back(std::move(event));
    return out;
}

std::string incoming_call_id(std::string_view body) {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) return {};
    auto const* data = v.get_object().if_contains("data");
    auto const* id = data && data->is_object() ? data->get_object().if_contains("call_id") : nullptr;
    return id && id->is_string() ? std::string(id->get_string()) : std::string();
}

}  // namespace switchboard::plugins::openai_realtime
