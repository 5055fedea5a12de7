// HttpServer on Boost.Beast (header-only, in Debian's libboost1.74-dev): the only file that
// speaks HTTP. It replaced cpp-httplib (Debian's 0.11, with known unfixed advisories), whose
// shared library loads OpenSSL and Brotli into every panmun-query process: 3 of the 7 ms a
// process took to start (docs/BENCHMARKS.md, issue 23). Plain HTTP/1.1 with keep-alive and
// chunked streaming; no TLS (loopback by default, or behind a proxy); nothing is ever read from
// the file system: every route is the application's.
//
// One thread accepts; `threads` workers each serve one connection at a time, with blocking
// reads and writes bounded by socket timeouts; an idle kept-alive connection gives its worker up
// as soon as another connection waits. stop() shuts the listening socket and every open
// connection down, which wakes whatever is blocked on them.
#define BOOST_BEAST_USE_STD_STRING_VIEW  // Beast's string_view is std::string_view
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <thread>

#include "http.hpp"
#include "panmun/errors.hpp"
#include "panmun/url.hpp"

namespace panmun::web {

std::string HttpRequest::param(const std::string& name, const std::string& fallback) const {
    auto it = params.find(name);
    return it == params.end() ? fallback : it->second;
}

std::vector<std::string> HttpRequest::params_named(const std::string& name) const {
    std::vector<std::string> out;
    for (auto [it, end] = params.equal_range(name); it != end; ++it) out.push_back(it->second);
    return out;
}

std::string HttpRequest::header(const std::string& lower_case_name) const {
    auto it = headers.find(lower_case_name);
    return it == headers.end() ? std::string() : it->second;
}

bool is_error_request(const HttpRequest& request, int& status) {
    const std::string s = request.header("x-panmun-status");
    if (!request.path.empty() || s.empty()) return false;
    status = std::atoi(s.c_str());
    return true;
}

namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

// The request line and headers: longer ones are refused with 414 (the application refuses
// queries of more than 4 KiB itself, with its own words).
constexpr std::size_t header_limit = 8 << 10;
constexpr int write_timeout_seconds = 30;
const boost::system::error_category& parse_errors =
    http::make_error_code(http::error::bad_target).category();

// "a=1&b=x+y" into `params`, decoded.
void parse_params(std::string_view query, std::multimap<std::string, std::string>& params) {
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
        if (pair.empty()) continue;
        const std::size_t eq = pair.find('=');
        params.emplace(
            url::decode(pair.substr(0, eq), true),
            eq == std::string_view::npos ? std::string() : url::decode(pair.substr(eq + 1), true));
    }
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

HttpRequest convert(http::request<http::string_body>& r) {
    HttpRequest q;
    q.method = std::string(r.method_string());
    const std::string_view target = r.target();
    const std::size_t mark = target.find('?');
    q.path = url::decode(target.substr(0, mark), false);
    if (mark != std::string_view::npos) parse_params(target.substr(mark + 1), q.params);
    for (const auto& field : r) q.headers[lower(field.name_string())] = std::string(field.value());
    q.body = std::move(r.body());
    if (q.method == "POST" &&
        q.header("content-type").rfind("application/x-www-form-urlencoded", 0) == 0)
        parse_params(q.body, q.params);
    return q;
}

void set_timeout(tcp::socket& socket, int option, int seconds) {
    timeval tv{seconds, 0};
    ::setsockopt(socket.native_handle(), SOL_SOCKET, option, &tv, sizeof tv);
}

// Writes `a`; false if the connection cannot go on (a write failed, or a stream stopped early:
// then the transfer is cut off, so that the client sees a failure, not a short file).
bool write(tcp::socket& socket, HttpResponse& a, bool head, bool keep_alive, unsigned version) {
    boost::system::error_code ec;
    auto fill = [&](auto& res) {
        res.result(static_cast<unsigned>(a.status));
        res.version(version);
        res.set(http::field::content_type, a.content_type);
        for (const auto& [name, value] : a.headers) res.insert(name, value);
        res.keep_alive(keep_alive);
    };
    if (!a.stream) {
        http::response<http::string_body> res;
        fill(res);
        res.content_length(a.body.size());
        if (head) {
            http::response_serializer<http::string_body> sr(res);
            http::write_header(socket, sr, ec);
        } else {
            res.body() = std::move(a.body);
            http::write(socket, res, ec);
        }
        return !ec;
    }
    http::response<http::empty_body> res;
    fill(res);
    res.chunked(true);
    http::response_serializer<http::empty_body> sr(res);
    http::write_header(socket, sr, ec);
    if (ec || head) return !ec && !head;
    const bool whole = a.stream([&](std::string_view piece) {
        if (!piece.empty())
            net::write(socket, http::make_chunk(net::buffer(piece.data(), piece.size())), ec);
        return !ec;
    });
    if (!whole || ec) return false;
    net::write(socket, http::make_chunk_last(), ec);
    return !ec;
}

class BeastServer : public HttpServer {
public:
    int bind(const ServerSettings& s) override {
        settings_ = s;
        boost::system::error_code ec;
        const net::ip::address address =
            net::ip::make_address(s.bind == "localhost" ? "127.0.0.1" : s.bind, ec);
        const tcp::endpoint endpoint(address, static_cast<unsigned short>(s.port));
        if (!ec) acceptor_.open(endpoint.protocol(), ec);
        // SO_REUSEADDR, not SO_REUSEPORT: a second server on a taken port must fail, not share
        // its requests with the first in silence.
        if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
        if (!ec) acceptor_.bind(endpoint, ec);
        if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
        if (ec)
            throw UsageError("cannot listen on " + s.bind + ":" + std::to_string(s.port) +
                             " (the port is taken, or the address is not this machine's)");
        return acceptor_.local_endpoint().port();
    }

    void run(Handler handler) override {
        std::vector<std::thread> workers;
        for (unsigned i = 0; i < std::max(1u, settings_.threads); ++i)
            workers.emplace_back([this, &handler] { work(handler); });
        while (!stopping_) {
            tcp::socket socket(io_);
            boost::system::error_code ec;
            acceptor_.accept(socket, ec);
            if (ec) {
                if (!stopping_) std::this_thread::sleep_for(std::chrono::milliseconds(10));
                continue;  // out of file descriptors, a connection reset before accept: go on
            }
            std::lock_guard lock(mutex_);
            waiting_.push_back(std::move(socket));
            ready_.notify_one();
        }
        ready_.notify_all();
        for (auto& t : workers) t.join();
    }

    void stop() override {
        stopping_ = true;
        ::shutdown(acceptor_.native_handle(), SHUT_RDWR);  // wakes accept()
        std::lock_guard lock(mutex_);
        for (int fd : serving_) ::shutdown(fd, SHUT_RDWR);
        ready_.notify_all();
    }

private:
    void work(const Handler& handler) {
        for (;;) {
            std::unique_lock lock(mutex_);
            ready_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
            if (stopping_) return;
            tcp::socket socket = std::move(waiting_.front());
            waiting_.pop_front();
            serving_.insert(socket.native_handle());
            lock.unlock();
            serve(socket, handler);
            lock.lock();
            serving_.erase(socket.native_handle());
            lock.unlock();
            boost::system::error_code ec;
            socket.close(ec);
        }
    }

    // The requests of one connection, until it closes, idles past the read timeout, or fails.
    void serve(tcp::socket& socket, const Handler& handler) {
        set_timeout(socket, SO_RCVTIMEO, settings_.read_timeout_seconds);
        set_timeout(socket, SO_SNDTIMEO, write_timeout_seconds);
        boost::beast::flat_buffer buffer;
        for (bool first = true; !stopping_; first = false) {
            if (!first && !buffer.size() && !next_request(socket)) return;
            http::request_parser<http::string_body> parser;
            parser.header_limit(header_limit);
            parser.body_limit(settings_.max_body);
            boost::system::error_code ec;
            http::read_header(socket, buffer, parser, ec);
            if (!ec && parser.get()[http::field::expect] == "100-continue") {
                http::response<http::empty_body> go_on(http::status::continue_, 11);
                http::write(socket, go_on, ec);
            }
            if (!ec && !parser.is_done()) http::read(socket, buffer, parser, ec);
            // The parser's own errors (beast's category), not a closed or timed-out connection.
            const bool refused = ec && ec.category() == parse_errors &&
                                 ec != http::error::end_of_stream &&
                                 ec != http::error::partial_message;
            if (refused) {
                refuse(socket, handler,
                       ec == http::error::body_limit     ? 413
                       : ec == http::error::header_limit ? 414
                                                         : 400);
                return;
            }
            if (ec) return;  // closed, timed out, reset
            http::request<http::string_body>& req = parser.get();
            const bool keep_alive = req.keep_alive(), head = req.method() == http::verb::head;
            const unsigned version = req.version();
            HttpResponse a = handler(convert(req));
            if (!write(socket, a, head, keep_alive, version) || !keep_alive) return;
        }
    }

    // Between two requests of a kept-alive connection: waits for the next while no other
    // connection waits for a worker (a browser keeps several open and idle), up to the read
    // timeout. False: close this one.
    bool next_request(tcp::socket& socket) {
        pollfd p{socket.native_handle(), POLLIN, 0};
        for (int waited = 0; waited < settings_.read_timeout_seconds * 1000; waited += 100) {
            const int ready = ::poll(&p, 1, 100);
            if (ready > 0) return true;
            if (ready < 0 && errno != EINTR) return false;
            std::lock_guard lock(mutex_);
            if (stopping_ || !waiting_.empty()) return false;
        }
        return false;
    }

    // A request the parser refused: the application words the answer (is_error_request()),
    // then the connection closes. What the client is still sending is read and dropped first
    // (up to a bound), so that closing does not reset the connection before it reads the answer.
    void refuse(tcp::socket& socket, const Handler& handler, int status) {
        HttpRequest q;
        q.headers["x-panmun-status"] = std::to_string(status);
        HttpResponse a = handler(q);
        a.status = status;
        if (!write(socket, a, false, false, 11)) return;
        boost::system::error_code ec;
        socket.shutdown(tcp::socket::shutdown_send, ec);
        char sink[16 << 10];
        for (std::size_t dropped = 0; !ec && dropped < 2 * settings_.max_body + (1 << 20);)
            dropped += socket.read_some(net::buffer(sink), ec);
    }

    ServerSettings settings_;
    net::io_context io_;
    tcp::acceptor acceptor_{io_};
    std::atomic<bool> stopping_{false};
    std::mutex mutex_;
    std::condition_variable ready_;
    std::deque<tcp::socket> waiting_;  // accepted, not yet served
    std::set<int> serving_;            // the connections being served (their descriptors)
};

}  // namespace

std::unique_ptr<HttpServer> make_http_server() { return std::make_unique<BeastServer>(); }

}  // namespace panmun::web
