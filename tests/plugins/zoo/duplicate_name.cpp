// A working plugin that declares the name "zoo_ok", already taken by zoo_ok.so.
#include <switchboard/plugin.hpp>

#include <memory>

namespace {

using namespace switchboard::sdk;

class dup_tool final : public tool {
public:
    std::vector<tool_spec> specs() const override { return {}; }
    tool_result invoke(const tool_invocation&) override { return {}; }
};

std::unique_ptr<tool> make(const plugin_context&) { return std::make_unique<dup_tool>(); }

const plugin_descriptor descriptor{plugin_kind::tool, "zoo_ok", "0.0.1", "zoo: a second zoo_ok", nullptr, 0,
                                   nullptr, &make};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
