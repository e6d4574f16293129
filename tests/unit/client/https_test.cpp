// TLS: a throw-away CA and server certificates made with the openssl CLI, a tiny
// Asio TLS server on 127.0.0.1 answering one fixed response per connection.
#include "host/client/http_client.hpp"
#include "support/test_support.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

using namespace switchboard;
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = asio::ip::tcp;

namespace {

void openssl(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"/usr/bin/openssl"};  // run() does not search PATH
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = testing::run(argv);
    INFO(r.output);
    REQUIRE(r.code == 0);
}

// ca.pem/ca.key, plus <name>.pem/<name>.key signed by it for each SAN list.
struct pki {
    testing::temp_dir dir;

    pki() {
        auto d = dir.path().string();
        dir.write("ca.cnf",
                  "[req]\ndistinguished_name=dn\nprompt=no\nx509_extensions=ext\n[dn]\nCN=switchboard test CA\n"
                  "[ext]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
                  "subjectKeyIdentifier=hash\n");
        openssl({"req", "-x509", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-days", "2", "-config", d + "/ca.cnf", "-keyout", d + "/ca.key", "-out", d + "/ca.pem"});
    }

    void issue(const std::string& name, const std::string& san) {
        auto d = dir.path().string();
        dir.write(name + ".cnf", "[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=" + name + "\n");
        dir.write(name + ".ext", "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                                 "extendedKeyUsage=serverAuth\nsubjectAltName=" + san + "\n");
        openssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-config",
                 d + "/" + name + ".cnf", "-keyout", d + "/" + name + ".key", "-out", d + "/" + name + ".csr"});
        openssl({"x509", "-req", "-in", d + "/" + name + ".csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca.key",
                 "-set_serial", std::to_string(std::hash<std::string>{}(name) % 100000 + 1), "-days", "2",
                 "-extfile", d + "/" + name + ".ext", "-out", d + "/" + name + ".pem"});
    }

    std::string path(const std::string& file) const { return (dir.path() / file).string(); }
};

// Accepts connections until destroyed; each gets a TLS handshake and, when that
// succeeds, one fixed HTTP response.
class tls_server {
public:
    tls_server(const std::string& cert, const std::string& key) : ctx_(ssl::context::tls_server), acceptor_(ioc_) {
        ctx_.use_certificate_chain_file(cert);
        ctx_.use_private_key_file(key, ssl::context::pem);
        tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
        acceptor_.open(ep.protocol());
        acceptor_.bind(ep);
        acceptor_.listen();
        port_ = acceptor_.local_endpoint().port();
        thread_ = std::thread([this] { loop(); });
    }
    ~tls_server() {
        stopping_ = true;
        // Wake the blocking accept with a connection of our own.
        boost::system::error_code ec;
        tcp::socket s(ioc_);
        s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_), ec);
        thread_.join();
    }
    unsigned short port() const { return port_; }
    int handshakes() const { return handshakes_; }

private:
    void loop() {
        while (!stopping_) {
            boost::system::error_code ec;
            tcp::socket sock(ioc_);
            acceptor_.accept(sock, ec);
            if (ec || stopping_) continue;
            ssl::stream<tcp::socket> stream(std::move(sock), ctx_);
            stream.handshake(ssl::stream_base::server, ec);
            if (ec) continue;
            ++handshakes_;
            asio::streambuf buf;
            asio::read_until(stream, buf, "\r\n\r\n", ec);
            if (ec) continue;
            std::string resp = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 6\r\n"
                               "Connection: close\r\n\r\nsecure";
            asio::write(stream, asio::buffer(resp), ec);
            stream.shutdown(ec);
        }
    }

    asio::io_context ioc_;
    ssl::context ctx_;
    tcp::acceptor acceptor_;
    unsigned short port_ = 0;
    std::atomic<bool> stopping_{false};
    std::atomic<int> handshakes_{0};
    std::thread thread_;
};

sdk::http_request get(const std::string& url) {
    sdk::http_request r;
    r.url = url;
    r.max_retries = 2;  // verification failures must not use them
    return r;
}

}  // namespace

TEST_CASE("HTTPS with certificate verification", "[client][tls]") {
    pki p;
    p.issue("localhost", "DNS:localhost,IP:127.0.0.1");
    tls_server srv(p.path("localhost.pem"), p.path("localhost.key"));
    const std::string port = std::to_string(srv.port());

    SECTION("a certificate from a trusted CA for the right name is accepted") {
        client::client_options o;
        o.ca_file = p.path("ca.pem");
        client::http_client c(o);
        auto r = c.send(get("https://localhost:" + port + "/hello"));
        INFO(r.error);
        CHECK(r.error.empty());
        CHECK(r.status == 200);
        CHECK(r.body == "secure");
        CHECK(r.header("content-type") == "text/plain");

        r = c.send(get("https://127.0.0.1:" + port + "/hello"));  // IP SAN, no SNI
        INFO(r.error);
        CHECK(r.status == 200);
    }

    SECTION("an unknown CA is refused and not retried") {
        client::http_client c;  // system store only
        auto r = c.send(get("https://localhost:" + port + "/"));
        CHECK(r.status == 0);
        CHECK(r.attempts == 1);
        CHECK(r.error.find("TLS handshake with localhost:" + port) != std::string::npos);
        CHECK(r.error.find("certificate verify failed") != std::string::npos);
    }
}

TEST_CASE("HTTPS refuses a certificate for another host name", "[client][tls]") {
    pki p;
    p.issue("other", "DNS:other.example.test");
    tls_server srv(p.path("other.pem"), p.path("other.key"));
    client::client_options o;
    o.ca_file = p.path("ca.pem");
    client::http_client c(o);
    auto r = c.send(get("https://localhost:" + std::to_string(srv.port()) + "/"));
    CHECK(r.status == 0);
    CHECK(r.attempts == 1);
    CHECK(r.error.find("certificate verify failed") != std::string::npos);
    CHECK(r.error.find("not valid for 'localhost'") != std::string::npos);
}

TEST_CASE("an unreadable CA file fails every HTTPS request with its name", "[client][tls]") {
    client::client_options o;
    o.ca_file = "/nonexistent/ca.pem";
    client::http_client c(o);
    pki p;
    p.issue("localhost", "DNS:localhost");
    tls_server srv(p.path("localhost.pem"), p.path("localhost.key"));
    auto r = c.send(get("https://localhost:" + std::to_string(srv.port()) + "/"));
    CHECK(r.status == 0);
    CHECK(r.error.find("cannot load CA file '/nonexistent/ca.pem'") != std::string::npos);
    CHECK(srv.handshakes() == 0);
}

TEST_CASE("a peer that hangs up during the TLS handshake is retried", "[client][tls][retry]") {
    asio::io_context ioc;
    tcp::acceptor acceptor(ioc, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    std::atomic<int> accepted{0};
    std::thread t([&] {
        for (int i = 0; i < 2; ++i) {  // exactly 1 + max_retries connections expected
            tcp::socket s(ioc);
            boost::system::error_code ec;
            acceptor.accept(s, ec);
            if (ec) return;
            ++accepted;
            s.close();  // a transport failure, not a certificate problem
        }
    });
    client::http_client c;
    sdk::http_request req;
    req.url = "https://127.0.0.1:" + std::to_string(acceptor.local_endpoint().port()) + "/";
    req.max_retries = 1;
    auto r = c.send(req);
    const int seen = accepted;
    if (seen < 2) {  // the client gave up early: wake the accept so the test fails instead of hanging
        tcp::socket wake(ioc);
        boost::system::error_code ec;
        wake.connect(acceptor.local_endpoint(), ec);
    }
    t.join();
    INFO(r.error);
    CHECK(r.status == 0);
    CHECK(r.attempts == 2);
    CHECK(seen == 2);
    CHECK(r.error.find("TLS handshake with 127.0.0.1:") != std::string::npos);
    CHECK(r.error.find("certificate") == std::string::npos);
}
