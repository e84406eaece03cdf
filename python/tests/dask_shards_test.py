"""tim.dask on a real Dask LocalCluster of worker processes: a sharded
build of the sample corpus plus generated documents searched against one
index holding the same documents (the oracle), routing of replacements and
deletions, and shards that are missing, corrupt or whose worker dies.

Run by ctest (python_dask) with PYTHONPATH=python and TIM_LIBRARY set."""

import json
import logging
import os
import random
import signal
import tempfile
import time
import unicodedata
import unittest

import dask
import dask.bag as db
from distributed import Client, LocalCluster

import tim
from tim.dask import ShardedIndex, ShardError, shard_of

try:
    import pandas  # noqa: F401 - only whether a dataframe build can be tested
    HAVE_PANDAS = True
except ImportError:
    HAVE_PANDAS = False

CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "corpus")
SHARDS = 3
SCHEMA = {"category": "keyword", "tags": "keyword", "price": "number", "published": "date"}
CATEGORIES = ["Thể thao", "Kinh tế", "Xã hội", "Giáo dục", "Sức khỏe"]


def strip_accents(text):
    """The text typed without diacritics (đ -> d): an oracle independent of tim."""
    nfd = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in nfd if unicodedata.category(c) != "Mn")


def documents(generated):
    """The sample corpus's paragraphs (titled by their first words) and
    `generated` documents of its words and sentences, some in NFD, some
    with a "summary" field."""
    docs, words = [], []
    for name in sorted(os.listdir(CORPUS)):
        with open(os.path.join(CORPUS, name), encoding="utf-8") as f:
            paragraphs = [p.strip() for p in f if len(p.strip()) >= 40]
        for n, p in enumerate(paragraphs):
            docs.append({"id": f"{name[:3]}-{n}", "title": " ".join(p.split()[:8]), "body": p})
            words += [w.strip(".,;:()\"'") for w in p.split()]
    words = [w for w in words if w]
    rng = random.Random(20261201)
    for i in range(generated):
        title = " ".join(rng.choice(words) for _ in range(rng.randint(3, 9)))
        body = " ".join(rng.choice(words) for _ in range(rng.randint(10, 80)))
        if i % 11 == 0:
            body = unicodedata.normalize("NFD", body)
        d = {"id": f"g{i}", "title": title, "body": body}
        if i % 13 == 0:
            d["summary"] = "tóm tắt " + title
        # Typed fields (SCHEMA), given as JSON gives them: numbers, lists.
        if i % 5 != 0:
            d["category"] = CATEGORIES[(i * 7 // 3) % len(CATEGORIES)]
        if i % 3 == 0:
            d["tags"] = [CATEGORIES[(i // 3) % len(CATEGORIES)], "tin nóng"]
        if i % 4 != 1:
            d["price"] = rng.randint(-50, 2000) if i % 7 else rng.randint(0, 9999) / 4
        if i % 6 != 2:
            d["published"] = f"{2014 + i % 6}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        docs.append(d)
    return docs, sorted(set(words))


class ShardedSearchTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="tim-dask-")
        # A dead worker's port refuses at once; do not wait 30 s to say so.
        dask.config.set({"distributed.comm.timeouts.connect": "5s",
                         "distributed.scheduler.allowed-failures": 0})
        cls.cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.CRITICAL,
                                   local_directory=os.path.join(cls.tmp.name, "dask"))
        cls.client = Client(cls.cluster)
        cls.docs, cls.words = documents(3000)
        # Half through a bag of dicts, half from a JSON Lines file.
        half = len(cls.docs) // 2
        path = os.path.join(cls.tmp.name, "second-half.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for d in cls.docs[half:]:
                f.write(json.dumps(d, ensure_ascii=False) + "\n")
        cls.index = ShardedIndex.create(os.path.join(cls.tmp.name, "shards"), SHARDS, SCHEMA)
        cls.report = [cls.index.build(cls.client, db.from_sequence(cls.docs[:half], npartitions=4)),
                      cls.index.build(cls.client, [path])]
        cls.single = tim.Index.open(os.path.join(cls.tmp.name, "single"), schema=SCHEMA)
        with cls.single.writer() as w:
            for d in cls.docs:
                w.add(d["id"], {k: v for k, v in d.items() if k != "id"})
        cls.searcher = cls.index.searcher(cls.client)

    @classmethod
    def tearDownClass(cls):
        cls.searcher.close()
        cls.client.close()
        cls.cluster.close()
        cls.tmp.cleanup()

    def compare(self, query, **flags):
        """The sharded results against the single index's: the same ids
        and scores rank by rank (equal scores go by id on both sides), the
        same counts, suggestion, rewrite and relaxation. Returns the hits
        and how many of them tie the one before."""
        k = flags.pop("k", 10)
        one = self.single.search(query, k, **flags)
        got = self.searcher.search(query, k, **flags)
        where = f"{query!r} {flags}"
        self.assertEqual(len(got), len(one), where)
        self.assertEqual(got.total_hits, one.total_hits, where)
        self.assertEqual(got.suggestion, one.suggestion, where)
        self.assertEqual(got.rewritten, one.rewritten, where)
        self.assertEqual(got.relaxed, one.relaxed, where)
        self.assertFalse(got.partial)
        self.assertEqual([(h.id, h.score) for h in got], [(h.id, h.score) for h in one], where)
        # Titles and snippets come from the fetch round, as one index makes them.
        self.assertEqual([(h.title, h.snippet, h.highlights) for h in got],
                         [(h.title, h.snippet, h.highlights) for h in one], where)
        ties = sum(a.score == b.score for a, b in zip(one, list(one)[1:]))
        for a, b in zip(one, list(one)[1:]):
            self.assertTrue(a.score > b.score or a.id < b.id, f"{where}: {a.id} before {b.id}")
        return len(one), ties

    def test_2c_filters_sorting_and_facets_equal_one_index(self):
        cases = [
            ("thành phố", dict(filter='category = "Thể thao"')),
            ("thanh pho", dict(filter=["price >= 100", "published 2016 TO 2017"],
                               sort="-published")),
            ("đô thị", dict(sort="price,-_score", facets=["category", "tags:3"])),
            ("", dict(filter="category EXISTS", sort="-price", k=25,
                      facets=["published:* TO 2016,2016 TO 2018,2018 TO *"])),
            ("nông dân", dict(filter='tags IN ["tin nóng"] OR NOT category ~ "the thao"',
                              facets=["category:2"], all_words=True)),
        ]
        for query, flags in cases:
            k = flags.pop("k", 10)
            one = self.single.search(query, k, **flags)
            got = self.searcher.search(query, k, **flags)
            where = f"{query!r} {flags}"
            self.assertEqual([(h.id, h.score, h.sort_values) for h in got],
                             [(h.id, h.score, h.sort_values) for h in one], where)
            self.assertEqual([(h.title, h.snippet) for h in got],
                             [(h.title, h.snippet) for h in one], where)
            self.assertEqual(got.total_hits, one.total_hits, where)
            self.assertEqual(got.facets, one.facets, where)
            self.assertGreater(len(one), 0, where)
        # An oracle apart from tim: the filter-only listing, counted in Python.
        want = sorted(d["id"] for d in self.docs
                      if d.get("category") == "Kinh tế" and "price" in d and d["price"] >= 1000)
        got = self.searcher.search("", 10000, filter='category = "Kinh tế" AND price >= 1000',
                                   snippets=False)
        self.assertEqual(sorted(h.id for h in got), want)
        self.assertNotIn("tags", self.single.get("g1"))
        self.assertEqual(self.single.get("g3")["tags"], ["Kinh tế", "tin nóng"])

    def test_1_build_routed_every_document(self):
        counts = [sum(r["documents"][s] for r in self.report) for s in range(SHARDS)]
        want = [0] * SHARDS
        for d in self.docs:
            want[shard_of(d["id"], SHARDS)] += 1
        self.assertEqual(counts, want)
        self.assertEqual(self.searcher.shard_docs(), dict(enumerate(want)))
        self.assertTrue(all(c > 0 for c in counts))

    def test_2_sharded_results_equal_one_index(self):
        rng = random.Random(7)
        queries = ["thành phố Huế", "thanh pho hue", "\"đô thị thông minh\"",
                   "do thi thong minh", "ddoo thij thoong minh", "Hàn Quốc hợp tác",
                   "thu*", "title:huế", "summary:tóm", "hue -gyeongju", "quốc AND hợp",
                   "(huế OR đà) nẵng", unicodedata.normalize("NFD", "Thừa Thiên Huế"),
                   "ai là chủ tịch UBND tỉnh", "giá vàng", "quý người giữa"]
        for i in range(300):
            q = " ".join(rng.choice(self.words) for _ in range(rng.randint(1, 4)))
            queries.append([q, strip_accents(q), f"\"{q}\"", "+" + q][i % 4])
        hits = ties = 0
        for i, q in enumerate(queries):
            for flags in ({}, {"all_words": True}):
                try:
                    n, s = self.compare(q, **flags)
                except tim.InvalidArgumentError:
                    # A query with no word: both must refuse it.
                    with self.assertRaises(tim.InvalidArgumentError):
                        self.single.search(q, **flags)
                    continue
                hits += n > 0
                ties += s
        self.compare("thành phố", k=5, offset=7)
        # A repeated query reuses its merged statistics: no gather round,
        # the same results.
        calls = []
        real = self.searcher._call_each
        self.searcher._call_each = \
            lambda doing, method, args: calls.append((method, len(args))) or real(doing, method, args)
        try:
            first = self.searcher.search("giá vàng tăng")
            again = self.searcher.search("giá vàng tăng")
        finally:
            self.searcher._call_each = real
        # Snippets are fetched from the shards holding the 10 hits kept.
        fetched = [n for method, n in calls if method == "fetch"]
        self.assertEqual([m for m, _ in calls],
                         ["gather_stats", "search", "fetch", "search", "fetch"])
        self.assertTrue(all(1 <= n <= SHARDS for n in fetched), calls)
        # Without a fetch round, the shards dress their own hits: the same
        # results, one round trip fewer.
        with self.index.searcher(self.client, fetch_round=False) as two_rounds:
            for q in queries[:40]:
                try:
                    one = self.single.search(q)
                except tim.InvalidArgumentError:
                    continue
                got = two_rounds.search(q)
                self.assertEqual([(h.id, h.score, h.title, h.snippet) for h in got],
                                 [(h.id, h.score, h.title, h.snippet) for h in one], q)
        # A query with no word is the caller's error, not a shard's, also
        # when failed shards are tolerated.
        for partial in (False, True):
            with self.index.searcher(self.client, partial=partial) as s:
                for bad in ("", "-huế", "AND"):
                    with self.assertRaises(tim.InvalidArgumentError) as e:
                        s.search(bad)
                    self.assertNotIsInstance(e.exception, ShardError)
                self.assertEqual(s.failed, {})
                self.assertFalse(s.search("huế").partial)
        self.assertEqual([(h.id, h.score) for h in first], [(h.id, h.score) for h in again])
        # The comparisons compared something: most queries found documents,
        # and equal scores were there to be put in order by id.
        self.assertGreater(hits, 450)
        self.assertGreater(ties, 10)

    def test_3_replace_and_delete_go_to_the_owning_shard(self):
        before = self.searcher.shard_docs()
        replaced = [d["id"] for d in self.docs[:600:3]]
        deleted = [d["id"] for d in self.docs[1:600:3]]
        new = [{"id": id, "title": "Quy Nhơn zetaxy", "body": f"bản mới {id}"} for id in replaced]
        self.index.build(self.client, db.from_sequence(new, npartitions=2))
        per_shard = self.index.delete(self.client, deleted + ["no-such-id"])
        self.assertEqual(sum(per_shard), len(deleted) + 1)
        self.searcher.reopen()
        after = self.searcher.shard_docs()
        for s in range(SHARDS):
            gone = sum(1 for id in deleted if shard_of(id, SHARDS) == s)
            self.assertEqual(after[s], before[s] - gone, f"shard {s}")
        r = self.searcher.search("zetaxy", k=1000)
        self.assertEqual(sorted(h.id for h in r), sorted(replaced))
        self.assertTrue(all(h.title == "Quy Nhơn zetaxy" for h in r))
        for id in replaced[:20]:
            # Each replacement lives in its own shard only.
            for s in range(SHARDS):
                shard = tim.Index.open(self.index.shard_path(s), create=False)
                found = [h.id for h in shard.search(f"\"bản mới {id}\"", k=5)]
                self.assertEqual(id in found, s == shard_of(id, SHARDS))
                if s == shard_of(id, SHARDS):
                    self.assertEqual(shard.get(id)["title"], "Quy Nhơn zetaxy")
                else:
                    with self.assertRaises(KeyError):
                        shard.get(id)
        for id in deleted[:20]:
            s = shard_of(id, SHARDS)
            with self.assertRaises(KeyError):
                tim.Index.open(self.index.shard_path(s), create=False).get(id)

    def test_3a_one_shard_is_searched_in_one_round(self):
        docs = self.docs[:300]
        ix = ShardedIndex.create(os.path.join(self.tmp.name, "one"), 1)
        ix.build(self.client, db.from_sequence(docs, npartitions=2))
        alone = tim.Index.open(ix.shard_path(0), create=False)
        with ix.searcher(self.client) as s:
            calls = []
            real = s._call_each
            s._call_each = \
                lambda doing, method, args: calls.append(method) or real(doing, method, args)
            for q in ("thành phố Huế", "ha noi", "\"đô thị\""):
                got, want = s.search(q, all_words=True), alone.search(q, all_words=True)
                self.assertEqual([(h.id, h.score, h.snippet) for h in got],
                                 [(h.id, h.score, h.snippet) for h in want], q)
                self.assertEqual((got.total_hits, got.relaxed, got.suggestion),
                                 (want.total_hits, want.relaxed, want.suggestion), q)
            self.assertEqual(calls, ["search_alone"] * 3)

    @unittest.skipUnless(HAVE_PANDAS, "python3-pandas is not installed")
    def test_3b_a_dataframe_builds_as_the_same_documents(self):
        import dask.dataframe as dd
        import pandas as pd
        rows = [{"id": d["id"], "title": d["title"], "body": d["body"]} for d in self.docs[:500]]
        frame = dd.from_pandas(pd.DataFrame(rows), npartitions=3)
        ix = ShardedIndex.create(os.path.join(self.tmp.name, "frame"), 2)
        report = ix.build(self.client, frame)
        self.assertEqual(sum(report["documents"]), 500)
        with self.assertRaises(tim.InvalidArgumentError):
            ix.build(self.client, frame.drop(columns=["id"]))
        with ix.searcher(self.client) as s:
            for d in rows[:50:7]:
                words = " ".join(d["title"].split()[:4])
                found = [h.id for h in s.search(f"\"{words}\"", k=100)]
                self.assertIn(d["id"], found, words)

    def test_4_missing_and_corrupt_shards_are_named(self):
        root = os.path.join(self.tmp.name, "broken")
        ix = ShardedIndex.create(root, 3)
        ix.build(self.client, db.from_sequence(self.docs[:300], npartitions=2))
        os.rename(ix.shard_path(1), ix.shard_path(1) + ".away")
        with self.assertRaises(ShardError) as e:
            ix.searcher(self.client)
        self.assertEqual(e.exception.shard, 1)
        self.assertIn("shard 1", str(e.exception))
        with ix.searcher(self.client, partial=True) as s:
            r = s.search("thành phố")
            self.assertTrue(r.partial)
            self.assertEqual(list(r.failed), [1])
            self.assertIn("shard-001", r.failed[1])
        os.rename(ix.shard_path(1) + ".away", ix.shard_path(1))
        # A damaged byte in shard 2's segment files.
        seg = sorted(n for n in os.listdir(ix.shard_path(2)) if n.endswith(".seg"))[0]
        path = os.path.join(ix.shard_path(2), seg)
        with open(path, "r+b") as f:
            f.seek(os.path.getsize(path) // 2)
            b = f.read(1)
            f.seek(-1, 1)
            f.write(bytes([b[0] ^ 0x55]))
        with self.assertRaises(ShardError) as e:
            ix.searcher(self.client)
        self.assertEqual(e.exception.shard, 2)
        self.assertIsInstance(e.exception.__cause__, tim.CorruptionError)
        self.assertIn(seg, str(e.exception))
        with self.assertRaises(tim.InvalidArgumentError):
            ShardedIndex.create(root, 4)  # re-sharding is a new build

    def test_5_a_killed_worker_gives_an_error_naming_the_shard(self):
        s = self.index.searcher(self.client)
        try:
            s.search("thành phố")
            address = s._actors[0]._address
            pid = self.client.run(os.getpid, workers=[address])[address]
            os.kill(pid, signal.SIGKILL)
            start = time.monotonic()
            with self.assertRaises(ShardError) as e:
                s.search("thành phố")
            self.assertLess(time.monotonic() - start, 60)
            self.assertIn("shard 0", str(e.exception))
            self.assertIn("worker", str(e.exception))
        finally:
            s.close()
        # Partial: the shards left answer, flagged as partial.
        s = self.index.searcher(self.client, partial=True)
        try:
            self.client.wait_for_workers(2, timeout=60)
            s.reopen()
            address = s._actors[1]._address
            pid = self.client.run(os.getpid, workers=[address])[address]
            os.kill(pid, signal.SIGKILL)
            r = s.search("thành phố")
            self.assertTrue(r.partial)
            self.assertIn(1, r.failed)
            self.assertGreater(len(r), 0)
        finally:
            s.close()


if __name__ == "__main__":
    unittest.main()
