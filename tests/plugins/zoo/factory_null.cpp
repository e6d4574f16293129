// The tool factory returns null.
#include <switchboard/plugin.hpp>

#include <memory>
#include <stdexcept>

namespace {

using namespace switchboard::sdk;

std::unique_ptr<tool> make(const plugin_context&) { return nullptr; }

const plugin_descriptor descriptor{plugin_kind::tool, "factory_null", "0.0.1", "zoo: factory_null", nullptr, 0, nullptr, &make};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
