#!/bin/sh
# The README's second command, and what CI runs (.ci/run): installs what is
# missing, then builds and runs the test suite four ways:
#  - build/: Release, every test;
#  - build-asan/: AddressSanitizer + UndefinedBehaviorSanitizer, every test;
#  - build-tsan/: ThreadSanitizer, the library's own tests (tim_tests: the
#    concurrency test and every test that indexes with several threads);
#  - build-fuzz/: clang's libFuzzer with ASan + UBSan, each fuzz target for
#    TIM_FUZZ_SECONDS (default 15) from its seeds and saved crashing inputs.
# Corpus-wide tests skip with a message when ../shared/corpus is absent.
set -eu
cd "$(dirname "$0")/.."
sh tools/install-deps.sh
jobs=$(nproc)
# The sanitizer builds keep line tables only (-g1): their reports still name
# file and line, and they compile about a fifth faster than with -g.
g1="-O2 -g1 -DNDEBUG"

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$jobs"
(cd build && ctest --output-on-failure -j "$jobs")

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTIM_SANITIZE=ON -DTIM_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$g1" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$g1"
cmake --build build-asan -j "$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j "$jobs")

cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTIM_SANITIZE=thread -DTIM_BUILD_BENCH=OFF \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$g1" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$g1"
cmake --build build-tsan -j "$jobs" --target tim_tests
# halt_on_error: a data race fails the test that ran into it.
(cd build-tsan && TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
  ctest --output-on-failure -j "$jobs" -L tim_tests -E "^Cli")

CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTIM_FUZZ=ON \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$g1" -DCMAKE_C_FLAGS_RELWITHDEBINFO="$g1" \
  -DTIM_FUZZ_SECONDS="${TIM_FUZZ_SECONDS:-15}"
cmake --build build-fuzz -j "$jobs"
(cd build-fuzz && ctest --output-on-failure -j "$jobs")
