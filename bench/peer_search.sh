#!/bin/sh
# Search benchmark, side by side in one run: tim, SQLite FTS5, Xapian and
# Apache Lucene searching the long-document corpus (vntc_news +
# baomoi_news_2017: 116,144 docs), ending with a table of tim's latency as a
# ratio of the best peer's.
#
# Each peer builds its index once (title + body searchable, id stored; one
# thread; then merged into one segment: FTS5 'optimize', Xapian compact,
# Lucene forceMerge(1)), then runs bench.tsv (2,000 headline fragments) and
# bench_nodiac.tsv (the same typed without accents) three ways: every term
# required (and), any term (or), and as a phrase (phrase: only the 1,759
# fragments of two words or more, each quoted whole: tim's "...", FTS5's
# "...", Xapian's QueryParser "...", Lucene's PhraseQuery).
#
# Measures, per query, in-process with a monotonic clock: parsing/analyzing
# the query, the top-10 search ranked by the peer's BM25, and fetching the
# 10 stored ids. Every set runs twice; the first pass is a warm-up and only
# the second is reported: mean, p50 and p99 latency, and how many queries
# found at least one document. Also reports each index's build time and size.
# Analyzers: FTS5 unicode61 remove_diacritics 2; Xapian TermGenerator, no
# stemmer (keeps diacritics); Lucene StandardTokenizer + LowerCaseFilter +
# ASCIIFoldingFilter. See the harnesses under bench/peers/ for the details.
#
# Needs (this script installs nothing):
#   apt-get install g++ libsqlite3-dev libxapian-dev libsimdjson-dev \
#                   liblucene8-java default-jdk-headless zstd
#
# Run:   sh bench/peer_search.sh [CORPUS_DIR] [QUERIES_DIR] [OUT_DIR]
#        ENGINES="tim lucene" REUSE=1 sh bench/peer_search.sh ... OUT_DIR
#   ENGINES      which engines run (default: tim fts5 xapian lucene)
#   REUSE=1      keep the indexes an earlier run left in OUT_DIR and only run
#                the queries again (say, after the machine was busy)
#   TIM          the tim binary (default build/tim): another build's, to compare
#                two builds on the same indexes (with REUSE=1)
#   CORPUS_DIR   default: ../shared/corpus beside the repository
#   QUERIES_DIR  default: ../shared/queries beside the repository
#   OUT_DIR      default: a new temporary directory. It is kept and gets the
#                compiled harnesses, the three indexes (replaced on each run,
#                ~1.4 GB in all), the run files run.ENGINE.SET.MODE.tsv
#                (qid<TAB>rank<TAB>id<TAB>score), results.jsonl (each
#                harness's JSON line) and table.txt (the same lines, tagged,
#                that the tables are printed from).
# tim: build/tim (built beforehand: sh tools/run-tests.sh or cmake --build
# build) indexes with one thread and merges to one segment like the peers,
# then runs the same query files with `tim search --queries` (title and body
# searched, as the peers do: --field-weight source=0), twice, the second
# pass reported.
# Prints a table of index build times and sizes, one of query latencies and
# one of ratios: tim / the best peer, mean and p99, per query set.
# Takes about 12 minutes on two cores, most of it FTS5's queries and
# Xapian's indexing.

set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
corpus=${1:-"$root/../shared/corpus"}
queries=${2:-"$root/../shared/queries"}
out=${3:-}
jars=/usr/share/java

die() {
  echo "peer_search.sh: $*" >&2
  exit 1
}

for f in "$corpus/vntc_news.jsonl.zst" "$corpus/baomoi_news_2017.jsonl.zst"; do
  [ -f "$f" ] || die "corpus file $f not found (pass CORPUS_DIR)"
done
for f in "$queries/bench.tsv" "$queries/bench_nodiac.tsv"; do
  [ -f "$f" ] || die "queries file $f not found (pass QUERIES_DIR)"
done

# Every missing requirement, named by its Debian package, in one message.
missing=
need() {  # $1: package
  case "$missing " in
    *" $1 "*) ;;
    *) missing="$missing $1" ;;
  esac
}
need_tool() {  # $1: command, $2: package
  command -v "$1" >/dev/null 2>&1 || need "$2"
}
need_header() {  # $1: header, $2: package
  echo "#include <$1>" | g++ -std=c++17 -E -x c++ - >/dev/null 2>&1 || need "$2"
}
need_tool g++ g++
need_tool zstd zstd
need_tool javac default-jdk-headless
need_tool java default-jdk-headless
if command -v g++ >/dev/null 2>&1; then
  need_header sqlite3.h libsqlite3-dev
  need_header xapian.h libxapian-dev
  need_header simdjson.h libsimdjson-dev
fi
# Debian names the jars by version (lucene-core-8.7.0.jar); take the first match.
find_jar() {
  for j in "$jars"/"$1"-[0-9]*.jar; do
    [ -f "$j" ] && { echo "$j"; return 0; }
  done
}
core=$(find_jar lucene-core)
common=$(find_jar lucene-analyzers-common)
if [ -z "$core" ] || [ -z "$common" ]; then need liblucene8-java; fi
[ -z "$missing" ] || die "missing packages; install them with: apt-get install$missing"
cp="$core:$common"

if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/peer_search.XXXXXX")
fi
mkdir -p "$out"
echo "peer_search.sh: output in $out (kept)" >&2

echo "peer_search.sh: compiling" >&2
g++ -std=c++17 -O2 -o "$out/fts5_bench" "$here/peers/sqlite/fts5_bench.cc" -lsqlite3 -lsimdjson
g++ -std=c++17 -O2 -o "$out/xapian_bench" "$here/peers/xapian/xapian_bench.cc" -lxapian -lsimdjson
mkdir -p "$out/classes"
javac -d "$out/classes" -cp "$cp" "$here/peers/lucene/IndexBench.java" \
  "$here/peers/lucene/SearchBench.java"

# peer ENGINE ARGS...: runs the harness of ENGINE (fts5, xapian, lucene).
peer() {
  engine=$1
  shift
  case $engine in
    fts5) "$out/fts5_bench" "$@" ;;
    xapian) "$out/xapian_bench" "$@" ;;
    lucene) java -Xmx4g -cp "$out/classes:$cp" SearchBench "$@" ;;
  esac
}

results="$out/results.jsonl"  # each harness's JSON line
table="$out/table.txt"         # the same lines, each after "index" or "search SET"
: > "$results"
: > "$table"
tim=${TIM:-"$root/build/tim"}
[ -x "$tim" ] || die "$tim not built (cmake -S . -B build && cmake --build build --target tim_cli)"
now() { date +%s.%N; }

engines=${ENGINES:-"tim fts5 xapian lucene"}
runs() {  # $1: engine; true when it is to run
  case " $engines " in *" $1 "*) return 0 ;; esac
  return 1
}
reuse() {  # $1: index dir; true when REUSE=1 and it exists
  [ "${REUSE:-0}" = 1 ] && [ -d "$1" ]
}

# tim: index (one thread, then merged to one segment), then the query sets.
index="$out/tim-index"
if runs tim && ! reuse "$index"; then
echo "peer_search.sh: tim: indexing" >&2
rm -rf "$index"
t0=$(now)
"$tim" index "$index" "$corpus/vntc_news.jsonl.zst" "$corpus/baomoi_news_2017.jsonl.zst" \
  --threads 1 --quiet > /dev/null
t1=$(now)
"$tim" merge "$index" --max-segments 1 > /dev/null
t2=$(now)
"$tim" stats "$index" --json > "$out/tim-stats.json"
json=$(awk -v t0="$t0" -v t1="$t1" -v t2="$t2" '{
    match($0, /"docs":[0-9]+/); docs = substr($0, RSTART + 7, RLENGTH - 7)
    match($0, /"total_bytes":[0-9]+/); total = substr($0, RSTART + 14, RLENGTH - 14)
    match($0, /"stored documents":[0-9]+/); stored = substr($0, RSTART + 19, RLENGTH - 19)
    printf "{\"engine\":\"tim\",\"docs\":%d,\"seconds\":%.2f,\"merge_seconds\":%.2f,\"index_bytes\":%d,\"stored_bytes\":%d}\n",
           docs, t1 - t0, t2 - t1, total - stored, stored
  }' "$out/tim-stats.json")
echo "$json" >> "$results"
echo "index $json" >> "$table"
fi
# The phrase sets: the fragments of two words or more, as they are (for the
# peers, which quote them themselves) and quoted (for tim's query syntax).
for qset in bench bench_nodiac; do
  awk -F '\t' 'index($2, " ")' "$queries/$qset.tsv" > "$out/$qset.phrase.tsv"
  awk -F '\t' -v OFS='\t' 'index($2, " ") { $2 = "\"" $2 "\""; print }' "$queries/$qset.tsv" \
    > "$out/$qset.phrase.tim.tsv"
done
runset="bench:and bench:or bench_nodiac:and bench_nodiac:or bench:phrase bench_nodiac:phrase"
qfile() {  # $1: query set, $2: mode, $3: engine; the file of its queries
  if [ "$2" != phrase ]; then
    echo "$queries/$1.tsv"
  elif [ "$3" = tim ]; then
    echo "$out/$1.phrase.tim.tsv"
  else
    echo "$out/$1.phrase.tsv"
  fi
}

runs tim && for run in $runset; do
  qset=${run%:*}
  mode=${run#*:}
  flag=
  [ "$mode" = and ] && flag=--and
  echo "peer_search.sh: tim: $qset.tsv, $mode" >&2
  for pass in 1 2; do
    "$tim" search "$index" --queries "$(qfile "$qset" "$mode" tim)" -k 10 --field-weight source=0 $flag \
      > "$out/run.tim.$qset.$mode.tsv" 2> "$out/tim.err"
  done
  found=$(cut -f1 "$out/run.tim.$qset.$mode.tsv" | sort -u | wc -l)
  json=$(tail -1 "$out/tim.err" | sed "s/^{/{\"engine\":\"tim\",\"mode\":\"$mode\",\"hits_found\":$found,/")
  echo "$json" >> "$results"
  echo "search $qset.tsv $json" >> "$table"
done

for engine in fts5 xapian lucene; do
  runs "$engine" || continue
  index="$out/$engine-index"
  if ! reuse "$index"; then
    rm -rf "$index"
    echo "peer_search.sh: $engine: indexing" >&2
    json=$(zstd -dc "$corpus/vntc_news.jsonl.zst" "$corpus/baomoi_news_2017.jsonl.zst" |
      peer "$engine" index "$index")
    echo "$json" >> "$results"
    echo "index $json" >> "$table"
  fi
  for run in $runset; do
    qset=${run%:*}
    mode=${run#*:}
    echo "peer_search.sh: $engine: $qset.tsv, $mode" >&2
    json=$(peer "$engine" search "$index" "$(qfile "$qset" "$mode" "$engine")" "$mode" \
      "$out/run.$engine.$qset.$mode.tsv")
    echo "$json" >> "$results"
    echo "search $qset.tsv $json" >> "$table"
  done
done

echo
awk -f "$here/peer_table.awk" "$table"
