// The provider factory throws a std::exception.
#include <switchboard/plugin.hpp>

#include <memory>
#include <stdexcept>

namespace {

using namespace switchboard::sdk;

std::unique_ptr<provider> make(const plugin_context&) { throw std::runtime_error("zoo: the factory exploded"); }

const plugin_descriptor descriptor{plugin_kind::provider, "factory_throws", "0.0.1", "zoo: factory_throws", nullptr, 0, &make, nullptr};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
