// Cutting a document into the chunks the search index holds: by Markdown heading
// first (a chunk never spans two sections), then by paragraph, packed up to a target
// length, with the end of one chunk repeated at the start of the next in the same
// section, so a fact that straddles the cut is still found whole in one chunk.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::knowledge {

struct chunk {
    std::string heading;  // the heading path ("Pets > Dogs"); empty before any heading
    std::string text;     // the chunk's text, Markdown kept as written, trimmed
};

struct chunk_options {
    std::size_t target_words = 160;  // a chunk closes at the first paragraph end past this
    std::size_t max_words = 260;     // a longer paragraph is cut at sentence ends (words as a last resort)
    std::size_t overlap_words = 30;  // the previous chunk's tail (whole sentences) repeated in the next
};

// Deterministic; empty or blank input gives no chunks.
std::vector<chunk> split_document(std::string_view text, const chunk_options& options = {});

}  // namespace switchboard::knowledge
