#include "host/plugins/describe.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace switchboard::plugins {

namespace {

// "(string, optional, secret)", "(integer, default 300)", "(string, required)".
std::string key_summary(const declared_key& k) {
    std::string s = "(" + std::string(to_string(k.type));
    if (k.required)
        s += ", required";
    else if (k.default_json && !k.secret)
        s += ", default " + *k.default_json;
    else if (k.default_json)
        s += ", has a default";  // a secret's default is a secret too
    else
        s += ", optional";
    if (k.secret) s += ", secret";
    return s + ")";
}

}  // namespace

std::string describe(const registry& plugins) {
    auto loaded = plugins.plugins();
    std::size_t name_w = 0, version_w = 0;
    for (auto const& p : loaded) {
        name_w = std::max(name_w, p.name.size());
        version_w = std::max(version_w, p.version.size());
    }
    std::string out;
    for (auto const& p : loaded) {
        out += fmt::format("ok     {:<{}}  {:<8}  {:<{}}  {}\n", p.name, name_w, to_string(p.kind), p.version,
                           version_w, p.file.string());
        if (!p.description.empty()) out += fmt::format("       {}\n", p.description);
        std::size_t key_w = 0, summary_w = 0;
        for (auto const& k : p.keys) {
            key_w = std::max(key_w, k.name.size());
            summary_w = std::max(summary_w, key_summary(k).size());
        }
        for (auto const& k : p.keys) {
            std::string line = fmt::format("         {:<{}}  {:<{}}  {}", k.name, key_w, key_summary(k), summary_w,
                                           k.description);
            line.erase(line.find_last_not_of(' ') + 1);
            out += line + "\n";
        }
    }
    for (auto const& f : plugins.failures()) out += "FAILED " + f.message + "\n";
    return out;
}

}  // namespace switchboard::plugins
