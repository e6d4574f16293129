#include "host/calls/tool_runner.hpp"

#include <pthread.h>

namespace switchboard::calls {

tool_runner::tool_runner(unsigned threads) {
    for (unsigned i = 0; i < threads; ++i)
        threads_.emplace_back([this] {
            pthread_setname_np(pthread_self(), "sb-tool");
            for (;;) {
                std::function<void()> task;
                {
                    std::unique_lock lock(mutex_);
                    wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
                    if (queue_.empty()) return;
                    task = std::move(queue_.front());
                    queue_.pop_front();
                }
                task();  // tasks catch their own exceptions
            }
        });
}

tool_runner::~tool_runner() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
}

void tool_runner::post(std::function<void()> task) {
    {
        std::lock_guard lock(mutex_);
        queue_.push_back(std::move(task));
    }
    wake_.notify_one();
}

}  // namespace switchboard::calls
