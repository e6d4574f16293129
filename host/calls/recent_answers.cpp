#include "host/calls/recent_answers.hpp"

namespace switchboard::calls {

std::optional<std::string> recent_answers::find(const std::string& provider, const std::string& key) const {
    auto s = slot(provider, key);
    std::lock_guard lock(mutex_);
    auto it = answers_.find(s);
    if (it == answers_.end()) return std::nullopt;
    return it->second;
}

void recent_answers::remember(const std::string& provider, const std::string& key, std::string answer) {
    auto s = slot(provider, key);
    std::lock_guard lock(mutex_);
    auto [it, inserted] = answers_.try_emplace(s, std::move(answer));
    if (!inserted) return;  // the first answer stays the answer
    order_.push_back(std::move(s));
    while (order_.size() > capacity_) {
        answers_.erase(order_.front());
        order_.pop_front();
    }
}

std::size_t recent_answers::size() const {
    std::lock_guard lock(mutex_);
    return answers_.size();
}

}  // namespace switchboard::calls
