// What the assistant and outbound routes share: which org is acting, which provider
// plugin answers for it, and calling that plugin with its errors turned into the
// API's {"detail"} answers.
#pragma once

#include "host/api/api_context.hpp"
#include "host/http/message.hpp"

#include <switchboard/provider.hpp>

#include <boost/json/object.hpp>

#include <exception>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::api {

// The org a write acts for: an org credential's own; for an admin, `org` from the
// body or the query (422 when neither names one). 404 for an org the config lacks.
std::string acting_org(const api_context& ctx, const http::request& req, const boost::json::object& body);

// The provider plugin a request means: `provider` from the body, else the one
// provider the org configures (orgs[].plugins.<name> of a loaded provider). 422 naming
// `provider` when it is unknown or cannot be guessed.
std::string choose_provider(const api_context& ctx, const std::string& org, const boost::json::object& body);

struct provider_handle {
    std::string name;
    const sdk::provider* plugin = nullptr;
    sdk::org_context org;  // views strings owned by the caller and the registry
};

// 422 when `provider` is not a loaded provider plugin.
provider_handle provider_for(const api_context& ctx, const std::string& org, const std::string& provider);

// Turns what a provider call threw into an http_error: provider_api_error keeps its
// status and message (501 says which provider); anything else is a 502 naming the
// provider (the plugin broke its contract; the log has the text).
[[noreturn]] void rethrow_provider_error(const std::string& provider, std::string_view op);

template <class Fn>
auto call_provider(const provider_handle& p, std::string_view op, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (...) {
        rethrow_provider_error(p.name, op);
    }
}

// "+" and 8 to 15 digits, the first not 0.
bool is_e164(std::string_view number) noexcept;

// A string field of `body`: nullopt when absent or null, 422 naming it when not a string.
std::optional<std::string> body_string(const boost::json::object& body, std::string_view key);
// An object field: empty when absent or null, 422 naming it when not an object.
boost::json::object body_object(const boost::json::object& body, std::string_view key);

}  // namespace switchboard::api
