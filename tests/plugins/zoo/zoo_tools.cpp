// Tools with known behaviour for the answer path's tests: one answers at once, one
// takes `delay_ms` (past a short deadline), one throws.
#include <switchboard/plugin.hpp>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

namespace {

using namespace switchboard::sdk;

class zoo_tools final : public tool {
public:
    explicit zoo_tools(const plugin_context& ctx) : delay_ms_(ctx.config.at("delay_ms").to_number<long long>()) {}
    std::vector<tool_spec> specs() const override {
        boost::json::object none{{"type", "object"}, {"properties", boost::json::object{}}};
        return {{"fast_lookup", "answers at once", none},
                {"slow_lookup", "answers after delay_ms", none},
                {"broken_lookup", "throws", none}};
    }
    tool_result invoke(const tool_invocation& inv) override {
        if (inv.name == "broken_lookup") throw std::runtime_error("the lookup service is down");
        if (inv.name == "slow_lookup") std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_));
        tool_result r;
        r.result = inv.name == "slow_lookup" ? "slow answer" : "fast answer for " + inv.call_id;
        return r;
    }

private:
    long long delay_ms_;
};

constexpr config_key keys[] = {
    {"delay_ms", config_type::integer, false, "2000", "how long slow_lookup takes", false},
};

std::unique_ptr<tool> make(const plugin_context& ctx) { return std::make_unique<zoo_tools>(ctx); }

const plugin_descriptor descriptor{plugin_kind::tool, "zoo_tools", "1.0.0", "tools for answer-path tests",
                                   keys, std::size(keys), nullptr, &make};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
