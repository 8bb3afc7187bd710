/* note_bench.c - what notes and the history cost, with plandash's own
 * status store and history reader.
 *
 *   note_bench PLAN.yaml STATUS.json REPEATS
 *
 * Writes STATUS.json with a note on every third item (a third of them
 * done too) and beside it the history those changes would have left (one
 * line per note and per mark, in plan order), untimed.  Then, REPEATS
 * times each, timed:
 *   - scan: reading one item's history by scanning the file for its id
 *     (history_load with the id, as --history ID does), items spread over
 *     the plan;
 *   - hist: the same through the index H keeps (history_index_load): the
 *     first lookup builds it (timed alone as "first"), the others read
 *     only the item's lines, after a line was appended (caught up);
 *   - append: one history line appended under the lock (lockfile_append),
 *     split at its fsync: open, end check and write before it, the fsync
 *     after;
 *   - save: a whole note save (status_set_note: lock, re-read, apply,
 *     history line, status file written, fsync, rename).
 * Prints medians and maxima in milliseconds and the history's size:
 *   scan_ms MED MAX first_ms T hist_ms MED MAX append_ms MED MAX fsync_ms MED MAX
 *   save_ms MED MAX hist_bytes N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "history.h"
#include "lockfile.h"
#include "plan.h"
#include "status.h"
#include "util.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int fail(diags *d)
{
    diags_print(d, stderr);
    return 1;
}

static double t_fsync;   /* when the append reached its fsync */

static int hook(const char *step, size_t *len)
{
    (void)len;
    if (strcmp(step, "hfsync") == 0)
        t_fsync = now_ms();
    return 0;
}

static const char *const phrases[] = {
    "已召开专题会议研究部署，明确责任分工和时间节点。",
    "完成第一阶段自查，发现问题三项，已整改两项。",
    "信息公开专栏已上线，累计发布政策文件和解读材料。",
    "下一步将加强督促检查，按月通报进展情况。",
};

/* STATUS.json with notes and its history, written as plandash would. */
static int write_files(const plan *p, const char *spath, const char *hpath)
{
    FILE *s = fopen(spath, "w"), *h = fopen(hpath, "w");
    if (!s || !h) {
        perror("note_bench");
        return 1;
    }
    fputs("{\n  \"version\": 1,\n  \"items\": {", s);
    bool first = true;
    for (size_t i = 0; i < p->n_items; i++) {
        const char *id = p->items[i].id;
        bool note = i % 3 == 0, done = i % 3 != 2;
        if (!note && !done)
            continue;
        fprintf(s, "%s\n    \"%s\": {\"done\": %s, \"at\": \"2026-11-20T09:00:00+08:00\", "
                   "\"by\": \"li\"", first ? "" : ",", id, done ? "true" : "false");
        first = false;
        if (done)
            fprintf(h, "{\"at\":\"2026-11-20T09:00:00+08:00\",\"by\":\"li\",\"id\":\"%s\","
                       "\"done\":true}\n", id);
        if (note) {
            const char *t = phrases[i % 4], *u = phrases[(i / 4) % 4];
            fprintf(s, ", \"note\": \"%s\\n%s\", \"note_at\": \"2026-11-21T10:00:00+08:00\", "
                       "\"note_by\": \"wang\"", t, u);
            fprintf(h, "{\"at\":\"2026-11-21T10:00:00+08:00\",\"by\":\"wang\",\"id\":\"%s\","
                       "\"note\":\"%s\\n%s\"}\n", id, t, u);
        }
        fputc('}', s);
    }
    fputs("\n  }\n}\n", s);
    int bad = ferror(s) || ferror(h);
    bad |= fclose(s) != 0;
    bad |= fclose(h) != 0;
    return bad;
}

static void stats(double *v, int n, double *med, double *max)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    *med = v[n / 2];
    *max = v[n - 1];
}

int main(int argc, char **argv)
{
    if (argc != 4 || atoi(argv[3]) < 1) {
        fprintf(stderr, "usage: note_bench PLAN.yaml STATUS.json REPEATS\n");
        return 2;
    }
    int reps = atoi(argv[3]);
    diags d = {0};
    plan *p = plan_load(argv[1], &d);
    if (!p)
        return fail(&d);
    char *hpath = status_history_path(argv[2]);
    if (write_files(p, argv[2], hpath))
        return 1;
    double *th = xcalloc((size_t)reps, sizeof(double)), *ta = xcalloc((size_t)reps, sizeof(double));
    double *tf = xcalloc((size_t)reps, sizeof(double)), *ts = xcalloc((size_t)reps, sizeof(double));
    double *tx = xcalloc((size_t)reps, sizeof(double));
    int rc = 0;
    for (int r = 0; r < reps && !rc; r++) {
        const char *id = p->items[((size_t)r * 7919 + 1) % p->n_items].id;
        double t0 = now_ms();
        history h = {0};
        if (history_load(&h, hpath, id, &d) < 0)
            rc = fail(&d);
        th[r] = now_ms() - t0;
        history_free(&h);
    }
    history_index *x = history_index_new();
    double first_ms = 0;
    {
        history h = {0};
        double t0 = now_ms();
        if (history_index_load(x, hpath, p->items[0].id, &h, &d) < 0)
            rc = fail(&d);
        first_ms = now_ms() - t0;
        history_free(&h);
    }
    for (int r = 0; r < reps && !rc; r++) {
        FILE *f = fopen(hpath, "a");   /* a change since the last lookup */
        if (f) {
            fprintf(f, "{\"at\":\"2026-12-02T10:00:00+08:00\",\"by\":\"li\",\"id\":\"%s\","
                       "\"done\":false}\n", p->items[r % 11].id);
            fclose(f);
        }
        const char *id = p->items[((size_t)r * 7919 + 1) % p->n_items].id;
        history h = {0};
        double t0 = now_ms();
        if (history_index_load(x, hpath, id, &h, &d) < 0)
            rc = fail(&d);
        tx[r] = now_ms() - t0;
        history_free(&h);
    }
    history_index_free(x);
    lockfile_set_fault_hook(hook);
    for (int r = 0; r < reps && !rc; r++) {
        lockfile lk;
        if (lockfile_take(&lk, argv[2], argv[2], &d) < 0) {
            rc = fail(&d);
            break;
        }
        char line[256];
        int n = snprintf(line, sizeof line, "{\"at\":\"2026-12-02T11:00:00+08:00\",\"by\":\"li\","
                                            "\"id\":\"%s\",\"done\":true}\n", p->items[r % 7].id);
        double t0 = now_ms();
        if (lockfile_append(&lk, hpath, line, (size_t)n, &d) < 0)
            rc = fail(&d);
        double t2 = now_ms();
        ta[r] = t_fsync - t0;
        tf[r] = t2 - t_fsync;
        lockfile_release(&lk);
    }
    lockfile_set_fault_hook(NULL);
    status *s = rc ? NULL : status_load(argv[2], &d);
    if (!rc && !s)
        rc = fail(&d);
    if (s)
        status_apply(s, p);
    for (int r = 0; r < reps && !rc; r++) {
        const char *id = p->items[((size_t)r * 7919 + 2) % p->n_items].id;
        char note[64];
        snprintf(note, sizeof note, "第 %d 次更新进展", r + 1);
        double t0 = now_ms();
        if (status_set_note(s, p, id, note, NULL, &d) != 0)
            rc = fail(&d);
        ts[r] = now_ms() - t0;
    }
    if (!rc) {
        double a, b, c, e, f, g, x1, y1, x, y;
        stats(th, reps, &a, &b);
        stats(tx, reps, &x1, &y1);
        stats(ta, reps, &c, &e);
        stats(tf, reps, &f, &g);
        stats(ts, reps, &x, &y);
        struct stat st;
        long long hb = stat(hpath, &st) == 0 ? (long long)st.st_size : -1;
        printf("scan_ms %.3f %.3f first_ms %.3f hist_ms %.3f %.3f append_ms %.3f %.3f "
               "fsync_ms %.3f %.3f save_ms %.2f %.2f hist_bytes %lld\n",
               a, b, first_ms, x1, y1, c, e, f, g, x, y, hb);
    }
    status_free(s);
    free(th);
    free(ta);
    free(tf);
    free(ts);
    free(tx);
    free(hpath);
    plan_free(p);
    diags_free(&d);
    return rc;
}
