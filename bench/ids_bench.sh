#!/bin/sh
# Ten million documents' worth of ids (docs/limits.md): indexes N tiny
# documents (default 10,000,000) with the CLI, one thread, and reports the
# time, peak memory and index size; then fetches ids and searches, timing
# each. Not part of the test suite (minutes, several GB of disk).
#   sh bench/ids_bench.sh [N] [WORKDIR]
set -eu
cd "$(dirname "$0")/.."
n=${1:-10000000}
work=${2:-/tmp/tim-ids-bench}
tim=$(pwd)/build/tim
[ -x "$tim" ] || { echo "build first: cmake --build build" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
/usr/bin/python3 - "$n" "$work/docs.jsonl" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
words = ["người", "Hà", "Nội", "quốc", "gia", "Đà", "Nẵng", "giữ", "nước", "thuở"]
with open(path, "w", encoding="utf-8") as f:
    for i in range(n):
        f.write('{"id":"tài-liệu-%08d","body":"%s %s"}\n' % (i, words[i % 10], words[i // 10 % 10]))
PY
echo "$n documents: $(du -h "$work/docs.jsonl" | cut -f1) of JSONL"
/usr/bin/time -f "index: %e s, peak %M KB" "$tim" index --threads 1 "$work/idx" "$work/docs.jsonl" 2>&1 | tail -3
du -sh "$work/idx"
for id in tài-liệu-00000000 tài-liệu-0$((n / 2 + 7)) tài-liệu-$(printf %08d $((n - 1))) không-có; do
  /usr/bin/time -f "get $id: %e s, peak %M KB" "$tim" get "$work/idx" "$id" 2>&1 | tail -1
done
/usr/bin/time -f "search: %e s, peak %M KB" "$tim" search "$work/idx" "Đà Nẵng" 2>&1 | tail -1
/usr/bin/time -f "verify: %e s, peak %M KB" "$tim" verify "$work/idx" 2>&1 | tail -2
rm -rf "$work"
