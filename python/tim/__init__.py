"""tim: embedded full-text search that gets Vietnamese right.

    import tim
    ix = tim.Index.open("my-index")            # created when missing
    with ix.writer() as w:                     # committed when the block ends
        w.add("hn", title="Hà Nội", body="Thủ đô nghìn năm văn hiến")
    for hit in ix.search("ha noi", k=10):      # accents optional
        print(hit.id, hit.score, hit.title, hit.snippet)

Errors are raised as tim.Error subclasses carrying tim's message, which
names what went wrong and where. An Index may be searched from many threads
at once; a Writer is used by one thread at a time, and one Writer per index
exists at a time (tim.BusyError otherwise, also across processes).

The bindings load libtim through ctypes (see tim._native): TIM_LIBRARY, or
libtim.so.0.2 on the loader path.
"""

from __future__ import annotations

import datetime
import json
import threading
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

from . import _native
from ._native import (
    BusyError,
    CorruptionError,
    Error,
    InvalidArgumentError,
    NotFoundError,
    NotSupportedError,
    TimIOError,
)

__all__ = [
    "Index", "Writer", "Hit", "Results", "Error", "NotFoundError", "CorruptionError",
    "InvalidArgumentError", "TimIOError", "NotSupportedError", "BusyError", "version",
    "merge_stats", "merge_shards", "read_jsonl",
]

__version__ = "0.3.0"


def version() -> str:
    """The version of the loaded libtim ("0.3.0")."""
    return _native.version()


def merge_stats(stats) -> bytes:
    """Sums the collection statistics of several shards (bytes from
    Index.gather_stats) into one, for Index.search(stats=...). Merge each
    shard once. Raises CorruptionError naming the one that does not decode,
    NotSupportedError for statistics of a newer tim."""
    return _native.merge_stats(list(stats))


def merge_shards(answers, k: int = 10, offset: int = 0, *, all_words: bool = False,
                 relax: bool = True, sort=None, facets=None) -> "Results":
    """Merges the answers of every shard to one query (bytes from
    Index.search_shard, searched with the same k, offset and flags) as one
    index holding every shard's documents would rank them: hits offset+1 ..
    offset+k with ids and scores (and titles and snippets when the answers
    carry them; otherwise Index.fetch makes them), totals summed, an all_words search relaxed over every
    shard's hits. Results.shards[i] is the position in `answers` of the
    shard holding hit i. Raises CorruptionError naming the answer that does
    not decode, InvalidArgumentError for answers made with other k, offset
    or flags. Give the sort and facets searched: hits are merged in that
    order, facet counts summed exactly over the shards."""
    return _native.merge_shards(list(answers), k, offset, all_words=all_words, relax=relax,
                                make=_make_results, extras=_extras(None, sort, facets))


def read_jsonl(path, skip_bad: bool = False, schema: Optional[Dict[str, str]] = None):
    """Yields (id, [(field, text), ...]) for each document of a JSON Lines
    file, read as `tim index` reads it: "id" a string or an integer, every
    other string member a field, in order; a name ending in .zst is
    decompressed. A line that is not a document raises InvalidArgumentError
    naming path:line, or is skipped with skip_bad=True. Raises TimIOError
    naming the path when it cannot be read, CorruptionError for a damaged
    .zst. With a schema ({"price": "number", ...}), members of its typed
    fields also take numbers and arrays (one (field, text) pair each), as
    Writer.add_jsonl reads them for an index with that schema."""
    schema_json = json.dumps({"fields": dict(schema)}).encode("utf-8") if schema else b""
    return _native.read_jsonl(str(path), skip_bad, schema_json)


def _extras(filter, sort, facets):
    """The native form of filters, sort and facets; None when none is asked."""
    if not filter and not sort and not facets:
        return None
    return _native.Extras(filter, sort, facets)


@dataclass
class Hit:
    """One search hit. `highlights` are [start, end) ranges of `snippet` (as
    Python string indices) holding the matched words; `sort_values` the
    hit's value of each sort field, as text ("" when it has none)."""

    id: str
    score: float
    title: str
    snippet: str
    highlights: List[Tuple[int, int]] = field(default_factory=list)
    sort_values: List[str] = field(default_factory=list)

    def marked(self, open: str = "[", close: str = "]") -> str:
        """The snippet with each highlight wrapped in open/close."""
        out, at = [], 0
        for start, end in self.highlights:
            out += [self.snippet[at:start], open, self.snippet[start:end], close]
            at = end
        out.append(self.snippet[at:])
        return "".join(out)


class Results(list):
    """The hits of a search, best first, plus what the search learned:
    total_hits (matching documents; a lower bound when not
    total_hits_exact), the suggestion (the query with its accents restored,
    "" when none), notes on how a malformed query was read, relaxed (an AND
    search found too few and these are ranked-OR hits), and rewritten (the
    query searched instead of the one typed in Telex or VNI, "" when none).
    From tim.merge_shards, shards[i] is the answer hit i came from (None
    otherwise). With facets asked, facets maps each field to its (value,
    count) pairs, the largest first (buckets in the order asked)."""

    def __init__(self, hits, total_hits, total_hits_exact, suggestion, notes, relaxed,
                 rewritten="", shards=None, facets=None):
        super().__init__(hits)
        self.total_hits = total_hits
        self.total_hits_exact = total_hits_exact
        self.suggestion = suggestion
        self.notes = notes
        self.relaxed = relaxed
        self.rewritten = rewritten
        self.shards = shards
        self.facets = facets or {}


class Index:
    """A tim index directory, open for searching. Thread-safe."""

    def __init__(self, path: str, reader: "_native.Reader"):
        self.path = path
        self._reader = reader
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path, create: bool = True, schema: Optional[Dict[str, str]] = None) -> "Index":
        """Opens the index at `path`; with create (the default), makes an
        empty one when there is none. schema declares typed fields,
        {"category": "keyword", "price": "number", "published": "date"}
        (docs/query.md, "Filters, sorting and facets"); fields of the index
        keep their type, new ones are added. Raises NotFoundError when there
        is none and create is False, InvalidArgumentError for a schema that
        retypes a field, CorruptionError, NotSupportedError, TimIOError."""
        path = str(path)
        schema_json = b""
        if schema:
            schema_json = json.dumps({"fields": dict(schema)}).encode("utf-8")
        if not schema_json:
            try:
                return cls(path, _native.Reader(path))
            except NotFoundError:
                if not create:
                    raise
        w = _native.Writer(path, create=create, schema=schema_json)
        try:
            w.commit()
        finally:
            w.close()
        return cls(path, _native.Reader(path))

    def writer(self) -> "Writer":
        """A writer on this index, to use in a with block: the block's
        changes are committed when it ends without an exception, dropped
        when it raises. Raises BusyError when another writer is open."""
        return Writer(self)

    def search(self, query: str, k: int = 10, offset: int = 0, *, all_words: bool = False,
               plain: bool = False, snippets: bool = True, suggest: bool = True,
               raw: bool = False, relax: bool = True, stats: Optional[bytes] = None,
               filter=None, sort=None, facets=None) -> Results:
        """Searches with tim's query language (words with or without
        accents, "phrases", +required, -excluded, AND, OR, NOT, field:word,
        prefix*). plain=True reads the query as plain words whatever
        characters it holds (for a user's raw input). all_words=True requires
        every word, falling back to ranked OR when too few documents have
        them all (relax=False: never). Words typed in Telex or VNI with the
        input method off ("vieetj nam") are read as what they spell when the
        index says so (Results.rewritten); raw=True searches them as typed.
        stats: collection statistics merged from every shard of a
        collection (gather_stats, merge_stats), to score as one index holding
        them all (tim.dask does this for you). Returns hits offset+1 ..
        offset+k. Raises InvalidArgumentError for a query with no word, k +
        offset above 10,000, or stats lacking what the query needs (gathered
        for another query or other flags); CorruptionError for damaged
        stats.

        filter: a filter on typed fields, or a list of them that must all
        hold ('category = "Thể thao" AND published >= 2017-01-01'); with a
        filter, an empty query lists the documents that pass. sort:
        "-published" or "price,-_score" (Hit.sort_values). facets: specs
        such as ["category", "category:50", "price:0 TO 100000,100000 TO
        500000"] (Results.facets). A bad filter, sort or facet raises
        InvalidArgumentError naming it."""
        reader = self._current()
        return reader.search(query, k, offset, all_words=all_words, plain=plain,
                             snippets=snippets, suggest=suggest, raw=raw, make=_make_results,
                             relax=relax, stats=stats, extras=_extras(filter, sort, facets))

    def gather_stats(self, query: str, *, all_words: bool = False, plain: bool = False,
                     suggest: bool = True, raw: bool = False, filter=None, sort=None,
                     facets=None) -> bytes:
        """The collection statistics `query` is scored with in this index
        (document count, field lengths, its terms' document frequencies,
        what its rewrites and suggestion read), as bytes: merge those of every
        shard with tim.merge_stats, then search every shard with them. Give
        the flags the search will use. Raises what search raises."""
        return self._current().gather_stats(query, all_words=all_words, plain=plain,
                                            suggest=suggest, raw=raw,
                                            extras=_extras(filter, sort, facets))

    def search_shard(self, query: str, k: int = 10, offset: int = 0, *, stats: bytes,
                     all_words: bool = False, plain: bool = False, snippets: bool = True,
                     suggest: bool = True, raw: bool = False, relax: bool = True, filter=None,
                     sort=None, facets=None) -> bytes:
        """The query round of a sharded search: this shard's best k + offset
        hits scored with the merged `stats`, as bytes for tim.merge_shards;
        with snippets=False ids and scores only, for the fetch round
        (Index.fetch of the hits kept). Raises what search with stats
        raises."""
        return self._current().search_shard(query, k, offset, stats, all_words=all_words,
                                            plain=plain, snippets=snippets, suggest=suggest,
                                            raw=raw, relax=relax,
                                            extras=_extras(filter, sort, facets))

    def fetch(self, query: str, ids, scores=None, *, stats: bytes, relaxed: bool = False,
              all_words: bool = False, plain: bool = False, snippets: bool = True,
              raw: bool = False, filter=None) -> List["Hit"]:
        """The fetch round of a sharded search: the Hit of each id (this
        shard's hits of tim.merge_shards' results), in order, with its title,
        snippet and highlights, and its score from `scores` (0 without).
        Give the flags searched, and relaxed=Results.relaxed. Raises
        NotFoundError naming an id this shard does not hold, and what search
        with stats raises."""
        hits = self._current().fetch(query, list(ids), scores, stats, relaxed=relaxed,
                                     all_words=all_words, plain=plain, snippets=snippets, raw=raw,
                                     extras=_extras(filter, None, None))
        return [Hit(*h) for h in hits]

    def matches(self, query: str, *, all_words: bool = False,
                plain: bool = False) -> List[Tuple[str, float]]:
        """(id, score) of every document matching `query`, with no cap
        (search pages through at most 10,000 hits), in index order rather
        than by score: for exports and counting in the app. Raises what
        search raises."""
        return self._current().matches(query, all_words=all_words, plain=plain)

    def get(self, id: str) -> Dict[str, object]:
        """The stored fields of document `id`, in the order they were
        added; a field given several times (a keyword's values) maps to the
        list of them. Raises KeyError when there is no such document."""
        try:
            fields = self._current().get(id)
        except NotFoundError:
            raise KeyError(id) from None
        out: Dict[str, object] = {}
        for name, value in fields:
            if name not in out:
                out[name] = value
            elif isinstance(out[name], list):
                out[name].append(value)
            else:
                out[name] = [out[name], value]
        return out

    def __len__(self) -> int:
        """Live documents in the commit this Index sees."""
        return self._current().num_docs()

    def refresh(self) -> None:
        """Sees the newest commit (made by another process or writer)."""
        with self._lock:
            self._reader = self._reader.reopen()

    def close(self) -> None:
        with self._lock:
            self._reader = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _current(self) -> "_native.Reader":
        reader = self._reader  # kept alive by this reference during the call
        if reader is None:
            raise InvalidArgumentError(3, "the index is closed")
        return reader


class Writer:
    """Adds, replaces and deletes documents; changes become visible at
    commit(). Use one thread at a time."""

    def __init__(self, index: Index):
        self._index = index
        self._w = _native.Writer(index.path, create=True)

    def add(self, id: str, fields=None, **kwargs: str) -> None:
        """Adds a document, replacing any with the same id: add("1",
        title="...", body="...") or add("1", {"title": "..."}); fields may
        also be a list of (name, text) pairs (as read_jsonl gives). Raises
        InvalidArgumentError for an empty id or field name, or a value that
        is not a string, a number, a date or a list of them. Numbers are
        written as text, dates (datetime.date, datetime.datetime) in ISO
        8601, and a list gives the field once per value, for typed fields:
        add("1", title="...", price=120000, tags=["a", "b"])."""
        if isinstance(fields, dict):
            fields = fields.items()
        all_fields = []
        for name, value in list(fields or []) + list(kwargs.items()):
            for v in value if isinstance(value, (list, tuple)) else [value]:
                all_fields.append((name, _value_text(v)))
        self._w.add(id, all_fields)

    def add_jsonl(self, path, skip_bad: bool = False) -> Tuple[int, int]:
        """Adds every document of a JSON Lines file (.zst decompressed), read
        as `tim index` reads it, without a Python call per document. Returns
        (added, skipped). A bad line or document raises InvalidArgumentError
        naming path:line (the documents before it stay added), or is skipped
        with skip_bad=True. Raises TimIOError naming the path when it cannot
        be read."""
        return self._w.add_jsonl(str(path), skip_bad)

    def delete(self, id: str) -> None:
        """Deletes the document with this id (nothing happens when absent)."""
        self._w.delete(id)

    def commit(self) -> None:
        """Makes the changes so far durable and visible; the Index this
        writer came from sees them at once."""
        self._w.commit()
        self._index.refresh()

    def close(self) -> None:
        """Closes the writer, dropping what was not committed."""
        self._w.close()

    def __enter__(self) -> "Writer":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.commit()
        finally:
            self.close()


def _value_text(v):
    """A field's value as the text tim takes (include/tim/schema.h)."""
    if isinstance(v, bool):  # before int: True is an int
        raise InvalidArgumentError(3, "a field value is a str, a number or a date, not a bool")
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()
    return v


def _make_results(hits, total, exact, suggestion, notes, relaxed, rewritten,
                  shards=None, facets=None) -> Results:
    return Results([Hit(*h) for h in hits], total, exact, suggestion, notes, relaxed, rewritten,
                   shards, facets)
