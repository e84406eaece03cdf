// tim: the command-line client of the tim library.

#include <CLI/CLI.hpp>

#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "tim/version.h"

int main(int argc, char** argv) {
  CLI::App app{"tim: full-text search that gets Vietnamese right"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tim ") + tim::Version());
  std::vector<std::pair<CLI::App*, tim::cli::Command>> commands;
  tim::cli::Command analyze = tim::cli::AddAnalyzeCommand(&app);
  commands.emplace_back(app.get_subcommand("analyze"), analyze);
  tim::cli::Command index = tim::cli::AddIndexCommand(&app);
  commands.emplace_back(app.get_subcommand("index"), index);
  tim::cli::Command search = tim::cli::AddSearchCommand(&app);
  commands.emplace_back(app.get_subcommand("search"), search);
  tim::cli::Command shell = tim::cli::AddShellCommand(&app);
  commands.emplace_back(app.get_subcommand("shell"), shell);
  tim::cli::AddAdminCommands(&app, &commands);
  CLI11_PARSE(app, argc, argv);
  for (const auto& [cmd, run] : commands) {
    if (cmd->parsed()) return run();
  }
  return 2;
}
