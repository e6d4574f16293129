#include "host/calls/retrier.hpp"

#include "host/calls/pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include <pthread.h>

namespace switchboard::calls {

retrier::retrier(store::store& db, pipeline& p, int max_attempts, std::chrono::milliseconds interval)
    : db_(db), pipeline_(p), max_attempts_(max_attempts), interval_(interval) {}

retrier::~retrier() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void retrier::start() {
    thread_ = std::thread([this] {
        pthread_setname_np(pthread_self(), "sb-retry");
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            try {
                run_once(std::chrono::system_clock::now());
            } catch (const std::exception& e) {
                spdlog::warn("webhook retries: {}", e.what());
            }
            lock.lock();
            wake_.wait_for(lock, interval_, [this] { return stopping_; });
        }
    });
}

std::chrono::seconds retrier::backoff(int attempts) {
    return std::chrono::seconds(1LL << std::clamp(attempts - 1, 0, 8)) > std::chrono::seconds(300)
               ? std::chrono::seconds(300)
               : std::chrono::seconds(1LL << std::clamp(attempts - 1, 0, 8));
}

int retrier::run_once(sdk::time_point now) {
    int applied = 0;
    for (auto& entry : db_.inbox_due(now, 50)) {
        auto error = pipeline_.reapply(entry);
        if (error.empty()) {
            ++applied;
            spdlog::info("webhook {} ({} {}) applied on retry", entry.id, entry.provider, entry.event_type);
            continue;
        }
        entry.last_error = error;
        const int attempts = entry.attempts + 1;
        if (attempts >= max_attempts_) {
            entry.status = "failed";
            entry.next_attempt_at.reset();
            spdlog::error("webhook {} ({} {}) parked as failed after {} attempts: {}", entry.id, entry.provider,
                          entry.event_type, attempts, error);
        } else {
            entry.next_attempt_at = now + backoff(attempts);
            spdlog::warn("webhook {} ({} {}) failed again (attempt {}): {}", entry.id, entry.provider,
                         entry.event_type, attempts, error);
        }
        auto tx = db_.begin_write();
        tx->inbox_update(entry);
        tx->commit();
    }
    return applied;
}

}  // namespace switchboard::calls
