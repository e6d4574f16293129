// What a caller's words say about urgency: emergency phrases (escalate at once),
// high-priority phrases, explicit requests for a person, and uncertainty. Matching is
// case- and punctuation-insensitive and word-bounded ("fire" is not in "fireplace",
// "can't breathe" matches "Can’t... breathe?"); a phrase ending in '*' matches the
// start of a word ("bleed*": bleeding, bleeds). The lists are built once per org.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::escalation {

enum class signal { emergency, high_priority, human_request, uncertainty };
std::string_view to_string(signal s) noexcept;

struct keyword_lists {
    std::vector<std::string> emergency;
    std::vector<std::string> high_priority;
    std::vector<std::string> human_request;
    std::vector<std::string> uncertainty;
};

// The lists the host uses for a category the org does not set (docs/tools.md).
const keyword_lists& default_keywords();

struct detection {
    signal kind = signal::uncertainty;
    std::string phrase;  // as configured (without a trailing '*')
};

class detector {
public:
    explicit detector(const keyword_lists& lists);

    // The most urgent signal in `text` (emergency first, then high priority, a request
    // for a person, uncertainty), with the phrase that matched; nullopt when none.
    std::optional<detection> scan(std::string_view text) const;

private:
    struct phrase {
        std::string words;  // normalised: " word word" with a leading space
        bool prefix = false;
        std::string original;
    };
    std::vector<phrase> lists_[4];  // by signal
};

// Lower case letters and digits, every other run of characters one space, with a
// leading and trailing space: " can t breathe ". UTF-8 letters outside ASCII are kept
// as they are (lower-casing only ASCII); the typographic apostrophe is punctuation.
std::string normalise(std::string_view text);

}  // namespace switchboard::escalation
