// In-process publish/subscribe of live call events (status, transcript, end). The
// WebSocket hub subscribes here; across hosts, Redis will relay the same messages.
// Subscribers run on the publishing thread: they must be quick and must not throw.
#pragma once

#include <boost/json/object.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace switchboard::calls {

struct live_event {
    std::string org;
    std::string call_id;
    std::string kind;          // "status", "transcript", "ended", "event"
    boost::json::object data;  // what changed
};

class event_bus {
public:
    using subscriber = std::function<void(const live_event&)>;

    std::uint64_t subscribe(subscriber fn);
    void unsubscribe(std::uint64_t id);
    void publish(const live_event& e) const;
    // Lets publishers skip building events nobody listens to.
    bool has_subscribers() const noexcept { return count_.load(std::memory_order_relaxed) > 0; }

private:
    mutable std::mutex mutex_;
    std::uint64_t next_ = 1;
    std::map<std::uint64_t, subscriber> subscribers_;
    std::atomic<std::size_t> count_{0};
};

}  // namespace switchboard::calls
