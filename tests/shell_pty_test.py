"""tim shell as a person uses it, through a pseudo-terminal: type a query
without accents and see coloured hits and the suggestion, type Telex and see
the rewrite said, page, open a document, explain a hit, search raw, quit;
recall the last query with the up arrow after a restart (the history
survives); Ctrl-C abandons a line. Then the same shell without a terminal,
scripted. Usage: shell_pty_test.py TIM_BINARY WORK_DIR"""

import os
import pty
import select
import shutil
import subprocess
import sys
import time

TIM, WORK = sys.argv[1], sys.argv[2]
DOCS = [
    ("hn", "Hà Nội mùa thu", "Thủ đô Hà Nội đẹp nhất vào mùa thu, phố cổ Hà Nội đông vui."),
    ("vn", "Việt Nam hôm nay", "Người Việt Nam ở Đà Nẵng và Hà Nội đón năm mới."),
    ("vn2", "Kinh tế Việt Nam", "Kinh tế Việt Nam tăng trưởng, người Việt Nam lạc quan."),
    ("dn", "Đà Nẵng", "Thành phố Đà Nẵng đón khách du lịch mùa hè."),
]
failures = []


def check(cond, what, out=""):
    if not cond:
        failures.append(what)
        print(f"FAIL: {what}\n--- output ---\n{out[-1500:]}\n---", file=sys.stderr)


class Session:
    def __init__(self, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execve(TIM, [TIM, "shell", os.path.join(WORK, "idx"), "-k", "1"], env)
        self.out = b""

    def pump(self, done, timeout=20, step=0.2):
        """Reads the shell's output until done() or the timeout; True when done."""
        end = time.time() + timeout
        while not done():
            if time.time() >= end:
                return False
            r, _, _ = select.select([self.fd], [], [], step)
            if r:
                try:
                    self.out += os.read(self.fd, 65536)
                except OSError:
                    pass
        return True

    def read_until(self, marker):
        self.pump(lambda: marker.encode() in self.out)
        return self.out.decode("utf-8", "replace")

    def send(self, keys, wait_for="tìm> "):
        start = len(self.out)
        os.write(self.fd, keys.encode())
        self.pump(lambda: self.out.find(wait_for.encode(), start) >= 0)
        return self.out[start:].decode("utf-8", "replace")

    def wait_exit(self, keys, what):
        """Types `keys` and waits up to 20 s for the shell to leave."""
        os.write(self.fd, keys)
        status = []

        def exited():
            pid, st = os.waitpid(self.pid, os.WNOHANG)
            if pid != 0:
                status.append(st)
            return pid != 0

        if self.pump(exited, step=0.1):
            return status[0]
        os.kill(self.pid, 9)
        os.waitpid(self.pid, 0)
        check(False, what, self.out.decode("utf-8", "replace"))
        return None

    def close(self):
        return self.wait_exit(b":quit\r", "the shell leaves on :quit")


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
with open(os.path.join(WORK, "docs.jsonl"), "w", encoding="utf-8") as f:
    import json

    for id, title, body in DOCS:
        f.write(json.dumps({"id": id, "title": title, "body": body}, ensure_ascii=False) + "\n")
subprocess.run([TIM, "index", os.path.join(WORK, "idx"), os.path.join(WORK, "docs.jsonl"),
                "--quiet"], check=True)

env = {"HOME": WORK, "XDG_STATE_HOME": os.path.join(WORK, "state"), "TERM": "xterm",
       "PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
       "PAGER": "cat > " + os.path.join(WORK, "paged.txt")}
s = Session(env)
banner = s.read_until("tìm> ")
check(":help" in banner, "the banner points to :help", banner)

out = s.send("ha noi\r")
check("Did you mean: \x1b[1mhà nội\x1b[0m" in out, "suggestion, in bold", out)
check("\x1b[1;33mHà\x1b[0m" in out, "matched words highlighted in colour", out)
check("1. Hà Nội mùa thu" in out, "the best hit first, with its title", out)
check("(:more for the next page)" in out, "says there is more", out)

out = s.send(":more\r")
check("2. " in out and "1. " not in out, ":more shows the next page", out)

paged = os.path.join(WORK, "paged.txt")
out = s.send(":open 2\r")
text = open(paged, encoding="utf-8").read() if os.path.exists(paged) else ""
check("id: " in text and "body:" in text and "id: " not in out,
      ":open hands the whole document to $PAGER", out + "\n--- paged ---\n" + text)

out = s.send(":explain 2\r")
check("score" in out and "folded" in out, ":explain breaks the score down", out)

# Pasted text in NFD (decomposed accents, as some editors and macOS copy
# it): searched as the same words, nothing to correct.
out = s.send("Ha\u0300 N\u00f4\u0323i\r")
check("Hà Nội mùa thu" in out and "Did you mean" not in out and "Showing results" not in out,
      "pasted NFD text finds Hà Nội as typed", out)
# Another process commits; :reload shows it.
with open(os.path.join(WORK, "more.jsonl"), "w", encoding="utf-8") as f:
    f.write(json.dumps({"id": "hue", "title": "Huế mộng mơ", "body": "Cố đô Huế bên sông Hương."},
                       ensure_ascii=False) + "\n")
subprocess.run([TIM, "index", os.path.join(WORK, "idx"), os.path.join(WORK, "more.jsonl"),
                "--quiet"], check=True)
out = s.send("song huong\r")
check("Huế" not in out, "the shell keeps its commit until :reload", out)
out = s.send(":reload\r")
check("5 documents" in out, ":reload picks up the new commit", out)
out = s.send("song huong\r")
check("Huế mộng mơ" in out, "and then finds the new document", out)

out = s.send("vieetj nam\r")
check("Showing results for: \x1b[1mviệt nam\x1b[0m · search instead for: vieetj nam" in out,
      "the Telex rewrite is said out loud", out)
check("Việt Nam" in out, "and finds Việt Nam", out)

out = s.send(":raw\r")
check("Showing results" not in out and "2 hits" in out,
      ":raw searches the keys as typed (only nam matches)", out)

out = s.send(":k 3\r")
check("3 hits a page" in out, ":k sets the page size", out)
out = s.send(":fields\r")
check("title, body" in out, ":fields lists the fields", out)
out = s.send(":stats\r")
check("5 documents" in out, ":stats", out)
out = s.send(":help\r")
check(":reload" in out and ":quit" in out, ":help lists the commands", out)
out = s.send(":nope\r")
check("unknown command" in out, "an unknown command is said", out)

# Ctrl-C abandons the half-typed line; the shell stays.
os.write(s.fd, b"half typed")
time.sleep(0.3)
out = s.send("\x03", wait_for="tìm> ")
out = s.send("ddaf nawngx\r")
check("đà nẵng" in out and "half typed" not in out.split("Showing")[0][-20:],
      "after Ctrl-C the next line runs alone", out)
s.close()
history = os.path.join(WORK, "state", "tim", "history")
# libedit writes a space as \040.
check(os.path.exists(history)
      and "ha\\040noi" in open(history, encoding="utf-8").read().replace(" ", "\\040"),
      "history saved under $XDG_STATE_HOME/tim", "")

# A restart: the up arrow recalls the lines before (":quit", then the query).
s2 = Session(env)
s2.read_until("tìm> ")
out = s2.send("\x1b[A\x1b[A\r", wait_for="(:more")
check("Đà Nẵng" in out, "history survives a restart (up arrow recalls ddaf nawngx)", out)
s2.close()

# NO_COLOR: no escape sequences.
env_nc = dict(env, NO_COLOR="1")
s3 = Session(env_nc)
s3.read_until("tìm> ")
out = s3.send("ha noi\r")
check("\x1b[1;33m" not in out and "[Hà] [Nội]" in out, "NO_COLOR turns colour off", out)
# Ctrl-D at an empty prompt leaves (the prompt is up: the results ended in it).
time.sleep(0.5)
s3.wait_exit(b"\x04", "Ctrl-D at an empty prompt leaves")

# Without a terminal: scripted, plain.
p = subprocess.run([TIM, "shell", os.path.join(WORK, "idx")], input="ha noi\n:fields\n",
                   capture_output=True, text=True, env=env, timeout=60)
check(p.returncode == 0 and "Did you mean: hà nội" in p.stdout and "\x1b[" not in p.stdout
      and "title, body" in p.stdout, "without a terminal: plain results, scripted", p.stdout)

# Filters, sorting and facets on typed fields, scripted.
typed = os.path.join(WORK, "typed")
with open(os.path.join(WORK, "typed.jsonl"), "w", encoding="utf-8") as f:
    f.write('{"id": "a", "title": "Bóng đá Việt Nam", "category": "Thể thao", '
            '"published": "2017-02-06"}\n')
    f.write('{"id": "b", "title": "Bóng đá nữ", "category": "Thể thao", "published": "2016"}\n')
    f.write('{"id": "c", "title": "Giá vàng", "category": "Kinh tế", "published": "2017-03-01"}\n')
with open(os.path.join(WORK, "schema.json"), "w", encoding="utf-8") as f:
    f.write('{"fields": {"category": "keyword", "published": "date"}}')
subprocess.run([TIM, "index", typed, os.path.join(WORK, "typed.jsonl"), "--schema",
                os.path.join(WORK, "schema.json"), "--quiet"], check=True, env=env)
p = subprocess.run([TIM, "shell", typed],
                   input=':filter category = "Thể thao"\n:sort -published\n:facet category\n'
                         'bong da\n:filter\n:list\n:filter gia > 1\n:list\n',
                   capture_output=True, text=True, env=env, timeout=60)
out = p.stdout
first = out.find("Bóng đá Việt Nam")
check(p.returncode == 0 and 0 <= first < out.find("Bóng đá nữ") and "2017-02-06" in out
      and "Giá vàng" not in out[:out.find("no filter")], "shell: :filter and :sort order the hits",
      out)
check("category:" in out and "2  Thể thao" in out, "shell: :facet counts under the hits", out)
check(":list lists the documents passing the filter" in out,
      "shell: :list without a filter says how", out)
check('unknown field "gia"' in out, "shell: a bad filter is named", out)

if failures:
    print(f"{len(failures)} check(s) failed", file=sys.stderr)
    sys.exit(1)
print("shell: all checks passed")
