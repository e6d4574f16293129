// spdlog set-up: human-readable lines by default, JSON lines with
// `logging.format: json`. Every line carries the request id of the work in progress.
#pragma once
#include <string>

namespace switchboard::app {
// Throws std::invalid_argument for an unknown level or format.
void setup_logging(const std::string& level, const std::string& format);
}
