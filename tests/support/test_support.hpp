// Shared test helpers: scratch folders, free ports, starting the real binary.
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::testing {

// A fresh folder under the system temp dir, removed on destruction.
class temp_dir {
public:
    temp_dir();
    ~temp_dir();
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    const std::filesystem::path& path() const noexcept { return path_; }
    std::filesystem::path write(const std::string& name, const std::string& content) const;

private:
    std::filesystem::path path_;
};

// A TCP port nobody listens on right now (127.0.0.1).
unsigned short free_port();

// The environment variable, or nullopt.
std::optional<std::string> env(const char* name);

// The PostgreSQL connection for [pg] tests: a database URL built from SB_PG.
// Fails the current test (REQUIRE) when SB_PG is not set: a skipped database run
// would look green and prove nothing.
std::string pg_url();

// A fresh, empty PostgreSQL schema-isolated database URL for one test: creates a new
// database named sb_test_<n> on the SB_PG server and returns its URL.
std::string fresh_pg_database();

// A child process with its stdout+stderr captured to a file.
class process {
public:
    process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env = {},
            const std::filesystem::path& log_file = {});
    ~process();  // SIGKILL if still running
    process(const process&) = delete;
    process& operator=(const process&) = delete;

    int pid() const noexcept { return pid_; }
    void signal(int sig) const;
    // Waits for exit; returns the exit code (128+signal when killed), nullopt on timeout.
    std::optional<int> wait(std::chrono::milliseconds timeout);
    bool running();
    std::string output() const;  // what it printed so far

private:
    int pid_ = -1;
    std::optional<int> status_;
    std::filesystem::path log_;
};

// Runs a command to completion; returns {exit code, output}.
struct run_result {
    int code;
    std::string output;
};
run_result run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env = {},
               std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace switchboard::testing
