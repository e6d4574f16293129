// `${VAR}` / `${VAR:-default}` substitution in YAML scalar values, done before the
// value is typed so `port: ${PORT:-8080}` is still an integer.
#pragma once

#include "host/config/config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::config::detail {

struct interpolated {
    std::string text;
    bool substituted = false;         // at least one ${...} was replaced
    std::vector<std::string> errors;  // one reason per bad or unset variable
};

// `$${` is a literal `${`. `${VAR:-default}` uses the default when VAR is unset or
// empty (as the shell does); `${VAR}` with VAR unset is an error.
interpolated interpolate(std::string_view text, const env_lookup& env);

}  // namespace switchboard::config::detail
