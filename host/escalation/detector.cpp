#include "host/escalation/detector.hpp"

namespace switchboard::escalation {

std::string_view to_string(signal s) noexcept {
    switch (s) {
        case signal::emergency: return "emergency";
        case signal::high_priority: return "high_priority";
        case signal::human_request: return "human_request";
        case signal::uncertainty: return "uncertainty";
    }
    return "uncertainty";
}

const keyword_lists& default_keywords() {
    static const keyword_lists lists{
        {"emergency", "911", "can't breathe", "cannot breathe", "not breathing", "chest pain", "heart attack",
         "stroke", "unconscious", "passed out", "overdose", "suicid*", "kill myself", "bleeding heavily",
         "severe bleeding", "choking", "seizure", "fire", "smell gas", "gas leak", "carbon monoxide", "flooding"},
        {"urgent", "as soon as possible", "right away", "severe pain", "high fever", "allergic reaction", "no heat",
         "no hot water", "water leak", "leaking", "locked out", "broken window", "break in", "injur*"},
        {"human", "real person", "a person", "live person", "live agent", "an agent", "representative",
         "operator", "manager", "supervisor", "someone else", "talk to someone", "speak to someone",
         "speak with someone"},
        {"i don't know", "not sure", "i'm not sure", "no idea", "confused", "i don't understand",
         "what do you mean", "that doesn't make sense"},
    };
    return lists;
}

std::string normalise(std::string_view text) {
    std::string out = " ";
    out.reserve(text.size() + 2);
    for (unsigned char c : text) {
        if (c >= 'A' && c <= 'Z') out.push_back(static_cast<char>(c - 'A' + 'a'));
        else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80) out.push_back(static_cast<char>(c));
        else if (out.back() != ' ') out.push_back(' ');
    }
    // U+2019 (’) is e2 80 99 in UTF-8: punctuation, like the ASCII apostrophe.
    for (std::size_t at; (at = out.find("\xe2\x80\x99")) != std::string::npos;) out.replace(at, 3, " ");
    std::string collapsed;
    collapsed.reserve(out.size() + 1);
    for (char c : out)
        if (c != ' ' || collapsed.empty() || collapsed.back() != ' ') collapsed.push_back(c);
    if (collapsed.back() != ' ') collapsed.push_back(' ');
    return collapsed;
}

detector::detector(const keyword_lists& lists) {
    const std::vector<std::string>* by_signal[4] = {&lists.emergency, &lists.high_priority, &lists.human_request,
                                                     &lists.uncertainty};
    for (int s = 0; s < 4; ++s) {
        for (auto const& p : *by_signal[s]) {
            phrase ph;
            ph.original = p;
            std::string_view body = p;
            if (!body.empty() && body.back() == '*') {
                ph.prefix = true;
                body.remove_suffix(1);
                ph.original.pop_back();
            }
            ph.words = normalise(body);  // " word word "
            if (ph.words == " ") continue;  // punctuation only: matches nothing
            ph.words.pop_back();            // the end is checked in scan(): word or prefix
            lists_[s].push_back(std::move(ph));
        }
    }
}

std::optional<detection> detector::scan(std::string_view text) const {
    const std::string t = normalise(text);
    for (int s = 0; s < 4; ++s) {
        for (auto const& p : lists_[s]) {
            for (std::size_t at = t.find(p.words); at != std::string::npos; at = t.find(p.words, at + 1)) {
                const char next = t[at + p.words.size()];  // t ends with ' ', so this is in range
                if (p.prefix || next == ' ') return detection{static_cast<signal>(s), p.original};
            }
        }
    }
    return std::nullopt;
}

}  // namespace switchboard::escalation
