#include "host/app/logging.hpp"

#include "host/core/request_context.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

namespace switchboard::app {
namespace {

void append_json_escaped(std::string_view in, spdlog::memory_buf_t& dest) {
    static constexpr char hex[] = "0123456789abcdef";
    for (char c : in) {
        switch (c) {
            case '"': dest.append(std::string_view("\\\"")); break;
            case '\\': dest.append(std::string_view("\\\\")); break;
            case '\n': dest.append(std::string_view("\\n")); break;
            case '\r': dest.append(std::string_view("\\r")); break;
            case '\t': dest.append(std::string_view("\\t")); break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char u[6] = {'\\', 'u', '0', '0', hex[(c >> 4) & 0xf], hex[c & 0xf]};
                    dest.append(u, u + 6);
                } else {
                    dest.push_back(c);
                }
        }
    }
}

// %* : the request id, or "-" outside a request.
class request_id_flag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
        auto id = core::current_request_id();
        if (id.empty()) id = "-";
        dest.append(id.data(), id.data() + id.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<request_id_flag>(); }
};

// %J : the message, escaped for a JSON string.
class json_message_flag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        append_json_escaped(std::string_view(msg.payload.data(), msg.payload.size()), dest);
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<json_message_flag>(); }
};

// %R : the request id as a JSON value (null outside a request).
class json_request_id_flag : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg&, const std::tm&, spdlog::memory_buf_t& dest) override {
        auto id = core::current_request_id();
        if (id.empty()) {
            dest.append(std::string_view("null"));
            return;
        }
        dest.push_back('"');
        append_json_escaped(id, dest);
        dest.push_back('"');
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<json_request_id_flag>();
    }
};

}  // namespace

void setup_logging(const std::string& level, const std::string& format) {
    auto lvl = spdlog::level::from_str(level);
    if (lvl == spdlog::level::off && level != "off") throw std::invalid_argument("unknown log level '" + level + "'");
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<request_id_flag>('*');
    formatter->add_flag<json_message_flag>('J');
    formatter->add_flag<json_request_id_flag>('R');
    if (format == "json") {
        formatter->set_pattern(R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","request_id":%R,"msg":"%J"})");
    } else if (format == "text") {
        formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%-5l%$ [%*] %v");
    } else {
        throw std::invalid_argument("unknown log format '" + format + "' (expected text or json)");
    }
    // stderr, so `switchboard plugins` / `check-config` output on stdout stays clean.
    auto logger = std::make_shared<spdlog::logger>("switchboard", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    logger->set_formatter(std::move(formatter));
    logger->set_level(lvl);
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(logger);
}

}  // namespace switchboard::app
