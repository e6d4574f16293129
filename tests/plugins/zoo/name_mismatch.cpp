// Declares a name other than its file's (and the config's).
#include <switchboard/plugin.hpp>

#include <memory>
#include <stdexcept>

namespace {

using namespace switchboard::sdk;

std::unique_ptr<tool> make(const plugin_context&) { return nullptr; }

const plugin_descriptor descriptor{plugin_kind::tool, "someone_else", "0.0.1", "zoo: name_mismatch", nullptr, 0, nullptr, &make};

}  // namespace

SWITCHBOARD_PLUGIN(descriptor)
