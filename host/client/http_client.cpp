// The only client TU that includes Beast/Asio. Each attempt runs on its own small
// io_context on the calling thread: async operations (so beast::tcp_stream deadlines
// apply; Beast's synchronous calls ignore them) driven to completion synchronously.
#include "host/client/http_client.hpp"

#include "host/client/url.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <mutex>
#include <optional>
#include <random>
#include <thread>

namespace switchboard::client {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using clock_type = std::chrono::steady_clock;

constexpr std::size_t body_limit_bytes = 16 * 1024 * 1024;
constexpr std::size_t header_limit_bytes = 64 * 1024;
constexpr int max_retries_cap = 10;  // a typo like 1000 must not pin a worker for hours
constexpr std::chrono::milliseconds base_backoff{200};

// How far an attempt got before it failed: decides whether retrying is safe.
enum class failure {
    none,         // a response arrived
    before_send,  // resolve/connect/TLS transport: nothing was sent, always safe to retry
    after_send,   // the request may have reached the server: idempotent methods only
    final,        // retrying cannot help (TLS verification, body too large, bad header)
};

struct outcome {
    sdk::http_response response;
    failure kind = failure::none;
};

outcome fail(failure kind, std::string error) {
    outcome o;
    o.kind = kind;
    o.response.error = std::move(error);
    return o;
}

bool idempotent(std::string_view method) {
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" || method == "OPTIONS" ||
           method == "TRACE";
}

bool valid_method(std::string_view m) {
    return !m.empty() && m.size() <= 32 &&
           std::all_of(m.begin(), m.end(), [](unsigned char c) { return c >= 'A' && c <= 'Z'; });
}

bool valid_header_name(std::string_view n) {
    // RFC 9110 token characters.
    static constexpr std::string_view extra = "!#$%&'*+-.^_`|~";
    return !n.empty() && std::all_of(n.begin(), n.end(), [](unsigned char c) {
        return std::isalnum(c) || extra.find(static_cast<char>(c)) != std::string_view::npos;
    });
}

bool valid_header_value(std::string_view v) {
    // No CR/LF/NUL: a value must not be able to inject another header.
    return std::none_of(v.begin(), v.end(), [](char c) { return c == '\r' || c == '\n' || c == '\0'; });
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Headers the client computes itself; a caller's copy would contradict ours.
bool reserved_header(std::string_view lower_name) {
    return lower_name == "host" || lower_name == "content-length" || lower_name == "transfer-encoding" ||
           lower_name == "connection";
}

// Starts one async operation and runs the io_context until it has completed (the
// stream's deadline, when set, guarantees it does).
template <class Start>
error_code run_op(asio::io_context& ioc, Start&& start) {
    error_code result;
    bool done = false;
    start([&](error_code ec, auto&&...) {
        result = ec;
        done = true;
    });
    ioc.restart();
    ioc.run();
    if (!done) result = asio::error::operation_aborted;  // cannot happen: run() returns only when out of work
    return result;
}

bool is_timeout(const error_code& ec) { return ec == beast::error::timeout; }

// A TLS protocol error (no shared cipher, bad version...) that will recur; an EOF in
// the middle of the handshake is a transport problem and may not.
bool is_tls_protocol_error(const error_code& ec) {
    return ec.category() == asio::error::get_ssl_category() &&
           ERR_GET_REASON(static_cast<unsigned long>(ec.value())) != SSL_R_UNEXPECTED_EOF_WHILE_READING;
}

bool is_verify_failure(const error_code& ec) {
    return ec.category() == asio::error::get_ssl_category() &&
           ERR_GET_REASON(static_cast<unsigned long>(ec.value())) == SSL_R_CERTIFICATE_VERIFY_FAILED;
}

std::optional<std::chrono::seconds> retry_after(const sdk::http_response& r) {
    auto v = r.header("retry-after");
    // Delta-seconds only; the HTTP-date form is rare from APIs and treated as absent.
    if (v.empty() || v.size() > 9 || !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    return std::chrono::seconds(std::stol(std::string(v)));
}

}  // namespace

struct http_client::impl {
    client_options options;
    ssl::context tls{ssl::context::tls_client};
    std::string tls_error;  // non-empty: the TLS context could not be set up; https requests fail with it
    std::mutex rng_mutex;
    std::minstd_rand rng{std::random_device{}()};

    explicit impl(client_options o) : options(std::move(o)) {
        error_code ec;
        tls.set_verify_mode(ssl::verify_peer, ec);
        SSL_CTX_set_min_proto_version(tls.native_handle(), TLS1_2_VERSION);
        tls.set_default_verify_paths(ec);
        if (ec) spdlog::warn("http client: system CA store unavailable: {}", ec.message());
        if (!options.ca_file.empty()) {
            tls.load_verify_file(options.ca_file, ec);
            if (ec) tls_error = fmt::format("cannot load CA file '{}': {}", options.ca_file, ec.message());
        }
    }

    std::chrono::milliseconds jittered(std::chrono::milliseconds d) {
        // "Equal jitter": half fixed, half random, so clients retrying together spread out.
        std::lock_guard lock(rng_mutex);
        std::uniform_int_distribution<long long> dist(0, d.count() / 2);
        return std::chrono::milliseconds(d.count() - d.count() / 2 + dist(rng));
    }

    // The delay before retry number n (0-based); nullopt: the server asked for a
    // longer wait than we are willing to block a worker for, so give up now.
    std::optional<std::chrono::milliseconds> backoff(int n, const sdk::http_response& r) {
        if (auto ra = retry_after(r)) {
            if (*ra > options.max_backoff) return std::nullopt;
            return std::chrono::duration_cast<std::chrono::milliseconds>(*ra);
        }
        auto d = base_backoff * (1LL << std::min(n, 20));
        return jittered(std::min<std::chrono::milliseconds>(d, options.max_backoff));
    }

    outcome attempt(const parsed_url& url, const sdk::http_request& request);
    sdk::http_response send(const sdk::http_request& request);
};

namespace {

// Phase names for timeout messages.
std::string timeout_message(const parsed_url& url, std::chrono::milliseconds t, std::string_view phase) {
    return fmt::format("request to {}:{} timed out after {} ms ({})", url.host, url.port, t.count(), phase);
}

template <class Stream>
outcome exchange(Stream& stream, const parsed_url& url, const sdk::http_request& request,
                 const client_options& options, asio::io_context& ioc) {
    const std::string where = url.host + ":" + url.port;

    bhttp::request<bhttp::string_body> req;
    auto verb = bhttp::string_to_verb(request.method);
    if (verb == bhttp::verb::unknown)
        req.method_string(request.method);
    else
        req.method(verb);
    req.target(url.target);
    req.version(11);
    req.set(bhttp::field::host, url.host_header());
    req.set(bhttp::field::user_agent, options.user_agent);
    for (auto const& [name, value] : request.headers) {
        auto l = lower(name);
        if (reserved_header(l)) continue;
        if (l == "user-agent") {
            req.set(bhttp::field::user_agent, value);
            continue;
        }
        req.insert(name, value);
    }
    // Fresh connection per request for now (no pool): say so to the server.
    // Connection reuse is a later optimisation.
    req.set(bhttp::field::connection, "close");
    req.body() = request.body;
    req.prepare_payload();

    error_code ec = run_op(ioc, [&](auto&& h) { bhttp::async_write(stream, req, h); });
    if (ec) {
        if (is_timeout(ec)) return fail(failure::after_send, timeout_message(url, request.timeout, "sending"));
        return fail(failure::after_send, fmt::format("sending request to {} failed: {}", where, ec.message()));
    }

    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(body_limit_bytes);
    parser.header_limit(header_limit_bytes);
    if (verb == bhttp::verb::head) parser.skip(true);
    ec = run_op(ioc, [&](auto&& h) { bhttp::async_read(stream, buffer, parser, h); });
    if (ec == bhttp::error::body_limit)
        return fail(failure::final,
                    fmt::format("response body from {} exceeds the {} MiB limit", where, body_limit_bytes >> 20));
    if (ec) {
        if (is_timeout(ec))
            return fail(failure::after_send, timeout_message(url, request.timeout, "waiting for the response"));
        return fail(failure::after_send, fmt::format("reading response from {} failed: {}", where, ec.message()));
    }

    auto msg = parser.release();
    outcome o;
    o.response.status = static_cast<int>(msg.result_int());
    for (auto const& f : msg) o.response.headers.emplace_back(lower(f.name_string()), std::string(f.value()));
    o.response.body = std::move(msg.body());
    return o;
}

}  // namespace

outcome http_client::impl::attempt(const parsed_url& url, const sdk::http_request& request) {
    const std::string where = url.host + ":" + url.port;
    const auto deadline = clock_type::now() + request.timeout;
    asio::io_context ioc;

    // Resolve. The resolver is not covered by tcp_stream's deadline: run until the
    // deadline and cancel. (A hung getaddrinfo still delays the io_context's
    // destruction, which joins the resolver thread; numeric hosts never block.)
    tcp::resolver resolver(ioc);
    tcp::resolver::results_type endpoints;
    error_code ec;
    bool resolved = false;
    resolver.async_resolve(url.host, url.port, [&](error_code e, tcp::resolver::results_type r) {
        ec = e;
        endpoints = std::move(r);
        resolved = true;
    });
    ioc.run_until(deadline);
    if (!resolved) {
        resolver.cancel();
        ioc.restart();
        ioc.run();
        return fail(failure::before_send, timeout_message(url, request.timeout, "resolving"));
    }
    if (ec) return fail(failure::before_send, fmt::format("resolving {} failed: {}", where, ec.message()));

    beast::tcp_stream tcp_stream(ioc);
    tcp_stream.expires_at(deadline);  // one deadline for the whole attempt
    ec = run_op(ioc, [&](auto&& h) { tcp_stream.async_connect(endpoints, h); });
    if (ec) {
        if (is_timeout(ec)) return fail(failure::before_send, timeout_message(url, request.timeout, "connecting"));
        return fail(failure::before_send, fmt::format("connect to {} failed: {}", where, ec.message()));
    }

    if (!url.tls) {
        auto o = exchange(tcp_stream, url, request, options, ioc);
        error_code ignored;
        tcp_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        return o;
    }

    if (!tls_error.empty()) return fail(failure::final, tls_error);
    ssl::stream<beast::tcp_stream> stream(std::move(tcp_stream), tls);
    // SNI only for names: RFC 6066 forbids IP literals there.
    error_code addr_ec;
    asio::ip::make_address(url.host, addr_ec);
    if (addr_ec && !SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str()))
        return fail(failure::final, fmt::format("TLS handshake with {}: cannot set SNI host name", where));
    bool name_mismatch = false;
    stream.set_verify_callback(
        [&name_mismatch, check = ssl::host_name_verification(url.host)](bool preverified, ssl::verify_context& ctx) {
            bool ok = check(preverified, ctx);
            if (preverified && !ok) name_mismatch = true;  // the chain was fine, the name was not
            return ok;
        });
    ec = run_op(ioc, [&](auto&& h) { stream.async_handshake(ssl::stream_base::client, h); });
    if (ec) {
        if (is_verify_failure(ec)) {
            std::string why;
            if (name_mismatch)
                why = fmt::format("the certificate is not valid for '{}'", url.host);
            else if (long v = SSL_get_verify_result(stream.native_handle()); v != X509_V_OK)
                why = X509_verify_cert_error_string(v);
            else
                why = "rejected";
            return fail(failure::final, fmt::format("TLS handshake with {}: certificate verify failed: {}", where, why));
        }
        if (is_timeout(ec)) return fail(failure::before_send, timeout_message(url, request.timeout, "TLS handshake"));
        return fail(is_tls_protocol_error(ec) ? failure::final : failure::before_send,
                    fmt::format("TLS handshake with {} failed: {}", where, ec.message()));
    }
    auto o = exchange(stream, url, request, options, ioc);
    // No TLS close_notify exchange: we sent "Connection: close" and have the whole
    // response; waiting for the peer's close_notify only adds latency.
    error_code ignored;
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ignored);
    return o;
}

sdk::http_response http_client::impl::send(const sdk::http_request& request) {
    sdk::http_response invalid;
    std::string why;
    auto url = parse_url(request.url, why);
    if (!url) {
        invalid.error = "invalid URL: " + why;
        return invalid;
    }
    if (!valid_method(request.method)) {
        invalid.error = fmt::format("invalid HTTP method '{}' (upper-case letters only)", request.method);
        return invalid;
    }
    for (auto const& [name, value] : request.headers) {
        if (!valid_header_name(name) || !valid_header_value(value)) {
            invalid.error = fmt::format("invalid header '{}' (bad name, or CR/LF in the value)", name);
            return invalid;
        }
    }

    const bool safe = idempotent(request.method);
    const int max_retries = std::clamp(request.max_retries, 0, max_retries_cap);
    // Logged without query, headers or body: they carry keys and personal data.
    spdlog::debug("http client: {} {}://{}:{}{}", request.method, url->tls ? "https" : "http", url->host, url->port,
                  url->path());
    for (int n = 0;; ++n) {
        outcome o = attempt(*url, request);
        o.response.attempts = n + 1;
        bool retryable = false;
        switch (o.kind) {
            case failure::none: {
                int s = o.response.status;
                // 429 and 503 mean the server did nothing: safe for any method.
                retryable = s == 429 || s == 503 || (safe && (s == 502 || s == 504));
                break;
            }
            case failure::before_send: retryable = true; break;
            case failure::after_send: retryable = safe; break;
            case failure::final: retryable = false; break;
        }
        if (o.kind == failure::none)
            spdlog::debug("http client: {} {}{} -> {} (attempt {})", request.method, url->host, url->path(),
                          o.response.status, n + 1);
        else
            spdlog::debug("http client: {} {}{} failed (attempt {}): {}", request.method, url->host, url->path(), n + 1,
                          o.response.error);
        if (!retryable || n >= max_retries) return std::move(o.response);
        auto delay = backoff(n, o.response);
        if (!delay) return std::move(o.response);
        std::this_thread::sleep_for(*delay);
    }
}

http_client::http_client(client_options options) : impl_(std::make_unique<impl>(std::move(options))) {}
http_client::~http_client() = default;

sdk::http_response http_client::send(const sdk::http_request& request) {
    try {
        return impl_->send(request);
    } catch (const std::exception& x) {
        sdk::http_response r;
        r.error = std::string("http client error: ") + x.what();
        return r;
    } catch (...) {
        sdk::http_response r;
        r.error = "http client error: unknown exception";
        return r;
    }
}

}  // namespace switchboard::client
