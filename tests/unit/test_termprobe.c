/* test_termprobe.c - the cursor position report parser, the
 * PLANDASH_AMBIGUOUS policy, the ASCII decision and the help labels (the
 * probe itself runs in a pty: tests/cli/terminal.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "termprobe.h"

static int parse(const char *s, int *row, int *col)
{
    *row = *col = -7;
    return termprobe_parse_cpr((const unsigned char *)s, strlen(s), row, col);
}

static void test_parse_cpr(void **state)
{
    (void)state;
    int row, col;
    assert_int_equal(parse("\033[12;3R", &row, &col), 7);
    assert_int_equal(row, 12);
    assert_int_equal(col, 3);
    assert_int_equal(parse("\033[1;2Rjk", &row, &col), 6);
    assert_int_equal(col, 2);
    /* Prefixes may still become a reply. */
    assert_int_equal(parse("\033", &row, &col), -1);
    assert_int_equal(parse("\033[", &row, &col), -1);
    assert_int_equal(parse("\033[12", &row, &col), -1);
    assert_int_equal(parse("\033[12;", &row, &col), -1);
    assert_int_equal(parse("\033[12;3", &row, &col), -1);
    assert_int_equal(col, -7);
    /* Anything else is not one. */
    assert_int_equal(parse("j", &row, &col), 0);
    assert_int_equal(parse("\033O", &row, &col), 0);
    assert_int_equal(parse("\033[A", &row, &col), 0);
    assert_int_equal(parse("\033[;3R", &row, &col), 0);
    assert_int_equal(parse("\033[1;R", &row, &col), 0);
    assert_int_equal(parse("\033[1;2~", &row, &col), 0);
    assert_int_equal(parse("\033[1:2R", &row, &col), 0);
    assert_int_equal(parse("\033[123456;2R", &row, &col), 0);
}

static void test_policy(void **state)
{
    (void)state;
    termprobe_mode m = termprobe_policy(NULL, TERMPROBE_UNKNOWN);
    assert_false(m.wide);
    assert_int_equal(m.reason, TERMPROBE_DEFAULT);
    m = termprobe_policy(NULL, TERMPROBE_WIDE);
    assert_true(m.wide);
    assert_int_equal(m.reason, TERMPROBE_DETECTED);
    m = termprobe_policy("", TERMPROBE_NARROW);
    assert_false(m.wide);
    assert_int_equal(m.reason, TERMPROBE_DETECTED);
    assert_false(m.bad_setting);
    /* The setting wins over what was detected. */
    m = termprobe_policy("wide", TERMPROBE_NARROW);
    assert_true(m.wide);
    assert_int_equal(m.reason, TERMPROBE_SET);
    m = termprobe_policy("NARROW", TERMPROBE_WIDE);
    assert_false(m.wide);
    assert_int_equal(m.reason, TERMPROBE_SET);
    /* A bad setting is reported and ignored. */
    m = termprobe_policy("2", TERMPROBE_WIDE);
    assert_true(m.wide);
    assert_true(m.bad_setting);
    assert_int_equal(m.reason, TERMPROBE_DETECTED);
}

static void test_labels(void **state)
{
    (void)state;
    termprobe_mode m = termprobe_policy("wide", TERMPROBE_UNKNOWN);
    assert_non_null(strstr(termprobe_label(&m), "wide (set)"));
    assert_non_null(strstr(termprobe_label(&m), "宽"));
    m = termprobe_policy(NULL, TERMPROBE_WIDE);
    assert_non_null(strstr(termprobe_label(&m), "wide (detected)"));
    assert_non_null(strstr(termprobe_label(&m), "检测"));
    m = termprobe_policy(NULL, TERMPROBE_NARROW);
    assert_non_null(strstr(termprobe_label(&m), "narrow (detected)"));
    m = termprobe_policy(NULL, TERMPROBE_UNKNOWN);
    assert_non_null(strstr(termprobe_label(&m), "narrow (default)"));
    assert_non_null(strstr(termprobe_label(&m), "默认"));
}

static void test_ascii(void **state)
{
    (void)state;
    assert_false(termprobe_ascii(NULL, "xterm-256color"));
    assert_false(termprobe_ascii(NULL, NULL));
    assert_false(termprobe_ascii("", "screen"));
    assert_true(termprobe_ascii("1", "xterm-256color"));
    assert_true(termprobe_ascii("yes", NULL));
    assert_false(termprobe_ascii("0", "linux"));   /* 0 says no, whatever TERM */
    assert_true(termprobe_ascii(NULL, "linux"));
    assert_true(termprobe_ascii(NULL, "vt100"));
    assert_true(termprobe_ascii(NULL, "vt220-am"));
    assert_true(termprobe_ascii(NULL, "dumb"));
    assert_false(termprobe_ascii(NULL, "vt1000"));
    assert_false(termprobe_ascii(NULL, "linux16"));
    assert_false(termprobe_ascii(NULL, "tmux-256color"));
}

static void test_not_a_terminal(void **state)
{
    (void)state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    termprobe_stray stray = {.n = 5};
    assert_int_equal(termprobe_ambiguous(p[0], p[1], 100, &stray), TERMPROBE_UNKNOWN);
    assert_int_equal(stray.n, 0);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_cpr),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_labels),
        cmocka_unit_test(test_ascii),
        cmocka_unit_test(test_not_a_terminal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
