#include "openai_calls.hpp"

#include "openai_session.hpp"

#include <switchboard/plugin_helpers.hpp>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <cctype>
#include <chrono>
#include <cstdint>

namespace switchboard::plugins::openai_realtime {

namespace {


// error.message (and error.code) of OpenAI's error envelope; empty when absent.
std::string openai_error(std::string_view body) {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) return {};
    auto const* e = v.get_object().if_contains("error");
    if (!e || !e->is_object()) return {};
    std::string out;
    if (auto const* m = e->get_object().if_contains("message"); m && m->is_string()) out = m->get_string();
    if (auto const* c = e->get_object().if_contains("code"); c && c->is_string())
        out += (out.empty() ? "" : " ") + std::string("(") + std::string(c->get_string()) + ")";
    return out;
}

// The SIP status of a refusal: overrides.status_code when it is a 4xx-6xx final
// response (486 Busy Here when over capacity), else 603 Decline.
int reject_status(const boost::json::object& overrides) {
    if (auto const* v = overrides.if_contains("status_code")) {
        std::int64_t code = v->is_int64() ? v->get_int64() : v->is_uint64() ? static_cast<std::int64_t>(v->get_uint64()) : 0;
        if (code >= 400 && code <= 699) return static_cast<int>(code);
    }
    return 603;
}

// The session config a choice asks for; empty when the choice names no assistant.
boost::json::object session_for(const sdk::assistant_choice& choice, const boost::json::object* settings) {
    if (choice.spec) return session_from_spec(*choice.spec, settings);
    if (!choice.assistant.empty()) return session_from_raw(choice.assistant);
    if (!choice.assistant_id.empty()) return session_from_prompt(choice.assistant_id, choice.overrides, settings);
    return {};
}

class call_control {
public:
    call_control(sdk::host_services& host, const boost::json::object* settings, std::string_view org)
        : host_(host), org_(org) {
        api_key_ = std::string(sdk::string_setting(settings, "api_key"));
        base_url_ = std::string(sdk::string_setting(settings, "base_url"));
        if (base_url_.empty()) base_url_ = "https://api.openai.com/v1";
        while (!base_url_.empty() && base_url_.back() == '/') base_url_.pop_back();
    }

    bool has_key() const noexcept { return !api_key_.empty(); }

    sdk::http_response post(std::string_view call_id, std::string_view verb, const boost::json::object& body) {
        sdk::http_request req;
        req.method = "POST";
        req.url = base_url_ + "/realtime/calls/" + sdk::url_path_segment(call_id) + "/" + std::string(verb);
        req.headers = {{"Authorization", "Bearer " + api_key_},
                       {"Content-Type", "application/json"},
                       {"Accept", "application/json"}};
        req.body = boost::json::serialize(body);
        // The caller is ringing and OpenAI waits a few seconds for the webhook's
        // answer: one extra attempt (connection errors, 429, 502-504) at most.
        req.timeout = std::chrono::milliseconds{10'000};
        req.max_retries = 1;
        return host_.http(req);
    }

    void log(sdk::log_level level, std::string_view call_id, const std::string& what) {
        host_.log(level, "org " + org_ + ": call " + std::string(call_id) + ": " + what);
    }

private:
    sdk::host_services& host_;
    std::string org_;
    std::string api_key_;
    std::string base_url_;
};

}  // namespace

sdk::webhook_response outcome(std::string_view call_id, std::string_view action, int status,
                                     const std::string& detail) {
    boost::json::object o{{"call_id", call_id}, {"action", action}};
    if (status) o["status"] = status;
    if (!detail.empty()) o["detail"] = detail;
    return {200, "application/json", boost::json::serialize(o)};
}

sdk::webhook_response answer_incoming(sdk::host_services& host, const boost::json::object* settings,
                                             std::string_view org, std::string_view call_id,
                                             const sdk::assistant_choice& choice) {
    call_control calls(host, settings, org);
    if (!calls.has_key()) {
        const std::string why = "org '" + std::string(org) +
                                "' has no OpenAI API key to accept calls with: set "
                                "orgs[].plugins.openai_realtime.api_key (or plugins.load[].config.api_key)";
        calls.log(sdk::log_level::error, call_id, why);
        return outcome(call_id, "none", 0, why);
    }

    auto reject = [&](int sip_status, const std::string& why) {
        auto r = calls.post(call_id, "reject", {{"status_code", sip_status}});
        if (r.status >= 200 && r.status < 300) {
            calls.log(sdk::log_level::info, call_id, "rejected with SIP " + std::to_string(sip_status) + " (" + why + ")");
            return outcome(call_id, "rejected", r.status, why);
        }
        if (r.status == 404) {
            calls.log(sdk::log_level::info, call_id, "gone before it could be rejected");
            return outcome(call_id, "gone", r.status);
        }
        const std::string said = r.status == 0 ? r.error : (r.status == 401 || r.status == 403) ? "" : openai_error(r.body);
        calls.log(sdk::log_level::error, call_id,
                  "reject failed: " + (r.status ? std::to_string(r.status) : std::string("no answer")) +
                      (said.empty() ? "" : " " + said));
        return outcome(call_id, "reject_failed", r.status, said);
    };

    if (!choice.error.empty()) return reject(reject_status(choice.overrides), choice.error);

    auto session = session_for(choice, settings);
    if (session.empty()) return reject(603, "no assistant for this call");
    for (auto const& field : strip_sip_refused(session))
        calls.log(sdk::log_level::warn, call_id, field + " is refused on SIP calls; not sent");
    if (choice.spec && !choice.spec->first_message.empty())
        // Accept has no greeting field: saying it needs response.create on the sideband.
        calls.log(sdk::log_level::debug, call_id, "first_message is not spoken yet (needs the sideband)");

    auto r = calls.post(call_id, "accept", session);
    if (r.status >= 200 && r.status < 300) {
        calls.log(sdk::log_level::info, call_id, "accepted");
        return outcome(call_id, "accepted", r.status);
    }
    if (r.status == 404) {
        // The caller hung up, or a redelivered webhook (section 3.4): nothing to do.
        calls.log(sdk::log_level::info, call_id, "gone before it could be accepted (404)");
        return outcome(call_id, "gone", r.status);
    }
    if (r.status == 401 || r.status == 403) {
        // OpenAI's text quotes part of the key: never repeat it.
        calls.log(sdk::log_level::error, call_id, "accept refused our API key (" + std::to_string(r.status) + ")");
        return outcome(call_id, "accept_failed", r.status, "OpenAI refused the API key");
    }
    const std::string said = r.status == 0 ? r.error : openai_error(r.body);
    if (r.status == 400 || r.status == 422) {
        // The session is wrong and will stay wrong: free the caller instead of leaving
        // the call ringing.
        calls.log(sdk::log_level::warn, call_id, "accept refused the session (" + std::to_string(r.status) + "): " + said);
        auto rejected = reject(603, "OpenAI refused the session: " + said);
        return rejected;
    }
    calls.log(sdk::log_level::error, call_id,
              "accept failed: " + (r.status ? std::to_string(r.status) : std::string("no answer")) +
                  (said.empty() ? "" : " " + said));
    return outcome(call_id, "accept_failed", r.status, said);
}

}  // namespace switchboard::plugins::openai_realtime
