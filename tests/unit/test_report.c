/* test_report.c - the text report and the exports (report.c): JSON schema
 * and escaping, CSV per RFC 4180, Markdown escaping, alignment by display
 * width, filters, and no raw control character in any output. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <cmocka.h>

#include "plan.h"
#include "report.h"
#include "text.h"
#include "units.h"
#include "util.h"

/* A small plan with everything an export must escape: quotes, a backslash,
 * a comma, a line break, a |, Markdown markup, terminal escapes, a bidi
 * override, and cells ending in 等. */
static const char small_yaml[] =
    "title: \"报告\\\"测试\\\"\\\\方案\"\n"
    "issuer: 办公室\n"
    "document: 文〔2024〕1号\n"
    "date: \"2024-01-02\"\n"
    "goals:\n"
    "  - title: 目标一\n"
    "    tasks:\n"
    "      - title: 任务一\n"
    "        items:\n"
    "          - id: \"1.1.1\"\n"
    "            text: \"含有,逗号和\\\"引号\\\"的内容\"\n"
    "            lead: [区党政办]\n"
    "            responsible: 甲镇、乙镇等\n"
    "          - id: \"1.1.2\"\n"
    "            text: \"第一行\\n第二行 | 竖线 *星*\"\n"
    "            lead: 区审计局\n"
    "            lead_more: true\n"
    "  - title: 目标二 with a long English title that will be truncated in the report "
    "because it is too long\n"
    "    tasks:\n"
    "      - title: 任务二\n"
    "        items:\n"
    "          - id: \"2.1.1\"\n"
    "            text: \"\\e]0;pwned\\a\\e[2J控制\\r字符\\u202e\"\n"
    "            lead: [区党政办]\n";

#define DONE_AT "2026-11-26T18:42:08+08:00"
#define NOTE_AT "2026-12-01T09:30:00+08:00"

/* The small plan, with item 1.1.2 done and a note (controls in it) on
 * 2.1.1. */
static plan *small_plan(void)
{
    diags d = {0};
    plan *p = plan_parse("small.yaml", small_yaml, sizeof small_yaml - 1, &d);
    if (!p) {
        diags_print(&d, stderr);
        fail_msg("the test plan does not load");
    }
    diags_free(&d);
    plan_item *it = plan_find_item(p, "1.1.2");
    it->done = true;
    it->done_at = DONE_AT;
    p->today = 20261201;
    it = plan_find_item(p, "2.1.1");
    it->note = "已开展,\"自查\"\n\x1b[31m红\xe2\x80\xae";
    it->note_at = NOTE_AT;
    it->note_by = "li";
    plan_recount(p);
    return p;
}

/* Run an export into a new string. */
static char *export(const plan *p, const char *fmt, const uint8_t *filter)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    assert_int_equal(report_export(f, p, fmt, filter), 0);
    fclose(f);
    return s;
}

static char *report(const plan *p, const units_result *r, const char *q)
{
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    report_text(f, p, r, q);
    fclose(f);
    return s;
}

/* No byte of s is a C0 control other than LF (and CR where allowed), DEL,
 * a C1 control in UTF-8, or a bad UTF-8 byte. */
static void assert_no_controls(const char *s, bool allow_cr)
{
    size_t n = strlen(s);
    assert_true(utf8_valid(s, n, NULL));
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n' || (allow_cr && c == '\r'))
            continue;
        if (c < 0x20 || c == 0x7F)
            fail_msg("control byte 0x%02X at offset %zu", c, i);
        if (c == 0xC2 && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] < 0xA0)
            fail_msg("C1 control at offset %zu", i);
        if (c == 0xE2 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0xAE)
            fail_msg("U+202E at offset %zu", i);
    }
}

/* ---- JSON ---- */

static const char want_json[] =
    "{\"title\": \"报告\\\"测试\\\"\\\\方案\", \"issuer\": \"办公室\", \"document\": "
    "\"文〔2024〕1号\", \"date\": \"2024-01-02\", \"as_of\": \"2026-12-01\",\n"
    " \"done\": 1, \"total\": 3,\n"
    " \"goals\": [\n"
    "  {\"id\": \"1\", \"title\": \"目标一\", \"done\": 1, \"total\": 2,\n"
    "   \"tasks\": [\n"
    "    {\"id\": \"1.1\", \"title\": \"任务一\", \"done\": 1, \"total\": 2,\n"
    "     \"items\": [\n"
    "      {\"id\": \"1.1.1\", \"text\": \"含有,逗号和\\\"引号\\\"的内容\",\n"
    "       \"lead\": [\"区党政办\"], \"lead_more\": false,\n"
    "       \"responsible\": [\"甲镇\", \"乙镇\"], \"responsible_more\": true,\n"
    "       \"support\": [], \"support_more\": false, \"each\": false,\n"
    "       \"done\": false, \"done_at\": null,\n"
    "       \"due\": null, \"due_date\": null, \"due_state\": \"ongoing\",\n"
    "       \"note\": null, \"note_at\": null},\n"
    "      {\"id\": \"1.1.2\", \"text\": \"第一行\\n第二行 | 竖线 *星*\",\n"
    "       \"lead\": [\"区审计局\"], \"lead_more\": true,\n"
    "       \"responsible\": [], \"responsible_more\": false,\n"
    "       \"support\": [], \"support_more\": false, \"each\": false,\n"
    "       \"done\": true, \"done_at\": \"2026-11-26T18:42:08+08:00\",\n"
    "       \"due\": null, \"due_date\": null, \"due_state\": \"done\",\n"
    "       \"note\": null, \"note_at\": null}]}]},\n"
    "  {\"id\": \"2\", \"title\": \"目标二 with a long English title that will be truncated in "
    "the report because it is too long\", \"done\": 0, \"total\": 1,\n"
    "   \"tasks\": [\n"
    "    {\"id\": \"2.1\", \"title\": \"任务二\", \"done\": 0, \"total\": 1,\n"
    "     \"items\": [\n"
    "      {\"id\": \"2.1.1\", \"text\": \"\\u001b]0;pwned\\u0007\\u001b[2J控制\\r字符"
    "\\u202e\",\n"
    "       \"lead\": [\"区党政办\"], \"lead_more\": false,\n"
    "       \"responsible\": [], \"responsible_more\": false,\n"
    "       \"support\": [], \"support_more\": false, \"each\": false,\n"
    "       \"done\": false, \"done_at\": null,\n"
    "       \"due\": null, \"due_date\": null, \"due_state\": \"ongoing\",\n"
    "       \"note\": \"已开展,\\\"自查\\\"\\n\\u001b[31m红\\u202e\", \"note_at\": \"2026-12-01T09:30:00+08:00\"}]}]}]}\n";

static void test_json_exact(void **state)
{
    (void)state;
    plan *p = small_plan();
    char *got = export(p, "json", NULL);
    assert_string_equal(got, want_json);
    assert_no_controls(got, false);
    free(got);
    plan_free(p);
}

/* The keys of object o, in order, joined with ','. */
static char *keys_of(const cJSON *o)
{
    strbuf b = {0};
    for (const cJSON *c = o->child; c; c = c->next) {
        if (b.len)
            sb_addc(&b, ',');
        sb_adds(&b, c->string);
    }
    return sb_steal(&b);
}

static void assert_keys(const cJSON *o, const char *want)
{
    assert_true(cJSON_IsObject(o));
    char *k = keys_of(o);
    assert_string_equal(k, want);
    free(k);
}

static int json_int(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_true(cJSON_IsNumber(v));
    return v->valueint;
}

static const char *json_string(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_true(cJSON_IsString(v));
    return v->valuestring;
}

/* The schema of SPEC, checked through a JSON parser: keys, order, nesting,
 * counts, null, the original strings back after unescaping. */
static void test_json_schema(void **state)
{
    (void)state;
    plan *p = small_plan();
    char *got = export(p, "json", NULL);
    cJSON *root = cJSON_Parse(got);
    assert_non_null(root);
    assert_keys(root, "title,issuer,document,date,as_of,done,total,goals");
    assert_string_equal(json_string(root, "title"), "报告\"测试\"\\方案");
    assert_int_equal(json_int(root, "done"), 1);
    assert_int_equal(json_int(root, "total"), 3);
    const cJSON *goals = cJSON_GetObjectItemCaseSensitive(root, "goals");
    assert_int_equal(cJSON_GetArraySize(goals), 2);
    size_t item_no = 0;
    const cJSON *g, *t, *it;
    cJSON_ArrayForEach(g, goals) {
        assert_keys(g, "id,title,done,total,tasks");
        int gd = 0, gt = 0;
        cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(g, "tasks")) {
            assert_keys(t, "id,title,done,total,items");
            int td = 0, tt = 0;
            cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(t, "items")) {
                assert_keys(it, "id,text,lead,lead_more,responsible,responsible_more,support,"
                                "support_more,each,done,done_at,due,due_date,due_state,note,note_at");
                const plan_item *pi = &p->items[item_no++];
                assert_string_equal(json_string(it, "id"), pi->id);
                if (item_no != 3)   /* item 3 has controls: escaped, then substituted */
                    assert_string_equal(json_string(it, "text"), pi->text);
                bool done = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(it, "done"));
                assert_int_equal(done, pi->done);
                const cJSON *at = cJSON_GetObjectItemCaseSensitive(it, "done_at");
                if (done)
                    assert_string_equal(at->valuestring, DONE_AT);
                else
                    assert_true(cJSON_IsNull(at));
                assert_true(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(it, "lead")));
                assert_true(cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(it, "lead_more")));
                td += done;
                tt++;
            }
            assert_int_equal(json_int(t, "done"), td);
            assert_int_equal(json_int(t, "total"), tt);
            gd += td;
            gt += tt;
        }
        assert_int_equal(json_int(g, "done"), gd);
        assert_int_equal(json_int(g, "total"), gt);
    }
    assert_int_equal(item_no, 3);
    /* the controls in item 2.1.1 come back as themselves: JSON escapes */
    const cJSON *third = cJSON_GetArrayItem(
        cJSON_GetObjectItemCaseSensitive(
            cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(goals, 1),
                                                                "tasks"),
                               0),
            "items"),
        0);
    assert_string_equal(json_string(third, "text"), "\x1b]0;pwned\a\x1b[2J控制\r字符\xE2\x80\xAE");
    cJSON_Delete(root);
    free(got);
    plan_free(p);
}

/* A plan built by hand may hold what YAML cannot: bad UTF-8, a lone DEL,
 * C1 controls.  None of it reaches the JSON raw. */
static void test_json_hostile_strings(void **state)
{
    (void)state;
    plan_builder *b = plan_build_new();
    plan_pos none = {0, 0};
    plan_build_title(b, "t\xFF\xC2\x9B\x7F\t");
    plan_build_goal(b, NULL, "g", none);
    plan_build_task(b, NULL, "k", none);
    plan_build_item(b, NULL, "\xE4\xB8 \xF0\x9F\x98\x80", none);
    diags d = {0};
    plan *p = plan_build_finish(b, "b", &d);
    assert_int_equal(d.errors, 0);
    char *got = export(p, "json", NULL);
    assert_no_controls(got, false);
    assert_non_null(strstr(got, "\"title\": \"t\\ufffd\\u009b\\u007f\\t\""));
    assert_non_null(strstr(got, "\"text\": \"\\ufffd\\ufffd 😀\""));
    cJSON *root = cJSON_Parse(got);
    assert_non_null(root);
    cJSON_Delete(root);
    free(got);
    /* and none reaches the CSV, the Markdown or the report raw */
    got = export(p, "csv", NULL);
    assert_no_controls(got, true);
    free(got);
    got = export(p, "md", NULL);
    assert_no_controls(got, false);
    free(got);
    got = report(p, NULL, NULL);
    assert_no_controls(got, false);
    free(got);
    diags_free(&d);
    plan_free(p);
}

/* ---- CSV ---- */

static const char want_csv[] =
    "id,goal,task,text,lead,responsible,done,done_at,support,due,due_date,due_state,note\r\n"
    "1.1.1,目标一,任务一,\"含有,逗号和\"\"引号\"\"的内容\",区党政办,甲镇、乙镇等,false,,,,,ongoing,\r\n"
    "1.1.2,目标一,任务一,\"第一行\n"
    "第二行 | 竖线 *星*\",区审计局等,,true,2026-11-26T18:42:08+08:00,,,,done,\r\n"
    "2.1.1,目标二 with a long English title that will be truncated in the report because it "
    "is too long,任务二,␛]0;pwned␇␛[2J控制␍字符�,区党政办,,false,,,,,ongoing,"
    "\"已开展,\"\"自查\"\"\n␛[31m红�\"\r\n";

static void test_csv_exact(void **state)
{
    (void)state;
    plan *p = small_plan();
    char *got = export(p, "csv", NULL);
    assert_string_equal(got, want_csv);
    assert_no_controls(got, true);
    free(got);
    plan_free(p);
}

/* Parse RFC 4180: records end in CRLF, fields are separated by commas, a
 * quoted field doubles its quotes and may hold commas and line breaks.
 * Returns the records, each field ended by '\037' and each record by '\036'. */
static char *csv_parse(const char *s)
{
    strbuf b = {0};
    while (*s) {
        for (;;) {
            if (*s == '"') {
                for (s++;; s++) {
                    assert_true(*s != '\0');
                    if (*s == '"' && s[1] == '"') {
                        sb_addc(&b, '"');
                        s++;
                    } else if (*s == '"') {
                        s++;
                        break;
                    } else {
                        sb_addc(&b, *s);
                    }
                }
            } else {
                for (; *s && *s != ',' && *s != '\r'; s++) {
                    assert_true(*s != '"' && *s != '\n');   /* would need quotes */
                    sb_addc(&b, *s);
                }
            }
            sb_addc(&b, '\037');
            if (*s == ',') {
                s++;
                continue;
            }
            assert_true(s[0] == '\r' && s[1] == '\n');       /* CRLF ends a record */
            s += 2;
            break;
        }
        sb_addc(&b, '\036');
    }
    return sb_steal(&b);
}

static void test_csv_rfc4180(void **state)
{
    (void)state;
    plan *p = small_plan();
    char *got = export(p, "csv", NULL);
    char *rec = csv_parse(got);
    assert_string_equal(
        rec,
        "id\037goal\037task\037text\037lead\037responsible\037done\037done_at\037support\037"
        "due\037due_date\037due_state\037note\037\036"
        "1.1.1\037目标一\037任务一\037含有,逗号和\"引号\"的内容\037区党政办\037甲镇、乙镇等\037"
        "false\037\037\037\037\037ongoing\037\037\036"
        "1.1.2\037目标一\037任务一\037第一行\n第二行 | 竖线 *星*\037区审计局等\037\037true\037"
        DONE_AT "\037\037\037\037done\037\037\036"
        "2.1.1\037目标二 with a long English title that will be truncated in the report "
        "because it is too long\037任务二\037␛]0;pwned␇␛[2J控制␍字符�\037区党政办\037\037"
        "false\037\037\037\037\037ongoing\037已开展,\"自查\"\n␛[31m红�\037\036");
    free(rec);
    free(got);
    plan_free(p);
}

/* ---- Markdown ---- */

static const char want_md[] =
    "# 报告\"测试\"\\\\方案\n"
    "\n"
    "文〔2024〕1号 · 办公室 · 2024-01-02\n"
    "\n"
    "As of 截至: 2026-12-01\n"
    "\n"
    "Progress: 1/3 done (33%)\n"
    "\n"
    "## 一、目标一 (1/2)\n"
    "\n"
    "### （一）任务一 (1/2)\n"
    "\n"
    "| 完成 | 编号 | 主要内容 | 牵头单位 | 责任单位 | 完成时间 |\n"
    "| --- | --- | --- | --- | --- | --- |\n"
    "| [ ] | 1.1.1 | 含有,逗号和\"引号\"的内容 | 区党政办 | 甲镇、乙镇等 |  |\n"
    "| [x] | 1.1.2 | 第一行␤第二行 \\| 竖线 \\*星\\* | 区审计局等 |  | 2026-11-26T18:42:08+08:00 |\n"
    "\n"
    "## 二、目标二 with a long English title that will be truncated in the report because it "
    "is too long (0/1)\n"
    "\n"
    "### （一）任务二 (0/1)\n"
    "\n"
    "| 完成 | 编号 | 主要内容 | 牵头单位 | 责任单位 | 完成时间 |\n"
    "| --- | --- | --- | --- | --- | --- |\n"
    "| [ ] | 2.1.1 | ␛\\]0;pwned␇␛\\[2J控制␍字符� | 区党政办 |  |  |\n";

static void test_md_exact(void **state)
{
    (void)state;
    plan *p = small_plan();
    char *got = export(p, "md", NULL);
    assert_string_equal(got, want_md);
    assert_no_controls(got, false);
    /* every table row has exactly seven unescaped | (six cells) */
    for (char *line = got, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        if (*line != '|')
            continue;
        int bars = 0;
        for (char *c = line; c < nl; c++) {
            if (*c == '\\') {
                c++;
                continue;
            }
            bars += *c == '|';
        }
        assert_int_equal(bars, 7);
    }
    free(got);
    plan_free(p);
}

/* ---- the text report ---- */

static const char want_report[] =
    "报告\"测试\"\\方案\n"
    "文〔2024〕1号  办公室  2024-01-02\n"
    "As of 截至: 2026-12-01\n"
    "Progress: 1/3 done (33%)\n"
    "\n"
    "一、目标一                                                                 1/2\n"
    "  （一）任务一                                                             1/2\n"
    "    [ ] 1. 含有,逗号和\"引号\"的内容\n"
    "    [x] 2. 第一行␤第二行 | 竖线 *星*                          2026-11-26 18:42\n"
    "二、目标二 with a long English title that will be truncated in the repor…  0/1\n"
    "  （一）任务二                                                             0/1\n"
    "    [ ] 1. ␛]0;pwned␇␛[2J控制␍字符�\n"
    "\n"
    "单位 Unit  牵头 Lead     责任 Responsible\n"
    "区党政办   0/2           -\n"
    "甲镇       -             0/1\n"
    "乙镇       -             0/1\n"
    "区审计局   1/1           -\n";

static void test_report_exact(void **state)
{
    (void)state;
    plan *p = small_plan();
    char *got = report(p, NULL, NULL);
    assert_string_equal(got, want_report);
    assert_no_controls(got, false);
    free(got);
    plan_free(p);
}

/* Display columns of the first n bytes of s. */
static size_t width_n(const char *s, size_t n)
{
    char *t = xstrndup(s, n);
    size_t w = text_width(t);
    free(t);
    return w;
}

/* The column where needle starts in line (by display width), or -1. */
static long column_of(const char *line, const char *needle)
{
    const char *at = strstr(line, needle);
    return at ? (long)width_n(line, (size_t)(at - line)) : -1;
}

/* On the shipped plan: every goal and task line's count ends at the same
 * display column, done items' times too, and the unit table's columns
 * line up with its heading whatever the width of the names. */
static void test_report_alignment(void **state)
{
    (void)state;
    const char *top = getenv("TOP");
    char path[4096];
    snprintf(path, sizeof path, "%s/plan.yaml", top && *top ? top : ".");
    diags d = {0};
    plan *p = plan_load(path, &d);
    assert_non_null(p);
    for (size_t i = 0; i < p->n_items; i += 3) {
        p->items[i].done = true;
        p->items[i].done_at = DONE_AT;
    }
    plan_recount(p);
    char *got = report(p, NULL, NULL);
    size_t headings = 0, done_lines = 0, rows = 0;
    long lead_col = -1, resp_col = -1;
    bool in_table = false;
    for (char *line = got, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
        *nl = '\0';
        size_t w = text_width(line);
        if (strncmp(line, "单位 Unit", strlen("单位 Unit")) == 0) {
            in_table = true;
            lead_col = column_of(line, "牵头");
            resp_col = column_of(line, "责任");
            continue;
        }
        if (in_table) {
            /* name, then the lead count at lead_col, the responsible at resp_col */
            char *name_end = strstr(line, "  ");
            assert_non_null(name_end);
            char *lead = name_end;
            while (*lead == ' ')
                lead++;
            char *resp = strchr(lead, ' ');
            assert_non_null(resp);
            while (*resp == ' ')
                resp++;
            assert_int_equal((long)width_n(line, (size_t)(lead - line)), lead_col);
            assert_int_equal((long)width_n(line, (size_t)(resp - line)), resp_col);
            rows++;
        } else if (strstr(line, "[x]")) {
            assert_int_equal(w, 78);
            done_lines++;
        } else if (*line && !strstr(line, "[ ]") && strchr(line, '/') &&
                   (strstr(line, "、") == line + 3 || strncmp(line, "  （", 5) == 0)) {
            assert_int_equal(w, 78);
            headings++;
        }
        if (strstr(line, "[ ]") || strstr(line, "[x]"))
            assert_true(w <= 78);
    }
    assert_int_equal(headings, 4 + 13);
    assert_int_equal(done_lines, 9);
    assert_int_equal(rows, 20);
    assert_true(lead_col > 0 && resp_col > lead_col);
    free(got);
    diags_free(&d);
    plan_free(p);
}

/* ---- filters ---- */

static void test_filter_exports(void **state)
{
    (void)state;
    plan *p = small_plan();
    static const uint8_t keep_first_last[] = {MATCH_LEAD, 0, MATCH_LEAD};
    static const uint8_t keep_second[] = {0, MATCH_LEAD, 0};

    char *got = export(p, "json", keep_second);
    cJSON *root = cJSON_Parse(got);
    assert_non_null(root);
    assert_int_equal(json_int(root, "done"), 1);
    assert_int_equal(json_int(root, "total"), 1);
    const cJSON *goals = cJSON_GetObjectItemCaseSensitive(root, "goals");
    assert_int_equal(cJSON_GetArraySize(goals), 1);   /* goal 2 has nothing left */
    assert_non_null(strstr(got, "\"id\": \"1.1.2\""));
    assert_null(strstr(got, "\"id\": \"1.1.1\""));
    assert_null(strstr(got, "\"id\": \"2\""));
    cJSON_Delete(root);
    free(got);

    got = export(p, "json", keep_first_last);
    root = cJSON_Parse(got);
    assert_non_null(root);
    assert_int_equal(json_int(root, "done"), 0);
    assert_int_equal(json_int(root, "total"), 2);
    goals = cJSON_GetObjectItemCaseSensitive(root, "goals");
    assert_int_equal(cJSON_GetArraySize(goals), 2);
    assert_int_equal(json_int(cJSON_GetArrayItem(goals, 0), "total"), 1);
    cJSON_Delete(root);
    free(got);

    got = export(p, "csv", keep_second);
    assert_string_equal(got, "id,goal,task,text,lead,responsible,done,done_at,support,due,"
                             "due_date,due_state,note\r\n"
                             "1.1.2,目标一,任务一,\"第一行\n第二行 | 竖线 *星*\",区审计局等,,"
                             "true," DONE_AT ",,,,done,\r\n");
    free(got);

    got = export(p, "md", keep_first_last);
    assert_non_null(strstr(got, "Progress: 0/2 done (0%)\n"));
    assert_non_null(strstr(got, "## 一、目标一 (0/1)\n"));
    assert_non_null(strstr(got, "| 1.1.1 |"));
    assert_null(strstr(got, "| 1.1.2 |"));
    assert_non_null(strstr(got, "| 2.1.1 |"));
    free(got);

    /* an empty filter: headers only */
    static const uint8_t none[] = {0, 0, 0};
    got = export(p, "csv", none);
    assert_string_equal(got, "id,goal,task,text,lead,responsible,done,done_at,support,due,"
                             "due_date,due_state,note\r\n");
    free(got);
    got = export(p, "json", none);
    assert_non_null(strstr(got, "\"done\": 0, \"total\": 0,\n \"goals\": []}"));
    free(got);

    /* an unknown format */
    FILE *f = fopen("/dev/null", "w");
    assert_int_equal(report_export(f, p, "xml", NULL), -1);
    assert_int_equal(report_export(f, p, "", NULL), -1);
    fclose(f);
    plan_free(p);
}

/* --with-history: each item gains "history", its changes oldest first;
 * an item without any has []. */
static void test_json_history(void **state)
{
    (void)state;
    plan *p = small_plan();
    static const char lines[] =
        "{\"at\":\"2026-12-01T09:00:00+08:00\",\"by\":\"li\",\"id\":\"1.1.2\",\"done\":true}\n"
        "{\"at\":\"2026-12-01T09:30:00+08:00\",\"by\":\"li\",\"id\":\"2.1.1\","
        "\"note\":\"a\\u001b\"}\n"
        "{\"at\":\"2026-12-01T10:00:00+08:00\",\"by\":\"wang\",\"id\":\"1.1.2\",\"done\":false,"
        "\"undo\":true}\n";
    history h = {0};
    diags d = {0};
    history_parse(&h, "h.jsonl", lines, sizeof lines - 1, NULL, &d);
    assert_int_equal(d.n, 0);
    char *s = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&s, &n);
    assert_int_equal(report_export_with(f, p, "json", NULL, &h), 0);
    fclose(f);
    assert_no_controls(s, false);
    assert_non_null(strstr(s, "\"history\": []}"));   /* 1.1.1 */
    assert_non_null(strstr(s, "\"history\": [{\"at\": \"2026-12-01T09:00:00+08:00\", \"by\": "
                              "\"li\", \"done\": true}, {\"at\": \"2026-12-01T10:00:00+08:00\", "
                              "\"by\": \"wang\", \"done\": false, \"undo\": true}]}"));
    assert_non_null(strstr(s, "\"history\": [{\"at\": \"2026-12-01T09:30:00+08:00\", \"by\": "
                              "\"li\", \"note\": \"a\\u001b\"}]}"));
    cJSON *root = cJSON_Parse(s);
    assert_non_null(root);
    cJSON_Delete(root);
    free(s);
    /* without a history: no "history" key */
    s = export(p, "json", NULL);
    assert_null(strstr(s, "\"history\""));
    free(s);
    history_free(&h);
    diags_free(&d);
    plan_free(p);
}

static void test_report_with_query(void **state)
{
    (void)state;
    plan *p = small_plan();
    units_index *ix = units_index_new(p);
    units_result r = {0};
    units_search(ix, "区审计局", &r);
    char *got = report(p, &r, "区审计局");
    assert_string_equal(got,
                        "报告\"测试\"\\方案\n"
                        "文〔2024〕1号  办公室  2024-01-02\n"
                        "As of 截至: 2026-12-01\n"
                        "Unit query: 区审计局 matches 区审计局\n"
                        "Items: 1 as lead, 0 as responsible, 0 through a group\n"
                        "Progress: 1/1 done (100%)\n"
                        "\n"
                        "一、目标一                                                                 1/1\n"
                        "  （一）任务一                                                             1/1\n"
                        "    [x] 2. 第一行␤第二行 | 竖线 *星*                          2026-11-26 18:42\n"
                        "\n"
                        "单位 Unit  牵头 Lead     责任 Responsible\n"
                        "区审计局   1/1           -\n");
    free(got);
    /* a query with controls is shown harmlessly */
    units_search(ix, "\x1b[2J", &r);
    got = report(p, &r, "\x1b[2J");
    assert_no_controls(got, false);
    assert_non_null(strstr(got, "Unit query: ␛[2J matches no unit\n"));
    free(got);
    units_result_free(&r);
    units_index_free(ix);
    plan_free(p);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_exact),
        cmocka_unit_test(test_json_schema),
        cmocka_unit_test(test_json_hostile_strings),
        cmocka_unit_test(test_csv_exact),
        cmocka_unit_test(test_csv_rfc4180),
        cmocka_unit_test(test_md_exact),
        cmocka_unit_test(test_report_exact),
        cmocka_unit_test(test_report_alignment),
        cmocka_unit_test(test_filter_exports),
        cmocka_unit_test(test_report_with_query),
        cmocka_unit_test(test_json_history),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
