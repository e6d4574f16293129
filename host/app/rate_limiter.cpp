#include "host/app/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace switchboard::app {

rate_limiter::decision rate_limiter::check(const std::string& key, std::chrono::steady_clock::time_point now,
                                           std::chrono::system_clock::time_point wall) {
    const double capacity = per_minute_;
    const double per_second = capacity / 60.0;
    std::lock_guard lock(mutex_);
    auto [it, fresh] = buckets_.try_emplace(key, bucket{capacity, now});
    auto& b = it->second;
    if (!fresh) {
        double elapsed = std::chrono::duration<double>(now - b.updated).count();
        b.tokens = std::min(capacity, b.tokens + elapsed * per_second);
        b.updated = now;
    }
    bool allowed = b.tokens >= 1.0;
    if (allowed) b.tokens -= 1.0;
    auto wall_s = std::chrono::duration_cast<std::chrono::seconds>(wall.time_since_epoch()).count();
    auto until_full = static_cast<std::int64_t>(std::ceil((capacity - b.tokens) / per_second));
    auto until_one = allowed ? 0u : static_cast<unsigned>(std::ceil((1.0 - b.tokens) / per_second));
    return {allowed, per_minute_, static_cast<unsigned>(std::floor(b.tokens)), wall_s + until_full, until_one};
}

}  // namespace switchboard::app
