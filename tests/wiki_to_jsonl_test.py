"""bench/wiki_to_jsonl.py on a small dump excerpt written for this test (the
shape of viwiki-*-pages-articles.xml.bz2): articles come out as JSONL prose,
redirects and other namespaces stay out, and tim indexes and finds them.
Usage: wiki_to_jsonl_test.py SCRIPT TIM_BINARY WORK_DIR"""

import bz2
import json
import os
import shutil
import subprocess
import sys
import unicodedata

SCRIPT, TIM, WORK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def check(cond, what, detail=""):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}\n{detail}", file=sys.stderr)


HANOI = """{{Thông tin thành phố
| tên = Hà Nội
| dân số = {{formatnum:8053663}}
}}
'''Hà Nội''' là [[thủ đô]] của [[Việt Nam|nước Cộng hòa Xã hội chủ nghĩa Việt Nam]].<ref name="a">{{chú thích web|url=http://x.vn|tiêu đề=Nguồn}}</ref>
Thành phố nằm bên bờ [[sông Hồng]]<ref>Sách địa lý</ref> và có nhiều hồ&nbsp;nước.
<!-- ghi chú ẩn: không được xuất hiện -->
[[Tập tin:Hoan Kiem.jpg|nhỏ|[[Hồ Hoàn Kiếm]] vào mùa thu]]
== Lịch sử ==
* Năm 1010, [[Lý Thái Tổ]] dời đô về [[Thăng Long]].
{| class="wikitable"
| bảng || không lấy
|}
Xem thêm [http://hanoi.gov.vn trang chính thức] của thành phố.
[[Thể loại:Thủ đô châu Á]]
"""
# Decomposed (NFD) text in the source must come out NFC.
HUE = unicodedata.normalize("NFD", "'''Huế''' là cố đô của Việt Nam, bên [[sông Hương]]. ") * 8

PAGES = [
    (0, 11, "Hà Nội", HANOI, False),
    (0, 12, "Hanoi", "#REDIRECT [[Hà Nội]]", True),
    (10, 13, "Bản mẫu:Hộp", "{{{1}}} không phải bài viết " * 20, False),
    (0, 14, "Huế", HUE, False),
    (0, 15, "Sơ khai", "Quá ngắn.", False),
]


def page_xml(ns, pid, title, text, redirect):
    esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    red = f'<redirect title="{title}" />' if redirect else ""
    return (f"<page><title>{title}</title><ns>{ns}</ns><id>{pid}</id>{red}"
            f"<revision><id>{pid * 100}</id><text xml:space=\"preserve\">{esc}</text></revision>"
            f"</page>")


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
xml = ('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/" xml:lang="vi">'
       "<siteinfo><sitename>Wikipedia</sitename></siteinfo>"
       + "".join(page_xml(*p) for p in PAGES) + "</mediawiki>")
dump = os.path.join(WORK, "viwiki-test-pages-articles.xml.bz2")
with bz2.open(dump, "wt", encoding="utf-8") as f:
    f.write(xml)

out = os.path.join(WORK, "wiki.jsonl")
p = subprocess.run([sys.executable, SCRIPT, dump, "--output", out], capture_output=True,
                   text=True, timeout=60)
check(p.returncode == 0, "the script succeeds", p.stderr)
docs = [json.loads(line) for line in open(out, encoding="utf-8")]
ids = [d["id"] for d in docs]
check(ids == ["viwiki/11", "viwiki/14"],
      "articles only: no redirect, no template namespace, no stub", ids)
check("2 articles written, 1 too short left out" in p.stderr, "the summary counts", p.stderr)
hanoi = docs[0]["body"] if docs else ""
for want in ["Hà Nội là thủ đô của nước Cộng hòa Xã hội chủ nghĩa Việt Nam.",
             "Thành phố nằm bên bờ sông Hồng và có nhiều hồ nước.",
             "Lịch sử", "Năm 1010, Lý Thái Tổ dời đô về Thăng Long.",
             "Xem thêm trang chính thức của thành phố."]:
    check(want in hanoi.split("\n"), f"prose line: {want}", hanoi)
for gone in ["{{", "}}", "formatnum", "chú thích", "Sách địa lý", "ghi chú ẩn", "Hoan Kiem",
             "Hồ Hoàn Kiếm", "wikitable", "không lấy", "http", "Thể loại", "'''", "[[", "&nbsp;",
             "* "]:
    check(gone not in hanoi, f"markup gone: {gone}", hanoi)
hue = docs[1]["body"] if len(docs) > 1 else ""
check(hue == unicodedata.normalize("NFC", hue) and "Huế là cố đô" in hue, "NFD comes out NFC",
      hue[:80])

# Limit, and a damaged dump fails with the file named.
p = subprocess.run([sys.executable, SCRIPT, dump, "--limit", "1"], capture_output=True, text=True,
                   timeout=60)
check(p.returncode == 0 and len(p.stdout.strip().split("\n")) == 1, "--limit 1", p.stdout)
broken = os.path.join(WORK, "broken.xml")
with open(broken, "w", encoding="utf-8") as f:
    f.write(xml[: len(xml) // 2])
p = subprocess.run([sys.executable, SCRIPT, broken], capture_output=True, text=True, timeout=60)
check(p.returncode == 1 and "broken.xml" in p.stderr, "a truncated dump is an error naming it",
      p.stderr)

# tim reads the output: the articles are found without accents typed.
idx = os.path.join(WORK, "idx")
p = subprocess.run([TIM, "index", "--quiet", idx, out], capture_output=True, text=True, timeout=60)
check(p.returncode == 0, "tim index reads the JSONL", p.stderr)
p = subprocess.run([TIM, "search", idx, "thang long", "--json"], capture_output=True, text=True,
                   timeout=60)
check(p.returncode == 0 and '"viwiki/11"' in p.stdout, "and finds Thăng Long", p.stdout[:500])

if failures:
    print(f"{len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
print("wiki_to_jsonl: all checks passed")
