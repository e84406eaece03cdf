#!/usr/bin/env python3
"""Turns a Wikipedia dump into the JSONL that tim and the benchmarks read.

    python3 bench/wiki_to_jsonl.py viwiki-latest-pages-articles.xml.bz2 > viwiki.jsonl
    python3 bench/wiki_to_jsonl.py DUMP --limit 100000 | zstd -q -o viwiki.jsonl.zst

The dump is the public Vietnamese Wikipedia export
(https://dumps.wikimedia.org/viwiki/latest/viwiki-latest-pages-articles.xml.bz2);
.xml, .xml.bz2 and - (standard input, uncompressed) are read as a stream,
so memory stays small whatever the dump's size.

Each article (namespace 0, not a redirect) becomes one line:
    {"id": "viwiki/<page id>", "title": "...", "body": "..."}
with the wikitext reduced to its prose: templates, tables, references,
comments, files and categories dropped; links replaced by their text;
bold and italic marks, HTML tags and list bullets removed; entities decoded;
one paragraph per line. The text is NFC-normalised. Articles whose prose is
shorter than --min-chars (default 200) are left out (stubs, lists).

Benchmarks take the file where they take ../shared/corpus's files, e.g.
    build/tim index IDX viwiki.jsonl.zst
    build/bench/search_bench --index=IDX
Exit status: 0 done, 1 the dump could not be read or parsed, 2 usage.
"""

import argparse
import bz2
import html
import json
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

# Link prefixes of files, images and categories, in English and Vietnamese.
_DROPPED_LINKS = ("file:", "image:", "tập tin:", "hình:", "category:", "thể loại:", "media:")

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_REF = re.compile(r"<ref[^>/]*/>|<ref[^>]*>.*?</ref>", re.S | re.I)
_DROPPED_TAGS = re.compile(
    r"<(gallery|math|score|syntaxhighlight|source|timeline|imagemap|chem)[^>]*>.*?</\1>",
    re.S | re.I)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_EXTERNAL = re.compile(r"\[(?:https?:)?//[^\s\]]+\s*([^\]]*)\]")
_URL = re.compile(r"https?://\S+")
_HEADING = re.compile(r"^=+\s*(.*?)\s*=+\s*$", re.M)
_QUOTES = re.compile(r"'{2,}")
_BULLET = re.compile(r"^[*#:;]+\s*", re.M)
_SPACES = re.compile(r"[ \t\u00a0]+")


def _strip_nested(text, open_mark, close_mark):
    """Removes every open_mark ... close_mark span, nested ones included."""
    out = []
    depth = 0
    i = 0
    n = len(text)
    while i < n:
        if text.startswith(open_mark, i):
            depth += 1
            i += len(open_mark)
        elif depth > 0 and text.startswith(close_mark, i):
            depth -= 1
            i += len(close_mark)
        else:
            if depth == 0:
                out.append(text[i])
            i += 1
    return "".join(out)


def _links(text):
    """[[target|label]] -> label, [[target]] -> target; files and categories
    (with whatever links their captions hold) go."""
    out = []
    i = 0
    while True:
        start = text.find("[[", i)
        if start < 0:
            out.append(text[i:])
            return "".join(out)
        out.append(text[i:start])
        # The matching "]]", counting nested links.
        depth, j = 0, start
        while j < len(text):
            if text.startswith("[[", j):
                depth += 1
                j += 2
            elif text.startswith("]]", j):
                depth -= 1
                j += 2
                if depth == 0:
                    break
            else:
                j += 1
        inner = text[start + 2:j - 2] if depth == 0 else text[start + 2:]
        if not inner.strip().lower().startswith(_DROPPED_LINKS):
            label = inner.split("|")[-1] if "|" in inner else inner
            out.append(_links(label))
        i = j


def wikitext_to_prose(text):
    """The prose of a page's wikitext, one paragraph per line."""
    text = _COMMENT.sub("", text)
    text = _REF.sub("", text)
    text = _DROPPED_TAGS.sub("", text)
    text = _strip_nested(text, "{{", "}}")
    text = _strip_nested(text, "{|", "|}")
    text = _links(text)
    text = _EXTERNAL.sub(r"\1", text)
    text = _URL.sub("", text)
    text = _TAG.sub("", text)
    text = _HEADING.sub(r"\1", text)
    text = _QUOTES.sub("", text)
    text = _BULLET.sub("", text)
    text = html.unescape(text)
    lines = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line).strip()
        if line and not line.startswith(("|", "!", "__")):
            lines.append(line)
    return unicodedata.normalize("NFC", "\n".join(lines))


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def pages(stream):
    """(page id, title, wikitext) of each article: namespace 0, no redirect."""
    title = page_id = text = None
    ns = None
    redirect = False
    depth_in_revision = 0
    root = None
    for event, elem in ET.iterparse(stream, events=("start", "end")):
        tag = _local(elem.tag)
        if root is None:
            root = elem
        if event == "start":
            if tag == "page":
                title = page_id = text = ns = None
                redirect = False
            elif tag == "revision":
                depth_in_revision += 1
            continue
        if tag == "title":
            title = elem.text or ""
        elif tag == "ns":
            ns = (elem.text or "").strip()
        elif tag == "id" and depth_in_revision == 0 and page_id is None:
            page_id = (elem.text or "").strip()
        elif tag == "redirect":
            redirect = True
        elif tag == "revision":
            depth_in_revision -= 1
        elif tag == "text":
            text = elem.text or ""
        elif tag == "page":
            if ns == "0" and not redirect and page_id and text is not None:
                yield page_id, title, text
            root.clear()  # the pages read so far: memory stays flat


def open_dump(path):
    if path == "-":
        return sys.stdin.buffer
    if path.endswith(".bz2"):
        return bz2.open(path, "rb")
    return open(path, "rb")


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dump", help="viwiki-*-pages-articles.xml.bz2, .xml, or - for stdin")
    ap.add_argument("--limit", type=int, default=0, help="stop after this many articles (0: all)")
    ap.add_argument("--min-chars", type=int, default=200,
                    help="leave out articles with less prose than this (default 200)")
    ap.add_argument("--output", default="-", help="JSONL file to write (default: stdout)")
    args = ap.parse_args(argv)
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    written = skipped = 0
    try:
        with open_dump(args.dump) as stream:
            for page_id, title, text in pages(stream):
                body = wikitext_to_prose(text)
                if len(body) < args.min_chars:
                    skipped += 1
                    continue
                doc = {"id": "viwiki/" + page_id,
                       "title": unicodedata.normalize("NFC", title), "body": body}
                out.write(json.dumps(doc, ensure_ascii=False) + "\n")
                written += 1
                if args.limit and written >= args.limit:
                    break
    except (OSError, EOFError, ET.ParseError) as e:
        print(f"wiki_to_jsonl: {args.dump}: {e}", file=sys.stderr)
        return 1
    finally:
        if out is not sys.stdout:
            out.close()
    print(f"wiki_to_jsonl: {written} articles written, {skipped} too short left out",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
