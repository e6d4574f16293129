#include "host/calls/committer.hpp"

#include <spdlog/spdlog.h>

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

void committer::run(work fn) {
    std::future<void> done;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) throw commit_failed("store: the committer is shutting down");
        queue_.push_back(job{std::move(fn), {}});
        done = queue_.back().done.get_future();
    }
    wake_.notify_one();
    done.get();
}

void committer::loop() {
    for (;;) {
        std::deque<job> batch;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) return;  // stopping, and nothing left
            // Everything that queued while the last batch was committing goes together.
            while (!queue_.empty() && batch.size() < max_batch_) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        commit_batch(batch);
    }
}

void committer::commit_batch(std::deque<job>& batch) {
    std::vector<std::exception_ptr> errors(batch.size());
    try {
        auto tx = db_.begin_write();
        for (std::size_t i = 0; i < batch.size(); ++i) {
            tx->savepoint("job");
            try {
                batch[i].fn(*tx);
                tx->release("job");
            } catch (...) {
                errors[i] = std::current_exception();
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
        for (auto& j : batch) j.done.set_exception(failure);
        return;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) {
        if (errors[i])
            batch[i].done.set_exception(errors[i]);
        else
            batch[i].done.set_value();
    }
}

}  // namespace switchboard::calls
