// HttpServer on cpp-httplib (Debian's libcpp-httplib, 0.11): the only file that includes it.
// Debian's 0.11.4 has known, unfixed advisories, so the server is loopback by default, the
// request line and body are capped here and in the application (app.cpp), and nothing is ever
// read from the file system: every route is the application's.
#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>

#include "http.hpp"
#include "panmun/errors.hpp"

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

HttpRequest convert(const httplib::Request& r) {
    HttpRequest q;
    q.method = r.method;
    q.path = r.path;
    for (const auto& [k, v] : r.params) q.params.emplace(k, v);
    for (const auto& [k, v] : r.headers) {
        std::string name = k;
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        q.headers[name] = v;
    }
    q.body = r.body;
    return q;
}

void answer(HttpResponse a, httplib::Response& res) {
    res.status = a.status;
    for (const auto& [k, v] : a.headers) res.set_header(k, v);
    if (!a.stream) {
        res.set_content(a.body, a.content_type);
        return;
    }
    res.set_chunked_content_provider(a.content_type, [stream = std::move(a.stream)](
                                                         std::size_t, httplib::DataSink& sink) {
        const bool whole =
            stream([&](std::string_view piece) { return sink.write(piece.data(), piece.size()); });
        if (whole) sink.done();
        return whole;  // false drops the connection: the transfer fails visibly
    });
}

class HttplibServer : public HttpServer {
public:
    int bind(const ServerSettings& s) override {
        server_.new_task_queue = [n = s.threads] { return new httplib::ThreadPool(n); };
        server_.set_payload_max_length(s.max_body);
        server_.set_read_timeout(s.read_timeout_seconds, 0);
        server_.set_write_timeout(30, 0);
        // SO_REUSEADDR only: cpp-httplib's default adds SO_REUSEPORT, with which a second server
        // on a taken port starts and silently shares its requests with the first.
        server_.set_socket_options([](int sock) {
            int yes = 1;
            setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
        });
        const int port = s.port == 0                            ? server_.bind_to_any_port(s.bind)
                         : server_.bind_to_port(s.bind, s.port) ? s.port
                                                                : -1;
        if (port <= 0)
            throw UsageError("cannot listen on " + s.bind + ":" + std::to_string(s.port) +
                             " (the port is taken, or the address is not this machine's)");
        return port;
    }

    void run(Handler handler) override {
        auto route = [handler](const httplib::Request& req, httplib::Response& res) {
            answer(handler(convert(req)), res);
        };
        for (const char* any : {".*"}) {
            server_.Get(any, route);
            server_.Post(any, route);
            server_.Put(any, route);
            server_.Delete(any, route);
            server_.Patch(any, route);
            server_.Options(any, route);
        }
        // What the library refused before routing (414, 413, 400): the application words it.
        server_.set_error_handler(httplib::Server::HandlerWithResponse(
            [handler](const httplib::Request& req, httplib::Response& res) {
                if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
                HttpRequest q = convert(req);
                q.path.clear();
                q.headers["x-panmun-status"] = std::to_string(res.status);
                const int status = res.status;
                answer(handler(q), res);
                res.status = status;
                return httplib::Server::HandlerResponse::Handled;
            }));
        server_.listen_after_bind();
    }

    void stop() override { server_.stop(); }

private:
    httplib::Server server_;
};

}  // namespace

std::unique_ptr<HttpServer> make_http_server() { return std::make_unique<HttplibServer>(); }

}  // namespace panmun::web
