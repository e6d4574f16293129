// The only TU that includes Beast. Shape of the Beast "advanced server" example: a
// strand per connection, a fresh parser per request, deadlines on every read; the
// handler runs on a worker pool and the response is written back on the strand.
#include "host/http/server.hpp"

#include "host/core/ids.hpp"
#include "host/core/request_context.hpp"
#include "host/http/url.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <condition_variable>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

namespace switchboard::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using clock_type = std::chrono::steady_clock;

constexpr std::size_t header_limit_bytes = 16 * 1024;
// Writing a response may take longer than reading a request (big bodies, slow readers)
// but must not hang forever.
constexpr std::chrono::seconds min_write_timeout{30};
// After an error answer we read and discard what the client still sends, for at most
// this long, so closing does not reset the connection before it has read our answer.
constexpr std::chrono::milliseconds max_linger{1000};

bool sane_request_id(std::string_view id) {
    if (id.empty() || id.size() > 128) return false;
    return std::all_of(id.begin(), id.end(), [](unsigned char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
               c == '-';
    });
}

std::string request_id_from(const bhttp::fields& fields) {
    auto it = fields.find("x-request-id");
    if (it != fields.end() && sane_request_id(it->value())) return std::string(it->value());
    return core::new_id();
}

// Statuses that must not carry a body or Content-Length (RFC 9110 8.6).
bool bodiless(int status) { return (status >= 100 && status < 200) || status == 204 || status == 304; }

class session;

// Everything sessions share with the server. Owned by a shared_ptr so a session that
// outlives stop() (its last handler destroyed with the io_context) can still deregister.
struct shared_state {
    server_options options;
    request_handler handler;
    asio::thread_pool* workers = nullptr;

    std::mutex mutex;
    std::condition_variable drained;
    bool stopping = false;
    std::unordered_map<session*, std::weak_ptr<session>> sessions;
};

class session : public std::enable_shared_from_this<session> {
public:
    session(tcp::socket socket, std::shared_ptr<shared_state> state)
        : stream_(std::move(socket)), read_timer_(stream_.get_executor()), state_(std::move(state)) {
        beast::error_code ec;
        auto ep = stream_.socket().remote_endpoint(ec);
        if (!ec) remote_ = ep.address().to_string();
    }

    ~session() {
        std::lock_guard lock(state_->mutex);
        state_->sessions.erase(this);
        if (state_->sessions.empty()) state_->drained.notify_all();
    }

    void start() {
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
    }

    // From stop(): idle and half-read connections close now; a request being handled
    // finishes, its response says "Connection: close", then the connection closes.
    void shut_down() {
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
            self->stopping_ = true;
            if (self->phase_ == phase::idle || self->phase_ == phase::reading) self->close();
        });
    }

private:
    enum class phase { idle, reading, busy, closed };

    // Idle keep-alive: wait for the first byte of the next request under idle_timeout.
    // On expiry the tcp_stream closes the socket: idle connections go away silently.
    void wait_for_request() {
        if (stopping_) return close();
        phase_ = phase::idle;
        if (buffer_.size() > 0) return read_request();  // pipelined bytes already here
        stream_.expires_after(state_->options.idle_timeout);
        stream_.async_read_some(buffer_.prepare(4096),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    self->buffer_.commit(n);
                                    if (ec || self->stopping_) return self->close();
                                    self->read_request();
                                });
    }

    // Headers and body must arrive within read_timeout of the request's first byte.
    // Our own timer cancels (not closes) the socket, so we can still answer 408.
    void read_request() {
        phase_ = phase::reading;
        started_ = clock_type::now();
        timed_out_ = false;
        stream_.expires_never();
        parser_.emplace();
        parser_->header_limit(header_limit_bytes);
        parser_->body_limit(state_->options.body_limit_bytes);
        read_timer_.expires_after(state_->options.read_timeout);
        // The generation check ignores an expiry queued just before cancel().
        read_timer_.async_wait([weak = weak_from_this(), gen = ++read_generation_](beast::error_code ec) {
            if (ec) return;
            if (auto self = weak.lock(); self && self->phase_ == phase::reading && self->read_generation_ == gen) {
                self->timed_out_ = true;
                beast::error_code ignored;
                self->stream_.socket().cancel(ignored);
            }
        });
        bhttp::async_read_header(stream_, buffer_, *parser_,
                                 [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                     self->on_header(ec);
                                 });
    }

    void on_header(beast::error_code ec) {
        if (ec) return on_read_error(ec);
        // "Expect: 100-continue": tell the client to send the body we are willing to read.
        auto& req = parser_->get();
        auto expect = req[bhttp::field::expect];
        if (beast::iequals(expect, "100-continue") && !parser_->is_done()) {
            static const std::string continue_line = "HTTP/1.1 100 Continue\r\n\r\n";
            asio::async_write(stream_, asio::buffer(continue_line),
                              [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                  if (ec) return self->on_read_error(ec);
                                  self->read_body();
                              });
            return;
        }
        read_body();
    }

    void read_body() {
        bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->on_read_error(ec);
            self->read_timer_.cancel();
            self->dispatch_request();
        });
    }

    void on_read_error(beast::error_code ec) {
        read_timer_.cancel();
        if (phase_ == phase::closed || stopping_) return close();
        // The client closed between requests: nothing to answer.
        if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::connection_reset)
            return close();
        // Whatever part of the header was parsed (all of it for 413) still names the request.
        std::string id = parser_ ? request_id_from(parser_->get()) : core::new_id();
        if (timed_out_)
            return answer_error(408, "request not received within " +
                                         std::to_string(state_->options.read_timeout.count()) + " ms", id);
        if (ec == bhttp::error::body_limit)
            return answer_error(413, "request body exceeds the limit of " +
                                         std::to_string(state_->options.body_limit_bytes) + " bytes", id);
        if (ec == bhttp::error::header_limit)
            return answer_error(431, "request headers exceed the limit of " + std::to_string(header_limit_bytes) +
                                         " bytes", id);
        if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category())
            return answer_error(400, "malformed HTTP request: " + ec.message(), id);
        close();  // a socket error: nobody to answer
    }

    // An error of our own, without calling the handler; the connection closes after it.
    void answer_error(int status, std::string detail, std::string id) {
        spdlog::warn("http {} {}: {}", status, id, detail);
        method_ = "-";
        log_path_ = "-";
        if (parser_) {
            const auto& msg = parser_->get();
            if (!msg.method_string().empty()) method_ = std::string(msg.method_string());
            auto target = msg.target();
            if (!target.empty()) log_path_.assign(target.substr(0, target.find('?')));
        }
        request_id_ = std::move(id);
        head_only_ = false;
        version_ = 11;
        phase_ = phase::busy;
        send(response::error(status, detail), false);
    }

    void dispatch_request() {
        phase_ = phase::busy;
        auto& msg = parser_->get();
        request req;
        req.method = std::string(msg.method_string());
        req.target = std::string(msg.target());
        req.remote = remote_;
        req.request_id = request_id_from(msg);
        for (const auto& f : msg) {
            std::string name(f.name_string());
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            req.headers.emplace_back(std::move(name), std::string(f.value()));
        }
        method_ = req.method;
        request_id_ = req.request_id;
        head_only_ = msg.method() == bhttp::verb::head;
        version_ = msg.version() == 10 ? 10 : 11;
        keep_alive_ = msg.keep_alive();

        parsed_target target;
        if (!parse_target(req.target, target)) {
            log_path_ = "-";
            keep_alive_ = false;
            return send(response::error(400, "malformed HTTP request: invalid request target"), false);
        }
        log_path_ = target.raw_path;
        req.path = std::move(target.path);
        req.raw_path = std::move(target.raw_path);
        req.query = std::move(target.query);
        req.body = std::move(msg.body());
        parser_.reset();

        if (state_->options.run_inline && state_->options.run_inline(req)) {
            response res = run_handler(*state_, req);
            if (res.deferred) return start_deferred(std::move(res), req);
            return send(std::move(res), keep_alive_ && !stopping_);
        }
        // The handler may block (storage, tools, Lua): run it on the worker pool, then
        // hop back to this connection's strand to write.
        asio::post(*state_->workers, [self = shared_from_this(), req = std::move(req)]() mutable {
            response res = run_handler(*self->state_, req);
            if (res.deferred) return self->start_deferred(std::move(res), req);
            self->reply_later(std::move(res));
        });
    }

    // From any thread: write `res` on this connection's strand.
    void reply_later(response res) {
        asio::post(stream_.get_executor(), [self = shared_from_this(), res = std::move(res)]() mutable {
            self->send(std::move(res), self->keep_alive_ && !self->stopping_);
        });
    }

    // The handler handed its work on; the connection stays busy until the reply comes.
    void start_deferred(response res, const request& req) {
        auto replied = std::make_shared<std::atomic<bool>>(false);
        reply done = [self = shared_from_this(), replied](response r) {
            if (replied->exchange(true)) return;  // exactly once, whatever the caller does
            if (r.deferred) r = response::error(500, "internal server error");
            self->reply_later(std::move(r));
        };
        try {
            res.deferred(done);
        } catch (const std::exception& e) {
            spdlog::error("request {} {} {}: deferred handler failed: {}", req.request_id, req.method, req.path,
                          e.what());
            done(response::error(500, "internal server error"));
        }
    }

    static response run_handler(shared_state& state, request& req) {
        core::request_scope scope(req.request_id);
        try {
            response res = state.handler(req);
            if (res.status < 100 || res.status > 599) {
                spdlog::error("request {} {} {}: handler answered invalid status {}", req.request_id, req.method,
                              req.path, res.status);
                return response::error(500, "internal server error");
            }
            return res;
        } catch (const http_error& e) {
            int status = e.status() >= 100 && e.status() <= 599 ? e.status() : 500;
            return response::error(status, e.detail());
        } catch (const std::exception& e) {
            spdlog::error("request {} {} {}: handler failed: {}", req.request_id, req.method, req.path, e.what());
        } catch (...) {
            spdlog::error("request {} {} {}: handler failed with a non-standard exception", req.request_id,
                          req.method, req.path);
        }
        return response::error(500, "internal server error");
    }

    void send(response res, bool keep_alive) {
        keep_alive_ = keep_alive;
        auto out = std::make_shared<bhttp::response<bhttp::string_body>>();
        out->version(version_);
        out->result(static_cast<unsigned>(res.status));
        out->set(bhttp::field::server, "switchboard");
        if (!res.content_type.empty()) out->set(bhttp::field::content_type, res.content_type);
        for (auto& [name, value] : res.headers) {
            if (beast::iequals(name, "content-length") || beast::iequals(name, "connection") ||
                beast::iequals(name, "transfer-encoding"))
                continue;  // ours to decide
            out->set(name, value);
        }
        out->set("X-Request-Id", request_id_);
        out->keep_alive(keep_alive);
        std::size_t body_size = res.body.size();
        if (bodiless(res.status)) {
            res.body.clear();
            body_size = 0;
        } else {
            // HEAD: the length of the body GET would have sent, and no body.
            out->content_length(body_size);
            if (head_only_) res.body.clear();
        }
        out->body() = std::move(res.body);
        status_ = res.status;
        bytes_ = body_size;

        stream_.expires_after(std::max<std::chrono::milliseconds>(state_->options.read_timeout, min_write_timeout));
        bhttp::async_write(stream_, *out, [self = shared_from_this(), out](beast::error_code ec, std::size_t) {
            self->on_written(ec);
        });
    }

    void on_written(beast::error_code ec) {
        auto ms = std::chrono::duration<double, std::milli>(clock_type::now() - started_).count();
        {
            core::request_scope scope(request_id_);  // the logger prints it with every line
            spdlog::info("{} {} {} {}B {:.1f}ms", method_, log_path_, status_, bytes_, ms);
        }
        if (ec) return close();
        if (!keep_alive_ || stopping_) return linger_close();
        wait_for_request();
    }

    // Send our FIN, then read and drop whatever the client still sends (e.g. the rest
    // of a refused upload) until it closes or max_linger passes: closing with unread
    // data would reset the connection and could destroy our answer in flight.
    void linger_close() {
        phase_ = phase::closed;
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(std::min<std::chrono::milliseconds>(state_->options.read_timeout, max_linger));
        drain();
    }

    void drain() {
        buffer_.clear();
        stream_.async_read_some(buffer_.prepare(16 * 1024), [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->close();
            self->drain();
        });
    }

    void close() {
        phase_ = phase::closed;
        read_timer_.cancel();
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream_.close();
    }

    beast::tcp_stream stream_;
    asio::steady_timer read_timer_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    std::shared_ptr<shared_state> state_;
    std::string remote_;

    phase phase_ = phase::idle;
    bool stopping_ = false;
    bool timed_out_ = false;
    bool keep_alive_ = false;
    bool head_only_ = false;
    unsigned version_ = 11;
    std::uint64_t read_generation_ = 0;
    // For the access log of the request in progress.
    clock_type::time_point started_ = clock_type::now();
    std::string method_, log_path_, request_id_;
    int status_ = 0;
    std::size_t bytes_ = 0;
};

}  // namespace

struct server::impl {
    explicit impl(server_options options, request_handler handler)
        : state(std::make_shared<shared_state>()),
          ioc(static_cast<int>(std::max(1u, options.io_threads))),
          acceptor(asio::make_strand(ioc)),
          workers(std::max(1u, options.worker_threads)) {
        state->options = std::move(options);
        state->handler = std::move(handler);
        state->workers = &workers;
    }

    void do_accept() {
        acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted || !acceptor.is_open()) return;
            if (!ec) {
                auto s = std::make_shared<session>(std::move(socket), state);
                {
                    std::lock_guard lock(state->mutex);
                    if (state->stopping) return;  // s (and its socket) die here
                    state->sessions.emplace(s.get(), s);
                }
                s->start();
            } else {
                // EMFILE and friends: keep accepting, the condition may pass.
                spdlog::warn("http accept failed: {}", ec.message());
            }
            do_accept();
        });
    }

    // Declared first so it outlives the io_context: sessions destroyed with the
    // io_context's pending handlers still deregister from it.
    std::shared_ptr<shared_state> state;
    asio::io_context ioc;
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    tcp::acceptor acceptor;
    asio::thread_pool workers;
    std::vector<std::thread> io_threads;
    std::atomic<std::uint16_t> port{0};

    std::mutex lifecycle;  // start/stop/wait
    std::condition_variable stopped_cv;
    bool started = false;
    bool stop_begun = false;
    bool stopped = false;
};

server::server(server_options options, request_handler handler)
    : impl_(std::make_unique<impl>(std::move(options), std::move(handler))) {}

server::~server() {
    bool running;
    {
        std::lock_guard lock(impl_->lifecycle);
        running = impl_->started && !impl_->stop_begun;
    }
    if (running) stop(std::chrono::seconds(5));
    wait();
}

void server::start() {
    auto& m = *impl_;
    std::lock_guard lock(m.lifecycle);
    if (m.started || m.stop_begun) throw std::logic_error("http server: start() called twice");
    const auto& o = m.state->options;
    std::string where = o.host + ":" + std::to_string(o.port);

    beast::error_code ec;
    auto address = asio::ip::make_address(o.host, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": invalid address: " + ec.message());
    tcp::endpoint endpoint(address, o.port);
    auto fail = [&](const char* step) {
        throw std::runtime_error("cannot listen on " + where + ": " + step + ": " + ec.message());
    };
    m.acceptor.open(endpoint.protocol(), ec);
    if (ec) fail("open");
    m.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (ec) fail("set_option");
    m.acceptor.bind(endpoint, ec);
    if (ec) {
        beast::error_code ignored;
        m.acceptor.close(ignored);
        fail("bind");
    }
    m.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        beast::error_code ignored;
        m.acceptor.close(ignored);
        fail("listen");
    }
    m.port = m.acceptor.local_endpoint(ec).port();

    m.work.emplace(m.ioc.get_executor());
    asio::dispatch(m.acceptor.get_executor(), [&m] { m.do_accept(); });
    unsigned n = std::max(1u, o.io_threads);
    for (unsigned i = 0; i < n; ++i)
        m.io_threads.emplace_back([&m] {
            pthread_setname_np(pthread_self(), "sb-io");  // for top -H, gdb, perf
            // An exception escaping a completion handler must not take the thread down.
            for (;;) {
                try {
                    m.ioc.run();
                    return;
                } catch (const std::exception& e) {
                    spdlog::error("http I/O thread: unexpected exception: {}", e.what());
                }
            }
        });
    m.started = true;
    spdlog::info("http server listening on {}:{}", o.host, m.port.load());
}

std::uint16_t server::bound_port() const noexcept { return impl_->port.load(); }

void server::stop(std::chrono::milliseconds grace) {
    auto& m = *impl_;
    {
        std::lock_guard lock(m.lifecycle);
        if (m.stop_begun) return;  // another thread is stopping (wait() for it)
        m.stop_begun = true;
        if (!m.started) {
            m.stopped = true;
            m.stopped_cv.notify_all();
            return;
        }
    }
    auto deadline = clock_type::now() + grace;

    // 1. No new connections: close the acceptor on its strand.
    std::promise<void> closed;
    asio::dispatch(m.acceptor.get_executor(), [&m, &closed] {
        beast::error_code ignored;
        m.acceptor.close(ignored);
        closed.set_value();
    });
    closed.get_future().wait();

    // 2. Close idle connections; busy ones finish their response, then close.
    std::vector<std::shared_ptr<session>> live;
    {
        std::lock_guard lock(m.state->mutex);
        m.state->stopping = true;
        for (auto& [ptr, weak] : m.state->sessions)
            if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    for (auto& s : live) s->shut_down();
    live.clear();

    // 3. Wait for the sessions to drain, up to the grace period.
    {
        std::unique_lock lock(m.state->mutex);
        m.state->drained.wait_until(lock, deadline, [&] { return m.state->sessions.empty(); });
        if (!m.state->sessions.empty())
            spdlog::warn("http server: {} connection(s) still open after the grace period; dropping them",
                         m.state->sessions.size());
    }

    // 4. Stop the I/O and the workers, then join them.
    m.work.reset();
    m.ioc.stop();
    for (auto& t : m.io_threads)
        if (t.joinable()) t.join();
    m.workers.stop();
    m.workers.join();
    spdlog::info("http server stopped");

    std::lock_guard lock(m.lifecycle);
    m.stopped = true;
    m.stopped_cv.notify_all();
}

void server::wait() {
    std::unique_lock lock(impl_->lifecycle);
    if (!impl_->started && !impl_->stop_begun) return;  // never started: nothing to wait for
    impl_->stopped_cv.wait(lock, [&] { return impl_->stopped; });
}

}  // namespace switchboard::http
