// The HTTP layer of `panmun-query serve`, behind an interface of panmun's own: the web
// application (app.hpp) sees requests and answers them, and knows nothing of the library that
// speaks HTTP (Boost.Beast today, in beast_server.cpp), so that another can replace it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace panmun::web {

struct HttpRequest {
    std::string method;                              // "GET", "POST", ...
    std::string path;                                // decoded, without the query string
    std::multimap<std::string, std::string> params;  // query string (and form body), decoded
    std::map<std::string, std::string> headers;      // names in lower case
    std::string body;

    // The first value of a parameter, or `fallback`.
    std::string param(const std::string& name, const std::string& fallback = {}) const;
    std::vector<std::string> params_named(const std::string& name) const;
    bool has(const std::string& name) const { return params.count(name) > 0; }
    std::string header(const std::string& lower_case_name) const;
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "text/plain; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    // A body written piece by piece (an export of a whole result set), instead of `body`: called
    // once; it calls `write` for each piece and returns false if it had to stop early (then the
    // response is cut off, so that the client sees a failed transfer, not a short file).
    std::function<bool(const std::function<bool(std::string_view)>& write)> stream;
};

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct ServerSettings {
    std::string bind = "127.0.0.1";
    int port = 8080;       // 0: any free port
    unsigned threads = 8;  // worker threads answering requests
    std::size_t max_body = 1 << 20;
    int read_timeout_seconds = 5;
};

class HttpServer {
public:
    virtual ~HttpServer() = default;
    // Binds the address; returns the port bound. Throws UsageError if it cannot.
    virtual int bind(const ServerSettings& settings) = 0;
    // Answers requests with `handler` (called on the worker threads, concurrently) until stop().
    // Requests the HTTP library refuses itself (a URI or body too long, a malformed request)
    // are answered by `handler` too, with the status set: see error_request().
    virtual void run(Handler handler) = 0;
    virtual void stop() = 0;
};

// A request standing for an error the HTTP library found before any route: path "" and the
// status in header "x-panmun-status".
bool is_error_request(const HttpRequest& request, int& status);

std::unique_ptr<HttpServer> make_http_server();  // Boost.Beast

}  // namespace panmun::web
