/* plan_yaml.c - YAML -> model through libyaml's event parser.
 *
 * The plan is streamed: events are read one at a time and handed to the
 * model's builder (plan.h), so memory is the model's plus libyaml's small
 * buffers, whatever the file's size.  Every error carries the position of
 * the node it is about (libyaml marks are 0-based; messages are 1-based).
 *
 * Hostile input is bounded while streaming: nesting depth, scalar length,
 * event count and file size have limits far above any real plan (a plan
 * nests 8 deep; a 1,000,000-item plan has about 15 million events).
 * Aliases are refused (no plan needs them, and refusing them rules out
 * alias bombs and cycles), as are multiple documents. */
#include "plan.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "text.h"
#include "unitname.h"

#define MAX_DEPTH 64                      /* nested collections */
#define MAX_SCALAR (1u << 20)             /* bytes in one scalar */
#define MAX_EVENTS 200000000u             /* events in one file */
#define MAX_FILE ((size_t)2 << 30)        /* bytes in one file */
#define MAX_ERRORS 50                     /* then stop */
#define MAX_SLIPS 50                      /* typing slips kept */
#define MAX_LINE 4096                     /* bytes of a line the scanner reads */
#define N_QUOTES 16                       /* multi-line quotes remembered */
#define MAX_DRAIN ((size_t)64 << 20)      /* bytes scanned after a syntax error */

/* The typing slips the raw-byte scanner finds beside libyaml (a full-width
 * space indenting a line, a full-width colon, no space after a colon), and
 * the quoted values that ran over lines.  Lines are 0-based. */
typedef struct {
    unsigned long line, col;
    char *msg;
} slip;

typedef struct {
    unsigned long open_line, open_col, close_line;   /* close_line: ULONG_MAX if open */
} mlquote;

typedef struct {
    char lbuf[MAX_LINE];   /* the current line (its first MAX_LINE bytes) */
    size_t llen;
    bool ltrunc;
    unsigned long line;    /* of the current line */
    bool started;          /* a byte order mark is looked for once */
    char quote;            /* inside a quoted value that opened on a past line */
    long block;            /* inside a block scalar indented more than this; -1 */
    mlquote q[N_QUOTES];   /* the last multi-line quotes, a ring */
    size_t nq;
    slip *v;
    size_t n, cap;
} slip_scan;

typedef struct {
    yaml_parser_t yp;
    yaml_event_t ev;       /* the current event (valid while have_ev) */
    bool have_ev;
    bool fatal;            /* stop reading: syntax error or a limit */
    const char *file;
    diags *d;
    size_t errors0;        /* d->errors when we started */
    plan_builder *b;
    int depth;
    size_t events;
    /* the source: a file descriptor, or a buffer */
    int fd;
    const char *buf;
    size_t len, off;       /* buffer length; bytes handed to libyaml so far */
    const char *reader_problem;   /* our own reader error, if any */
    size_t reader_offset;
    slip_scan scan;        /* typing slips found in the raw bytes */
} loader;

/* --- the slip scanner: reads the raw bytes beside libyaml, line by line --- */

/* Keys a plan's lines start with; a colon slip is only reported after one. */
static const char *const plan_words[] = {
    "title", "issuer", "document", "date", "groups", "goals", "tasks", "items", "id",
    "text", "lead", "responsible", "support", "lead_more", "responsible_more",
    "support_more", "each", "due", "numbering", NULL};

/* Length of a space other than ASCII starting at s (0 if none), its code
 * point in *cp: U+00A0, U+1680, U+2000..U+200B, U+202F, U+205F, U+3000. */
static size_t wide_space(const char *s, size_t n, uint32_t *cp)
{
    size_t l = utf8_decode(s, n, cp);
    if (!l || *cp < 0x80)
        return 0;
    if (*cp == 0xA0 || *cp == 0x1680 || (*cp >= 0x2000 && *cp <= 0x200B) || *cp == 0x202F ||
        *cp == 0x205F || *cp == 0x3000)
        return l;
    return 0;
}

/* Characters (code points) in s[0..n). */
static unsigned long chars(const char *s, size_t n)
{
    unsigned long c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static void slip_add(slip_scan *sc, unsigned long line, unsigned long col, const char *fmt,
                     ...) PD_PRINTF(4, 5);
static void slip_add(slip_scan *sc, unsigned long line, unsigned long col, const char *fmt,
                     ...)
{
    if (sc->n >= MAX_SLIPS)
        return;
    strbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&b, fmt, ap);
    va_end(ap);
    xgrow((void **)&sc->v, &sc->cap, sc->n + 1, sizeof *sc->v);
    sc->v[sc->n].line = line;
    sc->v[sc->n].col = col;
    sc->v[sc->n].msg = sb_steal(&b);
    sc->n++;
}

/* The first line holding a slip, or ULONG_MAX. */
static unsigned long first_slip(const slip_scan *sc)
{
    unsigned long first = ULONG_MAX;
    for (size_t i = 0; i < sc->n; i++)
        if (sc->v[i].line < first)
            first = sc->v[i].line;
    return first;
}

/* In s[i..n), the end of a quoted value opened by q: the index after its
 * closing quote, or n + 1 if it does not close on this line. */
static size_t quote_end(const char *s, size_t i, size_t n, char q)
{
    while (i < n) {
        if (q == '"' && s[i] == '\\') {
            i += 2;
            continue;
        }
        if (s[i] == q) {
            if (q == '\'' && i + 1 < n && s[i + 1] == '\'') {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i++;
    }
    return n + 1;
}

static void quote_opened(slip_scan *sc, unsigned long line, unsigned long col, char q)
{
    sc->quote = q;
    mlquote *m = &sc->q[sc->nq++ % N_QUOTES];
    m->open_line = line;
    m->open_col = col;
    m->close_line = ULONG_MAX;
}

/* Look at a value starting at s[i] (after a key or a "- "): a quote that
 * does not close on its line, or a block scalar (| or >) whose lines are
 * indented more than indent. */
static void scan_value(slip_scan *sc, const char *s, size_t i, size_t n, long indent)
{
    if (i >= n)
        return;
    if (s[i] == '"' || s[i] == '\'') {
        if (quote_end(s, i + 1, n, s[i]) > n && !sc->ltrunc)
            quote_opened(sc, sc->line, chars(s, i) + 1, s[i]);
    } else if (s[i] == '|' || s[i] == '>') {
        sc->block = indent;
    }
}

/* The characters of a key the scanner knows a line by: 1 for a letter or
 * _, 2 for a digit (not first). */
static const unsigned char key_char[256] = {
    ['0'] = 2, ['1'] = 2, ['2'] = 2, ['3'] = 2, ['4'] = 2, ['5'] = 2, ['6'] = 2, ['7'] = 2,
    ['8'] = 2, ['9'] = 2, ['_'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1,
    ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1,
    ['q'] = 1, ['r'] = 1, ['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
    ['y'] = 1, ['z'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1, ['G'] = 1, ['H'] = 1,
    ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1,
    ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
    ['Y'] = 1, ['Z'] = 1,
};

/* One whole line (without its line break). */
static void scan_line(slip_scan *sc, const char *s, size_t n)
{
    if (n && s[n - 1] == '\r')
        n--;
    size_t i = 0;
    if (sc->quote) {
        size_t e = quote_end(s, 0, n, sc->quote);
        if (e > n)
            return;
        sc->q[(sc->nq - 1) % N_QUOTES].close_line = sc->line;
        sc->quote = 0;
        return;      /* what follows a closing quote is libyaml's to judge */
    }
    while (n - i >= 8 && memcmp(s + i, "        ", 8) == 0)   /* eight at a time */
        i += 8;
    while (i < n && s[i] == ' ')
        i++;
    if (sc->block >= 0) {
        if (i == n || (long)i > sc->block)
            return;
        sc->block = -1;
    }
    /* spaces other than ASCII among the indentation */
    size_t j = i, first_wide = n;
    uint32_t cp = 0, wcp = 0;
    for (;;) {
        size_t l;
        if (j < n && s[j] == ' ') {
            j++;
        } else if (j < n && (unsigned char)s[j] >= 0x80 &&
                   (l = wide_space(s + j, n - j, &cp)) != 0) {
            if (first_wide == n) {
                first_wide = j;
                wcp = cp;
            }
            j += l;
        } else {
            break;
        }
    }
    size_t k = j;           /* the key, after any "- " */
    while (k < n && s[k] == '-' && (k + 1 == n || s[k + 1] == ' ')) {
        k++;
        while (k < n && s[k] == ' ')
            k++;
    }
    size_t w = k;
    if (w < n && key_char[(unsigned char)s[w]] == 1)   /* a letter or _ first */
        for (w++; w < n && key_char[(unsigned char)s[w]]; w++)
            ;
    bool colon = w > k && w < n && (s[w] == ':' || (n - w >= 3 && memcmp(s + w, "：", 3) == 0));
    if (first_wide < n && (k > j || colon || j == n)) {
        if (wcp == 0x3000)
            slip_add(sc, sc->line, chars(s, first_wide) + 1,
                     "a full-width space (U+3000) is used for indentation; indent with "
                     "ASCII spaces");
        else
            slip_add(sc, sc->line, chars(s, first_wide) + 1,
                     "a non-ASCII space (U+%04X) is used for indentation; indent with "
                     "ASCII spaces", (unsigned)wcp);
        return;
    }
    if (!colon) {
        scan_value(sc, s, k, n, (long)(k > j ? k - 2 : k));
        return;
    }
    bool bad = s[w] != ':' || (w + 1 < n && s[w + 1] != ' ' && s[w + 1] != '#');
    if (!bad) {
        size_t v = w + 1;
        while (v < n && s[v] == ' ')
            v++;
        scan_value(sc, s, v, n, (long)k);
        return;
    }
    /* a colon slip: reported only after one of a plan's keys */
    char word[24];
    size_t wl = w - k < sizeof word - 1 ? w - k : sizeof word - 1;
    memcpy(word, s + k, wl);
    word[wl] = '\0';
    bool known = false;
    for (int x = 0; plan_words[x]; x++)
        known = known || strcmp(word, plan_words[x]) == 0;
    if (s[w] != ':') {
        if (known)
            slip_add(sc, sc->line, chars(s, w) + 1,
                     "a full-width colon (：) after \"%s\"; write \"%s: \" with an ASCII "
                     "colon and a space", word, word);
        return;
    }
    if (known)
        slip_add(sc, sc->line, chars(s, w) + 1,
                 "no space after the colon of \"%s:\"; write \"%s: \" with a space "
                 "before the value", word, word);
}

/* Feed bytes to the scanner. */
static void scan_bytes(slip_scan *sc, const unsigned char *s, size_t n)
{
    if (!sc->started) {
        sc->started = true;
        sc->block = -1;
        if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
            s += 3, n -= 3;
    }
    while (n) {
        const unsigned char *nl = memchr(s, '\n', n);
        size_t l = nl ? (size_t)(nl - s) : n;
        if (nl && !sc->llen) {
            /* a whole line in the chunk: read where it is, no copy */
            sc->ltrunc = l > MAX_LINE;
            scan_line(sc, (const char *)s, l < MAX_LINE ? l : MAX_LINE);
            sc->line++;
            sc->ltrunc = false;
            s += l + 1;
            n -= l + 1;
            continue;
        }
        size_t room = MAX_LINE - sc->llen;
        if (l > room)
            sc->ltrunc = true;
        memcpy(sc->lbuf + sc->llen, s, l < room ? l : room);
        sc->llen += l < room ? l : room;
        if (!nl)
            return;
        scan_line(sc, sc->lbuf, sc->llen);
        sc->line++;
        sc->llen = 0;
        sc->ltrunc = false;
        s += l + 1;
        n -= l + 1;
    }
}

/* The end of the input: its last line, if it has no line break. */
static void scan_end(slip_scan *sc)
{
    if (sc->llen)
        scan_line(sc, sc->lbuf, sc->llen);
    sc->llen = 0;
}

/* Drop the slips found. */
static void scan_free(slip_scan *sc)
{
    for (size_t i = 0; i < sc->n; i++)
        free(sc->v[i].msg);
    free(sc->v);
    sc->v = NULL;
    sc->n = sc->cap = 0;
}

/* The quote that opened on an earlier line and ran into a syntax error on
 * line (0-based): the latest one still open there or closed on it. */
static const mlquote *quote_into(const slip_scan *sc, unsigned long line)
{
    size_t have = sc->nq < N_QUOTES ? sc->nq : N_QUOTES;
    for (size_t i = 0; i < have; i++) {
        const mlquote *m = &sc->q[(sc->nq - 1 - i) % N_QUOTES];
        if (m->open_line < line && (m->close_line == ULONG_MAX || m->close_line + 1 >= line))
            return m;
    }
    return NULL;
}

/* --- positions and errors --- */

static plan_pos pos_of(yaml_mark_t m)
{
    plan_pos p = {(uint32_t)m.line + 1, (uint32_t)m.column + 1};
    return p;
}

/* Is m at or after a typing slip's line, or is the node being read (from
 * m to the current event) around one?  What libyaml makes of the lines
 * after a slip follows from it ("the plan has no goals" when the slip is
 * on the goals line): only the slip is reported. */
static bool after_slip(const loader *L, yaml_mark_t m)
{
    if (!L->scan.n)
        return false;
    size_t end = L->have_ev && L->ev.end_mark.line > m.line ? L->ev.end_mark.line : m.line;
    return end >= first_slip(&L->scan);
}

static void error_at(loader *L, yaml_mark_t m, const char *fmt, ...) PD_PRINTF(3, 4);
static void error_at(loader *L, yaml_mark_t m, const char *fmt, ...)
{
    if (after_slip(L, m))
        return;
    if (L->d->errors - L->errors0 >= MAX_ERRORS) {
        L->fatal = true;
        return;
    }
    strbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&b, fmt, ap);
    va_end(ap);
    diags_add(L->d, DIAG_ERROR, L->file, m.line + 1, m.column + 1, "%s", b.s);
    sb_free(&b);
    if (L->d->errors - L->errors0 >= MAX_ERRORS) {
        diags_add(L->d, DIAG_ERROR, L->file, 0, 0, "too many errors; stopping");
        L->fatal = true;
    }
}

static void warn_at(loader *L, yaml_mark_t m, const char *fmt, ...) PD_PRINTF(3, 4);
static void warn_at(loader *L, yaml_mark_t m, const char *fmt, ...)
{
    if (after_slip(L, m))
        return;
    strbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&b, fmt, ap);
    va_end(ap);
    diags_add(L->d, DIAG_WARNING, L->file, m.line + 1, m.column + 1, "%s", b.s);
    sb_free(&b);
}

/* Reading the source again from its start, a chunk at a time: only done
 * for an error (a position, a line to show). */
typedef struct {
    loader *L;
    size_t pos;              /* bytes of the buffer handed out (no file) */
    char chunk[65536];
} reread;

static bool reread_start(reread *r, loader *L)
{
    r->L = L;
    r->pos = 0;
    return L->fd < 0 || lseek(L->fd, 0, SEEK_SET) == 0;
}

/* The next piece of the source in *s; its length, 0 at the end. */
static size_t reread_next(reread *r, const char **s)
{
    loader *L = r->L;
    if (L->fd >= 0) {
        ssize_t n = read(L->fd, r->chunk, sizeof r->chunk);
        *s = r->chunk;
        return n > 0 ? (size_t)n : 0;
    }
    size_t n = L->len - r->pos;
    *s = L->buf + r->pos;
    r->pos += n;
    return n;
}

/* Line and column (1-based, columns in characters) of a byte offset, found
 * by reading the source again from the start: only done for an error. */
static yaml_mark_t mark_of_offset(loader *L, size_t offset)
{
    yaml_mark_t m = {0, 0, 0};
    static reread r;
    size_t pos = 0, n;
    const char *s;
    if (!reread_start(&r, L))
        return m;
    while (pos < offset && (n = reread_next(&r, &s)) > 0) {
        size_t i = 0;
        if (pos == 0 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 && offset >= 3)
            i = pos = 3;        /* a byte order mark takes no column */
        for (; i < n && pos < offset; i++, pos++) {
            unsigned char c = (unsigned char)s[i];
            if (c == '\n') {
                m.line++;
                m.column = 0;
            } else if ((c & 0xC0) != 0x80) {
                m.column++;
            }
        }
    }
    return m;
}

/* --- the reader: feeds libyaml, refusing what is not a UTF-8 text file --- */

/* UTF-16 without a byte order mark: NUL bytes all at odd offsets (little
 * endian) or all at even ones (big endian), at least one byte in eight. */
static bool looks_utf16(const unsigned char *s, size_t n)
{
    size_t zero[2] = {0, 0};
    if (n > 4096)
        n = 4096;
    n &= ~(size_t)1;
    for (size_t i = 0; i < n; i++)
        zero[i & 1] += s[i] == 0;
    return n >= 16 && (zero[0] == 0) != (zero[1] == 0) && (zero[0] + zero[1]) * 8 >= n;
}

/* Does the start of the source read as GBK / GB18030 (every byte above
 * 0x7F in a valid two- or four-byte sequence, at least one of them), with
 * no Chinese character in UTF-8 before bad, the first byte that is not
 * UTF-8 (that is a UTF-8 file with a damaged byte)? */
static bool looks_gbk(loader *L, size_t bad)
{
    unsigned char s[65536];
    size_t n = 0;
    if (L->fd >= 0) {
        if (lseek(L->fd, 0, SEEK_SET) != 0)
            return false;
        while (n < sizeof s) {
            ssize_t r = read(L->fd, s + n, sizeof s - n);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            n += (size_t)r;
        }
    } else {
        n = L->len < sizeof s ? L->len : sizeof s;
        memcpy(s, L->buf, n);
    }
    for (size_t i = 0; i + 2 < n && i + 2 < bad; i++)
        if (s[i] >= 0xE3 && s[i] <= 0xE9 && (s[i + 1] & 0xC0) == 0x80 &&
            (s[i + 2] & 0xC0) == 0x80)
            return false;
    size_t seqs = 0;
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c == 0x80 || c == 0xFF)
            return false;
        if (i + 1 >= n)
            break;               /* cut at the end of what was read */
        unsigned t = s[i + 1];
        if ((t >= 0x40 && t <= 0x7E) || (t >= 0x80 && t <= 0xFE)) {
            i += 2;
        } else if (t >= 0x30 && t <= 0x39) {
            if (i + 3 >= n)
                break;
            if (s[i + 2] < 0x81 || s[i + 2] > 0xFE || s[i + 3] < 0x30 || s[i + 3] > 0x39)
                return false;
            i += 4;
        } else {
            return false;
        }
        seqs++;
    }
    return seqs > 0;
}

/* The text of a line (0-based) of the source, its first MAX_LINE bytes,
 * found by reading the source again: only done for an error. */
static void read_line(loader *L, unsigned long line, strbuf *out)
{
    static reread r;
    unsigned long at = 0;
    size_t n;
    const char *s;
    if (!reread_start(&r, L))
        return;
    while ((n = reread_next(&r, &s)) > 0)
        for (size_t i = 0; i < n; i++) {
            if (s[i] == '\n') {
                if (at++ == line)
                    return;
            } else if (at == line && out->len < MAX_LINE && s[i] != '\r') {
                sb_addc(out, s[i]);
            }
        }
}

/* After a syntax error, scan the rest of the source (a bounded amount) for
 * typing slips, so that every slip in the file is reported. */
static void drain(loader *L)
{
    unsigned char chunk[65536];
    size_t done = 0;
    while (done < MAX_DRAIN) {
        size_t n;
        if (L->fd >= 0) {
            ssize_t r = read(L->fd, chunk, sizeof chunk);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                break;
            n = (size_t)r;
        } else {
            n = L->len - L->off < sizeof chunk ? L->len - L->off : sizeof chunk;
            if (!n)
                break;
            memcpy(chunk, L->buf + L->off, n);
        }
        if (memchr(chunk, 0, n))
            break;
        scan_bytes(&L->scan, chunk, n);
        L->off += n;
        done += n;
    }
    scan_end(&L->scan);
}

/* Is the problem of a syntax error at the first key's colon of its line
 * (a line indented too far, read as the rest of the value above)?  Sets
 * *col (0-based) to the line's first character. */
static bool colon_of_key(loader *L, yaml_mark_t m, size_t *col)
{
    strbuf b = {0};
    read_line(L, m.line, &b);
    const char *s = b.s ? b.s : "";
    size_t i = 0;
    while (s[i] == ' ')
        i++;
    *col = i;
    while (s[i] == '-' && s[i + 1] == ' ')
        for (i++; s[i] == ' '; i++)
            ;
    const char *c = strchr(s + i, ':');
    bool at = c && chars(s, (size_t)(c - s)) == m.column;
    sb_free(&b);
    return at;
}

static int read_source(void *data, unsigned char *out, size_t size, size_t *got)
{
    loader *L = data;
    size_t n = 0;
    if (L->fd >= 0) {
        for (;;) {
            ssize_t r = read(L->fd, out, size);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                L->reader_problem = strerror(errno);
                L->reader_offset = L->off;
                return 0;
            }
            n = (size_t)r;
            break;
        }
    } else {
        n = L->len - L->off < size ? L->len - L->off : size;
        memcpy(out, L->buf + L->off, n);
    }
    if (L->off == 0 && n >= 2 &&
        ((out[0] == 0xFE && out[1] == 0xFF) || (out[0] == 0xFF && out[1] == 0xFE))) {
        L->reader_problem = "utf16";
        L->reader_offset = 0;
        return 0;
    }
    const unsigned char *nul = memchr(out, 0, n);
    if (nul && L->off == 0 && looks_utf16(out, n)) {
        L->reader_problem = "utf16";
        L->reader_offset = 0;
        return 0;
    }
    if (nul) {
        L->reader_problem = "nul";
        L->reader_offset = L->off + (size_t)(nul - out);
        return 0;
    }
    scan_bytes(&L->scan, out, n);
    L->off += n;
    if (L->off > MAX_FILE) {
        L->reader_problem = "size";
        L->reader_offset = L->off;
        return 0;
    }
    *got = n;
    return 1;
}

/* Turn a libyaml failure (or our reader's) into one plain error. */
static void parser_error(loader *L)
{
    yaml_parser_t *y = &L->yp;
    L->fatal = true;
    if (L->reader_problem || y->error == YAML_READER_ERROR)
        scan_free(&L->scan);     /* not text: its "slips" mean nothing */
    if (L->reader_problem) {
        yaml_mark_t m = mark_of_offset(L, L->reader_offset);
        const char *r = L->reader_problem;
        if (strcmp(r, "nul") == 0)
            error_at(L, m, "the file contains a NUL byte: it is not a text file");
        else if (strcmp(r, "utf16") == 0)
            error_at(L, m, "the file is UTF-16: save it as UTF-8");
        else if (strcmp(r, "size") == 0)
            error_at(L, m, "the file is larger than %zu MiB", MAX_FILE >> 20);
        else
            error_at(L, m, "cannot read: %s", r);
        return;
    }
    const char *problem = y->problem ? y->problem : "unknown error";
    if (y->error == YAML_READER_ERROR) {
        yaml_mark_t m = mark_of_offset(L, y->problem_offset);
        if (strstr(problem, "incomplete"))     /* problem_value is -1 */
            error_at(L, m, "the file is not valid UTF-8 (it ends inside a character): "
                     "save it as UTF-8");
        else if ((strstr(problem, "UTF-8") || strstr(problem, "Unicode")) && looks_gbk(L, y->problem_offset))
            error_at(L, m, "the file looks like GBK (GB18030), not UTF-8: convert it with "
                     "`iconv -f GB18030 -t UTF-8 FILE > NEW` or save it as UTF-8");
        else if (strstr(problem, "UTF-8") || strstr(problem, "Unicode"))
            error_at(L, m, "the file is not valid UTF-8 (byte 0x%02X): save it as UTF-8",
                     (unsigned)y->problem_value & 0xFF);
        else if (strstr(problem, "control"))
            error_at(L, m, "the file contains a control character (U+%04X); "
                     "write it as an escape in a double-quoted string if you need it",
                     (unsigned)y->problem_value);
        else
            error_at(L, m, "cannot read the file: %s", problem);
        return;
    }
    if (y->error == YAML_MEMORY_ERROR) {
        error_at(L, y->problem_mark, "out of memory while reading YAML");
        return;
    }
    /* A syntax error: every slip in the file first, then what it caused. */
    drain(L);
    yaml_mark_t at = y->problem_mark;
    if (after_slip(L, at))
        return;
    const mlquote *q = quote_into(&L->scan, at.line);
    if (y->context && strstr(y->context, "quoted scalar")) {
        error_at(L, y->context_mark, "a quoted value starts here and is never closed: a "
                 "missing closing quote?");
        return;
    }
    if (q) {
        yaml_mark_t qm = {0, q->open_line, q->open_col - 1};
        error_at(L, qm, "a quoted value starts here and runs on to line %lu, where YAML "
                 "fails (%s): a missing closing quote?", (unsigned long)at.line + 1, problem);
        return;
    }
    const char *hint = "";
    size_t col = 0;
    if (strstr(problem, "cannot start any token")) {
        hint = " (a tab used for indentation? YAML indents with spaces)";
    } else if (strstr(problem, "did not find expected key") ||
               strstr(problem, "did not find expected '-'") ||
               strstr(problem, "block sequence entries are not allowed") ||
               (strstr(problem, "mapping values are not allowed") &&
                colon_of_key(L, at, &col))) {
        hint = " (check the indentation of this line)";
        if (strstr(problem, "mapping values"))
            at.column = col;
    } else if (strstr(problem, "mapping values are not allowed")) {
        hint = " (a ': ' inside a value? quote the value)";
    }
    if (y->context)
        error_at(L, at, "YAML syntax error: %s%s (%s at line %lu, column %lu)",
                 problem, hint, y->context, (unsigned long)y->context_mark.line + 1,
                 (unsigned long)y->context_mark.column + 1);
    else
        error_at(L, at, "YAML syntax error: %s%s", problem, hint);
}

/* --- events --- */

/* Read the next event into L->ev.  Returns false (after reporting) on a
 * syntax error, a limit, or an alias. */
static bool next(loader *L)
{
    if (L->have_ev) {
        yaml_event_delete(&L->ev);
        L->have_ev = false;
    }
    if (L->fatal)
        return false;
    if (!yaml_parser_parse(&L->yp, &L->ev)) {
        parser_error(L);
        return false;
    }
    L->have_ev = true;
    yaml_event_t *e = &L->ev;
    if (++L->events > MAX_EVENTS) {
        error_at(L, e->start_mark, "the plan has more than %u YAML nodes", MAX_EVENTS);
        L->fatal = true;
        return false;
    }
    switch (e->type) {
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (++L->depth > MAX_DEPTH) {
            error_at(L, e->start_mark, "nesting deeper than %d levels", MAX_DEPTH);
            L->fatal = true;
            return false;
        }
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        L->depth--;
        break;
    case YAML_ALIAS_EVENT:
        error_at(L, e->start_mark,
                 "aliases (*%s) are not supported in a plan: write the value out",
                 (const char *)e->data.alias.anchor);
        L->fatal = true;
        return false;
    case YAML_SCALAR_EVENT:
        if (e->data.scalar.length > MAX_SCALAR) {
            error_at(L, e->start_mark, "a value of %zu bytes is longer than the limit of %u",
                     e->data.scalar.length, MAX_SCALAR);
            L->fatal = true;
            return false;
        }
        break;
    default:
        break;
    }
    return true;
}

/* Skip the node whose first event is current; leaves its last event current. */
static bool skip_node(loader *L)
{
    yaml_event_type_t t = L->ev.type;
    if (t != YAML_SEQUENCE_START_EVENT && t != YAML_MAPPING_START_EVENT)
        return true;
    int depth = L->depth - 1;
    while (L->depth > depth)
        if (!next(L))
            return false;
    return true;
}

static const char *type_name(const yaml_event_t *e)
{
    switch (e->type) {
    case YAML_SEQUENCE_START_EVENT: return "a list";
    case YAML_MAPPING_START_EVENT: return "a mapping";
    case YAML_SCALAR_EVENT: return "a string";
    default: return "something else";
    }
}

static const char *scalar(const loader *L)
{
    return (const char *)L->ev.data.scalar.value;
}

/* Is the current scalar a YAML null (~, null, or empty and unquoted)? */
static bool is_null(const loader *L)
{
    const yaml_event_t *e = &L->ev;
    if (e->type != YAML_SCALAR_EVENT || !e->data.scalar.plain_implicit)
        return false;
    const char *s = scalar(L);
    if (*s != 'n' && *s != 'N')           /* most values: one look */
        return !*s || (s[0] == '~' && !s[1]);
    return strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

/* A scalar holding a NUL (from a "\0" escape) would be cut short silently. */
static bool check_nul(loader *L)
{
    if (strlen(scalar(L)) != L->ev.data.scalar.length) {
        error_at(L, L->ev.start_mark, "a value contains a NUL character (\\0)");
        return false;
    }
    return true;
}

/* The start of the character before s[i]. */
static size_t last_start(const char *s, size_t i)
{
    size_t k = i;
    while (k > 0 && ((unsigned char)s[--k] & 0xC0) == 0x80)
        ;
    return k;
}

/* Is cp a CJK character or full-width punctuation (a space between two of
 * them is a folded line break, not something a Chinese typist writes)? */
static bool is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

/* Warn about a text YAML folded: a line break in it (not one written as
 * "\n" in double quotes), or a space between two CJK characters (a value
 * over lines without "\" at the ends, or one written with >). */
static void check_folded(loader *L, const char *key, const char *s, size_t n)
{
    static const char how[] = "to wrap a long text, put it in double quotes and end each "
                              "line but the last with a backslash: \"…\\";
    if (memchr(s, '\n', n) && L->ev.data.scalar.style != YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
        warn_at(L, L->ev.start_mark, "%s holds a line break; %s", key, how);
        return;
    }
    for (const char *sp = memchr(s, ' ', n); sp;
         sp = memchr(sp + 1, ' ', n - (size_t)(sp + 1 - s))) {
        size_t i = (size_t)(sp - s), p = last_start(s, i), j = i + 1;
        uint32_t prev, next;
        size_t pl = i ? utf8_decode(s + p, i - p, &prev) : 0;
        size_t nl = j < n ? utf8_decode(s + j, n - j, &next) : 0;
        if (pl && nl && is_cjk(prev) && is_cjk(next)) {
            warn_at(L, L->ev.start_mark,
                    "%s has a space between \"%.*s\" and \"%.*s\" (YAML joins the lines of "
                    "a value with a space); %s", key, (int)pl, s + p, (int)nl, s + j, how);
            return;
        }
    }
}

/* Read the current event as a required non-empty string value of key.  The
 * final line break of a block scalar ("text: |") is not part of the value. */
static const char *want_string(loader *L, const char *key)
{
    if (L->ev.type != YAML_SCALAR_EVENT) {
        error_at(L, L->ev.start_mark, "%s must be a string, not %s", key, type_name(&L->ev));
        skip_node(L);
        return NULL;
    }
    bool null = is_null(L);
    if (!null && !check_nul(L))
        return NULL;
    char *s = (char *)L->ev.data.scalar.value;   /* ours until the next event */
    size_t n = L->ev.data.scalar.length;          /* no NUL inside: check_nul */
    while (n && s[n - 1] == '\n')
        s[--n] = '\0';
    if (null || !n) {    /* ~, null, nothing, or "" */
        error_at(L, L->ev.start_mark, "%s is empty", key);
        return NULL;
    }
    if (key[0] == 't' && (strcmp(key, "text") == 0 || strcmp(key, "title") == 0))
        check_folded(L, key, s, n);
    return s;
}

/* Keys seen in one mapping: known keys by bit, others in a map. */
typedef struct {
    unsigned seen;
    strmap other;
    arena mem;
} keyset;

static void keyset_free(keyset *k)
{
    strmap_free(&k->other);
    arena_free(&k->mem);
}

/* Report a duplicate key; returns true if key was already in the mapping. */
static bool dup_key(loader *L, keyset *k, int known, const char *key)
{
    bool dup;
    if (known >= 0) {
        dup = k->seen & (1u << known);
        k->seen |= 1u << known;
    } else {
        const char *copy = arena_strndup(&k->mem, key, strlen(key));
        dup = !strmap_put(&k->other, copy, 0, NULL);
    }
    if (dup)
        error_at(L, L->ev.start_mark, "duplicate key \"%s\" in the same mapping", key);
    return dup;
}

static int key_index(const char *key, const char *const *keys)
{
    for (int i = 0; keys[i]; i++)
        if (key[0] == keys[i][0] && strcmp(key, keys[i]) == 0)   /* first bytes first */
            return i;
    return -1;
}

/* Iterate a mapping whose MAPPING_START is current: calls fn for each key
 * with the value's first event current.  fn returns false to stop. */
typedef bool (*value_fn)(loader *L, int known, const char *key, yaml_mark_t key_mark, void *ctx);

static bool each_pair(loader *L, const char *const *keys, const char *where, value_fn fn,
                      void *ctx, keyset *k)
{
    for (;;) {
        if (!next(L))
            return false;
        if (L->ev.type == YAML_MAPPING_END_EVENT)
            return true;
        if (L->ev.type != YAML_SCALAR_EVENT) {
            error_at(L, L->ev.start_mark, "a key in %s must be a string, not %s", where,
                     type_name(&L->ev));
            if (!skip_node(L) || !next(L) || !skip_node(L))
                return false;
            continue;
        }
        /* the key outlives its event: copied, to the stack when short */
        char kbuf[64];
        size_t kl = L->ev.data.scalar.length;
        char *key = kl < sizeof kbuf ? memcpy(kbuf, scalar(L), kl + 1) : xstrdup(scalar(L));
        yaml_mark_t km = L->ev.start_mark;
        int known = key_index(key, keys);
        bool dup = dup_key(L, k, known, key);
        if (!next(L)) {
            if (key != kbuf)
                free(key);
            return false;
        }
        bool ok;
        if (dup) {
            ok = skip_node(L);
        } else if (known < 0) {
            warn_at(L, km, "unknown key \"%s\" in %s (ignored%s)", key, where,
                    key_index(key, plan_words) >= 0 ? "; check the indentation of this line"
                                                    : "");
            ok = skip_node(L);
        } else {
            ok = fn(L, known, key, km, ctx);
        }
        if (key != kbuf)
            free(key);
        if (!ok)
            return false;
    }
}

/* Read a list of sequence entries: fn is called with each entry current. */
typedef bool (*entry_fn)(loader *L, void *ctx);

static bool each_entry(loader *L, const char *what, entry_fn fn, void *ctx)
{
    yaml_mark_t start = L->ev.start_mark;
    if (is_null(L)) {            /* a bare "goals:" */
        error_at(L, start, "%s is empty", what);
        return true;
    }
    if (L->ev.type != YAML_SEQUENCE_START_EVENT) {
        error_at(L, start, "%s must be a list, not %s", what, type_name(&L->ev));
        return skip_node(L);
    }
    size_t n = 0;
    for (;;) {
        if (!next(L))
            return false;
        if (L->ev.type == YAML_SEQUENCE_END_EVENT)
            break;
        n++;
        if (!fn(L, ctx))
            return false;
    }
    if (!n)
        error_at(L, start, "%s is an empty list", what);
    return true;
}

/* --- units --- */

typedef struct {
    int role;            /* PLAN_LEAD ... */
    const char *key;
    int kind;            /* whose: PLAN_ITEM, or a level (PLAN_PLAN ...) */
} units_ctx;

typedef struct {
    loader *L;
    const char *cell;
    int kind, role;      /* whose names: PLAN_ITEM or a level; the role */
} cell_ctx;

/* One name of a unit cell: warn about role words left on it ("市发改委牵头"),
 * then hand it to the builder.  The cell is split once, here. */
static void cell_emit(void *ctx, const char *name, size_t len)
{
    cell_ctx *r = ctx;
    size_t ul;
    const char *words, *field;
    if (unitname_role_words(name, len, &ul, &words, &field)) {
        bool each = strcmp(field, "each: true") == 0;
        /* In a plain value on one line, at the name itself. */
        yaml_mark_t at = r->L->ev.start_mark;
        const yaml_event_t *e = &r->L->ev;
        if (e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
            e->start_mark.line == e->end_mark.line)
            at.column += chars(r->cell, (size_t)(name - r->cell));
        warn_at(r->L, at,
                "unit \"%.*s\" ends in the role words \"%s\": write \"%.*s\" %s%s", (int)len,
                name, words, (int)ul, name, each ? "and add " : "under ", field);
    }
    plan_build_unit_len(r->L->b, r->kind, r->role, name, len);
}

/* Split the current scalar, a unit cell ("甲、乙" is two), into the units of
 * a role of the last item (kind PLAN_ITEM) or of a level. */
static void read_cell(loader *L, int kind, int role)
{
    cell_ctx r = {L, scalar(L), kind, role};
    unitname_split(r.cell, cell_emit, &r);
}

static bool unit_entry(loader *L, void *ctx)
{
    units_ctx *u = ctx;
    if (L->ev.type != YAML_SCALAR_EVENT) {
        error_at(L, L->ev.start_mark, "each unit in %s must be a string, not %s", u->key,
                 type_name(&L->ev));
        return skip_node(L);
    }
    if (!is_null(L) && check_nul(L))
        read_cell(L, u->kind, u->role);
    return true;
}

/* Read a role's units (lead: ...) of an item, or of a level above the
 * items (kind PLAN_PLAN, PLAN_GOAL, PLAN_TASK). */
static bool read_units(loader *L, int kind, int role, const char *key)
{
    if (is_null(L))
        return true;
    if (L->ev.type == YAML_SCALAR_EVENT) {
        if (check_nul(L))
            read_cell(L, kind, role);
        return true;
    }
    if (L->ev.type != YAML_SEQUENCE_START_EVENT) {
        error_at(L, L->ev.start_mark, "%s must be a list of units or one string, not %s", key,
                 type_name(&L->ev));
        return skip_node(L);
    }
    units_ctx u = {role, key, kind};
    for (;;) {
        if (!next(L))
            return false;
        if (L->ev.type == YAML_SEQUENCE_END_EVENT)
            return true;
        if (!unit_entry(L, &u))
            return false;
    }
}

static bool read_bool(loader *L, const char *key, bool *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", NULL};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", NULL};
    if (L->ev.type == YAML_SCALAR_EVENT) {
        if (key_index(scalar(L), yes) >= 0) {
            *out = true;
            return true;
        }
        if (key_index(scalar(L), no) >= 0) {
            *out = false;
            return true;
        }
    }
    error_at(L, L->ev.start_mark, "%s must be true or false", key);
    return skip_node(L);
}

/* --- items, tasks, goals --- */

/* An item's keys: id, text, then each role's key ("lead"), then each
 * role's "_more" key ("lead_more"), in role order, then each and due. */
enum { K_ID, K_TEXT, K_ROLE, K_MORE = K_ROLE + PLAN_ROLES, K_EACH = K_MORE + PLAN_ROLES, K_DUE };
#define ROLE_KEY(name, key) key,
#define ROLE_MORE_KEY(name, key) key "_more",
#define ROLE_KEYS PLAN_ROLE_LIST(ROLE_KEY) PLAN_ROLE_LIST(ROLE_MORE_KEY)
static const char *const item_keys[] = {"id", "text", ROLE_KEYS "each", "due", NULL};

/* Units set on a level: a role's key, or its _more key (known counts
 * from the first role's key). */
static bool level_units(loader *L, int kind, int known, const char *key)
{
    bool more = false;
    if (known < PLAN_ROLES)
        return read_units(L, kind, known, key);
    if (!read_bool(L, key, &more))
        return false;
    plan_build_level_more(L->b, kind, known - PLAN_ROLES, more);
    return true;
}

/* Read an id: a non-empty scalar of printable text. */
static bool read_id(loader *L, int kind)
{
    const char *id = want_string(L, "id");
    if (!id)
        return !L->fatal;
    for (const char *c = id; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F) {
            error_at(L, L->ev.start_mark, "id \"%s\" contains a control character", id);
            return true;
        }
    plan_build_id(L->b, kind, id, pos_of(L->ev.start_mark));
    return true;
}

/* Read due words (完成时限) for the plan (PLAN_PLAN) or its last node of a
 * kind; an empty value is no due. */
static bool read_due(loader *L, int kind)
{
    if (is_null(L) || (L->ev.type == YAML_SCALAR_EVENT && !*scalar(L)))
        return true;
    const char *v = want_string(L, "due");
    if (v)
        plan_build_due(L->b, kind, v, pos_of(L->ev.start_mark));
    return !L->fatal;
}

static bool item_value(loader *L, int known, const char *key, yaml_mark_t km, void *ctx)
{
    (void)km;
    (void)ctx;
    bool more = false;
    if (known == K_DUE)
        return read_due(L, PLAN_ITEM);
    if (known == K_ID)
        return read_id(L, PLAN_ITEM);
    if (known == K_TEXT) {
        const char *t = want_string(L, "text");
        if (t)
            plan_build_text(L->b, t);
        return !L->fatal;
    }
    if (known < K_MORE)
        return read_units(L, PLAN_ITEM, known - K_ROLE, key);
    if (!read_bool(L, key, &more))
        return false;
    if (known == K_EACH)
        plan_build_each(L->b, more);
    else
        plan_build_more(L->b, known - K_MORE, more);
    return true;
}

/* Read a mapping for a goal, task or item whose MAPPING_START is current. */
static bool read_node(loader *L, int kind);

static bool item_entry(loader *L, void *ctx)
{
    (void)ctx;
    return read_node(L, PLAN_ITEM);
}

static bool task_entry(loader *L, void *ctx)
{
    (void)ctx;
    return read_node(L, PLAN_TASK);
}

static bool goal_entry(loader *L, void *ctx)
{
    (void)ctx;
    return read_node(L, PLAN_GOAL);
}

/* A goal's or task's keys: id, title, its children, the roles' keys and
 * _more keys, for a goal "items" (a goal holding its items), and "due"
 * (node_value knows it by name: its index differs). */
enum { N_ID, N_TITLE, N_CHILDREN, N_ROLE, N_ITEMS = N_ROLE + 2 * PLAN_ROLES };
static const char *const goal_keys[] = {"id", "title", "tasks", ROLE_KEYS "items", "due", NULL};
static const char *const task_keys[] = {"id", "title", "items", ROLE_KEYS "due", NULL};

typedef struct {
    int kind;
    yaml_mark_t children;  /* where tasks: or items: was (a goal) */
    int which;             /* N_CHILDREN or N_ITEMS when seen, else -1 */
} node_ctx;

static bool node_value(loader *L, int known, const char *key, yaml_mark_t km, void *ctx)
{
    node_ctx *nc = ctx;
    int kind = nc->kind;
    if (strcmp(key, "due") == 0)
        return read_due(L, kind);
    if (known >= N_ROLE && known < N_ITEMS) {
        /* Written after the children, a unit key is more often an item's
         * key indented one level too little than the level's own. */
        if (nc->which >= 0)
            warn_at(L, km, "\"%s\" after the %s's %s applies to all of them; if it "
                    "belongs to the last one, check the indentation of this line", key,
                    kind == PLAN_GOAL ? "goal" : "task",
                    nc->which == N_CHILDREN && kind == PLAN_GOAL ? "tasks" : "items");
        return level_units(L, kind, known - N_ROLE, key);
    }
    if (known == N_CHILDREN || known == N_ITEMS) {
        if (nc->which >= 0) {
            error_at(L, km, "a goal holds either tasks or items, not both: "
                     "move these items into a task (line %lu has the goal's %s)",
                     (unsigned long)nc->children.line + 1,
                     nc->which == N_CHILDREN ? "tasks" : "items");
            return skip_node(L);
        }
        nc->which = known;
        nc->children = km;
    }
    switch (known) {
    case N_ITEMS:
        plan_build_goal_items(L->b, pos_of(km));
        return each_entry(L, key, item_entry, NULL);
    case N_ID:
        return read_id(L, kind);
    case N_TITLE: {
        const char *t = want_string(L, "title");
        if (t)
            plan_build_heading(L->b, kind, t);
        return !L->fatal;
    }
    case N_CHILDREN:
        return each_entry(L, key, kind == PLAN_GOAL ? task_entry : item_entry, NULL);
    }
    return true;
}

static bool read_node(loader *L, int kind)
{
    static const char *const what[] = {"a goal", "a task", "an item"};
    yaml_mark_t start = L->ev.start_mark;
    if (L->ev.type != YAML_MAPPING_START_EVENT) {
        error_at(L, start, "%s must be a mapping (with %s), not %s", what[kind],
                 kind == PLAN_ITEM ? "text, lead, responsible" : "id, title",
                 type_name(&L->ev));
        return skip_node(L);
    }
    plan_build_node(L->b, kind, pos_of(start));
    keyset k = {0};
    bool ok;
    if (kind == PLAN_ITEM) {
        ok = each_pair(L, item_keys, "an item", item_value, NULL, &k);
        if (ok && !(k.seen & (1u << K_TEXT)))
            error_at(L, start, "item has no text: add a \"text:\" key");
    } else {
        node_ctx nc = {kind, start, -1};
        ok = each_pair(L, kind == PLAN_GOAL ? goal_keys : task_keys,
                       kind == PLAN_GOAL ? "a goal" : "a task", node_value, &nc, &k);
        if (ok && !(k.seen & (1u << N_TITLE)))
            error_at(L, start, "%s has no title: add a \"title:\" key", what[kind] + 2);
        if (ok && nc.which < 0)
            error_at(L, start, "%s has no %s: add %s list", what[kind] + 2,
                     kind == PLAN_GOAL ? "tasks" : "items",
                     kind == PLAN_GOAL ? "a \"tasks:\"" : "an \"items:\"");
    }
    keyset_free(&k);
    return ok;
}

/* --- groups and the top level --- */

static void member_emit(void *ctx, const char *name, size_t len)
{
    plan_builder *b = ctx;
    char *s = xstrndup(name, len);
    plan_build_member(b, s);
    free(s);
}

static bool group_member_entry(loader *L, void *ctx)
{
    (void)ctx;
    if (L->ev.type != YAML_SCALAR_EVENT) {
        error_at(L, L->ev.start_mark, "a group member must be a string, not %s",
                 type_name(&L->ev));
        return skip_node(L);
    }
    if (!is_null(L) && check_nul(L))
        unitname_split(scalar(L), member_emit, L->b);   /* "甲、乙" is two */
    return true;
}

static bool group_value(loader *L, int known, const char *key, yaml_mark_t km, void *ctx)
{
    (void)known;
    (void)ctx;
    plan_build_group(L->b, key, pos_of(km));
    if (L->ev.type == YAML_SCALAR_EVENT && !is_null(L)) {
        if (check_nul(L))
            unitname_split(scalar(L), member_emit, L->b);
        return true;
    }
    return each_entry(L, "a group's members", group_member_entry, NULL);
}

static bool read_groups(loader *L)
{
    if (is_null(L))
        return true;
    if (L->ev.type != YAML_MAPPING_START_EVENT) {
        error_at(L, L->ev.start_mark,
                 "groups must be a mapping of a group's name to its members, not %s",
                 type_name(&L->ev));
        return skip_node(L);
    }
    static const char *const none[] = {NULL};
    keyset k = {0};
    /* Every key is a group name: pass them through as "unknown" keys with
     * their own value handler. */
    bool ok = true;
    for (;;) {
        if (!next(L)) {
            ok = false;
            break;
        }
        if (L->ev.type == YAML_MAPPING_END_EVENT)
            break;
        if (L->ev.type != YAML_SCALAR_EVENT || is_null(L) || !check_nul(L)) {
            if (L->ev.type != YAML_SCALAR_EVENT || is_null(L))
                error_at(L, L->ev.start_mark, "a group's name must be a non-empty string");
            if (!skip_node(L) || !next(L) || !skip_node(L)) {
                ok = false;
                break;
            }
            continue;
        }
        char *key = xstrdup(scalar(L));
        yaml_mark_t km = L->ev.start_mark;
        bool dup = dup_key(L, &k, key_index(key, none), key);
        ok = next(L) && (dup ? skip_node(L) : group_value(L, 0, key, km, NULL));
        free(key);
        if (!ok)
            break;
    }
    keyset_free(&k);
    return ok;
}

enum { R_TITLE, R_ISSUER, R_DOCUMENT, R_DATE, R_GROUPS, R_GOALS, R_NUMBERING, R_DUE, R_ROLE };
/* ROLE_KEYS joins each key and "_more" on purpose: */
static const char *const root_keys[] = {"title", "issuer", "document", "date",
                                        "groups", "goals", "numbering", "due",
                                        ROLE_KEYS NULL};   /* NOLINT(bugprone-suspicious-missing-comma) */

/* numbering: task | goal | plan. */
static bool read_numbering(loader *L)
{
    static const char *const modes[] = {"task", "goal", "plan", NULL};
    int m = L->ev.type == YAML_SCALAR_EVENT ? key_index(scalar(L), modes) : -1;
    if (m < 0) {
        error_at(L, L->ev.start_mark, "numbering must be task, goal or plan");
        return skip_node(L);
    }
    plan_build_numbering(L->b, m);
    return true;
}

static bool root_value(loader *L, int known, const char *key, yaml_mark_t km, void *ctx)
{
    (void)km;
    (void)ctx;
    if (known >= R_ROLE)
        return level_units(L, PLAN_PLAN, known - R_ROLE, key);
    switch (known) {
    case R_NUMBERING:
        return read_numbering(L);
    case R_GROUPS:
        return read_groups(L);
    case R_GOALS:
        return each_entry(L, "goals", goal_entry, NULL);
    case R_DUE:
        return read_due(L, PLAN_PLAN);
    default: {
        if (known != R_TITLE && (is_null(L) || (L->ev.type == YAML_SCALAR_EVENT &&
                                                !*scalar(L))))
            return true;       /* an optional field left empty */
        const char *v = want_string(L, key);
        if (v && known == R_TITLE)
            plan_build_title(L->b, v);
        else if (v && known == R_ISSUER)
            plan_build_issuer(L->b, v);
        else if (v && known == R_DOCUMENT)
            plan_build_document(L->b, v);
        else if (v)
            plan_build_date(L->b, v);
        return !L->fatal;
    }
    }
}

static void load(loader *L)
{
    if (!next(L) || L->ev.type != YAML_STREAM_START_EVENT)
        return;
    if (!next(L))
        return;
    if (L->ev.type == YAML_STREAM_END_EVENT) {
        error_at(L, L->ev.start_mark,
                 "the file holds no plan: it needs at least a title and goals");
        return;
    }
    if (!next(L))   /* the document's root node */
        return;
    yaml_mark_t root = L->ev.start_mark;
    if (L->ev.type != YAML_MAPPING_START_EVENT) {
        if (is_null(L))
            error_at(L, root, "the file holds no plan: it needs at least a title and goals");
        else
            error_at(L, root, "the plan must be a mapping with title and goals, not %s",
                     type_name(&L->ev));
        L->fatal = true;
        return;
    }
    keyset k = {0};
    bool ok = each_pair(L, root_keys, "the plan", root_value, NULL, &k);
    if (ok && !(k.seen & (1u << R_TITLE)))
        error_at(L, root, "the plan has no title: add a \"title:\" line");
    if (ok && !(k.seen & (1u << R_GOALS)))
        error_at(L, root, "the plan has no goals: add a \"goals:\" list");
    keyset_free(&k);
    if (!ok || !next(L))      /* DOCUMENT_END */
        return;
    if (!next(L))
        return;
    if (L->ev.type == YAML_DOCUMENT_START_EVENT)
        error_at(L, L->ev.start_mark,
                 "a second YAML document starts here: a plan file holds exactly one");
}

static plan *run(loader *L)
{
    L->errors0 = L->d->errors;
    L->b = plan_build_new();
    if (!yaml_parser_initialize(&L->yp)) {
        diags_add(L->d, DIAG_ERROR, L->file, 0, 0, "cannot start the YAML parser");
        plan_build_free(L->b);
        return NULL;
    }
    /* The encoding is left for libyaml to detect: that is what skips a
     * UTF-8 byte order mark (Windows editors write one).  UTF-16 never
     * reaches it: read_source refuses its BOM, and its NULs. */
    yaml_parser_set_input(&L->yp, read_source, L);
    load(L);
    if (L->have_ev)
        yaml_event_delete(&L->ev);
    yaml_parser_delete(&L->yp);
    scan_end(&L->scan);
    for (size_t i = 0; i < L->scan.n; i++)
        diags_add(L->d, DIAG_ERROR, L->file, L->scan.v[i].line + 1, L->scan.v[i].col, "%s",
                  L->scan.v[i].msg);
    scan_free(&L->scan);
    if (L->d->errors != L->errors0) {
        plan_build_free(L->b);
        return NULL;
    }
    plan *p = plan_build_finish(L->b, L->file, L->d);
    if (L->d->errors != L->errors0) {
        plan_free(p);
        return NULL;
    }
    return p;
}

plan *plan_parse(const char *name, const char *buf, size_t len, diags *d)
{
    loader L = {0};
    L.fd = -1;
    L.file = name;
    L.d = d;
    L.buf = buf;
    L.len = len;
    return run(&L);
}

plan *plan_load(const char *path, diags *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, "%s: cannot open the plan: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, "%s: is a folder, not a plan file", path);
        close(fd);
        return NULL;
    }
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0,
                  "%s: the file is empty: a plan needs at least a title and goals", path);
        close(fd);
        return NULL;
    }
    loader L = {0};
    L.fd = fd;
    L.file = path;
    L.d = d;
    plan *p = run(&L);
    close(fd);
    return p;
}
