/* test_status.c - the status store: strict loading, byte-exact layout,
 * preservation of what it does not know, refusing broken files without
 * touching them, failed saves, undo, merging and refresh. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <cJSON.h>

#include "history.h"
#include "json_strict.h"
#include "lockfile.h"
#include "plan.h"
#include "status.h"
#include "util.h"

#define NOW 1795689728   /* 2026-11-26T18:42:08+08:00 */
#define NOW_TEXT "2026-11-26T18:42:08+08:00"

static char dir[64];
static char spath[128];   /* dir/s.json */
static char login[256];

static time_t fixed_clock(void)
{
    return NOW;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
    (void)st, (void)flag, (void)f;
    return remove(path);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/test_status.XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(spath, sizeof spath, "%s/s.json", dir);
    status_set_clock(fixed_clock);
    lockfile_set_fault_hook(NULL);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    lockfile_set_fault_hook(NULL);
    return nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* dir/name, in a static buffer (the last 8 stay valid) */
static const char *in_dir(const char *name)
{
    static char buf[8][256];
    static int k;
    char *b = buf[k++ & 7];
    snprintf(b, sizeof buf[0], "%s/%s", dir, name);
    return b;
}

static void put_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void put(const char *path, const char *s)
{
    put_file(path, s, strlen(s));
}

/* The whole file, or NULL if it cannot be read; *n its length. */
static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf b = {0};
    char tmp[4096];
    size_t k;
    while ((k = fread(tmp, 1, sizeof tmp, f)) > 0)
        sb_add(&b, tmp, k);
    fclose(f);
    if (n)
        *n = b.len;
    return sb_steal(&b);
}

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* How many temporary files of dir/base are there ("BASE.tmp-XXXXXX")? */
static int n_tmp(const char *base)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *e;
    int n = 0;
    size_t bl = strlen(base);
    while ((e = readdir(dp)) != NULL)
        n += strncmp(e->d_name, base, bl) == 0 && strncmp(e->d_name + bl, ".tmp", 4) == 0;
    closedir(dp);
    return n;
}

/* Replace every "@LOGIN@" in s. */
static char *with_login(const char *s)
{
    strbuf b = {0};
    const char *m;
    while ((m = strstr(s, "@LOGIN@")) != NULL) {
        sb_add(&b, s, (size_t)(m - s));
        sb_adds(&b, login);
        s = m + 7;
    }
    sb_adds(&b, s);
    return sb_steal(&b);
}

static const char *fixture(const char *name)
{
    static char buf[512];
    const char *top = getenv("TOP");
    snprintf(buf, sizeof buf, "%s/tests/fixtures/status/%s", top ? top : ".", name);
    return buf;
}

static void assert_file(const char *path, const char *want)
{
    char *got = slurp(path, NULL);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* Is there a diagnostic containing needle? */
static bool has_diag(const diags *d, const char *needle)
{
    for (size_t i = 0; i < d->n; i++)
        if (strstr(d->v[i].text, needle))
            return true;
    return false;
}

static void print_diags(const diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        print_message("# diag: %s\n", d->v[i].text);
}

/* Goal 1: tasks 1.1 (1.1.1-1.1.2) and 1.2 (1.2.1-1.2.10); goal 2: 2.1.1. */
static plan *test_plan(void)
{
    plan_builder *b = plan_build_new();
    plan_pos pos = {1, 1};
    diags d = {0};
    plan_build_title(b, "test");
    plan_build_goal(b, "1", "g1", pos);
    plan_build_task(b, "1.1", "t11", pos);
    plan_build_item(b, "1.1.1", "i", pos);
    plan_build_unit(b, PLAN_LEAD, "甲");
    plan_build_item(b, "1.1.2", "i", pos);
    plan_build_unit(b, PLAN_LEAD, "甲");
    plan_build_task(b, "1.2", "t12", pos);
    for (int i = 1; i <= 10; i++) {
        char id[16];
        snprintf(id, sizeof id, "1.2.%d", i);
        plan_build_item(b, id, "i", pos);
        plan_build_unit(b, PLAN_LEAD, "乙");
    }
    plan_build_goal(b, "2", "g2", pos);
    plan_build_task(b, "2.1", "t21", pos);
    plan_build_item(b, "2.1.1", "i", pos);
    plan_build_unit(b, PLAN_RESP, "丙");
    plan *p = plan_build_finish(b, "test", &d);
    assert_int_equal(d.errors, 0);
    diags_free(&d);
    return p;
}

static int set1(status *s, plan *p, const char *id, bool done, diags *d)
{
    const char *ids[1] = {id};
    return status_set(s, p, ids, &done, 1, d);
}

/* status_undo as 1 (undone), 0 (nothing to undo) or -1 (failed). */
static int undo1(status *s, plan *p, diags *d)
{
    bool undone = true;
    if (status_undo(s, p, &undone, d) < 0)
        return -1;
    return undone ? 1 : 0;
}

/* ---- paths ---- */

static void test_default_path(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"plan.yaml", "plan.status.json"},
        {"a/b/plan.yml", "a/b/plan.status.json"},
        {"plan", "plan.status.json"},
        {"plan.json", "plan.json.status.json"},
        {"x.yaml/plan", "x.yaml/plan.status.json"},
        {".yaml", ".yaml.status.json"},
        {"/srv/计划.yaml", "/srv/计划.status.json"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = status_default_path(cases[i][0]);
        assert_string_equal(got, cases[i][1]);
        free(got);
    }
}

/* ---- loading and the layout ---- */

static void test_missing_is_empty(void **state)
{
    (void)state;
    diags d = {0};
    status *s = status_load(in_dir("none.json"), &d);
    assert_non_null(s);
    assert_int_equal(d.n, 0);
    assert_int_equal(status_count(s), 0);
    assert_string_equal(status_path(s), in_dir("none.json"));
    plan *p = test_plan();
    status_apply(s, p);
    assert_int_equal(p->done, 0);
    assert_int_equal(status_warn_orphans(s, p, &d), 0);
    assert_false(exists(in_dir("none.json")));   /* loading creates nothing */
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

static void test_set_creates_sorted(void **state)
{
    (void)state;
    const char *path = spath;
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    assert_non_null(s);
    const char *ids[] = {"1.2.10", "2.1.1", "1.2.9", "1.1.1", "1.2.1"};
    bool done[] = {true, true, true, true, false};
    assert_int_equal(status_set(s, p, ids, done, 5, &d), 0);
    print_diags(&d);
    assert_int_equal(d.n, 0);
    char *want = with_login(
        "{\n"
        "  \"version\": 1,\n"
        "  \"items\": {\n"
        "    \"1.1.1\": {\"done\": true, \"at\": \"" NOW_TEXT "\", \"by\": \"@LOGIN@\"},\n"
        "    \"1.2.9\": {\"done\": true, \"at\": \"" NOW_TEXT "\", \"by\": \"@LOGIN@\"},\n"
        "    \"1.2.10\": {\"done\": true, \"at\": \"" NOW_TEXT "\", \"by\": \"@LOGIN@\"},\n"
        "    \"2.1.1\": {\"done\": true, \"at\": \"" NOW_TEXT "\", \"by\": \"@LOGIN@\"}\n"
        "  }\n"
        "}\n");
    assert_file(path, want);
    free(want);
    /* the plan shows it, with time and login */
    assert_int_equal(p->done, 4);
    plan_item *it = plan_find_item(p, "1.2.10");
    assert_true(it->done);
    assert_string_equal(it->done_at, NOW_TEXT);
    assert_string_equal(it->done_by, login);
    assert_false(plan_find_item(p, "1.2.1")->done);
    assert_int_equal(p->goals[0].done, 3);
    assert_int_equal(p->tasks[1].done, 2);
    /* nothing left beside it but the lock */
    assert_int_equal(n_tmp("s.json"), 0);
    assert_true(exists(in_dir("s.json.lock")));
    /* and it loads back the same */
    status *s2 = status_load(path, &d);
    assert_non_null(s2);
    assert_int_equal(status_count(s2), 4);
    bool dn;
    const char *at, *by;
    assert_true(status_lookup(s2, "1.2.9", &dn, &at, &by));
    assert_true(dn);
    assert_string_equal(at, NOW_TEXT);
    assert_string_equal(by, login);
    assert_false(status_lookup(s2, "1.2.1", NULL, NULL, NULL));
    status_free(s2);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

static void test_empty_layout(void **state)
{
    (void)state;
    const char *path = spath;
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
    assert_int_equal(undo1(s, p, &d), 1);   /* the entry was absent: removed */
    assert_file(path, "{\n  \"version\": 1,\n  \"items\": {}\n}\n");
    assert_int_equal(p->done, 0);
    /* and an empty status loads */
    status *s2 = status_load(path, &d);
    assert_non_null(s2);
    assert_int_equal(status_count(s2), 0);
    assert_int_equal(d.n, 0);
    status_free(s2);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

static void test_roundtrip_keeps_unknown(void **state)
{
    (void)state;
    const char *path = spath;
    size_t n;
    char *in = slurp(fixture("roundtrip.json"), &n);
    assert_non_null(in);
    put_file(path, in, n);
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    print_diags(&d);
    assert_non_null(s);
    status_apply(s, p);
    assert_int_equal(p->done, 2);   /* 1.2.9, 1.2.10; 9.9.9 is no item */
    assert_int_equal(status_warn_orphans(s, p, &d), 1);
    assert_int_equal(d.n, 1);
    char *w = xasprintf("plandash: warning: %s: entry \"9.9.9\" names no item of the plan (kept)", path);
    assert_string_equal(d.v[0].text, w);
    free(w);
    diags_clear(&d);
    assert_string_equal(plan_find_item(p, "1.2.10")->done_by, "li");
    assert_null(plan_find_item(p, "1.2.9")->done_by);

    assert_int_equal(set1(s, p, "1.1.2", true, &d), 0);
    char *want_raw = slurp(fixture("roundtrip.expected.json"), NULL);
    char *want = with_login(want_raw);
    assert_file(path, want);
    /* written again unchanged: stable */
    assert_int_equal(set1(s, p, "1.1.2", false, &d), 0);
    assert_int_equal(undo1(s, p, &d), 1);
    assert_file(path, want);
    free(want_raw);
    free(want);
    free(in);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

static void test_unmark_keeps_entry(void **state)
{
    (void)state;
    const char *path = spath;
    put(path, "{\"version\": 1, \"items\": {\"1.1.1\": {\"done\": true, \"at\": \"2020-01-01T00:00:00+08:00\", \"x\": 1}}}");
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    assert_non_null(s);
    status_apply(s, p);
    assert_int_equal(p->done, 1);
    assert_int_equal(set1(s, p, "1.1.1", false, &d), 0);
    char *want = with_login("{\n  \"version\": 1,\n  \"items\": {\n"
                            "    \"1.1.1\": {\"done\": false, \"at\": \"" NOW_TEXT
                            "\", \"by\": \"@LOGIN@\", \"x\": 1}\n  }\n}\n");
    assert_file(path, want);
    free(want);
    assert_int_equal(p->done, 0);
    /* a not-done item shows no time */
    assert_null(plan_find_item(p, "1.1.1")->done_at);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

static void test_unchanged_writes_nothing(void **state)
{
    (void)state;
    const char *path = spath;
    const char *text = "{\"version\":1,\"items\":{\"1.1.1\":{\"done\":true},\"1.1.2\":{\"done\":false}}}";
    put(path, text);
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    const char *ids[] = {"1.1.1", "1.1.2", "1.2.1"};
    bool done[] = {true, false, false};
    assert_int_equal(status_set(s, p, ids, done, 3, &d), 0);
    assert_file(path, text);   /* not even reformatted */
    assert_int_equal(status_undo_depth(s), 0);
    assert_int_equal(undo1(s, p, &d), 0);
    assert_int_equal(p->done, 1);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

static void test_case_sensitive_keys(void **state)
{
    (void)state;
    const char *path = spath;
    put(path, "{\"Version\": 2, \"version\": 1, \"ITEMS\": [], \"items\": "
              "{\"1.1.1\": {\"Done\": \"no\", \"done\": true}}}");
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    print_diags(&d);
    assert_non_null(s);
    status_apply(s, p);
    assert_true(plan_find_item(p, "1.1.1")->done);
    assert_int_equal(set1(s, p, "1.1.2", true, &d), 0);
    char *want = with_login("{\n  \"version\": 1,\n  \"items\": {\n"
                            "    \"1.1.1\": {\"done\": true, \"Done\": \"no\"},\n"
                            "    \"1.1.2\": {\"done\": true, \"at\": \"" NOW_TEXT
                            "\", \"by\": \"@LOGIN@\"}\n  },\n"
                            "  \"Version\": 2,\n  \"ITEMS\": []\n}\n");
    assert_file(path, want);
    free(want);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

static void test_escapes_written(void **state)
{
    (void)state;
    const char *path = spath;
    /* an odd id (orphan) and odd strings survive a save, escaped */
    put(path, "{\"version\": 1, \"items\": {\"a\\\"b\\\\c\\u0001\\n\": "
              "{\"done\": true, \"at\": \"t\\t\\u001f\", \"by\": \"\\u4e2d\\ud83d\\ude00\"}}}");
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    assert_non_null(s);
    bool dn;
    const char *at, *by;
    assert_true(status_lookup(s, "a\"b\\c\x01\n", &dn, &at, &by));
    assert_string_equal(at, "t\t\x1f");
    assert_string_equal(by, "中😀");
    assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
    char *got = slurp(path, NULL);
    assert_non_null(strstr(got, "    \"1.1.1\": {"));
    assert_non_null(strstr(got, "    \"a\\\"b\\\\c\\u0001\\n\": {\"done\": true, "
                                "\"at\": \"t\\t\\u001f\", \"by\": \"中😀\"}\n"));
    free(got);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

/* ---- broken files: refused with a position, never overwritten ---- */

typedef struct {
    const char *text;
    size_t len;          /* 0: strlen(text) */
    const char *want;    /* the diagnostic after the file name (":LINE:COL: error: ..."),
                            or the message of one without a position */
} bad_case;

#define DEEP63 "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
#define DEEP63END "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]"

static const bad_case bad_cases[] = {
    {"", 0, "the file is empty"},   /* no position: plandash: error: FILE: ... */
    {"   \n", 0, ":2:1: error: unexpected end of the file: expected a value"},
    {"not json", 0, ":1:1: error: unknown word 'not'"},
    {"{\"version\": 1, \"items\": {}} x", 0, ":1:29: error: trailing data after the JSON value ('x')"},
    {"{\"version\": 1, \"items\": {}}\n{}", 0, ":2:1: error: trailing data after the JSON value ('{')"},
    {"{\"version\": 1, \"version\": 1, \"items\": {}}", 0,
     ":1:16: error: duplicate key \"version\" (first at line 1, column 2)"},
    {"{\n  \"version\": 1,\n  \"items\": {\n    \"1.1.1\": {\"done\": true},\n"
     "    \"1.1.1\": {\"done\": false}\n  }\n}\n", 0,
     ":5:5: error: duplicate key \"1.1.1\" (first at line 4, column 5)"},
    {"{\"items\": {\"1\": 1, \"2\": 2, \"3\": 3, \"4\": 4, \"5\": 5, \"6\": 6, \"7\": 7, "
     "\"8\": 8, \"9\": 9, \"10\": 10, \"3\": 0}}", 0,
     ":1:94: error: duplicate key \"3\" (first at line 1, column 28)"},
    {"{\"items\": {\"1\": 1, \"2\": 2, \"3\": 3, \"4\": 4, \"5\": 5, \"6\": 6, \"7\": 7, "
     "\"8\": 8, \"2\": 0}}", 0,
     ":1:76: error: duplicate key \"2\" (first at line 1, column 20)"},
    {"{\"version\": 1, \"items\": {}, \"meta\": {\"a\": 1, \"a\": 2}}", 0,
     ":1:46: error: duplicate key \"a\" (first at line 1, column 38)"},
    {"{\"version\": 1, \"items\": {\"1\": 1, \"1\": {\"done\": true}}, \"x\": \"\\u0000\"}", 0,
     ":1:34: error: duplicate key \"1\" (first at line 1, column 26)"},
    {"{\"version\": 1, \"items\": {\"1.1.1\": {\"done\": true, \"d\\u006fne\": false}}}", 0,
     ":1:50: error: duplicate key \"done\" (first at line 1, column 36)"},
    {"{\"version\": 1, \"items\": {}, \"x\": \"\xff\"}", 0,
     ":1:35: error: invalid UTF-8 (byte 0xFF); the file must be UTF-8 encoded"},
    {"{\"version\": 1, \"items\": {}, \"x\": \"\xd6\xd0\xce\xc4\"}", 0,   /* GBK 中文 */
     ":1:35: error: invalid UTF-8 (byte 0xD6)"},
    {"{\"version\": 1, \"items\": {}, \"x\": \"\xed\xa0\x80\"}", 0,   /* UTF-8 surrogate */
     ":1:35: error: invalid UTF-8 (byte 0xED)"},
    {"{\"version\": 1,\0 \"items\": {}}", 29, ":1:15: error: NUL byte"},
    {"{\"version\": 1, \"items\": {}, \"n\": 9007199254740993}", 0,
     ":1:34: error: number 9007199254740993 is beyond 2^53"},
    {"{\"version\": 1, \"items\": {}, \"n\": -1e16}", 0, ":1:34: error: number -1e16 is beyond 2^53"},
    {"{\"version\": 1, \"items\": {}, \"n\": 9007199254740992.5}", 0, ":1:34: error: number 9007199254740992.5 is beyond 2^53"},
    {"{\"version\": 1, \"items\": {}, \"n\": 0.0000000000000000000000000000000000000000000000000000000000000001}",
     0, ":1:34: error: number too long (66 characters; at most 63)"},
    {"{\"version\": 1, \"items\": {}, \"n\": 01}", 0, ":1:34: error: invalid number: leading zeros"},
    {"{\"version\": 1, \"items\": {}, \"x\": \"a\tb\"}", 0,
     ":1:36: error: control character U+0009 inside a string (write it as \\u0009)"},
    {"{\"version\": 1, \"items\": {}, \"x\": \"a\nb\"}", 0, ":1:36: error: line break inside a string"},
    {"{\"version\": 1, \"items\": {}, \"x\": \"\\udc00\"}", 0, ":1:35: error: lone surrogate \\uDC00"},
    {"{\"version\": 1, \"items\": {}, \"x\": \"\\ud83dx\"}", 0, ":1:35: error: lone surrogate \\uD83D"},
    {"{\"version\": 1, \"items\": {}, \"x\": \"\\u0000\"}", 0,
     ":1:35: error: \\u0000 (a NUL character) in a string is not allowed"},
    {"{\"version\": 1, \"items\": {}, \"x\": \"\\x\"}", 0, ":1:35: error: invalid escape '\\' followed by 'x'"},
    {"{\"version\": 1, \"items\": {}, \"x\": \"abc", 0, ":1:34: error: unterminated string"},
    {"{\"version\": 1, \"items\": {},}", 0, ":1:28: error: a ',' before '}'"},
    {"{\"version\": 1, \"items\": {}, \"x\": [1,]}", 0, ":1:37: error: a ',' before ']'"},
    {"{\"version\": 1, \"items\": {} \"x\": 1}", 0,
     ":1:28: error: expected ',' or '}' in the object opened at line 1, column 1, found '\"'"},
    {"{\"version\": 1, \"items\": {}, \"x\": [1 2]}", 0,
     ":1:37: error: expected ',' or ']' in the array opened at line 1, column 34, found '2'"},
    {"{'version': 1}", 0, ":1:2: error: expected a key in double quotes, found '''"},
    {"\xef\xbb\xbf{\"version\": 1, \"items\": {}}", 0, ":1:1: error: the file starts with a byte order mark"},
    {"{\"version\": 1, \"items\": {}, \"x\": [" DEEP63 "[" DEEP63END "]]}", 0,
     ":1:97: error: nesting deeper than 64 levels"},
    {"{\"version\": 1, \"items\": {}, \"x\": True}", 0, ":1:34: error: unknown word 'True'"},
    /* the shape */
    {"[]", 0, ":1:1: error: a status file must be a JSON object"},
    {"{\"version\": 2, \"items\": {}}", 0,
     ":1:13: error: version 2 is not supported: this plandash reads version 1"},
    {"{\"version\": \"1\", \"items\": {}}", 0, ":1:13: error: \"version\" must be the number 1"},
    {"{\"items\": {}}", 0, ":1:1: error: no \"version\" field"},
    {"{\"version\": 1}", 0, ":1:1: error: no \"items\" field"},
    {"{\"version\": 1, \"items\": []}", 0, ":1:25: error: \"items\" must be an object"},
    {"{\"version\": 1, \"items\": {\"1.1.1\": true}}", 0,
     ":1:35: error: entry \"1.1.1\" must be an object"},
    {"{\"version\": 1, \"items\": {\"1.1.1\": {\"at\": \"x\"}}}", 0,
     ":1:35: error: entry \"1.1.1\" has no \"done\" field"},
    {"{\n  \"version\": 1,\n  \"items\": {\n    \"1.1.1\": {\"done\": \"yes\"}\n  }\n}\n", 0,
     ":4:23: error: \"done\" of entry \"1.1.1\" must be true or false"},
    {"{\"version\": 1, \"备注\": \"中文\", \"items\": {\"1.1.1\": {\"done\": 1}}}", 0,
     ":1:56: error: \"done\" of entry \"1.1.1\" must be true or false"},
    {"{\"version\": 1, \"items\": {\"1.1.1\": {\"done\": true, \"at\": 5}}}", 0,
     ":1:56: error: \"at\" of entry \"1.1.1\" must be a string"},
    {"{\"version\": 1, \"items\": {\"1.1.1\": {\"done\": true, \"by\": null}}}", 0,
     ":1:56: error: \"by\" of entry \"1.1.1\" must be a string"},
    {"{\"version\": 1, \"items\": {\"1.1.1\": {\"done\": true, \"note\": 3}}}", 0,
     ":1:58: error: \"note\" of entry \"1.1.1\" must be a string"},
    {"{\"version\": 1, \"items\": {\"1.1.1\": {\"note\": \"x\", \"note_at\": false}}}", 0,
     ":1:60: error: \"note_at\" of entry \"1.1.1\" must be a string"},
    {"{\"version\": 1, \"items\": {\"1.1.1\": {\"note_by\": \"li\"}}}", 0,
     ":1:35: error: entry \"1.1.1\" has no \"done\" field"},
};

static void test_bad_file(void **state)
{
    const bad_case *c = *state;
    size_t len = c->len ? c->len : strlen(c->text);
    const char *path = in_dir("bad.json");
    diags d = {0};
    plan *p = test_plan();

    /* loading refuses it */
    put_file(path, c->text, len);
    status *s = status_load(path, &d);
    assert_null(s);
    char *want = c->want[0] == ':' ? xasprintf("%s%s", path, c->want)
                                    : xasprintf("plandash: error: %s: %s", path, c->want);
    if (d.n == 0 || strncmp(d.v[0].text, want, strlen(want)) != 0) {
        print_diags(&d);
        print_message("# want: %s\n", want);
        fail();
    }
    assert_int_equal(d.errors, d.n);
    free(want);
    diags_clear(&d);

    /* a status loaded before the file broke cannot save over it */
    put(path, "{\"version\": 1, \"items\": {}}");
    s = status_load(path, &d);
    assert_non_null(s);
    put_file(path, c->text, len);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), -1);
    assert_true(d.errors > 0);
    size_t n;
    char *after = slurp(path, &n);
    assert_int_equal(n, len);
    assert_memory_equal(after, c->text, len);
    free(after);
    assert_int_equal(n_tmp("bad.json"), 0);
    /* nothing changed in memory either */
    assert_int_equal(status_undo_depth(s), 0);
    assert_int_equal(p->done, 0);
    /* and refresh reports it once, keeping what it had */
    diags_clear(&d);
    bool changed = true;
    assert_int_equal(status_refresh(s, p, &changed, &d), -1);
    assert_false(changed);
    assert_true(d.errors > 0);
    diags_clear(&d);
    assert_int_equal(status_refresh(s, p, &changed, &d), 0);
    assert_false(changed);
    assert_int_equal(d.n, 0);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

static void test_good_edge_files(void **state)
{
    (void)state;
    static const char *const good[] = {
        "{\"version\": 1, \"items\": {}}",
        "{\"version\":1.0,\"items\":{}}",
        " \t\r\n{\"items\": {}, \"version\": 1}\r\n\t ",
        "{\"version\": 1, \"items\": {}, \"n\": 9007199254740992, \"m\": -9007199254740992}",
        "{\"version\": 1, \"items\": {}, \"n\": 1e15, \"m\": 0.000000000000000001, \"z\": 0e999999}",
        "{\"version\": 1, \"items\": {}, \"x\": " DEEP63 DEEP63END "}",
        "{\"version\": 1, \"items\": {\"\": {\"done\": false}}, \"s\": \"\\ud83d\\ude00 \\u00e9 \\/\"}",
        "{\"version\": 1, \"items\": {}, \"a\": {\"k\": 1}, \"b\": {\"k\": 2}}",   /* same key, other objects */
    };
    const char *path = in_dir("good.json");
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        diags d = {0};
        put(path, good[i]);
        status *s = status_load(path, &d);
        print_diags(&d);
        assert_non_null(s);
        assert_int_equal(d.n, 0);
        status_free(s);
        diags_free(&d);
    }
}

/* ---- failed saves ---- */

static const char *fault_step;
static int fault_err;
static size_t fault_chunk;   /* write at most this much each time (0: no limit) */
static bool fault_zero;

static int fault_hook(const char *step, size_t *len)
{
    if (strcmp(step, "write") == 0) {
        if (fault_zero)
            *len = 0;
        else if (fault_chunk && *len > fault_chunk)
            *len = fault_chunk;
    }
    return fault_step && strcmp(step, fault_step) == 0 ? fault_err : 0;
}

typedef struct {
    const char *step;
    int err;
    const char *want;
} fault_case;

static const fault_case fault_cases[] = {
    {"lock", EACCES, "cannot save: cannot create the lock file"},
    {"open", ENOSPC, "cannot save: cannot create"},
    {"write", ENOSPC, "cannot save: cannot write"},
    {"write", EIO, "Input/output error; the disk reported an error"},
    {"fsync", EIO, "cannot save: cannot flush"},
    {"close", EIO, "cannot save: cannot close"},
    {"rename", EACCES, "cannot save: cannot rename"},
    {"hopen", EACCES, "cannot save: cannot open the history"},
    {"hwrite", ENOSPC, "cannot save: cannot write the history"},
    {"hfsync", EIO, "cannot save: cannot flush the history"},
    {NULL, 0, "made no progress (the system wrote 0 bytes)"},   /* a 0-byte write */
};

static void test_save_fault(void **state)
{
    const fault_case *c = *state;
    const char *path = spath;
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
    size_t n0;
    char *before = slurp(path, &n0);

    fault_step = c->step;
    fault_err = c->err;
    fault_zero = c->step == NULL;
    fault_chunk = 0;
    lockfile_set_fault_hook(fault_hook);
    assert_int_equal(set1(s, p, "1.1.2", true, &d), -1);
    lockfile_set_fault_hook(NULL);
    if (!has_diag(&d, c->want)) {
        print_diags(&d);
        fail();
    }
    char *w = xasprintf("plandash: error: %s: cannot save: ", path);
    assert_true(has_diag(&d, w));
    free(w);
    assert_true(has_diag(&d, "(nothing was saved)"));
    size_t n1;
    char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    assert_int_equal(n_tmp("s.json"), 0);
    /* nothing changed in memory */
    assert_int_equal(status_undo_depth(s), 1);
    assert_false(status_lookup(s, "1.1.2", NULL, NULL, NULL));
    assert_false(plan_find_item(p, "1.1.2")->done);
    assert_int_equal(p->done, 1);
    /* and the next save works */
    diags_clear(&d);
    assert_int_equal(set1(s, p, "1.1.2", true, &d), 0);
    assert_int_equal(p->done, 2);
    free(before);
    free(after);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

/* --- notes and the history --- */

static void test_history_path(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"plan.status.json", "plan.history.jsonl"},
        {"a/b/x.status.json", "a/b/x.history.jsonl"},
        {"s.json", "s.history.jsonl"},
        {"state", "state.history.jsonl"},
        {".status.json", ".history.jsonl"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *h = status_history_path(cases[i][0]);
        assert_string_equal(h, cases[i][1]);
        free(h);
    }
}

/* A note is set with its time and login, shown on the plan's item,
 * written after done/at/by, cleared by ""; each change is a history line. */
static void test_note_set_clear(void **state)
{
    (void)state;
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(spath, &d);
    assert_non_null(s);
    assert_int_equal(set1(s, p, "1.1.2", true, &d), 0);
    assert_int_equal(status_set_note(s, p, "1.1.2", "第一行\n第二行", NULL, &d), 0);
    assert_int_equal(status_set_note(s, p, "1.2.1", "只有进展", NULL, &d), 0);
    char *want = with_login(
        "{\n  \"version\": 1,\n  \"items\": {"
        "\n    \"1.1.2\": {\"done\": true, \"at\": \"" NOW_TEXT "\", \"by\": \"@LOGIN@\", "
        "\"note\": \"第一行\\n第二行\", \"note_at\": \"" NOW_TEXT "\", \"note_by\": \"@LOGIN@\"},"
        "\n    \"1.2.1\": {\"done\": false, \"note\": \"只有进展\", \"note_at\": \"" NOW_TEXT
        "\", \"note_by\": \"@LOGIN@\"}\n  }\n}\n");
    assert_file(spath, want);
    free(want);
    const plan_item *it = plan_find_item(p, "1.1.2");
    assert_string_equal(it->note, "第一行\n第二行");
    assert_string_equal(it->note_at, NOW_TEXT);
    assert_string_equal(it->note_by, login);
    const char *note, *at, *by;
    assert_true(status_lookup_note(s, "1.2.1", &note, &at, &by));
    assert_string_equal(note, "只有进展");
    assert_false(status_lookup_note(s, "1.1.1", NULL, NULL, NULL));
    /* the same note again: nothing written, no undo level */
    size_t depth = status_undo_depth(s);
    assert_int_equal(status_set_note(s, p, "1.2.1", "只有进展", NULL, &d), 0);
    assert_int_equal(status_undo_depth(s), depth);
    /* cleared */
    assert_int_equal(status_set_note(s, p, "1.1.2", "", NULL, &d), 0);
    assert_null(plan_find_item(p, "1.1.2")->note);
    assert_false(status_lookup_note(s, "1.1.2", NULL, NULL, NULL));
    /* an entry that held only a note goes with it (1.1.2 keeps its mark) */
    assert_int_equal(status_set_note(s, p, "1.2.2", "临时", NULL, &d), 0);
    assert_int_equal(status_set_note(s, p, "1.2.2", "", NULL, &d), 0);
    char *txt = slurp(spath, NULL);
    assert_null(strstr(txt, "1.2.2"));
    assert_non_null(strstr(txt, "\"1.1.2\": {\"done\": true"));
    free(txt);
    /* a reload sees the same */
    status *s2 = status_load(spath, &d);
    assert_non_null(s2);
    assert_true(status_lookup_note(s2, "1.2.1", &note, NULL, NULL));
    assert_string_equal(note, "只有进展");
    status_free(s2);
    want = with_login(
        "{\"at\":\"" NOW_TEXT "\",\"by\":\"@LOGIN@\",\"id\":\"1.1.2\",\"done\":true}\n"
        "{\"at\":\"" NOW_TEXT "\",\"by\":\"@LOGIN@\",\"id\":\"1.1.2\",\"note\":\"第一行\\n第二行\"}\n"
        "{\"at\":\"" NOW_TEXT "\",\"by\":\"@LOGIN@\",\"id\":\"1.2.1\",\"note\":\"只有进展\"}\n"
        "{\"at\":\"" NOW_TEXT "\",\"by\":\"@LOGIN@\",\"id\":\"1.1.2\",\"note\":\"\"}\n"
        "{\"at\":\"" NOW_TEXT "\",\"by\":\"@LOGIN@\",\"id\":\"1.2.2\",\"note\":\"临时\"}\n"
        "{\"at\":\"" NOW_TEXT "\",\"by\":\"@LOGIN@\",\"id\":\"1.2.2\",\"note\":\"\"}\n");
    assert_file(in_dir("s.history.jsonl"), want);
    free(want);
    assert_int_equal(d.n, 0);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

/* A note saved with the note the caller saw: when another's note is on
 * disk meanwhile, nothing is written (STATUS_NOTE_CHANGED), the plan gets
 * the other's note; with that one expected, it is overwritten. */
static void test_note_expect(void **state)
{
    (void)state;
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(spath, &d);
    status *other = status_load(spath, &d);
    assert_int_equal(status_set_note(s, p, "1.2.1", "甲的", "", &d), 0);
    plan *p2 = test_plan();
    /* the other process still thinks 1.2.1 has no note */
    assert_int_equal(status_set_note(other, p2, "1.2.1", "乙写的重要进展", "", &d),
                     STATUS_NOTE_CHANGED);
    char *txt = slurp(spath, NULL);
    assert_non_null(strstr(txt, "甲的"));
    assert_null(strstr(txt, "乙写的重要进展"));
    free(txt);
    assert_string_equal(plan_find_item(p2, "1.2.1")->note, "甲的");
    assert_string_equal(plan_find_item(p2, "1.2.1")->note_by, login);
    assert_int_equal(status_undo_depth(other), 0);
    /* knowingly: expecting 甲的 */
    assert_int_equal(status_set_note(other, p2, "1.2.1", "乙写的重要进展", "甲的", &d), 0);
    txt = slurp(spath, NULL);
    assert_non_null(strstr(txt, "乙写的重要进展"));
    free(txt);
    /* the same note as on disk is no conflict, whatever was expected */
    assert_int_equal(status_set_note(s, p, "1.2.1", "乙写的重要进展", "旧", &d), 0);
    assert_int_equal(d.n, 0);
    status_free(s);
    status_free(other);
    plan_free(p);
    plan_free(p2);
    diags_free(&d);
}

/* Undo restores notes too and records itself with "undo": true. */
static void test_note_undo_history(void **state)
{
    (void)state;
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(spath, &d);
    assert_int_equal(status_set_note(s, p, "1.1.1", "甲", NULL, &d), 0);
    assert_int_equal(status_set_note(s, p, "1.1.1", "乙", NULL, &d), 0);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
    assert_int_equal(undo1(s, p, &d), 1);   /* the mark */
    assert_false(plan_find_item(p, "1.1.1")->done);
    assert_string_equal(plan_find_item(p, "1.1.1")->note, "乙");
    assert_int_equal(undo1(s, p, &d), 1);   /* 乙 */
    assert_string_equal(plan_find_item(p, "1.1.1")->note, "甲");
    assert_int_equal(undo1(s, p, &d), 1);   /* 甲: the entry goes */
    assert_null(plan_find_item(p, "1.1.1")->note);
    assert_int_equal(status_count(s), 0);
    history h = {0};
    assert_int_equal(history_load(&h, in_dir("s.history.jsonl"), NULL, &d), 0);
    assert_int_equal(d.n, 0);
    assert_int_equal(h.n, 6);
    assert_string_equal(h.v[2].id, "1.1.1");
    assert_int_equal(h.v[2].done, 1);
    assert_false(h.v[2].undo);
    assert_true(h.v[3].undo);   /* the mark undone */
    assert_int_equal(h.v[3].done, 0);
    assert_null(h.v[3].note);
    assert_true(h.v[4].undo);   /* back to 甲 */
    assert_int_equal(h.v[4].done, -1);
    assert_string_equal(h.v[4].note, "甲");
    assert_true(h.v[5].undo);   /* the note cleared */
    assert_string_equal(h.v[5].note, "");
    history_free(&h);
    /* one id only: the lines of 1.1.1, none of another */
    assert_int_equal(history_load(&h, in_dir("s.history.jsonl"), "1.1", &d), 0);
    assert_int_equal(h.n, 0);
    history_free(&h);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

/* Too long, not UTF-8, or holding NUL: refused, nothing written. */
static void test_note_refused(void **state)
{
    (void)state;
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(spath, &d);
    char *big = xmalloc(STATUS_NOTE_MAX + 2);
    memset(big, 'a', STATUS_NOTE_MAX + 1);
    big[STATUS_NOTE_MAX + 1] = '\0';
    assert_int_equal(status_set_note(s, p, "1.1.1", big, NULL, &d), -1);
    assert_true(has_diag(&d, "the note is 65537 bytes; a note is at most 65536 bytes (64 KiB)"));
    assert_true(has_diag(&d, "nothing was saved"));
    big[STATUS_NOTE_MAX] = '\0';   /* exactly 64 KiB: fine */
    diags_clear(&d);
    assert_false(exists(spath));
    assert_false(exists(in_dir("s.history.jsonl")));
    assert_int_equal(status_set_note(s, p, "1.1.1", "bad \xff byte", NULL, &d), -1);
    assert_true(has_diag(&d, "not valid UTF-8 (byte 5)"));
    assert_int_equal(status_check_note("a\0b", 3, &d), -1);
    assert_true(has_diag(&d, "NUL"));
    assert_false(exists(spath));
    diags_clear(&d);
    assert_int_equal(status_set_note(s, p, "1.1.1", big, NULL, &d), 0);
    assert_int_equal(strlen(plan_find_item(p, "1.1.1")->note), STATUS_NOTE_MAX);
    free(big);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

/* A history whose last line was torn by a kill: the next save ends it
 * first; reading warns about it while it is last, and skips it after. */
static void test_history_torn_line(void **state)
{
    (void)state;
    diags d = {0};
    const char *hp = in_dir("s.history.jsonl");
    put(hp, "{\"at\":\"2026-01-01T00:00:00+08:00\",\"id\":\"1.1.1\",\"done\":true}\n"
            "{\"at\":\"2026-01-01T00:00:01+08:00\",\"id\":\"1.1");
    history h = {0};
    assert_int_equal(history_load(&h, hp, NULL, &d), 0);
    assert_int_equal(h.n, 1);
    assert_true(has_diag(&d, "s.history.jsonl:2:1: warning: the last line is cut short"));
    history_free(&h);
    diags_clear(&d);
    plan *p = test_plan();
    status *s = status_load(spath, &d);
    assert_int_equal(set1(s, p, "1.2.1", true, &d), 0);
    char *text = slurp(hp, NULL);
    if (!strstr(text, "\"id\":\"1.1\n{\"at\":\"" NOW_TEXT "\",\"id\":\"1.1.1\""))
        fail_msg("%s", text);
    free(text);
    assert_int_equal(history_load(&h, hp, NULL, &d), 0);
    /* 1.1.1's line never reached this (empty) status file: put back */
    assert_int_equal(h.n, 3);
    assert_string_equal(h.v[1].id, "1.1.1");
    assert_true(h.v[1].undo);
    assert_int_equal(h.v[1].done, 0);
    assert_string_equal(h.v[2].id, "1.2.1");
    assert_int_equal(h.v[2].line, 4);
    assert_true(has_diag(&d, "s.history.jsonl:2:1: warning: not a change"));
    history_free(&h);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

/* H's index: the same records as a scan; appended lines are caught up;
 * a replaced file is indexed again; a torn last line waits for its end. */
static void test_history_index(void **state)
{
    (void)state;
    diags d = {0};
    const char *hp = in_dir("h.jsonl");
    put(hp, "{\"at\":\"t1\",\"by\":\"a\",\"id\":\"1.1.1\",\"done\":true}\n"
            "{\"at\":\"t2\",\"id\":\"1.1.10\",\"note\":\"x\"}\n"
            "{ \"at\": \"t3\", \"id\": \"1.1.1\", \"note\": \"spaced\" }\n"
            "not json\n");
    history_index *x = history_index_new();
    history h = {0};
    assert_int_equal(history_index_load(x, hp, "1.1.1", &h, &d), 0);
    assert_int_equal(h.n, 2);
    assert_string_equal(h.v[1].note, "spaced");
    assert_int_equal(h.v[1].line, 3);
    history_free(&h);
    FILE *f = fopen(hp, "a");
    fputs("{\"at\":\"t4\",\"id\":\"1.1.1\",\"done\":false}\n{\"at\":\"t5\",\"id\":\"1.1", f);
    fclose(f);
    assert_int_equal(history_index_load(x, hp, "1.1.1", &h, &d), 0);
    assert_int_equal(h.n, 3);
    assert_int_equal(h.v[2].done, 0);
    assert_int_equal(h.v[2].line, 5);
    assert_true(has_diag(&d, "h.jsonl:6:1: warning: the last line is cut short"));
    history_free(&h);
    f = fopen(hp, "a");
    fputs(".1\",\"done\":true}\n", f);   /* the line ends after all */
    fclose(f);
    assert_int_equal(history_index_load(x, hp, "1.1.1", &h, &d), 0);
    assert_int_equal(h.n, 4);
    assert_string_equal(h.v[3].at, "t5");
    history_free(&h);
    /* replaced (a new inode): indexed again */
    put(in_dir("h2"), "{\"at\":\"t9\",\"id\":\"1.1.1\",\"done\":true}\n");
    assert_int_equal(rename(in_dir("h2"), hp), 0);
    assert_int_equal(history_index_load(x, hp, "1.1.1", &h, &d), 0);
    assert_int_equal(h.n, 1);
    assert_string_equal(h.v[0].at, "t9");
    history_free(&h);
    assert_int_equal(history_index_load(x, in_dir("none"), "1.1.1", &h, &d), 0);
    assert_int_equal(h.n, 0);
    history_index_free(x);
    diags_free(&d);
}

/* A save whose history line was written but whose rename failed (as if
 * killed between the two): the next save first appends lines that put
 * back what the status file holds, "undo": true, the lost change's login. */
static void test_history_lost_save_reconciled(void **state)
{
    (void)state;
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(spath, &d);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
    assert_int_equal(status_set_note(s, p, "1.1.1", "旧", NULL, &d), 0);
    fault_step = "rename";
    fault_err = EIO;
    fault_zero = false;
    fault_chunk = 0;
    lockfile_set_fault_hook(fault_hook);
    const char *ids[2] = {"1.1.1", "1.1.2"};
    bool done[2] = {false, true};
    assert_int_equal(status_set(s, p, ids, done, 2, &d), -1);
    assert_int_equal(status_set_note(s, p, "1.1.1", "新", NULL, &d), -1);
    lockfile_set_fault_hook(NULL);
    diags_clear(&d);
    history h = {0};
    assert_int_equal(history_load(&h, in_dir("s.history.jsonl"), NULL, &d), 0);
    /* the lost saves' lines are there, and before the second, the
     * first one's correction */
    assert_int_equal(h.n, 7);
    assert_true(h.v[4].undo && h.v[5].undo);
    assert_false(h.v[6].undo);
    history_free(&h);
    assert_int_equal(set1(s, p, "2.1.1", true, &d), 0);
    char *want = with_login(
        "{\"at\":\"" NOW_TEXT "\",\"by\":\"@LOGIN@\",\"id\":\"1.1.1\",\"note\":\"新\"}\n"
        "{\"at\":\"" NOW_TEXT "\",\"by\":\"@LOGIN@\",\"id\":\"1.1.1\",\"note\":\"旧\","
        "\"undo\":true}\n"
        "{\"at\":\"" NOW_TEXT "\",\"by\":\"@LOGIN@\",\"id\":\"2.1.1\",\"done\":true}\n");
    char *text = slurp(in_dir("s.history.jsonl"), NULL);
    size_t tl = strlen(text), wl = strlen(want);
    assert_true(tl > wl);
    assert_string_equal(text + tl - wl, want);
    free(text);
    free(want);
    /* replayed, the history is the status: 1.1.1 done with 旧, 1.1.2 not done */
    assert_int_equal(history_load(&h, in_dir("s.history.jsonl"), "1.1.1", &d), 0);
    assert_int_equal(h.n, 6);
    assert_int_equal(h.v[2].done, 0);   /* lost: the mark as not done, */
    assert_int_equal(h.v[3].done, 1);   /* put back; */
    assert_true(h.v[3].undo);
    assert_string_equal(h.v[4].note, "新");   /* lost: the note 新, */
    assert_string_equal(h.v[5].note, "旧");   /* put back */
    history_free(&h);
    assert_true(plan_find_item(p, "1.1.1")->done);
    /* a save that reached the file is not touched again */
    assert_int_equal(set1(s, p, "2.1.1", false, &d), 0);
    assert_int_equal(history_load(&h, in_dir("s.history.jsonl"), NULL, &d), 0);
    assert_int_equal(h.n, 10);
    assert_false(h.v[9].undo);
    history_free(&h);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

/* A failed save after another process's change: the re-read state is
 * dropped, memory keeps what it had. */
static void test_save_fault_after_outside_change(void **state)
{
    (void)state;
    const char *path = spath;
    diags d = {0};
    plan *p = test_plan(), *q = test_plan();
    status *a = status_load(path, &d);
    status *b = status_load(path, &d);
    assert_int_equal(set1(b, q, "1.2.1", true, &d), 0);
    size_t n0;
    char *before = slurp(path, &n0);
    fault_step = "write";
    fault_err = ENOSPC;
    fault_zero = false;
    fault_chunk = 0;
    lockfile_set_fault_hook(fault_hook);
    assert_int_equal(set1(a, p, "1.1.1", true, &d), -1);
    lockfile_set_fault_hook(NULL);
    assert_true(has_diag(&d, "No space left on device; free some disk space and try again"));
    size_t n1;
    char *after = slurp(path, &n1);
    assert_int_equal(n0, n1);
    assert_memory_equal(before, after, n0);
    assert_int_equal(status_count(a), 0);
    assert_int_equal(p->done, 0);
    assert_int_equal(status_undo_depth(a), 0);
    /* then it works, and merges */
    assert_int_equal(set1(a, p, "1.1.1", true, &d), 0);
    assert_int_equal(p->done, 2);
    free(before);
    free(after);
    status_free(a);
    status_free(b);
    plan_free(p);
    plan_free(q);
    diags_free(&d);
}

static void test_dirsync_fault_warns(void **state)
{
    (void)state;
    const char *path = spath;
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    fault_step = "dirsync";
    fault_err = EIO;
    fault_zero = false;
    fault_chunk = 0;
    lockfile_set_fault_hook(fault_hook);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
    lockfile_set_fault_hook(NULL);
    assert_int_equal(d.errors, 0);
    assert_true(has_diag(&d, "plandash: warning: ") && has_diag(&d, "s.json: saved, but the folder"));
    assert_true(status_lookup(s, "1.1.1", NULL, NULL, NULL));
    assert_int_equal(status_undo_depth(s), 1);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

static void test_short_writes(void **state)
{
    (void)state;
    const char *path = spath;
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    fault_step = NULL;
    fault_zero = false;
    fault_chunk = 3;
    lockfile_set_fault_hook(fault_hook);
    const char *ids[] = {"1.1.1", "1.2.5"};
    bool done[] = {true, true};
    assert_int_equal(status_set(s, p, ids, done, 2, &d), 0);
    lockfile_set_fault_hook(NULL);
    char *want = with_login("{\n  \"version\": 1,\n  \"items\": {\n"
                            "    \"1.1.1\": {\"done\": true, \"at\": \"" NOW_TEXT "\", \"by\": \"@LOGIN@\"},\n"
                            "    \"1.2.5\": {\"done\": true, \"at\": \"" NOW_TEXT "\", \"by\": \"@LOGIN@\"}\n"
                            "  }\n}\n");
    assert_file(path, want);
    free(want);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

/* Temporary files that killed writers left: our own older than an hour
 * are removed by the next save; younger ones, and names not of the form
 * BASE.tmp-XXXXXX, are left alone. */
static void test_leftover_tmp_cleaned(void **state)
{
    (void)state;
    const char *path = spath;
    put(in_dir("s.json.tmp-Old123"), "half a file from a writer that was kil");
    put(in_dir("s.json.tmp-New123"), "half a file from a writer killed just now");
    put(in_dir("s.json.tmp-Old12345"), "not one of ours: a longer name");
    struct timespec old[2] = {{time(NULL) - 7200, 0}, {time(NULL) - 7200, 0}};
    assert_int_equal(utimensat(AT_FDCWD, in_dir("s.json.tmp-Old123"), old, 0), 0);
    assert_int_equal(utimensat(AT_FDCWD, in_dir("s.json.tmp-Old12345"), old, 0), 0);
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
    assert_false(exists(in_dir("s.json.tmp-Old123")));
    assert_true(exists(in_dir("s.json.tmp-New123")));
    assert_true(exists(in_dir("s.json.tmp-Old12345")));
    assert_int_equal(n_tmp("s.json"), 2);
    assert_true(exists(path));
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

static void test_mode_kept(void **state)
{
    (void)state;
    const char *path = spath;
    put(path, "{\"version\": 1, \"items\": {}}");
    assert_int_equal(chmod(path, 0640), 0);
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 07777, 0640);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

static void test_symlinks(void **state)
{
    (void)state;
    diags d = {0};
    plan *p = test_plan();
    /* a link to a file: the target is replaced, the link stays */
    assert_int_equal(mkdir(in_dir("real"), 0755), 0);
    put(in_dir("real/s.json"), "{\"version\": 1, \"items\": {}}");
    assert_int_equal(symlink("real/s.json", in_dir("link.json")), 0);
    status *s = status_load(in_dir("link.json"), &d);
    assert_non_null(s);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
    struct stat st;
    assert_int_equal(lstat(in_dir("link.json"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    char *got = slurp(in_dir("real/s.json"), NULL);
    assert_non_null(strstr(got, "\"1.1.1\": {\"done\": true"));
    free(got);
    assert_true(exists(in_dir("real/s.json.lock")));
    status_free(s);

    /* a dangling link is an error, and stays as it is */
    assert_int_equal(symlink("nowhere.json", in_dir("dangling.json")), 0);
    s = status_load(in_dir("dangling.json"), &d);
    assert_null(s);
    assert_true(has_diag(&d, "plandash: error: ") && has_diag(&d, "dangling.json: is a symbolic link to"));
    assert_true(has_diag(&d, "which does not exist"));
    diags_clear(&d);
    s = status_load(in_dir("link.json"), &d);   /* loaded while good ... */
    assert_int_equal(unlink(in_dir("link.json")), 0);
    assert_int_equal(symlink("nowhere.json", in_dir("link.json")), 0);   /* ... broken */
    assert_int_equal(set1(s, p, "1.1.2", true, &d), -1);
    assert_true(has_diag(&d, "which does not exist"));
    assert_false(exists(in_dir("nowhere.json")));
    assert_int_equal(lstat(in_dir("link.json"), &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    status_free(s);

    /* a loop */
    diags_clear(&d);
    assert_int_equal(symlink("loop2.json", in_dir("loop1.json")), 0);
    assert_int_equal(symlink("loop1.json", in_dir("loop2.json")), 0);
    assert_null(status_load(in_dir("loop1.json"), &d));
    assert_true(has_diag(&d, "too many levels of symbolic links"));
    plan_free(p);
    diags_free(&d);
}

static void test_folder_and_fifo(void **state)
{
    (void)state;
    diags d = {0};
    plan *p = test_plan();
    const char *path = spath;
    status *s = status_load(path, &d);
    assert_non_null(s);
    assert_int_equal(mkdir(path, 0755), 0);
    assert_null(status_load(path, &d));
    char *w = xasprintf("plandash: error: %s: is a folder, not a status file", path);
    assert_true(has_diag(&d, w));
    free(w);
    diags_clear(&d);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), -1);
    assert_true(has_diag(&d, "cannot save: is a folder"));
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(n_tmp("s.json"), 0);
    status_free(s);

    diags_clear(&d);
    assert_int_equal(mkfifo(in_dir("fifo.json"), 0644), 0);
    assert_null(status_load(in_dir("fifo.json"), &d));   /* and does not hang */
    assert_true(has_diag(&d, "is not a regular file"));

    diags_clear(&d);
    s = status_load(in_dir("no/such/folder/s.json"), &d);
    assert_non_null(s);   /* missing: empty */
    assert_int_equal(set1(s, p, "1.1.1", true, &d), -1);
    assert_true(has_diag(&d, "No such file or directory; check that the folder exists"));
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

/* ---- undo, merging, refresh ---- */

static void test_undo_levels(void **state)
{
    (void)state;
    const char *path = spath;
    put(path, "{\"version\": 1, \"items\": {\"1.1.1\": {\"done\": true, \"at\": \"A\", \"by\": \"x\", \"k\": [1]}}}");
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    status_apply(s, p);
    char *v0 = slurp(path, NULL);
    assert_int_equal(set1(s, p, "1.1.1", false, &d), 0);
    char *v1 = slurp(path, NULL);
    const char *ids[] = {"1.1.2", "1.2.3"};
    bool done[] = {true, true};
    assert_int_equal(status_set(s, p, ids, done, 2, &d), 0);
    char *v2 = slurp(path, NULL);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
    assert_int_equal(status_undo_depth(s), 3);
    assert_int_equal(p->done, 3);

    assert_int_equal(undo1(s, p, &d), 1);
    assert_file(path, v2);
    assert_int_equal(p->done, 2);
    assert_int_equal(undo1(s, p, &d), 1);   /* both entries of one change */
    assert_file(path, v1);
    assert_int_equal(p->done, 0);
    assert_int_equal(undo1(s, p, &d), 1);   /* time, login, unknown field back */
    char *v0w = xstrdup("{\n  \"version\": 1,\n  \"items\": {\n"
                        "    \"1.1.1\": {\"done\": true, \"at\": \"A\", \"by\": \"x\", \"k\": [1]}\n  }\n}\n");
    assert_file(path, v0w);
    assert_string_equal(plan_find_item(p, "1.1.1")->done_at, "A");
    assert_int_equal(status_undo_depth(s), 0);
    assert_int_equal(undo1(s, p, &d), 0);
    assert_int_equal(d.n, 0);
    free(v0);
    free(v0w);
    free(v1);
    free(v2);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

static void test_undo_keeps_others_changes(void **state)
{
    (void)state;
    const char *path = spath;
    diags d = {0};
    plan *p = test_plan(), *q = test_plan();
    status *a = status_load(path, &d);
    status *b = status_load(path, &d);
    assert_int_equal(set1(a, p, "1.1.1", true, &d), 0);
    assert_int_equal(set1(b, q, "1.1.2", true, &d), 0);   /* b had not seen a's */
    assert_int_equal(q->done, 2);                         /* it has now */
    assert_int_equal(undo1(a, p, &d), 1);
    assert_false(plan_find_item(p, "1.1.1")->done);
    assert_true(plan_find_item(p, "1.1.2")->done);        /* b's mark survives */
    status *c = status_load(path, &d);
    assert_false(status_lookup(c, "1.1.1", NULL, NULL, NULL));
    assert_true(status_lookup(c, "1.1.2", NULL, NULL, NULL));
    assert_int_equal(status_count(c), 1);
    status_free(a);
    status_free(b);
    status_free(c);
    plan_free(p);
    plan_free(q);
    diags_free(&d);
}

static void test_refresh(void **state)
{
    (void)state;
    const char *path = spath;
    diags d = {0};
    plan *p = test_plan(), *q = test_plan();
    status *a = status_load(path, &d);
    status *b = status_load(path, &d);
    bool changed = true;
    assert_int_equal(status_refresh(a, p, &changed, &d), 0);
    assert_false(changed);   /* still missing */

    assert_int_equal(set1(b, q, "1.2.10", true, &d), 0);
    assert_int_equal(status_refresh(a, p, &changed, &d), 0);
    assert_true(changed);
    assert_true(plan_find_item(p, "1.2.10")->done);
    assert_int_equal(p->done, 1);
    assert_int_equal(status_refresh(a, p, &changed, &d), 0);
    assert_false(changed);

    /* our own write is not reloaded */
    assert_int_equal(set1(a, p, "1.1.1", true, &d), 0);
    assert_int_equal(status_refresh(a, p, &changed, &d), 0);
    assert_false(changed);

    /* rewritten in place, same size, at once: content decides */
    size_t n;
    char *text = slurp(path, &n);
    char *k = strstr(text, "\"1.1.1\": {\"done\": true");
    assert_non_null(k);
    memcpy(k + 1, "1.1.2", 5);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    assert_int_equal(status_refresh(a, p, &changed, &d), 0);
    assert_true(changed);
    assert_false(plan_find_item(p, "1.1.1")->done);
    assert_true(plan_find_item(p, "1.1.2")->done);
    free(text);

    /* deleted: nothing is done */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(status_refresh(a, p, &changed, &d), 0);
    assert_true(changed);
    assert_int_equal(p->done, 0);
    assert_int_equal(d.n, 0);
    status_free(a);
    status_free(b);
    plan_free(p);
    plan_free(q);
    diags_free(&d);
}

static time_t later_clock(void)
{
    return NOW + 60;   /* 2026-11-26T18:43:08+08:00 */
}

/* Undo puts back only what is still what this process wrote: an entry
 * someone else changed since is left alone (and said), the level is used
 * up; another's change to the other half of the entry (a note beside a
 * mark) is kept. */
static void test_undo_leaves_later_changes(void **state)
{
    (void)state;
    diags d = {0};
    plan *p = test_plan(), *q = test_plan();
    status *a = status_load(spath, &d);
    status *b = status_load(spath, &d);
    /* a marks; b unmarks and marks again, later */
    assert_int_equal(set1(a, p, "1.1.1", true, &d), 0);
    status_set_clock(later_clock);
    assert_int_equal(set1(b, q, "1.1.1", false, &d), 0);
    assert_int_equal(set1(b, q, "1.1.1", true, &d), 0);
    status_set_clock(fixed_clock);
    assert_int_equal(undo1(a, p, &d), 1);
    const char *id, *by, *at;
    assert_int_equal(status_undo_skipped(a, &id, &by, &at), 1);
    assert_string_equal(id, "1.1.1");
    assert_string_equal(at, "2026-11-26T18:43:08+08:00");
    assert_string_equal(by, login);
    assert_int_equal(status_undo_depth(a), 0);   /* used up */
    assert_true(plan_find_item(p, "1.1.1")->done);
    status *c = status_load(spath, &d);
    bool dn = false;
    assert_true(status_lookup(c, "1.1.1", &dn, &at, NULL));
    assert_true(dn);
    assert_string_equal(at, "2026-11-26T18:43:08+08:00");
    status_free(c);
    /* a note: b writes another later; a's undo leaves it */
    assert_int_equal(status_set_note(a, p, "1.1.2", "甲", NULL, &d), 0);
    status_set_clock(later_clock);
    assert_int_equal(status_set_note(b, q, "1.1.2", "乙", NULL, &d), 0);
    status_set_clock(fixed_clock);
    assert_int_equal(undo1(a, p, &d), 1);
    assert_int_equal(status_undo_skipped(a, &id, NULL, NULL), 1);
    assert_string_equal(id, "1.1.2");
    assert_string_equal(plan_find_item(p, "1.1.2")->note, "乙");
    /* a marks 1.2.1, b adds a note to it: a's undo takes back the mark
     * only, b's note stays */
    assert_int_equal(set1(a, p, "1.2.1", true, &d), 0);
    assert_int_equal(status_set_note(b, q, "1.2.1", "丙", NULL, &d), 0);
    assert_int_equal(undo1(a, p, &d), 1);
    assert_int_equal(status_undo_skipped(a, NULL, NULL, NULL), 0);
    assert_false(plan_find_item(p, "1.2.1")->done);
    assert_string_equal(plan_find_item(p, "1.2.1")->note, "丙");
    assert_int_equal(d.n, 0);
    status_free(a);
    status_free(b);
    plan_free(p);
    plan_free(q);
    diags_free(&d);
}

static void test_duplicate_ids_in_one_change(void **state)
{
    (void)state;
    const char *path = spath;
    diags d = {0};
    plan *p = test_plan();
    status *s = status_load(path, &d);
    const char *ids[] = {"1.1.1", "1.1.1", "1.1.2"};
    bool done[] = {true, false, true};
    assert_int_equal(status_set(s, p, ids, done, 3, &d), 0);
    bool dn = true;
    assert_true(status_lookup(s, "1.1.1", &dn, NULL, NULL));
    assert_false(dn);   /* the last one wins */
    assert_int_equal(undo1(s, p, &d), 1);
    assert_int_equal(status_count(s), 0);   /* both were absent before */
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

/* ---- json_strict directly ---- */

static void test_json_strict_spans(void **state)
{
    (void)state;
    const char *t = "{\"a\": [1, {\"b\": null}], \"c\": \"x\"}";
    json_strict j;
    assert_true(json_strict_check(&j, t, strlen(t), 1, -1));
    assert_int_equal(j.n_spans, 3);   /* {}, [...] and "x": 1 and {...} are deeper */
    static const json_span want[] = {
        {JSON_NO_KEY, 0, 33, 0}, {1, 6, 22, 1}, {24, 29, 32, 1},
    };
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(j.spans[i].key, want[i].key);
        assert_int_equal(j.spans[i].start, want[i].start);
        assert_int_equal(j.spans[i].end, want[i].end);
        assert_int_equal(j.spans[i].depth, want[i].depth);
    }
    json_strict_free(&j);
    assert_true(json_strict_check(&j, t, strlen(t), 2, -1));
    assert_int_equal(j.n_spans, 5);   /* and the array's elements */
    assert_int_equal(j.spans[2].start, 7);
    assert_int_equal(j.spans[3].start, 10);
    assert_int_equal(j.spans[3].end, 21);
    json_strict_free(&j);
    assert_true(json_strict_check(&j, t, strlen(t), -1, -1));
    assert_int_equal(j.n_spans, 0);
    json_strict_free(&j);
    unsigned long line, col;
    json_strict_position("ab\n中文x", 11, 9, &line, &col);
    assert_int_equal(line, 2);
    assert_int_equal(col, 3);
}

/* Where each of ids is in the file at path, in order (asserts it is). */
static void assert_order(const char *path, const char *const *ids, size_t n)
{
    char *got = slurp(path, NULL);
    const char *prev = got;
    for (size_t i = 0; i < n; i++) {
        char key[64];
        snprintf(key, sizeof key, "\n    \"%s\": {", ids[i]);
        const char *at = strstr(got, key);
        assert_non_null(at);
        assert_true(at >= prev);
        prev = at;
    }
    free(got);
}

static void test_sorted_after_inserts(void **state)
{
    (void)state;
    const char *path = spath;
    diags d = {0};
    plan *p = test_plan();
    /* entries added one save at a time, out of order, stay in id order */
    status *s = status_load(path, &d);
    assert_non_null(s);
    assert_int_equal(set1(s, p, "2.1.1", true, &d), 0);
    assert_int_equal(set1(s, p, "1.2.10", true, &d), 0);
    assert_int_equal(set1(s, p, "1.2.9", true, &d), 0);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
    static const char *const want[] = {"1.1.1", "1.2.9", "1.2.10", "2.1.1"};
    assert_order(path, want, 4);
    status_free(s);
    /* a file out of order is written in order */
    put(path, "{\"version\": 1, \"items\": {\"2.1.1\": {\"done\": true}, "
              "\"1.2.10\": {\"done\": true}, \"1.1.1\": {\"done\": false}}}");
    s = status_load(path, &d);
    assert_non_null(s);
    assert_int_equal(set1(s, p, "1.2.9", true, &d), 0);
    assert_order(path, want, 4);
    status_free(s);
    print_diags(&d);
    assert_int_equal(d.n, 0);
    plan_free(p);
    diags_free(&d);
}

/* Keys and strings written with escapes read as their characters. */
static void test_escaped_keys(void **state)
{
    (void)state;
    const char *path = spath;
    put(path, "{\"\\u0076ersion\": 10e-1, \"it\\u0065ms\": {\"1.1.\\u0031\": "
              "{\"\\u0064one\": true, \"\\u0061t\": \"\\u00e9\\/\", \"b\\u0079\": \"li\"}}}");
    diags d = {0};
    status *s = status_load(path, &d);
    print_diags(&d);
    assert_non_null(s);
    bool dn;
    const char *at, *by;
    assert_true(status_lookup(s, "1.1.1", &dn, &at, &by));
    assert_true(dn);
    assert_string_equal(at, "é/");
    assert_string_equal(by, "li");
    status_free(s);
    diags_free(&d);
}

/* Strings are printed by cJSON: escapes only where JSON needs them, and
 * what is printed reads back the same. */
static void test_json_strict_quote(void **state)
{
    (void)state;
    static const char *const in[] = {"", "plain 中文", "a\"b\\c/", "\b\f\n\r\t\x01\x1f\x7f"};
    static const char *const want[] = {"\"\"", "\"plain 中文\"", "\"a\\\"b\\\\c/\"",
                                       "\"\\b\\f\\n\\r\\t\\u0001\\u001f\x7f\""};
    for (size_t i = 0; i < 4; i++) {
        strbuf b = {0};
        sb_adds(&b, "x");
        json_strict_quote(&b, in[i]);
        assert_string_equal(b.s + 1, want[i]);
        assert_int_equal(b.len, strlen(b.s));
        cJSON *v = cJSON_Parse(b.s + 1);
        assert_true(cJSON_IsString(v));
        assert_string_equal(v->valuestring, in[i]);
        cJSON_Delete(v);
        sb_free(&b);
    }
}

/* ---- JSONTestSuite (tests/fixtures/jsontestsuite/README) ---- */

/* y_ files refused on purpose (README: "A file that is not valid ..."). */
static const char *const refused_on_purpose[] = {
    "y_number.json",                        /* 123e65: beyond 2^53 */
    "y_number_double_close_to_zero.json",   /* longer than 63 characters */
    "y_number_real_capital_e.json",         /* 1E22 */
    "y_number_real_exponent.json",          /* 123e45 */
    "y_number_real_fraction_exponent.json", /* 123.456e78 */
    "y_object_duplicated_key.json",
    "y_object_duplicated_key_and_value.json",
    "y_object_escaped_null_in_key.json",    /* \u0000 */
    "y_object_extreme_numbers.json",        /* 1.0e+28 */
    "y_string_null_escape.json",            /* \u0000 */
};

static bool on_purpose(const char *name)
{
    for (size_t i = 0; i < sizeof refused_on_purpose / sizeof *refused_on_purpose; i++)
        if (strcmp(name, refused_on_purpose[i]) == 0)
            return true;
    return false;
}

static int name_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every n_ file refused, every y_ file accepted but those above; an
 * accepted value is kept as an unknown field through a load and a save,
 * as cJSON_Minify writes it. */
static void test_json_test_suite(void **state)
{
    (void)state;
    char dirpath[512];
    const char *top = getenv("TOP");
    snprintf(dirpath, sizeof dirpath, "%s/tests/fixtures/jsontestsuite", top ? top : ".");
    DIR *dp = opendir(dirpath);
    assert_non_null(dp);
    char **names = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *de; (de = readdir(dp));) {
        if (strncmp(de->d_name, "n_", 2) && strncmp(de->d_name, "y_", 2))
            continue;
        xgrow((void **)&names, &cap, n + 1, sizeof *names);
        names[n++] = xstrdup(de->d_name);
    }
    closedir(dp);
    qsort(names, n, sizeof *names, name_cmp);
    size_t refused_n = 0, accepted_y = 0, kept = 0, bad = 0;
    plan *p = test_plan();
    for (size_t i = 0; i < n; i++) {
        char *path = xasprintf("%s/%s", dirpath, names[i]);
        size_t len;
        char *text = slurp(path, &len);
        json_strict j;
        bool ok = json_strict_check(&j, text, len, -1, -1);
        json_strict_free(&j);
        bool want = names[i][0] == 'y' && !on_purpose(names[i]);
        if (ok != want) {
            print_message("# %s: %s\n", names[i], ok ? "accepted" : "refused");
            bad++;
        }
        refused_n += names[i][0] == 'n' && !ok;
        accepted_y += names[i][0] == 'y' && ok;
        /* the same verdict as an unknown field of a status file */
        strbuf b = {0};
        sb_adds(&b, "{\"version\": 1, \"items\": {\"9.9\": {\"done\": true, \"u\": ");
        sb_add(&b, text, len);
        sb_adds(&b, "}}, \"x\": ");
        sb_add(&b, text, len);
        sb_adds(&b, "}");
        put_file(spath, b.s, b.len);
        sb_free(&b);
        diags d = {0};
        status *s = status_load(spath, &d);
        if (ok && s) {   /* saved: the value kept as cJSON_Minify makes it */
            assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
            char *got = slurp(spath, NULL);
            char *min = xstrndup(text, len);
            cJSON_Minify(min);
            char *u = xasprintf(", \"u\": %s}\n", min), *x = xasprintf("\"x\": %s\n}\n", min);
            if (strstr(got, u) && strstr(got, x)) {
                kept++;
            } else {
                print_message("# %s: not kept: %s\n", names[i], got);
                bad++;
            }
            free(u);
            free(x);
            free(min);
            free(got);
        } else if (ok || s) {
            print_message("# %s: %s by the checker, %s as a status file\n", names[i],
                          ok ? "accepted" : "refused", s ? "loaded" : "refused");
            bad++;
        }
        status_free(s);
        diags_free(&d);
        free(text);
        free(path);
        free(names[i]);
    }
    free(names);
    plan_free(p);
    assert_int_equal(bad, 0);
    assert_int_equal(refused_n, 188);
    assert_int_equal(accepted_y, 95 - 10);
    assert_int_equal(kept, 85);
}

/* Duplicate entries far apart (in different chunks for cJSON) are found,
 * with both positions. */
static void test_duplicate_far_apart(void **state)
{
    (void)state;
    const char *path = in_dir("dup.json");
    strbuf b = {0};
    sb_adds(&b, "{\"version\": 1, \"items\": {");
    for (int i = 0; i < 3000; i++)
        sb_addf(&b, "\n\"9.%d\": {\"done\": true},", i);
    sb_adds(&b, "\n\"9.7\": {\"done\": false}}}");
    put_file(path, b.s, b.len);
    sb_free(&b);
    diags d = {0};
    assert_null(status_load(path, &d));
    char *want = xasprintf("%s:3002:1: error: duplicate key \"9.7\" (first at line 9, column 1)",
                           path);
    assert_int_equal(d.n, 1);
    assert_true(strncmp(d.v[0].text, want, strlen(want)) == 0);
    free(want);
    diags_free(&d);
}

/* A large file: loads and saves in time, without quadratic steps. */
static void test_large(void **state)
{
    (void)state;
    const char *path = in_dir("big.json");
    strbuf b = {0};
    sb_adds(&b, "{\"version\": 1, \"items\": {");
    for (int i = 0; i < 50000; i++)
        sb_addf(&b, "%s\"9.%d.%d\": {\"done\": true, \"at\": \"2026-11-26T18:42:08+08:00\", "
                    "\"by\": \"u\"}", i ? ", " : "", i / 100, i % 100);
    sb_adds(&b, "}}");
    put_file(path, b.s, b.len);
    sb_free(&b);
    diags d = {0};
    plan *p = test_plan();
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    status *s = status_load(path, &d);
    assert_non_null(s);
    assert_int_equal(status_count(s), 50000);
    assert_int_equal(set1(s, p, "1.1.1", true, &d), 0);
    assert_int_equal(status_count(s), 50001);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    print_message("# 50,000 entries: load + save in %.3f s\n", secs);
    assert_true(secs < 10);   /* about 0.1 s; quadratic would be minutes */
    char *got = slurp(path, NULL);
    /* sorted: 9.0.99 before 9.1.0, 9.99.99 last */
    char *a = strstr(got, "\"9.0.99\""), *z = strstr(got, "\"9.1.0\"");
    assert_true(a && z && a < z);
    assert_non_null(strstr(got, "\"9.499.99\": {\"done\": true, \"at\": \"2026-11-26T18:42:08+08:00\", \"by\": \"u\"}\n  }\n}\n"));
    free(got);
    status_free(s);
    plan_free(p);
    diags_free(&d);
}

int main(void)
{
    setenv("TZ", "Asia/Shanghai", 1);
    tzset();
    struct passwd *pw = getpwuid(geteuid());
    if (pw)
        snprintf(login, sizeof login, "%s", pw->pw_name);
    else
        snprintf(login, sizeof login, "uid %lu", (unsigned long)geteuid());

    enum { N_BAD = sizeof bad_cases / sizeof bad_cases[0] };
    enum { N_FAULT = sizeof fault_cases / sizeof fault_cases[0] };
    struct CMUnitTest tests[64 + N_BAD + N_FAULT];
    size_t n = 0;
#define T(fn) tests[n++] = (struct CMUnitTest)cmocka_unit_test_setup_teardown(fn, setup, teardown)
    T(test_default_path);
    T(test_missing_is_empty);
    T(test_set_creates_sorted);
    T(test_empty_layout);
    T(test_roundtrip_keeps_unknown);
    T(test_unmark_keeps_entry);
    T(test_unchanged_writes_nothing);
    T(test_case_sensitive_keys);
    T(test_escapes_written);
    T(test_good_edge_files);
    T(test_save_fault_after_outside_change);
    T(test_dirsync_fault_warns);
    T(test_short_writes);
    T(test_leftover_tmp_cleaned);
    T(test_mode_kept);
    T(test_symlinks);
    T(test_folder_and_fifo);
    T(test_undo_levels);
    T(test_undo_keeps_others_changes);
    T(test_refresh);
    T(test_undo_leaves_later_changes);
    T(test_duplicate_ids_in_one_change);
    T(test_json_strict_spans);
    T(test_sorted_after_inserts);
    T(test_escaped_keys);
    T(test_json_strict_quote);
    T(test_duplicate_far_apart);
    T(test_json_test_suite);
    T(test_large);
    T(test_history_path);
    T(test_note_set_clear);
    T(test_note_expect);
    T(test_note_undo_history);
    T(test_note_refused);
    T(test_history_torn_line);
    T(test_history_lost_save_reconciled);
    T(test_history_index);
#undef T
    static char names[N_BAD + N_FAULT][48];
    for (size_t i = 0; i < N_BAD; i++) {
        snprintf(names[i], sizeof names[i], "test_bad_file_%zu", i + 1);
        tests[n++] = (struct CMUnitTest){names[i], test_bad_file, setup, teardown,
                                         (void *)&bad_cases[i]};
    }
    for (size_t i = 0; i < N_FAULT; i++) {
        snprintf(names[N_BAD + i], sizeof names[0], "test_save_fault_%zu_%s", i + 1,
                 fault_cases[i].step ? fault_cases[i].step : "zero_write");
        tests[n++] = (struct CMUnitTest){names[N_BAD + i], test_save_fault, setup, teardown,
                                         (void *)&fault_cases[i]};
    }
    return _cmocka_run_group_tests("status", tests, n, NULL, NULL);
}
