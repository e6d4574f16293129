// A small thread-safe Prometheus registry (text exposition format 0.0.4), no
// external dependencies.
//
// Hot path: a family maps label values to a series in an unordered_map under a
// shared_mutex, looked up heterogeneously with the caller's string_views, so
// incrementing an existing series takes a shared lock, hashes the values and
// does one atomic add: no allocation. Only the first use of a label set allocates
// (exclusive lock). Series live as long as the registry, so callers may also keep
// the returned reference as a pre-resolved handle and skip the lookup entirely.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace switchboard::ops {

// Only ever grows (Prometheus counters reset only with the process).
class counter {
public:
    void inc(double by = 1.0) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0.0};
};

class gauge {
public:
    void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
    void inc(double by = 1.0) noexcept { value_.fetch_add(by, std::memory_order_relaxed); }
    void dec(double by = 1.0) noexcept { value_.fetch_add(-by, std::memory_order_relaxed); }
    double value() const noexcept { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<double> value_{0.0};
};

// Buckets are fixed per family. Counts are kept per bucket (not cumulative) and
// summed at render time, so an observation is one bucket add plus the sum add.
class histogram {
public:
    explicit histogram(std::span<const double> bounds);
    void observe(double v) noexcept;
    // Per-bucket counts, the last one for +Inf; sum of observed values.
    std::vector<std::uint64_t> bucket_counts() const;
    double sum() const noexcept { return sum_.load(std::memory_order_relaxed); }

private:
    std::span<const double> bounds_;  // owned by the family
    std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // bounds_.size() + 1
    std::atomic<double> sum_{0.0};
};

// 0.5 ms .. 10 s: HTTP handlers and plugin calls.
inline constexpr std::array<double, 14> default_latency_buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                                0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

enum class metric_type { counter, gauge, histogram };

namespace detail {
// Label values as stored (owning) and as looked up (views), hashed alike.
struct labels_hash {
    using is_transparent = void;
    std::size_t operator()(std::span<const std::string_view> v) const noexcept;
    std::size_t operator()(const std::vector<std::string>& v) const noexcept;
};
struct labels_equal {
    using is_transparent = void;
    bool operator()(const std::vector<std::string>& a, const std::vector<std::string>& b) const noexcept {
        return a == b;
    }
    bool operator()(std::span<const std::string_view> a, const std::vector<std::string>& b) const noexcept;
    bool operator()(const std::vector<std::string>& a, std::span<const std::string_view> b) const noexcept {
        return (*this)(b, a);
    }
};

class family_base {
public:
    family_base(std::string name, std::string help, std::vector<std::string> label_names, metric_type type);
    virtual ~family_base() = default;
    const std::string& name() const noexcept { return name_; }
    const std::string& help() const noexcept { return help_; }
    const std::vector<std::string>& label_names() const noexcept { return label_names_; }
    metric_type type() const noexcept { return type_; }
    virtual void render(std::string& out) const = 0;

protected:
    void check_arity(std::size_t n) const;  // throws std::invalid_argument naming the family

private:
    std::string name_;
    std::string help_;
    std::vector<std::string> label_names_;
    metric_type type_;
};

template <typename Series>
class series_map {
public:
    template <typename Make>
    Series& get(std::span<const std::string_view> values, Make&& make) {
        {
            std::shared_lock lock(mutex_);
            if (auto it = map_.find(values); it != map_.end()) return *it->second;
        }
        std::unique_lock lock(mutex_);
        if (auto it = map_.find(values); it != map_.end()) return *it->second;  // raced with another writer
        std::vector<std::string> key(values.begin(), values.end());
        auto [it, _] = map_.emplace(std::move(key), make());
        return *it->second;
    }
    // Calls fn(label values, series) for each series, sorted by label values so the
    // output is stable.
    template <typename Fn>
    void for_each_sorted(Fn&& fn) const {
        std::shared_lock lock(mutex_);
        std::vector<const typename map_type::value_type*> items;
        items.reserve(map_.size());
        for (const auto& kv : map_) items.push_back(&kv);
        std::sort(items.begin(), items.end(), [](auto* a, auto* b) { return a->first < b->first; });
        for (auto* kv : items) fn(kv->first, *kv->second);
    }

private:
    using map_type = std::unordered_map<std::vector<std::string>, std::unique_ptr<Series>, labels_hash, labels_equal>;
    mutable std::shared_mutex mutex_;
    map_type map_;
};
}  // namespace detail

class counter_family : public detail::family_base {
public:
    counter_family(std::string name, std::string help, std::vector<std::string> label_names);
    // Values in the order of the label names. Throws std::invalid_argument on a wrong count.
    counter& with(std::initializer_list<std::string_view> values) { return with(std::span(values.begin(), values.size())); }
    counter& with(std::span<const std::string_view> values);
    void render(std::string& out) const override;

private:
    detail::series_map<counter> series_;
};

class gauge_family : public detail::family_base {
public:
    gauge_family(std::string name, std::string help, std::vector<std::string> label_names);
    gauge& with(std::initializer_list<std::string_view> values) { return with(std::span(values.begin(), values.size())); }
    gauge& with(std::span<const std::string_view> values);
    void render(std::string& out) const override;

private:
    detail::series_map<gauge> series_;
};

class histogram_family : public detail::family_base {
public:
    // `bounds` must be strictly increasing and finite; +Inf is implicit.
    histogram_family(std::string name, std::string help, std::vector<std::string> label_names,
                     std::vector<double> bounds);
    histogram& with(std::initializer_list<std::string_view> values) {
        return with(std::span(values.begin(), values.size()));
    }
    histogram& with(std::span<const std::string_view> values);
    const std::vector<double>& bounds() const noexcept { return bounds_; }
    void render(std::string& out) const override;

private:
    std::vector<double> bounds_;
    detail::series_map<histogram> series_;
};

// Owns the families. Asking twice for the same name returns the same family when
// type and label names agree, and throws std::invalid_argument otherwise.
class registry {
public:
    counter_family& counter(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
    gauge_family& gauge(const std::string& name, const std::string& help, std::vector<std::string> labels = {});
    histogram_family& histogram(const std::string& name, const std::string& help, std::vector<std::string> labels = {},
                                std::vector<double> bounds = {default_latency_buckets.begin(),
                                                              default_latency_buckets.end()});

    // Run at the start of every render(), e.g. to set gauges from the store. A hook
    // that throws is logged and the scrape goes on.
    void on_scrape(std::function<void()> hook);

    // Families sorted by name, each with HELP and TYPE lines.
    std::string render() const;

    static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

private:
    template <typename Family, typename... Args>
    Family& get_or_add(const std::string& name, const std::string& help,
                       std::vector<std::string> labels, Args&&... args);

    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<detail::family_base>> families_;
    std::vector<std::function<void()>> hooks_;
};

// Prometheus text helpers, exposed for tests.
std::string escape_label_value(std::string_view v);
std::string escape_help(std::string_view v);
std::string format_value(double v);  // "1", "0.25", "+Inf", "-Inf", "NaN"

}  // namespace switchboard::ops
