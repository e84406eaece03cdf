#!/bin/sh
# The README's first command: installs what is missing, builds tim (Release)
# into build/, and shows it at work on the sample corpus in corpus/.
# Until the index and the search shell exist, it shows how tim analyses the
# title of a sample article.
set -eu
cd "$(dirname "$0")/.."
sh tools/install-deps.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > "$log" 2>&1 || { cat "$log"; exit 1; }
cmake --build build --target tim_cli -j "$(nproc)"
sample=$(head -n 1 corpus/003_e1badc16e3a5cbfa.txt)
echo
echo "\$ build/tim analyze \"$sample\""
build/tim analyze "$sample"
