// replay's HTTP target: a running host, through the host's own client, exactly as
// the provider would deliver (secret header included); the calls are read back
// through the REST API.
#include "host/app/replay_options.hpp"
#include "host/app/replay_target.hpp"

#include "host/client/http_client.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <map>

namespace switchboard::app {
namespace json = boost::json;

namespace {

constexpr std::size_t detail_limit = 200;  // a result line stays one readable line
constexpr int page_size = 100;             // the API's maximum
constexpr int max_pages = 50;              // newest first: replayed calls are on the first pages

// One line, at most detail_limit characters.
std::string short_text(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (out.size() >= detail_limit) {
            out += "...";
            break;
        }
        out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    return out;
}

std::string describe_failure(const sdk::http_response& r) {
    if (r.status == 0) return "no response: " + r.error;
    return std::to_string(r.status) + " " + short_text(r.body);
}

class http_target final : public replay_target {
public:
    explicit http_target(const replay_options& o)
        : base_(o.url), org_(o.org), provider_(o.provider), secret_(o.secret), api_key_(o.api_key) {}

    std::string describe() const override { return webhook_url(); }

    line_outcome send(const recorded_line& line) override {
        sdk::http_request req;
        req.method = "POST";
        req.url = webhook_url();
        req.body = line.body;
        req.headers.emplace_back("Content-Type", "application/json");
        if (!secret_.empty()) {
            // Vapi's own header; the other providers take a bearer token.
            if (provider_ == "vapi")
                req.headers.emplace_back("X-Vapi-Secret", secret_);
            else
                req.headers.emplace_back("Authorization", "Bearer " + secret_);
        }
        // Each line is reported as the host answered it the first time: a replay
        // that silently retried would hide the status an operator is looking for.
        req.max_retries = 0;
        auto r = client_.send(req);
        if (r.status == 0) return {0, false, r.error};
        return {r.status, false, short_text(r.body)};
    }

    bool print_calls(const std::vector<std::string>& ids, std::ostream& out, std::ostream& err) override {
        if (ids.empty()) return true;
        if (api_key_.empty()) {
            err << "replay: calls not fetched: no API key (--api-key or SWITCHBOARD_API_KEY)\n";
            return true;
        }
        std::map<std::string, std::string> found;  // provider call id -> call id
        if (!find_calls(ids, found, err)) return false;
        bool ok = true;
        for (auto const& pcid : ids) {
            auto it = found.find(pcid);
            if (it == found.end()) {
                err << "replay: call " << pcid << " (provider " << provider_ << ", org " << org_
                    << ") is not on the host\n";
                continue;
            }
            auto r = get("/api/v1/calls/" + it->second);
            if (r.status != 200) {
                err << "replay: GET /api/v1/calls/" << it->second << ": " << describe_failure(r) << "\n";
                ok = false;
                continue;
            }
            // Re-serialised: one call per line, like the in-process mode prints it.
            boost::system::error_code ec;
            auto v = json::parse(r.body, ec);
            if (ec) {
                err << "replay: GET /api/v1/calls/" << it->second << ": not JSON: " << ec.message() << "\n";
                ok = false;
                continue;
            }
            out << json::serialize(v) << "\n";
        }
        return ok;
    }

private:
    std::string webhook_url() const { return base_ + "/webhooks/" + provider_ + "/" + org_; }

    sdk::http_response get(const std::string& target) {
        sdk::http_request req;
        req.url = base_ + target;
        req.headers.emplace_back("Authorization", "Bearer " + api_key_);
        req.headers.emplace_back("Accept", "application/json");
        return client_.send(req);
    }

    // Pages through GET /api/v1/calls for this provider (and org: an admin key sees
    // every org) until every id is found or the list ends.
    bool find_calls(const std::vector<std::string>& ids, std::map<std::string, std::string>& found,
                    std::ostream& err) {
        for (int page = 1; page <= max_pages && found.size() < ids.size(); ++page) {
            auto target = "/api/v1/calls?provider=" + provider_ + "&org=" + org_ +
                          "&page_size=" + std::to_string(page_size) + "&page=" + std::to_string(page);
            auto r = get(target);
            if (r.status != 200) {
                err << "replay: calls not fetched: GET /api/v1/calls: " << describe_failure(r) << "\n";
                return false;
            }
            boost::system::error_code ec;
            auto v = json::parse(r.body, ec);
            auto const* list = !ec && v.is_object() ? v.as_object().if_contains("calls") : nullptr;
            if (!list || !list->is_array()) {
                err << "replay: calls not fetched: GET /api/v1/calls answered no \"calls\" array\n";
                return false;
            }
            for (auto const& c : list->as_array()) {
                auto const* o = c.if_object();
                auto const* pcid = o ? o->if_contains("provider_call_id") : nullptr;
                auto const* id = o ? o->if_contains("id") : nullptr;
                if (!pcid || !pcid->is_string() || !id || !id->is_string()) continue;
                std::string key(pcid->as_string());
                // Only the calls this file names: the pages hold others too.
                if (std::find(ids.begin(), ids.end(), key) != ids.end())
                    found.emplace(std::move(key), std::string(id->as_string()));
            }
            auto const* total = v.as_object().if_contains("total");
            if (list->as_array().empty() || (total && total->is_int64() && page * page_size >= total->as_int64()))
                break;
        }
        return true;
    }

    std::string base_, org_, provider_, secret_, api_key_;
    client::http_client client_;
};

}  // namespace

std::unique_ptr<replay_target> make_http_target(const replay_options& o) {
    return std::make_unique<http_target>(o);
}

}  // namespace switchboard::app
