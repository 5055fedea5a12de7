// panmun-query serve: the web interface and JSON API over one or more archives (corpus/web).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "app.hpp"
#include "http.hpp"
#include "options.hpp"

namespace panmun {

struct ServeCommand {
    CLI::App* cmd = nullptr;
    web::WebSettings settings;     // what the options fill: the application's settings,
    web::ServerSettings listen;    // and the HTTP server's (run() copies the bind address over)
    cli::ArchivesOption archives;  // run() copies them to settings
    bool quiet = false;

    void add_to(CLI::App& app);
    int run();
};

}  // namespace panmun
