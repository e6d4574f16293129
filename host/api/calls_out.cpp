#include "host/api/calls_out.hpp"

#include "host/api/params.hpp"
#include "host/config/config.hpp"
#include "host/plugins/registry.hpp"

#include <spdlog/spdlog.h>

namespace switchboard::api {
namespace json = boost::json;

std::optional<std::string> body_string(const json::object& body, std::string_view key) {
    auto const* v = body.if_contains(key);
    if (!v || v->is_null()) return std::nullopt;
    if (!v->is_string()) throw http::http_error(422, std::string(key) + ": expected a string");
    return std::string(v->get_string());
}

json::object body_object(const json::object& body, std::string_view key) {
    auto const* v = body.if_contains(key);
    if (!v || v->is_null()) return {};
    if (!v->is_object()) throw http::http_error(422, std::string(key) + ": expected a JSON object");
    return v->get_object();
}

std::string acting_org(const api_context& ctx, const http::request& req, const json::object& body) {
    std::string org;
    if (req.auth && !req.auth->admin) {
        org = req.auth->org;
    } else {
        org = body_string(body, "org").value_or(str_param(req, "org").value_or(""));
        if (org.empty()) throw http::http_error(422, "org: required with an admin credential");
    }
    if (!ctx.cfg.find_org(org)) throw http::http_error(404, "organisation not found");
    return org;
}

std::string choose_provider(const api_context& ctx, const std::string& org, const json::object& body) {
    if (auto p = body_string(body, "provider"); p && !p->empty()) return *p;
    std::vector<std::string> configured;
    if (auto const* o = ctx.cfg.find_org(org))
        for (auto const& [name, section] : o->plugins)
            if (ctx.plugins.provider(name)) configured.push_back(name);
    if (configured.size() == 1) return configured.front();
    if (configured.empty())
        throw http::http_error(422, "provider: required (org '" + org + "' configures no provider plugin)");
    std::string names;
    for (auto const& n : configured) names += (names.empty() ? "" : ", ") + n;
    throw http::http_error(422, "provider: required (org '" + org + "' configures several: " + names + ")");
}

provider_handle provider_for(const api_context& ctx, const std::string& org, const std::string& provider) {
    provider_handle h;
    h.name = provider;
    h.plugin = ctx.plugins.provider(provider);
    if (!h.plugin) throw http::http_error(422, "provider: no provider plugin '" + provider + "' is loaded");
    h.org.org = org;
    h.org.settings = ctx.plugins.org_settings(org, provider);
    return h;
}

void rethrow_provider_error(const std::string& provider, std::string_view op) {
    try {
        throw;
    } catch (const http::http_error&) {
        throw;
    } catch (const sdk::provider_api_error& e) {
        int status = e.status();
        if (status < 400 || status > 599) status = 502;  // a plugin's odd status is still the provider's fault
        if (status == 501) throw http::http_error(501, "provider '" + provider + "': " + e.what());
        throw http::http_error(status, e.what());
    } catch (const std::exception& e) {
        spdlog::error("provider '{}' failed during {}: {}", provider, op, e.what());
        throw http::http_error(502, "provider '" + provider + "' failed during " + std::string(op));
    } catch (...) {
        spdlog::error("provider '{}' failed during {}: unknown exception", provider, op);
        throw http::http_error(502, "provider '" + provider + "' failed during " + std::string(op));
    }
}

bool is_e164(std::string_view n) noexcept {
    if (n.size() < 9 || n.size() > 16 || n[0] != '+' || n[1] == '0') return false;
    for (std::size_t i = 1; i < n.size(); ++i)
        if (n[i] < '0' || n[i] > '9') return false;
    return true;
}

}  // namespace switchboard::api
