#!/bin/sh
# Instructions per query, counted by callgrind: repeatable whatever else the
# machine is doing, where timings here move by a quarter from run to run and
# perf has no hardware counters. Runs the first N queries (default 400) of
# bench.tsv and bench_nodiac.tsv through `tim search --queries` as the peer
# benchmark does (top 10, --field-weight source=0), in the three modes of
# bench/peer_search.sh: and (--and), or, and phrase (fragments of two words
# or more, quoted). Opening the index is counted too: a second line per set
# runs one query only, so the difference is the queries' own cost.
#
#   sh bench/callgrind_queries.sh INDEX [TIM] [N]
#     INDEX  an index of the long corpus (tim index, then tim merge)
#     TIM    the tim binary (default build/tim): run twice, once per build,
#            to compare two builds on the same index
#
# Prints: set mode instructions_all instructions_one per_query_millions.
# Needs valgrind. Takes about a minute per line on two cores.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
index=${1:?usage: callgrind_queries.sh INDEX [TIM] [N]}
tim=${2:-"$here/../build/tim"}
n=${3:-400}
queries=${QUERIES_DIR:-"$here/../../shared/queries"}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

count() {  # count FILE FLAG: instructions of one `tim search --queries` process
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
    "$tim" search "$index" --queries "$1" -k 10 --field-weight source=0 $2 \
    > /dev/null 2> "$work/cg.err" || { cat "$work/cg.err" >&2; exit 1; }
  sed -n 's/^summary: *//p' "$work/cg.out"
}

for set in bench bench_nodiac; do
  for mode in and or phrase; do
    flag=
    [ "$mode" = and ] && flag=--and
    if [ "$mode" = phrase ]; then
      awk -F '\t' -v OFS='\t' 'index($2, " ") { $2 = "\"" $2 "\""; print }' "$queries/$set.tsv" |
        head -n "$n" > "$work/q.tsv"
    else
      head -n "$n" "$queries/$set.tsv" > "$work/q.tsv"
    fi
    head -n 1 "$work/q.tsv" > "$work/one.tsv"
    lines=$(wc -l < "$work/q.tsv")
    all=$(count "$work/q.tsv" "$flag")
    one=$(count "$work/one.tsv" "$flag")
    echo "$set $mode $all $one $(awk -v a="$all" -v o="$one" -v n="$lines" \
      'BEGIN { printf "%.2f", (a - o) / (n - 1) / 1e6 }')"
  done
done
