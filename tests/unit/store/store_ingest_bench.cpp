// Webhook ingestion through unit_of_work, the way the committer and the pipeline
// drive it: batches of 32 in one transaction, a savepoint per webhook. Hidden
// ("[.bench]"): never run by ctest; run by hand:
//   SB_BENCH_EVENTS=20000 build/bin/unit_store "[.bench]"
//   SB_BENCH_PG=1 scripts/with-services.sh build/bin/unit_store "[.bench]"   (PostgreSQL)
#include "store_scenario.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace switchboard;

namespace {

int env_int(const char* name, int fallback) {
    const char* v = std::getenv(name);
    return v && *v ? std::atoi(v) : fallback;
}

}  // namespace

TEST_CASE("store: webhook ingestion throughput", "[.bench]") {
    const int events = env_int("SB_BENCH_EVENTS", 20000);
    const int per_call = 10;  // webhooks per call: the first inserts it, the rest update it
    const std::size_t batch = 32;
    testing::temp_dir dir;
    std::string url = std::getenv("SB_BENCH_PG") ? testing::fresh_pg_database() : store_test::sqlite_url(dir);
    store::store s(url, 2);
    s.migrate();

    auto start = std::chrono::steady_clock::now();
    int done = 0;
    while (done < events) {
        auto w = s.begin_write();
        for (std::size_t i = 0; i < batch && done < events; ++i, ++done) {
            w->savepoint("job");
            store::inbox_entry e;
            e.org = "acme";
            e.provider = "vapi";
            e.idempotency_key = "k" + std::to_string(done);
            e.event_type = "status-update";
            e.provider_call_id = "pc-" + std::to_string(done / per_call);
            e.body = R"({"message":{"type":"status-update","status":"in-progress"}})";
            REQUIRE(w->inbox_insert(e));
            auto call = w->find_call(e.provider, e.provider_call_id);
            if (!call) {
                sdk::call c;
                c.org = e.org;
                c.provider = e.provider;
                c.provider_call_id = e.provider_call_id;
                w->insert_call(c);
                call = c;
            }
            REQUIRE_FALSE(w->has_report_transcript(call->id));
            w->add_status_step(call->id, {sdk::call_status::in_progress, "in-progress", std::nullopt, {}});
            call->status = sdk::call_status::in_progress;
            w->update_call(*call);
            e.status = "applied";
            e.call_id = call->id;
            w->inbox_update(e);
            w->release("job");
        }
        w->commit();
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("store ingest bench (%s): %d events in %.3f s = %.0f events/s\n",
                s.kind() == store::backend::sqlite ? "sqlite" : "pg", events, seconds, events / seconds);
    CHECK(s.inbox_pending(1).empty());
    CHECK(s.status_history(s.find_call("vapi", "pc-0")->call.id).size() ==
          static_cast<std::size_t>(std::min(per_call, events)));
}
