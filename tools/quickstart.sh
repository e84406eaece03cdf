#!/bin/sh
# The README's first command: installs what is missing, builds tim (Release)
# into build/, indexes the sample articles in corpus/ into build/corpus-index
# and shows the index. (The search command and shell come with the query
# issue; until then it shows the index's figures and one stored article.)
set -eu
cd "$(dirname "$0")/.."
sh tools/install-deps.sh
log=$(mktemp)
trap 'rm -f "$log"' EXIT
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > "$log" 2>&1 || { cat "$log"; exit 1; }
cmake --build build --target tim_cli -j "$(nproc)"
rm -rf build/corpus-index
echo
echo "\$ build/tim index build/corpus-index corpus/"
build/tim index build/corpus-index corpus/
echo
echo "\$ build/tim stats build/corpus-index"
build/tim stats build/corpus-index
echo
echo "\$ build/tim verify build/corpus-index"
build/tim verify build/corpus-index
first=$(ls corpus | head -n 1)
echo
echo "\$ build/tim get build/corpus-index $first"
build/tim get build/corpus-index "$first" | head -c 300 | { iconv -c -f UTF-8 -t UTF-8 || true; }; echo " ..."
