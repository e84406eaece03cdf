// The subcommands of the tim CLI. Each registers its options on the app and
// returns the function that runs it (its exit code).

#ifndef TIM_TOOLS_COMMANDS_H_
#define TIM_TOOLS_COMMANDS_H_

#include <functional>

namespace CLI {
class App;
}

namespace tim::cli {

using Command = std::function<int()>;

Command AddAnalyzeCommand(CLI::App* app);

}  // namespace tim::cli

#endif  // TIM_TOOLS_COMMANDS_H_
