// Group commit on the real store, SQLite and PostgreSQL: concurrent work shares a
// batch, one failing job does not undo the others, and run() returns only after
// the commit.
#include "host/calls/committer.hpp"
#include "host/calls/retrier.hpp"
#include "support/test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <future>
#include <thread>

using namespace switchboard;
using namespace std::chrono_literals;

namespace {

store::inbox_entry entry(int n) {
    store::inbox_entry e;
    e.org = "acme";
    e.provider = "test";
    e.idempotency_key = "k" + std::to_string(n);
    e.event_type = "status-update";
    e.body = "{}";
    return e;
}

void batches_share_a_commit(const std::string& url) {
    store::store db(url, 4);
    db.migrate();
    calls::committer c(db);

    // The first job holds the committer until 15 more are queued: those 15 must then
    // go together, in one transaction, and one of them failing costs only itself.
    std::promise<void> release;
    auto released = release.get_future().share();
    std::atomic<bool> started{false};
    auto first = std::async(std::launch::async, [&] {
        c.run([&](store::unit_of_work& tx) {
            auto e = entry(0);
            tx.inbox_insert(e);
            started = true;
            released.wait();
        });
    });
    // Whatever happens below, the first job is let go (else its future never returns);
    // declared after the first future, so it runs before that future's destructor waits.
    struct let_go {
        std::promise<void>& p;
        bool done = false;
        void now() {
            if (!done) p.set_value();
            done = true;
        }
        ~let_go() { now(); }
    } guard{release};
    while (!started) std::this_thread::sleep_for(1ms);
    std::vector<std::future<bool>> rest;
    for (int i = 1; i <= 15; ++i)
        rest.push_back(std::async(std::launch::async, [&c, i] {
            try {
                c.run([i](store::unit_of_work& tx) {
                    auto e = entry(i);
                    tx.inbox_insert(e);
                    if (i == 7) throw std::runtime_error("job 7 fails");
                });
                return true;
            } catch (const std::runtime_error& e) {
                CHECK(std::string(e.what()) == "job 7 fails");
                return false;
            }
        }));
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (c.queued() < 15 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(1ms);
    CHECK(c.queued() == 15);
    guard.now();
    first.get();
    int ok = 0;
    for (auto& f : rest) ok += f.get() ? 1 : 0;
    CHECK(ok == 14);
    CHECK(c.batches() == 2);
    for (int i = 0; i <= 15; ++i) {
        INFO(i);
        auto tx = db.begin_write();
        CHECK(tx->inbox_find("test", "k" + std::to_string(i)).has_value() == (i != 7));
    }
}

// submit(): nobody waits; each completion runs once, after its batch committed, with
// the job's own error or none.
void submit_completes_after_commit(const std::string& url) {
    store::store db(url, 4);
    db.migrate();
    calls::committer c(db);
    std::mutex m;
    std::vector<std::pair<int, std::string>> outcomes;  // (job, error or "" with the row visible)
    std::promise<void> all_done;
    constexpr int jobs = 40;
    for (int i = 0; i < jobs; ++i)
        c.submit(
            [i](store::unit_of_work& tx) {
                auto e = entry(100 + i);
                tx.inbox_insert(e);
                if (i % 10 == 3) throw std::runtime_error("job " + std::to_string(i) + " fails");
            },
            [&, i](std::exception_ptr failure) {
                std::string what;
                if (failure) try {
                        std::rethrow_exception(failure);
                    } catch (const std::exception& e) {
                        what = e.what();
                    }
                // Committed already: another connection sees the row (or not, for a failure).
                bool visible = db.inbox_find("test", "k" + std::to_string(100 + i)).has_value();
                std::lock_guard lock(m);
                outcomes.emplace_back(i, what.empty() ? (visible ? "" : "not visible") : what);
                if (outcomes.size() == jobs) all_done.set_value();
            });
    REQUIRE(all_done.get_future().wait_for(30s) == std::future_status::ready);
    std::sort(outcomes.begin(), outcomes.end());
    REQUIRE(outcomes.size() == jobs);
    for (int i = 0; i < jobs; ++i) {
        INFO(i);
        CHECK(outcomes[i].first == i);
        CHECK(outcomes[i].second == (i % 10 == 3 ? "job " + std::to_string(i) + " fails" : ""));
    }
    CHECK(c.batches() < jobs);  // submitted together, committed in fewer batches
}

}  // namespace

TEST_CASE("committer: submit calls each completion once, after the commit (sqlite)", "[calls][sqlite]") {
    testing::temp_dir dir;
    submit_completes_after_commit("sqlite:" + (dir.path() / "c.db").string());
}

TEST_CASE("committer: submit calls each completion once, after the commit (pg)", "[calls][pg]") {
    submit_completes_after_commit(testing::fresh_pg_database());
}

TEST_CASE("committer: concurrent work shares one commit, a failing job costs only itself (sqlite)",
          "[calls][sqlite]") {
    testing::temp_dir dir;
    batches_share_a_commit("sqlite:" + (dir.path() / "c.db").string());
}

TEST_CASE("committer: concurrent work shares one commit, a failing job costs only itself (pg)", "[calls][pg]") {
    batches_share_a_commit(testing::fresh_pg_database());
}

TEST_CASE("retrier: backoff doubles from 1 s and stops at 5 minutes", "[calls]") {
    using calls::retrier;
    CHECK(retrier::backoff(1) == 1s);
    CHECK(retrier::backoff(2) == 2s);
    CHECK(retrier::backoff(5) == 16s);
    CHECK(retrier::backoff(9) == 256s);
    CHECK(retrier::backoff(20) == 256s);  // 2^8 is the largest step below the cap
}
