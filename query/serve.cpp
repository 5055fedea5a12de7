// panmun-query serve: binds, says where it serves, answers until SIGINT or SIGTERM. The signals
// are taken by a thread of their own (sigwait), which stops the server cleanly.
#include "serve.hpp"

#include <signal.h>

#include <iostream>
#include <thread>

#include "app.hpp"
#include "panmun/errors.hpp"

namespace panmun {

void ServeCommand::add_to(CLI::App& app) {
    cmd = app.add_subcommand("serve", "Serve archives to a web browser and a JSON API (read-only)");
    cmd->footer(
        "Open the address it prints in a browser: search, facets, a timeline, documents and\n"
        "their precedents. The JSON API (/api/search, /api/doc/ID, /api/like, /api/entities,\n"
        "/api/stats, /api/export) is described in docs/WEB.md. Loopback only unless --bind\n"
        "says otherwise. Updates made with panmun-index while it runs show at the next request.\n"
        "Several archives are served each on its own and, as the view named \"all\", as one.\n"
        "Exit status: 0 stopped by a signal, 2 error.");
    archives.add_to(*cmd);
    cmd->add_option("--bind", listen.bind, "Address to listen on")->capture_default_str();
    cmd->add_option("--port", listen.port, "Port (0: any free one)")
        ->capture_default_str()
        ->check(CLI::Range(0, 65535));
    cmd->add_option("--threads", listen.threads, "Requests answered at once")
        ->capture_default_str()
        ->check(CLI::Range(1u, 256u));
    cmd->add_option("--time-limit", settings.time_limit,
                    "Seconds a query may spend counting its matches (then totals are estimates)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_option("--cache-clusters", settings.cache_clusters,
                    "Decompressed store clusters kept for each archive (about 224 KiB each; 0: "
                    "none)")
        ->capture_default_str();
    cmd->add_option("--cache-responses", settings.cache_responses,
                    "Answers kept, by archive revision and request (0: none)")
        ->capture_default_str();
    cmd->add_option("--allow-host", settings.hosts,
                    "Also answer requests for this host name (behind a proxy); repeatable");
    cmd->add_flag("-q,--quiet", quiet, "Do not print the address served");
}

int ServeCommand::run() {
    settings.bind = listen.bind;
    settings.archives = archives.chosen();
    web::WebApp app(settings);
    // The signals go to the waiting thread only: block them before any thread starts.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto server = web::make_http_server();
    const int bound = server->bind(listen);
    const std::string& bind = listen.bind;
    const bool loopback = bind == "127.0.0.1" || bind == "::1" || bind == "localhost";
    if (!loopback)
        std::cerr << "panmun-query: warning: serving on " << bind
                  << ", not loopback: anyone who can reach this machine can read the archives, "
                     "over plain HTTP (no TLS, no authentication)\n";
    if (!quiet) {
        const std::string host = bind.find(':') != std::string::npos ? "[" + bind + "]" : bind;
        std::cerr << "panmun-query: serving";
        for (const auto& a : settings.archives) std::cerr << " " << a;
        std::cerr << " at http://" << (bind == "0.0.0.0" ? "127.0.0.1" : host) << ":" << bound
                  << "/ (Ctrl-C stops)" << std::endl;
    }
    std::thread waiter([&] {
        int signal = 0;
        sigwait(&signals, &signal);
        server->stop();
    });
    server->run([&app](const web::HttpRequest& r) { return app.handle(r); });
    // Stopped by a signal, or the server failed: make sure the waiter ends either way.
    pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    return 0;
}

}  // namespace panmun
