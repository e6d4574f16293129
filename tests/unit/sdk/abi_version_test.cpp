// Pins the plugin ABI version.
#include <switchboard/plugin.hpp>

#include <catch2/catch.hpp>

TEST_CASE("the SDK ABI version is pinned", "[sdk][abi]") {
    // abi_version is a hash of the text of sdk/include/switchboard/*.hpp. If this fails,
    // the SDK headers changed: every plugin built against the old headers will now be
    // refused ("ABI mismatch ... rebuild the plugin against this SDK"). If the change is
    // intended, update the pin to the value in build/generated/switchboard/abi_version.hpp
    // on purpose, rebuild all plugins, and say so in the change log.
    REQUIRE(switchboard::sdk::abi_version == 0x4d78809e7f9063a2ULL);
}

TEST_CASE("the exported symbol names are the ones the host looks up", "[sdk][abi]") {
    CHECK(std::string(SWITCHBOARD_ABI_SYMBOL) == "switchboard_abi_version");
    CHECK(std::string(SWITCHBOARD_ENTRY_SYMBOL) == "switchboard_plugin");
}
