// What the host lends a plugin for its lifetime. Everything a plugin needs from the
// outside world goes through here, so plugins never link Asio, SOCI or spdlog state
// of their own.
#pragma once

#include <boost/config.hpp>

#include <chrono>
#include <string_view>

namespace switchboard::sdk {

enum class log_level { trace, debug, info, warn, error };

class BOOST_SYMBOL_VISIBLE host_services {
public:
    virtual ~host_services() = default;

    // Logs under the plugin's name; the host adds the request id when there is one.
    virtual void log(log_level level, std::string_view message) = 0;

    // The host's clock (tests may fix it).
    virtual std::chrono::system_clock::time_point now() const = 0;
};

}  // namespace switchboard::sdk
