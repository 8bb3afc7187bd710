/* test_plan.c - the model (plan.c) and the YAML loader (plan_yaml.c): one
 * fixture per kind of error with its exact message and position, default
 * ids, unit cells, groups, the builder API, and hostile inputs.
 *
 * Fixtures are in tests/fixtures/plan/ (under $TOP, or the current folder):
 * the tests chdir there, so that messages name the bare file. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "plan.h"
#include "util.h"

/* ---- helpers ---- */

/* All diagnostics, one per line. */
static char *diag_text(const diags *d)
{
    strbuf b = {0};
    for (size_t i = 0; i < d->n; i++) {
        sb_adds(&b, d->v[i].text);
        sb_addc(&b, '\n');
    }
    return sb_steal(&b);
}

/* Load a fixture that must fail with exactly these diagnostics. */
static void assert_load_fails(const char *file, const char *want)
{
    diags d = {0};
    plan *p = plan_load(file, &d);
    char *got = diag_text(&d);
    if (p || strcmp(got, want) != 0 || d.errors == 0)
        fail_msg("%s: %s\n got: %s want: %s", file, p ? "loaded" : "failed", got, want);
    free(got);
    plan_free(p);
    diags_free(&d);
}

/* Load a fixture that must succeed; the diagnostics (warnings) go to *warn. */
static plan *load_ok(const char *file, char **warn)
{
    diags d = {0};
    plan *p = plan_load(file, &d);
    char *got = diag_text(&d);
    if (!p)
        fail_msg("%s did not load:\n%s", file, got);
    assert_int_equal(d.errors, 0);
    if (warn)
        *warn = got;
    else
        free(got);
    diags_free(&d);
    return p;
}

/* Parse a buffer; the diagnostics go to *out (may be NULL). */
static plan *parse(const char *buf, size_t len, char **out)
{
    diags d = {0};
    plan *p = plan_parse("t.yaml", buf, len, &d);
    if (out)
        *out = diag_text(&d);
    if (p)
        assert_int_equal(d.errors, 0);
    else
        assert_true(d.errors > 0);
    diags_free(&d);
    return p;
}

/* The units of one cell of an item as "a|b" plus "+" when more is set. */
static char *cell(const plan *p, const plan_item *it, int who)
{
    strbuf b = {0};
    for (uint32_t k = 0; k < it->who[who].n; k++) {
        if (k)
            sb_addc(&b, '|');
        sb_adds(&b, p->units[it->who[who].unit[k]].name);
    }
    if (it->who[who].more)
        sb_addc(&b, '+');
    return sb_steal(&b);
}

static void assert_cell(const plan *p, size_t item, int who, const char *want)
{
    char *got = cell(p, &p->items[item], who);
    if (strcmp(got, want) != 0)
        fail_msg("item %s %s: got \"%s\", want \"%s\"", p->items[item].id,
                 who == PLAN_LEAD ? "lead" : "responsible", got, want);
    free(got);
}

static uint32_t unit_index(const plan *p, const char *name)
{
    for (size_t u = 0; u < p->n_units; u++)
        if (strcmp(p->units[u].name, name) == 0)
            return (uint32_t)u;
    fail_msg("no unit \"%s\"", name);
    return 0;
}

/* ---- one fixture per kind of error ---- */

typedef struct {
    const char *file;
    const char *want;   /* every diagnostic, each ending in '\n' */
} error_case;

static const error_case error_cases[] = {
    /* a goal holding both tasks and items; an unknown numbering */
    {"goal_tasks_and_items.yaml",
     "goal_tasks_and_items.yaml:8:5: error: a goal holds either tasks or items, not both: "
     "move these items into a task (line 4 has the goal's tasks)\n"},
    {"bad_numbering.yaml",
     "bad_numbering.yaml:2:12: error: numbering must be task, goal or plan\n"},
    /* missing required keys */
    {"missing_title.yaml",
     "missing_title.yaml:1:1: error: the plan has no title: add a \"title:\" line\n"},
    {"missing_goals.yaml",
     "missing_goals.yaml:1:1: error: the plan has no goals: add a \"goals:\" list\n"},
    {"missing_tasks.yaml",
     "missing_tasks.yaml:3:5: error: goal has no tasks: add a \"tasks:\" list\n"},
    {"missing_items.yaml",
     "missing_items.yaml:5:9: error: task has no items: add an \"items:\" list\n"},
    {"missing_text.yaml",
     "missing_text.yaml:8:13: error: item has no text: add a \"text:\" key\n"},
    {"missing_task_title.yaml",
     "missing_task_title.yaml:5:9: error: task has no title: add a \"title:\" key\n"},
    {"missing_goal_title.yaml",
     "missing_goal_title.yaml:3:5: error: goal has no title: add a \"title:\" key\n"},
    {"empty_title.yaml",
     "empty_title.yaml:1:8: error: title is empty\n"
     "empty_title.yaml:7:18: error: text is empty\n"},
    /* wrong types */
    {"type_title_list.yaml",
     "type_title_list.yaml:1:8: error: title must be a string, not a list\n"},
    {"type_goals_mapping.yaml",
     "type_goals_mapping.yaml:3:3: error: goals must be a list, not a mapping\n"},
    {"type_items_string.yaml",
     "type_items_string.yaml:6:16: error: items must be a list, not a string\n"},
    {"type_lead_mapping.yaml",
     "type_lead_mapping.yaml:8:19: error: lead must be a list of units or one string, "
     "not a mapping\n"},
    {"type_lead_more.yaml",
     "type_lead_more.yaml:9:24: error: lead_more must be true or false\n"},
    {"bad_unit_entry.yaml",
     "bad_unit_entry.yaml:8:26: error: each unit in lead must be a string, not a list\n"},
    {"goal_not_mapping.yaml",
     "goal_not_mapping.yaml:3:5: error: a goal must be a mapping (with id, title), "
     "not a string\n"},
    {"not_mapping.yaml",
     "not_mapping.yaml:1:1: error: the plan must be a mapping with title and goals, "
     "not a list\n"},
    /* empty lists */
    {"empty_goals.yaml", "empty_goals.yaml:2:8: error: goals is an empty list\n"},
    {"empty_tasks.yaml", "empty_tasks.yaml:4:12: error: tasks is an empty list\n"},
    {"empty_items.yaml", "empty_items.yaml:6:16: error: items is an empty list\n"},
    /* duplicate ids and keys */
    {"dup_item_id.yaml",
     "dup_item_id.yaml:9:17: error: duplicate id \"a\": item at line 7, column 17 has it "
     "already; ids must be unique\n"},
    {"dup_id_kinds.yaml",
     "dup_id_kinds.yaml:8:17: error: duplicate id \"X\": goal at line 3, column 9 has it "
     "already; ids must be unique\n"},
    {"dup_default_id.yaml",
     "dup_default_id.yaml:9:5: error: duplicate id \"2\": goal at line 3, column 9 has it "
     "already; ids must be unique\n"
     "dup_default_id.yaml:11:9: error: duplicate id \"2.1\": task at line 6, column 9 has it "
     "already; ids must be unique\n"
     "dup_default_id.yaml:13:13: error: duplicate id \"2.1.1\": item at line 8, column 13 "
     "has it already; ids must be unique\n"},
    {"dup_key.yaml",
     "dup_key.yaml:8:13: error: duplicate key \"text\" in the same mapping\n"},
    {"id_control.yaml",
     "id_control.yaml:7:17: error: id \"a␉b\" contains a control character\n"},
    /* more than one document */
    {"two_docs.yaml",
     "two_docs.yaml:8:1: error: a second YAML document starts here: a plan file holds "
     "exactly one\n"},
    /* not a UTF-8 text file */
    {"not_utf8.yaml",
     "not_utf8.yaml:1:9: error: the file is not valid UTF-8 (byte 0xFF): save it as UTF-8\n"},
    {"truncated_utf8.yaml",
     "truncated_utf8.yaml:7:20: error: the file is not valid UTF-8 (it ends inside a "
     "character): save it as UTF-8\n"},
    {"utf16.yaml", "utf16.yaml:1:1: error: the file is UTF-16: save it as UTF-8\n"},
    {"nul.yaml", "nul.yaml:1:9: error: the file contains a NUL byte: it is not a text file\n"},
    {"nul_escape.yaml",
     "nul_escape.yaml:1:8: error: a value contains a NUL character (\\0)\n"},
    {"control_esc.yaml",
     "control_esc.yaml:1:10: error: the file contains a control character (U+001B); write "
     "it as an escape in a double-quoted string if you need it\n"},
    /* empty */
    {"empty.yaml",
     "plandash: error: empty.yaml: the file is empty: a plan needs at least a title and goals\n"},
    {"blank.yaml",
     "blank.yaml:4:1: error: the file holds no plan: it needs at least a title and goals\n"},
    /* YAML syntax, with a hint */
    {"tab_indent.yaml",
     "tab_indent.yaml:3:1: error: YAML syntax error: found character that cannot start any "
     "token (a tab used for indentation? YAML indents with spaces) (while scanning for the "
     "next token at line 3, column 1)\n"},
    /* aliases are refused */
    {"alias.yaml",
     "alias.yaml:9:26: error: aliases (*who) are not supported in a plan: write the value "
     "out\n"},
};

static void test_error_fixture(void **state)
{
    const error_case *c = *state;
    assert_load_fails(c->file, c->want);
}

static void test_error_folder_and_missing(void **state)
{
    (void)state;
    assert_load_fails(".", "plandash: error: .: is a folder, not a plan file\n");
    assert_load_fails("no-such-plan.yaml",
                      "plandash: error: no-such-plan.yaml: cannot open the plan: No such file or "
                      "directory\n");
}

/* The same checks on a buffer (plan_parse) as on a file. */
static void test_errors_from_buffer(void **state)
{
    (void)state;
    char *out;
    assert_null(parse("", 0, &out));
    assert_string_equal(out, "t.yaml:1:1: error: the file holds no plan: it needs at least "
                             "a title and goals\n");
    free(out);
    assert_null(parse("title: a\0b\n", 11, &out));
    assert_string_equal(out, "t.yaml:1:9: error: the file contains a NUL byte: it is not a "
                             "text file\n");
    free(out);
    assert_null(parse("\xff\xfet\0", 4, &out));
    assert_string_equal(out, "t.yaml:1:1: error: the file is UTF-16: save it as UTF-8\n");
    free(out);
    assert_null(parse("title: x\ngoals: [\x7f]\n", 20, &out));
    assert_string_equal(out, "t.yaml:2:9: error: the file contains a control character "
                             "(U+007F); write it as an escape in a double-quoted string if "
                             "you need it\n");
    free(out);
    /* a raw C1 control (U+009B, CSI) is a control character too */
    assert_null(parse("title: \xC2\x9B" "2J\n", 12, &out));
    assert_string_equal(out, "t.yaml:1:8: error: the file contains a control character "
                             "(U+009B); write it as an escape in a double-quoted string if "
                             "you need it\n");
    free(out);
    /* only len bytes are read: what follows is not part of the file */
    static const char ok[] = "title: t\ngoals:\n- title: g\n  tasks:\n  - title: k\n"
                             "    items:\n    - text: x\n\x1b";
    plan *p = parse(ok, sizeof ok - 2, NULL);
    assert_non_null(p);
    plan_free(p);
}

/* Typing slips from a buffer (plan_parse) as from a file: the rest of the
 * buffer is scanned after a syntax error, so every slip is reported. */
static void test_slips_from_buffer(void **state)
{
    (void)state;
    static const char head[] = "title: t\ngoals:\n- title: g\n  tasks:\n  - title: k\n"
                               "    items:\n";
    char buf[512];
    char *out;
    int n = snprintf(buf, sizeof buf, "%s    - text: x\n\xE3\x80\x80\xE3\x80\x80lead: a\n"
                     "    - text: y\n      lead：b\n    - text:z\n", head);
    assert_null(parse(buf, (size_t)n, &out));
    assert_string_equal(out,
        "t.yaml:8:1: error: a full-width space (U+3000) is used for indentation; indent "
        "with ASCII spaces\n"
        "t.yaml:10:11: error: a full-width colon (：) after \"lead\"; write \"lead: \" with "
        "an ASCII colon and a space\n"
        "t.yaml:11:11: error: no space after the colon of \"text:\"; write \"text: \" with a "
        "space before the value\n");
    free(out);
    n = snprintf(buf, sizeof buf, "%s    - text: 'x\n      lead: a\n    - text: 'y'\n", head);
    assert_null(parse(buf, (size_t)n, &out));
    assert_string_equal(out, "t.yaml:7:13: error: a quoted value starts here and runs on to "
                             "line 9, where YAML fails (did not find expected key): a "
                             "missing closing quote?\n");
    free(out);
    /* a non-breaking space indenting a key */
    n = snprintf(buf, sizeof buf, "title: t\n\xC2\xA0goals: []\n");
    assert_null(parse(buf, (size_t)n, &out));
    assert_string_equal(out, "t.yaml:2:1: error: a non-ASCII space (U+00A0) is used for "
                             "indentation; indent with ASCII spaces\n");
    free(out);
}

/* Many errors: the first 50 and a note, not thousands of lines. */
static void test_error_cap(void **state)
{
    (void)state;
    strbuf b = {0};
    sb_adds(&b, "title: t\ngoals:\n- title: g\n  tasks:\n  - title: k\n    items:\n");
    for (int i = 0; i < 200; i++)
        sb_adds(&b, "    - lead: x\n");
    diags d = {0};
    assert_null(plan_parse("t.yaml", b.s, b.len, &d));
    assert_int_equal(d.n, 51);
    assert_string_equal(d.v[0].text, "t.yaml:7:7: error: item has no text: add a \"text:\" key");
    assert_string_equal(d.v[50].text, "t.yaml: error: too many errors; stopping");
    diags_free(&d);
    sb_free(&b);
}

/* ---- what loads ---- */

static void test_valid(void **state)
{
    (void)state;
    char *warn;
    plan *p = load_ok("valid.yaml", &warn);
    assert_string_equal(warn, "");
    free(warn);
    assert_string_equal(p->title, "测试方案");
    assert_string_equal(p->issuer, "测试办公室");
    assert_string_equal(p->document, "测试〔2024〕1号");
    assert_string_equal(p->date, "2024-01-02");
    assert_int_equal(p->n_goals, 1);
    assert_int_equal(p->n_tasks, 1);
    assert_int_equal(p->n_items, 1);
    assert_string_equal(p->goals[0].title, "第一个目标");
    assert_string_equal(p->tasks[0].title, "第一个任务");
    assert_string_equal(p->items[0].text, "第一项内容。");
    assert_cell(p, 0, PLAN_LEAD, "区党政办");
    assert_cell(p, 0, PLAN_RESP, "各镇（街道）|区各有关部门");
    assert_int_equal(p->items[0].pos.line, 12);
    assert_int_equal(p->items[0].pos.col, 13);
    assert_int_equal(p->n_item_units, 3);
    assert_false(p->items[0].done);
    assert_null(p->items[0].done_at);
    plan_free(p);
}

static void test_bom_crlf(void **state)
{
    (void)state;
    /* A UTF-8 byte order mark and CRLF line ends (a Windows editor). */
    plan *p = load_ok("bom_crlf.yaml", NULL);
    assert_string_equal(p->title, "测试方案");
    assert_string_equal(p->items[0].text, "内容");
    plan_free(p);
    /* A position on line 1 after a BOM does not count the BOM. */
    char *out;
    assert_null(parse("\xEF\xBB\xBFtitle: \x1b\n", 12, &out));
    assert_string_equal(out, "t.yaml:1:8: error: the file contains a control character "
                             "(U+001B); write it as an escape in a double-quoted string if "
                             "you need it\n");
    free(out);
}

static void test_unknown_keys_warn(void **state)
{
    (void)state;
    char *warn;
    plan *p = load_ok("unknown_keys.yaml", &warn);
    assert_string_equal(warn,
                        "unknown_keys.yaml:2:1: warning: unknown key \"owner\" in the plan "
                        "(ignored)\n"
                        "unknown_keys.yaml:5:5: warning: unknown key \"color\" in a goal "
                        "(ignored)\n"
                        "unknown_keys.yaml:10:13: warning: unknown key \"note\" in an item "
                        "(ignored)\n");
    free(warn);
    assert_int_equal(p->n_items, 1);
    plan_free(p);
}

static void test_default_ids(void **state)
{
    (void)state;
    plan *p = load_ok("default_ids.yaml", NULL);
    static const char *const goals[] = {"1", "A"};
    static const char *const tasks[] = {"1.1", "1.2", "A.1", "B"};
    static const char *const items[] = {"1.1.1", "1.2.1", "1.2.2", "1.2.3",
                                        "A.1.1", "B.1",   "custom", "B.3"};
    assert_int_equal(p->n_goals, 2);
    assert_int_equal(p->n_tasks, 4);
    assert_int_equal(p->n_items, 8);
    for (size_t i = 0; i < 2; i++)
        assert_string_equal(p->goals[i].id, goals[i]);
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(p->tasks[i].id, tasks[i]);
    for (size_t i = 0; i < 8; i++)
        assert_string_equal(p->items[i].id, items[i]);
    /* numbering is by position whatever the ids */
    assert_int_equal(p->goals[1].num, 2);
    assert_int_equal(p->tasks[3].num, 2);
    assert_int_equal(p->items[6].num, 2);
    assert_int_equal(p->items[7].num, 3);
    /* ranges */
    assert_int_equal(p->goals[0].first_task, 0);
    assert_int_equal(p->goals[0].n_tasks, 2);
    assert_int_equal(p->goals[0].n_items, 4);
    assert_int_equal(p->goals[1].first_task, 2);
    assert_int_equal(p->goals[1].first_item, 4);
    assert_int_equal(p->goals[1].n_items, 4);
    assert_int_equal(p->tasks[1].first_item, 1);
    assert_int_equal(p->tasks[1].n_items, 3);
    assert_int_equal(p->items[5].task, 3);
    assert_int_equal(p->tasks[2].goal, 1);
    /* lookups */
    int kind;
    uint32_t idx;
    assert_true(plan_find_node(p, "B", &kind, &idx));
    assert_int_equal(kind, PLAN_TASK);
    assert_int_equal(idx, 3);
    assert_true(plan_find_node(p, "A", &kind, &idx));
    assert_int_equal(kind, PLAN_GOAL);
    assert_int_equal(idx, 1);
    assert_ptr_equal(plan_find_item(p, "custom"), &p->items[6]);
    assert_null(plan_find_item(p, "B"));
    assert_null(plan_find_item(p, "B.2"));
    assert_false(plan_find_node(p, "9", &kind, &idx));
    plan_free(p);
}

static void test_unit_cells(void **state)
{
    (void)state;
    plan *p = load_ok("units.yaml", NULL);
    /* split at 、 ， , ； ; */
    assert_cell(p, 0, PLAN_LEAD, "甲局|乙局|丙局|丁局|戊局|己局");
    assert_cell(p, 0, PLAN_RESP, "");
    /* string form: a last name ending in 等 loses it and sets more */
    assert_cell(p, 1, PLAN_LEAD, "甲局|乙局+");
    assert_cell(p, 1, PLAN_RESP, "丙局|丁局+");
    /* list form: a last entry "等", or ending in 等 */
    assert_cell(p, 2, PLAN_LEAD, "甲局|乙局+");
    assert_cell(p, 2, PLAN_RESP, "丙局|丁局+");
    /* lead_more / responsible_more */
    assert_cell(p, 3, PLAN_LEAD, "甲局+");
    assert_cell(p, 3, PLAN_RESP, "乙局");
    /* 等 only counts at the end */
    assert_cell(p, 4, PLAN_LEAD, "甲局等|乙局");
    assert_cell(p, 5, PLAN_LEAD, "");
    assert_cell(p, 5, PLAN_RESP, "");
    /* units are interned once, with their counts */
    assert_int_equal(p->n_units, 7);
    assert_int_equal(p->n_item_units, 7);
    uint32_t jia = unit_index(p, "甲局");
    assert_int_equal(p->units[jia].n_items[PLAN_LEAD], 4);
    assert_int_equal(p->units[jia].n_items[PLAN_RESP], 0);
    uint32_t yi = unit_index(p, "乙局");
    assert_int_equal(p->units[yi].n_items[PLAN_LEAD], 4);
    assert_int_equal(p->units[yi].n_items[PLAN_RESP], 1);
    assert_ptr_equal(p->items[0].who[PLAN_LEAD].unit[0] == jia ? p : NULL, p);
    plan_free(p);
}

/* Block scalars lose their final line break; optional fields may be left
 * empty ("" or nothing), required ones may not. */
static void test_block_scalars_and_empty(void **state)
{
    (void)state;
    static const char y[] =
        "title: |\n  多行\n  标题\n"
        "issuer: \"\"\n"
        "document:\n"
        "date: ~\n"
        "goals:\n- title: >-\n    折叠\n  tasks:\n  - title: k\n    items:\n"
        "    - text: |\n        第一行\n        第二行\n\n"
        "    - text: \"末尾\\n\\n\"\n";
    plan *p = parse(y, sizeof y - 1, NULL);
    assert_non_null(p);
    assert_string_equal(p->title, "多行\n标题");
    assert_null(p->issuer);
    assert_null(p->document);
    assert_null(p->date);
    assert_string_equal(p->goals[0].title, "折叠");
    assert_string_equal(p->items[0].text, "第一行\n第二行");
    assert_string_equal(p->items[1].text, "末尾");
    plan_free(p);

    char *out;
    static const char empty_id[] =
        "title: t\ngoals:\n- id: \"\"\n  title: g\n  tasks:\n  - title: k\n    items:\n"
        "    - text: |\n\n";
    assert_null(parse(empty_id, sizeof empty_id - 1, &out));
    assert_string_equal(out, "t.yaml:3:7: error: id is empty\n"
                             "t.yaml:8:13: error: text is empty\n");
    free(out);
}

static void test_unit_cells_inline(void **state)
{
    (void)state;
    static const char y[] =
        "title: t\ngoals:\n- title: g\n  tasks:\n  - title: k\n    items:\n"
        "    - {text: a, lead: 等}\n"                          /* only 等 */
        "    - {text: b, lead: [甲等], responsible: [等]}\n"
        "    - {text: c, lead: '甲、 乙 、等', lead_more: false}\n"  /* 等 wins */
        "    - {text: d, lead: [甲, 甲, 乙], responsible: ~}\n"  /* repeated once */
        "    - {text: e, lead: \"\\u3000甲\\u3000\"}\n"          /* U+3000 trimmed */
        /* NBSP and tabs trimmed alike, in a list and in a string */
        "    - {text: f, lead: [\"\\u00a0乙\\t\"], responsible: \"\\u00a0丙\\u3000、 丁\\u00a0等\"}\n";
    plan *p = parse(y, sizeof y - 1, NULL);
    assert_non_null(p);
    assert_cell(p, 0, PLAN_LEAD, "+");
    assert_cell(p, 1, PLAN_LEAD, "甲+");
    assert_cell(p, 1, PLAN_RESP, "+");
    assert_cell(p, 2, PLAN_LEAD, "甲|乙+");
    assert_cell(p, 3, PLAN_LEAD, "甲|乙");
    assert_cell(p, 3, PLAN_RESP, "");
    assert_cell(p, 4, PLAN_LEAD, "甲");
    assert_cell(p, 5, PLAN_LEAD, "乙");
    assert_cell(p, 5, PLAN_RESP, "丙|丁+");
    assert_int_equal(p->units[unit_index(p, "甲")].n_items[PLAN_LEAD], 4);
    plan_free(p);
}

static void test_groups(void **state)
{
    (void)state;
    plan *p = load_ok("groups.yaml", NULL);
    assert_int_equal(p->n_groups, 3);
    /* 9 units, of which 4 are named by items (groups and members that no
     * item names do not count). */
    assert_int_equal(p->n_units, 9);
    assert_int_equal(p->n_item_units, 4);
    uint32_t towns = unit_index(p, "各镇（街道）");
    uint32_t depts = unit_index(p, "区各部门");
    uint32_t unused = unit_index(p, "没人用的组");
    uint32_t chunjiang = unit_index(p, "春江镇");
    uint32_t audit = unit_index(p, "区审计局");
    uint32_t justice = unit_index(p, "区司法局");
    assert_true(p->units[towns].is_group);
    assert_true(p->units[depts].is_group);
    assert_true(p->units[unused].is_group);
    assert_false(p->units[chunjiang].is_group);
    assert_false(p->units[audit].is_group);
    /* members as a list */
    assert_int_equal(p->groups[0].unit, towns);
    assert_int_equal(p->groups[0].n_members, 2);
    assert_int_equal(p->groups[0].members[0], chunjiang);
    assert_int_equal(p->groups[0].members[1], unit_index(p, "孟河镇"));
    assert_int_equal(p->groups[0].pos.line, 3);
    assert_int_equal(p->groups[0].pos.col, 3);
    /* members as a string, split like a unit cell */
    assert_int_equal(p->groups[1].unit, depts);
    assert_int_equal(p->groups[1].n_members, 2);
    assert_int_equal(p->groups[1].members[0], justice);
    assert_int_equal(p->groups[1].members[1], audit);
    /* each member knows its groups */
    assert_int_equal(p->units[chunjiang].n_groups, 1);
    assert_int_equal(p->units[chunjiang].groups[0], 0);
    assert_int_equal(p->units[audit].n_groups, 1);
    assert_int_equal(p->units[audit].groups[0], 1);
    assert_int_equal(p->units[towns].n_groups, 0);
    /* a unit that is both an item's and a member keeps its item counts */
    assert_int_equal(p->units[audit].n_items[PLAN_LEAD], 1);
    assert_int_equal(p->units[towns].n_items[PLAN_RESP], 1);
    assert_int_equal(p->units[chunjiang].n_items[PLAN_RESP], 0);
    plan_free(p);
}

static void test_group_errors(void **state)
{
    (void)state;
    char *out;
    static const char dup[] = "title: t\ngroups:\n  甲: [a]\n  甲: [b]\ngoals: []\n";
    assert_null(parse(dup, sizeof dup - 1, &out));
    assert_string_equal(out, "t.yaml:4:3: error: duplicate key \"甲\" in the same mapping\n"
                             "t.yaml:5:8: error: goals is an empty list\n");
    free(out);
    static const char list[] = "title: t\ngroups: [a, b]\n";
    assert_null(parse(list, sizeof list - 1, &out));
    assert_string_equal(out, "t.yaml:2:9: error: groups must be a mapping of a group's name "
                             "to its members, not a list\n"
                             "t.yaml:1:1: error: the plan has no goals: add a \"goals:\" list\n");
    free(out);
}

/* ---- the builder API, without YAML ---- */

static plan_builder *build_small(void)
{
    plan_builder *b = plan_build_new();
    plan_pos none = {0, 0};
    plan_build_title(b, "手工方案");
    plan_build_document(b, "文号");
    plan_build_group(b, "各镇", none);
    plan_build_member(b, "甲镇");
    plan_build_member(b, " 乙镇 ");
    plan_build_goal(b, NULL, "目标一", none);
    plan_build_task(b, NULL, "任务一", none);
    plan_build_item(b, NULL, "内容一", none);
    plan_build_unit(b, PLAN_LEAD, "区党政办");
    plan_build_units_string(b, PLAN_RESP, "各镇、区各有关部门等");
    plan_build_item(b, "x", NULL, none);
    plan_build_text(b, "内容二");
    plan_build_unit(b, PLAN_LEAD, "甲镇");
    plan_build_more(b, PLAN_LEAD, true);
    plan_build_goal(b, "G", NULL, none);
    plan_build_heading(b, PLAN_GOAL, "目标二");
    plan_build_task(b, NULL, "任务二", none);
    plan_build_item(b, NULL, "内容三", none);
    return b;
}

static void test_builder(void **state)
{
    (void)state;
    diags d = {0};
    plan *p = plan_build_finish(build_small(), "built", &d);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.n, 0);
    assert_string_equal(p->title, "手工方案");
    assert_string_equal(p->document, "文号");
    assert_null(p->issuer);
    assert_null(p->date);
    assert_string_equal(p->items[0].id, "1.1.1");
    assert_string_equal(p->items[1].id, "x");
    assert_string_equal(p->items[1].text, "内容二");
    assert_string_equal(p->goals[1].id, "G");
    assert_string_equal(p->goals[1].title, "目标二");
    assert_string_equal(p->tasks[1].id, "G.1");
    assert_string_equal(p->items[2].id, "G.1.1");
    assert_cell(p, 0, PLAN_LEAD, "区党政办");
    assert_cell(p, 0, PLAN_RESP, "各镇|区各有关部门+");
    assert_cell(p, 1, PLAN_LEAD, "甲镇+");
    assert_cell(p, 2, PLAN_LEAD, "");
    assert_int_equal(p->n_item_units, 4);
    assert_int_equal(p->n_units, 5);
    assert_true(p->units[unit_index(p, "各镇")].is_group);
    assert_int_equal(p->units[unit_index(p, "乙镇")].n_groups, 1);

    /* done counts */
    assert_int_equal(p->done, 0);
    p->items[0].done = true;
    p->items[2].done = true;
    p->items[2].done_at = "2026-11-26T18:42:08+08:00";
    plan_recount(p);
    assert_int_equal(p->done, 2);
    assert_int_equal(p->goals[0].done, 1);
    assert_int_equal(p->goals[1].done, 1);
    assert_int_equal(p->tasks[0].done, 1);
    assert_int_equal(p->tasks[1].done, 1);
    uint32_t office = unit_index(p, "区党政办");
    assert_int_equal(p->units[office].done_items[PLAN_LEAD], 1);
    assert_int_equal(p->units[office].n_items[PLAN_LEAD], 1);
    assert_int_equal(p->units[unit_index(p, "甲镇")].done_items[PLAN_LEAD], 0);
    plan_recount(p);   /* idempotent */
    assert_int_equal(p->done, 2);
    plan_clear_done(p);
    assert_false(p->items[0].done);
    assert_null(p->items[2].done_at);
    plan_recount(p);
    assert_int_equal(p->done, 0);
    assert_int_equal(p->goals[1].done, 0);
    assert_int_equal(p->units[office].done_items[PLAN_LEAD], 0);
    diags_free(&d);
    plan_free(p);
}

static void test_builder_errors(void **state)
{
    (void)state;
    plan_pos none = {0, 0}, at = {4, 7};
    diags d = {0};
    /* nothing at all */
    plan_builder *b = plan_build_new();
    plan *p = plan_build_finish(b, "b", &d);
    assert_int_equal(d.errors, 2);
    char *got = diag_text(&d);
    assert_string_equal(got, "b:1:1: error: the plan has no title\n"
                             "b:1:1: error: the plan has no goals\n");
    free(got);
    plan_free(p);
    diags_clear(&d);
    /* a goal without tasks, a task without items */
    b = plan_build_new();
    plan_build_title(b, "t");
    plan_build_goal(b, NULL, "g", at);
    plan_build_goal(b, NULL, "h", none);
    plan_build_task(b, NULL, "k", none);
    p = plan_build_finish(b, "b", &d);
    assert_int_equal(d.errors, 2);
    got = diag_text(&d);
    assert_string_equal(got, "b:4:7: error: goal \"1\" has no tasks\n"
                             "b: error: task \"2.1\" has no items\n");
    free(got);
    plan_free(p);
    diags_clear(&d);
    /* duplicate ids without positions, and a group declared twice */
    b = plan_build_new();
    plan_build_title(b, "t");
    plan_build_group(b, "甲", none);
    plan_build_group(b, "甲", at);
    plan_build_goal(b, NULL, "g", none);
    plan_build_task(b, NULL, "k", none);
    plan_build_item(b, "1", "a", none);
    plan_build_item(b, "1.1", "b", none);
    p = plan_build_finish(b, "b", &d);
    assert_int_equal(d.errors, 3);
    got = diag_text(&d);
    assert_string_equal(got, "b:4:7: error: group \"甲\" is declared twice\n"
                             "b: error: duplicate id \"1\": another goal has it already; ids "
                             "must be unique\n"
                             "b: error: duplicate id \"1.1\": another task has it already; "
                             "ids must be unique\n");
    free(got);
    plan_free(p);
    diags_free(&d);
}

/* Official numbering, from the node's place: 一、 （一） 1. */
static void test_numbering(void **state)
{
    (void)state;
    plan_pos none = {0, 0};
    plan_builder *b = plan_build_new();
    plan_build_title(b, "t");
    for (int g = 0; g < 20; g++) {
        plan_build_goal(b, NULL, "g", none);
        for (int t = 0; t < (g ? 1 : 20); t++) {
            plan_build_task(b, NULL, "k", none);
            for (int i = 0; i < (g || t ? 1 : 12); i++)
                plan_build_item(b, NULL, "i", none);
        }
    }
    diags d = {0};
    plan *p = plan_build_finish(b, "n", &d);
    assert_int_equal(d.errors, 0);
    static const struct {
        int kind;
        uint32_t index;
        const char *want;
    } cases[] = {
        {PLAN_GOAL, 0, "一、"},     {PLAN_GOAL, 3, "四、"},       {PLAN_GOAL, 9, "十、"},
        {PLAN_GOAL, 11, "十二、"},  {PLAN_TASK, 0, "（一）"},     {PLAN_TASK, 12, "（十三）"},
        {PLAN_TASK, 19, "（二十）"}, {PLAN_TASK, 20, "（一）"},    {PLAN_ITEM, 0, "1."},
        {PLAN_ITEM, 11, "12."},     {PLAN_ITEM, 12, "1."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        strbuf s = {0};
        sb_adds(&s, "#");   /* it appends */
        plan_node_number(p, cases[i].kind, cases[i].index, &s);
        assert_string_equal(s.s + 1, cases[i].want);
        assert_int_equal(s.s[0], '#');
        sb_free(&s);
    }
    diags_free(&d);
    plan_free(p);
}

/* Accessors by kind, the walk in plan order, the done time. */
static void test_accessors(void **state)
{
    (void)state;
    diags d = {0};
    plan *p = plan_build_finish(build_small(), "built", &d);
    assert_int_equal(d.errors, 0);
    assert_string_equal(plan_node_id(p, PLAN_GOAL, 1), "G");
    assert_string_equal(plan_node_id(p, PLAN_TASK, 1), "G.1");
    assert_string_equal(plan_node_id(p, PLAN_ITEM, 1), "x");
    assert_string_equal(plan_node_title(p, PLAN_GOAL, 1), "目标二");
    assert_string_equal(plan_node_title(p, PLAN_TASK, 0), "任务一");
    assert_string_equal(plan_node_title(p, PLAN_ITEM, 1), "内容二");
    assert_string_equal(plan_kind_name(PLAN_TASK), "task");
    assert_string_equal(plan_role_key(PLAN_LEAD), "lead");
    assert_string_equal(plan_role_key(PLAN_RESP), "responsible");
    uint32_t first, n;
    plan_node_items(p, PLAN_GOAL, 0, &first, &n);
    assert_int_equal(first, 0);
    assert_int_equal(n, 2);
    plan_node_items(p, PLAN_TASK, 1, &first, &n);
    assert_int_equal(first, 2);
    assert_int_equal(n, 1);
    plan_node_items(p, PLAN_ITEM, 1, &first, &n);
    assert_int_equal(first, 1);
    assert_int_equal(n, 1);
    p->items[1].done = true;
    plan_recount(p);
    assert_int_equal(plan_node_done(p, PLAN_GOAL, 0), 1);
    assert_int_equal(plan_node_done(p, PLAN_TASK, 1), 0);
    assert_int_equal(plan_node_done(p, PLAN_ITEM, 1), 1);

    strbuf w = {0};
    int kind = -1;
    uint32_t ix = 0;
    while (plan_next_node(p, &kind, &ix))
        sb_addf(&w, "%s ", plan_node_id(p, kind, ix));
    assert_string_equal(w.s, "1 1.1 1.1.1 x G G.1 G.1.1 ");
    sb_free(&w);

    static const char *const times[][2] = {
        {"2026-11-26T18:42:08+08:00", "2026-11-26 18:42"},
        {"2026-11-26T18:42", "2026-11-26 18:42"},
        {"2026-11-26", "2026-11-26"},
        {"yesterday", "yesterday"},
    };
    for (size_t i = 0; i < sizeof times / sizeof *times; i++) {
        strbuf t = {0};
        plan_done_time(&t, times[i][0]);
        assert_string_equal(t.s, times[i][1]);
        sb_free(&t);
    }
    diags_free(&d);
    plan_free(p);
}


/* The names of item i's units in role w, joined by "、". */
static char *who_names(const plan *p, uint32_t i, int w)
{
    strbuf b = {0};
    const plan_units *pu = &p->items[i].who[w];
    for (uint32_t k = 0; k < pu->n; k++) {
        if (k)
            sb_adds(&b, "、");
        sb_adds(&b, p->units[pu->unit[k]].name);
    }
    if (pu->more)
        sb_adds(&b, "等");
    sb_addc(&b, '\0');
    return sb_steal(&b);
}

static void assert_who(const plan *p, uint32_t i, int w, const char *want)
{
    char *got = who_names(p, i, w);
    assert_string_equal(got, want);
    free(got);
}

/* Units set on the plan, a goal and a task apply to every item below,
 * after the item's own, each once; support is a third role; each. */
static void test_builder_levels(void **state)
{
    (void)state;
    plan_pos none = {0, 0};
    plan_builder *b = plan_build_new();
    plan_build_title(b, "t");
    plan_build_level_units_string(b, PLAN_PLAN, PLAN_RESP, "各县市区");
    plan_build_goal(b, NULL, "g", none);
    plan_build_task(b, NULL, "k", none);
    plan_build_item(b, NULL, "a", none);
    plan_build_unit(b, PLAN_SUPP, "丙");
    plan_build_each(b, true);
    plan_build_item(b, NULL, "b", none);
    plan_build_unit(b, PLAN_SUPP, "乙");
    plan_build_units_string(b, PLAN_LEAD, "甲、丁");
    /* set after the task's items, as a YAML key after items: may be */
    plan_build_level_unit(b, PLAN_TASK, PLAN_SUPP, "乙");
    plan_build_level_more(b, PLAN_TASK, PLAN_LEAD, true);
    plan_build_level_units_string(b, PLAN_GOAL, PLAN_LEAD, "甲等");
    plan_build_goal(b, NULL, "g2", none);
    plan_build_task(b, NULL, "k2", none);
    plan_build_item(b, NULL, "c", none);
    diags d = {0};
    plan *p = plan_build_finish(b, "n", &d);
    assert_int_equal(d.errors, 0);
    assert_who(p, 0, PLAN_LEAD, "甲等");
    assert_who(p, 0, PLAN_RESP, "各县市区");
    assert_who(p, 0, PLAN_SUPP, "丙、乙");
    assert_true(p->items[0].each);
    assert_who(p, 1, PLAN_LEAD, "甲、丁等");
    assert_who(p, 1, PLAN_SUPP, "乙");
    assert_false(p->items[1].each);
    assert_who(p, 2, PLAN_LEAD, "");       /* another goal: the plan's only */
    assert_who(p, 2, PLAN_RESP, "各县市区");
    assert_who(p, 2, PLAN_SUPP, "");
    assert_int_equal(p->units[unit_index(p, "各县市区")].n_items[PLAN_RESP], 3);
    assert_int_equal(p->units[unit_index(p, "甲")].n_items[PLAN_LEAD], 2);
    assert_int_equal(p->units[unit_index(p, "乙")].n_items[PLAN_SUPP], 2);
    assert_int_equal(p->n_item_units, 5);
    assert_true(plan_has_role(p, PLAN_SUPP));
    assert_string_equal(plan_role_key(PLAN_SUPP), "support");
    diags_free(&d);
    plan_free(p);
}

/* A goal holding its items: an implicit task, hidden from the walk and
 * the numbers, ids goal.N, found by "1.2". */
static void test_builder_two_level(void **state)
{
    (void)state;
    plan_pos none = {0, 0};
    plan_builder *b = plan_build_new();
    plan_build_title(b, "t");
    plan_build_goal(b, NULL, "g", none);
    plan_build_goal_items(b, none);
    plan_build_item(b, NULL, "a", none);
    plan_build_item(b, NULL, "b", none);
    plan_build_goal(b, NULL, "g2", none);
    plan_build_task(b, NULL, "k", none);
    plan_build_item(b, NULL, "c", none);
    diags d = {0};
    plan *p = plan_build_finish(b, "n", &d);
    assert_int_equal(d.errors, 0);
    assert_true(p->tasks[0].implicit);
    assert_int_equal(plan_task_count(p), 1);
    strbuf w = {0};
    int kind = -1;
    uint32_t ix = 0;
    while (plan_next_node(p, &kind, &ix)) {
        plan_node_number(p, kind, ix, &w);
        sb_addf(&w, "%s ", plan_node_id(p, kind, ix));
    }
    assert_string_equal(w.s, "一、1 1.1.1 2.1.2 二、2 （一）2.1 1.2.1.1 ");
    sb_free(&w);
    assert_true(plan_find_number(p, "1.2", &kind, &ix));
    assert_int_equal(kind, PLAN_ITEM);
    assert_int_equal(ix, 1);
    assert_true(plan_find_number(p, "2.1.1", &kind, &ix));
    assert_int_equal(kind, PLAN_ITEM);
    assert_int_equal(ix, 2);
    assert_true(plan_find_number(p, "2.1", &kind, &ix));
    assert_int_equal(kind, PLAN_TASK);
    assert_false(plan_find_number(p, "1.1.1", &kind, &ix));
    assert_false(plan_find_number(p, "1.3", &kind, &ix));
    assert_true(plan_find_node(p, "1", &kind, &ix));
    assert_int_equal(kind, PLAN_GOAL);      /* the implicit task's id is the goal's */
    diags_free(&d);
    plan_free(p);
}

/* numbering: goal and plan run items on; the numbers as shown find them. */
static void test_builder_numbering(void **state)
{
    (void)state;
    static const char *const want[] = {"1.1.1 1.1.2 1.2.1 2.1.1 ", "1.1.1 1.1.2 1.2.3 2.1.1 ",
                                       "1.1.1 1.1.2 1.2.3 2.1.4 "};
    for (int mode = PLAN_NUM_TASK; mode <= PLAN_NUM_PLAN; mode++) {
        plan_pos none = {0, 0};
        plan_builder *b = plan_build_new();
        plan_build_title(b, "t");
        plan_build_numbering(b, mode);
        for (int g = 0; g < 2; g++) {
            plan_build_goal(b, NULL, "g", none);
            for (int t = 0; t < (g ? 1 : 2); t++) {
                plan_build_task(b, NULL, "k", none);
                for (int i = 0; i < (g || t ? 1 : 2); i++)
                    plan_build_item(b, NULL, "i", none);
            }
        }
        diags d = {0};
        plan *p = plan_build_finish(b, "n", &d);
        assert_int_equal(d.errors, 0);
        strbuf w = {0};
        for (uint32_t i = 0; i < p->n_items; i++) {
            const plan_task *t = &p->tasks[p->items[i].task];
            sb_addf(&w, "%u.%u.%u ", t->goal + 1, t->num, p->items[i].shown);
            int kind;
            uint32_t ix;
            char dotted[32];
            snprintf(dotted, sizeof dotted, "%u.%u.%u", t->goal + 1, t->num, p->items[i].shown);
            assert_true(plan_find_number(p, dotted, &kind, &ix));
            assert_int_equal(kind, PLAN_ITEM);
            assert_int_equal(ix, i);
        }
        assert_string_equal(w.s, want[mode]);
        strbuf n = {0};
        plan_node_number(p, PLAN_ITEM, 3, &n);
        assert_string_equal(n.s, mode == PLAN_NUM_PLAN ? "4." : "1.");
        sb_free(&n);
        sb_free(&w);
        diags_free(&d);
        plan_free(p);
    }
}

/* Positions: the node's, and its id's when it has one of its own. */
static void test_node_pos(void **state)
{
    (void)state;
    static const char y[] = "title: t\ngoals:\n  - title: g\n    id: G\n    tasks:\n"
                            "      - title: k\n        items:\n          - text: i\n";
    plan *p = parse(y, sizeof y - 1, NULL);
    assert_non_null(p);
    plan_pos a = plan_node_pos(p, PLAN_GOAL, 0, false), b = plan_node_pos(p, PLAN_GOAL, 0, true);
    assert_int_equal(a.line, 3);
    assert_int_equal(a.col, 5);
    assert_int_equal(b.line, 4);
    assert_int_equal(b.col, 9);
    b = plan_node_pos(p, PLAN_ITEM, 0, true);
    assert_int_equal(b.line, 8);
    assert_int_equal(b.col, 13);
    plan_free(p);
}

/* The shipped plan loads, with the shape of the notice. */
static void test_shipped_plan(void **state)
{
    (void)state;
    plan *p = load_ok("../../../plan.yaml", NULL);
    assert_int_equal(p->n_goals, 4);
    assert_int_equal(p->n_tasks, 13);
    assert_int_equal(p->n_items, 26);
    assert_int_equal(p->n_item_units, 20);
    for (size_t i = 0; i < p->n_items; i++)
        assert_ptr_equal(plan_find_item(p, p->items[i].id), &p->items[i]);
    plan_free(p);
}

/* ---- hostile input: refused with a position, quickly ---- */

/* Parse buf; it must fail, with an error (not a warning) containing want
 * at line:col. */
static void assert_refused(const char *buf, size_t len, const char *want, unsigned line,
                           unsigned col)
{
    diags d = {0};
    plan *p = plan_parse("h.yaml", buf, len, &d);
    assert_null(p);
    char prefix[64];
    snprintf(prefix, sizeof prefix, "h.yaml:%u:%u: error: ", line, col);
    bool found = false;
    for (size_t i = 0; i < d.n; i++) {
        const char *t = d.v[i].text;
        if (strncmp(t, prefix, strlen(prefix)) == 0 && strstr(t, want))
            found = true;
    }
    if (!found) {
        char *got = diag_text(&d);
        fail_msg("want \"%s%s\" in:\n%s", prefix, want, got);
    }
    diags_free(&d);
}

static void test_hostile_alias_cycle(void **state)
{
    (void)state;
    static const char cyc[] = "title: t\nx: &a [*a]\n";
    assert_refused(cyc, sizeof cyc - 1, "aliases (*a) are not supported", 2, 8);
    static const char self[] = "title: &x\n  - *x\ngoals: []\n";
    assert_refused(self, sizeof self - 1, "aliases (*x) are not supported", 2, 5);
}

static void test_hostile_alias_bomb(void **state)
{
    (void)state;
    /* nine levels of ten: a billion strings if expanded */
    strbuf b = {0};
    sb_adds(&b, "title: bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 9; i++) {
        sb_addf(&b, "a%d: &a%d [", i, i);
        for (int k = 0; k < 10; k++)
            sb_addf(&b, "%s*a%d", k ? ", " : "", i - 1);
        sb_adds(&b, "]\n");
    }
    sb_adds(&b, "goals: *a8\n");
    assert_refused(b.s, b.len, "aliases (*a0) are not supported", 3, 10);
    sb_free(&b);
}

static void test_hostile_deep_flow(void **state)
{
    (void)state;
    enum { DEPTH = 20000 };
    strbuf b = {0};
    sb_adds(&b, "title: t\nx: ");
    for (int i = 0; i < DEPTH; i++)
        sb_addc(&b, '[');
    for (int i = 0; i < DEPTH; i++)
        sb_addc(&b, ']');
    sb_addc(&b, '\n');
    /* the root mapping is level 1: the 64th [ is level 65 */
    assert_refused(b.s, b.len, "nesting deeper than 64 levels", 2, 4 + 63);
    /* unclosed, and mappings */
    sb_reset(&b);
    sb_adds(&b, "title: t\nx: ");
    for (int i = 0; i < DEPTH; i++)
        sb_adds(&b, "{a: ");
    assert_refused(b.s, b.len, "nesting deeper than 64 levels", 2, 4 + 63 * 4);
    /* inside goals */
    sb_reset(&b);
    sb_adds(&b, "title: t\ngoals: ");
    for (int i = 0; i < DEPTH; i++)
        sb_addc(&b, '[');
    assert_refused(b.s, b.len, "nesting deeper than 64 levels", 2, 8 + 63);
    sb_free(&b);
}

static void test_hostile_deep_block(void **state)
{
    (void)state;
    enum { DEPTH = 20000 };
    strbuf b = {0};
    /* a block sequence of block sequences: "- - - - ..." */
    sb_adds(&b, "title: t\nx:\n");
    for (int i = 0; i < DEPTH; i++)
        sb_adds(&b, "- ");
    sb_adds(&b, "a\n");
    assert_refused(b.s, b.len, "nesting deeper than 64 levels", 3, 1 + 63 * 2);
    /* block mappings, one level per line (100 levels: enough to pass 64) */
    sb_reset(&b);
    sb_adds(&b, "title: t\n");
    for (int i = 0; i < 100; i++) {
        for (int k = 0; k < i; k++)
            sb_addc(&b, ' ');
        sb_adds(&b, "a:\n");
    }
    assert_refused(b.s, b.len, "nesting deeper than 64 levels", 66, 65);
    sb_free(&b);
}

static void test_hostile_big_scalar(void **state)
{
    (void)state;
    size_t n = 8u << 20;
    char *buf = xmalloc(n + 32);
    memcpy(buf, "title: ", 7);
    memset(buf + 7, 'a', n);
    memcpy(buf + 7 + n, "\n", 1);
    assert_refused(buf, n + 8, "a value of 8388608 bytes is longer than the limit", 1, 8);
    /* quoted, and as a key */
    buf[7] = '"';
    buf[7 + n - 1] = '"';
    assert_refused(buf, n + 8, "bytes is longer than the limit", 1, 8);
    memset(buf, 'k', n);
    memcpy(buf + n, ": v\n", 4);
    assert_refused(buf, n + 4, "a value of 8388608 bytes is longer than the limit", 1, 1);
    free(buf);
}

static void test_hostile_many_small(void **state)
{
    (void)state;
    /* 200,000 unknown keys: warnings, but not an error, and not slow */
    strbuf b = {0};
    sb_adds(&b, "title: t\ngoals:\n- title: g\n  tasks:\n  - title: k\n    items:\n"
                "    - text: x\n");
    for (int i = 0; i < 2000; i++)
        sb_addf(&b, "k%d: v\n", i);
    diags d = {0};
    plan *p = plan_parse("h.yaml", b.s, b.len, &d);
    assert_non_null(p);
    assert_int_equal(d.errors, 0);
    assert_int_equal(d.n, 2000);
    plan_free(p);
    diags_free(&d);
    sb_free(&b);
}

/* ---- main ---- */

static int to_fixtures(void **state)
{
    (void)state;
    const char *top = getenv("TOP");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/fixtures/plan", top && *top ? top : ".");
    return chdir(path);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    if (to_fixtures(NULL) != 0) {
        fprintf(stderr, "test_plan: cannot find tests/fixtures/plan (set TOP)\n");
        return 1;
    }
    enum { N_ERR = sizeof error_cases / sizeof *error_cases };
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_error_folder_and_missing),
        cmocka_unit_test(test_errors_from_buffer),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_slips_from_buffer),
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_bom_crlf),
        cmocka_unit_test(test_unknown_keys_warn),
        cmocka_unit_test(test_default_ids),
        cmocka_unit_test(test_unit_cells),
        cmocka_unit_test(test_unit_cells_inline),
        cmocka_unit_test(test_block_scalars_and_empty),
        cmocka_unit_test(test_groups),
        cmocka_unit_test(test_group_errors),
        cmocka_unit_test(test_builder),
        cmocka_unit_test(test_builder_errors),
        cmocka_unit_test(test_numbering),
        cmocka_unit_test(test_accessors),
        cmocka_unit_test(test_builder_levels),
        cmocka_unit_test(test_builder_two_level),
        cmocka_unit_test(test_builder_numbering),
        cmocka_unit_test(test_node_pos),
        cmocka_unit_test(test_shipped_plan),
        cmocka_unit_test(test_hostile_alias_cycle),
        cmocka_unit_test(test_hostile_alias_bomb),
        cmocka_unit_test(test_hostile_deep_flow),
        cmocka_unit_test(test_hostile_deep_block),
        cmocka_unit_test(test_hostile_big_scalar),
        cmocka_unit_test(test_hostile_many_small),
    };
    enum { N_FIXED = sizeof fixed / sizeof *fixed };
    /* One named test per error fixture. */
    struct CMUnitTest tests[N_ERR + N_FIXED];
    for (size_t i = 0; i < N_ERR; i++) {
        struct CMUnitTest t = {error_cases[i].file, test_error_fixture, NULL, NULL,
                               (void *)&error_cases[i]};
        tests[i] = t;
    }
    for (size_t i = 0; i < N_FIXED; i++)
        tests[N_ERR + i] = fixed[i];
    return _cmocka_run_group_tests("test_plan", tests, N_ERR + N_FIXED, NULL, NULL);
}
