/* text.c - UTF-8, display width, truncation, wrapping, sanitising. */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define REPLACEMENT 0xFFFDu
#define ELLIPSIS "\xe2\x80\xa6"   /* U+2026, one column */

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0) {
        *cp = 0;
        return 0;
    }
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, v = c & 0x07, min = 0x10000;
    } else {
        *cp = REPLACEMENT;
        return 1;
    }
    if (n < len) {
        *cp = REPLACEMENT;
        return 1;
    }
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80) {
            *cp = REPLACEMENT;
            return 1;
        }
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
        *cp = REPLACEMENT;
        return 1;
    }
    *cp = v;
    return len;
}

size_t utf8_encode(uint32_t cp, char *out)
{
    unsigned char *o = (unsigned char *)out;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        o[0] = (unsigned char)(0xC0 | (cp >> 6));
        o[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        o[0] = (unsigned char)(0xE0 | (cp >> 12));
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (unsigned char)(0xF0 | (cp >> 18));
    o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

bool utf8_valid(const char *s, size_t n, size_t *bad)
{
    size_t i = 0;
    while (i < n) {
        uint64_t w;   /* ASCII eight bytes at a time */
        if (i + 8 <= n && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ULL))) {
            i += 8;
            continue;
        }
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        /* U+FFFD from a 1-byte step means a bad byte (a real U+FFFD is 3). */
        if (cp == REPLACEMENT && k == 1) {
            if (bad)
                *bad = i;
            return false;
        }
        i += k;
    }
    return true;
}

static bool is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
           cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

static bool ascii_subst;

void text_set_ascii_substitutes(bool on)
{
    ascii_subst = on;
}

/* The ASCII form of a substitute v (ascii_subst). */
static uint32_t ascii_of(uint32_t v)
{
    if (!ascii_subst || v < 0x80)
        return v;
    if (v == 0x2424)
        return '|';
    if (v >= 0x2400 && v <= 0x2421)
        return '^';
    return v == REPLACEMENT ? '?' : v;
}

uint32_t text_visible(uint32_t cp, int mode)
{
    if (cp >= 0x20 && cp < 0x7F)
        return cp;
    uint32_t v;
    if (cp < 0x20) {
        if (cp == '\n')               /* a break, or SYMBOL FOR NEWLINE */
            v = mode == TEXT_MULTILINE ? cp : 0x2424;
        else
            v = 0x2400 + cp;           /* Control Pictures: ESC -> U+241B */
    } else if (cp == 0x7F) {
        v = 0x2421;                    /* SYMBOL FOR DELETE */
    } else if (cp == REPLACEMENT || cp < 0xA0 || is_bidi_control(cp) || cp == 0x2028 ||
               cp == 0x2029 || wcwidth((wchar_t)cp) < 0) {
        v = REPLACEMENT;               /* C1, bidi, unassigned or non-printing */
    } else {
        return cp;
    }
    return ascii_of(v);
}

static bool ambiguous_wide;

void text_set_ambiguous_wide(bool on)
{
    ambiguous_wide = on;
}

bool text_ambiguous_wide(void)
{
    return ambiguous_wide;
}

/* ncursesw lays the screen out with the C library's wcwidth, which counts
 * East Asian Ambiguous characters (“ ” … ─ │ → ...) as one column in a
 * UTF-8 locale.  A terminal set to draw them wide puts them in two, and
 * every character after one on the row lands a column to the right of
 * where curses thinks it is.  So this definition takes the place of the C
 * library's for the whole program (the executable's symbol comes first,
 * as with the wcwidth-cjk preload library): it counts as this file does,
 * Ambiguous characters as two columns in wide mode, and otherwise answers
 * what the C library's wcswidth does (which does not call back here). */
int wcwidth(wchar_t c)
{
    wchar_t s[1] = {c};
    int w = wcswidth(s, 1);
    if (w == 1 && ambiguous_wide && text_is_ambiguous((uint32_t)c))
        return 2;
    return w;
}

static const char *ellipsis_mark = ELLIPSIS;

void text_set_ellipsis(const char *mark)
{
    ellipsis_mark = mark && *mark ? mark : ELLIPSIS;
}

/* Columns of a visible code point v: wcwidth, with class A counted as 2 in
 * wide mode (only where wcwidth says 1: combining marks stay 0). */
static int visible_width(uint32_t v)
{
    if (v >= 0x20 && v < 0x7F)
        return 1;
    int w = wcwidth((wchar_t)v);
    if (w < 0)
        return 1;
    if (w == 1 && ambiguous_wide && text_is_ambiguous(v))
        return 2;
    return w;
}

int text_cp_width(uint32_t cp)
{
    if (cp >= 0x20 && cp < 0x7F)
        return 1;
    return visible_width(text_visible(cp, TEXT_ONELINE));
}

size_t text_width(const char *s)
{
    size_t n = strlen(s), w = 0;
    while (n) {
        if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7F) {
            w++, s++, n--;    /* printable ASCII: one column */
            continue;
        }
        uint32_t cp;
        size_t k = utf8_decode(s, n, &cp);
        w += (size_t)text_cp_width(cp);
        s += k;
        n -= k;
    }
    return w;
}

static void add_cp(strbuf *out, uint32_t cp)
{
    char buf[4];
    sb_add(out, buf, utf8_encode(cp, buf));
}

void text_sanitize(strbuf *out, const char *s, size_t n, int mode)
{
    while (n) {
        /* Fast path: a run of printable ASCII is copied as it is. */
        size_t run = 0;
        while (run < n && (unsigned char)s[run] >= 0x20 && (unsigned char)s[run] < 0x7F)
            run++;
        if (run) {
            sb_add(out, s, run);
            s += run;
            n -= run;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_decode(s, n, &cp);
        uint32_t v = text_visible(cp, mode);
        /* k == 1 with cp >= 0x80 is a bad byte decoded as U+FFFD: it must
         * not be copied (a raw 0x9B is CSI to some terminals). */
        if (v == cp && cp >= 0x80 && k > 1)
            sb_add(out, s, k);   /* already valid and harmless */
        else
            add_cp(out, v);
        s += k;
        n -= k;
    }
}

void text_fputs(const char *s, int mode, void *file)
{
    strbuf b = {0};
    text_sanitize(&b, s, strlen(s), mode);
    if (b.len)
        fwrite(b.s, 1, b.len, (FILE *)file);
    sb_free(&b);
}

size_t text_fit(strbuf *out, const char *s, size_t cols, bool pad)
{
    size_t total = text_width(s), used = 0, n = strlen(s);
    if (total > cols && cols == 0)
        return 0;      /* not even a zero-width mark: there is no room for … */
    const char *mark = ellipsis_mark;
    size_t mark_w = text_width(mark);
    if (mark_w > cols) {
        mark = ".";    /* a wide … does not fit in one column */
        mark_w = 1;
    }
    size_t limit = total <= cols ? cols : cols - mark_w;
    while (n) {
        uint32_t cp;
        size_t k = utf8_decode(s, n, &cp);
        size_t w = (size_t)text_cp_width(cp);
        if (used + w > limit)
            break;
        add_cp(out, text_visible(cp, TEXT_ONELINE));
        used += w;
        s += k;
        n -= k;
    }
    if (total > cols && cols) {
        sb_adds(out, mark);
        used += mark_w;
    }
    for (; pad && used < cols; used++)
        sb_addc(out, ' ');
    return used;
}

bool text_is_closing(uint32_t cp)
{
    switch (cp) {
    case 0xFF0C: /* ， */ case 0x3002: /* 。 */ case 0x3001: /* 、 */
    case 0xFF1B: /* ； */ case 0xFF1A: /* ： */ case 0xFF1F: /* ？ */
    case 0xFF01: /* ！ */ case 0xFF09: /* ） */ case 0x300B: /* 》 */
    case 0x300D: /* 」 */ case 0x300F: /* 』 */ case 0x201D: /* ” */
    case 0x2019: /* ’ */ case 0x3011: /* 】 */ case 0x3015: /* 〕 */
    case 0x3009: /* 〉 */ case 0xFF3D: /* ］ */ case 0xFF5D: /* ｝ */
    case 0x2026: /* … */ case 0xFF0E: /* ． */ case 0x30FB: /* ・ */
    case ',': case '.': case ';': case ':': case '?': case '!': case ')':
    case ']': case '}':
        return true;
    default:
        return false;
    }
}

/* Opening punctuation, which should not end a line. */
static bool is_opening(uint32_t cp)
{
    switch (cp) {
    case 0xFF08: /* （ */ case 0x300A: /* 《 */ case 0x300C: /* 「 */
    case 0x300E: /* 『 */ case 0x201C: /* “ */ case 0x2018: /* ‘ */
    case 0x3010: /* 【 */ case 0x3014: /* 〔 */ case 0x3008: /* 〈 */
    case '(': case '[': case '{':
        return true;
    default:
        return false;
    }
}

/* A character after which a line may break without a space (CJK etc):
 * wide by wcwidth (not by an ambiguous character's width in wide mode, so
 * that a Greek or Cyrillic word still breaks at its spaces). */
static bool breaks_freely(uint32_t cp)
{
    return cp >= 0x2E80 || text_is_closing(cp) || is_opening(cp) ||
           (cp >= 0x1100 && !text_is_ambiguous(cp) && wcwidth((wchar_t)cp) == 2);
}

typedef struct {
    uint32_t cp;   /* the visible code point */
    int w;         /* its columns */
    bool brk;      /* breaks_freely(cp) */
} cell;

/* Emit cells[a..b) as one line, without trailing spaces. */
static void emit_line(strbuf *out, const cell *c, size_t a, size_t b)
{
    while (b > a && c[b - 1].cp == ' ')
        b--;
    for (size_t i = a; i < b; i++)
        add_cp(out, c[i].cp);
    sb_addc(out, '\n');
}

/* Wrap one paragraph (no LF) of cells; return the lines emitted. */
static size_t wrap_para(strbuf *out, const cell *c, size_t n, size_t cols)
{
    size_t lines = 0, start = 0;
    if (n == 0) {
        sb_addc(out, '\n');
        return 1;
    }
    while (start < n) {
        size_t w = 0, end = start;
        while (end < n && w + (size_t)c[end].w <= cols)
            w += (size_t)c[end++].w;
        if (end == start)
            end = start + 1;          /* a character wider than the line */
        if (end < n) {
            /* In the middle of a Latin word: go back to the last space. */
            if (!c[end].brk && c[end].cp != ' ' && !c[end - 1].brk &&
                c[end - 1].cp != ' ') {
                size_t k = end;
                while (k > start && c[k - 1].cp != ' ' && !c[k - 1].brk)
                    k--;
                if (k > start)
                    end = k;
            }
            /* Kinsoku: the next line must not start with closing
             * punctuation, this one should not end with opening. */
            size_t k = end;
            while (k > start + 1 && (text_is_closing(c[k].cp) || is_opening(c[k - 1].cp)))
                k--;
            /* No good break on this line (all punctuation): keep it full. */
            if (!text_is_closing(c[k].cp) && !is_opening(c[k - 1].cp))
                end = k;
        }
        emit_line(out, c, start, end);
        lines++;
        start = end;
        while (start < n && c[start].cp == ' ')
            start++;
    }
    return lines;
}

size_t text_wrap(strbuf *out, const char *s, size_t cols)
{
    if (cols < 2)
        cols = 2;
    size_t n = strlen(s), lines = 0, nc = 0, cap = 0;
    cell *c = NULL;
    for (;;) {
        uint32_t cp = '\n';
        size_t k = n ? utf8_decode(s, n, &cp) : 0;
        uint32_t v = n ? text_visible(cp, TEXT_MULTILINE) : '\n';
        if (v == '\n') {
            lines += wrap_para(out, c, nc, cols);
            nc = 0;
            if (!n)
                break;
        } else {
            xgrow((void **)&c, &cap, nc + 1, sizeof *c);
            c[nc].cp = v;
            c[nc].w = visible_width(v);
            c[nc].brk = breaks_freely(v);
            nc++;
        }
        s += k;
        n -= k;
    }
    free(c);
    return lines;
}

void text_cn_number(strbuf *out, unsigned n)
{
    static const char *const digit[] = {"零", "一", "二", "三", "四",
                                        "五", "六", "七", "八", "九"};
    static const char *const unit[] = {"", "十", "百", "千"};
    if (n == 0 || n > 9999) {
        sb_addf(out, "%u", n);
        return;
    }
    unsigned d[4] = {n % 10, n / 10 % 10, n / 100 % 10, n / 1000};
    int top = n >= 1000 ? 3 : n >= 100 ? 2 : n >= 10 ? 1 : 0;
    bool zero = false;
    for (int i = top; i >= 0; i--) {
        if (d[i] == 0) {
            zero = true;
            continue;
        }
        if (zero && i < top)
            sb_adds(out, digit[0]);
        zero = false;
        /* 10-19 read 十, 十一 ..., not 一十 */
        if (!(i == 1 && top == 1 && d[i] == 1))
            sb_adds(out, digit[d[i]]);
        sb_adds(out, unit[i]);
    }
}

/* Bytes of one blank at the start of s[0..n), 0 if none. */
static size_t blank_fwd(const char *s, size_t n)
{
    if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
        return 1;
    if (n >= 2 && memcmp(s, "\xc2\xa0", 2) == 0)       /* NBSP */
        return 2;
    if (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0)   /* U+3000 */
        return 3;
    return 0;
}

/* Bytes of one blank at the end of s[0..n), 0 if none. */
static size_t blank_back(const char *s, size_t n)
{
    if (n >= 1 && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
        return 1;
    if (n >= 2 && memcmp(s + n - 2, "\xc2\xa0", 2) == 0)
        return 2;
    if (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0)
        return 3;
    return 0;
}

const char *text_trim(const char *s, size_t *len)
{
    /* Most names and values have no blank at either end: decided by the
     * first byte (a blank starts with one of ' ' \t-\r 0xC2 0xE3) and the
     * last one or three (NBSP, U+3000). */
    size_t n = *len;
    if (n) {
        const unsigned char *u = (const unsigned char *)s;
        unsigned char a = u[0], z = u[n - 1];
        bool head = a == ' ' || (a >= '\t' && a <= '\r') || a == 0xC2 || a == 0xE3;
        bool tail = z == ' ' || (z >= '\t' && z <= '\r') ||
                    (z == 0xA0 && n >= 2 && u[n - 2] == 0xC2) ||
                    (z == 0x80 && n >= 3 && u[n - 2] == 0x80 && u[n - 3] == 0xE3);
        if (!head && !tail)
            return s;
    }
    size_t k;
    while ((k = blank_fwd(s, *len)) > 0)
        s += k, *len -= k;
    while ((k = blank_back(s, *len)) > 0)
        *len -= k;
    return s;
}
