#include "vapi_provider.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace switchboard::plugins::vapi {

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

std::string_view configured_secret(const sdk::webhook_request& request) {
    if (!request.settings) return {};
    auto it = request.settings->find("webhook_secret");
    if (it == request.settings->end() || !it->value().is_string()) return {};
    return it->value().get_string();
}

}  // namespace

sdk::verification vapi_provider::verify(const sdk::webhook_request& request) const {
    const std::string_view secret = configured_secret(request);
    if (secret.empty()) return {true, "no webhook_secret configured"};

    std::string_view presented = request.header("x-vapi-secret");
    if (presented.empty()) {
        constexpr std::string_view bearer = "Bearer ";
        std::string_view auth = request.header("authorization");
        if (auth.substr(0, bearer.size()) == bearer) presented = auth.substr(bearer.size());
    }
    if (presented.empty()) return {false, "vapi: missing X-Vapi-Secret or Authorization: Bearer header"};
    if (!constant_time_equal(presented, secret)) return {false, "vapi: webhook secret does not match"};
    return {true, {}};
}

std::vector<sdk::call_event> vapi_provider::parse(const sdk::webhook_request& request) const {
    boost::system::error_code ec;
    boost::json::value body = boost::json::parse(request.body, ec);
    if (ec || !body.is_object()) throw sdk::bad_payload("vapi: body is not a JSON object");

    sdk::call_event event;
    event.body = sdk::unknown_event{};
    if (auto* message = body.as_object().if_contains("message"); message && message->is_object())
        if (auto* type = message->as_object().if_contains("type"); type && type->is_string())
            event.type = type->get_string();
    return {std::move(event)};
}

sdk::webhook_response vapi_provider::render(const sdk::webhook_answer& answer) const {
    if (answer.kind == "ack") return {200, "application/json", R"({"ok":true})"};
    boost::json::object error{{"error", "vapi: answer kind '" + answer.kind + "' is not supported yet"}};
    return {501, "application/json", boost::json::serialize(error)};
}

}  // namespace switchboard::plugins::vapi
