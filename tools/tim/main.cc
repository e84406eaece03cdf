// tim: the command-line client of the tim library.

#include <CLI/CLI.hpp>

#include <string>

#include "commands.h"

int main(int argc, char** argv) {
  CLI::App app{"tim: full-text search that gets Vietnamese right"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tim ") + TIM_VERSION);
  tim::cli::Command analyze = tim::cli::AddAnalyzeCommand(&app);
  CLI11_PARSE(app, argc, argv);
  if (app.got_subcommand("analyze")) return analyze();
  return 2;
}
