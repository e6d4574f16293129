// Per-credential request budget (seed 003: N requests per minute per API key, with
// X-RateLimit-* headers). Buckets live in memory: losing them on restart is fine.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace switchboard::app {

class rate_limiter {
public:
    struct decision {
        bool allowed;
        unsigned limit;
        unsigned remaining;
        std::int64_t reset_epoch_seconds;  // when the bucket is full again
        unsigned retry_after_seconds;      // when allowed is false
    };

    // per_minute == 0 disables limiting (check() always allows).
    explicit rate_limiter(unsigned per_minute) : per_minute_(per_minute) {}

    bool enabled() const noexcept { return per_minute_ > 0; }
    decision check(const std::string& key, std::chrono::steady_clock::time_point now,
                   std::chrono::system_clock::time_point wall);

private:
    struct bucket {
        double tokens;
        std::chrono::steady_clock::time_point updated;
    };
    unsigned per_minute_;
    std::mutex mutex_;
    std::unordered_map<std::string, bucket> buckets_;
};

}  // namespace switchboard::app
