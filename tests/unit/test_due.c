/* test_due.c - 完成时限: due words read as dates or ongoing (due.c), the
 * nearest level's due on items and the due states (plan.c). */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "due.h"
#include "plan.h"

/* The kind of words with the plan's year, and the date as YYYYMMDD. */
static int parse(const char *w, int year, uint32_t *ymd)
{
    return due_parse(w, year, ymd);
}

static void expect_date(const char *w, int year, uint32_t want)
{
    uint32_t ymd = 1;
    int k = parse(w, year, &ymd);
    if (k != DUE_DATE || ymd != want)
        fail_msg("\"%s\" (year %d): kind %d, date %u; want %u", w, year, k, ymd, want);
}

static void expect_kind(const char *w, int year, int want)
{
    uint32_t ymd = 1;
    int k = parse(w, year, &ymd);
    if (k != want || ymd != 0)
        fail_msg("\"%s\" (year %d): kind %d, date %u; want kind %d", w, year, k, ymd, want);
}

static void test_issue_forms(void **state)
{
    (void)state;
    expect_date("2019年底前", 0, 20191231);
    expect_date("2019年9月底前", 0, 20190930);
    expect_date("9月底前", 2019, 20190930);
    expect_date("10月15日前", 2019, 20191015);
    expect_date("2019-10-31", 0, 20191031);
    expect_date("年底前", 2019, 20191231);
    expect_kind("持续推进", 2019, DUE_ONGOING);
    expect_kind("长期坚持", 2019, DUE_ONGOING);
    expect_kind("每季度", 2019, DUE_ONGOING);
    expect_kind("常态化开展", 2019, DUE_ONGOING);
    expect_kind("长期", 0, DUE_ONGOING);
    expect_kind("持续", 0, DUE_ONGOING);
    expect_kind("每年12月底前", 2019, DUE_ONGOING);   /* recurring, though it names a date */
}

static void test_year_from_words_first(void **state)
{
    (void)state;
    expect_date("2020年3月底前", 2019, 20200331);   /* the words' year wins */
    expect_date("2020-01-05", 2019, 20200105);
    expect_date("10月15日前", 2021, 20211015);
    expect_kind("9月底前", 0, DUE_NOYEAR);
    expect_kind("年底前", 0, DUE_NOYEAR);
    expect_kind("10月15日前", 0, DUE_NOYEAR);
}

static void test_variants(void **state)
{
    (void)state;
    expect_date("2019年12月31日前", 0, 20191231);
    expect_date("2019年10月15日", 0, 20191015);
    expect_date("2019年10月15号之前", 0, 20191015);
    expect_date("2019年9月底", 0, 20190930);
    expect_date("2019年9月底前完成", 0, 20190930);
    expect_date("2019年上半年", 0, 20190630);
    expect_date("2019年年底前", 0, 20191231);
    expect_date("2019年内", 0, 20191231);
    expect_date("十月十五日前", 2019, 20191015);
    expect_date("十二月底前", 2019, 20191231);
    expect_date("二〇一九年九月底前", 0, 20190930);
    expect_date("２０１９年９月底前", 0, 20190930);
    expect_date(" 2019-10-31 ", 0, 20191031);
    expect_date("2019/10/31", 0, 20191031);
    expect_date("2019年9月", 0, 20190930);
}

static void test_month_ends_and_leap_years(void **state)
{
    (void)state;
    static const uint32_t ends[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    char w[64];
    for (int m = 1; m <= 12; m++) {
        snprintf(w, sizeof w, "2019年%d月底前", m);
        expect_date(w, 0, 20190000u + (uint32_t)m * 100 + ends[m - 1]);
    }
    expect_date("2020年2月底前", 0, 20200229);   /* leap year */
    expect_date("2月底前", 2024, 20240229);
    expect_date("2100年2月底前", 0, 21000228);   /* not leap: by 100 */
    expect_date("2000年2月底前", 0, 20000229);   /* leap: by 400 */
    expect_date("2020-02-29", 0, 20200229);
    expect_kind("2019-02-29", 0, DUE_UNKNOWN);  /* no such day */
    expect_kind("2月29日前", 2019, DUE_UNKNOWN);
    expect_kind("2019年4月31日前", 0, DUE_UNKNOWN);
    expect_kind("13月底前", 2019, DUE_UNKNOWN);
    expect_kind("2019-13-01", 0, DUE_UNKNOWN);
}

static void test_unknown(void **state)
{
    (void)state;
    expect_kind("尽快", 2019, DUE_UNKNOWN);
    expect_kind("按上级要求", 2019, DUE_UNKNOWN);
    expect_kind("2019年9月底前后", 0, DUE_UNKNOWN);
    expect_kind("", 2019, DUE_NONE);
    expect_kind(NULL, 2019, DUE_NONE);
}

static void test_dates(void **state)
{
    (void)state;
    assert_int_equal(due_year_of("2019-07-26"), 2019);
    assert_int_equal(due_year_of("2019年7月"), 2019);
    assert_int_equal(due_year_of("七月"), 0);
    assert_int_equal(due_year_of(NULL), 0);
    assert_int_equal(due_ymd_parse("2026-12-01"), 20261201);
    assert_int_equal(due_ymd_parse("2026-2-01"), 0);
    assert_int_equal(due_ymd_parse("2026-02-30"), 0);
    assert_int_equal(due_ymd_parse("today"), 0);
    assert_int_equal(due_days(19700101), 0);
    assert_int_equal(due_days(20000301) - due_days(20000228), 2);
    assert_int_equal(due_days(20190301) - due_days(20190228), 1);
    setenv("PLANDASH_TODAY", "2019-10-10", 1);
    bool bad = true;
    assert_int_equal(due_today(&bad), 20191010);
    assert_false(bad);
    setenv("PLANDASH_TODAY", "2019-10-32", 1);
    assert_int_not_equal(due_today(&bad), 0);
    assert_true(bad);
    unsetenv("PLANDASH_TODAY");
}

static void test_states(void **state)
{
    (void)state;
    uint32_t today = 20191010;
    assert_int_equal(due_state(true, DUE_DATE, 20190101, today), DUE_S_DONE);
    assert_int_equal(due_state(false, DUE_DATE, 20191009, today), DUE_S_OVERDUE);
    assert_int_equal(due_state(false, DUE_DATE, 20191010, today), DUE_S_SOON);  /* today */
    assert_int_equal(due_state(false, DUE_DATE, 20191024, today), DUE_S_SOON);  /* 14 days */
    assert_int_equal(due_state(false, DUE_DATE, 20191025, today), DUE_S_OPEN);
    assert_int_equal(due_state(false, DUE_ONGOING, 0, today), DUE_S_ONGOING);
    assert_int_equal(due_state(false, DUE_NONE, 0, today), DUE_S_ONGOING);
    assert_int_equal(due_state(false, DUE_UNKNOWN, 0, today), DUE_S_ONGOING);
    /* across a year's end */
    assert_int_equal(due_state(false, DUE_DATE, 20200105, 20191231), DUE_S_SOON);
    assert_string_equal(due_state_word(DUE_S_SOON), "due_soon");
    assert_string_equal(due_state_word(DUE_S_OVERDUE), "overdue");
}

static void test_short(void **state)
{
    (void)state;
    strbuf b = {0};
    due_short(&b, "2019年12月底前", DUE_DATE, 20191231);
    assert_string_equal(b.s, "12-31");
    sb_reset(&b);
    due_short(&b, "持续推进", DUE_ONGOING, 0);
    assert_string_equal(b.s, "持续");
    sb_reset(&b);
    due_short(&b, "长期坚持", DUE_ONGOING, 0);
    assert_string_equal(b.s, "长期");
    sb_reset(&b);
    due_short(&b, "每季度", DUE_ONGOING, 0);
    assert_string_equal(b.s, "定期");
    sb_reset(&b);
    due_iso(&b, 20190930);
    assert_string_equal(b.s, "2019-09-30");
    sb_free(&b);
}

static const char levels_yaml[] =
    "title: 方案\n"
    "date: 2019-03-01\n"
    "due: 年底前\n"
    "goals:\n"
    "  - title: 目标一\n"
    "    due: 9月底前\n"
    "    tasks:\n"
    "      - title: 任务一\n"
    "        due: 持续推进\n"
    "        items:\n"
    "          - text: 甲\n"
    "            lead: 区甲局\n"
    "          - text: 乙\n"
    "            lead: 区甲局\n"
    "            due: 6月底前\n"
    "      - title: 任务二\n"
    "        items:\n"
    "          - text: 丙\n"
    "            lead: [区甲局, 区乙局]\n"
    "            responsible: 区乙局\n"
    "  - title: 目标二\n"
    "    tasks:\n"
    "      - title: 任务三\n"
    "        items:\n"
    "          - text: 丁\n"
    "            lead: 区乙局\n"
    "          - text: 戊\n"
    "            lead: 区乙局\n"
    "            due: 尽快\n";

static void test_levels(void **state)
{
    (void)state;
    diags d = {0};
    plan *p = plan_parse("levels.yaml", levels_yaml, sizeof levels_yaml - 1, &d);
    assert_non_null(p);
    /* the nearest level wins */
    assert_string_equal(p->items[0].due, "持续推进");
    assert_int_equal(p->items[0].due_kind, DUE_ONGOING);
    assert_string_equal(p->items[1].due, "6月底前");
    assert_int_equal(p->items[1].due_ymd, 20190630);
    assert_string_equal(p->items[2].due, "9月底前");
    assert_int_equal(p->items[2].due_ymd, 20190930);
    assert_string_equal(p->items[3].due, "年底前");
    assert_int_equal(p->items[3].due_ymd, 20191231);
    assert_int_equal(p->items[4].due_kind, DUE_UNKNOWN);
    /* one warning, at the words */
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.n, 1);
    assert_non_null(strstr(d.v[0].text, "levels.yaml:29:18: warning: due \"尽快\" is neither a date"));

    p->today = 20191001;
    plan_recount(p);
    assert_int_equal(p->items[1].due_state, DUE_S_OVERDUE);
    assert_int_equal(p->items[2].due_state, DUE_S_OVERDUE);
    assert_int_equal(p->items[3].due_state, DUE_S_OPEN);
    assert_int_equal(p->overdue, 2);
    assert_int_equal(p->goals[0].overdue, 2);
    assert_int_equal(p->tasks[0].overdue, 1);
    assert_int_equal(p->tasks[1].overdue, 1);
    assert_int_equal(p->goals[1].overdue, 0);
    uint32_t a, b;
    assert_true(strmap_get(&p->unit_names, "区甲局", &a));
    assert_true(strmap_get(&p->unit_names, "区乙局", &b));
    assert_int_equal(p->units[a].overdue, 2);
    assert_int_equal(p->units[b].overdue, 1);   /* lead and responsible: once */
    p->today = 20191225;
    plan_recount(p);
    assert_int_equal(p->items[3].due_state, DUE_S_SOON);
    assert_int_equal(p->soon, 1);
    p->items[1].done = true;
    plan_recount(p);
    assert_int_equal(p->items[1].due_state, DUE_S_DONE);
    assert_int_equal(p->overdue, 1);
    plan_free(p);
    diags_free(&d);
}

static time_t fake_now;

static time_t fake_clock(void)
{
    return fake_now;
}

/* A dashboard open past midnight: today follows the local date (the tick
 * calls plan_set_today(p, due_today(NULL))) and the due states with it;
 * PLANDASH_TODAY still fixes it. */
static void test_midnight(void **state)
{
    (void)state;
    setenv("TZ", "CST-8", 1);   /* POSIX form: no tzdata needed */
    tzset();
    unsetenv("PLANDASH_TODAY");
    diags d = {0};
    plan *p = plan_parse("levels.yaml", levels_yaml, sizeof levels_yaml - 1, &d);
    assert_non_null(p);
    due_set_clock(fake_clock);
    fake_now = 1561910399;   /* 2019-06-30T23:59:59+08:00 */
    assert_int_equal(due_today(NULL), 20190630);
    plan_set_today(p, due_today(NULL));
    assert_int_equal(p->items[1].due_state, DUE_S_SOON);   /* 6月底前: today */
    assert_int_equal(p->overdue, 0);
    assert_false(plan_set_today(p, due_today(NULL)));      /* the same day: nothing */
    fake_now += 1;                                          /* 2019-07-01T00:00:00 */
    assert_int_equal(due_today(NULL), 20190701);
    assert_true(plan_set_today(p, due_today(NULL)));
    assert_int_equal(p->today, 20190701);
    assert_int_equal(p->items[1].due_state, DUE_S_OVERDUE);
    assert_int_equal(p->overdue, 1);
    setenv("PLANDASH_TODAY", "2019-06-30", 1);             /* fixed: stays */
    assert_true(plan_set_today(p, due_today(NULL)));
    fake_now += 86400 * 3;
    assert_false(plan_set_today(p, due_today(NULL)));
    assert_int_equal(p->items[1].due_state, DUE_S_SOON);
    unsetenv("PLANDASH_TODAY");
    due_set_clock(NULL);
    plan_free(p);
    diags_free(&d);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_issue_forms),
        cmocka_unit_test(test_year_from_words_first),
        cmocka_unit_test(test_variants),
        cmocka_unit_test(test_month_ends_and_leap_years),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_states),
        cmocka_unit_test(test_short),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_midnight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
