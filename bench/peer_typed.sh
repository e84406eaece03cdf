#!/bin/sh
# Typed fields side by side (issue 25): tim and Apache Lucene filtering,
# sorting and counting facets over the long-document corpus (vntc_news +
# baomoi_news_2017: 116,144 docs) in one run, on the 2,000 headline
# fragments (bench.tsv), each searched as ranked OR (every word optional,
# tim's default and Lucene's SHOULD clauses), top 10, ids fetched.
#
#   case         tim                                   Lucene
#   plain        (no filter: the baseline)             BooleanQuery of SHOULD terms
#   category     --filter 'category = "The thao"'      + FILTER TermQuery
#   date         --filter 'published 2003 TO 2006'     + FILTER LongPoint range
#   words        --filter 'words 300 TO 800'           + FILTER LongPoint range
#   sort_date    --sort -published (missing last)      Sort(published desc, score)
#   sort_words   --sort -words                         Sort(words desc, score)
#   facet        --facet category (top 10)             FacetsCollector + SortedSetDocValuesFacetCounts
#
# The corpus comes from bench/typed_corpus.py (category from the ids, words
# the body's length, published the first full date of a title or lead: only
# 1,7k documents have one). Each engine indexes it with one thread and
# merges to one segment; every query file runs twice and the second pass is
# reported (mean, p50, p99 ms, in-process clocks). Also prints what the
# typed fields cost on disk: tim's columns against Lucene's doc values and
# points.
#
# Needs: liblucene8-java (lucene-core, -analyzers-common, -facet),
# default-jdk-headless, zstd, python3.
# Run:   sh bench/peer_typed.sh [CORPUS_DIR] [QUERIES_DIR] [OUT_DIR]
#        REUSE=1 keeps the indexes of an earlier run in OUT_DIR; TIM=binary.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=${1:-"$root/../shared/corpus"}
queries=${2:-"$root/../shared/queries"}
out=${3:-$(mktemp -d /tmp/tim-typed.XXXXXX)}
tim=${TIM:-"$root/build/tim"}
mkdir -p "$out"
jar() { find /usr/share/java -name "$1-[0-9]*.jar" | head -n 1; }
cp="$(jar lucene-core):$(jar lucene-analyzers-common):$(jar lucene-facet)"
for j in lucene-core lucene-analyzers-common lucene-facet; do
  [ -n "$(jar $j)" ] || { echo "needs $j (apt-get install liblucene8-java)" >&2; exit 2; }
done

if [ "${REUSE:-0}" != 1 ] || [ ! -d "$out/lucene" ] || [ ! -d "$out/tim" ]; then
  python3 "$here/typed_corpus.py" "$corpus" "$out/typed.jsonl"
  mkdir -p "$out/classes"
  javac -d "$out/classes" -cp "$cp" "$here/peers/lucene/IndexBench.java" \
    "$here/peers/lucene/SearchBench.java" "$here/peers/lucene/TypedBench.java"
  rm -rf "$out/lucene" "$out/tim"
  java -Xmx4g -cp "$out/classes:$cp" TypedBench index "$out/lucene" < "$out/typed.jsonl" \
    > "$out/lucene.index.json"
  start=$(date +%s.%N)
  "$tim" index "$out/tim" "$out/typed.jsonl" --schema "$out/typed.jsonl.schema.json" \
    --threads 1 --quiet
  "$tim" merge "$out/tim" --max-segments 1 > /dev/null
  end=$(date +%s.%N)
  "$tim" stats "$out/tim" --json > "$out/tim.stats.json"
  echo "{\"seconds\": $(echo "$end - $start" | bc)}" > "$out/tim.index.json"
fi

q="$queries/bench.tsv"
: > "$out/results.txt"
for case in plain category date words sort_date sort_words facet; do
  case $case in
    plain) set -- ;;
    category) set -- --filter 'category = "The thao"' ;;
    date) set -- --filter 'published 2003 TO 2006' ;;
    words) set -- --filter 'words 300 TO 800' ;;
    sort_date) set -- --sort -published ;;
    sort_words) set -- --sort -words ;;
    facet) set -- --facet category ;;
  esac
  java -Xmx4g -cp "$out/classes:$cp" TypedBench search "$out/lucene" "$q" "$case" \
    "$out/run.lucene.$case.tsv" > "$out/lucene.$case.json"
  for pass in 1 2; do
    "$tim" search "$out/tim" --queries "$q" -k 10 "$@" > "$out/run.tim.$case.tsv" \
      2> "$out/tim.$case.json"
  done
  printf '%s %s %s\n' "$case" "$(cat "$out/lucene.$case.json")" "$(cat "$out/tim.$case.json")" \
    >> "$out/results.txt"
done

python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
print(f"{'case':<11} {'Lucene mean/p50/p99 ms':>26} {'tim mean/p50/p99 ms':>24} {'Lucene÷tim mean':>16} {'p99':>6}")
for line in open(f"{out}/results.txt", encoding="utf-8"):
    case, rest = line.split(" ", 1)
    dec = json.JSONDecoder()
    lucene, end = dec.raw_decode(rest.strip())
    tim, _ = dec.raw_decode(rest.strip()[end:].strip())
    l = f"{lucene['mean_ms']:.3f}/{lucene['p50_ms']:.3f}/{lucene['p99_ms']:.2f}"
    t = f"{tim['mean_ms']:.3f}/{tim['p50_ms']:.3f}/{tim['p99_ms']:.2f}"
    print(f"{case:<11} {l:>26} {t:>24} {lucene['mean_ms'] / tim['mean_ms']:>15.2f}x "
          f"{lucene['p99_ms'] / tim['p99_ms']:>5.2f}x")
li = json.load(open(f"{out}/lucene.index.json"))
ts = json.load(open(f"{out}/tim.stats.json"))
cols = ts["bytes"].get("columns", 0)
print(f"\ntyped fields on disk: tim columns {cols:,} bytes; Lucene doc values "
      f"{li['doc_values_bytes']:,} bytes + points {li['points_bytes']:,} bytes")
print(f"index: tim {ts['total_bytes'] / 1e6:.1f} MB, Lucene {li['index_bytes'] / 1e6:.1f} MB; "
      f"build: tim {json.load(open(f'{out}/tim.index.json'))['seconds']:.1f} s, "
      f"Lucene {li['seconds']:.1f} s")
PY
