// A provider plugin translates one voice platform's wire dialect: webhooks in,
// canonical events out, and the host's answers back into the dialect.
#pragma once

#include <switchboard/model.hpp>

#include <boost/config.hpp>
#include <boost/json/value.hpp>

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

// What the host decided for the events that need an answer.
struct webhook_answer {
    std::string kind;  // "ack", "assistant", "tool_results", "transfer"
    boost::json::value payload;
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
    virtual std::vector<call_event> parse(const webhook_request& request) const = 0;

    // Renders the host's answer in the dialect.
    virtual webhook_response render(const webhook_answer& answer) const = 0;
};

}  // namespace switchboard::sdk
