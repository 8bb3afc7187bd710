/* test_units.c - unit names: splitting, pinyin data, query matching, search
 * over a plan with groups. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "pinyin.h"
#include "plan.h"
#include "unitname.h"
#include "units.h"
#include "util.h"

/* ---- unitname_split ---- */

typedef struct {
    const char *in;
    const char *want;   /* the names joined with '|' */
} split_case;

static const split_case split_cases[] = {
    {"区党政办、各镇（街道），区各有关部门", "区党政办|各镇（街道）|区各有关部门"},
    {"甲,乙;丙；丁、戊，己", "甲|乙|丙|丁|戊|己"},
    {"  甲 、\xE3\x80\x80乙\xE3\x80\x80 ", "甲|乙"},
    {"\t甲\n;\r\n乙\f", "甲|乙"},
    {"、、甲，，；;", "甲"},
    {"", ""},
    {" \xE3\x80\x80 ", ""},
    {"甲、乙等", "甲|乙等"},
    {"区IPv6 办公室", "区IPv6 办公室"},
    {"春江镇", "春江镇"},
    /* brackets keep a name whole; 。 and brackets around the cell go */
    {"各县（市、区）政府", "各县（市、区）政府"},
    {"各县(市,区)政府、市财政局", "各县(市,区)政府|市财政局"},
    {"〔甲、乙〕丙，【丁，戊】己；《庚、辛》「壬、癸」", "〔甲、乙〕丙|【丁，戊】己|《庚、辛》「壬、癸」"},
    {"区党政办、区审计局。", "区党政办|区审计局"},
    {"区党政办。、区审计局 。。", "区党政办|区审计局"},
    {"【区党政办，区审计局】", "区党政办|区审计局"},
    {" （甲、乙）。", "甲|乙"},
    {"【甲】、【乙】", "【甲】|【乙】"},
    {"（甲）乙、丙", "（甲）乙|丙"},
    {"甲（乙、丙", "甲（乙、丙"},
    {"甲）、乙", "甲）|乙"},
    {"（（甲、乙）", "（（甲、乙）"},
    {"。", ""},
};

/* ---- role words left on a name ---- */

typedef struct {
    const char *name, *unit, *words, *field;   /* unit NULL: none */
} role_case;

static const role_case role_cases[] = {
    {"市发改委牵头落实", "市发改委", "牵头落实", "lead:"},
    {"市发改委牵头", "市发改委", "牵头", "lead:"},
    {"市民政局按职责分工分别落实", "市民政局", "按职责分工分别落实", "each: true"},
    {"区党政办分别牵头", "区党政办", "分别牵头", "each: true"},
    {"功能区管委会负责落实", "功能区管委会", "负责落实", "responsible:"},
    {"市财政局配合", "市财政局", "配合", "support:"},
    {"市财政局协助", "市财政局", "协助", "support:"},
    {"市发改委", NULL, NULL, NULL},
    {"牵头", NULL, NULL, NULL},
    {"各镇（街道）", NULL, NULL, NULL},
};

static void test_role_words(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof role_cases / sizeof *role_cases; i++) {
        const role_case *c = &role_cases[i];
        size_t ul = 0;
        const char *words = NULL, *field = NULL;
        bool got = unitname_role_words(c->name, strlen(c->name), &ul, &words, &field);
        if (!c->unit) {
            assert_false(got);
            continue;
        }
        assert_true(got);
        assert_int_equal(ul, strlen(c->unit));
        assert_memory_equal(c->name, c->unit, ul);
        assert_string_equal(words, c->words);
        assert_string_equal(field, c->field);
    }
}

static void split_join(void *ctx, const char *name, size_t len)
{
    strbuf *b = ctx;
    if (b->len)
        sb_addc(b, '|');
    sb_add(b, name, len);
}

static void test_split(void **state)
{
    const split_case *c = *state;
    strbuf b = {0};
    unitname_split(c->in, split_join, &b);
    assert_string_equal(b.len ? b.s : "", c->want);
    sb_free(&b);
}

/* ---- the pinyin table ---- */

static void assert_reading(uint32_t cp, const char *want)
{
    const char *r[16];
    size_t n = pinyin_readings(cp, r, 16);
    for (size_t i = 0; i < n; i++)
        if (strcmp(r[i], want) == 0)
            return;
    fail_msg("U+%04X has no reading \"%s\" (%zu readings)", (unsigned)cp, want, n);
}

static void test_pinyin_usual_reading_first(void **state)
{
    (void)state;
    const char *r[16];
    assert_true(pinyin_readings(0x53F8, r, 16) >= 1);      /* 司 */
    assert_string_equal(r[0], "si");
    assert_true(pinyin_readings(0x533A, r, 16) >= 1);      /* 区 */
    assert_string_equal(r[0], "qu");
    assert_true(pinyin_readings(0x884C, r, 16) >= 1);      /* 行 */
    assert_string_equal(r[0], "xing");
    assert_true(pinyin_readings(0x3400, r, 16) >= 1);      /* Ext A */
    assert_string_equal(r[0], "qiu");
    assert_true(pinyin_readings(0x20000, r, 16) >= 1);     /* Ext B */
    assert_true(pinyin_readings(0xF900, r, 16) >= 1);      /* compatibility */
}

static void test_pinyin_polyphonic_readings(void **state)
{
    (void)state;
    assert_reading(0x957F, "chang");   /* 长 */
    assert_reading(0x957F, "zhang");
    assert_reading(0x884C, "hang");    /* 行 */
    assert_reading(0x884C, "xing");
    assert_reading(0x533A, "ou");      /* 区 */
    assert_reading(0x7EFF, "lv");      /* 绿: u-umlaut as v */
    assert_reading(0x91CD, "chong");   /* 重 */
}

static void test_pinyin_no_reading(void **state)
{
    (void)state;
    const char *r[16];
    assert_int_equal(pinyin_readings('A', r, 16), 0);
    assert_int_equal(pinyin_readings(0x3001, r, 16), 0);   /* 、 */
    assert_int_equal(pinyin_readings(0x3402, r, 16), 0);   /* an ideograph without one */
    assert_int_equal(pinyin_readings(0x10FFFF, r, 16), 0);
    assert_int_equal(pinyin_readings(0x884C, r, 1), 1);    /* max is honoured */
    assert_true(pinyin_max_readings() >= 3);
}

/* ---- matching unit names ---- */

typedef struct {
    const char *name;
    const char *full;       /* toneless pinyin */
    const char *initials;
    const char *chinese;    /* a substring of the name */
} name_case;

/* Every unit name of plan.yaml, with its expected pinyin forms. */
static const name_case name_cases[] = {
    {"区党政办", "qudangzhengban", "qdzb", "党政"},
    {"各镇（街道）", "gezhenjiedao", "gzjd", "（街道）"},
    {"区各有关部门", "qugeyouguanbumen", "qgygbm", "有关部门"},
    {"区审计局", "qushenjiju", "qsjj", "审计"},
    {"区司法局", "qusifaju", "qsfj", "司法局"},
    {"春江镇", "chunjiangzhen", "cjz", "春江"},
    {"孟河镇", "menghezhen", "mhz", "孟河"},
    {"区行政审批局", "quxingzhengshenpiju", "qxzspj", "审批"},
    {"区市场监管局", "qushichangjianguanju", "qscjgj", "市场监管"},
    {"区经发局", "qujingfaju", "qjfj", "经发"},
    {"区人社局", "qurensheju", "qrsj", "人社局"},
    {"区财政局", "qucaizhengju", "qczj", "财政"},
    {"区教育局", "qujiaoyuju", "qjyj", "教育"},
    {"区卫健局", "quweijianju", "qwjj", "卫健"},
    {"区住建局", "quzhujianju", "qzjj", "住建"},
    {"区应急管理局", "quyingjiguanliju", "qyjglj", "应急管理"},
    {"区农业农村局", "qunongyenongcunju", "qnyncj", "农业农村"},
    {"区生态环境局", "qushengtaihuanjingju", "qsthjj", "生态环境"},
    {"区商务局", "qushangwuju", "qswj", "商务"},
    {"区公安分局", "qugonganfenju", "qgafj", "公安分局"},
    {"新桥镇", "xinqiaozhen", "xqz", "新桥"},
    {"薛家镇", "xuejiazhen", "xjz", "薛家"},
    {"罗溪镇", "luoxizhen", "lxz", "罗溪"},
    {"西夏墅镇", "xixiashuzhen", "xxsz", "夏墅"},
    {"奔牛镇", "benniuzhen", "bnz", "奔牛"},
    {"河海街道", "hehaijiedao", "hhjd", "河海"},
    {"三井街道", "sanjingjiedao", "sjjd", "三井"},
    {"龙虎塘街道", "longhutangjiedao", "lhtjd", "龙虎塘"},
};

static bool matches(const char *query, const char *name)
{
    units_query *q = units_query_new(query);
    bool hit = units_query_match(q, name);
    units_query_free(q);
    return hit;
}

#define assert_match(query, name) \
    do { \
        if (!matches(query, name)) \
            fail_msg("\"%s\" should match \"%s\"", query, name); \
    } while (0)
#define assert_no_match(query, name) \
    do { \
        if (matches(query, name)) \
            fail_msg("\"%s\" should not match \"%s\"", query, name); \
    } while (0)

/* Upper-case every other letter of s into buf. */
static const char *mixed_case(char *buf, size_t size, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        buf[i] = (char)(i % 2 == 0 && s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
    buf[i] = '\0';
    return buf;
}

static void test_name_found(void **state)
{
    const name_case *c = *state;
    char buf[64];
    assert_match(c->name, c->name);
    assert_match(c->full, c->name);
    assert_match(c->initials, c->name);
    assert_match(c->chinese, c->name);
    assert_match(mixed_case(buf, sizeof buf, c->full), c->name);
    assert_match(mixed_case(buf, sizeof buf, c->initials), c->name);
    size_t n = strlen(c->full);
    for (size_t i = 0; i < n; i++)
        buf[i] = (char)(c->full[i] - 'a' + 'A');
    buf[n] = '\0';
    assert_match(buf, c->name);
    /* Any piece of the full spelling, starting and ending anywhere. */
    for (size_t a = 0; a < n; a++) {
        memcpy(buf, c->full + a, n - a);
        buf[n - a] = '\0';
        assert_match(buf, c->name);
        buf[(n - a + 1) / 2] = '\0';
        assert_match(buf, c->name);
    }
    /* One letter too many at either end is not a match. */
    snprintf(buf, sizeof buf, "%sz", c->full);
    assert_no_match(buf, c->name);
    snprintf(buf, sizeof buf, "%sq", c->initials);
    assert_no_match(buf, c->name);
}

typedef struct {
    const char *query;
    const char *name;
    bool want;
    const char *what;
} match_case;

static const match_case match_cases[] = {
    {"sifa", "区司法局", true, "a pinyin piece of whole syllables"},
    {"ifaj", "区司法局", true, "a pinyin piece starting and ending inside syllables"},
    {"sfj", "区司法局", true, "an initials piece"},
    {"SFJ", "区司法局", true, "initials in upper case"},
    {"Si Fa", "区司法局", true, "spaces in a Latin query are ignored"},
    {"si'fa'ju", "区司法局", true, "apostrophes in a Latin query are ignored"},
    {"  司法 \xE3\x80\x80", "区司法局", true, "blanks around a query are trimmed"},
    {"sfjj", "区司法局", false, "near miss: one initial too many"},
    {"qusifajuz", "区司法局", false, "near miss: one letter too many"},
    {"司法所", "区司法局", false, "near miss: a different Chinese name"},
    {"sifj", "区司法局", false, "near miss: pinyin and initials mixed"},
    {"qsfjq", "区司法局", false, "near miss: initials then more"},
    {"sfja", "区司法局", false, "near miss: wrong last letter"},
    {"chang", "区长办", true, "polyphonic 长 as chang"},
    {"zhang", "区长办", true, "polyphonic 长 as zhang"},
    {"quchangban", "区长办", true, "polyphonic 长 inside a full spelling (chang)"},
    {"quzhangban", "区长办", true, "polyphonic 长 inside a full spelling (zhang)"},
    {"qcb", "区长办", true, "polyphonic 长 in initials (c)"},
    {"qzb", "区长办", true, "polyphonic 长 in initials (z)"},
    {"qzhb", "区长办", true, "zh counts as an initial"},
    {"qub", "区长办", false, "a syllable cannot be skipped"},
    {"xing", "区行政审批局", true, "polyphonic 行 as xing"},
    {"hangzheng", "区行政审批局", true, "polyphonic 行 as hang"},
    {"yinhang", "中国银行", true, "银行 as yinhang"},
    {"zgyh", "中国银行", true, "银行 initials with h"},
    {"zgyx", "中国银行", true, "银行 initials with x"},
    {"qu", "区党政办", true, "区 as qu"},
    {"oudangzheng", "区党政办", true, "区 as ou (Unihan lists it)"},
    {"lvhua", "区绿化办", true, "u-umlaut typed as v"},
    {"luhua", "区绿化办", true, "u-umlaut typed as u"},
    {"ipv6", "区IPv6办公室", true, "Latin letters in a name, lower-case query"},
    {"IPV6", "区IPv6办公室", true, "Latin letters in a name, upper-case query"},
    {"quipv6bangong", "区IPv6办公室", true, "Latin letters inside a full spelling"},
    {"qipv6bgs", "区IPv6办公室", true, "Latin letters inside initials"},
    {"ipu6", "区IPv6办公室", false, "a Latin v is not u-umlaut"},
    {"ab", "区ＡＢ办", true, "full-width Latin letters count as ASCII"},
    {"zhenjie", "各镇（街道）", true, "brackets are left out of the pinyin"},
    {"gzjd", "各镇（街道）", true, "brackets are left out of the initials"},
    {"qu", "区\xE3\x90\x82局", true, "before an ideograph without a reading"},
    {"quju", "区\xE3\x90\x82局", false, "nothing spans an ideograph without a reading"},
    {"镇（", "各镇（街道）", true, "Chinese with punctuation is a plain substring"},
    {"chunjiang镇", "春江镇", false, "mixed Latin and Chinese is a plain substring"},
    {"", "区司法局", true, "the empty query matches every name"},
};

static void test_match(void **state)
{
    const match_case *c = *state;
    if (matches(c->query, c->name) != c->want)
        fail_msg("\"%s\" %s \"%s\"", c->query, c->want ? "should match" : "should not match",
                 c->name);
}

/* Many polyphonic characters in a row: no exponential blow-up. */
static void test_match_long_polyphonic_name(void **state)
{
    (void)state;
    strbuf name = {0}, q = {0};
    for (int i = 0; i < 60; i++) {
        sb_adds(&name, "行长重");     /* three readings or more each */
        sb_adds(&q, i % 2 ? "hangzhangchong" : "xingchangzhong");
    }
    clock_t t0 = clock();
    assert_true(matches(q.s, name.s));
    sb_adds(&q, "q");
    assert_false(matches(q.s, name.s));
    sb_reset(&q);
    for (int i = 0; i < 60; i++)
        sb_adds(&q, i % 2 ? "hzc" : "xcz");
    assert_true(matches(q.s, name.s));   /* initials */
    sb_addc(&q, 'x');
    assert_false(matches(q.s, name.s));
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_true(secs < 10.0);   /* generous: also under valgrind */
    sb_free(&name);
    sb_free(&q);
}

/* ---- search over a plan ---- */

static plan *small_plan(bool nested)
{
    plan_builder *b = plan_build_new();
    plan_pos pos = {0, 0};
    plan_build_title(b, "测试方案");
    plan_build_group(b, "各镇（街道）", pos);
    plan_build_member(b, "春江镇");
    plan_build_member(b, "孟河镇");
    if (nested) {
        plan_build_group(b, "全区", pos);
        plan_build_member(b, "各镇（街道）");
        plan_build_member(b, "区各有关部门");
    }
    plan_build_goal(b, NULL, "目标", pos);
    plan_build_task(b, NULL, "任务", pos);
    plan_build_item(b, "1.1.1", "一", pos);
    plan_build_unit(b, PLAN_LEAD, "区党政办");
    plan_build_units_string(b, PLAN_RESP, "各镇（街道）、区各有关部门");
    plan_build_item(b, "1.1.2", "二", pos);
    plan_build_unit(b, PLAN_LEAD, "春江镇");
    plan_build_unit(b, PLAN_RESP, "区司法局");
    plan_build_item(b, "1.1.3", "三", pos);
    plan_build_unit(b, PLAN_LEAD, "区司法局");
    plan_build_units_string(b, PLAN_RESP, "春江镇，孟河镇");
    plan_build_item(b, "1.1.4", "四", pos);
    plan_build_unit(b, PLAN_LEAD, "各镇（街道）");
    plan_build_unit(b, PLAN_RESP, "区审计局");
    plan_build_item(b, "1.1.5", "五", pos);
    plan_build_unit(b, PLAN_LEAD, "区审计局");
    plan_build_unit(b, PLAN_RESP, "区财政局");
    if (nested) {
        plan_build_item(b, "1.1.6", "六", pos);
        plan_build_unit(b, PLAN_LEAD, "全区");
    }
    diags d = {0};
    plan *p = plan_build_finish(b, "test.yaml", &d);
    size_t errors = d.errors;
    if (errors)
        diags_print(&d, stderr);
    assert_int_equal(errors, 0);
    diags_free(&d);
    return p;
}

static uint32_t unit_of(const plan *p, const char *name)
{
    for (size_t u = 0; u < p->n_units; u++)
        if (strcmp(p->units[u].name, name) == 0)
            return (uint32_t)u;
    fail_msg("no unit %s", name);
    return 0;
}

static uint8_t hit_of(const plan *p, const units_result *r, const char *id)
{
    plan_item *it = plan_find_item(p, id);
    assert_non_null(it);
    return r->item_hit[it - p->items];
}

typedef struct {
    const char *query;
    const char *hits;       /* item bits for 1.1.1 .. 1.1.5: digits, MATCH_* sums */
    size_t n_items, n_lead, n_resp, n_group;
    const char *units;      /* directly matched units, '|'-joined, plan order */
    const char *grouped;    /* units with unit_hit 2, '|'-joined */
} search_case;

static const search_case search_cases[] = {
    /* 春江镇 directly; 各镇（街道） through its member. */
    {"chunjiang", "41240", 4, 1, 1, 2, "春江镇", "各镇（街道）"},
    {"cjz", "41240", 4, 1, 1, 2, "春江镇", "各镇（街道）"},
    {"春江", "41240", 4, 1, 1, 2, "春江镇", "各镇（街道）"},
    /* A member matching only through a group: 孟河镇. */
    {"MengHe", "40240", 3, 0, 1, 2, "孟河镇", "各镇（街道）"},
    {"sfj", "02100", 2, 1, 1, 0, "区司法局", ""},
    /* The group unit matched itself and through members: both bits. */
    {"镇", "61250", 4, 2, 2, 2, "各镇（街道）|春江镇|孟河镇", ""},
    {"镇（", "20010", 2, 1, 1, 0, "各镇（街道）", ""},
    {"shenji", "00021", 2, 1, 1, 0, "区审计局", ""},
    {"q", "32123", 5, 3, 4, 0, "区党政办|区各有关部门|区司法局|区审计局|区财政局", ""},
    {"", "00000", 0, 0, 0, 0, "", ""},
    {"  ", "00000", 0, 0, 0, 0, "", ""},
    {"xyz", "00000", 0, 0, 0, 0, "", ""},
};

static void join_units(strbuf *b, const plan *p, const units_result *r, int want)
{
    if (want == 1) {
        for (size_t k = 0; k < r->n_units; k++) {
            if (k)
                sb_addc(b, '|');
            sb_adds(b, p->units[r->units[k]].name);
        }
        return;
    }
    for (size_t u = 0; u < p->n_units; u++)
        if (r->unit_hit[u] == want) {
            if (b->len)
                sb_addc(b, '|');
            sb_adds(b, p->units[u].name);
        }
}

static void check_search(const plan *p, const units_result *r, const search_case *c)
{
    char got[8] = {0};
    for (size_t i = 0; i < 5; i++)
        got[i] = (char)('0' + r->item_hit[i]);
    assert_string_equal(got, c->hits);
    assert_int_equal(r->n_items, c->n_items);
    assert_int_equal(r->n_lead, c->n_lead);
    assert_int_equal(r->n_resp, c->n_resp);
    assert_int_equal(r->n_group, c->n_group);
    strbuf b = {0};
    join_units(&b, p, r, 1);
    assert_string_equal(b.len ? b.s : "", c->units);
    sb_reset(&b);
    join_units(&b, p, r, 2);
    assert_string_equal(b.len ? b.s : "", c->grouped);
    sb_free(&b);
    /* unit_hit agrees with the list of matched units. */
    size_t ones = 0;
    for (size_t u = 0; u < p->n_units; u++)
        ones += r->unit_hit[u] == 1;
    assert_int_equal(ones, r->n_units);
}

static void test_search(void **state)
{
    const search_case *c = *state;
    plan *p = small_plan(false);
    units_index *ix = units_index_new(p);
    units_result r = {0};
    units_search(ix, c->query, &r);
    check_search(p, &r, c);
    units_result_free(&r);
    units_index_free(ix);
    plan_free(p);
}

/* One result reused for every query: nothing of an earlier search stays. */
static void test_search_reuses_result(void **state)
{
    (void)state;
    plan *p = small_plan(false);
    units_index *ix = units_index_new(p);
    units_result r = {0};
    for (int round = 0; round < 2; round++)
        for (size_t k = 0; k < sizeof search_cases / sizeof search_cases[0]; k++) {
            units_search(ix, search_cases[k].query, &r);
            check_search(p, &r, &search_cases[k]);
        }
    units_result_free(&r);
    units_index_free(ix);
    plan_free(p);
}

/* A group inside a group: a member's match reaches both. */
static void test_search_nested_groups(void **state)
{
    (void)state;
    plan *p = small_plan(true);
    units_index *ix = units_index_new(p);
    units_result r = {0};
    units_search(ix, "benniu", &r);
    assert_int_equal(r.n_items, 0);
    units_search(ix, "menghe", &r);
    assert_int_equal(hit_of(p, &r, "1.1.3"), MATCH_RESP);
    assert_int_equal(hit_of(p, &r, "1.1.1"), MATCH_GROUP);
    assert_int_equal(hit_of(p, &r, "1.1.4"), MATCH_GROUP);
    assert_int_equal(hit_of(p, &r, "1.1.6"), MATCH_GROUP);
    assert_int_equal(r.n_items, 4);
    assert_int_equal(r.n_group, 3);
    assert_int_equal(r.unit_hit[unit_of(p, "孟河镇")], 1);
    assert_int_equal(r.unit_hit[unit_of(p, "各镇（街道）")], 2);
    assert_int_equal(r.unit_hit[unit_of(p, "全区")], 2);
    assert_int_equal(r.unit_hit[unit_of(p, "区各有关部门")], 0);
    /* 区各有关部门 is a member of 全区 only. */
    units_search(ix, "youguan", &r);
    assert_int_equal(hit_of(p, &r, "1.1.1"), MATCH_RESP);
    assert_int_equal(hit_of(p, &r, "1.1.6"), MATCH_GROUP);
    assert_int_equal(hit_of(p, &r, "1.1.4"), 0);
    assert_int_equal(r.unit_hit[unit_of(p, "各镇（街道）")], 0);
    units_result_free(&r);
    units_index_free(ix);
    plan_free(p);
}

/* A plan without units: the index and the search still work. */
static void test_search_empty_plan(void **state)
{
    (void)state;
    plan_builder *b = plan_build_new();
    diags d = {0};
    plan *p = plan_build_finish(b, "empty.yaml", &d);   /* errors: no title, no goals */
    diags_free(&d);
    units_index *ix = units_index_new(p);
    units_result r = {0};
    units_search(ix, "q", &r);
    assert_int_equal(r.n_units, 0);
    assert_int_equal(r.n_items, 0);
    units_result_free(&r);
    units_index_free(ix);
    plan_free(p);
}

/* The exact-unit filter: the unit itself and the groups it reaches. */
static void test_search_unit(void **state)
{
    (void)state;
    plan *p = small_plan(true);
    units_index *ix = units_index_new(p);
    units_result r = {0};
    units_search_unit(ix, unit_of(p, "孟河镇"), &r);
    assert_int_equal(r.n_units, 1);
    assert_int_equal(r.units[0], unit_of(p, "孟河镇"));
    assert_int_equal(hit_of(p, &r, "1.1.3"), MATCH_RESP);
    assert_int_equal(hit_of(p, &r, "1.1.1"), MATCH_GROUP);
    assert_int_equal(hit_of(p, &r, "1.1.6"), MATCH_GROUP);
    assert_int_equal(r.n_items, 4);
    assert_int_equal(r.unit_hit[unit_of(p, "全区")], 2);
    /* the groups say through whom: 孟河镇 for 各镇（街道）, which itself
     * reached 全区; nothing for a unit no member of which was found */
    size_t more = 9;
    assert_string_equal(units_result_member(p, &r, unit_of(p, "各镇（街道）"), &more), "孟河镇");
    assert_int_equal(more, 0);
    assert_string_equal(units_result_member(p, &r, unit_of(p, "全区"), &more), "各镇（街道）");
    assert_null(units_result_member(p, &r, unit_of(p, "区司法局"), &more));
    /* 春江镇 also matches "chunjiang" alone: the same result as the query */
    units_result q = {0};
    units_search(ix, "chunjiang", &q);
    units_search_unit(ix, unit_of(p, "春江镇"), &r);
    assert_memory_equal(r.item_hit, q.item_hit, p->n_items);
    assert_memory_equal(r.unit_hit, q.unit_hit, p->n_units);
    assert_int_equal(r.n_lead, q.n_lead);
    assert_int_equal(r.n_resp, q.n_resp);
    assert_int_equal(r.n_group, q.n_group);
    /* a unit with no items and no group finds nothing but itself */
    units_search_unit(ix, unit_of(p, "区司法局"), &r);
    assert_int_equal(r.n_items, 2);
    units_search_unit(ix, (uint32_t)p->n_units, &r);   /* out of range */
    assert_int_equal(r.n_items, 0);
    units_result_free(&q);
    units_result_free(&r);
    units_index_free(ix);
    plan_free(p);
}

/* The unit list's matching through the index agrees with matching each
 * name alone, for every query of the tables. */
static void test_index_match(void **state)
{
    (void)state;
    plan *p = small_plan(true);
    units_index *ix = units_index_new(p);
    uint8_t *hit = xmalloc(p->n_units + 1);
    const char *queries[] = {"sfj", "chunjiang", "镇", "q", "", "  ", "xyz", "QuanQu", "zhen"};
    for (size_t k = 0; k < sizeof queries / sizeof queries[0]; k++) {
        size_t n = units_index_match(ix, queries[k], hit), want = 0;
        for (size_t u = 0; u < p->n_units; u++) {
            bool m = matches(queries[k], p->units[u].name);
            want += m;
            if (hit[u] != m)
                fail_msg("\"%s\" on %s: index %d, alone %d", queries[k], p->units[u].name,
                         hit[u], m);
        }
        assert_int_equal(n, want);
    }
    assert_int_equal(units_index_match(ix, "", hit), p->n_units);
    free(hit);
    units_index_free(ix);
    plan_free(p);
}

/* units_index_order: every unit once, in pinyin order of the names. */
static void test_index_order(void **state)
{
    (void)state;
    plan *p = small_plan(true);
    units_index *ix = units_index_new(p);
    uint32_t *order = xmalloc((p->n_units + 1) * sizeof *order);
    units_index_order(ix, order);
    strbuf b = {0};
    for (size_t k = 0; k < p->n_units; k++) {
        if (k)
            sb_addc(&b, '|');
        sb_adds(&b, p->units[order[k]].name);
    }
    assert_string_equal(b.s, "春江镇|各镇（街道）|孟河镇|区财政局|区党政办|区各有关部门|"
                             "区审计局|区司法局|全区");
    sb_free(&b);
    free(order);
    units_index_free(ix);
    plan_free(p);
}

/* ---- main: one TAP line per table row ---- */

/* s with ASCII controls written as C escapes, for a one-line test name. */
static char *show(const char *s)
{
    strbuf b = {0};
    for (; *s; s++) {
        const char *esc = strchr("\t\n\r\f", *s);
        if (esc && *s)
            sb_addf(&b, "\\%c", "tnrf"[esc - "\t\n\r\f"]);
        else
            sb_addc(&b, *s);
    }
    return sb_steal(&b);
}

static struct CMUnitTest *tests;
static size_t n_tests, cap_tests;
static char **names;

static void add(char *name, CMUnitTestFunction fn, const void *state)
{
    xgrow((void **)&tests, &cap_tests, n_tests + 1, sizeof *tests);
    names = xrealloc(names, (n_tests + 1) * sizeof *names);
    names[n_tests] = name;
    struct CMUnitTest t = {name, fn, NULL, NULL, (void *)(uintptr_t)state};
    tests[n_tests++] = t;
}

/* Unit names sort in pinyin order of their usual readings. */
static void test_sort_key(void **state)
{
    (void)state;
    static const char *const sorted[] = {"奔牛镇", "春江镇", "各镇（街道）", "孟河镇",
                                         "区财政局", "区党政办", "区IPv6办", "区司法局",
                                         "区住建局", "西安", "西夏墅镇", "先"};
    size_t n = sizeof sorted / sizeof sorted[0];
    for (size_t i = 0; i + 1 < n; i++) {
        strbuf a = {0}, b = {0};
        units_sort_key(&a, sorted[i]);
        units_sort_key(&b, sorted[i + 1]);
        if (strcmp(a.s, b.s) >= 0)
            fail_msg("%s (%s) should sort before %s (%s)", sorted[i], a.s, sorted[i + 1], b.s);
        sb_free(&a);
        sb_free(&b);
    }
    strbuf k = {0};
    units_sort_key(&k, "区司法局");
    assert_string_equal(k.s, "qu si fa ju ");
    sb_free(&k);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    for (size_t i = 0; i < sizeof split_cases / sizeof split_cases[0]; i++) {
        char *in = show(split_cases[i].in);
        add(xasprintf("split \"%s\" into \"%s\"", in, split_cases[i].want), test_split,
            &split_cases[i]);
        free(in);
    }
    add(xstrdup("role words left on a unit name and the field they stand for"),
        test_role_words, NULL);
    add(xstrdup("pinyin: the usual reading comes first"), test_pinyin_usual_reading_first, NULL);
    add(xstrdup("pinyin: polyphonic characters have all their readings"),
        test_pinyin_polyphonic_readings, NULL);
    add(xstrdup("pinyin: no reading for non-ideographs"), test_pinyin_no_reading, NULL);
    for (size_t i = 0; i < sizeof name_cases / sizeof name_cases[0]; i++) {
        const name_case *c = &name_cases[i];
        add(xasprintf("%s is found by %s, %s, %s and in any case", c->name, c->full,
                      c->initials, c->chinese),
            test_name_found, c);
    }
    for (size_t i = 0; i < sizeof match_cases / sizeof match_cases[0]; i++) {
        const match_case *c = &match_cases[i];
        add(xasprintf("\"%s\" %s %s: %s", c->query, c->want ? "matches" : "does not match",
                      c->name, c->what),
            test_match, c);
    }
    add(xstrdup("a long polyphonic name matches in linear time"),
        test_match_long_polyphonic_name, NULL);
    for (size_t i = 0; i < sizeof search_cases / sizeof search_cases[0]; i++) {
        const search_case *c = &search_cases[i];
        add(xasprintf("search \"%s\" finds %zu items (%zu lead, %zu resp, %zu via group)",
                      c->query, c->n_items, c->n_lead, c->n_resp, c->n_group),
            test_search, c);
    }
    add(xstrdup("search reuses one result without leftovers"), test_search_reuses_result, NULL);
    add(xstrdup("search follows a group inside a group"), test_search_nested_groups, NULL);
    add(xstrdup("search over a plan without units finds nothing"), test_search_empty_plan, NULL);
    add(xstrdup("search by one exact unit reaches its groups, as a query does"),
        test_search_unit, NULL);
    add(xstrdup("matching through the index agrees with matching each name"), test_index_match,
        NULL);
    add(xstrdup("the index orders units by pinyin"), test_index_order, NULL);
    add(xstrdup("unit names sort by pinyin (奔牛镇 … 区司法局 … 西夏墅镇)"), test_sort_key, NULL);

    int failed = _cmocka_run_group_tests("units", tests, n_tests, NULL, NULL);
    for (size_t i = 0; i < n_tests; i++)
        free(names[i]);
    free(names);
    free(tests);
    return failed;
}
