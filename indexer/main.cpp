// panmun-index: builds and maintains archives. Parses options, calls the corpus library, prints.
#include "commands.hpp"

int main(int argc, char** argv) {
    using namespace panmun;
    CLI::App app("panmun-index: build and maintain panmun archives of news articles",
                 "panmun-index");
    app.require_subcommand(1);
    cli::Commands commands;
    indexer::add_ingest_commands(app, commands);
    indexer::add_archive_commands(app, commands);
    return cli::run(app, argc, argv, cli::ErrorStyle::indexer,
                    [&] { return commands.run_chosen(); });
}
