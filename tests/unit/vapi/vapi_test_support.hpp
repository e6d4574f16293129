// The real vapi.so, loaded once per test binary, plus fixture reading and request
// building shared by the vapi tests.
#pragma once

#include "host/plugins/registry.hpp"

#include <switchboard/provider.hpp>

#include <catch2/catch.hpp>

#include <boost/json/parse.hpp>

#include <chrono>
#include <fstream>
#include <string>
#include <vector>

namespace vapi_test {

using namespace switchboard;

inline sdk::provider& vapi() {
    static plugins::registry registry;
    static sdk::provider* provider = [] {
        auto report = registry.load_file(SB_PLUGIN_DIR "/vapi.so", "vapi");
        for (auto const& f : report.failures) UNSCOPED_INFO(f.message);
        REQUIRE(report.failures.empty());
        return registry.provider("vapi");
    }();
    REQUIRE(provider);
    return *provider;
}

// One webhook body per line.
inline std::vector<std::string> fixture_lines(const std::string& name) {
    std::ifstream in(std::string(SB_SOURCE_DIR) + "/tests/fixtures/vapi/" + name);
    REQUIRE(in.good());
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) lines.push_back(line);
    return lines;
}

// A request that owns its strings (webhook_request only views them).
struct owned_request {
    std::string body;
    std::string method = "POST";
    std::string target = "/webhooks/vapi/org_demo";
    boost::json::object settings;
    std::vector<std::pair<std::string, std::string>> headers;

    sdk::webhook_request view() const {
        sdk::webhook_request r;
        r.method = method;
        r.target = target;
        r.body = body;
        r.headers = headers;
        r.org = "org_demo";
        r.settings = &settings;
        return r;
    }
};

inline sdk::parsed_webhook parse(const std::string& body) {
    owned_request r;
    r.body = body;
    return vapi().parse(r.view());
}

// Unix milliseconds -> time_point, for comparing times to the ms.
inline sdk::time_point ms(std::int64_t v) { return sdk::time_point{std::chrono::milliseconds{v}}; }

inline std::int64_t ms_of(const std::optional<sdk::time_point>& t) {
    REQUIRE(t);
    return std::chrono::duration_cast<std::chrono::milliseconds>(t->time_since_epoch()).count();
}

template <class T>
const T& body_as(const sdk::call_event& e) {
    INFO("event type " << e.type << " holds variant index " << e.body.index());
    REQUIRE(std::holds_alternative<T>(e.body));
    return std::get<T>(e.body);
}

inline constexpr std::int64_t t0 = 1767225600000;  // 2026-01-01T00:00:00Z, the fixtures' epoch
inline constexpr const char* c1 = "0a1b2c3d-0000-4000-8000-000000000001";
inline constexpr const char* c2 = "0a1b2c3d-0000-4000-8000-000000000002";
inline constexpr const char* c3 = "0a1b2c3d-0000-4000-8000-000000000003";
inline constexpr const char* c4 = "0a1b2c3d-0000-4000-8000-000000000004";
inline constexpr const char* a1 = "0a1b2c3d-0000-4000-8000-0000000000a1";
inline constexpr const char* b2 = "0a1b2c3d-0000-4000-8000-0000000000b2";

}  // namespace vapi_test
