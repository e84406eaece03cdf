"""Embedding tim from Python: build an index, search with and without accents.

    PYTHONPATH=python LD_LIBRARY_PATH=build python3 examples/search.py INDEX_DIR
"""
import sys

import tim

ix = tim.Index.open(sys.argv[1])  # created when missing
with ix.writer() as w:  # committed when the block ends
    w.add("hn", title="Hà Nội mùa thu", body="Hà Nội đón khách du lịch mùa thu")
    w.add("dn", title="Đà Nẵng", body="Thành phố Đà Nẵng đón khách mùa hè")
    w.add("qn", title="Quảng Nam", body="Nông dân Quảng Nam gieo giống lúa mới")

for query in ["ha noi", "Đà Nẵng"]:
    hits = ix.search(query, k=10)
    print(f"{query}: {hits.total_hits} hit(s)")
    if hits.suggestion:
        print(f"  did you mean: {hits.suggestion}")
    for hit in hits:
        print(f"  {hit.id}  {hit.title}  {hit.marked('[', ']')}")
