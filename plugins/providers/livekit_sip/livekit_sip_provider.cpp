#include "livekit_sip_provider.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace switchboard::plugins::livekit_sip {

namespace {

// Compares without an early exit, so the time taken says nothing about where the
// strings differ.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    const std::size_t n = a.size() > b.size() ? a.size() : b.size();
    for (std::size_t i = 0; i < n; ++i) {
        unsigned char x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        unsigned char y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff |= x ^ y;
    }
    return diff == 0;
}

}  // namespace

sdk::verification livekit_sip_provider::verify(const sdk::webhook_request& request) const {
    std::string_view secret;
    if (request.settings)
        if (auto* s = request.settings->if_contains("webhook_secret"); s && s->is_string()) secret = s->get_string();
    if (secret.empty()) return {true, "no webhook_secret configured"};

    constexpr std::string_view bearer = "Bearer ";
    std::string_view auth = request.header("authorization");
    if (auth.substr(0, bearer.size()) != bearer) return {false, "livekit_sip: missing Authorization: Bearer header"};
    if (!constant_time_equal(auth.substr(bearer.size()), secret)) return {false, "livekit_sip: webhook secret does not match"};
    return {true, {}};
}

std::vector<sdk::call_event> livekit_sip_provider::parse(const sdk::webhook_request& request) const {
    boost::system::error_code ec;
    boost::json::value body = boost::json::parse(request.body, ec);
    if (ec || !body.is_object()) throw sdk::bad_payload("livekit_sip: body is not a JSON object");

    sdk::call_event event;
    event.body = sdk::unknown_event{};
    if (auto* type = body.as_object().if_contains("event"); type && type->is_string())
        event.type = type->get_string();
    return {std::move(event)};
}

sdk::webhook_response livekit_sip_provider::render(const sdk::webhook_answer& answer) const {
    if (answer.kind == "ack") return {200, "application/json", R"({"ok":true})"};
    boost::json::object error{{"error", "livekit_sip: answer kind '" + answer.kind + "' is not supported yet"}};
    return {501, "application/json", boost::json::serialize(error)};
}

}  // namespace switchboard::plugins::livekit_sip
