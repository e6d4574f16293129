// What the host lends a plugin for its lifetime. Everything a plugin needs from the
// outside world goes through here, so plugins never link Asio, SOCI or spdlog state
// of their own.
#pragma once

#include <boost/config.hpp>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::sdk {

enum class log_level { trace, debug, info, warn, error };

// An outgoing HTTP(S) request made through the host (plugins never open sockets).
struct http_request {
    std::string method = "GET";
    std::string url;  // http:// or https://; TLS certificates are always verified
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
    std::chrono::milliseconds timeout{10'000};  // per attempt: connect + send + receive
    int max_retries = 2;  // extra attempts on 429, 502, 503, 504 and connection errors, with backoff
};

struct http_response {
    int status = 0;  // 0: no response (see error)
    std::vector<std::pair<std::string, std::string>> headers;  // names lower-case
    std::string body;
    std::string error;  // why no response arrived (DNS, connect, TLS, timeout); empty otherwise
    int attempts = 0;

    std::string_view header(std::string_view lower_name) const noexcept {
        for (auto const& [k, v] : headers)
            if (k == lower_name) return v;
        return {};
    }
};

// A knowledge-base search in one organisation's documents (the host keeps them and
// their index; see docs/tools.md).
struct knowledge_query {
    std::string query;              // the caller's words; "quoted phrases" and prefix* honoured
    std::size_t limit = 3;          // passages wanted, best first
    double min_score = 0;           // relevance floor on the BM25 weight (0: none)
    std::vector<std::string> tags;  // when set: only documents with any of these tags
};

struct knowledge_passage {
    std::string document_id;
    std::string title;
    std::string heading;  // the section heading path ("Pets > Dogs"), may be empty
    std::string text;     // the chunk as stored (may hold Markdown)
    double score = 0;     // BM25 weight, higher is better; comparable within one answer only
};

struct knowledge_answer {
    bool available = true;  // false: the host has no knowledge base for this org (error says why)
    std::vector<knowledge_passage> passages;  // best first; empty: nothing relevant
    std::string error;
};

// A wall-clock time in some zone (host_services::to_local / to_utc).
struct local_time {
    int year = 1970, month = 1, day = 1;  // month 1..12
    int hour = 0, minute = 0, second = 0;
    int weekday = 4;  // 0 = Sunday (1970-01-01 was a Thursday)
};

class BOOST_SYMBOL_VISIBLE host_services {
public:
    virtual ~host_services() = default;

    // Logs under the plugin's name; the host adds the request id when there is one.
    virtual void log(log_level level, std::string_view message) = 0;

    // The host's clock (tests may fix it).
    virtual std::chrono::system_clock::time_point now() const = 0;

    // Blocking HTTP(S) call through the host's client (TLS verified, timeouts,
    // retries with backoff on 429/5xx honouring Retry-After). Never throws.
    virtual http_response http(const http_request& request) = 0;

    // Searches the knowledge base of `org` (the invocation's org: a plugin never picks
    // another). Never throws. The default answers "not available" so test hosts need
    // not implement it.
    virtual knowledge_answer search_knowledge(std::string_view org, const knowledge_query& query) {
        (void)org;
        (void)query;
        return {false, {}, "this host offers no knowledge base"};
    }

    // Time zones (the host's tz database): `zone` is an IANA name, empty for UTC. An
    // unknown zone is UTC. to_utc of a local time a clock change skips or repeats takes
    // the earlier instant. The defaults know UTC only (test hosts).
    virtual local_time to_local(std::chrono::system_clock::time_point at, std::string_view zone) const {
        (void)zone;
        using namespace std::chrono;
        const auto day = floor<days>(at);
        const year_month_day ymd{day};
        const hh_mm_ss<seconds> t{floor<seconds>(at - day)};
        return {int(ymd.year()),           int(unsigned(ymd.month())), int(unsigned(ymd.day())),
                int(t.hours().count()),    int(t.minutes().count()),   int(t.seconds().count()),
                int(weekday{day}.c_encoding())};
    }
    virtual std::chrono::system_clock::time_point to_utc(const local_time& local, std::string_view zone) const {
        (void)zone;
        using namespace std::chrono;
        const sys_days day{year{local.year} / month{unsigned(local.month)} / std::chrono::day{unsigned(local.day)}};
        return day + hours{local.hour} + minutes{local.minute} + seconds{local.second};
    }
};

}  // namespace switchboard::sdk
