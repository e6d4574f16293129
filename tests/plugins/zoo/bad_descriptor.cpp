// Says it is a provider but only has a tool factory.
#include <switchboard/plugin.hpp>

#include <memory>
#include <stdexcept>

namespace {

using namespace switchboard::sdk;

std::unique_ptr<tool> make(const plugin_context&) { return nullptr; }

const plugin_descriptor descriptor{plugin_kind::provider, "bad_descriptor", "0.0.1", "zoo: bad_descriptor", nullptr, 0, nullptr, &make};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
