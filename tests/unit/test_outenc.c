/* test_outenc.c - UTF-8 to another codeset with '?' for what it lacks (the
 * stream and the locale switch run in tests/cli/locale.sh). */
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "outenc.h"

/* s converted to `to`, then back to UTF-8 (NULL if there is no way). */
static char *round_trip(const char *to, const char *s)
{
    strbuf b = {0};
    if (!outenc_convert(&b, to, s, strlen(s)))
        return NULL;
    iconv_t cd = iconv_open("UTF-8", to);
    assert_true(cd != (iconv_t)-1);
    char *in = b.s ? b.s : (char *)"", out[512], *op = out;
    size_t il = b.len, ol = sizeof out - 1;
    assert_int_not_equal(iconv(cd, &in, &il, &op, &ol), (size_t)-1);
    *op = 0;
    iconv_close(cd);
    sb_free(&b);
    return strdup(out);
}

static void check(const char *to, const char *in, const char *want)
{
    char *got = round_trip(to, in);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

static void test_gb18030(void **state)
{
    (void)state;
    /* GB18030 holds all of Unicode. */
    check("GB18030", "“一站式”…─│😀𠀀", "“一站式”…─│😀𠀀");
    strbuf b = {0};
    assert_true(outenc_convert(&b, "GB18030", "政务", strlen("政务")));
    assert_int_equal(b.len, 4);
    assert_memory_equal(b.s, "\xD5\xFE\xCE\xF1", 4);
    sb_free(&b);
}

static void test_gbk_substitutes(void **state)
{
    (void)state;
    check("GBK", "“一站式”", "“一站式”");
    check("GBK", "罕见字𠀀与表情😀", "罕见字?与表情?");
    check("ASCII", "a“b”c", "a?b?c");
    check("ISO-8859-1", "café 一", "café ?");
}

static void test_not_utf8(void **state)
{
    (void)state;
    /* Bytes that are not UTF-8 are one '?' each (as text.c counts them),
     * never copied raw. */
    check("GB18030", "a\xFF" "b\xE4\xB8" "c", "a?b??c");
    check("GBK", "\x80\x80", "??");
    /* A character cut at the end. */
    check("GB18030", "一\xE4", "一?");
}

static void test_no_such_codeset(void **state)
{
    (void)state;
    strbuf b = {0};
    assert_false(outenc_convert(&b, "NO-SUCH-CODESET-42", "x", 1));
    assert_int_equal(b.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gb18030),
        cmocka_unit_test(test_gbk_substitutes),
        cmocka_unit_test(test_not_utf8),
        cmocka_unit_test(test_no_such_codeset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
