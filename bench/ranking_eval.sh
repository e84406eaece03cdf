#!/bin/sh
# Relevance of tim's ranking on every development set, side by side with the
# peers (SQLite FTS5, Xapian, Lucene) when their packages are installed, in
# one table: MRR@10 on the whole set and on its two halves (queries on odd
# and on even lines of the query file: tune on one, report the other), the
# share of queries with a relevant document in the top 10, and the queries.
# docs/ranking.md keeps the table this prints.
#
#   sh bench/ranking_eval.sh [-- extra tim search flags]
#
# Sets (from QUERIES_DIR, default ../shared/queries beside the repository):
#   devqa, devqa_nodiac    1,064 real questions over 3,499 Wikipedia
#                          paragraphs (devqa/: docs.jsonl, queries.tsv,
#                          queries_nodiac.tsv, qrels.tsv), with and without
#                          diacritics
#   known4, known4_nodiac  the first WORDS (default 4) words of 2,000 news
#                          headlines, each looking for its own article in the
#                          long corpus (known_item*.tsv), with and without
#   known, known_nodiac    the whole headlines (an easy set: a sanity check)
# Every engine indexes title and body (tim: `--field-weight source=0`, so
# the corpus's source paths are not searched) and runs each query as a
# ranked OR of its words, top 10.
#
# Environment:
#   ENGINES      engines to run (default: tim fts5 xapian lucene; a peer whose
#                packages are missing is skipped with a note)
#   OUT_DIR      where indexes and run files go (default: a new temporary
#                directory, kept). The long-corpus indexes use the names
#                bench/peer_search.sh uses, so one OUT_DIR serves both.
#   REUSE=1      keep indexes an earlier run left in OUT_DIR
#   CORPUS_DIR   default ../shared/corpus (vntc_news and baomoi_news_2017)
#   QUERIES_DIR  default ../shared/queries
#   WORDS        words kept of each headline for known4 (default 4)
#   TIM          the tim binary (default build/tim)
# Extra flags after -- go to every `tim search` (--k1 1.2, --title-weight 2,
# --title-match-weight 0 ...), to compare settings.
#
# Peers need: apt-get install g++ libsqlite3-dev libxapian-dev libsimdjson-dev
# liblucene8-java default-jdk-headless zstd. Building the peers' long-corpus
# indexes takes about 10 minutes on two cores (Xapian most of it); tim's
# takes about a minute.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ $# -ge 1 ] && [ "$1" = "--" ] && shift
queries=${QUERIES_DIR:-"$root/../shared/queries"}
corpus=${CORPUS_DIR:-"$root/../shared/corpus"}
tim=${TIM:-"$root/build/tim"}
words=${WORDS:-4}
engines=${ENGINES:-"tim fts5 xapian lucene"}
die() {
  echo "ranking_eval.sh: $*" >&2
  exit 1
}
[ -x "$tim" ] || die "$tim not built (cmake --build build --target tim_cli)"
for f in devqa/docs.jsonl devqa/queries.tsv devqa/queries_nodiac.tsv devqa/qrels.tsv \
  known_item.tsv known_item_nodiac.tsv known_item_qrels.tsv; do
  [ -f "$queries/$f" ] || die "$queries/$f not found (set QUERIES_DIR)"
done
for f in vntc_news.jsonl.zst baomoi_news_2017.jsonl.zst; do
  [ -f "$corpus/$f" ] || die "$corpus/$f not found (set CORPUS_DIR)"
done
out=${OUT_DIR:-}
[ -n "$out" ] || out=$(mktemp -d "${TMPDIR:-/tmp}/ranking_eval.XXXXXX")
mkdir -p "$out/devqa" "$out/sets"
echo "ranking_eval.sh: output in $out (kept)" >&2
runs() { case " $engines " in *" $1 "*) return 0 ;; esac; return 1; }
reuse() { [ "${REUSE:-0}" = 1 ] && [ -d "$1" ]; }

# The query sets: name, query file, qrels, corpus (devqa or long).
awk -F'\t' -v n="$words" '{
    k = split($2, w, " "); q = w[1]; for (i = 2; i <= n && i <= k; i++) q = q " " w[i]
    print $1 "\t" q
  }' "$queries/known_item.tsv" > "$out/sets/known4.tsv"
awk -F'\t' -v n="$words" '{
    k = split($2, w, " "); q = w[1]; for (i = 2; i <= n && i <= k; i++) q = q " " w[i]
    print $1 "\t" q
  }' "$queries/known_item_nodiac.tsv" > "$out/sets/known4_nodiac.tsv"
sets="devqa:$queries/devqa/queries.tsv:$queries/devqa/qrels.tsv:devqa
devqa_nodiac:$queries/devqa/queries_nodiac.tsv:$queries/devqa/qrels.tsv:devqa
known4:$out/sets/known4.tsv:$queries/known_item_qrels.tsv:long
known4_nodiac:$out/sets/known4_nodiac.tsv:$queries/known_item_qrels.tsv:long
known:$queries/known_item.tsv:$queries/known_item_qrels.tsv:long
known_nodiac:$queries/known_item_nodiac.tsv:$queries/known_item_qrels.tsv:long"

# Peers: compile the harnesses of those whose packages are here.
jars=/usr/share/java
find_jar() {
  for j in "$jars"/"$1"-[0-9]*.jar; do
    [ -f "$j" ] && { echo "$j"; return 0; }
  done
}
has_header() { echo "#include <$1>" | g++ -std=c++17 -E -x c++ - >/dev/null 2>&1; }
peers=
for engine in fts5 xapian lucene; do
  runs "$engine" || continue
  case $engine in
    fts5) lib=sqlite3 header=sqlite3.h src=sqlite/fts5_bench.cc ;;
    xapian) lib=xapian header=xapian.h src=xapian/xapian_bench.cc ;;
    lucene) lib= header= src= ;;
  esac
  if [ "$engine" = lucene ]; then
    core=$(find_jar lucene-core)
    common=$(find_jar lucene-analyzers-common)
    if [ -z "$core" ] || [ -z "$common" ] || ! command -v javac >/dev/null 2>&1; then
      echo "ranking_eval.sh: lucene skipped (apt-get install liblucene8-java default-jdk-headless)" >&2
      continue
    fi
    mkdir -p "$out/classes"
    javac -d "$out/classes" -cp "$core:$common" "$here/peers/lucene/IndexBench.java" \
      "$here/peers/lucene/SearchBench.java"
  else
    if ! command -v g++ >/dev/null 2>&1 || ! has_header "$header" || ! has_header simdjson.h; then
      echo "ranking_eval.sh: $engine skipped (apt-get install g++ lib$lib-dev libsimdjson-dev)" >&2
      continue
    fi
    g++ -std=c++17 -O2 -o "$out/${engine}_bench" "$here/peers/$src" "-l$lib" -lsimdjson
  fi
  peers="$peers $engine"
done
peer() {  # ENGINE ARGS...
  engine=$1
  shift
  case $engine in
    lucene) java -Xmx4g -cp "$out/classes:$core:$common" SearchBench "$@" ;;
    *) "$out/${engine}_bench" "$@" ;;
  esac
}

# Indexes: devqa small, the long corpus large (named as peer_search.sh does).
long_docs() { zstd -dc "$corpus/vntc_news.jsonl.zst" "$corpus/baomoi_news_2017.jsonl.zst"; }
if runs tim; then
  reuse "$out/devqa/tim-index" || {
    rm -rf "$out/devqa/tim-index"
    "$tim" index "$out/devqa/tim-index" "$queries/devqa/docs.jsonl" --quiet > /dev/null
  }
  reuse "$out/tim-index" || {
    echo "ranking_eval.sh: tim: indexing the long corpus" >&2
    rm -rf "$out/tim-index"
    "$tim" index "$out/tim-index" "$corpus/vntc_news.jsonl.zst" "$corpus/baomoi_news_2017.jsonl.zst" \
      --threads 1 --quiet > /dev/null
    "$tim" merge "$out/tim-index" --max-segments 1 > /dev/null
  }
fi
for engine in $peers; do
  reuse "$out/devqa/$engine-index" || {
    rm -rf "$out/devqa/$engine-index"
    peer "$engine" index "$out/devqa/$engine-index" < "$queries/devqa/docs.jsonl" > /dev/null
  }
  reuse "$out/$engine-index" || {
    echo "ranking_eval.sh: $engine: indexing the long corpus" >&2
    rm -rf "$out/$engine-index"
    long_docs | peer "$engine" index "$out/$engine-index" > /dev/null
  }
done

# MRR@10 of a run file: whole set, odd lines, even lines; share with a
# relevant document in the top 10; queries.
score() {  # QUERIES QRELS RUN
  awk -F'\t' '
    FILENAME == ARGV[1] { half[$1] = FNR % 2; n++; nh[FNR % 2]++; next }
    FILENAME == ARGV[2] { rel[$1 SUBSEP $2] = 1; next }
    ($1, $3) in rel && !($1 in rank) && $2 <= 10 { rank[$1] = $2 }
    END {
      for (q in rank) { r = 1 / rank[q]; all += r; h[half[q]] += r; top++ }
      printf "%.4f\t%.4f\t%.4f\t%.1f%%\t%d\n", all / n, h[1] / nh[1], h[0] / nh[0], 100 * top / n, n
    }' "$1" "$2" "$3"
}

table="$out/table.tsv"
printf "set\tengine\tMRR@10\thalf A (odd)\thalf B (even)\tin top 10\tqueries\n" > "$table"
echo "$sets" | while IFS=: read -r name qfile qrels where; do
  for engine in $engines; do
    [ "$engine" = tim ] || case " $peers " in *" $engine "*) ;; *) continue ;; esac
    if [ "$where" = devqa ]; then dir="$out/devqa"; else dir="$out"; fi
    run="$out/run.$engine.$name.tsv"
    echo "ranking_eval.sh: $engine: $name" >&2
    if [ "$engine" = tim ]; then
      "$tim" search "$dir/tim-index" --queries "$qfile" -k 10 --no-snippets \
        --field-weight source=0 "$@" > "$run" 2> "$out/tim.err" ||
        die "tim search failed: $(tail -3 "$out/tim.err")"
    else
      peer "$engine" search "$dir/$engine-index" "$qfile" or "$run" > /dev/null
    fi
    printf "%s\t%s\t%s\n" "$name" "$engine" "$(score "$qfile" "$qrels" "$run")" >> "$table"
  done
done
echo
awk -F'\t' 'NR == 1 { printf "| %s | %s | %s | %s | %s | %s | %s |\n|---|---|---:|---:|---:|---:|---:|\n", $1, $2, $3, $4, $5, $6, $7; next }
  { printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7 }' "$table"
