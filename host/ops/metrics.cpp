#include "host/ops/metrics.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <stdexcept>

namespace switchboard::ops {
namespace {

bool valid_metric_name(std::string_view n) noexcept {
    if (n.empty()) return false;
    for (std::size_t i = 0; i < n.size(); ++i) {
        const char c = n[i];
        const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
        if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
    }
    return true;
}

bool valid_label_name(std::string_view n) noexcept {
    return valid_metric_name(n) && n.find(':') == std::string_view::npos && !n.starts_with("__");
}

const char* type_name(metric_type t) noexcept {
    switch (t) {
        case metric_type::counter: return "counter";
        case metric_type::gauge: return "gauge";
        case metric_type::histogram: return "histogram";
    }
    return "untyped";
}

// `{a="x",b="y"}` plus an optional extra label (histogram `le`); empty when no labels.
void append_labels(std::string& out, const std::vector<std::string>& names, const std::vector<std::string>& values,
                   std::string_view extra_name = {}, std::string_view extra_value = {}) {
    if (names.empty() && extra_name.empty()) return;
    out += '{';
    bool first = true;
    auto one = [&](std::string_view n, std::string_view v) {
        if (!first) out += ',';
        first = false;
        out += n;
        out += "=\"";
        out += escape_label_value(v);
        out += '"';
    };
    for (std::size_t i = 0; i < names.size(); ++i) one(names[i], values[i]);
    if (!extra_name.empty()) one(extra_name, extra_value);
    out += '}';
}

void append_header(std::string& out, const detail::family_base& f) {
    out += "# HELP ";
    out += f.name();
    out += ' ';
    out += escape_help(f.help());
    out += "\n# TYPE ";
    out += f.name();
    out += ' ';
    out += type_name(f.type());
    out += '\n';
}

void append_sample(std::string& out, std::string_view name, const std::vector<std::string>& names,
                   const std::vector<std::string>& values, double v, std::string_view extra_name = {},
                   std::string_view extra_value = {}) {
    out += name;
    append_labels(out, names, values, extra_name, extra_value);
    out += ' ';
    out += format_value(v);
    out += '\n';
}

}  // namespace

std::string escape_label_value(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string escape_help(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

std::string format_value(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    return fmt::format("{}", v);  // shortest round-trip form: 1, 0.25, 1e+20
}

// --- histogram ----------------------------------------------------------------

histogram::histogram(std::span<const double> bounds)
    : bounds_(bounds), counts_(new std::atomic<std::uint64_t>[bounds.size() + 1]) {
    for (std::size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
}

void histogram::observe(double v) noexcept {
    // Prometheus buckets are "less than or equal": v == bound counts in that bucket.
    const auto idx = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin());
    counts_[idx].fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(v, std::memory_order_relaxed);
}

std::vector<std::uint64_t> histogram::bucket_counts() const {
    std::vector<std::uint64_t> out(bounds_.size() + 1);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = counts_[i].load(std::memory_order_relaxed);
    return out;
}

// --- label hashing ------------------------------------------------------------

namespace detail {

std::size_t labels_hash::operator()(std::span<const std::string_view> v) const noexcept {
    std::size_t h = 0xcbf29ce484222325ull;
    for (auto s : v) h = (h ^ std::hash<std::string_view>{}(s)) * 0x100000001b3ull;
    return h;
}

std::size_t labels_hash::operator()(const std::vector<std::string>& v) const noexcept {
    std::size_t h = 0xcbf29ce484222325ull;
    for (const auto& s : v) h = (h ^ std::hash<std::string_view>{}(s)) * 0x100000001b3ull;
    return h;
}

bool labels_equal::operator()(std::span<const std::string_view> a, const std::vector<std::string>& b) const noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i]) return false;
    return true;
}

family_base::family_base(std::string name, std::string help, std::vector<std::string> label_names, metric_type type)
    : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)), type_(type) {
    if (!valid_metric_name(name_)) throw std::invalid_argument("metric name '" + name_ + "' is not valid");
    for (const auto& l : label_names_) {
        if (!valid_label_name(l))
            throw std::invalid_argument("metric " + name_ + ": label name '" + l + "' is not valid");
        if (type_ == metric_type::histogram && l == "le")
            throw std::invalid_argument("metric " + name_ + ": histogram label 'le' is reserved");
    }
}

void family_base::check_arity(std::size_t n) const {
    if (n != label_names_.size())
        throw std::invalid_argument(fmt::format("metric {}: expected {} label value(s), got {}", name_,
                                                label_names_.size(), n));
}

}  // namespace detail

// --- families -----------------------------------------------------------------

counter_family::counter_family(std::string name, std::string help, std::vector<std::string> label_names)
    : family_base(std::move(name), std::move(help), std::move(label_names), metric_type::counter) {}

counter& counter_family::with(std::span<const std::string_view> values) {
    check_arity(values.size());
    return series_.get(values, [] { return std::make_unique<counter>(); });
}

void counter_family::render(std::string& out) const {
    append_header(out, *this);
    series_.for_each_sorted([&](const std::vector<std::string>& values, const counter& c) {
        append_sample(out, name(), label_names(), values, c.value());
    });
}

gauge_family::gauge_family(std::string name, std::string help, std::vector<std::string> label_names)
    : family_base(std::move(name), std::move(help), std::move(label_names), metric_type::gauge) {}

gauge& gauge_family::with(std::span<const std::string_view> values) {
    check_arity(values.size());
    return series_.get(values, [] { return std::make_unique<gauge>(); });
}

void gauge_family::render(std::string& out) const {
    append_header(out, *this);
    series_.for_each_sorted([&](const std::vector<std::string>& values, const gauge& g) {
        append_sample(out, name(), label_names(), values, g.value());
    });
}

histogram_family::histogram_family(std::string name, std::string help, std::vector<std::string> label_names,
                                   std::vector<double> bounds)
    : family_base(std::move(name), std::move(help), std::move(label_names), metric_type::histogram),
      bounds_(std::move(bounds)) {
    for (std::size_t i = 0; i < bounds_.size(); ++i) {
        if (!std::isfinite(bounds_[i]) || (i > 0 && bounds_[i] <= bounds_[i - 1]))
            throw std::invalid_argument("metric " + this->name() + ": bucket bounds must be finite and increasing");
    }
}

histogram& histogram_family::with(std::span<const std::string_view> values) {
    check_arity(values.size());
    return series_.get(values, [this] { return std::make_unique<histogram>(bounds_); });
}

void histogram_family::render(std::string& out) const {
    append_header(out, *this);
    const std::string bucket = name() + "_bucket";
    const std::string sum = name() + "_sum";
    const std::string count = name() + "_count";
    series_.for_each_sorted([&](const std::vector<std::string>& values, const histogram& h) {
        const auto counts = h.bucket_counts();  // one snapshot, so buckets and _count agree
        std::uint64_t cumulative = 0;
        for (std::size_t i = 0; i < bounds_.size(); ++i) {
            cumulative += counts[i];
            append_sample(out, bucket, label_names(), values, static_cast<double>(cumulative), "le",
                          format_value(bounds_[i]));
        }
        cumulative += counts.back();
        append_sample(out, bucket, label_names(), values, static_cast<double>(cumulative), "le", "+Inf");
        append_sample(out, sum, label_names(), values, h.sum());
        append_sample(out, count, label_names(), values, static_cast<double>(cumulative));
    });
}

// --- registry -----------------------------------------------------------------

template <typename Family, typename... Args>
Family& registry::get_or_add(const std::string& name, const std::string& help,
                             std::vector<std::string> labels, Args&&... args) {
    std::lock_guard lock(mutex_);
    if (auto it = families_.find(name); it != families_.end()) {
        auto* existing = dynamic_cast<Family*>(it->second.get());
        if (!existing || existing->label_names() != labels)
            throw std::invalid_argument("metric " + name + " is already registered with another type or labels");
        return *existing;
    }
    auto fam = std::make_unique<Family>(name, help, std::move(labels), std::forward<Args>(args)...);
    auto& ref = *fam;
    families_.emplace(name, std::move(fam));
    return ref;
}

counter_family& registry::counter(const std::string& name, const std::string& help, std::vector<std::string> labels) {
    return get_or_add<counter_family>(name, help, std::move(labels));
}

gauge_family& registry::gauge(const std::string& name, const std::string& help, std::vector<std::string> labels) {
    return get_or_add<gauge_family>(name, help, std::move(labels));
}

histogram_family& registry::histogram(const std::string& name, const std::string& help,
                                      std::vector<std::string> labels, std::vector<double> bounds) {
    auto& fam = get_or_add<histogram_family>(name, help, std::move(labels), bounds);
    if (fam.bounds() != bounds)
        throw std::invalid_argument("metric " + name + " is already registered with other buckets");
    return fam;
}

void registry::on_scrape(std::function<void()> hook) {
    std::lock_guard lock(mutex_);
    hooks_.push_back(std::move(hook));
}

std::string registry::render() const {
    std::vector<std::function<void()>> hooks;
    {
        std::lock_guard lock(mutex_);
        hooks = hooks_;
    }
    // Unlocked: a hook may register or look up families.
    for (const auto& hook : hooks) {
        try {
            hook();
        } catch (const std::exception& e) {
            spdlog::warn("metrics: scrape hook failed: {}", e.what());
        } catch (...) {
            spdlog::warn("metrics: scrape hook failed with a non-standard exception");
        }
    }
    std::string out;
    std::lock_guard lock(mutex_);
    for (const auto& [_, fam] : families_) fam->render(out);
    return out;
}

}  // namespace switchboard::ops
