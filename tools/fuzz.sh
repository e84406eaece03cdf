#!/bin/sh
# Runs tim's fuzz targets for a long time (docs/testing.md, "Fuzzing"):
#   sh tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]
# Default: 600 seconds each for every target, one after another, on one
# core. Builds build-fuzz/ (clang, libFuzzer, ASan + UBSan) if needed. The
# corpus grows in build-fuzz/fuzz-corpus/TARGET across runs; a crashing
# input lands in build-fuzz/fuzz-corpus/TARGET-findings/. Prints, per
# target, the executions and the findings.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-analyzer typing jsonl query decoders index_open}

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTIM_FUZZ=ON >/dev/null
cmake --build build-fuzz -j "$(nproc)" >/dev/null

results=""
for t in $targets; do
  bin=build-fuzz/tests/fuzz/fuzz_$t
  corpus=build-fuzz/fuzz-corpus/$t findings=build-fuzz/fuzz-corpus/$t-findings
  mkdir -p "$corpus" "$findings"
  TIM_FUZZ_WRITE_SEEDS="$corpus" "$bin" >/dev/null
  log=build-fuzz/fuzz-corpus/$t.log
  echo "fuzz_$t: $seconds s, log in $log"
  # -fork keeps going after a finding, so one run reports them all.
  "$bin" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
    -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$corpus" tests/fuzz/regressions/$t >"$log" 2>&1 || true
  last=$(grep -E '^#[0-9]+: cov' "$log" | tail -1)
  units=$(echo "$last" | sed -E 's/^#([0-9]+):.*/\1/')
  cov=$(echo "$last" | sed -E 's/.* cov: ([0-9]+).*/\1/')
  found=$(ls "$findings" | wc -l)
  results="$results
fuzz_$t	$seconds s	${units:-0} executions	coverage ${cov:-0}	$found findings"
done
echo "$results"
