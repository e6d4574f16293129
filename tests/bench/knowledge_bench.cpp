// Knowledge search, alone: index the bench corpus (gen_kb.py JSON Lines, one chunk
// per line) into a fresh Xapian index and run the query list, twice (the first pass
// warms the page cache and is not counted), one query at a time, top 3 — the bench's
// semantics (../shared/bench/README.md, "Knowledge base").
//   bench_knowledge CORPUS.jsonl QUERIES.txt [INDEX_DIR]
// Prints chunks/s for indexing and search latency percentiles; scripts/bench.sh puts
// the peer's FTS5 figures from the same run next to them.
#include "host/knowledge/search_index.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace json = boost::json;
namespace kb = switchboard::knowledge;
using clock_type = std::chrono::steady_clock;

namespace {

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: bench_knowledge CORPUS.jsonl QUERIES.txt [INDEX_DIR]\n";
        return 64;
    }
    const std::filesystem::path dir =
        argc > 3 ? std::filesystem::path(argv[3]) : std::filesystem::temp_directory_path() / "sb-bench-knowledge";
    std::filesystem::remove_all(dir);

    std::vector<kb::search_index::document_update> docs;
    {
        std::ifstream in(argv[1]);
        if (!in) {
            std::cerr << "bench_knowledge: cannot read " << argv[1] << "\n";
            return 1;
        }
        for (std::string line; std::getline(in, line);) {
            if (line.empty()) continue;
            auto o = json::parse(line).as_object();
            std::string id = o.at("id").is_string() ? std::string(o.at("id").as_string()) : json::serialize(o.at("id"));
            kb::indexed_chunk c;
            c.chunk_id = id + "#0";
            c.document_id = id;
            c.title = std::string(o.at("title").as_string());
            c.text = std::string(o.at("text").as_string());
            if (auto const* tags = o.if_contains("tags"); tags && tags->is_array())
                for (auto const& t : tags->as_array())
                    if (t.is_string()) c.tags.emplace_back(t.as_string());
            docs.push_back({id, {std::move(c)}});
        }
    }
    std::vector<std::string> queries;
    {
        std::ifstream in(argv[2]);
        for (std::string q; std::getline(in, q);)
            if (!q.empty()) queries.push_back(q);
    }

    kb::search_index index(dir, "english");
    const auto t0 = clock_type::now();
    constexpr std::size_t batch = 1000;  // as the library applies the store's changes
    std::int64_t seq = 0;
    for (std::size_t i = 0; i < docs.size(); i += batch) {
        std::vector<kb::search_index::document_update> part(docs.begin() + static_cast<std::ptrdiff_t>(i),
                                                            docs.begin() + static_cast<std::ptrdiff_t>(std::min(i + batch, docs.size())));
        seq += static_cast<std::int64_t>(part.size());
        index.apply(part, seq);
    }
    const double index_s = std::chrono::duration<double>(clock_type::now() - t0).count();
    std::printf("knowledge index: %zu chunks in %.1f s = %.0f chunks/s\n", docs.size(), index_s,
                static_cast<double>(docs.size()) / index_s);

    std::vector<double> ms;
    std::size_t answered = 0;
    for (int pass = 0; pass < 2; ++pass) {
        ms.clear();
        answered = 0;
        for (auto const& q : queries) {
            kb::search_request r;
            r.query = q;
            r.limit = 3;
            const auto s = clock_type::now();
            auto hits = index.search(r);
            ms.push_back(std::chrono::duration<double, std::milli>(clock_type::now() - s).count());
            answered += !hits.empty();
        }
    }
    std::printf("knowledge search (xapian, top 3, OR): %zu queries, %zu answered, p50 %.2f ms, p90 %.2f ms, "
                "p99 %.2f ms, max %.2f ms\n",
                queries.size(), answered, percentile(ms, 50), percentile(ms, 90), percentile(ms, 99),
                percentile(ms, 100));
    std::printf("XAPIAN_P50_MS=%.3f XAPIAN_P99_MS=%.3f\n", percentile(ms, 50), percentile(ms, 99));
    std::filesystem::remove_all(dir);
    return 0;
}
