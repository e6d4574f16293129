// The text of `switchboard plugins`: what loaded, the keys each plugin reads, and
// what failed. Secret values are never printed: no config value is.
#pragma once

#include "host/plugins/registry.hpp"

#include <string>

namespace switchboard::plugins {

std::string describe(const registry& plugins);

}  // namespace switchboard::plugins
