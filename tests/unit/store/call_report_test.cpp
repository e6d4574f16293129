// The provider's final report fields on calls (schema v2), through every path
// that reads or writes a call, and the external record filter.
#include "store_scenario.hpp"

#include <boost/json/parse.hpp>

using namespace switchboard;

namespace {

sdk::call reported(const std::string& pcid) {
    sdk::call c;
    c.org = "acme";
    c.provider = "vapi";
    c.provider_call_id = pcid;
    c.status = sdk::call_status::completed;
    c.stereo_recording_url = "https://rec.example/" + pcid + "-stereo.wav";
    c.summary = "Caller booked a tour for Tuesday.";
    c.analysis = boost::json::parse(R"({"structuredData":{"slot":{"day":"tue","hour":10},"tags":["tour",1,null]},
                                       "successEvaluation":true,"score":0.5})")
                     .as_object();
    c.cost_breakdown = boost::json::parse(R"([{"type":"llm","cost":0.1},{"type":"tts","cost":0.02}])");
    return c;
}

void report_fields_round_trip(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto c = reported("r-1");
    auto id = s.insert_call(c);

    auto check = [&](const sdk::call& g, const sdk::call& want) {
        CHECK(g.stereo_recording_url == want.stereo_recording_url);
        CHECK(g.summary == want.summary);
        CHECK(g.analysis == want.analysis);
        CHECK(g.cost_breakdown == want.cost_breakdown);
    };
    auto got = s.get_call(id);
    REQUIRE(got);
    check(got->call, c);
    CHECK(got->call.cost_breakdown.is_array());
    auto by_provider = s.find_call("vapi", "r-1");
    REQUIRE(by_provider);
    CHECK(by_provider->call.id == id);
    check(by_provider->call, c);
    auto page = s.list_calls({});
    REQUIRE(page.calls.size() == 1);
    check(page.calls[0].call, c);

    // Unknown breakdown stays null, not "null" text or an empty object.
    sdk::call bare;
    bare.org = "acme";
    bare.provider = "vapi";
    bare.provider_call_id = "r-2";
    auto bare_id = s.insert_call(bare);
    auto b = s.get_call(bare_id);
    REQUIRE(b);
    CHECK(b->call.cost_breakdown.is_null());
    CHECK(b->call.analysis.empty());
    CHECK(b->call.summary.empty());
    CHECK(b->call.stereo_recording_url.empty());

    // update_call: array -> object -> null, analysis replaced.
    auto w = s.begin_write();
    auto current = w->find_call("vapi", "r-1");
    REQUIRE(current);
    check(*current, c);
    current->cost_breakdown = boost::json::parse(R"({"total":0.12,"items":{"llm":0.1}})");
    current->analysis = {{"summary_ok", false}};
    current->summary = "Changed.";
    w->update_call(*current);
    w->commit();
    got = s.get_call(id);
    REQUIRE(got);
    check(got->call, *current);
    CHECK(got->call.cost_breakdown.is_object());

    w = s.begin_write();
    current->cost_breakdown = nullptr;
    current->stereo_recording_url.clear();
    w->update_call(*current);
    w->commit();
    w.reset();
    got = s.get_call(id);
    REQUIRE(got);
    CHECK(got->call.cost_breakdown.is_null());
    CHECK(got->call.stereo_recording_url.empty());
    CHECK(got->call.summary == "Changed.");

    CHECK_FALSE(s.find_call("vapi", "missing"));
    CHECK_FALSE(s.find_call("livekit_sip", "r-1"));
}
STORE_SCENARIO("report fields round-trip through insert, get, list, find and update", report_fields_round_trip)

void external_record_filter(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto add = [&](const std::string& pcid, const std::string& org, const std::string& external) {
        sdk::call c;
        c.org = org;
        c.provider = "vapi";
        c.provider_call_id = pcid;
        c.external_record_id = external;
        return s.insert_call(c);
    };
    auto a = add("e-1", "acme", "crm-1");
    auto b = add("e-2", "acme", "crm-1");
    add("e-3", "acme", "crm-2");
    auto d = add("e-4", "globex", "crm-1");

    store::call_filter f;
    f.external_record_id = "crm-1";
    auto all = s.list_calls(f);
    CHECK(all.total == 3);
    f.org = "acme";
    auto acme = s.list_calls(f);
    CHECK(acme.total == 2);
    REQUIRE(acme.calls.size() == 2);
    for (auto const& r : acme.calls) CHECK((r.call.id == a || r.call.id == b));
    f.org = "globex";
    auto globex = s.list_calls(f);
    REQUIRE(globex.calls.size() == 1);
    CHECK(globex.calls[0].call.id == d);
    f.external_record_id = "crm-404";
    f.org.reset();
    CHECK(s.list_calls(f).total == 0);
}
STORE_SCENARIO("list_calls filters by external record id", external_record_filter)

}  // namespace
