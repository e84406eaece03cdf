// tim: the command-line client of the tim library.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "tim/version.h"

namespace {

// Exit statuses, one place for all commands (docs/cli.md, "Exit status").
constexpr const char* kExitStatus =
    "Exit status:\n"
    "  0  done\n"
    "  1  failed: the index or an input could not be read or written, or is damaged\n"
    "     (tim verify: damage found)\n"
    "  2  usage: an unknown command or flag, a missing or bad argument\n"
    "  3  partly done, each miss reported on stderr: tim index committed but skipped\n"
    "     bad lines or documents (--on-error=fail stops at the first instead);\n"
    "     tim search --queries skipped bad lines; tim get / delete did not find an id\n";

std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] != b[j - 1] ? 1 : 0)});
      diag = up;
    }
  }
  return row[b.size()];
}

// The name closest to `typed`, when it is close enough to be a typo.
std::string Closest(const std::string& typed, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_d = typed.size() / 2 + 1;
  for (const std::string& n : names) {
    // A prefix of a flag is what a person types when they half-remember it.
    const std::size_t d = n.rfind(typed, 0) == 0 && typed.size() > 3 ? 1 : EditDistance(typed, n);
    if (d < best_d || (d == best_d && !best.empty() && n < best)) {
      best_d = d;
      best = n;
    }
  }
  return best;
}

// A hint for what was mistyped: a command or a flag.
std::string Hint(CLI::App& app, int argc, char** argv) {
  CLI::App* command = nullptr;
  std::vector<std::string> commands;
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) {
    commands.push_back(sub->get_name());
    if (command == nullptr) {
      for (int i = 1; i < argc; ++i) {
        if (sub->get_name() == argv[i]) command = sub;
      }
    }
  }
  if (command == nullptr) {
    if (argc > 1 && argv[1][0] != '-') {
      const std::string c = Closest(argv[1], commands);
      return "'" + std::string(argv[1]) + "' is not a tim command" +
             (c.empty() ? "" : "; did you mean 'tim " + c + "'?");
    }
    return "";
  }
  std::vector<std::string> flags = {"--help"};
  for (const CLI::Option* opt : command->get_options()) {
    for (const std::string& n : opt->get_lnames()) flags.push_back("--" + n);
    for (const std::string& n : opt->get_snames()) flags.push_back("-" + n);
  }
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    arg = arg.substr(0, arg.find('='));
    if (std::find(flags.begin(), flags.end(), arg) != flags.end()) continue;
    const std::string c = Closest(arg, flags);
    return "tim " + command->get_name() + " has no flag " + arg +
           (c.empty() ? "" : "; did you mean " + c + "?");
  }
  return "";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"tim: full-text search that gets Vietnamese right"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("tim ") + tim::Version());
  app.footer(kExitStatus);
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
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "tim: %s\n", e.what());
    const std::string hint = Hint(app, argc, argv);
    if (!hint.empty()) std::fprintf(stderr, "tim: %s\n", hint.c_str());
    std::fprintf(stderr, "Run tim --help, or tim COMMAND --help, for usage.\n");
    return 2;
  }
  for (const auto& [cmd, run] : commands) {
    if (cmd->parsed()) return run();
  }
  return 2;
}
