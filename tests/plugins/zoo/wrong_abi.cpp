// Exports an ABI version no SDK has. Its entry point aborts, so a host that calls
// anything before checking the ABI dies in the test instead of passing.
#include <cstdint>
#include <cstdlib>

extern "C" {
__attribute__((visibility("default"))) extern const std::uint64_t switchboard_abi_version;
const std::uint64_t switchboard_abi_version = 0x00000000deadbeefULL;
__attribute__((visibility("default"))) const void* switchboard_plugin() {
    std::abort();
}
}
