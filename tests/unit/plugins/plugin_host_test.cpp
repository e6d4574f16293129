// plugin_host::http hands the request to the host's client: a one-shot HTTP server on
// 127.0.0.1 echoes the User-Agent, which tells which client made the call.
#include "host/plugins/plugin_host.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include <istream>
#include <thread>

using namespace switchboard;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

// Answers `count` connections with 200 and the request's User-Agent as body.
class echo_server {
public:
    explicit echo_server(int count) : acceptor_(ioc_, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
        thread_ = std::thread([this, count] {
            for (int i = 0; i < count; ++i) {
                boost::system::error_code ec;
                tcp::socket s(ioc_);
                acceptor_.accept(s, ec);
                if (ec) return;
                asio::streambuf buf;
                asio::read_until(s, buf, "\r\n\r\n", ec);
                std::istream in(&buf);
                std::string line, agent;
                while (std::getline(in, line))
                    if (line.rfind("User-Agent: ", 0) == 0) agent = line.substr(12, line.size() - 13);  // drop \r
                std::string resp = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(agent.size()) +
                                   "\r\nConnection: close\r\n\r\n" + agent;
                asio::write(s, asio::buffer(resp), ec);
            }
        });
    }
    ~echo_server() { thread_.join(); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()) + "/"; }

private:
    asio::io_context ioc_;
    tcp::acceptor acceptor_;
    std::thread thread_;
};

}  // namespace

TEST_CASE("plugin_host::http delegates to the client it was given", "[plugins][http]") {
    echo_server srv(2);
    client::client_options o;
    o.user_agent = "plugin-host-test/1";
    plugins::plugin_host host("vapi", std::make_shared<client::http_client>(o));
    sdk::http_request req;
    req.url = srv.url();
    auto r = host.http(req);
    INFO(r.error);
    CHECK(r.status == 200);
    CHECK(r.body == "plugin-host-test/1");

    // Without one, the process-wide client (default options) is used.
    plugins::plugin_host plain("openai_realtime");
    r = plain.http(req);
    CHECK(r.status == 200);
    CHECK(r.body == "switchboard/0.1");
    CHECK(plugins::shared_http_client() == plugins::shared_http_client());
}

TEST_CASE("plugin_host::http never throws on a bad request", "[plugins][http]") {
    plugins::plugin_host host("vapi");
    sdk::http_request req;
    req.url = "vapi.ai/call";
    auto r = host.http(req);
    CHECK(r.status == 0);
    CHECK(r.error.rfind("invalid URL: ", 0) == 0);
}

TEST_CASE("plugins convert times with the host's time zones", "[plugins][host]") {
    switchboard::plugins::plugin_host host("tz-test");
    using namespace std::chrono;
    // 2026-07-01 16:30 UTC is 12:30 EDT in New York, a Wednesday.
    const auto at = sys_days{year{2026} / 7 / 1} + hours{16} + minutes{30};
    auto local = host.to_local(at, "America/New_York");
    CHECK(local.year == 2026);
    CHECK(local.month == 7);
    CHECK(local.day == 1);
    CHECK(local.hour == 12);
    CHECK(local.minute == 30);
    CHECK(local.weekday == 3);
    CHECK(host.to_utc(local, "America/New_York") == at);
    // In January the same wall clock is EST: five hours behind UTC.
    CHECK(host.to_utc({2026, 1, 15, 9, 0, 0, 4}, "America/New_York") ==
          sys_days{year{2026} / 1 / 15} + hours{14});
    // An unknown or empty zone is UTC, never an exception.
    CHECK(host.to_local(at, "Not/AZone").hour == 16);
    CHECK(host.to_local(at, "").hour == 16);
    CHECK(host.to_utc({2026, 7, 1, 16, 30, 0, 3}, "") == at);
}
