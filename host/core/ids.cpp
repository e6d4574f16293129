#include "host/core/ids.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <random>

namespace switchboard::core {

std::string new_id() {
    // RFC 9562 UUIDv7: 48-bit unix ms, version 7, 12 bits that count up within one
    // millisecond (monotonic within this process), variant, 62 random bits.
    static std::mutex mutex;
    static std::mt19937_64 rng{std::random_device{}()};
    static std::uint64_t last_ms = 0;
    static std::uint16_t seq = 0;

    auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
    std::uint64_t rand_b;
    std::uint16_t counter;
    {
        std::lock_guard lock(mutex);
        if (ms <= last_ms) {
            ms = last_ms;
            if (++seq > 0x0fff) {  // counter spent: borrow the next millisecond
                ms = ++last_ms;
                seq = 0;
            }
        } else {
            last_ms = ms;
            seq = static_cast<std::uint16_t>(rng() & 0x01ff);  // random start, room to count
        }
        counter = seq;
        rand_b = rng();
    }
    std::array<std::uint8_t, 16> b{};
    for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
    b[6] = static_cast<std::uint8_t>(0x70 | ((counter >> 8) & 0x0f));
    b[7] = static_cast<std::uint8_t>(counter & 0xff);
    for (int i = 8; i < 16; ++i) b[i] = static_cast<std::uint8_t>(rand_b >> (8 * (i - 8)));
    b[8] = static_cast<std::uint8_t>(0x80 | (b[8] & 0x3f));

    char out[37];
    std::snprintf(out, sizeof out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0],
                  b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
    return out;
}

}  // namespace switchboard::core
