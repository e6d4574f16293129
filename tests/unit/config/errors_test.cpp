// Each kind of mistake gives its exact message, line and key path.
#include "config_test_support.hpp"

#include "tests/support/test_support.hpp"

using namespace switchboard::config;
using namespace switchboard::config::test;
using strings = std::vector<std::string>;

TEST_CASE("an unknown key nested in a list element is named with a suggestion", "[config]") {
    const std::string yaml = "orgs:\n"
                             "  - id: acme\n"
                             "  - id: harbor\n"
                             "    api_key: [k1]\n"
                             "    colour: blue\n";
    CHECK(problems_of(yaml) == strings{
                                   "test.yaml:4: orgs[1].api_key: unknown key (did you mean \"api_keys\"?)",
                                   "test.yaml:5: orgs[1].colour: unknown key",
                               });
}

TEST_CASE("a typo'd top-level key suggests the real one", "[config]") {
    CHECK(problems_of("servr:\n  listen: \"1.2.3.4:80\"\n" + one_org) ==
          strings{"test.yaml:1: servr: unknown key (did you mean \"server\"?)"});
}

TEST_CASE("wrong types name the expected type", "[config]") {
    const std::string yaml = "server:\n"
                             "  io_threads: many\n"
                             "  cors_origins: \"*\"\n"
                             "plugins:\n"
                             "  load:\n"
                             "    - name: vapi\n"
                             "      required: maybe\n"
                             "      config: [1, 2]\n"
                             "orgs:\n"
                             "  - id: acme\n"
                             "    api_keys: acme-key\n"
                             "    name: {first: A}\n"
                             "    plugins:\n"
                             "      vapi: on-by-default\n";
    CHECK(problems_of(yaml) == strings{
                                   "test.yaml:2: server.io_threads: expected an integer, got \"many\"",
                                   "test.yaml:3: server.cors_origins: expected a list",
                                   "test.yaml:7: plugins.load[0].required: expected a boolean, got \"maybe\"",
                                   "test.yaml:8: plugins.load[0].config: expected a mapping",
                                   "test.yaml:11: orgs[0].api_keys: expected a list",
                                   "test.yaml:12: orgs[0].name: expected a string",
                                   "test.yaml:14: orgs[0].plugins.vapi: expected a mapping",
                               });
}

TEST_CASE("a section that is not a mapping", "[config]") {
    CHECK(problems_of("server: [1]\n" + one_org) == strings{"test.yaml:1: server: expected a mapping"});
    CHECK(problems_of("- a\n- b\n") == strings{"test.yaml:1: (top level): expected a mapping"});
}

TEST_CASE("integers out of range", "[config]") {
    CHECK(problems_of("server:\n  worker_threads: 0\n" + one_org) ==
          strings{"test.yaml:2: server.worker_threads: must be between 1 and 1024, got 0"});
}

TEST_CASE("missing required values are reported on the parent's line", "[config]") {
    CHECK(problems_of("server:\n  io_threads: 2\n") == strings{"test.yaml:1: orgs: missing required key"});
    CHECK(problems_of("orgs:\n  - id: acme\n  - name: Nameless\n    timezone: UTC\n") ==
          strings{"test.yaml:3: orgs[1].id: missing required key"});
    CHECK(problems_of("plugins:\n  load:\n    - required: true\n" + one_org) ==
          strings{"test.yaml:3: plugins.load[0].name: missing required key"});
    CHECK(problems_of("auth:\n  admin_keys:\n    - name: ops\n" + one_org) ==
          strings{"test.yaml:3: auth.admin_keys[0].key: missing required key"});
    CHECK(problems_of("orgs: []\n") == strings{"test.yaml:1: orgs: expected at least one org"});
}

TEST_CASE("duplicate keys in one mapping", "[config]") {
    const std::string yaml = "server:\n"
                             "  io_threads: 2\n"
                             "  io_threads: 3\n" +
                             one_org +
                             "    settings:\n"
                             "      a: 1\n"
                             "      a: 2\n";
    CHECK(problems_of(yaml) == strings{
                                   "test.yaml:3: server.io_threads: duplicate key (first at line 2)",
                                   "test.yaml:8: orgs[0].settings.a: duplicate key (first at line 7)",
                               });
}

TEST_CASE("duplicate org ids, bad org ids and a default_org that names nobody", "[config]") {
    const std::string yaml = "orgs:\n"
                             "  - id: acme\n"
                             "  - id: Acme Corp\n"
                             "  - id: acme\n"
                             "default_org: harbor\n";
    CHECK(problems_of(yaml) == strings{
                                   "test.yaml:3: orgs[1].id: expected an org id matching [a-z0-9][a-z0-9_-]*, "
                                   "got \"Acme Corp\"",
                                   "test.yaml:4: orgs[2].id: duplicate org id \"acme\" (also at orgs[0].id, line 2)",
                                   "test.yaml:5: default_org: no org with id \"harbor\"",
                               });
}

TEST_CASE("an API key used twice anywhere is an error that does not print the key", "[config]") {
    const std::string yaml = "auth:\n"
                             "  admin_keys: [shared-key]\n"
                             "orgs:\n"
                             "  - id: acme\n"
                             "    api_keys:\n"
                             "      - name: a\n"
                             "        key: shared-key\n"
                             "  - id: harbor\n"
                             "    api_keys: [k2, k2]\n";
    const auto p = problems_of(yaml);
    CHECK(p == strings{
                   "test.yaml:7: orgs[0].api_keys[0].key: duplicate API key (also at auth.admin_keys[0], line 2)",
                   "test.yaml:9: orgs[1].api_keys[1]: duplicate API key (also at orgs[1].api_keys[0], line 9)",
               });
}

TEST_CASE("duplicate plugin entries and bad plugin names", "[config]") {
    const std::string yaml = "plugins:\n"
                             "  load:\n"
                             "    - name: vapi\n"
                             "    - name: Vapi-Provider\n"
                             "    - name: vapi\n" +
                             one_org;
    CHECK(problems_of(yaml) == strings{
                                   "test.yaml:4: plugins.load[1].name: expected a plugin name matching [a-z0-9_]+, "
                                   "got \"Vapi-Provider\"",
                                   "test.yaml:5: plugins.load[2].name: duplicate plugin \"vapi\" (also at "
                                   "plugins.load[0].name, line 3)",
                               });
}

TEST_CASE("a bad listen address", "[config]") {
    CHECK(problems_of("server:\n  listen: localhost\n" + one_org) ==
          strings{"test.yaml:2: server.listen: expected host:port, got \"localhost\""});
    CHECK(problems_of("server:\n  listen: \"127.0.0.1:70000\"\n" + one_org) ==
          strings{"test.yaml:2: server.listen: expected host:port, got \"127.0.0.1:70000\""});
}

TEST_CASE("bad log level and format", "[config]") {
    CHECK(problems_of("logging:\n  level: verbose\n  format: xml\n" + one_org) ==
          strings{
              "test.yaml:2: logging.level: expected one of trace, debug, info, warn, error, got \"verbose\"",
              "test.yaml:3: logging.format: expected one of text, json, got \"xml\"",
          });
}

TEST_CASE("a bad database URL", "[config]") {
    CHECK(problems_of("database:\n  url: mysql://x\n" + one_org) ==
          strings{"test.yaml:2: database.url: expected sqlite:<path> or postgresql://user:password@host:port/db "
                  "(or postgresql:<libpq keywords>), got \"mysql://x\""});
}

TEST_CASE("several problems are reported together in file order", "[config]") {
    // Walk order differs from file order: orgs and auth come before server here.
    const std::string yaml = "orgs:\n"
                             "  - id: acme\n"
                             "    bogus: 1\n"
                             "auth:\n"
                             "  admin_keys: nope\n"
                             "server:\n"
                             "  listen: nowhere\n"
                             "logging:\n"
                             "  level: loud\n";
    const auto p = problems_of(yaml);
    CHECK(p == strings{
                   "test.yaml:3: orgs[0].bogus: unknown key",
                   "test.yaml:5: auth.admin_keys: expected a list",
                   "test.yaml:7: server.listen: expected host:port, got \"nowhere\"",
                   "test.yaml:9: logging.level: expected one of trace, debug, info, warn, error, got \"loud\"",
               });
    try {
        parse(yaml, "test.yaml", fake_env());
        FAIL("no error");
    } catch (const config_error& e) {
        CHECK(std::string(e.what()) == p[0] + "\n" + p[1] + "\n" + p[2] + "\n" + p[3]);
    }
}

TEST_CASE("a YAML syntax error names the file and line", "[config]") {
    const auto p = problems_of("server:\n  listen: [unclosed\norgs:\n  - id: acme\n");
    REQUIRE(p.size() == 1);
    CHECK_THAT(p[0], Catch::StartsWith("test.yaml:"));
    CHECK_THAT(p[0], !Catch::Contains("yaml-cpp: error at line"));  // our prefix, not yaml-cpp's
    // yaml-cpp's own reason, on the line it points at.
    CHECK(problems_of("server:\n\tlisten: x\n") == strings{"test.yaml:2: illegal map value"});
}

TEST_CASE("a missing file names the file", "[config]") {
    switchboard::testing::temp_dir dir;
    const std::string path = (dir.path() / "absent.yaml").string();
    try {
        load(path, fake_env());
        FAIL("no error");
    } catch (const config_error& e) {
        CHECK(e.problems() == strings{path + ": cannot open: No such file or directory"});
    }
}

TEST_CASE("load reads a file and resolves paths against its folder", "[config]") {
    switchboard::testing::temp_dir dir;
    const auto file = dir.write("conf/sb.yaml", "plugins:\n  directories: [plugins, ../shared]\n" + one_org);
    const config c = load(file.string(), fake_env());
    CHECK(c.file == file.string());
    CHECK(c.plugins.directories ==
          strings{(dir.path() / "conf" / "plugins").string(), (dir.path() / "shared").string()});
}

TEST_CASE("agents need a name and one of number or sip, a time zone must exist", "[config]") {
    const std::string yaml = "orgs:\n"
                             "  - id: acme\n"
                             "    timezone: Mars/Olympus_Mons\n"
                             "    agents:\n"
                             "      - {name: Morgan, number: \"+15555550001\", skills: [billing]}\n"
                             "      - {name: Morgan, sip: \"sip:m@pbx\"}\n"
                             "      - {name: Riley}\n"
                             "      - {number: \"+15555550002\", sip: \"sip:x@pbx\", skils: [x]}\n";
    auto p = problems_of(yaml);
    INFO(Catch::Detail::stringify(p));
    REQUIRE(p.size() == 6);
    CHECK(p[0].rfind("test.yaml:3: orgs[0].timezone: time zone \"Mars/Olympus_Mons\": unknown zone", 0) == 0);
    CHECK(p[1] == "test.yaml:6: orgs[0].agents[1].name: duplicate agent name \"Morgan\"");
    CHECK(p[2] == "test.yaml:7: orgs[0].agents[2]: an agent needs a number or a sip URI (one of them)");
    CHECK(p[3] == "test.yaml:8: orgs[0].agents[3].skils: unknown key (did you mean \"skills\"?)");
    CHECK(p[4] == "test.yaml:8: orgs[0].agents[3].name: missing required key");
    CHECK(p[5] == "test.yaml:8: orgs[0].agents[3]: an agent needs a number or a sip URI (one of them)");
}
