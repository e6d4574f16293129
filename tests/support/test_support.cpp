#include "support/test_support.hpp"

#include <catch2/catch.hpp>
#include <libpq-fe.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace switchboard::testing {
namespace fs = std::filesystem;

temp_dir::temp_dir() {
    static std::atomic<int> counter{0};
    std::random_device rd;
    path_ = fs::temp_directory_path() /
            ("sb-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + "-" + std::to_string(rd() % 100000));
    fs::create_directories(path_);
}

temp_dir::~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

fs::path temp_dir::write(const std::string& name, const std::string& content) const {
    auto p = path_ / name;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << content;
    return p;
}

unsigned short free_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
}

std::optional<std::string> env(const char* name) {
    if (const char* v = std::getenv(name); v && *v) return std::string(v);
    return std::nullopt;
}

std::string pg_url() {
    auto pg = env("SB_PG");
    INFO("SB_PG is not set: [pg] tests need the PostgreSQL that scripts/with-services.sh starts (make test does)");
    REQUIRE(pg.has_value());
    return "postgresql:" + *pg;
}

std::string fresh_pg_database() {
    auto base = pg_url().substr(std::string("postgresql:").size());
    static std::atomic<int> counter{0};
    std::string name = "sb_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    PGconn* conn = PQconnectdb(base.c_str());
    REQUIRE(PQstatus(conn) == CONNECTION_OK);
    PGresult* r = PQexec(conn, ("DROP DATABASE IF EXISTS " + name).c_str());
    PQclear(r);
    r = PQexec(conn, ("CREATE DATABASE " + name).c_str());
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    std::string err = PQerrorMessage(conn);
    PQclear(r);
    PQfinish(conn);
    INFO(err);
    REQUIRE(ok);
    // Replace or append dbname in the keyword string.
    std::string out;
    std::istringstream words(base);
    for (std::string w; words >> w;)
        if (w.rfind("dbname=", 0) != 0) out += w + " ";
    return "postgresql:" + out + "dbname=" + name;
}

process::process(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env,
                 const fs::path& log_file)
    : log_(log_file) {
    if (log_.empty()) {
        static std::atomic<int> counter{0};
        log_ = fs::temp_directory_path() /
               ("sb-proc-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".log");
    }
    pid_ = ::fork();
    if (pid_ == 0) {
        int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        ::dup2(fd, 1);
        ::dup2(fd, 2);
        int devnull = ::open("/dev/null", O_RDONLY);
        ::dup2(devnull, 0);
        for (auto const& [k, v] : extra_env) ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> args;
        for (auto const& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        std::_Exit(127);
    }
}

process::~process() {
    if (running()) {
        ::kill(pid_, SIGKILL);
        wait(std::chrono::seconds(5));
    }
}

void process::signal(int sig) const { ::kill(pid_, sig); }

bool process::running() {
    if (status_) return false;
    int st = 0;
    pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return false;
    }
    return r == 0;
}

std::optional<int> process::wait(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (running()) {
        if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return status_;
}

std::string process::output() const {
    std::ifstream in(log_, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

run_result run(const std::vector<std::string>& argv, const std::map<std::string, std::string>& extra_env,
               std::chrono::milliseconds timeout) {
    process p(argv, extra_env);
    auto code = p.wait(timeout);
    return {code.value_or(-1), p.output()};
}

}  // namespace switchboard::testing
