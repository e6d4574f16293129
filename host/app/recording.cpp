#include "host/app/recording.hpp"

#include <boost/json/stream_parser.hpp>
#include <boost/json/value.hpp>

namespace switchboard::app {
namespace json = boost::json;

namespace {

// A string at `key` in the envelope (Vapi's `message`) first, then at the top level:
// recordings from other providers have no envelope.
std::string field(const json::object& root, const json::object* envelope, const char* key, const char* sub) {
    for (auto const* o : {envelope, &root}) {
        if (!o) continue;
        auto const* v = o->if_contains(key);
        if (v && sub) {
            auto const* inner = v->is_object() ? v->as_object().if_contains(sub) : nullptr;
            v = inner;
        }
        if (v && v->is_string()) return std::string(v->as_string());
    }
    return {};
}

void describe(recorded_line& line) {
    json::parse_options opts;
    opts.allow_invalid_utf8 = true;  // the host decides what it accepts; we only label
    json::stream_parser p({}, opts);
    boost::system::error_code ec;
    // write() reports how far it got: that is the column to show.
    auto used = p.write(line.body.data(), line.body.size(), ec);
    if (!ec) p.finish(ec);
    if (ec) {
        line.error = "invalid JSON at column " + std::to_string(used + 1) + ": " + ec.message();
        return;
    }
    auto v = p.release();
    if (!v.is_object()) return;  // valid JSON the host will refuse: sent as is
    auto const& root = v.as_object();
    auto const* m = root.if_contains("message");
    auto const* envelope = m && m->is_object() ? &m->as_object() : nullptr;
    line.type = field(root, envelope, "type", nullptr);
    line.call_id = field(root, envelope, "call", "id");
}

}  // namespace

std::vector<recorded_line> read_recording(std::istream& in) {
    std::vector<recorded_line> lines;
    int number = 0;
    for (std::string text; std::getline(in, text);) {
        ++number;
        if (!text.empty() && text.back() == '\r') text.pop_back();  // recorded on Windows
        auto first = text.find_first_not_of(" \t");
        if (first == std::string::npos || text[first] == '#') continue;
        recorded_line line;
        line.number = number;
        line.body = std::move(text);
        describe(line);
        if (line.type.empty()) line.type = "?";
        lines.push_back(std::move(line));
    }
    return lines;
}

}  // namespace switchboard::app
