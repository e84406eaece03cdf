#!/bin/sh
# Relevance of tim's ranking on the known-item queries: MRR@10 with and
# without diacritics (docs/ranking.md reports these figures).
#
#   sh bench/ranking_eval.sh INDEX_DIR [QUERIES_DIR] [-- extra tim search flags]
#
# INDEX_DIR    an index of the shared corpus (tim index INDEX_DIR
#              ../shared/corpus/vntc_news.jsonl.zst
#              ../shared/corpus/baomoi_news_2017.jsonl.zst)
# QUERIES_DIR  default ../shared/queries beside the repository: known_item.tsv,
#              known_item_nodiac.tsv and known_item_qrels.tsv (qid, doc id, 1)
# Extra flags go to `tim search` (--and, --title-weight 3, --exact-weight 0.5,
# --bigram-weight 0.5, --k1 1.2, --b 0.75 ...), to compare settings.
# WORDS=N keeps only each headline's first N words: a harder set, where
# other documents share the query's words and ranking decides.
# Prints one line per query set: MRR@10, the share of queries whose document
# is first, in the top 10, and the mean latency.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 INDEX_DIR [QUERIES_DIR] [-- flags]" >&2; exit 2; }
index=$1
shift
queries="$root/../shared/queries"
if [ $# -ge 1 ] && [ "$1" != "--" ]; then
  queries=$1
  shift
fi
[ $# -ge 1 ] && [ "$1" = "--" ] && shift
tim=${TIM:-"$root/build/tim"}
[ -x "$tim" ] || { echo "$0: $tim not built" >&2; exit 1; }
for f in known_item.tsv known_item_nodiac.tsv known_item_qrels.tsv; do
  [ -f "$queries/$f" ] || { echo "$0: $queries/$f not found" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for set in known_item known_item_nodiac; do
  awk -F'\t' -v n="${WORDS:-0}" '{
      if (n > 0) { k = split($2, w, " "); q = w[1]; for (i = 2; i <= n && i <= k; i++) q = q " " w[i]; $2 = q }
      print $1 "\t" $2
    }' "$queries/$set.tsv" > "$tmp/queries.tsv"
  "$tim" search "$index" --queries "$tmp/queries.tsv" -k 10 "$@" > "$tmp/run" 2> "$tmp/err"
  awk -F'\t' -v set="$set" -v stats="$(tail -1 "$tmp/err")" '
    FNR == NR { rel[$1] = $2; n++; next }
    ($1 in rel) && rel[$1] == $3 && !($1 in rank) { rank[$1] = $2 }
    END {
      for (q in rank) { mrr += 1 / rank[q]; top10++; if (rank[q] == 1) first++ }
      match(stats, /"mean_ms":[0-9.]+/)
      printf "%-18s MRR@10 %.4f  first %.1f%%  top10 %.1f%%  queries %d  %s ms/query\n", set,
             mrr / n, 100 * first / n, 100 * top10 / n, n, substr(stats, RSTART + 10, RLENGTH - 10)
    }' "$queries/known_item_qrels.tsv" "$tmp/run"
done
