"""Sharded tim indexes built and searched on Dask (docs/scale-out.md).

A collection too large for one machine's build time (or disk) is split
into N shards by a stable hash of each document's id. Each shard is an
ordinary tim index directory under one root, on storage every Dask worker
reaches. Dask tasks build the shards; one Dask actor per shard keeps it open
and searches it. A query first gathers each shard's collection statistics,
merges them, then searches every shard with the merged ones, so scores do not
depend on how the documents were sharded (as Elasticsearch's DFS
query-then-fetch). The shards answer with ids and scores, tim.merge_shards
keeps the best, and only the shards holding those make their snippets:

    from distributed import Client
    from tim.dask import ShardedIndex

    client = Client("tcp://scheduler:8786")        # or Client(LocalCluster())
    ix = ShardedIndex.create("/shared/news", shards=8)
    ix.build(client, ["/shared/a.jsonl.zst", "/shared/b.jsonl.zst"])
    with ix.searcher(client) as s:
        for hit in s.search("ha noi", k=10):
            print(hit.id, hit.score, hit.title)

Errors are tim.Error subclasses; a shard that fails (missing, corrupt, its
worker gone) raises ShardError naming the shard, or, with partial=True,
gives results flagged partial with the failed shards named.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import shutil
import time
import uuid
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import dask
import dask.bag as db
import distributed

from . import (Error, Hit, Index, InvalidArgumentError, NotFoundError, Results, merge_shards,
               merge_stats, read_jsonl)

__all__ = ["ShardedIndex", "ShardedSearcher", "ShardedResults", "ShardError", "shard_of"]

LAYOUT = "tim-shards.json"
LAYOUT_VERSION = 1
ROUTER = "blake2b-64 of the UTF-8 id, little-endian, mod shards"


def shard_of(id: str, shards: int) -> int:
    """The shard that owns document `id`: the one rule every build, replace
    and delete routes by (tim-shards.json names it)."""
    digest = hashlib.blake2b(str(id).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little") % shards


class ShardError(Error):
    """A shard failed: `shard` (its number), `path`, and why."""

    def __init__(self, shard: int, path: str, message: str, code: int = 8):
        super().__init__(code, f"shard {shard} ({path}): {message}")
        self.shard = shard
        self.path = path
        self.why = message

    def __reduce__(self):
        return (type(self), (self.shard, self.path, self.why, self.code))


class ShardedResults(Results):
    """Results of a sharded search: those of tim.Results, plus `partial`
    (some shards failed and their documents are missing) and `failed`
    (shard number -> why)."""

    def __init__(self, *args, partial: bool = False, failed: Optional[Dict[int, str]] = None,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.partial = partial
        self.failed = dict(failed or {})


class ShardedIndex:
    """N tim index directories under `root` (shard-000, shard-001, ...) and
    tim-shards.json, which records the shard count and the routing rule."""

    def __init__(self, root: str, shards: int, schema: Optional[Dict[str, str]] = None):
        self.root = root
        self.shards = shards
        self.schema = dict(schema or {})

    @classmethod
    def create(cls, root, shards: int,
               schema: Optional[Dict[str, str]] = None) -> "ShardedIndex":
        """Makes the layout under `root` (an absolute path every worker
        reaches), or opens it when there is one with the same shard count.
        schema declares typed fields for every shard, {"category":
        "keyword", "price": "number", "published": "date"} (Index.open);
        recorded in the layout, so later builds use it. Raises
        InvalidArgumentError when the layout has another count (re-sharding
        is a new build) or another type for a field."""
        root = os.path.abspath(str(root))
        if not isinstance(shards, int) or not 1 <= shards <= 4096:
            raise InvalidArgumentError(3, f"shards must be an integer from 1 to 4096, not {shards!r}")
        schema = dict(schema or {})
        if os.path.exists(os.path.join(root, LAYOUT)):
            ix = cls.open(root)
            if ix.shards != shards:
                raise InvalidArgumentError(
                    3, f"{root} holds {ix.shards} shards, not {shards}: build a new root to re-shard")
            for name, type_ in schema.items():
                if ix.schema.get(name, type_) != type_:
                    raise InvalidArgumentError(
                        3, f"{root}: field \"{name}\" is {ix.schema[name]}, not {type_}")
            if any(name not in ix.schema for name in schema):
                ix.schema.update(schema)
                ix._write_layout()
            return ix
        os.makedirs(root, exist_ok=True)
        ix = cls(root, shards, schema)
        ix._write_layout()
        return ix

    def _write_layout(self) -> None:
        layout = {"format": "tim-shards", "version": LAYOUT_VERSION, "shards": self.shards,
                  "router": ROUTER, "dirs": [_shard_dir(i) for i in range(self.shards)]}
        if self.schema:
            layout["schema"] = self.schema
        tmp = os.path.join(self.root, LAYOUT + ".tmp")
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(layout, f, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, os.path.join(self.root, LAYOUT))

    @classmethod
    def open(cls, root) -> "ShardedIndex":
        """Opens the layout under `root`. Raises NotFoundError when there is
        none, InvalidArgumentError when it is not one this tim reads."""
        root = os.path.abspath(str(root))
        path = os.path.join(root, LAYOUT)
        try:
            with open(path, encoding="utf-8") as f:
                layout = json.load(f)
        except FileNotFoundError:
            raise NotFoundError(1, f"{path}: no sharded tim index here") from None
        except (OSError, ValueError) as e:
            raise InvalidArgumentError(3, f"{path}: unreadable ({e})") from None
        if (not isinstance(layout, dict) or layout.get("format") != "tim-shards"
                or layout.get("version") != LAYOUT_VERSION or layout.get("router") != ROUTER
                or not isinstance(layout.get("shards"), int) or layout["shards"] < 1):
            raise InvalidArgumentError(
                3, f"{path}: not a tim-shards layout version {LAYOUT_VERSION} this tim reads")
        schema = layout.get("schema", {})
        if not isinstance(schema, dict):
            raise InvalidArgumentError(3, f"{path}: \"schema\" is not an object")
        return cls(root, layout["shards"], schema)

    def shard_path(self, shard: int) -> str:
        return os.path.join(self.root, _shard_dir(shard))

    def shard_of(self, id: str) -> int:
        return shard_of(id, self.shards)

    # ---- Building -------------------------------------------------------

    def build(self, client: Optional[distributed.Client], docs, *, skip_bad: bool = False) -> dict:
        """Adds documents to their shards, replacing any with the same id
        (in input order within a partition; partitions in order), and
        commits each shard. Re-running adds to the shards.

        docs: a dask bag of dicts ({"id": ..., "title": ..., ...}: "id" a
        string or an integer, other string members fields), a dask
        dataframe with an "id" column, or JSON Lines files (a path or a list
        of paths, .zst decompressed; one partition each), read as `tim
        index` reads them. A bad document raises InvalidArgumentError
        naming it (path:line for files), or is skipped with skip_bad.

        Partition tasks route documents into per-shard staging files under
        root; then one task per shard indexes its files. Returns
        {"documents": per shard, "skipped": bad documents skipped,
        "route_seconds", "index_seconds", "seconds"}. A shard that fails
        raises ShardError; shards committed before stay committed."""
        client = client or distributed.get_client()
        bag = _as_bag(docs)
        from_paths = _is_paths(docs)
        staging = os.path.join(self.root, f".staging-{uuid.uuid4().hex}")
        os.makedirs(staging)
        start = time.perf_counter()
        try:
            # One routing task per partition, numbered so that the shards
            # apply partitions in order (a later copy of an id wins).
            tasks = [dask.delayed(_route_partition)(part, staging, self.shards, skip_bad,
                                                    from_paths, p, self.schema)
                     for p, part in enumerate(bag.to_delayed())]
            routed = _compute(client, tasks, "routing documents")
            route_end = time.perf_counter()
            skipped = sum(r[self.shards] for r in routed)
            futures = [client.submit(_index_shard, self.shard_path(i), staging, i, self.schema,
                                     pure=False, key=f"tim-index-shard-{i}-{uuid.uuid4().hex}")
                       for i in range(self.shards)]
            counts = self._gather(client, futures, "indexing")
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        end = time.perf_counter()
        return {"documents": counts, "skipped": skipped, "route_seconds": route_end - start,
                "index_seconds": end - route_end, "seconds": end - start}

    def delete(self, client: Optional[distributed.Client], ids: Iterable[str]) -> List[int]:
        """Deletes documents by id, each from the shard that owns it, and
        commits. Returns how many ids went to each shard (absent ids are no
        error)."""
        client = client or distributed.get_client()
        by_shard: List[List[str]] = [[] for _ in range(self.shards)]
        for id in ids:
            by_shard[self.shard_of(str(id))].append(str(id))
        futures = [client.submit(_delete_in_shard, self.shard_path(i), by_shard[i], pure=False)
                   for i in range(self.shards) if by_shard[i]]
        self._gather(client, futures, "deleting",
                     shards=[i for i in range(self.shards) if by_shard[i]])
        return [len(b) for b in by_shard]

    def _gather(self, client, futures, doing: str, shards: Optional[Sequence[int]] = None):
        shards = list(range(len(futures))) if shards is None else list(shards)
        out = []
        for shard, fut in zip(shards, futures):
            try:
                out.append(fut.result())
            except Error as e:
                raise ShardError(shard, self.shard_path(shard), f"{doing}: {e}", e.code) from e
            except Exception as e:  # a worker lost, a task killed
                raise ShardError(shard, self.shard_path(shard),
                                 f"{doing}: {type(e).__name__}: {e}") from e
        return out

    # ---- Searching ------------------------------------------------------

    def searcher(self, client: Optional[distributed.Client] = None, *, partial: bool = False,
                 fetch_round: bool = True) -> "ShardedSearcher":
        """Starts one actor per shard (spread over the workers), each
        keeping its shard open. partial=True: a shard that fails to open or
        to answer is left out and results say so (ShardedResults.partial)
        instead of raising ShardError. fetch_round=False: every shard makes
        snippets for its own top k in the query round, one round trip fewer
        (for clusters where a round trip costs more than k snippets per
        shard: docs/scale-out.md)."""
        return ShardedSearcher(client or distributed.get_client(), self, partial=partial,
                               fetch_round=fetch_round)

    def __repr__(self) -> str:
        return f"ShardedIndex({self.root!r}, shards={self.shards})"


class ShardedSearcher:
    """Searches every shard of a ShardedIndex through Dask actors. Use from
    one thread at a time; close() (or a with block) releases the actors."""

    def __init__(self, client: distributed.Client, index: ShardedIndex, *, partial: bool = False,
                 fetch_round: bool = True):
        self.client = client
        self.index = index
        self.partial = partial
        self.fetch_round = fetch_round
        self._actors: Dict[int, object] = {}
        self._futures: Dict[int, object] = {}
        self.failed: Dict[int, str] = {}
        # Merged statistics of recent queries: the shards' commits do not
        # change until reopen(), so a repeated query skips the gather round.
        self._stats: "collections.OrderedDict[tuple, bytes]" = collections.OrderedDict()
        self.reopen()

    def reopen(self) -> None:
        """(Re)starts the actors: each opens the newest commit of its shard
        (after a build, or after a worker died). Until then a repeated query
        reuses its merged statistics (the shards' commits are those seen at
        the last reopen) and skips the round trip that gathers them."""
        self.close()
        workers = sorted(self.client.scheduler_info()["workers"])
        if not workers:
            raise Error(8, "the Dask cluster has no worker")
        futures = {}
        for i in range(self.index.shards):
            futures[i] = self.client.submit(
                _ShardActor, self.index.shard_path(i), actor=True, pure=False,
                workers=[workers[i % len(workers)]], allow_other_workers=True,
                key=f"tim-shard-{i}-{uuid.uuid4().hex}")
        try:
            for i, fut in futures.items():
                try:
                    self._actors[i] = fut.result()
                    self._futures[i] = fut
                except Exception as e:
                    self._fail(i, "opening", e)
        except ShardError:
            for fut in futures.values():
                fut.release()
            self._actors.clear()
            self._futures.clear()
            raise

    def close(self) -> None:
        for fut in self._futures.values():
            fut.release()
        self._actors.clear()
        self._futures.clear()
        self._stats.clear()
        self.failed = {}

    def __enter__(self) -> "ShardedSearcher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _fail(self, shard: int, doing: str, e: BaseException) -> None:
        if isinstance(e, InvalidArgumentError):
            # The query or its arguments, the same on every shard: the
            # caller's error, not the shard's.
            raise e
        path = self.index.shard_path(shard)
        if isinstance(e, Error):
            why = f"{doing}: {e}"
        else:
            why = (f"{doing}: its worker died or cannot be reached "
                   f"({type(e).__name__}: {e}); reopen() restarts it")
        if not self.partial:
            raise ShardError(shard, path, why, e.code if isinstance(e, Error) else 8) from e
        self.failed[shard] = f"shard {shard} ({path}): {why}"
        self._actors.pop(shard, None)

    def _call(self, doing: str, method: str, *args) -> Dict[int, object]:
        """Calls `method` of every live actor at once; their answers by shard."""
        return self._call_each(doing, method, {i: args for i in self._actors})

    def _call_each(self, doing: str, method: str, args: Dict[int, tuple]) -> Dict[int, object]:
        """Calls `method` of the live actors of `args`' shards at once, each
        with its arguments; their answers by shard."""
        pending = {}
        for i, actor in sorted(self._actors.items()):
            if i not in args:
                continue
            try:
                pending[i] = getattr(actor, method)(*args[i])
            except Exception as e:
                self._fail(i, doing, e)
        out = {}
        for i, fut in pending.items():
            try:
                out[i] = fut.result()
            except Exception as e:
                self._fail(i, doing, e)
        return out

    def search(self, query: str, k: int = 10, offset: int = 0, *, all_words: bool = False,
               plain: bool = False, snippets: bool = True, suggest: bool = True,
               raw: bool = False, filter=None, sort=None, facets=None) -> ShardedResults:
        """Index.search over every shard: the same hits, in the same order
        and with the same scores as one index holding every shard's
        documents (equal scores by id, as everywhere); with filter, sort and
        facets as Index.search takes them, facet counts summed exactly over
        the shards. Raises what Index.search raises, ShardError when a shard
        fails (unless partial)."""
        if k < 0 or offset < 0 or k + offset > 10000:
            raise InvalidArgumentError(3, "k and offset must be >= 0, k + offset at most 10000")
        flags = dict(all_words=all_words, plain=plain, suggest=suggest, raw=raw)
        # Hashable, for the statistics cache key.
        if filter is not None:
            flags["filter"] = (filter,) if isinstance(filter, str) else tuple(filter)
        if sort:
            flags["sort"] = sort if isinstance(sort, str) else ",".join(sort)
        if facets:
            flags["facets"] = (facets,) if isinstance(facets, str) else tuple(facets)
        if self.index.shards == 1:
            # One shard is the collection: its own statistics, one round.
            answers = self._call("searching", "search_alone", query, k, offset,
                                 dict(flags, snippets=snippets))
            if not answers:
                raise Error(8, "no shard could be searched: " + "; ".join(self.failed.values()))
            r = answers[min(answers)]
            return ShardedResults(r, r.total_hits, r.total_hits_exact, r.suggestion, r.notes,
                                  r.relaxed, r.rewritten, facets=r.facets,
                                  partial=bool(self.failed), failed=self.failed)
        merged = self._merged_stats(query, flags)
        # Query: every shard's best k + offset, ids and scores only (with
        # their snippets too when there is no fetch round).
        dress = snippets and not self.fetch_round
        answers = self._call_each("searching", "search", {
            i: (query, k, offset, dict(flags, snippets=dress), merged) for i in self._actors})
        if not answers:
            raise Error(8, "no shard could be searched: " + "; ".join(self.failed.values()))
        order = sorted(answers)
        results = merge_shards([answers[i] for i in order], k, offset, all_words=all_words,
                               sort=flags.get("sort"), facets=flags.get("facets"))
        hits = list(results)
        if snippets and not dress and hits:
            # Fetch: titles and snippets of the hits kept, from their shards.
            mine: Dict[int, List[int]] = {}
            for at, answer in enumerate(results.shards):
                mine.setdefault(order[answer], []).append(at)
            fetched = self._call_each("fetching", "fetch", {
                shard: (query, [hits[at].id for at in ats], flags, merged, results.relaxed)
                for shard, ats in mine.items()})
            for shard, dressed in fetched.items():
                for at, (title, snippet, highlights) in zip(mine[shard], dressed):
                    hits[at] = Hit(hits[at].id, hits[at].score, title, snippet, highlights,
                                   hits[at].sort_values)
        return ShardedResults(
            hits, results.total_hits, results.total_hits_exact, results.suggestion, results.notes,
            results.relaxed, results.rewritten, facets=results.facets,
            partial=bool(self.failed), failed=self.failed)

    # Queries whose merged statistics are kept (a few KB each).
    STATS_CACHE = 1024

    def _merged_stats(self, query: str, flags: dict) -> bytes:
        key = (query,) + tuple(sorted(flags.items()))
        merged = self._stats.get(key)
        if merged is not None:
            self._stats.move_to_end(key)
            return merged
        stats = self._call("gathering statistics", "gather_stats", query, flags)
        if not stats:
            raise Error(8, "no shard could be searched: " + "; ".join(self.failed.values()))
        merged = merge_stats(stats[i] for i in sorted(stats))
        if not self.failed:  # a shard missing from them: gather again next time
            self._stats[key] = merged
            if len(self._stats) > self.STATS_CACHE:
                self._stats.popitem(last=False)
        return merged

    def num_docs(self) -> int:
        """Live documents over the shards that answer."""
        return sum(self._call("counting", "num_docs").values())

    def shard_docs(self) -> Dict[int, int]:
        """Live documents of each shard that answers."""
        return self._call("counting", "num_docs")


class _ShardActor:
    """Lives on a worker, keeps one shard open (a Dask actor)."""

    def __init__(self, path: str):
        if not os.path.isdir(path):
            raise NotFoundError(1, f"{path}: no shard directory")
        self.path = path
        self.index = Index.open(path, create=False)

    def gather_stats(self, query: str, flags: dict) -> bytes:
        return self.index.gather_stats(query, **flags)

    def search(self, query: str, k: int, offset: int, flags: dict, stats: bytes) -> bytes:
        return self.index.search_shard(query, k, offset, stats=stats, **flags)

    def search_alone(self, query: str, k: int, offset: int, flags: dict) -> Results:
        return self.index.search(query, k, offset, **flags)

    def fetch(self, query: str, ids: List[str], flags: dict, stats: bytes,
              relaxed: bool) -> list:
        hits = self.index.fetch(query, ids, stats=stats, relaxed=relaxed,
                                all_words=flags["all_words"], plain=flags["plain"],
                                raw=flags["raw"], filter=flags.get("filter"))
        return [(h.title, h.snippet, h.highlights) for h in hits]

    def num_docs(self) -> int:
        return len(self.index)


# ---- Build tasks (run on workers) --------------------------------------

def _shard_dir(i: int) -> str:
    return f"shard-{i:03d}"


def _is_paths(docs) -> bool:
    return isinstance(docs, (str, os.PathLike)) or (
        isinstance(docs, (list, tuple)) and all(isinstance(d, (str, os.PathLike)) for d in docs))


def _as_bag(docs) -> db.Bag:
    if _is_paths(docs):
        paths = [docs] if isinstance(docs, (str, os.PathLike)) else list(docs)
        if not paths:
            raise InvalidArgumentError(3, "no JSON Lines file to build from")
        paths = [os.path.abspath(str(p)) for p in paths]
        return db.from_sequence(paths, npartitions=len(paths))
    if isinstance(docs, db.Bag):
        return docs
    try:
        import dask.dataframe as dd
        if isinstance(docs, dd.DataFrame):
            if "id" not in docs.columns:
                raise InvalidArgumentError(3, "the dataframe has no \"id\" column")
            return docs.to_bag(format="dict")
    except ImportError:
        pass
    raise InvalidArgumentError(
        3, "docs must be a dask bag of dicts, a dask dataframe, or JSON Lines paths, "
           f"not {type(docs).__name__}")


def _documents(items, from_paths: bool, skip_bad: bool, counts: list, schema: dict):
    """(id, fields) of a partition's documents; counts[0] += bad ones skipped.
    Members of typed fields (schema) also take numbers and lists."""
    if from_paths:
        for path in items:
            reader = read_jsonl(path, skip_bad, schema)
            while True:
                try:
                    yield next(reader)
                except StopIteration as stop:
                    counts[0] += stop.value or 0
                    break
        return
    for n, d in enumerate(items):
        why = None
        if not isinstance(d, dict):
            why = f"a {type(d).__name__}, not a dict"
        elif not isinstance(d.get("id"), (str, int)) or isinstance(d.get("id"), bool) \
                or d.get("id") == "":
            why = "no \"id\" (a string or an integer)"
        if why:
            if skip_bad:
                counts[0] += 1
                continue
            raise InvalidArgumentError(3, f"document {n} of its partition: {why}")
        # Members of other types are skipped, as in JSON Lines, except the
        # numbers and lists of typed fields.
        fields = []
        for k, v in d.items():
            if k == "id":
                continue
            if isinstance(v, str):
                fields.append((k, v))
            elif k in schema and isinstance(v, (int, float, list, tuple)) and not isinstance(v, bool):
                for item in v if isinstance(v, (list, tuple)) else [v]:
                    if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                        fields.append((k, item if isinstance(item, str) else repr(item)))
        yield str(d["id"]), fields


def _route_partition(items, staging: str, shards: int, skip_bad: bool, from_paths: bool,
                     part: int, schema: Optional[dict] = None) -> List[int]:
    """Writes partition `part`'s documents into one staging file per shard;
    returns the count per shard and, last, the bad documents skipped."""
    files = [None] * shards
    counts = [0] * shards
    skipped = [0]
    try:
        for id, fields in _documents(items, from_paths, skip_bad, skipped, schema or {}):
            s = shard_of(id, shards)
            if files[s] is None:
                files[s] = open(os.path.join(staging, f"p{part:07d}.{s}.jsonl"), "w",
                                encoding="utf-8")
            obj = {"id": id}
            for k, v in fields:  # a typed field given several times becomes a list
                if k == "id":
                    continue
                if k not in obj or k not in (schema or {}):
                    obj[k] = v
                elif isinstance(obj[k], list):
                    obj[k].append(v)
                else:
                    obj[k] = [obj[k], v]
            files[s].write(json.dumps(obj, ensure_ascii=False) + "\n")
            counts[s] += 1
    finally:
        for f in files:
            if f is not None:
                f.close()
    return counts + skipped


def _index_shard(path: str, staging: str, shard: int, schema: Optional[dict] = None) -> int:
    """Adds the shard's staging files to its index, in partition order."""
    suffix = f".{shard}.jsonl"
    names = sorted(n for n in os.listdir(staging) if n.endswith(suffix))
    ix = Index.open(path, schema=schema or None)
    n = 0
    with ix.writer() as w:
        for name in names:
            added, _ = w.add_jsonl(os.path.join(staging, name))
            n += added
    return n


def _delete_in_shard(path: str, ids: List[str]) -> int:
    ix = Index.open(path)
    with ix.writer() as w:
        for id in ids:
            w.delete(id)
    return len(ids)


def _compute(client, tasks, doing: str) -> list:
    try:
        return client.gather(client.compute(tasks))
    except Error:
        raise
    except Exception as e:
        raise Error(8, f"{doing}: {type(e).__name__}: {e}") from e
