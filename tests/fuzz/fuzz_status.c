/* fuzz_status - the status file loader (json_strict, cJSON, the entry
 * checks), its writer, and the strict JSON validator on its own.
 *
 * Input: a status file's bytes.  The validator gets them directly; the
 * loader reads them from a file in a private temporary folder (status_load
 * takes a path), rewritten for each input.  Invariants checked:
 *   - json_strict: a refusal has an offset within the text and a message;
 *     what it accepts, cJSON parses too, and so each recorded span alone;
 *     the text cJSON_Minify makes of it is accepted with the same number of
 *     values and minifies to itself; a string quoted by json_strict_quote
 *     (printed by cJSON) is accepted and reads back the same;
 *   - status_load returns a status, or NULL with an error; all messages are
 *     harmless;
 *   - a loaded status applies to a plan, its entries are the plan's plus
 *     the orphans, and exports of the plan stay harmless and strict JSON
 *     whatever times the file holds;
 *   - saving round-trips: mark, unmark, mark again (a fixed clock) writes
 *     the same bytes twice, every file written loads again, and undoing all
 *     three restores the entry as it was;
 *   - notes: a note set and cleared reads back, the entry's note fields
 *     are what the file held after both are undone, and the history beside
 *     the file holds one line per change, each read back. */
#include "fuzz.h"

#include <stdbool.h>
#include <time.h>
#include <unistd.h>

#include <cJSON.h>

#include "history.h"
#include "json_strict.h"
#include "plan.h"
#include "report.h"
#include "status.h"
#include "util.h"

static char *fuzz_dir;
static char *status_file;
static plan *fixed_plan;

static const char plan_yaml[] =
    "title: fuzz\n"
    "goals:\n"
    "  - id: \"1\"\n"
    "    title: g\n"
    "    tasks:\n"
    "      - id: \"1.1\"\n"
    "        title: t\n"
    "        items:\n"
    "          - {id: \"1.1.1\", text: a, lead: 甲}\n"
    "          - {id: \"1.1.2\", text: b, responsible: 乙}\n"
    "          - {id: \"1.1.10\", text: c}\n";
static const char *const plan_ids[] = {"1.1.1", "1.1.2", "1.1.10"};
#define N_IDS (sizeof plan_ids / sizeof *plan_ids)

static time_t fixed_clock(void)
{
    return 1795689728;   /* 2026-11-26T18:42:08+08:00 */
}

static void remove_files(void)
{
    static const char *const sfx[] = {"", ".lock", ".tmp"};
    if (!status_file)
        return;
    for (size_t i = 0; i < 3; i++) {
        char *f = xasprintf("%s%s", status_file, sfx[i]);
        unlink(f);
        free(f);
    }
    char *h = status_history_path(status_file);
    unlink(h);
    free(h);
}

static void cleanup(void)
{
    remove_files();
    if (fuzz_dir)
        rmdir(fuzz_dir);
    free(fuzz_dir);
    free(status_file);
    plan_free(fixed_plan);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_locale();
    /* In FUZZ_TMPDIR when set (run-fuzz.sh removes it, even after a crash
     * skipped atexit), else memory-backed when possible: saves fsync. */
    const char *base = getenv("FUZZ_TMPDIR");
    if (!base || !*base)
        base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    fuzz_dir = xasprintf("%s/plandash-fuzz.XXXXXX", base);
    if (!mkdtemp(fuzz_dir)) {
        perror("fuzz_status: mkdtemp");
        abort();
    }
    status_file = xasprintf("%s/plan.status.json", fuzz_dir);
    diags d = {0};
    fixed_plan = plan_parse("fixed.yaml", plan_yaml, sizeof plan_yaml - 1, &d);
    diags_print(&d, stderr);
    diags_free(&d);
    FUZZ_CHECK(fixed_plan != NULL);
    status_set_clock(fixed_clock);
    atexit(cleanup);
    return 0;
}

static bool strict_ok(const char *s, size_t n, size_t *values)
{
    json_strict js;
    bool ok = json_strict_check(&js, s, n, JSON_STRICT_MAX_DEPTH, -1);
    if (values)
        *values = js.n_spans;
    json_strict_free(&js);
    return ok;
}

static void check_json(const char *s, size_t n)
{
    json_strict js;
    if (!json_strict_check(&js, s, n, JSON_STRICT_MAX_DEPTH, -1)) {
        FUZZ_CHECK(js.err_offset <= n && js.msg[0]);
        unsigned long line, col;
        json_strict_position(s, n, js.err_offset, &line, &col);
        FUZZ_CHECK(line >= 1 && col >= 1);
        json_strict_free(&js);
        return;
    }
    FUZZ_CHECK(js.n_spans >= 1 && js.spans[0].depth == 0 && js.spans[0].key == JSON_NO_KEY);
    for (size_t i = js.spans[0].end; i < n; i++)
        FUZZ_CHECK(strchr(" \t\r\n", s[i]) && s[i]);
    cJSON *root = cJSON_ParseWithLength(s, n);
    FUZZ_CHECK(root != NULL);   /* strict-valid JSON is JSON for cJSON too */
    cJSON_Delete(root);
    for (size_t i = 0; i < js.n_spans; i++) {   /* every span is one value for cJSON */
        const json_span *v = &js.spans[i];
        FUZZ_CHECK(v->start < v->end && v->end <= n);
        if (i) {
            FUZZ_CHECK(v->start > js.spans[i - 1].start);
            FUZZ_CHECK(v->depth >= 1 && v->depth <= js.spans[i - 1].depth + 1);
        }
        cJSON *one = cJSON_ParseWithLength(s + v->start, v->end - v->start);
        FUZZ_CHECK(one != NULL);
        cJSON_Delete(one);
        if (v->key != JSON_NO_KEY) {   /* a member: its key is a string */
            const char *end;
            cJSON *k = cJSON_ParseWithLengthOpts(s + v->key, n - v->key, &end, 0);
            FUZZ_CHECK(cJSON_IsString(k) && end <= s + v->start);
            cJSON_Delete(k);
        }
    }
    /* cJSON_Minify keeps the value: accepted, as many values, a fixed point */
    char *m1 = xstrndup(s, js.spans[0].end);
    cJSON_Minify(m1);
    size_t values = 0;
    FUZZ_CHECK(strict_ok(m1, strlen(m1), &values));
    FUZZ_CHECK(values == js.n_spans);
    char *m2 = xstrdup(m1);
    cJSON_Minify(m2);
    FUZZ_CHECK(strcmp(m1, m2) == 0);
    free(m1);
    free(m2);
    json_strict_free(&js);
}

static void check_quote(const char *s, size_t n)
{
    char *c = fuzz_cstr((const uint8_t *)s, n);
    size_t cn = strlen(c);
    if (utf8_valid(c, cn, NULL)) {
        strbuf q = {0};
        json_strict_quote(&q, c);
        FUZZ_CHECK(strict_ok(q.s, q.len, NULL));
        cJSON *v = cJSON_ParseWithLength(q.s, q.len);
        FUZZ_CHECK(v && cJSON_IsString(v) && strcmp(v->valuestring, c) == 0);
        cJSON_Delete(v);
        sb_free(&q);
    }
    free(c);
}

static void write_file(const uint8_t *data, size_t size)
{
    FILE *f = fopen(status_file, "wb");
    FUZZ_CHECK(f != NULL);
    FUZZ_CHECK(size == 0 || fwrite(data, 1, size, f) == size);
    FUZZ_CHECK(fclose(f) == 0);
}

static char *read_file(size_t *len)
{
    FILE *f = fopen(status_file, "rb");
    FUZZ_CHECK(f != NULL);
    strbuf b = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        sb_add(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return sb_steal(&b);
}

static void check_diags(const diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        FUZZ_CHECK(fuzz_harmless(d->v[i].text, strlen(d->v[i].text), ""));
}

static void check_exports(const plan *p)
{
    static const char *const fmts[] = {"json", "csv", "md"};
    for (size_t k = 0; k < 4; k++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&buf, &len);
        FUZZ_CHECK(f != NULL);
        if (k == 3)
            report_text(f, p, NULL, NULL);
        else
            report_export(f, p, fmts[k], NULL);
        FUZZ_CHECK(fclose(f) == 0);
        FUZZ_CHECK(fuzz_harmless(buf, len, k == 1 ? "\r\n" : "\n"));
        if (k == 0)
            FUZZ_CHECK(strict_ok(buf, len, NULL));
        free(buf);
    }
}

/* The file written now must load again; returns its bytes. */
static char *reload_ok(size_t *len)
{
    diags d = {0};
    status *s = status_load(status_file, &d);
    if (!s)
        diags_print(&d, stderr);
    FUZZ_CHECK(s != NULL);
    status_free(s);
    diags_free(&d);
    return read_file(len);
}

static void check_save(status *s)
{
    plan *p = fixed_plan;
    diags d = {0};
    bool was = false, had, undone = false;
    const char *at0 = NULL, *by0 = NULL;
    had = status_lookup(s, "1.1.1", &was, &at0, &by0);
    char *at = at0 ? xstrdup(at0) : NULL, *by = by0 ? xstrdup(by0) : NULL;
    const char *id[] = {"1.1.1"};
    bool v[3] = {!was, was, !was};
    char *files[3];
    size_t lens[3];
    for (int i = 0; i < 3; i++) {
        int rc = status_set(s, p, id, &v[i], 1, &d);
        if (rc != 0)
            diags_print(&d, stderr);
        FUZZ_CHECK(rc == 0);
        bool now;
        FUZZ_CHECK(status_lookup(s, "1.1.1", &now, NULL, NULL) && now == v[i]);
        FUZZ_CHECK(p->items[0].done == v[i]);
        files[i] = reload_ok(&lens[i]);
    }
    FUZZ_CHECK(lens[0] == lens[2] && memcmp(files[0], files[2], lens[0]) == 0);
    for (int i = 0; i < 3; i++)
        free(files[i]);
    for (int i = 0; i < 3; i++)
        FUZZ_CHECK(status_undo(s, p, &undone, &d) == 0 && undone);
    FUZZ_CHECK(status_undo_depth(s) == 0);
    bool now = false;
    const char *at1 = NULL, *by1 = NULL;
    FUZZ_CHECK(status_lookup(s, "1.1.1", &now, &at1, &by1) == had);
    if (had) {
        FUZZ_CHECK(now == was);
        FUZZ_CHECK((at == NULL) == (at1 == NULL) && (!at || strcmp(at, at1) == 0));
        FUZZ_CHECK((by == NULL) == (by1 == NULL) && (!by || strcmp(by, by1) == 0));
    }
    free(at);
    free(by);
    free(reload_ok(&lens[0]));
    check_diags(&d);
    diags_free(&d);
}

static bool same_opt(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Set a note on 1.1.2, clear it, undo both: back to what the file held.
 * The history has one line per change made so far (count). */
static void check_notes(status *s, size_t count)
{
    plan *p = fixed_plan;
    diags d = {0};
    const char *n0 = NULL, *a0 = NULL, *b0 = NULL;
    bool had = status_lookup_note(s, "1.1.2", &n0, &a0, &b0);
    char *n = had ? xstrdup(n0) : NULL, *a = had && a0 ? xstrdup(a0) : NULL;
    char *b = had && b0 ? xstrdup(b0) : NULL;
    size_t depth = status_undo_depth(s);
    FUZZ_CHECK(status_set_note(s, p, "1.1.2", "进展\n\x1b[2J第二行", NULL, &d) == 0);
    const char *now = NULL;
    FUZZ_CHECK(status_lookup_note(s, "1.1.2", &now, NULL, NULL));
    FUZZ_CHECK(strcmp(now, "进展\n\x1b[2J第二行") == 0);
    FUZZ_CHECK(p->items[1].note && strcmp(p->items[1].note, now) == 0);
    check_exports(p);
    free(reload_ok(&(size_t){0}));
    FUZZ_CHECK(status_set_note(s, p, "1.1.2", "", NULL, &d) == 0);
    FUZZ_CHECK(!status_lookup_note(s, "1.1.2", NULL, NULL, NULL));
    FUZZ_CHECK(p->items[1].note == NULL);
    size_t added = status_undo_depth(s) - depth;
    bool undone;
    for (size_t i = 0; i < added; i++)
        FUZZ_CHECK(status_undo(s, p, &undone, &d) == 0 && undone);
    const char *n1 = NULL, *a1 = NULL, *b1 = NULL;
    FUZZ_CHECK(status_lookup_note(s, "1.1.2", &n1, &a1, &b1) == had);
    if (had)
        FUZZ_CHECK(same_opt(n, n1) && same_opt(a, a1) && same_opt(b, b1));
    free(reload_ok(&(size_t){0}));
    history h = {0};
    char *hp = status_history_path(status_file);
    FUZZ_CHECK(history_load(&h, hp, NULL, &d) == 0);
    FUZZ_CHECK(h.n >= count + 2 * added);
    for (size_t k = 0; k < h.n; k++)
        FUZZ_CHECK(h.v[k].at && h.v[k].id);
    history_free(&h);
    free(hp);
    free(n);
    free(a);
    free(b);
    check_diags(&d);
    diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    check_json(s, size);
    check_quote(s, size);

    remove_files();
    write_file(data, size);
    diags d = {0};
    status *st = status_load(status_file, &d);
    check_diags(&d);
    if (!st) {
        FUZZ_CHECK(d.errors > 0);
        diags_free(&d);
        return 0;
    }
    FUZZ_CHECK(d.errors == 0);
    plan *p = fixed_plan;
    status_apply(st, p);
    size_t known = 0, done = 0;
    for (size_t i = 0; i < N_IDS; i++) {
        bool dn;
        if (status_lookup(st, plan_ids[i], &dn, NULL, NULL)) {
            known++;
            done += dn;
        }
    }
    FUZZ_CHECK(p->done == done);
    FUZZ_CHECK(status_warn_orphans(st, p, &d) + known == status_count(st));
    check_diags(&d);
    check_exports(p);
    check_save(st);
    check_notes(st, 6);
    plan_clear_done(p);   /* its times point into the status */
    status_free(st);
    diags_free(&d);
    return 0;
}
