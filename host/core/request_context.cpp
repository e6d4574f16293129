#include "host/core/request_context.hpp"

namespace switchboard::core {
namespace {
thread_local std::string current;
}

std::string_view current_request_id() noexcept { return current; }

request_scope::request_scope(std::string_view id) : previous_(std::move(current)) { current.assign(id); }

request_scope::~request_scope() { current = std::move(previous_); }
}  // namespace switchboard::core
