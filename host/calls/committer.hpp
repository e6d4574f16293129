// Group commit: webhooks that arrive together share one transaction (and one fsync),
// each in its own savepoint so one failing does not undo the others. A caller
// returns only after its work is committed: "acknowledged" always means "durable".
#pragma once

#include "host/store/store.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <functional>
#include <future>
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

    explicit committer(store::store& db, std::size_t max_batch = 256);
    ~committer();  // finishes what was submitted, then stops
    committer(const committer&) = delete;
    committer& operator=(const committer&) = delete;

    // Runs `fn` in the next batch and waits until that batch committed. Rethrows
    // what `fn` threw (its savepoint rolled back), or commit_failed.
    void run(work fn);

    std::size_t batches() const noexcept { return batches_; }  // for tests and metrics
    std::size_t queued() const;                                 // waiting for the next batch

private:
    struct job {
        work fn;
        std::promise<void> done;
    };
    void loop();
    void commit_batch(std::deque<job>& batch);

    store::store& db_;
    std::size_t max_batch_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<job> queue_;
    bool stopping_ = false;
    std::atomic<std::size_t> batches_{0};
    std::thread thread_;
};

}  // namespace switchboard::calls
