#include "support/fake_openai.hpp"

#include "host/core/crypto.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>


#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace switchboard::testing {
namespace json = boost::json;

namespace {

// OpenAI's error envelope.
std::string openai_error(const std::string& message, const std::string& type, const std::string& code,
                         json::value param = nullptr) {
    return json::serialize(json::object{
        {"error", json::object{{"message", message}, {"type", type}, {"code", code}, {"param", std::move(param)}}}});
}

}  // namespace

long long unix_now() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::map<std::string, std::string> openai_webhook_headers(const std::string& secret, const std::string& webhook_id,
                                                          const std::string& body, long long timestamp) {
    const std::string prefix = "whsec_";
    auto key = secret.rfind(prefix, 0) == 0 ? core::base64_decode(secret.substr(prefix.size())) : secret;
    if (!key) throw std::invalid_argument("openai_webhook_headers: the secret is not whsec_<base64>");
    const std::string ts = std::to_string(timestamp);
    const std::string content = webhook_id + "." + ts + "." + body;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key->data(), static_cast<int>(key->size()),
         reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &len);
    return {{"webhook-id", webhook_id},
            {"webhook-timestamp", ts},
            {"webhook-signature", "v1," + core::base64_encode(std::string(reinterpret_cast<char*>(mac), len))}};
}

fake_openai::fake_openai(std::string api_key)
    : server_("fake_openai", std::move(api_key),
              {401, openai_error("Incorrect API key provided: sk-***. You can find your API key at "
                                 "https://platform.openai.com/account/api-keys.",
                                 "invalid_request_error", "invalid_api_key")},
              [this](const fake_request& r) {
                  std::lock_guard lock(mutex_);
                  return route(r);
              }) {}

fake_openai::~fake_openai() = default;

std::string fake_openai::base_url() const { return "http://127.0.0.1:" + std::to_string(server_.port()) + "/v1"; }

std::map<std::string, json::object> fake_openai::accepted() const {
    std::lock_guard lock(mutex_);
    return accepted_;
}

std::map<std::string, int> fake_openai::rejected() const {
    std::lock_guard lock(mutex_);
    return rejected_;
}

fake_answer fake_openai::route(const fake_request& r) {
    const std::string calls = "/v1/realtime/calls/";
    const fake_answer not_found{404, openai_error("Not found", "invalid_request_error", "not_found")};
    if (r.method != "POST" || r.path.rfind(calls, 0) != 0) return not_found;
    const std::string rest = r.path.substr(calls.size());
    const auto slash = rest.find('/');
    if (slash == std::string::npos) return not_found;
    const std::string call_id = rest.substr(0, slash), verb = rest.substr(slash + 1);
    if (verb != "accept" && verb != "reject") return not_found;

    json::object body;
    if (!r.body.empty()) {
        if (r.header("content-type").rfind("application/json", 0) != 0)
            return {400, openai_error("Content-Type must be application/json", "invalid_request_error", "")};
        boost::system::error_code ec;
        auto v = json::parse(r.body, ec);
        if (ec || !v.is_object())
            return {400, openai_error("We could not parse the JSON body of your request.", "invalid_request_error", "")};
        body = std::move(v.as_object());
    }
    // A call is pending until its first successful accept or reject.
    if (accepted_.count(call_id) || rejected_.count(call_id))
        return {404, openai_error("Call " + call_id + " not found", "invalid_request_error", "call_id_not_found")};

    if (verb == "accept") {
        auto const* type = body.if_contains("type");
        if (!type || !type->is_string() || type->get_string() != "realtime")
            return {400, openai_error("Missing required parameter: 'session.type'.", "invalid_request_error",
                                      "missing_required_parameter", "session.type")};
        auto const* audio = body.if_contains("audio");
        auto const* input = audio && audio->is_object() ? audio->get_object().if_contains("input") : nullptr;
        auto const* td = input && input->is_object() ? input->get_object().if_contains("turn_detection") : nullptr;
        if (td && td->is_object())
            for (auto key : {"threshold", "prefix_padding_ms", "silence_duration_ms"})
                if (td->get_object().contains(key)) {
                    const std::string param = std::string("session.audio.input.turn_detection.") + key;
                    return {400, openai_error("Unknown parameter: '" + param + "'.", "invalid_request_error",
                                              "unknown_parameter", json::string(param))};
                }
        accepted_[call_id] = std::move(body);
        return {200, ""};
    }
    int status = 603;
    if (auto const* s = body.if_contains("status_code"); s && s->is_int64()) status = static_cast<int>(s->get_int64());
    rejected_[call_id] = status;
    return {200, ""};
}

}  // namespace switchboard::testing
