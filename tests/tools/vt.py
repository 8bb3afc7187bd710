#!/usr/bin/env python3
"""vt.py - a test terminal: runs a command in a pty and records the screen.

Built on pyte (Debian's python3-pyte).  It plays a terminal that draws East
Asian Ambiguous characters (EastAsianWidth class A) one cell wide (narrow,
like xterm's default or tmux) or two (wide, like PuTTY's "Treat CJK
ambiguous characters as wide" or xterm -cjk_width), and answers the cursor
position query ESC [6n from where its own cursor is, unless told not to.

Usage: vt.py [OPTION]... -- COMMAND [ARG]...
  --size COLSxROWS     the terminal's size (default 80x24)
  --ambiguous MODE     narrow or wide (default narrow)
  --no-reply           never answer ESC [6n (a terminal that ignores it)
  --reply-delay MS     answer ESC [6n only after MS milliseconds
  --typeahead TEXT     keys "typed" as the first ESC [6n arrives (before
                       the answer)
  --encoding ENC       the terminal's character encoding (default utf-8)
  --term NAME          TERM for the command (default xterm-256color)
  --script FILE        the key script ("-": standard input), see below
  --timeout SECONDS    time limit for everything (default 10)
  --dump FORMAT        text (default): the rows, trailing blanks cut;
                       cells: per row "ROW: COL:CHAR ..." for every non-blank
                       cell (0-based, a two-cell character at its first cell)
  --raw FILE           save every byte the command wrote
The dumps are UTF-8 whatever the locale.
  --count-queries      print "queries=N" (the ESC [6n received) at the end

Script, one command a line ("#" starts a comment; TEXT takes escapes
\\e \\r \\n \\t \\\\ \\xHH):
  wait TEXT            wait until the screen shows TEXT
  keys TEXT            type TEXT
  sleep MS             wait MS milliseconds
  dump                 print the screen now (in the --dump format), then "--"
  columns CHARS        print, for each row holding any of CHARS, "ROW: COL..."
                       (0-based columns of those characters), then "--"
  exit                 wait until the command ends
Without a dump or columns command the screen is dumped when the command ends.

Exit status: the command's (128+N if killed by signal N); 124 when the time
limit passed; 125 when a wait failed (the screen is then printed to stderr).
"""
import argparse
import codecs
import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time
import unicodedata

import pyte
from pyte import screens


def unescape(s):
    """The script's escapes to characters."""
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            i += 2
            if n == "e":
                out.append("\x1b")
            elif n == "r":
                out.append("\r")
            elif n == "n":
                out.append("\n")
            elif n == "t":
                out.append("\t")
            elif n == "x":
                out.append(chr(int(s[i:i + 2], 16)))
                i += 2
            else:
                out.append(n)
            continue
        out.append(c)
        i += 1
    return "".join(out)


def set_ambiguous_wide():
    """Make pyte count East Asian Ambiguous characters as two cells."""
    narrow = screens.wcwidth

    def width(ch):
        w = narrow(ch)
        if w == 1 and unicodedata.east_asian_width(ch) == "A":
            return 2
        return w

    screens.wcwidth = width


class Term(pyte.Screen):
    """A screen that queues its answers to the program."""

    def __init__(self, cols, rows, reply):
        super().__init__(cols, rows)
        self.reply = reply
        self.answers = []     # (time due, text)
        self.queries = 0
        self.last = ""        # the last character drawn, for REP

    def repeat_last(self, count=1, *args, **kwargs):
        """REP (CSI n b), as xterm: the last character drawn, n more times
        (curses uses it for runs of blanks; pyte lacks it)."""
        if self.last:
            self.draw(self.last * max(count, 1))

    def draw(self, data):
        # As xterm: a two-cell character that does not fit in the last
        # column wraps to the next row (with autowrap on), leaving the last
        # cell blank; pyte would squeeze it into the one cell.
        for ch in data:
            if (screens.wcwidth(ch) == 2 and self.cursor.x == self.columns - 1
                    and pyte.modes.DECAWM in self.mode):
                super().draw(" ")
            super().draw(ch)
            self.last = ch

    def scroll_up(self, count=1, *args, **kwargs):
        """SU (CSI n S), as xterm: the scrolling region up n rows (curses
        pages with it; pyte lacks it)."""
        self._scroll(self.delete_lines, count)

    def scroll_down(self, count=1, *args, **kwargs):
        """SD (CSI n T): the scrolling region down n rows."""
        self._scroll(self.insert_lines, count)

    def _scroll(self, op, count):
        y, x = self.cursor.y, self.cursor.x
        self.cursor.y = self.margins.top if self.margins else 0
        op(max(count, 1))
        self.cursor.y, self.cursor.x = y, x

    def report_device_status(self, mode):
        if mode == 6:
            self.queries += 1
            if not self.reply:
                return
        super().report_device_status(mode)

    def write_process_input(self, data):
        self.answers.append(data)


class VtStream(pyte.Stream):
    """pyte's stream with REP, SU and SD."""
    csi = dict(pyte.Stream.csi, b="repeat_last", S="scroll_up", T="scroll_down")


class Session:
    def __init__(self, args):
        self.args = args
        cols, rows = (int(v) for v in args.size.lower().split("x"))
        self.screen = Term(cols, rows, not args.no_reply)
        self.stream = VtStream(self.screen)
        # A terminal in a legacy encoding honours ESC ( 0 (DEC line drawing),
        # which curses uses for borders there; pyte ignores it in UTF-8.
        self.stream.use_utf8 = codecs.lookup(args.encoding).name == "utf-8"
        self.decoder = codecs.getincrementaldecoder(args.encoding)(errors="replace")
        self.deadline = time.monotonic() + args.timeout
        self.raw = open(args.raw, "wb") if args.raw else None
        self.pending = []     # (due, bytes) to write to the program
        self.typed_ahead = False
        self.status = None
        self.fd = None
        self.pid = None
        self.dumped = False
        self.start(cols, rows)

    def start(self, cols, rows):
        pid, fd = pty.fork()
        if pid == 0:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.environ["TERM"] = self.args.term
            os.environ.pop("COLUMNS", None)
            os.environ.pop("LINES", None)
            try:
                os.execvp(self.args.command[0], self.args.command)
            except OSError as e:
                sys.stderr.write("vt.py: %s: %s\n" % (self.args.command[0], e))
            os._exit(127)
        self.pid, self.fd = pid, fd

    def encode(self, text):
        return text.encode(self.args.encoding, errors="replace")

    def pump(self, wait):
        """Read what the program wrote (waiting at most `wait` s); answer."""
        if self.fd is not None:
            now = time.monotonic()
            due = [d for d, _ in self.pending]
            if due:
                wait = max(0.0, min([wait] + [d - now for d in due]))
            r, _, _ = select.select([self.fd], [], [], wait)
            if r:
                try:
                    data = os.read(self.fd, 65536)
                except OSError:
                    data = b""
                if data:
                    if self.raw:
                        self.raw.write(data)
                    self.stream.feed(self.decoder.decode(data))
                else:
                    self.close()
        else:
            time.sleep(wait)
        if self.screen.queries and not self.typed_ahead and self.args.typeahead is not None:
            self.typed_ahead = True
            self.pending.append((0, self.encode(unescape(self.args.typeahead))))
        for text in self.screen.answers:
            delay = (self.args.reply_delay or 0) / 1000.0
            self.pending.append((time.monotonic() + delay, self.encode(text)))
        self.screen.answers = []
        now = time.monotonic()
        keep = []
        for due, data in self.pending:
            if due <= now:
                self.write(data)
            else:
                keep.append((due, data))
        self.pending = keep
        self.reap(False)

    def write(self, data):
        if self.fd is None:
            return
        try:
            os.write(self.fd, data)
        except OSError:
            pass

    def close(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        self.reap(True)

    def reap(self, block):
        if self.status is not None:
            return
        try:
            pid, st = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            return
        if pid:
            self.status = os.waitstatus_to_exitcode(st)
            if self.status < 0:
                self.status = 128 - self.status

    def timed_out(self):
        return time.monotonic() > self.deadline

    def lines(self):
        """The rows as text: a two-cell character once, a lone stub (half of
        a wide character drawn over) as a space."""
        out = []
        for y in range(self.screen.lines):
            line, text, skip = self.screen.buffer[y], [], False
            for x in range(self.screen.columns):
                ch = line[x].data
                if skip and ch == "":
                    skip = False
                    continue
                skip = ch != "" and screens.wcwidth(ch[0]) == 2
                text.append(ch or " ")
            out.append("".join(text))
        return out

    def text(self):
        return "\n".join(self.lines())

    def rows(self):
        """Per row, the (column, character) of every cell that starts one."""
        out = []
        for y in range(self.screen.lines):
            line, cells, skip = self.screen.buffer[y], [], False
            for x in range(self.screen.columns):
                ch = line[x].data
                if skip and ch == "":
                    skip = False
                    continue
                if ch == "":
                    ch = " "   # a lone stub
                skip = screens.wcwidth(ch[0]) == 2
                cells.append((x, ch))
            out.append(cells)
        return out

    def dump(self, f, fmt):
        self.dumped = True
        if fmt == "cells":
            for y, cells in enumerate(self.rows()):
                f.write("%d: %s\n" % (y, " ".join(
                    "%d:%s" % (x, ch) for x, ch in cells if ch != " ")))
        else:
            for line in self.lines():
                f.write(line.rstrip() + "\n")
        f.flush()

    def columns(self, f, chars):
        self.dumped = True
        for y, cells in enumerate(self.rows()):
            cols = [str(x) for x, ch in cells if ch in chars]
            if cols:
                f.write("%d: %s\n" % (y, " ".join(cols)))
        f.flush()

    def until(self, cond):
        while not cond():
            if self.timed_out():
                return False
            self.pump(0.02)
        return True

    def run_script(self, lines):
        for raw in lines:
            line = raw.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cmd, _, arg = line.partition(" ")
            if cmd == "wait":
                want = unescape(arg)
                if not self.until(lambda: want in self.text()):
                    sys.stderr.write("vt.py: timed out waiting for %r; the screen:\n" % want)
                    self.dump(sys.stderr, "text")
                    return 125
            elif cmd == "keys":
                self.pump(0)
                self.write(self.encode(unescape(arg)))
            elif cmd == "sleep":
                end = time.monotonic() + int(arg) / 1000.0
                self.until(lambda: time.monotonic() >= end)
            elif cmd == "dump":
                self.pump(0)
                self.dump(sys.stdout, self.args.dump)
                sys.stdout.write("--\n")
            elif cmd == "columns":
                self.pump(0)
                self.columns(sys.stdout, unescape(arg))
                sys.stdout.write("--\n")
            elif cmd == "exit":
                if not self.until(lambda: self.status is not None and self.fd is None):
                    return 124
            else:
                sys.stderr.write("vt.py: unknown script command %r\n" % cmd)
                return 2
        return 0


def main():
    p = argparse.ArgumentParser(add_help=True, usage=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", default="80x24")
    p.add_argument("--ambiguous", choices=["narrow", "wide"], default="narrow")
    p.add_argument("--no-reply", action="store_true")
    p.add_argument("--reply-delay", type=int, default=0)
    p.add_argument("--typeahead")
    p.add_argument("--encoding", default="utf-8")
    p.add_argument("--term", default="xterm-256color")
    p.add_argument("--script")
    p.add_argument("--timeout", type=float, default=10.0)
    p.add_argument("--dump", choices=["text", "cells"], default="text")
    p.add_argument("--raw")
    p.add_argument("--count-queries", action="store_true")
    p.add_argument("command", nargs="+")
    args = p.parse_args()
    # The dumps are UTF-8 whatever the locale (the terminal's is --encoding).
    sys.stdout.reconfigure(encoding="utf-8")
    sys.stderr.reconfigure(encoding="utf-8", errors="replace")
    if args.ambiguous == "wide":
        set_ambiguous_wide()
    s = Session(args)
    rc = 0
    if args.script:
        f = sys.stdin if args.script == "-" else open(args.script, encoding="utf-8")
        rc = s.run_script(f.readlines())
    if rc == 0 and not s.until(lambda: s.status is not None and s.fd is None):
        rc = 124
    if rc in (0, 124) and not s.dumped:
        s.dump(sys.stdout, args.dump)
    if args.count_queries:
        sys.stdout.write("queries=%d\n" % s.screen.queries)
    if s.fd is not None:
        try:
            os.kill(s.pid, 9)
        except ProcessLookupError:
            pass
        s.close()
    if s.raw:
        s.raw.close()
    if rc:
        return rc
    return s.status if s.status is not None else 124


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:   # the reader went away (| head): the child gets SIGHUP
        os._exit(141)
