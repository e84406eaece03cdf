#!/usr/bin/env python3
"""Derives the benchmark corpus of issue 25 (typed fields) from the news corpus.

    python3 bench/typed_corpus.py [CORPUS_DIR] OUT.jsonl [--files vntc_news,baomoi_news_2017]

Each document keeps id, title and body and gains
  category   keyword  the topic in its id ("vntc/Test_Full/Chinh tri Xa hoi/..." gives
                      "Chinh tri Xa hoi", "tc201805/am thuc/..." gives "am thuc"),
                      written without accents as the ids are; none for baomoi
  words      number   the body's length in words (split on spaces)
  published  date     the first D/M/YYYY of the title, else of the body's first 300
                      characters, when it is a real date (on the long corpus: 94 titles and
                      1,688 bodies of 116,144 documents; the news carries few full dates)
Writes OUT.schema.json next to OUT: {"fields": {"category": "keyword", ...}}.
The corpus defaults to ../shared/corpus; it is never copied into the repository.
"""
import datetime
import json
import os
import re
import subprocess
import sys

DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/((?:19|20)\d\d)\b")


def category(doc_id):
    parts = doc_id.split("/")
    if parts[0] == "vntc" and len(parts) >= 4:
        return parts[2]
    if parts[0] == "tc201805" and len(parts) >= 3:
        return parts[1]
    return None


def published(title, body):
    m = DATE.search(title or "") or DATE.search((body or "")[:300])
    if not m:
        return None
    day, month, year = (int(g) for g in m.groups())
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def main(argv):
    args = [a for a in argv if not a.startswith("--files")]
    files = "vntc_news,baomoi_news_2017"
    for a in argv:
        if a.startswith("--files="):
            files = a.split("=", 1)[1]
    here = os.path.dirname(os.path.abspath(__file__))
    corpus = os.path.join(here, "..", "..", "shared", "corpus")
    if len(args) == 2:
        corpus, out = args
    elif len(args) == 1:
        out = args[0]
    else:
        sys.exit(__doc__)
    counts = {"docs": 0, "category": 0, "published": 0}
    with open(out, "w", encoding="utf-8") as w:
        for name in files.split(","):
            path = os.path.join(corpus, name + ".jsonl.zst")
            with subprocess.Popen(["zstd", "-dc", path], stdout=subprocess.PIPE) as p:
                for line in p.stdout:
                    d = json.loads(line)
                    doc = {"id": d["id"], "title": d.get("title", ""), "body": d.get("body", "")}
                    c = category(d["id"])
                    if c:
                        doc["category"] = c
                        counts["category"] += 1
                    doc["words"] = str(len(doc["body"].split()))  # a string: the peers' JSON readers take strings
                    pub = published(doc["title"], doc["body"])
                    if pub:
                        doc["published"] = pub
                        counts["published"] += 1
                    counts["docs"] += 1
                    w.write(json.dumps(doc, ensure_ascii=False) + "\n")
            if p.returncode != 0:
                sys.exit("zstd failed on " + path)
    schema = {"fields": {"category": "keyword", "words": "number", "published": "date"}}
    with open(out + ".schema.json", "w", encoding="utf-8") as w:
        json.dump(schema, w)
    print(json.dumps(counts), file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
