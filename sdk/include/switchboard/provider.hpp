// A provider plugin translates one voice platform's wire dialect: webhooks in,
// canonical events out, and the host's answers back into the dialect.
#pragma once

#include <switchboard/model.hpp>
#include <switchboard/provider_api.hpp>

#include <boost/config.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::sdk {

// An incoming webhook as the provider sees it. Header names are lower-case.
struct webhook_request {
    std::string_view method;
    std::string_view target;
    std::string_view body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string_view org;
    // The org's section for this provider (secrets, ids), validated against the
    // plugin's declared keys and merged over the plugin's global section.
    const boost::json::object* settings = nullptr;

    std::string_view header(std::string_view lower_name) const noexcept {
        for (auto const& [k, v] : headers)
            if (k == lower_name) return v;
        return {};
    }
};

struct verification {
    bool ok = false;
    std::string reason;  // why it failed; never contains the secret
};

// What parse() read from one webhook.
struct parsed_webhook {
    std::vector<call_event> events;
    // The same for every delivery of one message (a retried delivery may differ in
    // bytes, e.g. fresh presigned URLs). Empty: the host uses a hash of the body.
    std::string idempotency_key;
};

// --- answers: what the host decided for the events that need one ----------------

struct assistant_choice {
    std::string assistant_id;          // a saved assistant, or
    boost::json::object assistant;     // an inline one, in the provider's own format, or
    std::optional<assistant_spec> spec;  // an inline one in canonical terms, rendered by the provider
    boost::json::object overrides;     // per-call overrides (variables, metadata, ...)
    std::string error;                 // refuse: the provider speaks it and ends the call
};

struct tool_answer {
    std::string tool_call_id;
    std::string name;
    std::string result;  // one line; when !ok, what the assistant should say instead
    bool ok = true;
};

struct transfer_destination {
    std::string type = "number";  // number | sip
    std::string number;           // E.164
    std::string sip_uri;
    std::string message;          // said before transferring; empty: provider default
    std::string error;            // refuse the transfer, with this reason
};

struct knowledge_document {
    std::string content;
    double similarity = 0;
    std::string id;
};

// Empty members mean "nothing to answer there"; an answer with nothing set is a
// plain acknowledgement.
struct webhook_answer {
    // The type of the message being answered as the provider named it
    // (call_event::type), so render() need not read the body again.
    std::string message_type;
    std::optional<assistant_choice> assistant;
    std::vector<tool_answer> tool_results;  // in request order
    std::optional<transfer_destination> transfer;
    std::optional<std::vector<knowledge_document>> documents;
};

struct webhook_response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
};

// Thrown by parse() for a payload the dialect cannot read; the host answers 400
// with the message as the detail.
class BOOST_SYMBOL_VISIBLE bad_payload : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class BOOST_SYMBOL_VISIBLE provider {
public:
    virtual ~provider() = default;

    // Checks the webhook's secret or signature before anything is stored.
    virtual verification verify(const webhook_request& request) const = 0;

    // Reads the dialect into canonical events (one webhook may carry several).
    // Throws bad_payload when the body cannot be read.
    virtual parsed_webhook parse(const webhook_request& request) const = 0;

    // Renders the host's answer to `request` (the webhook being answered, already
    // parsed) in the dialect.
    virtual webhook_response render(const webhook_request& request, const webhook_answer& answer) const = 0;

    // For webhooks that arrive on a path naming no organisation: true when the org
    // whose settings are in `request.settings` owns what the payload names (its
    // assistant, its phone number). The host asks each org in turn, then falls back
    // to the default org.
    virtual bool matches_org(const webhook_request& request) const { return false; }

    // --- calling out (provider_api.hpp). Each runs on a host worker thread, blocks on
    // host_services::http, and throws provider_api_error. The defaults say "not
    // supported" (the host answers 501), so a provider implements only what its
    // platform offers.
    virtual remote_assistant create_assistant(const org_context&, const assistant_spec&) const {
        throw provider_api_error(501, "creating assistants is not supported");
    }
    virtual remote_assistant get_assistant(const org_context&, std::string_view /*assistant_id*/) const {
        throw provider_api_error(501, "reading assistants is not supported");
    }
    // Sends the whole spec: the provider's copy becomes exactly what it says.
    virtual remote_assistant update_assistant(const org_context&, std::string_view /*assistant_id*/,
                                              const assistant_spec&) const {
        throw provider_api_error(501, "updating assistants is not supported");
    }
    virtual void delete_assistant(const org_context&, std::string_view /*assistant_id*/) const {
        throw provider_api_error(501, "deleting assistants is not supported");
    }
    virtual boost::json::array list_assistants(const org_context&, int /*limit*/) const {
        throw provider_api_error(501, "listing assistants is not supported");
    }
    virtual placed_call place_call(const org_context&, const outbound_call_request&) const {
        throw provider_api_error(501, "outbound calls are not supported");
    }
    // The provider's own view of a call, as it sends it.
    virtual boost::json::object get_call(const org_context&, std::string_view /*provider_call_id*/) const {
        throw provider_api_error(501, "reading calls is not supported");
    }
    virtual boost::json::array list_calls(const org_context&, const call_query&) const {
        throw provider_api_error(501, "listing calls is not supported");
    }
};

}  // namespace switchboard::sdk
