#include "host/http/router.hpp"

#include "host/http/url.hpp"

#include <algorithm>
#include <stdexcept>

namespace switchboard::http {
namespace {

// Splits "/a/b/" into {"a", "b"}: one trailing slash is tolerated, "/" has no segments.
// Views into `path`; `out` is reused so a match allocates at most once.
void split(std::string_view path, std::vector<std::string_view>& out) {
    out.clear();
    if (!path.empty() && path.front() == '/') path.remove_prefix(1);
    if (!path.empty() && path.back() == '/') path.remove_suffix(1);
    if (path.empty()) return;
    for (;;) {
        auto slash = path.find('/');
        out.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
}

}  // namespace

route& router::add(std::string method, std::string pattern, access who, route_doc doc, handler fn) {
    std::vector<std::string_view> parts;
    split(pattern, parts);
    std::vector<segment> segs;
    segs.reserve(parts.size());
    for (auto part : parts) {
        if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
            segs.push_back({std::string(part.substr(1, part.size() - 2)), true});
        } else {
            if (part.empty() || part.find_first_of("{}") != std::string_view::npos)
                throw std::invalid_argument("route pattern \"" + pattern + "\": bad segment \"" + std::string(part) + "\"");
            segs.push_back({std::string(part), false});
        }
    }
    // Two routes with the same method and shape would make one unreachable.
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        if (routes_[i]->method != method || patterns_[i].size() != segs.size()) continue;
        bool same = std::equal(segs.begin(), segs.end(), patterns_[i].begin(), [](const segment& a, const segment& b) {
            return a.param == b.param && (a.param || a.text == b.text);
        });
        if (same)
            throw std::invalid_argument("route " + method + " " + pattern + " duplicates " + routes_[i]->pattern);
    }
    auto r = std::make_unique<route>();
    r->method = std::move(method);
    r->pattern = std::move(pattern);
    r->who = who;
    r->doc = std::move(doc);
    r->fn = std::move(fn);
    routes_.push_back(std::move(r));
    patterns_.push_back(std::move(segs));
    return *routes_.back();
}

match_result router::match(std::string_view method, std::string_view path) const {
    match_result result;
    if (auto q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
    thread_local std::vector<std::string_view> parts;
    split(path, parts);

    auto path_matches = [&](const std::vector<segment>& segs) {
        if (segs.size() != parts.size()) return false;
        for (std::size_t k = 0; k < segs.size(); ++k) {
            const auto& raw = parts[k];
            if (segs[k].param) {
                if (raw.empty()) return false;
            } else if (raw != segs[k].text) {
                if (raw.find('%') == std::string_view::npos || percent_decode(raw) != segs[k].text) return false;
            }
        }
        return true;
    };
    // At the first segment where two matching patterns differ, the literal one wins.
    auto more_specific = [](const std::vector<segment>& a, const std::vector<segment>& b) {
        for (std::size_t k = 0; k < a.size(); ++k)
            if (a[k].param != b[k].param) return !a[k].param;
        return false;
    };

    std::ptrdiff_t best = -1, best_get = -1;
    bool any_get = false;
    for (std::size_t i = 0; i < routes_.size(); ++i) {
        if (!path_matches(patterns_[i])) continue;
        const auto& m = routes_[i]->method;
        if (std::find(result.allowed.begin(), result.allowed.end(), m) == result.allowed.end()) result.allowed.push_back(m);
        if (m == method && (best < 0 || more_specific(patterns_[i], patterns_[best]))) best = static_cast<std::ptrdiff_t>(i);
        if (m == "GET") {
            any_get = true;
            if (best_get < 0 || more_specific(patterns_[i], patterns_[best_get])) best_get = static_cast<std::ptrdiff_t>(i);
        }
    }
    if (any_get && std::find(result.allowed.begin(), result.allowed.end(), "HEAD") == result.allowed.end())
        result.allowed.push_back("HEAD");
    if (best < 0 && method == "HEAD") best = best_get;
    if (best < 0) return result;  // no route, or only other methods (405 with `allowed`)

    result.found = routes_[best].get();
    const auto& segs = patterns_[best];
    for (std::size_t k = 0; k < segs.size(); ++k)
        if (segs[k].param) result.params.insert_or_assign(segs[k].text, percent_decode(parts[k]));
    result.allowed.clear();
    return result;
}

match_result router::match(const request& req) const {
    return match(req.method, req.raw_path.empty() ? std::string_view(req.path) : std::string_view(req.raw_path));
}

}  // namespace switchboard::http
