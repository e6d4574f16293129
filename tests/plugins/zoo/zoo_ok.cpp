// A good minimal tool plugin: one function that answers with its configured greeting,
// and one key of each type (a secret with a default, to prove describe() hides it).
#include <switchboard/plugin.hpp>

#include <memory>

namespace {

using namespace switchboard::sdk;

class zoo_tool final : public tool {
public:
    explicit zoo_tool(const plugin_context& ctx) : config_(ctx.config), host_(ctx.host) {}
    std::vector<tool_spec> specs() const override {
        return {{"zoo_echo", "answers with the configured greeting", boost::json::object{{"type", "object"}}}};
    }
    tool_result invoke(const tool_invocation& inv) override {
        host_->log(log_level::info, "zoo_echo invoked");
        tool_result r;
        r.result = std::string(config_.at("greeting").as_string());
        r.data = config_;
        return r;
    }

private:
    boost::json::object config_;
    host_services* host_;
};

constexpr config_key keys[] = {
    {"greeting", config_type::string, false, R"("hello from the zoo")", "what zoo_echo says", false},
    {"token", config_type::string, false, R"("zoo-default-token")", "a secret with a default", true},
    {"limit", config_type::integer, false, "5", "an integer", false},
    {"ratio", config_type::number, false, nullptr, "a number", false},
    {"enabled", config_type::boolean, false, "true", "a boolean", false},
    {"tags", config_type::list, false, "[]", "a list", false},
    {"extra", config_type::object, false, nullptr, "an object", false},
};

std::unique_ptr<tool> make(const plugin_context& ctx) { return std::make_unique<zoo_tool>(ctx); }

const plugin_descriptor descriptor{plugin_kind::tool, "zoo_ok", "9.9.9", "the zoo's good plugin",
                                   keys, std::size(keys), nullptr, &make};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
