#include "host/core/business_hours.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

namespace switchboard::core {
namespace {
constexpr int day_seconds = 86400;
constexpr std::size_t max_spec_size = 1000;

constexpr std::array<std::string_view, 7> short_days{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
constexpr std::array<std::string_view, 7> long_days{"sunday",   "monday", "tuesday", "wednesday",
                                                     "thursday", "friday", "saturday"};
constexpr std::array<std::string_view, 7> spoken_days{"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                      "Thursday", "Friday", "Saturday"};
constexpr std::array<int, 7> week_order{1, 2, 3, 4, 5, 6, 0};  // how people read a week: Monday first

std::string_view trim(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> parts;
    std::size_t begin = 0;
    while (true) {
        auto end = s.find(sep, begin);
        parts.push_back(s.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
        if (end == std::string_view::npos) return parts;
        begin = end + 1;
    }
}

std::string without_spaces(std::string_view s) {
    std::string out;
    for (char c : s)
        if (!std::isspace(static_cast<unsigned char>(c))) out += c;
    return out;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

struct parser {
    std::string_view spec;

    [[noreturn]] void fail(const std::string& why) const {
        throw business_hours_error("business hours " + quoted(spec.substr(0, 200)) + ": " + why);
    }

    int day(std::string_view text) const {
        auto name = lower(trim(text));
        for (int i = 0; i < 7; ++i)
            if (name == short_days[i] || name == long_days[i]) return i;
        fail("unknown day " + quoted(trim(text)) + " (days are Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    }

    std::array<bool, 7> days(std::string_view text) const {
        std::array<bool, 7> set{};
        for (auto item : split(text, ',')) {
            if (trim(item).empty()) fail("empty day in " + quoted(trim(text)));
            auto dash = item.find('-');
            if (dash == std::string_view::npos) {
                set[static_cast<std::size_t>(day(item))] = true;
                continue;
            }
            int first = day(item.substr(0, dash)), last = day(item.substr(dash + 1));
            for (int d = first;; d = (d + 1) % 7) {  // "Fri-Mon" wraps over the weekend
                set[static_cast<std::size_t>(d)] = true;
                if (d == last) break;
            }
        }
        return set;
    }

    // "9:00", "09:00", "24:00" -> seconds after midnight.
    int clock(std::string_view text, std::string_view range_text) const {
        auto bad = [&](const std::string& why) {
            fail("bad time " + quoted(text) + " in " + quoted(range_text) + " (" + why + ")");
        };
        auto colon = text.find(':');
        if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3)
            bad("expected HH:MM");
        for (std::size_t i = 0; i < text.size(); ++i)
            if (i != colon && !std::isdigit(static_cast<unsigned char>(text[i]))) bad("expected HH:MM");
        int h = std::stoi(std::string(text.substr(0, colon)));
        int m = std::stoi(std::string(text.substr(colon + 1)));
        if (m > 59) bad("minutes are 00..59");
        if (h > 24 || (h == 24 && m != 0)) bad("hours are 00..23, or 24:00 as an end");
        return h * 3600 + m * 60;
    }
};
}  // namespace

business_hours business_hours::parse(std::string_view spec) {
    parser p{spec};
    if (spec.size() > max_spec_size) p.fail("longer than " + std::to_string(max_spec_size) + " characters");
    business_hours hours;
    auto all = lower(trim(spec));
    if (all.empty()) p.fail("empty (expected e.g. \"Mon-Fri 09:00-17:00\", \"24/7\" or \"closed\")");
    if (all == "24/7") {
        for (auto& d : hours.days_) d = {{0, day_seconds}};
        return hours;
    }
    if (all == "closed") return hours;

    bool any = false;
    for (auto raw : split(spec, ';')) {
        auto clause = trim(raw);
        if (clause.empty()) continue;  // "...; " at the end
        any = true;
        auto lc = lower(clause);

        std::string_view days_text, hours_text;
        bool closed = false, whole_day = false;
        if (lc.size() >= 6 && lc.compare(lc.size() - 6, 6, "closed") == 0) {
            closed = true;
            days_text = clause.substr(0, clause.size() - 6);
        } else if (lc.size() >= 4 && lc.compare(lc.size() - 4, 4, "24/7") == 0) {
            whole_day = true;
            days_text = clause.substr(0, clause.size() - 4);
        } else {
            auto digit = std::find_if(clause.begin(), clause.end(),
                                      [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
            if (digit == clause.end())
                p.fail("no hours in " + quoted(clause) + " (expected e.g. \"Mon-Fri 09:00-17:00\" or \"Sun closed\")");
            auto at = static_cast<std::size_t>(digit - clause.begin());
            days_text = clause.substr(0, at);
            hours_text = clause.substr(at);
        }
        days_text = trim(days_text);
        if (!days_text.empty() && days_text.back() == ':') days_text = trim(days_text.substr(0, days_text.size() - 1));

        std::array<bool, 7> selected{};
        if (days_text.empty())
            selected.fill(true);
        else
            selected = p.days(days_text);

        std::vector<range> list;
        if (whole_day) {
            list = {{0, day_seconds}};
        } else if (!closed) {
            for (auto part : split(hours_text, ',')) {
                auto text = without_spaces(part);
                if (text.empty()) p.fail("empty time range in " + quoted(clause));
                auto dash = text.find('-');
                if (dash == std::string::npos)
                    p.fail("bad time range " + quoted(text) + " (expected HH:MM-HH:MM)");
                std::string_view tv(text);
                int start = p.clock(tv.substr(0, dash), tv);
                int end = p.clock(tv.substr(dash + 1), tv);
                if (start == day_seconds) p.fail("range " + quoted(text) + " starts at 24:00 (use 00:00)");
                if (end == start)
                    p.fail("range " + quoted(text) + " is empty (use 00:00-24:00 for a whole day)");
                if (end < start) end += day_seconds;  // crosses midnight: belongs to the start day
                list.push_back({start, end});
            }
            std::sort(list.begin(), list.end(), [](const range& a, const range& b) { return a.start < b.start; });
            for (std::size_t i = 1; i < list.size(); ++i)
                if (list[i].start < list[i - 1].end) p.fail("time ranges overlap in " + quoted(clause));
        }
        for (std::size_t d = 0; d < 7; ++d)
            if (selected[d]) hours.days_[d] = list;
    }
    if (!any) p.fail("empty (expected e.g. \"Mon-Fri 09:00-17:00\", \"24/7\" or \"closed\")");
    return hours;
}

bool business_hours::never_open() const {
    return std::all_of(days_.begin(), days_.end(), [](const auto& d) { return d.empty(); });
}

bool business_hours::open_at(const time_zone& zone, time_point t) const {
    auto lt = zone.to_local(t);
    int now = lt.hour * 3600 + lt.minute * 60 + lt.second;
    for (const auto& r : days_[static_cast<std::size_t>(lt.weekday)])
        if (now >= r.start && now < r.end) return true;
    // Yesterday's ranges that cross midnight.
    for (const auto& r : days_[static_cast<std::size_t>((lt.weekday + 6) % 7)])
        if (r.end > day_seconds && now < r.end - day_seconds) return true;
    return false;
}

namespace {
std::int64_t seconds_of(time_point t) {
    return std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
}
time_point from_seconds(std::int64_t s) {
    return time_point(std::chrono::duration_cast<time_point::duration>(std::chrono::seconds(s)));
}
}  // namespace

std::optional<time_point> business_hours::next_opening(const time_zone& zone, time_point from) const {
    if (open_at(zone, from)) return from;
    if (never_open()) return std::nullopt;
    // Opening happens when the wall clock reaches a range's start (once, or twice in
    // the hour repeated when clocks go back) or when the clocks jump into a range.
    // Collect those instants and take the first that is open.
    const time_point limit = from + std::chrono::hours(24 * 8);
    auto lt = zone.to_local(from);
    std::vector<time_point> candidates;
    for (int i = -1; i <= 8; ++i) {
        auto weekday = static_cast<std::size_t>(((lt.weekday + i) % 7 + 7) % 7);
        for (const auto& r : days_[weekday])
            for (auto which : {time_zone::choose::earliest, time_zone::choose::latest})
                candidates.push_back(zone.to_utc(lt.year, lt.month, lt.day + i, 0, 0, r.start, which));
        // A change of UTC offset during this local day.
        auto lo = seconds_of(zone.to_utc(lt.year, lt.month, lt.day + i, 0, 0, 0));
        auto hi = seconds_of(zone.to_utc(lt.year, lt.month, lt.day + i + 1, 0, 0, 0));
        int target = zone.at(from_seconds(hi)).utc_offset_seconds;
        if (zone.at(from_seconds(lo)).utc_offset_seconds != target) {
            while (lo + 1 < hi) {
                auto mid = lo + (hi - lo) / 2;
                (zone.at(from_seconds(mid)).utc_offset_seconds == target ? hi : lo) = mid;
            }
            candidates.push_back(from_seconds(hi));
        }
    }
    std::sort(candidates.begin(), candidates.end());
    for (auto c : candidates)
        if (c > from && c <= limit && open_at(zone, c)) return c;
    return std::nullopt;
}

namespace {
std::string spoken_time(int seconds) {
    seconds %= day_seconds;
    if (seconds == 0) return "midnight";
    if (seconds == 12 * 3600) return "noon";
    int h = seconds / 3600, m = seconds / 60 % 60;
    std::string out = std::to_string(h % 12 == 0 ? 12 : h % 12);
    if (m != 0) out += (m < 10 ? ":0" : ":") + std::to_string(m);
    return out + (h < 12 ? " AM" : " PM");
}

std::string join_spoken(const std::vector<std::string>& items) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
        out += items[i];
    }
    return out;
}
}  // namespace

std::string business_hours::describe() const {
    if (never_open()) return "Closed";
    const std::vector<range> whole{{0, day_seconds}};
    if (std::all_of(days_.begin(), days_.end(), [&](const auto& d) { return d == whole; }))
        return "Open 24 hours a day, 7 days a week";

    std::vector<std::string> groups;
    std::array<bool, 7> done{};
    for (int pos = 0; pos < 7; ++pos) {
        auto d = static_cast<std::size_t>(week_order[static_cast<std::size_t>(pos)]);
        if (done[d] || days_[d].empty()) continue;
        // Every day (in reading order) with the same hours, as runs "Monday to Friday".
        std::vector<int> positions;
        for (int q = pos; q < 7; ++q) {
            auto e = static_cast<std::size_t>(week_order[static_cast<std::size_t>(q)]);
            if (!done[e] && days_[e] == days_[d]) {
                done[e] = true;
                positions.push_back(q);
            }
        }
        std::vector<std::string> day_items;
        if (positions.size() == 7) {
            day_items.push_back("Every day");
        } else {
            for (std::size_t i = 0; i < positions.size();) {
                std::size_t j = i;
                while (j + 1 < positions.size() && positions[j + 1] == positions[j] + 1) ++j;
                auto name = [&](std::size_t k) {
                    return std::string(spoken_days[static_cast<std::size_t>(week_order[static_cast<std::size_t>(positions[k])])]);
                };
                if (j - i >= 2) {
                    day_items.push_back(name(i) + " to " + name(j));
                } else {
                    for (std::size_t k = i; k <= j; ++k) day_items.push_back(name(k));
                }
                i = j + 1;
            }
        }
        std::vector<std::string> range_items;
        for (const auto& r : days_[d])
            range_items.push_back(r == whole.front() ? "24 hours"
                                                     : spoken_time(r.start) + " to " + spoken_time(r.end));
        groups.push_back(join_spoken(day_items) + ", " + join_spoken(range_items));
    }
    std::string out;
    for (const auto& g : groups) out += (out.empty() ? "" : "; ") + g;
    return out;
}

}  // namespace switchboard::core
