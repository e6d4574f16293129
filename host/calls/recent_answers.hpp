// The answers given to recent questions (tool calls, assistant requests), by
// idempotency key, so a redelivered question gets the same answer without running
// its tools again and without a database read on the answer path. Bounded: the
// oldest answers go first. Thread-safe.
#pragma once

#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace switchboard::calls {

class recent_answers {
public:
    explicit recent_answers(std::size_t capacity = 16384) : capacity_(capacity) {}

    std::optional<std::string> find(const std::string& provider, const std::string& key) const;
    void remember(const std::string& provider, const std::string& key, std::string answer);
    std::size_t size() const;

private:
    static std::string slot(const std::string& provider, const std::string& key) { return provider + '\n' + key; }

    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::unordered_map<std::string, std::string> answers_;
    std::deque<std::string> order_;  // oldest first
};

}  // namespace switchboard::calls
