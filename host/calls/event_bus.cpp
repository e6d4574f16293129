#include "host/calls/event_bus.hpp"

#include <spdlog/spdlog.h>

#include <vector>

namespace switchboard::calls {

std::uint64_t event_bus::subscribe(subscriber fn) {
    std::lock_guard lock(mutex_);
    auto id = next_++;
    subscribers_.emplace(id, std::move(fn));
    count_ = subscribers_.size();
    return id;
}

void event_bus::unsubscribe(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    subscribers_.erase(id);
    count_ = subscribers_.size();
}

void event_bus::publish(const live_event& e) const {
    std::vector<subscriber> targets;
    {
        std::lock_guard lock(mutex_);
        if (subscribers_.empty()) return;
        targets.reserve(subscribers_.size());
        for (auto const& [id, fn] : subscribers_) targets.push_back(fn);
    }
    for (auto const& fn : targets) {
        try {
            fn(e);
        } catch (const std::exception& ex) {
            spdlog::warn("live event subscriber failed: {}", ex.what());
        }
    }
}

}  // namespace switchboard::calls
