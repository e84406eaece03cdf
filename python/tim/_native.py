"""ctypes bindings of include/tim/tim.h: the handles, the structs and the
error codes. Everything tim allocates is freed here, before the Python
objects built from it are returned."""

from __future__ import annotations

import ctypes
import os
import threading
from typing import List, Tuple

# The SONAME this package was written against (include/tim/version.h:
# libtim.so.0.MINOR before 1.0).
SONAME = "libtim.so.0.3"


class Error(Exception):
    """An error from tim: `code` (tim_code), `code_name` and tim's message."""

    def __init__(self, code: int, message: str):
        super().__init__(message)
        self.code = code
        self.message = message
        self.code_name = _code_name(code)

    def __reduce__(self):
        # Picklable as itself, so an error keeps its class across processes
        # (a Dask worker's error reaches the client as the same tim error).
        return (type(self), (self.code, self.message))


class NotFoundError(Error):
    pass


class CorruptionError(Error):
    pass


class InvalidArgumentError(Error, ValueError):
    pass


class TimIOError(Error, OSError):
    def __init__(self, code: int, message: str):
        Error.__init__(self, code, message)


class NotSupportedError(Error):
    pass


class BusyError(Error):
    pass


_ERRORS = {1: NotFoundError, 2: CorruptionError, 3: InvalidArgumentError, 4: TimIOError,
           5: NotSupportedError, 6: BusyError}


class _Field(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("name_len", ctypes.c_size_t),
                ("value", ctypes.c_void_p), ("value_len", ctypes.c_size_t)]


class _Range(ctypes.Structure):
    _fields_ = [("start", ctypes.c_uint32), ("end", ctypes.c_uint32)]


class _Hit(ctypes.Structure):
    _fields_ = [("id", ctypes.c_void_p), ("id_len", ctypes.c_size_t),
                ("score", ctypes.c_double),
                ("title", ctypes.c_void_p), ("title_len", ctypes.c_size_t),
                ("snippet", ctypes.c_void_p), ("snippet_len", ctypes.c_size_t),
                ("highlights", ctypes.POINTER(_Range)), ("highlight_count", ctypes.c_size_t),
                ("sort_values", ctypes.POINTER(ctypes.c_char_p)),
                ("sort_value_count", ctypes.c_size_t)]


class _FacetCount(ctypes.Structure):
    _fields_ = [("value", ctypes.c_void_p), ("value_len", ctypes.c_size_t),
                ("count", ctypes.c_uint64)]


class _Facet(ctypes.Structure):
    _fields_ = [("field", ctypes.c_void_p), ("field_len", ctypes.c_size_t),
                ("counts", ctypes.POINTER(_FacetCount)), ("count", ctypes.c_size_t)]


class _SearchExtras(ctypes.Structure):
    _fields_ = [("filters", ctypes.POINTER(ctypes.c_char_p)), ("filter_count", ctypes.c_size_t),
                ("sort", ctypes.c_char_p),
                ("facets", ctypes.POINTER(ctypes.c_char_p)), ("facet_count", ctypes.c_size_t)]


class _Results(ctypes.Structure):
    _fields_ = [("total_hits", ctypes.c_uint64), ("total_hits_exact", ctypes.c_int),
                ("relaxed", ctypes.c_int),
                ("hits", ctypes.POINTER(_Hit)), ("hit_count", ctypes.c_size_t),
                ("suggestion", ctypes.c_void_p), ("suggestion_len", ctypes.c_size_t),
                ("notes", ctypes.POINTER(ctypes.c_char_p)), ("note_count", ctypes.c_size_t),
                ("rewritten", ctypes.c_void_p), ("rewritten_len", ctypes.c_size_t),
                ("shards", ctypes.POINTER(ctypes.c_size_t)),
                ("facets", ctypes.POINTER(_Facet)), ("facet_count", ctypes.c_size_t)]


class _Document(ctypes.Structure):
    _fields_ = [("id", ctypes.c_void_p), ("id_len", ctypes.c_size_t),
                ("fields", ctypes.POINTER(_Field)), ("field_count", ctypes.c_size_t)]


# int (*)(void *ctx, const char *id, size_t id_len, double score)
_MATCH_FN = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.POINTER(ctypes.c_char),
                             ctypes.c_size_t, ctypes.c_double)

_lib = None
_lib_lock = threading.Lock()

_P = ctypes.c_void_p
_ERR = ctypes.POINTER(ctypes.c_void_p)


def _load():
    global _lib
    with _lib_lock:
        if _lib is not None:
            return _lib
        path = os.environ.get("TIM_LIBRARY") or SONAME
        try:
            lib = ctypes.CDLL(path)
        except OSError as e:
            raise ImportError(
                f"tim: cannot load {path} ({e}); set TIM_LIBRARY to the path of libtim.so, "
                "or add its directory to LD_LIBRARY_PATH") from None
        sigs = {
            "tim_code_name": (ctypes.c_char_p, [ctypes.c_int]),
            "tim_version": (ctypes.c_char_p, []),
            "tim_free": (None, [_P]),
            "tim_writer_open": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_int,
                                               ctypes.POINTER(_P), _ERR]),
            "tim_writer_add": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t,
                                              ctypes.POINTER(_Field), ctypes.c_size_t, _ERR]),
            "tim_writer_delete": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t, _ERR]),
            "tim_writer_commit": (ctypes.c_int, [_P, _ERR]),
            "tim_writer_close": (None, [_P]),
            "tim_reader_open": (ctypes.c_int, [ctypes.c_char_p, ctypes.POINTER(_P), _ERR]),
            "tim_reader_reopen": (ctypes.c_int, [_P, ctypes.POINTER(_P), _ERR]),
            "tim_reader_close": (None, [_P]),
            "tim_reader_num_docs": (ctypes.c_uint64, [_P]),
            "tim_search": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_size_t,
                                          ctypes.c_size_t, ctypes.c_uint,
                                          ctypes.POINTER(ctypes.POINTER(_Results)), _ERR]),
            "tim_search_text": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t,
                                               ctypes.c_size_t, ctypes.c_size_t, ctypes.c_uint,
                                               ctypes.POINTER(ctypes.POINTER(_Results)), _ERR]),
            "tim_results_free": (None, [ctypes.POINTER(_Results)]),
            "tim_for_each_match": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t,
                                                  ctypes.c_uint, _MATCH_FN, _P, _ERR]),
            "tim_get_document": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t,
                                                ctypes.POINTER(ctypes.POINTER(_Document)), _ERR]),
            "tim_document_free": (None, [ctypes.POINTER(_Document)]),
            "tim_gather_stats": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t,
                                                ctypes.c_uint, ctypes.POINTER(_P),
                                                ctypes.POINTER(ctypes.c_size_t), _ERR]),
            "tim_merge_stats": (ctypes.c_int, [ctypes.POINTER(ctypes.c_char_p),
                                               ctypes.POINTER(ctypes.c_size_t), ctypes.c_size_t,
                                               ctypes.POINTER(_P),
                                               ctypes.POINTER(ctypes.c_size_t), _ERR]),
            "tim_search_with_stats": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t,
                                                     ctypes.c_size_t, ctypes.c_size_t,
                                                     ctypes.c_uint, ctypes.c_char_p,
                                                     ctypes.c_size_t,
                                                     ctypes.POINTER(ctypes.POINTER(_Results)),
                                                     _ERR]),
            "tim_search_shard": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t,
                                                ctypes.c_size_t, ctypes.c_size_t, ctypes.c_uint,
                                                ctypes.c_char_p, ctypes.c_size_t,
                                                ctypes.POINTER(_P),
                                                ctypes.POINTER(ctypes.c_size_t), _ERR]),
            "tim_merge_shards": (ctypes.c_int, [ctypes.POINTER(ctypes.c_char_p),
                                                ctypes.POINTER(ctypes.c_size_t), ctypes.c_size_t,
                                                ctypes.c_size_t, ctypes.c_size_t, ctypes.c_uint,
                                                ctypes.POINTER(ctypes.POINTER(_Results)), _ERR]),
            "tim_fetch": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint,
                                         ctypes.c_char_p, ctypes.c_size_t,
                                         ctypes.POINTER(ctypes.c_char_p),
                                         ctypes.POINTER(ctypes.c_size_t),
                                         ctypes.POINTER(ctypes.c_double), ctypes.c_size_t,
                                         ctypes.POINTER(ctypes.POINTER(_Results)), _ERR]),
            "tim_writer_open_schema": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_int,
                                                      ctypes.c_char_p, ctypes.c_size_t,
                                                      ctypes.POINTER(_P), _ERR]),
            "tim_search_ex": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t,
                                             ctypes.c_size_t, ctypes.c_size_t, ctypes.c_uint,
                                             ctypes.POINTER(_SearchExtras),
                                             ctypes.POINTER(ctypes.POINTER(_Results)), _ERR]),
            "tim_gather_stats_ex": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t,
                                                   ctypes.c_uint, ctypes.POINTER(_SearchExtras),
                                                   ctypes.POINTER(_P),
                                                   ctypes.POINTER(ctypes.c_size_t), _ERR]),
            "tim_search_shard_ex": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t,
                                                   ctypes.c_size_t, ctypes.c_size_t,
                                                   ctypes.c_uint, ctypes.POINTER(_SearchExtras),
                                                   ctypes.c_char_p, ctypes.c_size_t,
                                                   ctypes.POINTER(_P),
                                                   ctypes.POINTER(ctypes.c_size_t), _ERR]),
            "tim_merge_shards_ex": (ctypes.c_int, [ctypes.POINTER(ctypes.c_char_p),
                                                   ctypes.POINTER(ctypes.c_size_t),
                                                   ctypes.c_size_t, ctypes.c_size_t,
                                                   ctypes.c_size_t, ctypes.c_uint,
                                                   ctypes.POINTER(_SearchExtras),
                                                   ctypes.POINTER(ctypes.POINTER(_Results)),
                                                   _ERR]),
            "tim_fetch_ex": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint,
                                            ctypes.POINTER(_SearchExtras),
                                            ctypes.c_char_p, ctypes.c_size_t,
                                            ctypes.POINTER(ctypes.c_char_p),
                                            ctypes.POINTER(ctypes.c_size_t),
                                            ctypes.POINTER(ctypes.c_double), ctypes.c_size_t,
                                            ctypes.POINTER(ctypes.POINTER(_Results)), _ERR]),
            "tim_jsonl_open": (ctypes.c_int, [ctypes.c_char_p, ctypes.POINTER(_P), _ERR]),
            "tim_jsonl_open_schema": (ctypes.c_int, [ctypes.c_char_p, ctypes.c_char_p,
                                                     ctypes.c_size_t, ctypes.POINTER(_P), _ERR]),
            "tim_writer_add_jsonl": (ctypes.c_int, [_P, ctypes.c_char_p, ctypes.c_int,
                                                    ctypes.POINTER(ctypes.c_uint64),
                                                    ctypes.POINTER(ctypes.c_uint64), _ERR]),
            "tim_jsonl_next": (ctypes.c_int, [_P, ctypes.POINTER(ctypes.POINTER(_Document)),
                                              _ERR]),
            "tim_jsonl_line": (ctypes.c_uint64, [_P]),
            "tim_jsonl_close": (None, [_P]),
        }
        for name, (restype, argtypes) in sigs.items():
            f = getattr(lib, name)
            f.restype = restype
            f.argtypes = argtypes
        _lib = lib
        return lib


def _code_name(code: int) -> str:
    return _load().tim_code_name(code).decode()


def version() -> str:
    return _load().tim_version().decode()


def _check(code: int, err: ctypes.c_void_p) -> None:
    if code == 0:
        return
    message = ""
    if err.value:
        message = ctypes.string_at(err.value).decode("utf-8", "replace")
        _load().tim_free(err)
    raise _ERRORS.get(code, Error)(code, message)


def _utf8(s, what: str) -> bytes:
    if isinstance(s, bytes):
        return s
    if not isinstance(s, str):
        raise InvalidArgumentError(3, f"{what} must be a str, not {type(s).__name__}")
    try:
        return s.encode("utf-8")
    except UnicodeEncodeError as e:  # lone surrogates
        raise InvalidArgumentError(3, f"{what}: not encodable as UTF-8 ({e.reason} at "
                                      f"character {e.start})") from None


def _text(p: int, n: int) -> str:
    return ctypes.string_at(p, n).decode("utf-8", "replace") if n else ""


def _char_ranges(snippet: bytes, ranges: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Byte ranges of UTF-8 `snippet` as Python string index ranges."""
    out = []
    for b, e in ranges:
        start = len(snippet[:b].decode("utf-8", "replace"))
        out.append((start, start + len(snippet[b:e].decode("utf-8", "replace"))))
    return out


class Extras:
    """Filters, sort and facets (docs/query.md) as the C calls take them:
    a tim_search_extras and the bytes it points into."""

    def __init__(self, filter=None, sort=None, facets=None):
        if filter is None:
            filters = []
        elif isinstance(filter, (str, bytes)):
            filters = [filter]
        else:
            filters = list(filter)
        if facets is None:
            facets = []
        elif isinstance(facets, (str, bytes)):
            facets = [facets]
        else:
            facets = list(facets)
        if sort is not None and not isinstance(sort, (str, bytes)):
            sort = ",".join(sort)  # a list of fields, as "-published"
        self._filters = [_utf8(f, "filter") for f in filters]
        self._facets = [_utf8(f, "facet") for f in facets]
        self._sort = _utf8(sort, "sort") if sort else None
        for b in self._filters + self._facets + ([self._sort] if self._sort else []):
            if b"\0" in b:
                raise InvalidArgumentError(3, "filters, sort and facets hold no NUL character")
        self.struct = _SearchExtras()
        self._farr = (ctypes.c_char_p * max(len(self._filters), 1))(*self._filters)
        self._carr = (ctypes.c_char_p * max(len(self._facets), 1))(*self._facets)
        self.struct.filters = self._farr
        self.struct.filter_count = len(self._filters)
        self.struct.sort = self._sort
        self.struct.facets = self._carr
        self.struct.facet_count = len(self._facets)

    def ref(self):
        return ctypes.byref(self.struct)


def _extras(extras):
    return extras.ref() if extras is not None else None


class Reader:
    """A tim_reader handle, closed when garbage-collected."""

    def __init__(self, path: str = None, handle: int = None):
        lib = _load()
        self._lib = lib
        self._h = None
        if handle is None:
            h, err = _P(), _P()
            _check(lib.tim_reader_open(_utf8(path, "path"), ctypes.byref(h), ctypes.byref(err)),
                   err)
            handle = h.value
        self._h = handle

    def __del__(self):
        if getattr(self, "_h", None):
            self._lib.tim_reader_close(self._h)
            self._h = None

    def reopen(self) -> "Reader":
        h, err = _P(), _P()
        _check(self._lib.tim_reader_reopen(self._h, ctypes.byref(h), ctypes.byref(err)), err)
        return Reader(handle=h.value)

    def num_docs(self) -> int:
        return self._lib.tim_reader_num_docs(self._h)

    def search(self, query, k, offset, *, all_words, plain, snippets, suggest, raw, make,
               relax=True, stats=None, extras=None):
        if k < 0 or offset < 0:
            raise InvalidArgumentError(3, "k and offset must be >= 0")
        q = _utf8(query, "query")
        flags = _flags(all_words=all_words, plain=plain, snippets=snippets, suggest=suggest,
                       raw=raw, relax=relax)
        res, err = ctypes.POINTER(_Results)(), _P()
        if extras is not None:
            if stats is not None:
                raise InvalidArgumentError(3, "stats with filters, sort or facets: use the "
                                              "sharded rounds (search_shard)")
            code = self._lib.tim_search_ex(self._h, q, len(q), k, offset, flags,
                                           extras.ref(), ctypes.byref(res), ctypes.byref(err))
        elif stats is not None:
            st = _stats_bytes(stats)
            code = self._lib.tim_search_with_stats(self._h, q, len(q), k, offset, flags, st,
                                                   len(st), ctypes.byref(res), ctypes.byref(err))
        else:
            fn = self._lib.tim_search_text if plain else self._lib.tim_search
            code = fn(self._h, q, len(q), k, offset, flags, ctypes.byref(res), ctypes.byref(err))
        _check(code, err)
        return _take_results(res, make)

    def search_shard(self, query, k, offset, stats, *, all_words, plain, snippets, suggest, raw,
                     relax, extras=None) -> bytes:
        if k < 0 or offset < 0:
            raise InvalidArgumentError(3, "k and offset must be >= 0")
        q = _utf8(query, "query")
        st = _stats_bytes(stats)
        flags = _flags(all_words=all_words, plain=plain, snippets=snippets, suggest=suggest,
                       raw=raw, relax=relax)
        out, n, err = _P(), ctypes.c_size_t(), _P()
        _check(self._lib.tim_search_shard_ex(self._h, q, len(q), k, offset, flags,
                                             _extras(extras), st, len(st), ctypes.byref(out),
                                             ctypes.byref(n), ctypes.byref(err)), err)
        return _take_bytes(out, n)

    def fetch(self, query, ids, scores, stats, *, relaxed, all_words, plain, snippets, raw,
              extras=None):
        q = _utf8(query, "query")
        st = _stats_bytes(stats)
        b = [_utf8(i, "id") for i in ids]
        n = len(b)
        arr = (ctypes.c_char_p * max(n, 1))(*b)
        lens = (ctypes.c_size_t * max(n, 1))(*[len(x) for x in b])
        sc = None
        if scores is not None:
            sc = (ctypes.c_double * max(n, 1))(*[float(x) for x in scores])
        flags = _flags(all_words=all_words, plain=plain, snippets=snippets, raw=raw) | (
            64 if relaxed else 0)
        res, err = ctypes.POINTER(_Results)(), _P()
        _check(self._lib.tim_fetch_ex(self._h, q, len(q), flags, _extras(extras), st, len(st),
                                      arr, lens, sc, n, ctypes.byref(res), ctypes.byref(err)),
               err)
        return _take_results(res, lambda hits, *rest, **kw: hits)

    def gather_stats(self, query, *, all_words, plain, suggest, raw, extras=None) -> bytes:
        q = _utf8(query, "query")
        flags = _flags(all_words=all_words, plain=plain, suggest=suggest, raw=raw)
        out, n, err = _P(), ctypes.c_size_t(), _P()
        _check(self._lib.tim_gather_stats_ex(self._h, q, len(q), flags, _extras(extras),
                                             ctypes.byref(out), ctypes.byref(n),
                                             ctypes.byref(err)), err)
        return _take_bytes(out, n)

    def matches(self, query, *, all_words, plain) -> List[Tuple[str, float]]:
        q = _utf8(query, "query")
        out = []

        def visit(_ctx, id_ptr, id_len, score):
            out.append((ctypes.string_at(id_ptr, id_len).decode("utf-8", "replace"), score))
            return 1

        flags = (1 if all_words else 0) | (8 if plain else 0)
        err = _P()
        _check(self._lib.tim_for_each_match(self._h, q, len(q), flags, _MATCH_FN(visit), None,
                                            ctypes.byref(err)), err)
        return out

    def get(self, id) -> List[Tuple[str, str]]:
        b = _utf8(id, "id")
        doc, err = ctypes.POINTER(_Document)(), _P()
        _check(self._lib.tim_get_document(self._h, b, len(b), ctypes.byref(doc),
                                          ctypes.byref(err)), err)
        try:
            d = doc.contents
            return [(_text(d.fields[i].name, d.fields[i].name_len),
                     _text(d.fields[i].value, d.fields[i].value_len))
                    for i in range(d.field_count)]
        finally:
            self._lib.tim_document_free(doc)


def _flags(*, all_words=False, plain=False, snippets=True, suggest=True, raw=False,
           relax=True) -> int:
    """The TIM_SEARCH_* flags (include/tim/tim.h) of these choices."""
    return ((1 if all_words else 0) | (0 if snippets else 2) | (0 if suggest else 4)
            | (8 if plain else 0) | (16 if raw else 0) | (0 if relax else 32))


def _take_bytes(p: "_P", n: "ctypes.c_size_t") -> bytes:
    """The n bytes tim handed out at p, which are freed here."""
    try:
        return ctypes.string_at(p.value, n.value) if n.value else b""
    finally:
        _load().tim_free(p)


def _stats_bytes(stats) -> bytes:
    if not isinstance(stats, (bytes, bytearray)):
        raise InvalidArgumentError(3, "stats must be bytes (from gather_stats, merge_stats)")
    return bytes(stats)


def _take_results(res, make):
    """make(hits, total, exact, suggestion, notes, relaxed, rewritten[,
    shards=...]) of the tim_results at res, which are freed here."""
    try:
        r = res.contents
        hits = []
        for i in range(r.hit_count):
            h = r.hits[i]
            snippet = ctypes.string_at(h.snippet, h.snippet_len) if h.snippet_len else b""
            ranges = [(h.highlights[j].start, h.highlights[j].end)
                      for j in range(h.highlight_count)]
            sort_values = [h.sort_values[j].decode("utf-8", "replace")
                           for j in range(h.sort_value_count)]
            hits.append((_text(h.id, h.id_len), h.score, _text(h.title, h.title_len),
                         snippet.decode("utf-8", "replace"), _char_ranges(snippet, ranges),
                         sort_values))
        notes = [r.notes[i].decode("utf-8", "replace") for i in range(r.note_count)]
        extra = {}
        if r.shards:
            extra["shards"] = [r.shards[i] for i in range(r.hit_count)]
        if r.facet_count:
            extra["facets"] = {
                _text(r.facets[i].field, r.facets[i].field_len): [
                    (_text(r.facets[i].counts[j].value, r.facets[i].counts[j].value_len),
                     r.facets[i].counts[j].count) for j in range(r.facets[i].count)]
                for i in range(r.facet_count)}
        return make(hits, r.total_hits, bool(r.total_hits_exact),
                    _text(r.suggestion, r.suggestion_len), notes, bool(r.relaxed),
                    _text(r.rewritten, r.rewritten_len), **extra)
    finally:
        _load().tim_results_free(res)


def merge_shards(answers, k, offset, *, all_words, relax, make, extras=None):
    blobs = [bytes(b) for b in answers]
    lib = _load()
    arr = (ctypes.c_char_p * max(len(blobs), 1))(*blobs)
    lens = (ctypes.c_size_t * max(len(blobs), 1))(*[len(b) for b in blobs])
    if k < 0 or offset < 0:
        raise InvalidArgumentError(3, "k and offset must be >= 0")
    flags = _flags(all_words=all_words, relax=relax)
    res, err = ctypes.POINTER(_Results)(), _P()
    _check(lib.tim_merge_shards_ex(arr, lens, len(blobs), k, offset, flags, _extras(extras),
                                   ctypes.byref(res), ctypes.byref(err)), err)
    return _take_results(res, make)


def merge_stats(blobs) -> bytes:
    blobs = [bytes(b) for b in blobs]
    lib = _load()
    arr = (ctypes.c_char_p * max(len(blobs), 1))(*blobs)
    lens = (ctypes.c_size_t * max(len(blobs), 1))(*[len(b) for b in blobs])
    out, n, err = _P(), ctypes.c_size_t(), _P()
    _check(lib.tim_merge_stats(arr, lens, len(blobs), ctypes.byref(out), ctypes.byref(n),
                               ctypes.byref(err)), err)
    return _take_bytes(out, n)


def read_jsonl(path: str, skip_bad: bool, schema: bytes = b""):
    """Yields (id, [(name, value), ...]) of each document of a JSON Lines file
    (.zst decompressed). A bad line raises InvalidArgumentError naming
    path:line, or is skipped with skip_bad (then the generator returns the
    count of lines skipped)."""
    lib = _load()
    h, err = _P(), _P()
    _check(lib.tim_jsonl_open_schema(_utf8(str(path), "path"), schema, len(schema),
                                     ctypes.byref(h), ctypes.byref(err)), err)
    skipped = 0
    try:
        while True:
            doc, err = ctypes.POINTER(_Document)(), _P()
            code = lib.tim_jsonl_next(h, ctypes.byref(doc), ctypes.byref(err))
            if code == 3 and skip_bad:
                lib.tim_free(err)
                skipped += 1
                continue
            _check(code, err)
            if not doc:
                return skipped
            try:
                d = doc.contents
                item = (_text(d.id, d.id_len),
                        [(_text(d.fields[i].name, d.fields[i].name_len),
                          _text(d.fields[i].value, d.fields[i].value_len))
                         for i in range(d.field_count)])
            finally:
                lib.tim_document_free(doc)
            yield item
    finally:
        lib.tim_jsonl_close(h)


class Writer:
    """A tim_writer handle. close() (or garbage collection) drops what was
    not committed."""

    def __init__(self, path: str, create: bool, schema: bytes = b""):
        lib = _load()
        self._lib = lib
        self._h = None
        h, err = _P(), _P()
        _check(lib.tim_writer_open_schema(_utf8(path, "path"), 1 if create else 0, schema,
                                          len(schema), ctypes.byref(h), ctypes.byref(err)), err)
        self._h = h.value

    def _handle(self):
        if not self._h:
            raise InvalidArgumentError(3, "the writer is closed")
        return self._h

    def add(self, id, fields) -> None:
        idb = _utf8(id, "id")
        keep = []  # the bytes the C structs point into, alive during the call
        arr = (_Field * max(len(fields), 1))()
        for i, (name, value) in enumerate(fields):
            nb, vb = _utf8(name, "field name"), _utf8(value, f"field {name}")
            keep += [nb, vb]
            arr[i].name = ctypes.cast(ctypes.c_char_p(nb), ctypes.c_void_p)
            arr[i].name_len = len(nb)
            arr[i].value = ctypes.cast(ctypes.c_char_p(vb), ctypes.c_void_p)
            arr[i].value_len = len(vb)
        err = _P()
        _check(self._lib.tim_writer_add(self._handle(), idb, len(idb), arr, len(fields),
                                        ctypes.byref(err)), err)

    def add_jsonl(self, path, skip_bad: bool) -> Tuple[int, int]:
        added, skipped, err = ctypes.c_uint64(), ctypes.c_uint64(), _P()
        _check(self._lib.tim_writer_add_jsonl(self._handle(), _utf8(str(path), "path"),
                                              1 if skip_bad else 0, ctypes.byref(added),
                                              ctypes.byref(skipped), ctypes.byref(err)), err)
        return added.value, skipped.value

    def delete(self, id) -> None:
        idb = _utf8(id, "id")
        err = _P()
        _check(self._lib.tim_writer_delete(self._handle(), idb, len(idb), ctypes.byref(err)), err)

    def commit(self) -> None:
        err = _P()
        _check(self._lib.tim_writer_commit(self._handle(), ctypes.byref(err)), err)

    def close(self) -> None:
        if self._h:
            self._lib.tim_writer_close(self._h)
            self._h = None

    def __del__(self):
        self.close()
