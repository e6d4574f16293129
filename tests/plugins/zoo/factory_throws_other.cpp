// The tool factory throws something that is not a std::exception.
#include <switchboard/plugin.hpp>

#include <memory>
#include <stdexcept>

namespace {

using namespace switchboard::sdk;

std::unique_ptr<tool> make(const plugin_context&) { throw 42; }

const plugin_descriptor descriptor{plugin_kind::tool, "factory_throws_other", "0.0.1", "zoo: factory_throws_other", nullptr, 0, nullptr, &make};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
