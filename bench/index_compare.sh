#!/bin/sh
# Side by side, in one run: tim and Lucene indexing the long-document corpus
# (vntc_news + baomoi_news_2017: 116,144 docs, ~361.6 MB of title + body).
#
# Measures, for each engine: wall seconds, MB/s of title + body text, the
# bytes of postings + positions + term dictionary, and of stored documents.
# Both read the JSONL from a separate `zstd -dc` process. tim runs with one
# indexing thread (the issue's "single-threaded" figure; its caller thread
# parses the JSON, as Lucene's does) and then with one thread per core.
# tim also indexes the corpus's "source" member as a field (any string
# member is a field), and stores every field; Lucene stores only the id.
#
# Needs: a Release build in build/ (cmake --build build), and for Lucene:
#   apt-get install liblucene8-java default-jdk-headless zstd
#
# Run:   sh bench/index_compare.sh [CORPUS_DIR]

set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=${1:-"$root/../shared/corpus"}
tim="$root/build/tim"
[ -x "$tim" ] || { echo "index_compare.sh: build tim first (cmake --build build)" >&2; exit 1; }
for f in vntc_news.jsonl.zst baomoi_news_2017.jsonl.zst; do
  [ -f "$corpus/$f" ] || { echo "index_compare.sh: $corpus/$f not found" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s.%N; }
field() { sed -n "s/.*\"$1\":\([0-9.]*\).*/\1/p"; }   # a number from a one-line JSON object

run_tim() {  # $1: threads, $2: label
  start=$(now)
  zstd -dc "$corpus/vntc_news.jsonl.zst" "$corpus/baomoi_news_2017.jsonl.zst" |
    "$tim" index "$work/tim$1" - --threads "$1" --quiet
  end=$(now)
  stats=$("$tim" stats --json "$work/tim$1")
  post=$(echo "$stats" | sed -n 's/.*"positions":\([0-9]*\).*"postings":\([0-9]*\).*"term dictionary":\([0-9]*\).*/\1 \2 \3/p' |
         awk '{print $1 + $2 + $3}')
  stored=$(echo "$stats" | sed -n 's/.*"stored documents":\([0-9]*\).*/\1/p')
  echo "$2 $(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }') $post $stored" >> "$work/results"
  rm -rf "$work/tim$1"
}

: > "$work/results"
run_tim 1 "tim-1-thread"
run_tim "$(nproc)" "tim-$(nproc)-threads"
lucene=$(sh "$here/peer_index.sh" "$corpus" "$work/lucene")
text=$(echo "$lucene" | field text_bytes)
echo "lucene $(echo "$lucene" | field seconds) $(echo "$lucene" | field postings_bytes) $(echo "$lucene" | field stored_bytes)" >> "$work/results"

awk -v text="$text" '
  { name[NR] = $1; secs[NR] = $2; post[NR] = $3; stored[NR] = $4; if ($1 == "lucene") l = NR }
  END {
    printf "%-16s %8s %8s %10s %14s %12s %8s\n", "engine", "seconds", "MB/s", "vs Lucene",
           "postings MB", "stored MB", "stored%"
    for (i = 1; i <= NR; i++) {
      mbs = text / 1e6 / secs[i]
      printf "%-16s %8.1f %8.2f %9.2fx %14.1f %12.1f %7.1f%%\n", name[i], secs[i], mbs,
             mbs / (text / 1e6 / secs[l]), post[i] / 1e6, stored[i] / 1e6, 100 * stored[i] / text
    }
    printf "(MB/s: %.1f MB of title + body text divided by wall seconds; postings MB: postings +\n", text / 1e6
    printf " positions + term dictionary; Lucene stores only ids)\n"
  }' "$work/results"
