// Retries webhooks whose processing failed (database busy, a bug since fixed) from
// the durable inbox, with exponential backoff; after `max_attempts` the entry is
// parked as failed for an operator (GET /api/v1/admin/webhook-events?state=failed,
// POST .../{id}/retry). Runs at start too, so a restart resumes pending work.
#pragma once

#include "host/store/store.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace switchboard::calls {

class pipeline;

class retrier {
public:
    retrier(store::store& db, pipeline& p, int max_attempts = 5,
            std::chrono::milliseconds interval = std::chrono::seconds(1));
    ~retrier();
    retrier(const retrier&) = delete;
    retrier& operator=(const retrier&) = delete;

    void start();
    // One pass over due entries; returns how many were applied. Public for tests.
    int run_once(sdk::time_point now);

    // Backoff before attempt n+1 after n failures: 1 s, 2 s, 4 s ... capped at 5 min.
    static std::chrono::seconds backoff(int attempts);

private:
    store::store& db_;
    pipeline& pipeline_;
    int max_attempts_;
    std::chrono::milliseconds interval_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace switchboard::calls
