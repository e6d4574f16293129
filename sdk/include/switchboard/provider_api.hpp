// "Calls out": what the host asks of a provider's REST API (assistants, outbound
// calls), in provider-neutral terms. The methods live on sdk::provider; these are
// their arguments, results and the one error they throw.
#pragma once

#include <switchboard/model.hpp>
#include <switchboard/tool.hpp>

#include <boost/config.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sdk {

// Who is calling out: the org and its merged settings for this provider (API key,
// base URL, default phone number), as in webhook_request::settings.
struct org_context {
    std::string_view org;
    const boost::json::object* settings = nullptr;
};

// An assistant in canonical terms (seed 004's fields). The provider renders them in
// its own format, then merges `provider_config` (its own format) over the result,
// so anything the canonical fields cannot say can still be sent.
struct assistant_spec {
    std::string name;
    std::string first_message;
    std::string system_prompt;
    std::string model;           // e.g. "gpt-4o"; empty: the provider's default
    std::string model_provider;  // e.g. "openai"; empty: inferred from `model`
    std::string voice_id;
    std::string voice_provider;  // e.g. "11labs"; empty: the provider's default
    boost::json::object metadata;         // sent along and kept with the assistant
    boost::json::object provider_config;  // deep-merged over the rendered assistant
    std::vector<tool_spec> tools;         // functions the assistant may call (answered by the host)
};

// An assistant as the provider stores it.
struct remote_assistant {
    std::string id;           // the provider's id
    boost::json::object raw;  // the provider's whole answer
};

struct outbound_call_request {
    std::string to_number;        // E.164
    std::string customer_name;    // optional
    std::string phone_number_id;  // the provider's id of our number; empty: the org's default
    // Exactly one of: a saved assistant (the provider's id), or an inline one.
    std::string assistant_id;
    const assistant_spec* assistant = nullptr;
    boost::json::object variables;  // template values for the assistant ({{name}} fields)
    boost::json::object metadata;   // comes back on every webhook of the call
    std::string name;               // a label for the call
};

struct placed_call {
    std::string provider_call_id;
    call_status status = call_status::queued;
    std::string phone_number_id;  // the number actually used
    boost::json::object raw;      // the provider's whole answer
};

struct call_query {
    std::string assistant_id;  // the provider's id; empty: any
    int limit = 100;
};

// The one error calls out throw. `status` is what the host answers its own client:
// 422 (the provider refused the input; the message says why), 404 (the provider has
// no such thing), 409 (conflict), 501 (not supported), 502 (the provider failed or
// refused our credentials), 504 (no answer in time). Messages never contain secrets.
class BOOST_SYMBOL_VISIBLE provider_api_error : public std::runtime_error {
public:
    provider_api_error(int status, const std::string& message) : std::runtime_error(message), status_(status) {}
    int status() const noexcept { return status_; }

private:
    int status_;
};

}  // namespace switchboard::sdk
