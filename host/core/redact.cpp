#include "host/core/redact.hpp"

namespace switchboard::core {
std::string mask_phone(std::string_view n) {
    if (n.empty()) return {};
    std::string out(n);
    std::size_t keep_head = n.front() == '+' ? 2 : 0;
    std::size_t keep_tail = n.size() > 4 ? 4 : 0;
    for (std::size_t i = keep_head; i + keep_tail < out.size(); ++i)
        if (out[i] != '-' && out[i] != ' ') out[i] = '*';
    return out;
}

std::string mask_secret(std::string_view s) { return s.empty() ? "(empty)" : "***"; }
}  // namespace switchboard::core
