// The request id of the work running on this thread, so every log line written while
// serving a request carries it (the logger's "%*" flag prints it).
#pragma once
#include <string>
#include <string_view>

namespace switchboard::core {

std::string_view current_request_id() noexcept;

// Sets the thread's request id for its lifetime, restoring the previous one after.
class request_scope {
public:
    explicit request_scope(std::string_view id);
    ~request_scope();
    request_scope(const request_scope&) = delete;
    request_scope& operator=(const request_scope&) = delete;

private:
    std::string previous_;
};

}  // namespace switchboard::core
