"""The Python package as an app uses it: create, write in a with block,
search with and without accents, read documents, and errors as exceptions.
Runs with PYTHONPATH=python and TIM_LIBRARY (or LD_LIBRARY_PATH) set."""

import os
import pickle
import shutil
import tempfile
import threading
import unicodedata
import unittest

import tim

DOCS = {
    "hn": {"title": "Hà Nội mùa thu", "body": "Hà Nội đón khách du lịch, phố cổ đông vui"},
    "dn": {"title": "Đà Nẵng", "body": "Thành phố Đà Nẵng đón khách mùa hè"},
    "qn": {"title": "Quảng Nam", "body": "Nông dân gieo giống lúa, người ta ướp cá"},
    "gi": {"title": "Giá vàng", "body": "Giá vàng trong nước tăng, người mua xếp hàng"},
}


class TimTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="tim-py-")
        self.path = os.path.join(self.dir, "idx")
        self.ix = tim.Index.open(self.path)
        with self.ix.writer() as w:
            for id, fields in DOCS.items():
                w.add(id, **fields)

    def tearDown(self):
        self.ix.close()
        shutil.rmtree(self.dir)

    def test_typed_fields_filter_sort_and_count(self):
        path = os.path.join(self.dir, "typed")
        ix = tim.Index.open(path, schema={"category": "keyword", "price": "number",
                                          "published": "date"})
        import datetime
        with ix.writer() as w:
            w.add("a", title="Bóng đá Việt Nam", category="Thể thao", price=120000,
                  published=datetime.date(2017, 2, 6))
            w.add("b", title="Giá vàng hôm nay", category="Kinh tế", price=3.5,
                  published="2017-03-01T10:00:00+07:00")
            w.add("c", title="Bóng đá nữ", category=["Thể thao", "Xã hội"], price=500000,
                  published="2016")
            w.add("d", title="Hà Nội mưa")
            with self.assertRaises(tim.InvalidArgumentError) as e:
                w.add("e", title="x", price="mười nghìn")
            self.assertIn("price", str(e.exception))
        hits = ix.search("bóng đá", filter='category = "Thể thao"', sort="-published")
        self.assertEqual([h.id for h in hits], ["a", "c"])
        self.assertEqual([h.sort_values for h in hits], [["2017-02-06"], ["2016-01-01"]])
        listed = ix.search("", filter=["price > 10", "published >= 2016"], sort="price",
                           facets=["category", "price:* TO 200000,200000 TO *"])
        self.assertEqual([h.id for h in listed], ["a", "c"])
        self.assertEqual(listed.facets["category"], [("Thể thao", 2), ("Xã hội", 1)])
        self.assertEqual(listed.facets["price"], [("* TO 200000", 1), ("200000 TO *", 1)])
        self.assertEqual(ix.search("", filter='category ~ "the thao"').total_hits, 2)
        # The same filters in the query text, in braces.
        inline = ix.search('bóng đá {category = "Thể thao"} -{published < 2017}')
        self.assertEqual([h.id for h in inline], ["a"])
        self.assertEqual([h.id for h in ix.search("{price > 10}", sort="price")], ["a", "c"])
        with self.assertRaises(tim.InvalidArgumentError):
            ix.search('bóng đá OR {category = "Thể thao"}')  # a filter never stands in an OR
        self.assertEqual(ix.get("c")["category"], ["Thể thao", "Xã hội"])
        for bad in ['gia > 5', 'title = "x"', 'price > abc', '(category = a']:
            with self.assertRaises(tim.InvalidArgumentError):
                ix.search("bóng đá", filter=bad)
        with self.assertRaises(tim.InvalidArgumentError):
            tim.Index.open(path, schema={"price": "keyword"})  # never retyped
        ix.close()

    def test_version(self):
        self.assertTrue(tim.version().startswith("0.3."))
        self.assertEqual(tim.version(), tim.__version__)

    def test_open_creates_and_the_block_commits(self):
        self.assertEqual(len(self.ix), 4)
        self.assertEqual(len(tim.Index.open(self.path)), 4)  # another Index sees the commit

    def test_search_without_and_with_accents(self):
        hits = self.ix.search("ha noi")
        self.assertEqual([h.id for h in hits], ["hn"])
        self.assertEqual(hits.suggestion, "hà nội")
        self.assertEqual(hits.total_hits, 1)
        h = hits[0]
        self.assertGreater(h.score, 0)
        self.assertEqual(h.title, "Hà Nội mùa thu")
        self.assertEqual([h.snippet[a:b] for a, b in h.highlights][:2], ["Hà", "Nội"])
        self.assertTrue(h.marked("<", ">").startswith("<Hà> <Nội>"))
        # NFD input, old tone placement, Đ.
        self.assertEqual([x.id for x in self.ix.search(unicodedata.normalize("NFD", "Đà Nẵng"))],
                         ["dn"])
        self.assertEqual(self.ix.search("đón khách", all_words=True).total_hits, 2)
        page = self.ix.search("đón khách", k=1, offset=1, snippets=False)
        self.assertEqual(len(page), 1)
        self.assertEqual(page[0].snippet, "")

    def test_telex_typed_raw_is_read(self):
        hits = self.ix.search("ddons khachs")
        self.assertEqual(hits.rewritten, "đón khách")
        self.assertEqual(sorted(h.id for h in hits), ["dn", "hn"])
        raw = self.ix.search("ddons khachs", raw=True)
        self.assertEqual((raw.rewritten, raw.total_hits), ("", 0))

    def test_query_language_and_plain_text(self):
        self.assertEqual([h.id for h in self.ix.search('đón -title:"Đà Nẵng"')], ["hn"])
        self.assertEqual([h.id for h in self.ix.search("-lúa (ướp)", plain=True)], ["qn"])
        notes = self.ix.search('"mùa thu').notes
        self.assertEqual(len(notes), 1)
        self.assertIn("unbalanced quote", notes[0])

    def test_matches_walks_every_match_uncapped(self):
        with self.ix.writer() as w:
            for i in range(10050):
                w.add(f"t{i}", body=f"tin số {i} ở Huế")
        found = self.ix.matches("hue")
        self.assertEqual(len(found), 10050)
        self.assertEqual(len({id for id, _ in found}), 10050)
        top = self.ix.search("hue", k=3)
        scores = dict(found)
        for hit in top:
            self.assertAlmostEqual(scores[hit.id], hit.score, places=4)
        self.assertEqual(sorted(id for id, _ in self.ix.matches("đón khách", all_words=True)),
                         ["dn", "hn"])
        self.assertEqual([id for id, _ in self.ix.matches("-lúa (ướp)", plain=True)], ["qn"])
        with self.assertRaises(tim.InvalidArgumentError):
            self.ix.matches("-hà")

    def test_get_replace_delete(self):
        self.assertEqual(self.ix.get("qn"), DOCS["qn"])
        with self.ix.writer() as w:
            w.add("qn", {"title": "Quảng Nam mới"}, body="thuở ấy")
            w.delete("gi")
        self.assertEqual(self.ix.get("qn"), {"title": "Quảng Nam mới", "body": "thuở ấy"})
        with self.assertRaises(KeyError):
            self.ix.get("gi")
        self.assertEqual(len(self.ix), 3)

    def test_a_raising_block_commits_nothing(self):
        with self.assertRaises(RuntimeError):
            with self.ix.writer() as w:
                w.add("new", body="không được lưu")
                raise RuntimeError("app failure")
        self.assertEqual(self.ix.search("luu").total_hits, 0)
        self.assertEqual(len(tim.Index.open(self.path)), 4)

    def test_errors_are_exceptions_with_tim_messages(self):
        with self.assertRaises(tim.InvalidArgumentError) as cm:
            self.ix.search("-hà")
        self.assertIn("no word", str(cm.exception))
        self.assertEqual(cm.exception.code_name, "InvalidArgument")
        with self.assertRaises(tim.InvalidArgumentError):
            self.ix.search("hà", k=10001)
        with self.assertRaises(tim.InvalidArgumentError):
            self.ix.search("h\ud800")  # a lone surrogate is not UTF-8
        with self.ix.writer() as w:
            with self.assertRaises(tim.InvalidArgumentError) as cm:
                w.add("", body="x")
            self.assertIn("id", str(cm.exception))
            with self.assertRaises(tim.InvalidArgumentError):
                w.add("x", body=b"gi\xff\xfeng")
            with self.assertRaises(tim.InvalidArgumentError):
                w.add("x", body=None)
            with self.assertRaises(tim.InvalidArgumentError):
                w.add("x", body=True)
            with self.assertRaises(tim.BusyError):  # one writer at a time
                self.ix.writer()
        with self.assertRaises(tim.NotFoundError):
            tim.Index.open(os.path.join(self.dir, "none"), create=False)
        # A damaged index is refused with the file named.
        manifest = [f for f in os.listdir(self.path) if f.startswith("manifest-")][-1]
        with open(os.path.join(self.path, manifest), "r+b") as f:
            f.seek(10)
            b = f.read(1)
            f.seek(10)
            f.write(bytes([b[0] ^ 0xFF]))
        with self.assertRaises(tim.CorruptionError) as cm:
            tim.Index.open(self.path)
        self.assertIn("manifest", str(cm.exception))

    def test_threads_search_while_a_writer_commits(self):
        errors = []

        def search():
            try:
                for _ in range(50):
                    self.assertEqual(self.ix.search("ha noi")[0].id, "hn")
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=search) for _ in range(4)]
        for t in threads:
            t.start()
        for i in range(5):
            with self.ix.writer() as w:
                w.add(f"extra{i}", body="tin thêm")
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(self.ix), 9)


    def test_jsonl_read_and_added_as_tim_index_reads_it(self):
        path = os.path.join(self.dir, "docs.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write('{"id": "hp", "title": "Hải Phòng", "views": 3, "body": "thành phố cảng"}\n')
            f.write("{broken\n")
            f.write('{"id": 7, "body": "Quy Nhơn biển xanh"}\n')
        with self.assertRaises(tim.InvalidArgumentError) as e:
            list(tim.read_jsonl(path))
        self.assertIn("docs.jsonl:2", str(e.exception))
        docs = list(tim.read_jsonl(path, skip_bad=True))
        self.assertEqual(docs, [("hp", [("title", "Hải Phòng"), ("body", "thành phố cảng")]),
                                ("7", [("body", "Quy Nhơn biển xanh")])])
        with self.ix.writer() as w:
            self.assertEqual(w.add_jsonl(path, skip_bad=True), (2, 1))
        self.assertEqual(self.ix.search("hai phong")[0].id, "hp")
        self.assertEqual(self.ix.get("7"), {"body": "Quy Nhơn biển xanh"})
        with self.ix.writer() as w:
            with self.assertRaises(tim.InvalidArgumentError) as e:
                w.add_jsonl(path)
            self.assertIn("docs.jsonl:2", str(e.exception))
        with self.assertRaises(tim.TimIOError) as e:
            list(tim.read_jsonl(os.path.join(self.dir, "missing.jsonl")))
        self.assertIn("missing.jsonl", str(e.exception))

    def test_two_shards_with_merged_stats_score_as_one_index(self):
        # Shard 1 is self.ix (hn, dn, qn, gi); shard 2 two more; "all" all six.
        more = {"hn2": {"title": "Hà Nội", "body": "Hà Nội mưa"},
                "hp": {"title": "Hải Phòng", "body": "thành phố cảng Hải Phòng"}}
        shard2 = tim.Index.open(os.path.join(self.dir, "shard2"))
        whole = tim.Index.open(os.path.join(self.dir, "all"))
        with shard2.writer() as w:
            for id, fields in more.items():
                w.add(id, **fields)
        with whole.writer() as w:
            for id, fields in list(DOCS.items()) + list(more.items()):
                w.add(id, **fields)
        for q in ("ha noi", "thành phố", "ha*"):
            stats = tim.merge_stats([self.ix.gather_stats(q), shard2.gather_stats(q)])
            hits = sorted(list(self.ix.search(q, stats=stats)) + list(shard2.search(q, stats=stats)),
                          key=lambda h: -h.score)
            want = whole.search(q)
            self.assertEqual(sorted((h.id, round(h.score, 5)) for h in hits),
                             sorted((h.id, round(h.score, 5)) for h in want), q)
            self.assertEqual(self.ix.search(q, stats=stats).suggestion, want.suggestion)
        # Each shard's own statistics would score otherwise.
        self.assertNotAlmostEqual(shard2.search("ha noi")[0].score, whole.search("ha noi")[1].score,
                                  places=4)
        with self.assertRaises(tim.InvalidArgumentError) as e:
            self.ix.search("đà nẵng", stats=self.ix.gather_stats("ha noi"))
        self.assertIn("lack", str(e.exception))
        with self.assertRaises(tim.CorruptionError):
            self.ix.search("ha noi", stats=b"TIMS" + b"\0" * 20)
        with self.assertRaises(tim.CorruptionError) as e:
            tim.merge_stats([self.ix.gather_stats("ha noi"), b"junk"])
        self.assertIn("statistics 1", str(e.exception))
        # Query then fetch: ids and scores from each shard, merged, then
        # titles and snippets from the shard of each hit kept.
        shards = [self.ix, shard2]
        for q, flags in (("ha noi", {}), ("thành phố cảng", {"all_words": True}), ("ha*", {})):
            stats = tim.merge_stats([s.gather_stats(q, **flags) for s in shards])
            answers = [s.search_shard(q, 3, stats=stats, snippets=False, **flags) for s in shards]
            merged = tim.merge_shards(answers, 3, all_words=flags.get("all_words", False))
            want = whole.search(q, 3, **flags)
            self.assertEqual([(h.id, h.score) for h in merged], [(h.id, h.score) for h in want], q)
            self.assertEqual((merged.total_hits, merged.relaxed, merged.suggestion),
                             (want.total_hits, want.relaxed, want.suggestion), q)
            self.assertTrue(all(h.snippet == "" for h in merged))
            for i, shard in enumerate(shards):
                mine = [j for j, s in enumerate(merged.shards) if s == i]
                got = shard.fetch(q, [merged[j].id for j in mine], [merged[j].score for j in mine],
                                  stats=stats, relaxed=merged.relaxed, **flags)
                for j, h in zip(mine, got):
                    self.assertEqual((h.id, h.score, h.title, h.snippet, h.highlights),
                                     (want[j].id, want[j].score, want[j].title, want[j].snippet,
                                      want[j].highlights), q)
            # Or dressed in the query round: no fetch round.
            dressed = tim.merge_shards([s.search_shard(q, 3, stats=stats, **flags) for s in shards],
                                       3, all_words=flags.get("all_words", False))
            self.assertEqual([(h.id, h.score, h.title, h.snippet, h.highlights) for h in dressed],
                             [(h.id, h.score, h.title, h.snippet, h.highlights) for h in want], q)
        with self.assertRaises(tim.NotFoundError) as e:
            shard2.fetch("ha noi", ["hn"], stats=tim.merge_stats([shard2.gather_stats("ha noi")]))
        self.assertIn('"hn"', str(e.exception))
        with self.assertRaises(tim.CorruptionError) as e:
            tim.merge_shards([answers[0], b"junk"], 3)
        self.assertIn("answer 1", str(e.exception))
        with self.assertRaises(tim.InvalidArgumentError) as e:
            tim.merge_shards(answers, 4)
        self.assertIn("k + offset is 4", str(e.exception))

    def test_errors_pickle_as_themselves(self):
        try:
            tim.Index.open(os.path.join(self.dir, "none"), create=False)
        except tim.NotFoundError as e:
            back = pickle.loads(pickle.dumps(e))
            self.assertIsInstance(back, tim.NotFoundError)
            self.assertEqual((back.code, back.message), (e.code, e.message))
        else:
            self.fail("no NotFoundError")


if __name__ == "__main__":
    unittest.main()
