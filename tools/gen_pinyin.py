#!/usr/bin/env python3
"""gen_pinyin.py - write src/pinyin_data.c from Unihan_Readings.txt(.bz2).

Usage: python3 tools/gen_pinyin.py /usr/share/unicode/Unihan_Readings.txt.bz2 > src/pinyin_data.c

For every ideograph with a Mandarin reading it records the toneless
readings, the usual one first:

    kMandarin        the usual reading(s)
    kHanyuPinlu      readings by frequency of use
    kXHC1983         Xiandai Hanyu Cidian readings (polyphonic characters)
    kTGHZ2013        Tongyong Guifan Hanzi Zidian readings
    kHanyuPinyin     Hanyu Da Zidian readings

Tones are stripped and u-umlaut is written "v" (lv, nve).  The output is
a table of distinct syllables, a pool of distinct reading lists (syllable
ids) and, per code point in a few ranges, the id of its list; lookup is a
binary search over the ranges and then an index.  Only the Python
standard library is used; the output is deterministic.
"""

import bz2
import re
import sys
import unicodedata

FIELDS = ("kMandarin", "kHanyuPinlu", "kXHC1983", "kTGHZ2013", "kHanyuPinyin")
# A gap of at most this many code points without readings stays inside a
# range (each costs one "0," in the output); a longer gap starts a new one.
MAX_GAP = 96
COMPAT = ((0xF900, 0xFAFF), (0x2F800, 0x2FA1F))
SYLLABLE = re.compile(r"^[a-z]+$")


def toneless(reading):
    """Lowercase toneless spelling of one pinyin reading; u-umlaut -> v."""
    out = []
    for ch in unicodedata.normalize("NFD", reading.strip().lower()):
        if ch == "\u0308":              # diaeresis: the u before it is u-umlaut
            if out and out[-1] == "u":
                out[-1] = "v"
            continue
        if unicodedata.category(ch) == "Mn":   # tone marks, circumflex of e-hat
            continue
        out.append(ch)
    return "".join(out)


def field_readings(field, value):
    """The readings in one Unihan field value, in the order written."""
    if field == "kMandarin":
        return value.split()
    if field == "kHanyuPinlu":          # "xing2(2943) hang2(218)"
        return [re.sub(r"\(.*\)$", "", v) for v in value.split()]
    readings = []                       # "loc[,loc]:r1[,r2] ..."
    for entry in value.split():
        _, _, rs = entry.partition(":")
        readings.extend(r for r in rs.split(",") if r)
    return readings


def open_source(path):
    if path.endswith(".bz2"):
        return bz2.open(path, "rt", encoding="utf-8")
    return open(path, "rt", encoding="utf-8")


def read_unihan(path):
    """Return (version, {cp: [toneless readings, usual first]})."""
    version = "unknown"
    found = {}                          # cp -> {field: [readings]}
    with open_source(path) as f:
        for line in f:
            if line.startswith("#"):
                m = re.match(r"#\s*Unicode version:\s*(\S+)", line)
                if m:
                    version = m.group(1)
                continue
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[1] not in FIELDS:
                continue
            cp = int(parts[0][2:], 16)
            found.setdefault(cp, {})[parts[1]] = field_readings(parts[1], parts[2])
    table = {}
    for cp, fields in found.items():
        seen = []
        for field in FIELDS:
            for r in fields.get(field, ()):
                s = toneless(r)
                if not SYLLABLE.match(s):
                    print("gen_pinyin: U+%04X: skipping reading %r" % (cp, r),
                          file=sys.stderr)
                    continue
                if s not in seen:
                    seen.append(s)
        if seen:
            table[cp] = seen
    return version, table


def add_compatibility(table):
    """Give a CJK compatibility ideograph without readings those of the
    unified ideograph it is canonically equivalent to (U+F900 -> U+8C48).
    Canonical decompositions are stable across Unicode versions."""
    for lo, hi in COMPAT:
        for cp in range(lo, hi + 1):
            if cp in table:
                continue
            d = unicodedata.normalize("NFD", chr(cp))
            if len(d) == 1 and ord(d) != cp and ord(d) in table:
                table[cp] = list(table[ord(d)])


def ranges_of(cps):
    """Split sorted code points into [first, last] ranges with small gaps."""
    out = []
    for cp in cps:
        if out and cp - out[-1][1] <= MAX_GAP:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def wrap(items, width=100, indent="    "):
    """Comma-separated items in lines of at most width characters."""
    lines, cur = [], indent
    for it in items:
        piece = it + ","
        if len(cur) + len(piece) + 1 > width and cur.strip():
            lines.append(cur.rstrip())
            cur = indent
        cur += piece + " "
    if cur.strip():
        lines.append(cur.rstrip())
    return "\n".join(lines)


def main(argv):
    if len(argv) != 2:
        print("usage: gen_pinyin.py Unihan_Readings.txt[.bz2]", file=sys.stderr)
        return 2
    source = argv[1]
    version, table = read_unihan(source)
    if not table:
        print("gen_pinyin: no readings found in %s" % source, file=sys.stderr)
        return 1

    add_compatibility(table)
    syllables = sorted({s for rs in table.values() for s in rs})
    syl_id = {s: i for i, s in enumerate(syllables)}
    assert len(syllables) < 65536

    # Distinct reading lists; list 0 is the empty one (no reading).
    lists = [()]
    list_id = {(): 0}
    cp_list = {}
    for cp in sorted(table):
        key = tuple(syl_id[s] for s in table[cp])
        if key not in list_id:
            list_id[key] = len(lists)
            lists.append(key)
        cp_list[cp] = list_id[key]
    assert len(lists) < 65536
    pool, offsets = [], []
    for key in lists:
        offsets.append(len(pool))
        pool.extend(key)
    offsets.append(len(pool))
    max_readings = max(len(k) for k in lists)

    ranges = ranges_of(sorted(table))
    index = []
    range_rows = []
    for first, last in ranges:
        range_rows.append("{0x%04X, %d, %d}" % (first, last - first + 1, len(index)))
        index.extend(cp_list.get(cp, 0) for cp in range(first, last + 1))

    name = source.rsplit("/", 1)[-1]
    w = sys.stdout.write
    w("/* pinyin_data.c - GENERATED FILE, DO NOT EDIT.\n")
    w(" *\n")
    w(" * Generated by tools/gen_pinyin.py from %s\n" % name)
    w(" * (Unihan database, Unicode %s; fields %s)\n" % (version, ", ".join(FIELDS)))
    w(" * Regenerate with `make pinyin` (needs the unicode-data package).\n")
    w(" *\n")
    w(" * %d code points with readings, %d syllables, %d distinct reading lists,\n"
      % (len(table), len(syllables), len(lists)))
    w(" * %d ranges.  Readings are toneless and lowercase, u-umlaut is \"v\",\n"
      % len(ranges))
    w(" * the usual reading (kMandarin) comes first. */\n")
    w('#include "pinyin.h"\n\n')
    w("#define PINYIN_MAX_READINGS %d\n\n" % max_readings)
    w("/* Every distinct toneless syllable, sorted. */\n")
    w("static const char *const pinyin_syllables[%d] = {\n" % len(syllables))
    w(wrap('"%s"' % s for s in syllables) + "\n};\n\n")
    w("/* Reading list k is pinyin_pool[pinyin_list_off[k] .. pinyin_list_off[k + 1])\n")
    w(" * (syllable ids); list 0 is empty. */\n")
    w("static const uint32_t pinyin_list_off[%d] = {\n" % len(offsets))
    w(wrap(str(o) for o in offsets) + "\n};\n\n")
    w("static const uint16_t pinyin_pool[%d] = {\n" % max(len(pool), 1))
    w(wrap(str(p) for p in pool) + "\n};\n\n")
    w("/* Code points first .. first + n - 1 have their list ids at\n")
    w(" * pinyin_index[base ..]; sorted by first, not overlapping. */\n")
    w("static const struct {\n    uint32_t first, n, base;\n} pinyin_ranges[%d] = {\n"
      % len(ranges))
    w(wrap(range_rows) + "\n};\n\n")
    w("static const uint16_t pinyin_index[%d] = {\n" % len(index))
    w(wrap(str(i) for i in index) + "\n};\n\n")
    w(LOOKUP)
    return 0


LOOKUP = """\
size_t pinyin_readings(uint32_t cp, const char **out, size_t max)
{
    size_t lo = 0, hi = sizeof pinyin_ranges / sizeof pinyin_ranges[0];
    while (lo < hi) {               /* the last range with first <= cp */
        size_t mid = lo + (hi - lo) / 2;
        if (pinyin_ranges[mid].first <= cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0 || cp - pinyin_ranges[lo - 1].first >= pinyin_ranges[lo - 1].n)
        return 0;
    uint16_t list = pinyin_index[pinyin_ranges[lo - 1].base + (cp - pinyin_ranges[lo - 1].first)];
    uint32_t a = pinyin_list_off[list], b = pinyin_list_off[list + 1];
    size_t n = 0;
    for (uint32_t k = a; k < b && n < max; k++)
        out[n++] = pinyin_syllables[pinyin_pool[k]];
    return n;
}

size_t pinyin_max_readings(void)
{
    return PINYIN_MAX_READINGS;
}
"""

if __name__ == "__main__":
    sys.exit(main(sys.argv))
