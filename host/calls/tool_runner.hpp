// A bounded pool for tool calls. A call that passes its deadline is abandoned (its
// thread finishes it later and the result is dropped), so slow tools cost threads
// from this pool, never the webhook's answer; when every thread is stuck, new calls
// wait in the queue and meet their deadline there.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace switchboard::calls {

class tool_runner {
public:
    explicit tool_runner(unsigned threads = 8);
    ~tool_runner();
    tool_runner(const tool_runner&) = delete;
    tool_runner& operator=(const tool_runner&) = delete;

    void post(std::function<void()> task);

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    bool stopping_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace switchboard::calls
