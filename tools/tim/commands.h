// The subcommands of the tim CLI. Each registers its options on the app and
// returns the function that runs it (its exit code).

#ifndef TIM_TOOLS_COMMANDS_H_
#define TIM_TOOLS_COMMANDS_H_

#include <functional>
#include <utility>
#include <vector>

namespace CLI {
class App;
}

namespace tim::cli {

using Command = std::function<int()>;

Command AddAnalyzeCommand(CLI::App* app);
Command AddIndexCommand(CLI::App* app);
Command AddSearchCommand(CLI::App* app);
Command AddShellCommand(CLI::App* app);
// Registers stats, verify, merge, delete and get, each with its runner.
void AddAdminCommands(CLI::App* app, std::vector<std::pair<CLI::App*, Command>>* out);

}  // namespace tim::cli

#endif  // TIM_TOOLS_COMMANDS_H_
