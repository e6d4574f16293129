// A descriptor without a name.
#include <switchboard/plugin.hpp>

#include <memory>
#include <stdexcept>

namespace {

using namespace switchboard::sdk;

std::unique_ptr<tool> make(const plugin_context&) { return nullptr; }

const plugin_descriptor descriptor{plugin_kind::tool, nullptr, "0.0.1", "zoo: null_name", nullptr, 0, nullptr, &make};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
