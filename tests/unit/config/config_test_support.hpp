// Helpers for the config tests: a fake environment and "parse, expect problems".
#pragma once

#include "host/config/config.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

namespace switchboard::config::test {

inline env_lookup fake_env(std::map<std::string, std::string> vars = {}) {
    return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
        const auto it = vars.find(name);
        if (it == vars.end()) return std::nullopt;
        return it->second;
    };
}

// The problems parse() reports; fails the test when it does not throw.
inline std::vector<std::string> problems_of(const std::string& yaml, const env_lookup& env = fake_env(),
                                            const std::string& file = "test.yaml") {
    try {
        parse(yaml, file, env);
    } catch (const config_error& e) {
        return e.problems();
    }
    FAIL("parse() accepted:\n" << yaml);
    return {};
}

// Minimal valid document to append sections to.
inline const std::string one_org = "orgs:\n  - id: acme\n";

}  // namespace switchboard::config::test
