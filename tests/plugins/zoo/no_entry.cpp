// The right ABI version, but no switchboard_plugin entry point.
#include <switchboard/abi_version.hpp>

extern "C" {
__attribute__((visibility("default"))) extern const std::uint64_t switchboard_abi_version;
const std::uint64_t switchboard_abi_version = switchboard::sdk::abi_version;
}
