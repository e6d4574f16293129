// Group commit: webhooks that arrive together share one transaction (and one fsync),
// each in its own savepoint so one failing does not undo the others. A caller
// returns only after its work is committed: "acknowledged" always means "durable".
#pragma once

#include "host/store/store.hpp"

#include <condition_variable>
#include <exception>
#include <functional>
#include <vector>
#include <mutex>
#include <thread>

namespace switchboard::calls {

// The batch's transaction could not be committed: nothing in it is durable. (A job's
// own failure is rethrown as it was, and the rest of its batch still commits.)
class commit_failed : public store::store_error {
public:
    using store::store_error::store_error;
};

class committer {
public:
    using work = std::function<void(store::unit_of_work&)>;
    // Called on the committer's thread once the job's batch committed (error empty),
    // or with what the job threw (its savepoint rolled back) or commit_failed.
    // Must be quick: the next batch waits for it.
    using completion = std::function<void(std::exception_ptr error)>;

    explicit committer(store::store& db, std::size_t max_batch = 512);
    ~committer();  // finishes what was submitted, then stops
    committer(const committer&) = delete;
    committer& operator=(const committer&) = delete;

    // Runs `fn` in the next batch; `done` follows the commit. No thread waits meanwhile.
    void submit(work fn, completion done);
    // The same, blocking until the batch committed; rethrows what `done` would get.
    void run(work fn);

    std::size_t batches() const noexcept { return batches_; }  // for tests and metrics
    std::size_t queued() const;                                 // waiting for the next batch

private:
    struct job {
        work fn;
        completion done;
        std::exception_ptr error;
    };
    void loop();
    void commit_batch(std::vector<job>& batch);

    store::store& db_;
    std::size_t max_batch_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::vector<job> queue_;
    bool stopping_ = false;
    std::atomic<std::size_t> batches_{0};
    std::thread thread_;
};

}  // namespace switchboard::calls
