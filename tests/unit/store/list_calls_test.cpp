// list_calls against an independent model: 30 seeded calls, every filter checked by
// computing the expected ids in C++ and comparing page by page.
#include "store_scenario.hpp"

#include <algorithm>
#include <set>

using namespace switchboard;
using namespace std::chrono;

namespace {

const sdk::time_point base{sys_days{2025y / March / 1} + hours{8}};

struct seeded {
    sdk::call call;
    std::optional<store::call_analytics> analytics;
    sdk::time_point when() const { return call.started_at.value_or(call.created_at); }
};

std::vector<seeded> seed(store::store& s) {
    std::vector<seeded> out;
    const sdk::call_status statuses[] = {sdk::call_status::queued,    sdk::call_status::ringing,
                                         sdk::call_status::in_progress, sdk::call_status::completed,
                                         sdk::call_status::failed,    sdk::call_status::missed,
                                         sdk::call_status::transferred};
    const char* sentiments[] = {"positive", "neutral", "negative"};
    for (int i = 0; i < 30; ++i) {
        seeded x;
        auto& c = x.call;
        c.org = i % 3 == 0 ? "org-b" : "org-a";
        c.provider = i % 4 == 0 ? "vapi" : "openai_realtime";
        c.provider_call_id = "pc-" + std::to_string(i);
        c.direction = i % 2 ? sdk::call_direction::outbound : sdk::call_direction::inbound;
        c.status = statuses[i % 7];
        // Seeded out of time order, so "newest first" is the store's work, not
        // insertion order. Every 5th call never started: it sorts by created_at.
        int slot = (i * 7) % 30;
        c.created_at = base + hours{slot} + minutes{1};
        if (i % 5 != 0) c.started_at = base + hours{slot};
        if (i % 2 == 0) {
            store::call_analytics a;
            a.sentiment = sentiments[(i / 2) % 3];
            a.category = i % 4 == 0 ? "billing" : "support";
            x.analytics = a;
        }
        c.id = s.insert_call(c);
        if (x.analytics) s.put_analytics(c.id, *x.analytics);
        out.push_back(std::move(x));
    }
    return out;
}

bool matches(const seeded& x, const store::call_filter& f) {
    auto const& c = x.call;
    if (f.org && c.org != *f.org) return false;
    if (f.status && c.status != *f.status) return false;
    if (f.direction && c.direction != *f.direction) return false;
    if (f.provider && c.provider != *f.provider) return false;
    if (f.sentiment && (!x.analytics || x.analytics->sentiment != *f.sentiment)) return false;
    if (f.category && (!x.analytics || x.analytics->category != *f.category)) return false;
    if (f.date_from && x.when() < *f.date_from) return false;
    if (f.date_to && x.when() > *f.date_to) return false;
    if (f.active_only && sdk::is_terminal(c.status)) return false;
    return true;
}

std::vector<std::string> expected_ids(const std::vector<seeded>& all, const store::call_filter& f) {
    std::vector<const seeded*> hits;
    for (auto const& x : all)
        if (matches(x, f)) hits.push_back(&x);
    std::sort(hits.begin(), hits.end(), [](auto a, auto b) {
        if (a->when() != b->when()) return a->when() > b->when();
        return a->call.id > b->call.id;
    });
    std::vector<std::string> ids;
    for (auto h : hits) ids.push_back(h->call.id);
    return ids;
}

// Walks every page of `f` and checks it against the model; returns the count.
std::size_t check_filter(store::store& s, const std::vector<seeded>& all, store::call_filter f) {
    auto want = expected_ids(all, f);
    f.page_size = 4;
    std::vector<std::string> got;
    for (f.page = 1;; ++f.page) {
        auto page = s.list_calls(f);
        CHECK(page.total == static_cast<std::int64_t>(want.size()));
        CHECK(page.calls.size() <= 4);
        for (auto const& r : page.calls) got.push_back(r.call.id);
        if (page.calls.size() < 4) break;
        REQUIRE(f.page < 20);
    }
    CHECK(got == want);
    return want.size();
}

void list_calls(const std::string& url) {
    store::store s(url, 2);
    s.migrate();
    auto all = seed(s);

    SECTION("pagination: pages do not overlap and cover the set, newest first") {
        store::call_filter f;
        f.page_size = 7;
        std::vector<std::string> seen;
        std::set<std::string> unique;
        for (f.page = 1; f.page <= 5; ++f.page) {
            auto page = s.list_calls(f);
            CHECK(page.total == 30);
            CHECK(page.calls.size() == (f.page < 5 ? 7u : 2u));
            for (auto const& r : page.calls) {
                seen.push_back(r.call.id);
                unique.insert(r.call.id);
            }
        }
        CHECK(unique.size() == 30);
        CHECK(seen == expected_ids(all, {}));
        f.page = 6;
        CHECK(s.list_calls(f).calls.empty());
        CHECK(s.list_calls(f).total == 30);
        // Newest first: the times never go up along the list.
        for (std::size_t i = 1; i < seen.size(); ++i) {
            auto prev = s.get_call(seen[i - 1]), cur = s.get_call(seen[i]);
            CHECK(prev->call.started_at.value_or(prev->call.created_at) >=
                  cur->call.started_at.value_or(cur->call.created_at));
        }
    }
    SECTION("page and page_size are clamped") {
        store::call_filter f;
        f.page = 0;
        f.page_size = 0;
        auto p = s.list_calls(f);
        CHECK(p.calls.size() == 1);
        CHECK(p.calls[0].call.id == expected_ids(all, {})[0]);
        f.page = -3;
        f.page_size = 1000;  // at most 100
        CHECK(s.list_calls(f).calls.size() == 30);
    }
    SECTION("each filter alone") {
        store::call_filter f;
        f.org = "org-b";
        CHECK(check_filter(s, all, f) == 10);
        f = {};
        f.status = sdk::call_status::completed;
        CHECK(check_filter(s, all, f) == 4);
        f = {};
        f.direction = sdk::call_direction::outbound;
        CHECK(check_filter(s, all, f) == 15);
        f = {};
        f.provider = "vapi";
        CHECK(check_filter(s, all, f) == 8);
        f = {};
        f.sentiment = "negative";
        CHECK(check_filter(s, all, f) == 5);
        f = {};
        f.category = "billing";
        CHECK(check_filter(s, all, f) == 8);
        f = {};
        f.active_only = true;
        CHECK(check_filter(s, all, f) == 14);
        f = {};
        f.org = "";  // empty org: all orgs
        CHECK(s.list_calls(f).total == 30);
    }
    SECTION("date range is inclusive at both ends") {
        store::call_filter f;
        f.date_from = base + hours{4};              // exactly a started_at
        f.date_to = base + hours{10} + minutes{1};  // exactly a created_at of a call that never started
        CHECK(check_filter(s, all, f) == 7);
        auto ids = expected_ids(all, f);
        bool has_from = false, has_to = false;
        for (auto const& x : all) {
            auto in = std::find(ids.begin(), ids.end(), x.call.id) != ids.end();
            if (x.when() == *f.date_from) has_from = in;
            if (x.when() == *f.date_to) has_to = in;
        }
        CHECK(has_from);
        CHECK(has_to);
        f.date_from.reset();
        CHECK(check_filter(s, all, f) == 11);
        f.date_to.reset();
        f.date_from = base + hours{29};
        CHECK(check_filter(s, all, f) == 1);
    }
    SECTION("filters combine") {
        store::call_filter f;
        f.org = "org-a";
        f.sentiment = "positive";
        check_filter(s, all, f);
        f.date_from = base + hours{10};
        f.category = "support";
        check_filter(s, all, f);
        f = {};
        f.org = "org-b";
        f.active_only = true;
        f.provider = "vapi";
        check_filter(s, all, f);
        f = {};
        f.org = "nobody";
        CHECK(check_filter(s, all, f) == 0);
    }
    SECTION("rows carry their analytics") {
        store::call_filter f;
        f.page_size = 100;
        auto page = s.list_calls(f);
        REQUIRE(page.calls.size() == 30);
        for (auto const& r : page.calls) {
            auto it = std::find_if(all.begin(), all.end(), [&](auto const& x) { return x.call.id == r.call.id; });
            REQUIRE(it != all.end());
            REQUIRE(r.analytics.has_value() == it->analytics.has_value());
            if (r.analytics) CHECK(r.analytics->sentiment == it->analytics->sentiment);
            CHECK(r.call.provider_call_id == it->call.provider_call_id);
        }
    }
    SECTION("user input is bound, not spliced into the SQL") {
        store::call_filter f;
        f.org = "org-a' OR '1'='1";
        CHECK(s.list_calls(f).total == 0);
        f.provider = "x\"; DROP TABLE calls; --";
        f.org.reset();
        CHECK(s.list_calls(f).total == 0);
        CHECK(s.list_calls({}).total == 30);
    }
}
STORE_SCENARIO("list_calls pagination and filters", list_calls)

}  // namespace
