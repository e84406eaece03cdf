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
                 relax: bool = True) -> "Results":
    """Merges the answers of every shard to one query (bytes from
    Index.search_shard, searched with the same k, offset and flags) as one
    index holding every shard's documents would rank them: hits offset+1 ..
    offset+k with ids and scores (and titles and snippets when the answers
    carry them; otherwise Index.fetch makes them), totals summed, an all_words search relaxed over every
    shard's hits. Results.shards[i] is the position in `answers` of the
    shard holding hit i. Raises CorruptionError naming the answer that does
    not decode, InvalidArgumentError for answers made with other k, offset
    or flags."""
    return _native.merge_shards(list(answers), k, offset, all_words=all_words, relax=relax,
                                make=_make_results)


def read_jsonl(path, skip_bad: bool = False):
    """Yields (id, [(field, text), ...]) for each document of a JSON Lines
    file, read as `tim index` reads it: "id" a string or an integer, every
    other string member a field, in order; a name ending in .zst is
    decompressed. A line that is not a document raises InvalidArgumentError
    naming path:line, or is skipped with skip_bad=True. Raises TimIOError
    naming the path when it cannot be read, CorruptionError for a damaged
    .zst."""
    return _native.read_jsonl(str(path), skip_bad)


@dataclass
class Hit:
    """One search hit. `highlights` are [start, end) ranges of `snippet` (as
    Python string indices) holding the matched words."""

    id: str
    score: float
    title: str
    snippet: str
    highlights: List[Tuple[int, int]] = field(default_factory=list)

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
    otherwise)."""

    def __init__(self, hits, total_hits, total_hits_exact, suggestion, notes, relaxed,
                 rewritten="", shards=None):
        super().__init__(hits)
        self.total_hits = total_hits
        self.total_hits_exact = total_hits_exact
        self.suggestion = suggestion
        self.notes = notes
        self.relaxed = relaxed
        self.rewritten = rewritten
        self.shards = shards


class Index:
    """A tim index directory, open for searching. Thread-safe."""

    def __init__(self, path: str, reader: "_native.Reader"):
        self.path = path
        self._reader = reader
        self._lock = threading.Lock()

    @classmethod
    def open(cls, path, create: bool = True) -> "Index":
        """Opens the index at `path`; with create (the default), makes an
        empty one when there is none. Raises NotFoundError when there is
        none and create is False, CorruptionError, NotSupportedError,
        TimIOError."""
        path = str(path)
        try:
            return cls(path, _native.Reader(path))
        except NotFoundError:
            if not create:
                raise
        w = _native.Writer(path, create=True)
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
               raw: bool = False, relax: bool = True, stats: Optional[bytes] = None) -> Results:
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
        stats."""
        reader = self._current()
        return reader.search(query, k, offset, all_words=all_words, plain=plain,
                             snippets=snippets, suggest=suggest, raw=raw, make=_make_results,
                             relax=relax, stats=stats)

    def gather_stats(self, query: str, *, all_words: bool = False, plain: bool = False,
                     suggest: bool = True, raw: bool = False) -> bytes:
        """The collection statistics `query` is scored with in this index
        (document count, field lengths, its terms' document frequencies,
        what its rewrites and suggestion read), as bytes: merge those of every
        shard with tim.merge_stats, then search every shard with them. Give
        the flags the search will use. Raises what search raises."""
        return self._current().gather_stats(query, all_words=all_words, plain=plain,
                                            suggest=suggest, raw=raw)

    def search_shard(self, query: str, k: int = 10, offset: int = 0, *, stats: bytes,
                     all_words: bool = False, plain: bool = False, snippets: bool = True,
                     suggest: bool = True, raw: bool = False, relax: bool = True) -> bytes:
        """The query round of a sharded search: this shard's best k + offset
        hits scored with the merged `stats`, as bytes for tim.merge_shards;
        with snippets=False ids and scores only, for the fetch round
        (Index.fetch of the hits kept). Raises what search with stats
        raises."""
        return self._current().search_shard(query, k, offset, stats, all_words=all_words,
                                            plain=plain, snippets=snippets, suggest=suggest,
                                            raw=raw, relax=relax)

    def fetch(self, query: str, ids, scores=None, *, stats: bytes, relaxed: bool = False,
              all_words: bool = False, plain: bool = False, snippets: bool = True,
              raw: bool = False) -> List["Hit"]:
        """The fetch round of a sharded search: the Hit of each id (this
        shard's hits of tim.merge_shards' results), in order, with its title,
        snippet and highlights, and its score from `scores` (0 without).
        Give the flags searched, and relaxed=Results.relaxed. Raises
        NotFoundError naming an id this shard does not hold, and what search
        with stats raises."""
        hits = self._current().fetch(query, list(ids), scores, stats, relaxed=relaxed,
                                     all_words=all_words, plain=plain, snippets=snippets, raw=raw)
        return [Hit(*h) for h in hits]

    def matches(self, query: str, *, all_words: bool = False,
                plain: bool = False) -> List[Tuple[str, float]]:
        """(id, score) of every document matching `query`, with no cap
        (search pages through at most 10,000 hits), in index order rather
        than by score: for exports and counting in the app. Raises what
        search raises."""
        return self._current().matches(query, all_words=all_words, plain=plain)

    def get(self, id: str) -> Dict[str, str]:
        """The stored fields of document `id`, in the order they were
        added. Raises KeyError when there is no such document."""
        try:
            return dict(self._current().get(id))
        except NotFoundError:
            raise KeyError(id) from None

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
        is not a string."""
        if isinstance(fields, dict):
            fields = fields.items()
        all_fields = list(fields or []) + list(kwargs.items())
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


def _make_results(hits, total, exact, suggestion, notes, relaxed, rewritten,
                  shards=None) -> Results:
    return Results([Hit(*h) for h in hits], total, exact, suggestion, notes, relaxed, rewritten,
                   shards)
