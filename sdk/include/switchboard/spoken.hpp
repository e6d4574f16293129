// Turning text into what a voice assistant can say: Markdown and links removed, one
// line, whole sentences within a length budget, and lists, times, dates and money the
// way a person says them. Header-only and light: tool plugins include it.
#pragma once

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::sdk::spoken {

namespace detail {
inline bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline bool starts_with(std::string_view s, std::size_t at, std::string_view what) {
    return s.substr(at, what.size()) == what;
}
// A URL starts a word: "www." inside an e-mail address ("ann@www.example") is not one.
inline bool url_at(std::string_view s, std::size_t at) {
    if (at > 0 && !space(s[at - 1]) && s[at - 1] != '(' && s[at - 1] != '"' && s[at - 1] != '\'') return false;
    return starts_with(s, at, "http://") || starts_with(s, at, "https://") || starts_with(s, at, "www.");
}
// "<b>", "</p>", "<br/>", "<!-- -->" are tags; "rent < $500" is not.
inline bool tag_at(std::string_view s, std::size_t at) {
    if (at + 1 >= s.size() || s.find('>', at) == std::string_view::npos) return false;
    const char n = s[at + 1];
    return std::isalpha(static_cast<unsigned char>(n)) || n == '/' || n == '!';
}
inline void end_sentence(std::string& out) {
    while (!out.empty() && out.back() == ' ') out.pop_back();
    if (!out.empty() && out.back() != '.' && out.back() != '!' && out.back() != '?' && out.back() != ':' &&
        out.back() != ',')
        out.push_back('.');
}
}  // namespace detail

// Markdown to one plain line: headings, emphasis, code (fenced blocks dropped), links
// (their text kept), images, bare URLs, HTML tags, list bullets and table pipes go;
// list items and headings become sentences; whitespace collapses to single spaces.
inline std::string plain_text(std::string_view md) {
    std::string out;
    bool fenced = false;
    std::size_t pos = 0;
    while (pos <= md.size()) {
        auto nl = md.find('\n', pos);
        std::string_view line = md.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? md.size() + 1 : nl + 1;
        while (!line.empty() && detail::space(line.front())) line.remove_prefix(1);
        while (!line.empty() && detail::space(line.back())) line.remove_suffix(1);
        if (line.substr(0, 3) == "```" || line.substr(0, 3) == "~~~") {
            fenced = !fenced;
            continue;
        }
        if (fenced || line.empty()) {
            if (line.empty()) detail::end_sentence(out);
            continue;
        }
        bool sentence = false;  // headings and list items end as sentences
        if (line.front() == '#') {
            while (!line.empty() && line.front() == '#') line.remove_prefix(1);
            sentence = true;
        } else if (line.size() > 1 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') {
            line.remove_prefix(2);
            sentence = true;
        } else if (line.front() == '|') {  // a table row is a sentence
            sentence = true;
        } else if (line.front() == '>') {
            line.remove_prefix(1);
        } else {
            std::size_t d = 0;
            while (d < line.size() && line[d] >= '0' && line[d] <= '9') ++d;
            if (d > 0 && d + 1 < line.size() && (line[d] == '.' || line[d] == ')') && line[d + 1] == ' ') {
                line.remove_prefix(d + 2);
                sentence = true;
            }
        }
        // A table rule (|---|:--:|) says nothing.
        if (line.find_first_not_of("|-: ") == std::string_view::npos) continue;
        std::string text;
        for (std::size_t i = 0; i < line.size();) {
            const char c = line[i];
            if (c == '!' && i + 1 < line.size() && line[i + 1] == '[') {  // image: dropped
                auto close = line.find(']', i);
                auto paren = close == std::string_view::npos ? close : line.find(')', close);
                i = paren == std::string_view::npos ? line.size() : paren + 1;
            } else if (c == '[') {  // link: its text
                auto close = line.find(']', i);
                if (close != std::string_view::npos && close + 1 < line.size() && line[close + 1] == '(') {
                    auto paren = line.find(')', close);
                    text.append(line.substr(i + 1, close - i - 1));
                    i = paren == std::string_view::npos ? line.size() : paren + 1;
                } else {
                    ++i;
                }
            } else if (detail::url_at(line, i)) {
                while (i < line.size() && !detail::space(line[i])) ++i;  // bare URL: dropped
            } else if (c == '<' && detail::tag_at(line, i)) {  // an HTML tag (or autolink): dropped
                i = line.find('>', i) + 1;
            } else if (c == '*' || c == '_' || c == '`' || c == '~') {
                // Emphasis marks; an underscore inside a word (snake_case) stays.
                const bool inner = c == '_' && i > 0 && i + 1 < line.size() && std::isalnum(static_cast<unsigned char>(line[i - 1])) &&
                                   std::isalnum(static_cast<unsigned char>(line[i + 1]));
                if (inner) text.push_back(c);
                ++i;
            } else if (c == '|') {  // table cells: "a, b"
                while (!text.empty() && text.back() == ' ') text.pop_back();
                if (!text.empty() && text.back() != ',') text += ',';
                text += ' ';
                ++i;
            } else {
                text.push_back(c);
                ++i;
            }
        }
        while (!text.empty() && (detail::space(text.back()) || text.back() == ',')) text.pop_back();
        std::size_t lead = 0;
        while (lead < text.size() && (detail::space(text[lead]) || text[lead] == ',')) ++lead;
        text.erase(0, lead);
        if (text.empty()) continue;
        if (!out.empty() && out.back() != ' ') out.push_back(' ');
        out += text;
        if (sentence) detail::end_sentence(out);
    }
    std::string collapsed;
    for (char c : out) {
        if (detail::space(c)) c = ' ';
        if (c == ' ' && (collapsed.empty() || collapsed.back() == ' ')) continue;
        collapsed.push_back(c);
    }
    while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
    return collapsed;
}

// Sentences: cut after . ! ? followed by a space and then an upper-case letter or a
// digit, or the end; "e.g.", "Mr.", "a.m." and decimals ("$3.50") do not end one.
inline std::vector<std::string> sentences(std::string_view text) {
    static constexpr std::string_view abbreviations[] = {"e.g.", "i.e.", "mr.", "mrs.", "ms.", "dr.", "st.",
                                                          "a.m.", "p.m.", "no.", "vs.", "etc.", "approx."};
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c != '.' && c != '!' && c != '?') continue;
        std::size_t j = i + 1;
        while (j < text.size() && (text[j] == '"' || text[j] == ')' || text[j] == '\'')) ++j;
        if (j < text.size() && !detail::space(text[j])) continue;  // "3.50", "e.g" inside a word
        std::size_t k = j;
        while (k < text.size() && detail::space(text[k])) ++k;
        if (k < text.size() && !(std::isupper(static_cast<unsigned char>(text[k])) || std::isdigit(static_cast<unsigned char>(text[k]))))
            continue;
        if (c == '.') {
            // The word ending here, lower-cased: an abbreviation does not end a sentence.
            std::size_t w = i;
            while (w > start && !detail::space(text[w - 1])) --w;
            std::string word(text.substr(w, i + 1 - w));
            for (auto& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            bool abbreviation = false;
            for (auto a : abbreviations) abbreviation = abbreviation || word == a;
            if (abbreviation && k < text.size()) continue;
        }
        std::string s(text.substr(start, j - start));
        while (!s.empty() && detail::space(s.front())) s.erase(0, 1);
        if (!s.empty()) out.push_back(std::move(s));
        start = k;
        i = k > 0 ? k - 1 : 0;
    }
    if (start < text.size()) {
        std::string s(text.substr(start));
        while (!s.empty() && detail::space(s.back())) s.pop_back();
        while (!s.empty() && detail::space(s.front())) s.erase(0, 1);
        if (!s.empty()) out.push_back(std::move(s));
    }
    return out;
}

// Whole sentences of `text` while they fit in `max_chars`; a first sentence longer
// than that is cut at a word boundary and ends with a period.
inline std::string clip(std::string_view text, std::size_t max_chars) {
    std::string out;
    for (auto const& s : sentences(text)) {
        const std::size_t need = out.empty() ? s.size() : out.size() + 1 + s.size();
        if (need <= max_chars) {
            out += (out.empty() ? "" : " ") + s;
            continue;
        }
        if (out.empty()) {
            std::string cut = s.substr(0, max_chars > 0 ? max_chars - 1 : 0);
            auto space = cut.find_last_of(' ');
            if (space != std::string::npos && space > 0) cut.erase(space);
            while (!cut.empty() && (cut.back() == ',' || cut.back() == ';' || cut.back() == ':')) cut.pop_back();
            if (!cut.empty()) cut.push_back('.');
            out = cut;
        }
        break;
    }
    return out;
}

// "a", "a and b", "a, b and c".
inline std::string join_list(const std::vector<std::string>& items, std::string_view conjunction = "and") {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += i + 1 == items.size() ? " " + std::string(conjunction) + " " : ", ";
        out += items[i];
    }
    return out;
}

// "9 AM", "9:30 AM", "noon", "midnight", "12:15 PM".
inline std::string time_of_day(int hour24, int minute) {
    if (minute == 0 && hour24 == 12) return "noon";
    if (minute == 0 && (hour24 == 0 || hour24 == 24)) return "midnight";
    const int h = hour24 % 12 == 0 ? 12 : hour24 % 12;
    std::string out = std::to_string(h);
    if (minute != 0) out += (minute < 10 ? ":0" : ":") + std::to_string(minute);
    return out + (hour24 % 24 < 12 ? " AM" : " PM");
}

// 1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 101st 111th.
inline std::string ordinal(int n) {
    const int tens = (n % 100 + 100) % 100, ones = (n % 10 + 10) % 10;
    const char* suffix = (tens >= 11 && tens <= 13) ? "th" : ones == 1 ? "st" : ones == 2 ? "nd" : ones == 3 ? "rd" : "th";
    return std::to_string(n) + suffix;
}

// "Tuesday, March 3rd" (weekday 0 = Sunday; -1: without it). No year: dates said on a
// call are near.
inline std::string date(int year, int month, int day, int weekday = -1) {
    (void)year;
    static constexpr const char* months[] = {"January", "February", "March",     "April",   "May",      "June",
                                             "July",    "August",   "September", "October", "November", "December"};
    static constexpr const char* days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    std::string out;
    if (weekday >= 0 && weekday < 7) out = std::string(days[weekday]) + ", ";
    if (month >= 1 && month <= 12) out += std::string(months[month - 1]) + " ";
    return out + ordinal(day);
}

// "$1,250", "$1,250.50", "$0.99", "minus $5".
inline std::string money(double amount) {
    const bool negative = amount < 0;
    const auto cents = static_cast<long long>((negative ? -amount : amount) * 100 + 0.5);
    std::string whole = std::to_string(cents / 100);
    for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<std::size_t>(i), ",");
    std::string out = "$" + whole;
    if (const auto frac = cents % 100; frac != 0) {
        out += '.';
        out += static_cast<char>('0' + frac / 10);
        out += static_cast<char>('0' + frac % 10);
    }
    return negative ? "minus " + out : out;
}

// "1 bedroom", "2 bedrooms", "no bedrooms".
inline std::string count(long long n, std::string_view singular, std::string_view plural) {
    if (n == 0) return "no " + std::string(plural);
    return std::to_string(n) + " " + std::string(n == 1 ? singular : plural);
}

}  // namespace switchboard::sdk::spoken
