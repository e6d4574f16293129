// What a hook asked the host to do to the current call through sb.*: the caller
// applies these after the hook returns (in the same transaction as the event).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace switchboard::scripting {

struct effects {
    std::vector<std::string> tags;          // sb.tag(name)
    std::optional<std::string> phase;       // sb.set_phase(phase), the last one wins
    std::optional<std::string> escalation;  // sb.escalate(reason)

    bool empty() const noexcept { return tags.empty() && !phase && !escalation; }
};

}  // namespace switchboard::scripting
