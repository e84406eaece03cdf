// The version macros, the run-time version and the CLI's --version agree.

#include <gtest/gtest.h>

#include <string>

#include "test_util.h"
#include "tim/version.h"

namespace {

TEST(Version, MacrosRunTimeAndCliAgree) {
  const std::string want = std::to_string(TIM_VERSION_MAJOR) + "." +
                           std::to_string(TIM_VERSION_MINOR) + "." +
                           std::to_string(TIM_VERSION_PATCH);
  EXPECT_EQ(std::string(tim::Version()), want);
  const tim::testing::CommandResult r =
      tim::testing::RunCommand(std::string(TIM_BINARY) + " --version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "tim " + want + "\n");
}

TEST(Version, AtLeastOrdersMajorMinorPatch) {
  static_assert(TIM_VERSION_AT_LEAST(TIM_VERSION_MAJOR, TIM_VERSION_MINOR, TIM_VERSION_PATCH));
  static_assert(TIM_VERSION_AT_LEAST(0, 0, 0));
  static_assert(!TIM_VERSION_AT_LEAST(TIM_VERSION_MAJOR + 1, 0, 0));
  static_assert(!TIM_VERSION_AT_LEAST(TIM_VERSION_MAJOR, TIM_VERSION_MINOR + 1, 0));
  static_assert(!TIM_VERSION_AT_LEAST(TIM_VERSION_MAJOR, TIM_VERSION_MINOR, TIM_VERSION_PATCH + 1));
  // A later minor version outranks any patch of this one.
  static_assert(TIM_VERSION_NUMBER < TIM_VERSION_MAJOR * 10000 + (TIM_VERSION_MINOR + 1) * 100);
  SUCCEED();
}

}  // namespace
