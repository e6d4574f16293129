#include "host/config/interpolate.hpp"

namespace switchboard::config::detail {

namespace {

bool valid_name(std::string_view name) {
    if (name.empty()) return false;
    for (std::size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        const bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
        const bool digit = c >= '0' && c <= '9';
        if (!(alpha || (i > 0 && digit))) return false;
    }
    return true;
}

}  // namespace

interpolated interpolate(std::string_view in, const env_lookup& env) {
    interpolated out;
    out.text.reserve(in.size());
    std::size_t i = 0;
    while (i < in.size()) {
        if (in.compare(i, 3, "$${") == 0) {  // escape: literal "${"
            out.text += "${";
            i += 3;
            continue;
        }
        if (in.compare(i, 2, "${") != 0) {
            out.text += in[i++];
            continue;
        }
        const std::size_t close = in.find('}', i + 2);
        if (close == std::string_view::npos) {
            out.errors.push_back("unterminated ${ (write $${ for a literal ${)");
            out.text.append(in.substr(i));
            break;
        }
        const std::string_view inner = in.substr(i + 2, close - i - 2);
        const std::size_t sep = inner.find(":-");
        const std::string_view name = inner.substr(0, sep);
        if (!valid_name(name)) {
            out.errors.push_back("invalid environment variable name \"" + std::string(name) + "\" in ${" +
                                 std::string(inner) + "}");
        } else {
            const auto value = env ? env(std::string(name)) : std::nullopt;
            if (sep != std::string_view::npos) {
                out.text += (value && !value->empty()) ? *value : std::string(inner.substr(sep + 2));
            } else if (value) {
                out.text += *value;
            } else {
                out.errors.push_back("environment variable " + std::string(name) + " is not set");
            }
        }
        out.substituted = true;
        i = close + 1;
    }
    return out;
}

}  // namespace switchboard::config::detail
