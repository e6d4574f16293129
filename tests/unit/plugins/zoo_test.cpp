// One test per broken plugin in the zoo, each asserting the loader's exact line.
#include "zoo_helpers.hpp"

#include "host/plugins/registry.hpp"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <dlfcn.h>

using namespace switchboard;
using switchboard::testing::entry;
using switchboard::testing::zoo;

namespace {

// Loads one zoo library under its own stem and returns the single failure.
plugins::load_failure only_failure(const std::string& stem) {
    plugins::registry r;
    auto report = r.load_file(zoo(stem), stem);
    REQUIRE(report.loaded.empty());
    REQUIRE(report.failures.size() == 1);
    REQUIRE(r.failures().size() == 1);
    CHECK(r.plugins().empty());
    CHECK(r.failures()[0].message == report.failures[0].message);
    return report.failures[0];
}

bool still_loaded(const std::string& file) {
    void* h = ::dlopen(file.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (h) ::dlclose(h);
    return h != nullptr;
}

}  // namespace

TEST_CASE("a missing plugin names every directory searched", "[plugins][zoo]") {
    plugins::registry r;
    config::plugins_config cfg;
    cfg.directories = {SB_ZOO_DIR, SB_PLUGIN_DIR};
    cfg.load = {entry("nowhere")};
    auto report = r.load(cfg);
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures[0].message == fmt::format("plugin 'nowhere': nowhere.so: file not found (searched: {}, {})",
                                                    SB_ZOO_DIR, SB_PLUGIN_DIR));
    CHECK(report.failures[0].symbol.empty());
    CHECK_FALSE(report.fatal);  // optional
}

TEST_CASE("a missing explicit file names its path", "[plugins][zoo]") {
    plugins::registry r;
    auto report = r.load_file(zoo("does_not_exist"), "does_not_exist");
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures[0].message == fmt::format("plugin 'does_not_exist': {}: file not found (searched: {})",
                                                    zoo("does_not_exist"), SB_ZOO_DIR));
}

TEST_CASE("a file that is not a library reports the loader's reason", "[plugins][zoo]") {
    auto f = only_failure("garbage");
    CHECK(f.message == "plugin 'garbage': " + zoo("garbage") + ": cannot load library: invalid ELF header");
}

TEST_CASE("a library without the ABI symbol is not a plugin", "[plugins][zoo]") {
    auto f = only_failure("not_a_plugin");
    CHECK(f.symbol == "switchboard_abi_version");
    CHECK(f.message == "plugin 'not_a_plugin': " + zoo("not_a_plugin") +
                           ": switchboard_abi_version: symbol not found (not a Switchboard plugin)");
    CHECK_FALSE(still_loaded(zoo("not_a_plugin")));  // refused libraries are unloaded
}

TEST_CASE("an ABI mismatch is refused before anything in the library runs", "[plugins][zoo]") {
    // wrong_abi's entry point calls abort(): reaching it would kill this test.
    auto f = only_failure("wrong_abi");
    CHECK(f.message == fmt::format("plugin 'wrong_abi': {}: switchboard_abi_version: ABI mismatch (plugin "
                                   "0x00000000deadbeef, host 0x{:016x}): rebuild the plugin against this SDK",
                                   zoo("wrong_abi"), sdk::abi_version));
}

TEST_CASE("a library without the entry symbol", "[plugins][zoo]") {
    auto f = only_failure("no_entry");
    CHECK(f.symbol == "switchboard_plugin");
    CHECK(f.message == "plugin 'no_entry': " + zoo("no_entry") + ": switchboard_plugin: symbol not found");
}

TEST_CASE("an entry point returning no descriptor", "[plugins][zoo]") {
    auto f = only_failure("null_descriptor");
    CHECK(f.message == "plugin 'null_descriptor': " + zoo("null_descriptor") +
                           ": switchboard_plugin: returned no descriptor");
}

TEST_CASE("a descriptor whose kind has no factory", "[plugins][zoo]") {
    auto f = only_failure("bad_descriptor");
    CHECK(f.message == "plugin 'bad_descriptor': " + zoo("bad_descriptor") +
                           ": switchboard_plugin: invalid descriptor: kind is provider but make_provider is null");
}

TEST_CASE("a descriptor without a name", "[plugins][zoo]") {
    auto f = only_failure("null_name");
    CHECK(f.message == "plugin 'null_name': " + zoo("null_name") +
                           ": switchboard_plugin: invalid descriptor: name is null or empty");
}

TEST_CASE("a plugin declaring another name than the config's", "[plugins][zoo]") {
    plugins::registry r;
    config::plugins_config cfg;
    cfg.directories = {SB_ZOO_DIR};
    cfg.load = {entry("name_mismatch")};
    auto report = r.load(cfg);
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures[0].message == "plugin 'name_mismatch': " + zoo("name_mismatch") +
                                            ": switchboard_plugin: declares name 'someone_else', expected "
                                            "'name_mismatch'");
}

TEST_CASE("two libraries declaring the same name", "[plugins][zoo]") {
    plugins::registry r;
    config::plugins_config cfg;
    cfg.directories = {SB_ZOO_DIR};
    cfg.load = {entry("zoo_ok"), entry("zoo_ok", zoo("duplicate_name"))};
    auto report = r.load(cfg);
    REQUIRE(report.loaded == std::vector<std::string>{"zoo_ok"});
    REQUIRE(report.failures.size() == 1);
    CHECK(report.failures[0].message == "plugin 'zoo_ok': " + zoo("duplicate_name") +
                                            ": switchboard_plugin: duplicate plugin name (already loaded from " +
                                            zoo("zoo_ok") + ")");
    // The first one still works.
    REQUIRE(r.tool("zoo_ok") != nullptr);
    CHECK(r.find("zoo_ok")->file == zoo("zoo_ok"));
}

TEST_CASE("a factory that throws a std::exception", "[plugins][zoo]") {
    auto f = only_failure("factory_throws");
    CHECK(f.symbol == "make_provider");
    CHECK(f.message == "plugin 'factory_throws': " + zoo("factory_throws") +
                           ": make_provider: factory threw: zoo: the factory exploded");
}

TEST_CASE("a factory that throws something else", "[plugins][zoo]") {
    auto f = only_failure("factory_throws_other");
    CHECK(f.message == "plugin 'factory_throws_other': " + zoo("factory_throws_other") +
                           ": make_tool: factory threw a non-standard exception");
}

TEST_CASE("a factory that returns null", "[plugins][zoo]") {
    auto f = only_failure("factory_null");
    CHECK(f.message == "plugin 'factory_null': " + zoo("factory_null") + ": make_tool: factory returned null");
    CHECK_FALSE(still_loaded(zoo("factory_null")));
}

TEST_CASE("the whole zoo in one config: every failure reported, the good one loaded", "[plugins][zoo]") {
    plugins::registry r;
    config::plugins_config cfg;
    cfg.directories = {SB_ZOO_DIR};
    for (auto n : {"garbage", "not_a_plugin", "wrong_abi", "no_entry", "null_descriptor", "bad_descriptor",
                   "null_name", "name_mismatch", "factory_throws", "factory_throws_other", "factory_null", "zoo_ok"})
        cfg.load.push_back(entry(n));
    auto report = r.load(cfg);
    CHECK(report.loaded == std::vector<std::string>{"zoo_ok"});
    CHECK(report.failures.size() == 11);
    CHECK_FALSE(report.fatal);
    CHECK(r.all_required_loaded());
    for (auto const& f : report.failures) CHECK(f.message.rfind("plugin '" + f.name + "': " + f.file + ": ", 0) == 0);
}
