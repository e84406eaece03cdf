#!/bin/sh
# The README's first command: installs what is missing, builds tim (Release)
# into build/, indexes the sample articles in corpus/ into build/corpus-index,
# runs sample searches, and then, when stdin is a terminal, opens the search
# shell (tim shell: :help lists its commands, Ctrl-D leaves).
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
echo "\$ build/tim verify build/corpus-index"
build/tim verify build/corpus-index
for q in 'ha noi' 'đô thị thông minh' 'Thành phố nào của Hàn Quốc hợp tác với Huế' '"hợp tác" -huế' 'howpj tacs' 'vie65t nam'; do
  echo
  echo "\$ build/tim search build/corpus-index -k 3 '$q'"
  build/tim search build/corpus-index -k 3 "$q"
done
if [ -t 0 ]; then
  echo
  echo "\$ build/tim shell build/corpus-index"
  exec build/tim shell build/corpus-index
fi
