// What one hook call may spend. A script that passes a limit is stopped, the host
// logs it with org, hook and line, counts it, and goes on with its default.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace switchboard::scripting {

struct limits {
    std::uint64_t instructions = 1'000'000;             // Lua VM instructions per hook call
    std::chrono::milliseconds time{100};                 // wall clock per hook call
    std::size_t memory_bytes = 32u << 20;                // per organisation and worker thread
    std::uint64_t load_instructions = 10'000'000;        // running the script's top level
    std::chrono::milliseconds load_time{1000};
};

// Why a hook call produced no usable value.
enum class failure_kind {
    none,
    error,         // the script raised an error (or returned something unusable)
    instructions,  // instruction budget spent
    time,          // wall-clock deadline passed
    memory,        // memory cap reached
};

const char* to_string(failure_kind k) noexcept;

}  // namespace switchboard::scripting
