#!/bin/sh
# Runs one libFuzzer target for SECONDS from its seeds, its saved crashing
# inputs and what earlier runs kept in WORKDIR/corpus. A crash, a leak, an
# input slower than 20 s or using more than 2 GB fails the run; the input is
# left in WORKDIR (crash-*, leak-*, timeout-*, oom-*).
#   run-target.sh BINARY SECONDS WORKDIR REGRESSIONS_DIR
set -eu
bin=$1 seconds=$2 work=$3 regressions=$4
mkdir -p "$work/corpus" "$regressions"
rm -rf "$work/seeds"
TIM_FUZZ_WRITE_SEEDS="$work/seeds" "$bin"
exec "$bin" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$work/" "$work/corpus" "$work/seeds" "$regressions"
