#!/usr/bin/python3
"""Sharded tim on Dask against one index (issue 14, docs/scale-out.md).

Builds the long corpus (vntc_news + baomoi_news_2017: 116,144 documents,
362 MB of text) into 1, 2 and 4 shards with tim.dask on a LocalCluster of
worker processes, and into one index with `tim index`, then runs the same
queries on each:

  - build: wall time of the routing stage (JSONL -> per-shard staging files)
    and of the indexing stage (one Dask task per shard), against `tim index`;
  - latency: wall time of ShardedSearcher.search (three Dask round trips:
    gather statistics, query, fetch snippets; in parentheses two, with
    fetch_round=False; one shard is one round either way) against
    tim.Index.search on the one index, both from this process, k=10 with
    snippets;
  - work: the same queries run in this process straight on each shard's
    index (gather_stats, search_shard, merge_shards and fetch from the
    shards holding the hits kept, summed over shards; in parentheses the
    two-round form, every shard searching with snippets), against one
    search of the one index: how the cost of a query grows with the number
    of shards, apart from Dask's messaging;
  - equality: the share of queries whose sharded top 10 has the one
    index's scores rank by rank, and the same titles and snippets.

Usage (from a build tree, libtim found through TIM_LIBRARY):
  TIM_LIBRARY=build/libtim.so.0.2 PYTHONPATH=python \\
    /usr/bin/python3 bench/dask_bench.py [--corpus DIR] [--out DIR] \\
    [--shards 1,2,4] [--workers 2] [--queries 400] [--tim build/tim]

Prints a table in Markdown and writes OUT/dask_bench.json. Takes about 15
minutes on two cores; the indexes stay in OUT (--reuse keeps them).
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def percentile(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def load_queries(qdir, n, seed=14):
    """n queries, a third each from the headline fragments with and without
    accents and from the known-item titles (the held-out sets of
    ../shared/queries)."""
    picked = []
    for name in ("bench.tsv", "bench_nodiac.tsv", "known_item_nodiac.tsv"):
        with open(os.path.join(qdir, name), encoding="utf-8") as f:
            qs = [line.rstrip("\n").split("\t", 1)[1] for line in f if "\t" in line]
        random.Random(seed).shuffle(qs)
        picked += qs[: n // 3]
    return picked


def ms(seconds):
    return f"{seconds * 1000:.2f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "shared", "corpus"))
    ap.add_argument("--queries-dir", default=os.path.join(HERE, "..", "..", "shared", "queries"))
    ap.add_argument("--out", default=None)
    ap.add_argument("--shards", default="1,2,4")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--queries", type=int, default=400)
    ap.add_argument("--tim", default=os.path.join(HERE, "..", "build", "tim"))
    ap.add_argument("--reuse", action="store_true", help="keep indexes an earlier run left in OUT")
    args = ap.parse_args()

    import logging

    from distributed import Client, LocalCluster

    import tim
    from tim.dask import ShardedIndex

    files = [os.path.abspath(os.path.join(args.corpus, f))
             for f in ("vntc_news.jsonl.zst", "baomoi_news_2017.jsonl.zst")]
    for f in files:
        if not os.path.exists(f):
            sys.exit(f"dask_bench: {f} is missing (--corpus DIR)")
    out = os.path.abspath(args.out or tempfile.mkdtemp(prefix="tim-dask-bench-"))
    os.makedirs(out, exist_ok=True)
    shard_counts = [int(s) for s in args.shards.split(",")]
    queries = load_queries(args.queries_dir, args.queries)
    report = {"machine_cores": os.cpu_count(), "workers": args.workers, "queries": len(queries),
              "builds": {}, "search": {}}

    # One index, the plain way.
    single_dir = os.path.join(out, "single")
    if not (args.reuse and os.path.exists(single_dir)):
        shutil.rmtree(single_dir, ignore_errors=True)
        t = time.perf_counter()
        subprocess.run([args.tim, "index", "--quiet", single_dir] + files, check=True)
        report["builds"]["single"] = {"seconds": time.perf_counter() - t}
    single = tim.Index.open(single_dir, create=False)
    docs = len(single)

    cluster = LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR,
                           local_directory=os.path.join(out, "dask-space"))
    client = Client(cluster)
    try:
        for n in shard_counts:
            root = os.path.join(out, f"shards-{n}")
            if not (args.reuse and os.path.exists(root)):
                shutil.rmtree(root, ignore_errors=True)
                ix = ShardedIndex.create(root, n)
                r = ix.build(client, files)
                report["builds"][n] = {k: r[k] for k in
                                       ("seconds", "route_seconds", "index_seconds", "documents")}
            ix = ShardedIndex.open(root)
            shards = [tim.Index.open(ix.shard_path(i), create=False) for i in range(n)]
            if sum(len(s) for s in shards) != docs:
                sys.exit(f"dask_bench: {n} shards hold {sum(len(s) for s in shards)} documents, "
                         f"the one index {docs}")
            with ix.searcher(client) as searcher, \
                    ix.searcher(client, fetch_round=False) as two_round:
                for q in queries[:20]:  # warm every side
                    searcher.search(q)
                    two_round.search(q)
                    single.search(q)
                # Dask's part: one round trip to every actor, doing nothing.
                rounds = []
                for _ in range(50):
                    t = time.perf_counter()
                    searcher.shard_docs()
                    rounds.append(time.perf_counter() - t)
                one_t, sharded_t, two_t, work_t, work2_t = [], [], [], [], []
                equal = same_snippets = 0
                for q in queries:
                    t = time.perf_counter()
                    one = single.search(q, 10)
                    one_t.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    got = searcher.search(q, 10)
                    sharded_t.append(time.perf_counter() - t)
                    t = time.perf_counter()
                    two_round.search(q, 10)
                    two_t.append(time.perf_counter() - t)
                    # The shards' own work, in this process: query then fetch
                    # (what ShardedSearcher does) ...
                    t = time.perf_counter()
                    merged = tim.merge_stats([s.gather_stats(q) for s in shards])
                    answers = [s.search_shard(q, 10, stats=merged, snippets=False)
                               for s in shards]
                    res = tim.merge_shards(answers, 10)
                    for i, s in enumerate(shards):
                        ids = [h.id for h, a in zip(res, res.shards) if a == i]
                        if ids:
                            s.fetch(q, ids, stats=merged, relaxed=res.relaxed)
                    work_t.append(time.perf_counter() - t)
                    # ... and the two-round form it replaced: every shard
                    # makes snippets for its own top 10.
                    t = time.perf_counter()
                    merged = tim.merge_stats([s.gather_stats(q) for s in shards])
                    for s in shards:
                        s.search(q, 10, relax=False, stats=merged)
                    work2_t.append(time.perf_counter() - t)
                    equal += len(got) == len(one) and all(
                        abs(a.score - b.score) <= 1e-5 * max(1.0, b.score)
                        for a, b in zip(got, one))
                    same_snippets += [(h.title, h.snippet) for h in got] == \
                        [(h.title, h.snippet) for h in one]
            report["search"][n] = {
                "one_p50": percentile(one_t, 50), "one_p95": percentile(one_t, 95),
                "one_mean": statistics.mean(one_t),
                "sharded_p50": percentile(sharded_t, 50), "sharded_p95": percentile(sharded_t, 95),
                "sharded_mean": statistics.mean(sharded_t),
                "two_p50": percentile(two_t, 50), "two_p95": percentile(two_t, 95),
                "work_p50": percentile(work_t, 50), "work_mean": statistics.mean(work_t),
                "work2_p50": percentile(work2_t, 50), "work2_mean": statistics.mean(work2_t),
                "equal_share": equal / len(queries), "snippets_share": same_snippets / len(queries),
                "round_trip_p50": percentile(rounds, 50)}
    finally:
        client.close()
        cluster.close()

    with open(os.path.join(out, "dask_bench.json"), "w") as f:
        json.dump(report, f, indent=1)
    print(f"# tim.dask on a LocalCluster of {args.workers} worker processes, "
          f"{os.cpu_count()} cores; {docs:,} documents, {len(queries)} queries\n")
    print("| build | route s | index s | total s | documents per shard |")
    print("|---|---:|---:|---:|---|")
    if "single" in report["builds"]:
        print(f"| one index (`tim index`) | | | {report['builds']['single']['seconds']:.1f} | {docs:,} |")
    for n in shard_counts:
        b = report["builds"].get(n)
        if b:
            print(f"| {n} shard{'s' if n > 1 else ''} (tim.dask) | {b['route_seconds']:.1f} | "
                  f"{b['index_seconds']:.1f} | {b['seconds']:.1f} | "
                  f"{', '.join(f'{d:,}' for d in b['documents'])} |")
    print("\n| shards | one index p50 / p95 ms | sharded p50 / p95 ms (fetch_round=False) "
          "| work p50 ms, query then fetch (two rounds) | work / one index (mean) "
          "| empty round trip p50 ms | top 10 equal | titles and snippets equal |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in shard_counts:
        s = report["search"][n]
        print(f"| {n} | {ms(s['one_p50'])} / {ms(s['one_p95'])} | {ms(s['sharded_p50'])} / "
              f"{ms(s['sharded_p95'])} ({ms(s['two_p50'])} / {ms(s['two_p95'])}) | "
              f"{ms(s['work_p50'])} ({ms(s['work2_p50'])}) | "
              f"{s['work_mean'] / s['one_mean']:.2f}x ({s['work2_mean'] / s['one_mean']:.2f}x) | "
              f"{ms(s['round_trip_p50'])} | {100 * s['equal_share']:.1f}% | "
              f"{100 * s['snippets_share']:.1f}% |")
    print(f"\nindexes and dask_bench.json in {out}")


if __name__ == "__main__":
    main()
