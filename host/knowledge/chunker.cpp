#include "host/knowledge/chunker.hpp"

#include <algorithm>

namespace switchboard::knowledge {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return std::string(s);
}

std::size_t count_words(std::string_view s) {
    std::size_t n = 0;
    bool in_word = false;
    for (char c : s) {
        const bool space = is_space(c);
        if (!space && !in_word) ++n;
        in_word = !space;
    }
    return n;
}

// "## Dogs" -> level 2, "Dogs"; 0 when the line is no ATX heading.
int heading_level(std::string_view line, std::string& title) {
    int level = 0;
    while (level < static_cast<int>(line.size()) && line[level] == '#') ++level;
    if (level == 0 || level > 6 || (static_cast<std::size_t>(level) < line.size() && line[level] != ' ')) return 0;
    std::string t = trim(line.substr(level));
    while (!t.empty() && t.back() == '#') t.pop_back();  // closing hashes
    title = trim(t);
    return title.empty() ? 0 : level;
}

// Sentences of a paragraph: cut after . ! ? followed by a space (the space stays out).
std::vector<std::string> sentences(std::string_view p) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t i = 0; i < p.size(); ++i) {
        const char c = p[i];
        if ((c == '.' || c == '!' || c == '?') && (i + 1 == p.size() || is_space(p[i + 1]))) {
            out.push_back(trim(p.substr(start, i + 1 - start)));
            start = i + 1;
        }
    }
    if (start < p.size()) {
        auto last = trim(p.substr(start));
        if (!last.empty()) out.push_back(std::move(last));
    }
    return out;
}

// A paragraph longer than max_words, as pieces of at most max_words: whole sentences
// where possible, words when one sentence is longer still.
std::vector<std::string> cut_long(const std::string& paragraph, std::size_t max_words) {
    std::vector<std::string> pieces;
    std::string current;
    std::size_t words = 0;
    auto flush = [&] {
        if (!current.empty()) pieces.push_back(std::move(current));
        current.clear();
        words = 0;
    };
    for (auto& s : sentences(paragraph)) {
        const std::size_t n = count_words(s);
        if (n > max_words) {
            flush();
            std::string piece;
            std::size_t k = 0;
            std::size_t i = 0;
            while (i < s.size()) {
                while (i < s.size() && is_space(s[i])) ++i;
                std::size_t j = i;
                while (j < s.size() && !is_space(s[j])) ++j;
                if (j > i) {
                    if (k == max_words) {
                        pieces.push_back(std::move(piece));
                        piece.clear();
                        k = 0;
                    }
                    if (!piece.empty()) piece += ' ';
                    piece.append(s, i, j - i);
                    ++k;
                }
                i = j;
            }
            if (!piece.empty()) pieces.push_back(std::move(piece));
            continue;
        }
        if (words + n > max_words) flush();
        if (!current.empty()) current += ' ';
        current += s;
        words += n;
    }
    flush();
    return pieces;
}

// The last whole sentences of `text` within `budget` words (the last sentence alone
// when it is longer); empty for a zero budget.
std::string tail_sentences(const std::string& text, std::size_t budget) {
    if (budget == 0) return {};
    auto all = sentences(text);
    std::string out;
    std::size_t words = 0;
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        const std::size_t n = count_words(*it);
        if (words > 0 && words + n > budget) break;
        if (words == 0 && n > budget) return {};  // one long sentence: no overlap rather than half of it
        out = out.empty() ? *it : *it + " " + out;
        words += n;
    }
    return out;
}

struct section {
    std::string heading;
    std::vector<std::string> paragraphs;
};

std::vector<section> sections_of(std::string_view text) {
    std::vector<section> out(1);
    std::vector<std::string> path;  // titles by level
    std::string paragraph;
    bool fenced = false;
    auto end_paragraph = [&] {
        auto p = trim(paragraph);
        if (!p.empty()) out.back().paragraphs.push_back(std::move(p));
        paragraph.clear();
    };
    std::size_t pos = 0;
    while (pos <= text.size()) {
        auto nl = text.find('\n', pos);
        std::string_view line = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
        pos = nl == std::string_view::npos ? text.size() + 1 : nl + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        const std::string stripped = trim(line);
        if (stripped.rfind("```", 0) == 0 || stripped.rfind("~~~", 0) == 0) fenced = !fenced;
        std::string title;
        const int level = fenced ? 0 : heading_level(stripped, title);
        if (level > 0) {
            end_paragraph();
            path.resize(static_cast<std::size_t>(level));
            path[static_cast<std::size_t>(level) - 1] = title;
            std::string heading;
            for (auto const& t : path)
                if (!t.empty()) heading += (heading.empty() ? "" : " > ") + t;
            out.push_back({heading, {}});
        } else if (stripped.empty() && !fenced) {
            end_paragraph();
        } else {
            if (!paragraph.empty()) paragraph += '\n';
            paragraph.append(line);
        }
    }
    end_paragraph();
    return out;
}

}  // namespace

std::vector<chunk> split_document(std::string_view text, const chunk_options& o) {
    const std::size_t target = std::max<std::size_t>(o.target_words, 1);
    const std::size_t max_words = std::max(o.max_words, target);
    std::vector<chunk> out;
    for (auto& s : sections_of(text)) {
        std::string current, previous;
        std::size_t words = 0;
        auto close = [&] {
            if (words == 0) return;
            out.push_back({s.heading, current});
            previous = current;
            current.clear();
            words = 0;
        };
        for (auto const& paragraph : s.paragraphs) {
            std::vector<std::string> pieces =
                count_words(paragraph) > max_words ? cut_long(paragraph, max_words) : std::vector<std::string>{paragraph};
            for (auto& piece : pieces) {
                const std::size_t n = count_words(piece);
                if (words > 0 && words + n > max_words) close();
                if (words == 0 && !previous.empty()) {
                    // Open with the end of the previous chunk of this section.
                    auto overlap = tail_sentences(previous, o.overlap_words);
                    if (!overlap.empty() && overlap != piece) {
                        current = overlap + "\n\n";
                        words = count_words(overlap);
                    }
                }
                const bool fresh = current.empty() || current.ends_with("\n\n");
                current += fresh ? piece : "\n\n" + piece;
                words += n;
                if (words >= target) close();
            }
        }
        // What is left is a chunk of its own unless it is only the repeated overlap.
        if (words > 0) close();
    }
    return out;
}

}  // namespace switchboard::knowledge
