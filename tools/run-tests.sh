#!/bin/sh
# The README's second command, and what CI runs (.ci/run): installs what is
# missing, then builds and runs the whole test suite twice: a Release build in
# build/, and an AddressSanitizer + UndefinedBehaviorSanitizer build in
# build-asan/. Corpus-wide tests skip with a message when ../shared/corpus
# is absent.
set -eu
cd "$(dirname "$0")/.."
sh tools/install-deps.sh
jobs=$(nproc)

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build -j "$jobs"
(cd build && ctest --output-on-failure -j "$jobs")

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTIM_SANITIZE=ON -DTIM_BUILD_BENCH=OFF
cmake --build build-asan -j "$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure -j "$jobs")
