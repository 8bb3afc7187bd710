/* test_text.c - UTF-8 decoding, display width, truncation, wrapping,
 * sanitising, Chinese numerals and id order (text.c, util.c). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text.h"
#include "util.h"

/* ---- helpers ---- */

/* The sanitised form of s[0..n) in mode, as a new string. */
static char *sanitized(const char *s, size_t n, int mode)
{
    strbuf b = {0};
    text_sanitize(&b, s, n, mode);
    return sb_steal(&b);
}

static void assert_sanitize(const char *in, size_t n, int mode, const char *want)
{
    char *got = sanitized(in, n, mode);
    assert_string_equal(got, want);
    free(got);
}

static char *fit(const char *s, size_t cols, bool pad, size_t *used)
{
    strbuf b = {0};
    *used = text_fit(&b, s, cols, pad);
    return sb_steal(&b);
}

static char *wrap(const char *s, size_t cols, size_t *lines)
{
    strbuf b = {0};
    *lines = text_wrap(&b, s, cols);
    return sb_steal(&b);
}

/* Does any byte of s lie in [0x00, 0x20) other than '\n' (if allowed), or
 * is 0x7F, or does s hold a C1 control encoded as UTF-8 (C2 80..C2 9F)? */
static bool has_control(const char *s, bool allow_lf)
{
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if ((*c < 0x20 && !(allow_lf && *c == '\n')) || *c == 0x7F)
            return true;
        if (c[0] == 0xC2 && c[1] >= 0x80 && c[1] < 0xA0)
            return true;
    }
    return false;
}

/* ---- utf8_decode / utf8_encode / utf8_valid ---- */

typedef struct {
    const char *in;
    size_t n;
    uint32_t cp;
    size_t used;
} decode_case;

static void test_utf8_decode(void **state)
{
    (void)state;
    static const decode_case cases[] = {
        {"A", 1, 'A', 1},
        {"\xC2\xA9", 2, 0xA9, 2},                 /* © */
        {"\xE4\xB8\xAD", 3, 0x4E2D, 3},           /* 中 */
        {"\xF0\x9F\x98\x80", 4, 0x1F600, 4},      /* 😀 */
        {"\xF4\x8F\xBF\xBF", 4, 0x10FFFF, 4},     /* the last code point */
        {"\xEF\xBF\xBD", 3, 0xFFFD, 3},           /* a real U+FFFD */
        /* overlong forms */
        {"\xC0\xAF", 2, 0xFFFD, 1},
        {"\xC1\xBF", 2, 0xFFFD, 1},
        {"\xE0\x80\xAF", 3, 0xFFFD, 1},
        {"\xE0\x9F\xBF", 3, 0xFFFD, 1},
        {"\xF0\x8F\xBF\xBF", 4, 0xFFFD, 1},
        /* surrogates */
        {"\xED\xA0\x80", 3, 0xFFFD, 1},
        {"\xED\xBF\xBF", 3, 0xFFFD, 1},
        {"\xED\x9F\xBF", 3, 0xD7FF, 3},           /* just below them */
        /* beyond U+10FFFF */
        {"\xF4\x90\x80\x80", 4, 0xFFFD, 1},
        {"\xF5\x80\x80\x80", 4, 0xFFFD, 1},
        {"\xFF", 1, 0xFFFD, 1},
        {"\xFE", 1, 0xFFFD, 1},
        /* a lone continuation byte */
        {"\x80", 1, 0xFFFD, 1},
        {"\xBF", 1, 0xFFFD, 1},
        /* truncated: by the length, and by a byte that is not a continuation */
        {"\xE4\xB8", 2, 0xFFFD, 1},
        {"\xE4\xB8\xAD", 2, 0xFFFD, 1},
        {"\xF0\x9F\x98", 3, 0xFFFD, 1},
        {"\xE4" "a", 2, 0xFFFD, 1},
        {"\xC2", 1, 0xFFFD, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        uint32_t cp = 0;
        size_t used = utf8_decode(cases[i].in, cases[i].n, &cp);
        if (cp != cases[i].cp || used != cases[i].used)
            fail_msg("case %zu: got U+%04X/%zu, want U+%04X/%zu", i, (unsigned)cp, used,
                     (unsigned)cases[i].cp, cases[i].used);
    }
    uint32_t cp = 1;
    assert_int_equal(utf8_decode("", 0, &cp), 0);
}

static void test_utf8_encode_round_trip(void **state)
{
    (void)state;
    static const uint32_t cps[] = {0, 'a', 0x7F, 0x80, 0x7FF, 0x800, 0x4E2D, 0xFFFD, 0xFFFF,
                                   0x10000, 0x1F600, 0x10FFFF};
    for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
        char buf[4];
        size_t n = utf8_encode(cps[i], buf);
        uint32_t back;
        assert_int_equal(utf8_decode(buf, n, &back), n);
        assert_int_equal(back, cps[i]);
    }
}

static void test_utf8_valid(void **state)
{
    (void)state;
    size_t bad = 99;
    assert_true(utf8_valid("中文 abc \xEF\xBF\xBD", 14, &bad));
    assert_true(utf8_valid("", 0, NULL));
    assert_false(utf8_valid("ab\xFF", 3, &bad));
    assert_int_equal(bad, 2);
    assert_false(utf8_valid("中\xE4\xB8", 5, &bad));
    assert_int_equal(bad, 3);
    assert_false(utf8_valid("x\xED\xA0\x80", 4, &bad));   /* a surrogate */
    assert_int_equal(bad, 1);
    assert_false(utf8_valid("\xC0\x80", 2, &bad));        /* overlong NUL */
    assert_int_equal(bad, 0);
}

/* ---- width ---- */

static void test_width(void **state)
{
    (void)state;
    assert_int_equal(text_width(""), 0);
    assert_int_equal(text_width("abc"), 3);
    assert_int_equal(text_width("中文"), 4);
    assert_int_equal(text_width("区党政办"), 8);
    /* “” are one column each in C.UTF-8 (wcwidth), 中 two. */
    assert_int_equal(text_width("\xE2\x80\x9C中\xE2\x80\x9D"), 4);
    assert_int_equal(text_width("（一）"), 6);
    assert_int_equal(text_width("😀"), 2);
    assert_int_equal(text_width("…"), 1);
    /* Controls count as their one-column substitutes. */
    assert_int_equal(text_width("\x1b[2J"), 4);
    assert_int_equal(text_width("a\tb"), 3);
    assert_int_equal(text_width("\x7f"), 1);
    assert_int_equal(text_width("\xC2\x85"), 1);              /* C1 NEL -> U+FFFD */
    assert_int_equal(text_width("\xE2\x80\xAE"), 1);          /* U+202E -> U+FFFD */
    /* Invalid bytes: one replacement cell each. */
    assert_int_equal(text_width("\xFF\xFE"), 2);
    assert_int_equal(text_width("\xE4\xB8"), 2);
    /* A zero-width space takes nothing. */
    assert_int_equal(text_width("a\xE2\x80\x8B" "b"), 2);
}

static void test_cp_width(void **state)
{
    (void)state;
    assert_int_equal(text_cp_width('a'), 1);
    assert_int_equal(text_cp_width(0x4E2D), 2);
    assert_int_equal(text_cp_width(0x3000), 2);
    assert_int_equal(text_cp_width(0x1B), 1);
    assert_int_equal(text_cp_width(0x1F600), 2);
    assert_int_equal(text_cp_width(0x200B), 0);
}

/* ---- text_fit ---- */

typedef struct {
    const char *in;
    size_t cols;
    bool pad;
    const char *want;
    size_t used;
} fit_case;

static void test_fit(void **state)
{
    (void)state;
    static const fit_case cases[] = {
        {"abc", 3, false, "abc", 3},                 /* exact fit: no … */
        {"abc", 3, true, "abc", 3},
        {"abcd", 3, false, "ab…", 3},
        {"ab", 5, true, "ab   ", 5},
        {"ab", 5, false, "ab", 2},
        {"中文", 4, false, "中文", 4},               /* exact fit of wide chars */
        {"中文字", 4, false, "中…", 3},             /* 文 would be cut: never */
        {"中文字", 4, true, "中… ", 4},
        {"中文字", 5, false, "中文…", 5},
        {"中文字", 6, false, "中文字", 6},
        {"a中文", 4, false, "a中…", 4},
        {"a中文", 3, false, "a…", 2},
        {"a中文", 3, true, "a… ", 3},
        {"中", 1, false, "…", 1},
        {"中", 1, true, "…", 1},
        {"中", 2, false, "中", 2},
        {"abc", 0, false, "", 0},
        {"\xCC\x81" "e", 0, true, "", 0},        /* a zero-width mark, no room */
        {"\xCC\x81", 0, false, "\xCC\x81", 0},      /* it fits: zero columns */
        {"e\xCC\x81" "x", 2, false, "e\xCC\x81" "x", 2},
        {"e\xCC\x81" "xy", 2, false, "e\xCC\x81…", 2},   /* the mark stays with e */
        {"", 3, true, "   ", 3},
        {"", 0, true, "", 0},
        {"😀x", 2, false, "…", 1},
        {"\xE2\x80\x9C中\xE2\x80\x9D", 4, false, "\xE2\x80\x9C中\xE2\x80\x9D", 4},
        {"\xE2\x80\x9C中\xE2\x80\x9D", 3, false, "\xE2\x80\x9C…", 2},
        /* controls are substituted, never copied */
        {"\x1b[2Jab", 6, false, "\xE2\x90\x9B[2Jab", 6},
        {"\x1b[2Jab", 4, false, "\xE2\x90\x9B[2…", 4},
        {"a\nb", 3, false, "a\xE2\x90\xA4" "b", 3},
        {"\xFF" "a", 2, false, "\xEF\xBF\xBD" "a", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t used;
        char *got = fit(cases[i].in, cases[i].cols, cases[i].pad, &used);
        if (strcmp(got, cases[i].want) != 0 || used != cases[i].used)
            fail_msg("case %zu: got \"%s\"/%zu, want \"%s\"/%zu", i, got, used, cases[i].want,
                     cases[i].used);
        free(got);
    }
}

/* For every width, the result fits, is valid UTF-8, and with pad is exact;
 * with ambiguous characters narrow (state NULL) and wide. */
static void test_fit_every_width(void **state)
{
    text_set_ambiguous_wide(*state != NULL);
    const char *s = "推进“一网通办”😀 and IPv6，区党政办─│▾\x1b]0;x\a";
    size_t total = text_width(s);
    for (size_t cols = 0; cols <= total + 2; cols++) {
        for (int pad = 0; pad < 2; pad++) {
            size_t used;
            char *got = fit(s, cols, pad, &used);
            assert_true(utf8_valid(got, strlen(got), NULL));
            assert_int_equal(text_width(got), used);
            assert_true(used <= cols);
            assert_false(has_control(got, false));
            if (pad)
                assert_int_equal(used, cols);
            if (cols >= total) {
                assert_null(strstr(got, "…"));
            } else if (cols > 0) {
                /* truncated: ends in … and uses at least cols - 1 columns */
                size_t n = strlen(got);
                while (n && got[n - 1] == ' ')
                    n--;
                if (cols == 1 && text_ambiguous_wide())
                    assert_string_equal(got, ".");   /* a wide … does not fit */
                else
                    assert_true(n >= 3 && memcmp(got + n - 3, "…", 3) == 0);
                assert_true(used + 1 >= cols);
            }
            free(got);
        }
    }
}

/* ---- text_sanitize ---- */

static void test_sanitize(void **state)
{
    (void)state;
    /* ESC -> ␛ (U+241B), BEL -> ␇ (U+2407), DEL -> ␡ (U+2421). */
    assert_sanitize("\x1b]0;pwned\a", 10, TEXT_ONELINE, "␛]0;pwned␇");
    assert_sanitize("a\x7f" "b", 3, TEXT_ONELINE, "a␡b");
    assert_sanitize("\x1b[2J", 4, TEXT_MULTILINE, "␛[2J");
    /* CR, TAB, BS, NUL in the middle of a buffer */
    assert_sanitize("a\rb\tc\bd", 7, TEXT_ONELINE, "a␍b␉c␈d");
    assert_sanitize("a\0b", 3, TEXT_ONELINE, "a␀b");
    /* C1 controls (U+0080-U+009F as UTF-8) -> U+FFFD */
    assert_sanitize("x\xC2\x9B" "31m", 6, TEXT_ONELINE, "x\xEF\xBF\xBD" "31m");
    assert_sanitize("\xC2\x80\xC2\x85\xC2\x9F", 6, TEXT_ONELINE,
                    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* bidi controls -> U+FFFD */
    assert_sanitize("abc\xE2\x80\xAE" "def", 9, TEXT_ONELINE, "abc\xEF\xBF\xBD" "def");
    assert_sanitize("\xE2\x81\xA6\xE2\x80\x8F\xD8\x9C", 8, TEXT_ONELINE,
                    "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* invalid UTF-8: one U+FFFD per bad byte */
    assert_sanitize("a\xFF" "b", 3, TEXT_ONELINE, "a\xEF\xBF\xBD" "b");
    assert_sanitize("\xE4\xB8", 2, TEXT_ONELINE, "\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_sanitize("\xC0\xAF", 2, TEXT_ONELINE, "\xEF\xBF\xBD\xEF\xBF\xBD");
    assert_sanitize("\xED\xA0\x80", 3, TEXT_ONELINE, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    /* LF: kept in multiline mode only (one-line: U+2424) */
    assert_sanitize("a\nb", 3, TEXT_MULTILINE, "a\nb");
    assert_sanitize("a\nb", 3, TEXT_ONELINE, "a␤b");
    assert_sanitize("a\r\nb", 4, TEXT_MULTILINE, "a␍\nb");
    /* ordinary text passes untouched, Chinese, “”, emoji included */
    const char *plain = "推进“一网通办”，😀 ok ～";
    assert_sanitize(plain, strlen(plain), TEXT_ONELINE, plain);
    /* only n bytes are read */
    assert_sanitize("abc", 2, TEXT_ONELINE, "ab");
    /* ASCII substitutes (the dashboard's ASCII mode): one column each */
    text_set_ascii_substitutes(true);
    assert_sanitize("a\x1b[2J\a\nb\x7f\xFF\xC2\x9B中", 15, TEXT_ONELINE, "a^[2J^|b^??中");
    assert_sanitize("a\x1b\nb", 4, TEXT_MULTILINE, "a^\nb");
    assert_int_equal(text_width("a\x1b\n\xFF"), 4);
    strbuf fit = {0};
    text_fit(&fit, "\x1b\x1b\x1b", 3, false);
    assert_string_equal(fit.s, "^^^");
    sb_free(&fit);
    text_set_ascii_substitutes(false);
    assert_sanitize("\x1b", 1, TEXT_ONELINE, "␛");
}

static void test_sanitize_all_bytes(void **state)
{
    (void)state;
    /* Every byte value on its own: never a control in the output. */
    for (int c = 0; c < 256; c++) {
        char in = (char)c;
        char *got = sanitized(&in, 1, TEXT_ONELINE);
        assert_false(has_control(got, false));
        assert_true(utf8_valid(got, strlen(got), NULL));
        free(got);
        got = sanitized(&in, 1, TEXT_MULTILINE);
        assert_false(has_control(got, true));
        free(got);
    }
    /* Every C1 control as UTF-8. */
    for (unsigned cp = 0x80; cp < 0xA0; cp++) {
        char in[4];
        size_t n = utf8_encode(cp, in);
        char *got = sanitized(in, n, TEXT_ONELINE);
        assert_string_equal(got, "\xEF\xBF\xBD");
        free(got);
    }
}

static void test_visible(void **state)
{
    (void)state;
    assert_int_equal(text_visible(0x1B, TEXT_ONELINE), 0x241B);
    assert_int_equal(text_visible(0x07, TEXT_ONELINE), 0x2407);
    assert_int_equal(text_visible('\n', TEXT_ONELINE), 0x2424);
    assert_int_equal(text_visible('\n', TEXT_MULTILINE), '\n');
    assert_int_equal(text_visible('\r', TEXT_MULTILINE), 0x240D);
    assert_int_equal(text_visible(0x7F, TEXT_ONELINE), 0x2421);
    assert_int_equal(text_visible(0x9B, TEXT_ONELINE), 0xFFFD);
    assert_int_equal(text_visible(0x202E, TEXT_ONELINE), 0xFFFD);
    assert_int_equal(text_visible(0x2066, TEXT_ONELINE), 0xFFFD);
    assert_int_equal(text_visible(0x4E2D, TEXT_ONELINE), 0x4E2D);
    assert_int_equal(text_visible(0x201C, TEXT_ONELINE), 0x201C);
}

/* ---- text_wrap ---- */

typedef struct {
    const char *in;
    size_t cols;
    const char *want;
    size_t lines;
} wrap_case;

static void test_wrap_cases(void **state)
{
    (void)state;
    static const wrap_case cases[] = {
        /* by columns: 3 CJK characters in 6 columns */
        {"一二三四五六七", 6, "一二三\n四五六\n七\n", 3},
        {"一二三四五六", 6, "一二三\n四五六\n", 2},
        /* odd width: a wide character is never split */
        {"一二三四", 5, "一二\n三四\n", 2},
        /* ， would start line 2: 三 moves down with it */
        {"一二三，四五", 6, "一二\n三，四\n五\n", 3},
        {"一二三。", 6, "一二\n三。\n", 2},
        /* two closing marks in a row: both stay with a character */
        {"一二三》。四", 6, "一二\n三》。\n四\n", 3},
        {"一二三”，四", 6, "一二\n三”，\n四\n", 3},
        /* 《 would end line 1: it moves down */
        {"一二《三四》", 6, "一二\n《三\n四》\n", 3},
        {"一二（三）", 6, "一二\n（三）\n", 2},
        {"一“二三”", 5, "一“二\n三”\n", 2},
        {"一二“三”", 5, "一二\n“三”\n", 2},
        /* Latin words kept whole where possible */
        {"hello world foo", 8, "hello\nworld\nfoo\n", 3},
        {"hello world", 11, "hello world\n", 1},
        {"a bb ccc dddd", 6, "a bb\nccc\ndddd\n", 3},
        /* long words broken */
        {"abcdefghij", 4, "abcd\nefgh\nij\n", 3},
        {"x abcdefghij", 4, "x\nabcd\nefgh\nij\n", 4},
        /* Latin inside Chinese */
        {"使用IPv6协议", 8, "使用IPv6\n协议\n", 2},
        /* multiline: LF kept as a break, empty lines kept */
        {"a\nb", 10, "a\nb\n", 2},
        {"a\n\nb", 10, "a\n\nb\n", 3},
        {"", 10, "\n", 1},
        /* controls substituted */
        {"\x1b[2J", 10, "␛[2J\n", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t lines;
        char *got = wrap(cases[i].in, cases[i].cols, &lines);
        if (strcmp(got, cases[i].want) != 0 || lines != cases[i].lines)
            fail_msg("case %zu (%s at %zu): got \"%s\"/%zu, want \"%s\"/%zu", i, cases[i].in,
                     cases[i].cols, got, lines, cases[i].want, cases[i].lines);
        free(got);
    }
}

static bool is_opening_cp(uint32_t cp)
{
    return cp == 0x201C || cp == 0x300A || cp == 0xFF08 || cp == 0x300C;
}

/* Item texts at every width from 8 (the longest run that cannot be broken,
 * 例》），, is 8 columns): no line is too wide, none starts with closing or
 * ends with opening punctuation, nothing is lost; with ambiguous characters
 * narrow (state NULL) and wide. */
static void test_wrap_invariants(void **state)
{
    text_set_ambiguous_wide(*state != NULL);
    static const char *const texts[] = {
        "进一步整合优化实体政务大厅“一站式”功能，加快实现“一个窗口”“一次办理”，"
        "推动更多服务事项“一网通办”。推进企业群众办事服务在线“快递式”公开。",
        "贯彻落实好新修订的《中华人民共和国政府信息公开条例》（以下简称《条例》），"
        "做好《条例》的宣传解读工作；加强培训！是否？是：否、是。",
        "依法公开机构改革后各级政府部门机构职能、内设机构等信息。",
    };
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++) {
        for (size_t cols = 8; cols <= 60; cols++) {
            size_t lines;
            char *got = wrap(texts[t], cols, &lines);
            strbuf joined = {0};
            size_t count = 0;
            for (char *line = got, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
                *nl = '\0';
                count++;
                assert_true(text_width(line) <= cols);
                assert_true(*line != '\0');
                uint32_t first, last = 0;
                utf8_decode(line, strlen(line), &first);
                for (const char *c = line; *c;) {
                    c += utf8_decode(c, strlen(c), &last);
                }
                if (text_is_closing(first) || is_opening_cp(last))
                    fail_msg("text %zu at %zu columns: bad line \"%s\"", t, cols, line);
                sb_adds(&joined, line);
            }
            assert_int_equal(count, lines);
            assert_string_equal(joined.s, texts[t]);
            sb_free(&joined);
            free(got);
        }
    }
}

/* ---- East Asian Ambiguous characters: narrow and wide ---- */

static int ambiguous_narrow(void **state)
{
    (void)state;
    text_set_ambiguous_wide(false);
    return 0;
}

static void test_ambiguous_table(void **state)
{
    (void)state;
    /* “ ” … ─ │ ▼ ┌ ┐ ├ ┤ └ ┘ ‘ ’ ※ § ° ×, the first entry, a combining mark,
     * private use and U+FFFD are class A in EastAsianWidth.txt. */
    static const uint32_t a[] = {0x201C, 0x201D, 0x2026, 0x2500, 0x2502, 0x25BC, 0x250C,
                                 0x2510, 0x251C, 0x2524, 0x2514, 0x2518, 0x2018, 0x2019,
                                 0x203B, 0xA7,   0xB0,   0xD7,   0xA1,   0x0301, 0xE000,
                                 0xFFFD, 0x10FFFD};
    for (size_t i = 0; i < sizeof a / sizeof *a; i++)
        if (!text_is_ambiguous(a[i]))
            fail_msg("U+%04X should be ambiguous", (unsigned)a[i]);
    /* ASCII, the code point before the first range, CJK (W), fullwidth
     * forms (F), halfwidth (H), neutral (the small triangles ▾ ▸ the tree
     * uses as fold marks are N, unlike ▼ ▶), emoji, the end of Unicode. */
    static const uint32_t n[] = {'a',    ' ',    '~',    0xA0,    0x4E2D, 0x3000,   0xFF0C,
                                 0xFF61, 0x2E80, 0x00A2, 0x25BE,  0x25B8, 0x1F600, 0x2400,
                                 0x10FFFE, 0x10FFFF};
    for (size_t i = 0; i < sizeof n / sizeof *n; i++)
        if (text_is_ambiguous(n[i]))
            fail_msg("U+%04X should not be ambiguous", (unsigned)n[i]);
}

static void test_ambiguous_width(void **state)
{
    (void)state;
    static const char *const amb[] = {"“", "”", "…", "─", "│", "▼", "┌", "┘"};
    assert_false(text_ambiguous_wide());        /* narrow unless set */
    for (int wide = 0; wide < 2; wide++) {
        text_set_ambiguous_wide(wide);
        assert_int_equal(text_ambiguous_wide(), wide);
        for (size_t i = 0; i < sizeof amb / sizeof *amb; i++) {
            uint32_t cp;
            utf8_decode(amb[i], strlen(amb[i]), &cp);
            if (text_width(amb[i]) != (size_t)(1 + wide) || text_cp_width(cp) != 1 + wide)
                fail_msg("%s in %s mode: %zu columns", amb[i], wide ? "wide" : "narrow",
                         text_width(amb[i]));
        }
        /* CJK, emoji, ASCII and neutral ▾ ▸ are the same in both modes */
        assert_int_equal(text_width("▾▸"), 2);
        assert_int_equal(text_width("中"), 2);
        assert_int_equal(text_cp_width(0x4E2D), 2);
        assert_int_equal(text_width("😀"), 2);
        assert_int_equal(text_width("ab c"), 4);
        assert_int_equal(text_cp_width('a'), 1);
        /* a combining mark (class A) stays zero columns */
        assert_int_equal(text_width("e\xCC\x81"), 1);
        /* a quoted term: 8 columns narrow, 10 wide */
        assert_int_equal(text_width("“一站式”"), wide ? 10 : 8);
        assert_int_equal(text_width("├─ 区党政办 ▼"), wide ? 16 : 13);
        /* a bad byte is U+FFFD, which is class A too */
        assert_int_equal(text_width("\xFF"), 1 + wide);
    }
}

static void test_fit_ambiguous(void **state)
{
    (void)state;
    static const fit_case narrow[] = {
        {"“一站式”", 8, false, "“一站式”", 8},
        {"“一站式”", 7, false, "“一站…", 6},
        {"──────", 4, true, "───…", 4},
        {"中", 1, false, "…", 1},
    };
    static const fit_case wide[] = {
        {"“一站式”", 10, false, "“一站式”", 10},
        {"“一站式”", 8, false, "“一站…", 8},     /* … is 2 columns */
        {"“一站式”", 7, true, "“一… ", 7},
        {"──────", 4, true, "─…", 4},
        {"──────", 5, true, "─… ", 5},
        {"abcd", 3, false, "a…", 3},
        {"abcd", 2, false, "…", 2},
        {"abcd", 1, false, ".", 1},               /* no room for a wide … */
        {"中", 1, true, ".", 1},
        {"│x│", 5, false, "│x│", 5},
    };
    for (int w = 0; w < 2; w++) {
        const fit_case *cases = w ? wide : narrow;
        size_t n = w ? sizeof wide / sizeof *wide : sizeof narrow / sizeof *narrow;
        text_set_ambiguous_wide(w);
        for (size_t i = 0; i < n; i++) {
            size_t used;
            char *got = fit(cases[i].in, cases[i].cols, cases[i].pad, &used);
            if (strcmp(got, cases[i].want) != 0 || used != cases[i].used)
                fail_msg("%s case %zu: got \"%s\"/%zu, want \"%s\"/%zu", w ? "wide" : "narrow",
                         i, got, used, cases[i].want, cases[i].used);
            free(got);
        }
    }
}

static void test_wrap_ambiguous(void **state)
{
    (void)state;
    static const wrap_case narrow[] = {
        {"“一站式”服务", 8, "“一站式”\n服务\n", 2},
        {"──────", 6, "──────\n", 1},
        {"αβγ δεζ", 9, "αβγ δεζ\n", 1},
    };
    static const wrap_case wide[] = {
        /* ” may not start a line: 式 goes down with it */
        {"“一站式”服务", 8, "“一站\n式”服务\n", 2},
        {"──────", 6, "───\n───\n", 2},
        /* Greek letters are wide here, but a Greek word still breaks at
         * its space, not between letters */
        {"αβγ δεζ", 9, "αβγ\nδεζ\n", 2},
    };
    for (int w = 0; w < 2; w++) {
        const wrap_case *cases = w ? wide : narrow;
        size_t n = w ? sizeof wide / sizeof *wide : sizeof narrow / sizeof *narrow;
        text_set_ambiguous_wide(w);
        for (size_t i = 0; i < n; i++) {
            size_t lines;
            char *got = wrap(cases[i].in, cases[i].cols, &lines);
            if (strcmp(got, cases[i].want) != 0 || lines != cases[i].lines)
                fail_msg("%s case %zu (%s at %zu): got \"%s\"/%zu, want \"%s\"/%zu",
                         w ? "wide" : "narrow", i, cases[i].in, cases[i].cols, got, lines,
                         cases[i].want, cases[i].lines);
            free(got);
        }
    }
}

static void test_wrap_narrow(void **state)
{
    (void)state;
    /* Below two columns a line still holds one wide character. */
    size_t lines;
    char *got = wrap("一二", 1, &lines);
    assert_string_equal(got, "一\n二\n");
    assert_int_equal(lines, 2);
    free(got);
    /* All closing punctuation: no way to obey the rule, but no line is
     * wider than cols and nothing is lost or looped on. */
    got = wrap("，，，，，，", 4, &lines);
    assert_string_equal(got, "，，\n，，\n，，\n");
    free(got);
}

static void test_is_closing(void **state)
{
    (void)state;
    static const char *const closing[] = {"，", "。", "、", "；", "：", "？", "！", "）",
                                          "》", "」", "”"};
    for (size_t i = 0; i < sizeof closing / sizeof *closing; i++) {
        uint32_t cp;
        utf8_decode(closing[i], strlen(closing[i]), &cp);
        if (!text_is_closing(cp))
            fail_msg("%s should be closing", closing[i]);
    }
    assert_false(text_is_closing(0x201C));   /* “ */
    assert_false(text_is_closing(0x300A));   /* 《 */
    assert_false(text_is_closing(0x4E2D));
    assert_false(text_is_closing('a'));
}

/* ---- Chinese numerals ---- */

/* One set of blanks, trimmed from both ends: ASCII white space, NBSP,
 * U+3000; nothing inside is touched. */
static void test_trim(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"", ""},
        {" \t\r\n", ""},
        {"\xc2\xa0\xe3\x80\x80", ""},
        {" 甲 ", "甲"},
        {"\xe3\x80\x80区 司法局\xc2\xa0\t", "区 司法局"},
        {"\xc2\xa0\xc2\xa0" "a\xe3\x80\x80\xe3\x80\x80", "a"},
        {"甲\xe3\x80\x80乙", "甲\xe3\x80\x80乙"},
        {"\v\fx\f", "x"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = strlen(cases[i][0]);
        const char *s = text_trim(cases[i][0], &n);
        assert_true(s >= cases[i][0]);
        assert_int_equal(n, strlen(cases[i][1]));
        assert_memory_equal(s, cases[i][1], n);
    }
}

static void test_cn_number(void **state)
{
    (void)state;
    static const struct {
        unsigned n;
        const char *want;
    } cases[] = {
        {1, "一"}, {2, "二"}, {9, "九"}, {10, "十"}, {11, "十一"}, {13, "十三"},
        {19, "十九"}, {20, "二十"}, {21, "二十一"}, {99, "九十九"}, {100, "一百"},
        {101, "一百零一"}, {110, "一百一十"}, {111, "一百一十一"}, {200, "二百"},
        {1000, "一千"}, {1001, "一千零一"}, {1010, "一千零一十"}, {1100, "一千一百"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        strbuf b = {0};
        text_cn_number(&b, cases[i].n);
        if (!b.s || strcmp(b.s, cases[i].want) != 0)
            fail_msg("%u: got \"%s\", want \"%s\"", cases[i].n, b.s ? b.s : "", cases[i].want);
        sb_free(&b);
    }
}

/* ---- id_compare ---- */

static int sign(int x)
{
    return (x > 0) - (x < 0);
}

static void test_id_compare(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        int want;
    } cases[] = {
        {"1.2.9", "1.2.10", -1},
        {"1.2.10", "1.2.9", 1},
        {"1.2.3", "1.2.3", 0},
        {"2", "10", -1},
        {"1.10", "2.1", -1},
        {"1", "1.1", -1},
        {"1.1", "1", 1},
        {"", "1", -1},
        {"", "", 0},
        {"A.1", "A.2", -1},
        {"A.1", "B.1", -1},
        {"a10", "a9", 1},
        {"1.02", "1.2", 1},     /* equal value: fewer leading zeros first */
        {"1.2", "1.02", -1},
        {"x", "1", 1},
        {"99999999999999999999", "100000000000000000000", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int got = sign(id_compare(cases[i].a, cases[i].b));
        if (got != cases[i].want)
            fail_msg("id_compare(\"%s\", \"%s\") = %d, want %d", cases[i].a, cases[i].b, got,
                     cases[i].want);
    }
    /* sorting a shuffled list gives the plan order */
    const char *ids[] = {"1.10.1", "1.2.10", "1.2.9", "10.1.1", "2.1.1", "1.2.1", "1.1.1"};
    const char *want[] = {"1.1.1", "1.2.1", "1.2.9", "1.2.10", "1.10.1", "2.1.1", "10.1.1"};
    size_t n = sizeof ids / sizeof *ids;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && id_compare(ids[j - 1], ids[j]) > 0; j--) {
            const char *t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    for (size_t i = 0; i < n; i++)
        assert_string_equal(ids[i], want[i]);
}

/* ---- diagnostics and buffers (util.c), used by every message ---- */

static void test_diags_format(void **state)
{
    (void)state;
    diags d = {0};
    diags_add(&d, DIAG_ERROR, "plan.yaml", 12, 9, "item has no text");
    diags_add(&d, DIAG_WARNING, "plan.yaml", 3, 0, "unknown key \"%s\"", "x");
    diags_add(&d, DIAG_ERROR, "plan.yaml", 0, 0, "cannot open");
    diags_add(&d, DIAG_ERROR, NULL, 0, 0, "no item has the id \"%s\"", "\x1b[2J\a\r");
    diags_add(&d, DIAG_ERROR, "bad\x1b" "name", 1, 2, "x");
    assert_int_equal(d.n, 5);
    assert_int_equal(d.errors, 4);
    assert_string_equal(d.v[0].text, "plan.yaml:12:9: error: item has no text");
    assert_string_equal(d.v[1].text, "plan.yaml:3:1: warning: unknown key \"x\"");
    assert_string_equal(d.v[2].text, "plan.yaml: error: cannot open");
    assert_string_equal(d.v[3].text, "plandash: error: no item has the id \"␛[2J␇␍\"");
    assert_string_equal(d.v[4].text, "bad␛name:1:2: error: x");
    diags_clear(&d);
    assert_int_equal(d.n, 0);
    assert_int_equal(d.errors, 0);
    diags_free(&d);
}

static void test_strbuf(void **state)
{
    (void)state;
    strbuf b = {0};
    char *empty = sb_steal(&b);
    assert_string_equal(empty, "");
    free(empty);
    for (int i = 0; i < 1000; i++)
        sb_addf(&b, "%d,", i);
    char big[600];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    sb_addf(&b, "%s", big);     /* longer than sb_vaddf's stack buffer */
    assert_int_equal(b.len, strlen(b.s));
    assert_int_equal(memcmp(b.s, "0,1,2,", 6), 0);
    assert_string_equal(b.s + b.len - 3, "xxx");
    sb_reset(&b);
    assert_int_equal(b.len, 0);
    assert_string_equal(b.s, "");
    sb_free(&b);
    char *s = xasprintf("%s-%u", "a", 7u);
    assert_string_equal(s, "a-7");
    free(s);
}

static void test_strmap_arena(void **state)
{
    (void)state;
    arena a = {0};
    strmap m = {0};
    char buf[32];
    for (uint32_t i = 0; i < 5000; i++) {
        int n = snprintf(buf, sizeof buf, "k%u", i);
        assert_true(strmap_put(&m, arena_strndup(&a, buf, (size_t)n), i, NULL));
    }
    uint32_t v, old;
    assert_false(strmap_put(&m, "k42", 9, &old));
    assert_int_equal(old, 42);
    for (uint32_t i = 0; i < 5000; i += 7) {
        snprintf(buf, sizeof buf, "k%u", i);
        assert_true(strmap_get(&m, buf, &v));
        assert_int_equal(v, i);
    }
    assert_false(strmap_get(&m, "nope", &v));
    /* a string bigger than an arena block */
    char *big = arena_alloc(&a, 200000);
    memset(big, 1, 200000);
    strmap_free(&m);
    arena_free(&a);
    strmap empty = {0};
    assert_false(strmap_get(&empty, "x", &v));
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_decode),
        cmocka_unit_test(test_utf8_encode_round_trip),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_width),
        cmocka_unit_test(test_cp_width),
        cmocka_unit_test(test_fit),
        cmocka_unit_test_prestate(test_fit_every_width, NULL),
        cmocka_unit_test_prestate_setup_teardown(test_fit_every_width, NULL, ambiguous_narrow,
                                                 (void *)"wide"),
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_sanitize_all_bytes),
        cmocka_unit_test(test_visible),
        cmocka_unit_test(test_wrap_cases),
        cmocka_unit_test_prestate(test_wrap_invariants, NULL),
        cmocka_unit_test_prestate_setup_teardown(test_wrap_invariants, NULL, ambiguous_narrow,
                                                 (void *)"wide"),
        cmocka_unit_test_teardown(test_ambiguous_table, ambiguous_narrow),
        cmocka_unit_test_teardown(test_ambiguous_width, ambiguous_narrow),
        cmocka_unit_test_teardown(test_fit_ambiguous, ambiguous_narrow),
        cmocka_unit_test_teardown(test_wrap_ambiguous, ambiguous_narrow),
        cmocka_unit_test(test_wrap_narrow),
        cmocka_unit_test(test_is_closing),
        cmocka_unit_test(test_cn_number),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_id_compare),
        cmocka_unit_test(test_diags_format),
        cmocka_unit_test(test_strbuf),
        cmocka_unit_test(test_strmap_arena),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
