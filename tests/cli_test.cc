// Runs the built tim binary as a user would.

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "test_util.h"

namespace {

using CliRun = tim::testing::CommandResult;

CliRun Tim(const std::string& args, const std::string& stdin_text = "") {
  std::string cmd = std::string(TIM_BINARY) + " " + args + " 2>/dev/null";
  // stdin_text is a printf format: "\\377" gives the byte 0xFF.
  if (!stdin_text.empty()) cmd = "printf '" + stdin_text + "' | " + cmd;
  return tim::testing::RunCommand(cmd);
}

TEST(Cli, AnalyzeJsonPrintsOneObjectPerToken) {
  const CliRun r = Tim("analyze --json 'Hoà bình'");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "{\"kind\":\"word\",\"pos\":0,\"start\":0,\"end\":4,\"text\":\"Hoà\",\"exact\":\"hòa\","
            "\"folded\":\"hoa\"}\n"
            "{\"kind\":\"word\",\"pos\":1,\"start\":5,\"end\":10,\"text\":\"bình\",\"exact\":"
            "\"bình\",\"folded\":\"binh\"}\n"
            "{\"kind\":\"bigram\",\"pos\":0,\"start\":0,\"end\":10,\"text\":\"Hoà bình\",\"exact\":"
            "\"hòa bình\",\"folded\":\"hoa binh\"}\n");
}

TEST(Cli, AnalyzeReadsStandardInput) {
  const CliRun r = Tim("analyze --json --no-bigrams", "Đà Nẵng");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("\"folded\":\"da\""), std::string::npos);
  EXPECT_NE(r.out.find("\"folded\":\"nang\""), std::string::npos);
  EXPECT_EQ(r.out.find("bigram"), std::string::npos);
}

TEST(Cli, AnalyzeTableShowsForms) {
  const CliRun r = Tim("analyze 'thuỷ lợi'");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("thủy"), std::string::npos);
  EXPECT_NE(r.out.find("thuy loi"), std::string::npos);
}

TEST(Cli, StrictModeRejectsInvalidUtf8) {
  EXPECT_EQ(Tim("analyze --strict", "H\\377a").exit_code, 1);
  EXPECT_EQ(Tim("analyze", "H\\377a").exit_code, 0);
}

TEST(Cli, UnknownCommandFails) {
  EXPECT_NE(Tim("frobnicate").exit_code, 0);
  EXPECT_NE(Tim("").exit_code, 0);
}

}  // namespace
