#!/bin/sh
# Indexing peer benchmark: Apache Lucene (Debian's liblucene8-java) indexing
# the long-document corpus (vntc_news + baomoi_news_2017: 116,144 docs,
# ~361.7 MB of title+body text) with one indexing thread, for side-by-side
# comparison with tim.
#
# Measures: wall seconds from the first document read to the end of
# commit + close (JVM start excluded; reading and JSON parsing included),
# throughput in MB of UTF-8 title+body text per second, and the size of the
# index (total, postings+positions+term dictionary, stored fields).
# Lucene setup: StandardTokenizer + LowerCaseFilter + ASCIIFoldingFilter,
# "id" stored StringField, "title"/"body" unstored TextField with positions,
# 256 MB RAM buffer, no compound files, no forceMerge.
# Decompression runs in a separate `zstd -dc` process feeding the pipe.
#
# Needs: apt-get install liblucene8-java default-jdk-headless zstd
#
# Run:   bench/peer_index.sh [CORPUS_DIR] [OUT_DIR]
#   CORPUS_DIR  default: ../shared/corpus beside the repository
#   OUT_DIR     default: a new temporary directory; gets the compiled class
#               and the index (OUT_DIR/lucene-index, replaced on each run)
# Prints one JSON line (see bench/peers/lucene/IndexBench.java).

set -eu

here=$(cd "$(dirname "$0")" && pwd)
corpus=${1:-"$here/../../shared/corpus"}
out=${2:-}
jars=/usr/share/java

die() {
  echo "peer_index.sh: $*" >&2
  exit 1
}

for f in vntc_news.jsonl.zst baomoi_news_2017.jsonl.zst; do
  [ -f "$corpus/$f" ] || die "corpus file $corpus/$f not found (pass CORPUS_DIR)"
done

# Debian names the jars by version (lucene-core-8.7.0.jar); take the first match.
find_jar() {
  for j in "$jars"/"$1"-[0-9]*.jar; do
    [ -f "$j" ] && { echo "$j"; return 0; }
  done
  die "no $jars/$1-*.jar (apt-get install liblucene8-java)"
}
core=$(find_jar lucene-core)
common=$(find_jar lucene-analyzers-common)

for tool in javac java zstd; do
  command -v "$tool" >/dev/null 2>&1 ||
    die "$tool not found (apt-get install default-jdk-headless zstd)"
done

if [ -z "$out" ]; then
  out=$(mktemp -d "${TMPDIR:-/tmp}/peer_index.XXXXXX")
  echo "peer_index.sh: output in $out" >&2
fi
mkdir -p "$out"
cp="$core:$common"

javac -d "$out" -cp "$cp" "$here/peers/lucene/IndexBench.java"
rm -rf "$out/lucene-index"

zstd -dc "$corpus/vntc_news.jsonl.zst" "$corpus/baomoi_news_2017.jsonl.zst" |
  java -Xmx4g -cp "$out:$cp" IndexBench "$out/lucene-index"
