// The entry point returns no descriptor.
#include <switchboard/plugin.hpp>

extern "C" {
__attribute__((visibility("default"))) extern const std::uint64_t switchboard_abi_version;
const std::uint64_t switchboard_abi_version = switchboard::sdk::abi_version;
__attribute__((visibility("default"))) const switchboard::sdk::plugin_descriptor* switchboard_plugin() noexcept {
    return nullptr;
}
}
