/* fuzz_text - text_width, text_fit, text_wrap, text_sanitize and the UTF-8
 * codec on arbitrary bytes and widths.
 *
 * Input: byte 0 is the width in columns (0-255), byte 1 holds flags (bit 0:
 * pad in text_fit), the rest is the text.  Invariants checked:
 *   - sanitised text (both modes) is harmless (fuzz_harmless; LF only in
 *     multi-line mode), and sanitising it again changes nothing;
 *   - text_width(s) is the width of s sanitised;
 *   - text_fit: returns the width of what it appended, at most cols (exactly
 *     cols with pad), valid harmless UTF-8, the whole text when it fits,
 *     else a prefix ending in the ellipsis;
 *   - text_wrap: every line at most max(cols, 2) columns, the count it
 *     returns is the number of lines, harmless output, and nothing but
 *     spaces lost or added (line breaks aside);
 *   - utf8_decode steps through any bytes, and valid text re-encodes to
 *     itself. */
#include "fuzz.h"

#include <stdbool.h>

#include "text.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_locale();
    return 0;
}

/* Display width of s[0..n) (sanitised text: each code point as wcwidth). */
static size_t width_of(const char *s, size_t n)
{
    strbuf b = {0};
    sb_add(&b, s, n);
    size_t w = text_width(b.s ? b.s : "");
    sb_free(&b);
    return w;
}

static void check_codec(const char *s, size_t n)
{
    bool valid = utf8_valid(s, n, NULL);
    strbuf again = {0};
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = utf8_decode(s + i, n - i, &cp);
        FUZZ_CHECK(k >= 1 && k <= 4 && k <= n - i);
        FUZZ_CHECK(cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF));
        char buf[4];
        size_t e = utf8_encode(cp, buf);
        FUZZ_CHECK(e >= 1 && e <= 4);
        if (valid)
            FUZZ_CHECK(e == k && memcmp(buf, s + i, k) == 0);
        sb_add(&again, buf, e);
        i += k;
    }
    /* Whatever went in, what the decoder yields re-encodes as valid UTF-8. */
    FUZZ_CHECK(utf8_valid(again.s ? again.s : "", again.len, NULL));
    sb_free(&again);
}

static void check_sanitize(const char *s, size_t n, int mode)
{
    strbuf a = {0}, b = {0};
    text_sanitize(&a, s, n, mode);
    FUZZ_CHECK(fuzz_harmless(a.s ? a.s : "", a.len, mode == TEXT_MULTILINE ? "\n" : ""));
    text_sanitize(&b, a.s ? a.s : "", a.len, mode);
    FUZZ_CHECK(a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0));
    sb_free(&a);
    sb_free(&b);
}

static void check_fit(const char *s, size_t cols, bool pad)
{
    strbuf out = {0}, clean = {0};
    sb_adds(&out, "#");   /* text_fit appends: what was there stays */
    size_t used = text_fit(&out, s, cols, pad);
    FUZZ_CHECK(out.s[0] == '#');
    const char *o = out.s + 1;
    size_t on = out.len - 1;
    FUZZ_CHECK(fuzz_harmless(o, on, ""));
    FUZZ_CHECK(used <= cols);
    FUZZ_CHECK(width_of(o, on) == used);
    if (pad)
        FUZZ_CHECK(used == cols);
    text_sanitize(&clean, s, strlen(s), TEXT_ONELINE);
    size_t w = text_width(s);
    if (w <= cols) {
        /* It fits: the whole text, then only padding. */
        FUZZ_CHECK(on >= clean.len && (clean.len == 0 || memcmp(o, clean.s, clean.len) == 0));
        for (size_t i = clean.len; i < on; i++)
            FUZZ_CHECK(o[i] == ' ');
    } else if (cols > 0) {
        /* Cut: a prefix of the text, the ellipsis (the last one: the text
         * may hold others), then padding. */
        const char *ell = NULL;
        for (size_t i = 0; i + 3 <= on; i++)
            if (memcmp(o + i, "\xe2\x80\xa6", 3) == 0)
                ell = o + i;
        FUZZ_CHECK(ell != NULL);
        size_t pre = (size_t)(ell - o);
        FUZZ_CHECK(pre <= clean.len && (pre == 0 || memcmp(o, clean.s, pre) == 0));
        for (size_t i = pre + 3; i < on; i++)
            FUZZ_CHECK(o[i] == ' ');
    }
    /* With cols == 0, only zero-width characters (U+FEFF...) fit: used is
     * 0 and so is the width of what was appended (checked above). */
    sb_free(&out);
    sb_free(&clean);
}

/* s without spaces and line feeds. */
static void squeeze(strbuf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\n')
            sb_addc(out, s[i]);
}

static void check_wrap(const char *s, size_t cols)
{
    strbuf out = {0};
    size_t lines = text_wrap(&out, s, cols);
    size_t lim = cols < 2 ? 2 : cols;
    const char *o = out.s ? out.s : "";
    FUZZ_CHECK(fuzz_harmless(o, out.len, "\n"));
    FUZZ_CHECK(lines >= 1);
    FUZZ_CHECK(out.len > 0 && o[out.len - 1] == '\n');
    size_t nl = 0, start = 0;
    for (size_t i = 0; i < out.len; i++)
        if (o[i] == '\n') {
            FUZZ_CHECK(width_of(o + start, i - start) <= lim);
            /* no trailing space on a line */
            FUZZ_CHECK(i == start || o[i - 1] != ' ');
            nl++;
            start = i + 1;
        }
    FUZZ_CHECK(nl == lines);
    /* Nothing but spaces (and where lines break) changes. */
    strbuf clean = {0}, a = {0}, b = {0};
    text_sanitize(&clean, s, strlen(s), TEXT_MULTILINE);
    squeeze(&a, clean.s ? clean.s : "", clean.len);
    squeeze(&b, o, out.len);
    FUZZ_CHECK(a.len == b.len && (a.len == 0 || memcmp(a.s, b.s, a.len) == 0));
    sb_free(&clean);
    sb_free(&a);
    sb_free(&b);
    sb_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t cols = data[0];
    bool pad = data[1] & 1;
    const char *raw = (const char *)data + 2;
    size_t n = size - 2;
    char *s = fuzz_cstr(data + 2, n);

    check_codec(raw, n);
    check_sanitize(raw, n, TEXT_ONELINE);
    check_sanitize(raw, n, TEXT_MULTILINE);

    strbuf clean = {0};
    text_sanitize(&clean, s, strlen(s), TEXT_ONELINE);
    FUZZ_CHECK(text_width(s) == width_of(clean.s ? clean.s : "", clean.len));
    sb_free(&clean);

    check_fit(s, cols, pad);
    check_wrap(s, cols);

    strbuf num = {0};
    text_cn_number(&num, (unsigned)data[0] << 8 | data[1]);
    FUZZ_CHECK(num.len > 0 && fuzz_harmless(num.s, num.len, ""));
    sb_free(&num);
    free(s);
    return 0;
}
