#!/bin/sh
# corpus_analysis.sh CORPUS_CHECK CORPUS_DIR MAX_DOCS (0: all)
# Runs corpus_check over the shared corpus; exits 77 (skipped) when absent.
check=$1 dir=$2 max=$3
set -- "$dir"/*.jsonl.zst
if [ ! -f "$1" ]; then
  echo "SKIPPED: no corpus at $dir (the shared corpus is not on this machine)"
  exit 77
fi
if [ "$max" != 0 ]; then
  echo "sanitizer build: first $max documents of each file"
  exec "$check" --max-docs "$max" "$@"
fi
exec "$check" "$@"
