#include "host/calls/committer.hpp"

#include <spdlog/spdlog.h>

#include <semaphore>

#include <pthread.h>

namespace switchboard::calls {

committer::committer(store::store& db, std::size_t max_batch)
    : db_(db), max_batch_(max_batch), thread_([this] {
          pthread_setname_np(pthread_self(), "sb-commit");
          loop();
      }) {}

committer::~committer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

std::size_t committer::queued() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

void committer::submit(work fn, completion done) {
    bool was_idle = false;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) throw commit_failed("store: the committer is shutting down");
        was_idle = queue_.empty();
        queue_.push_back(job{std::move(fn), std::move(done), {}});
    }
    // A non-empty queue means the writer is busy and will look again after its batch.
    if (was_idle) wake_.notify_one();
}

void committer::run(work fn) {
    std::binary_semaphore ready{0};
    std::exception_ptr error;
    submit(std::move(fn), [&](std::exception_ptr e) {
        error = e;
        ready.release();
    });
    ready.acquire();
    if (error) std::rethrow_exception(error);
}

void committer::loop() {
    std::vector<job> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and nothing left
            // Everything that queued while the last batch was committing goes together.
            if (queue_.size() <= max_batch_) {
                batch.swap(queue_);
            } else {
                auto cut = queue_.begin() + static_cast<std::ptrdiff_t>(max_batch_);
                batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(cut));
                queue_.erase(queue_.begin(), cut);
            }
        }
        commit_batch(batch);
        batch.clear();
    }
}

void committer::commit_batch(std::vector<job>& batch) {
    try {
        auto tx = db_.begin_write();
        for (auto& j : batch) {
            tx->savepoint("job");
            try {
                j.fn(*tx);
                tx->release("job");
            } catch (...) {
                j.error = std::current_exception();
                tx->rollback_to("job");
                tx->release("job");
            }
        }
        tx->commit();
        ++batches_;
    } catch (const std::exception& e) {
        // The transaction itself failed: nothing in this batch is durable.
        spdlog::error("group commit of {} webhook(s) failed: {}", batch.size(), e.what());
        auto failure = std::make_exception_ptr(commit_failed(std::string("commit failed: ") + e.what()));
        for (auto& j : batch) j.error = failure;
    }
    for (auto& j : batch) {
        try {
            j.done(j.error);
        } catch (const std::exception& e) {
            spdlog::error("group commit: a completion threw: {}", e.what());
        }
    }
}

}  // namespace switchboard::calls
