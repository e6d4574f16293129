// The recorded Vapi calls in tests/fixtures/vapi/ and how the integration tests
// compare the calls they produce.
#pragma once

#include <boost/json.hpp>
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

namespace switchboard::testing {

inline std::string vapi_fixture_path(const std::string& name) {
    return std::string(SB_SOURCE_DIR) + "/tests/fixtures/vapi/" + name;
}

// One webhook body per line, blank lines skipped.
inline std::vector<std::string> vapi_fixture(const std::string& name) {
    std::ifstream in(vapi_fixture_path(name));
    REQUIRE(in.good());
    std::vector<std::string> lines;
    for (std::string l; std::getline(in, l);)
        if (!l.empty()) lines.push_back(l);
    return lines;
}

inline boost::json::object message_of(const std::string& line) {
    return boost::json::parse(line).at("message").as_object();
}

inline std::string type_of(const std::string& line) { return std::string(message_of(line).at("type").as_string()); }

// A call as GET /api/v1/calls/{id} shows it, without what depends on how and when the
// webhooks arrived (ids, store times, row ids of history and transcript).
inline boost::json::object stable_view(boost::json::object call) {
    for (auto k : {"id", "created_at", "updated_at"}) call.erase(k);
    boost::json::array history;
    for (auto& s : call.at("status_history").as_array())
        history.push_back(boost::json::object{
            {"status", s.at("status")}, {"provider_status", s.at("provider_status")}, {"at", s.at("at")}});
    call["status_history"] = history;
    boost::json::array transcript;
    for (auto& s : call.at("transcript").as_array())
        transcript.push_back(boost::json::object{
            {"role", s.at("role")}, {"text", s.at("text")}, {"seconds_from_start", s.at("seconds_from_start")}});
    call["transcript"] = transcript;
    return call;
}

}  // namespace switchboard::testing
