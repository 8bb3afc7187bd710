/* status_writer - drives the status store for the crash, concurrency and
 * fault tests (the scripts in tests/status) without the command line program.
 *
 *   status_writer [OPTION]... MODE FILE [ARG]...
 *
 * The plan is built in memory: goals 1-4, tasks 1-10 each, items 1-10
 * each (ids "1.1.1" to "4.10.10").
 *
 * Modes:
 *   mark FILE ID+|ID-...      one status_set with all changes (+ done, - not)
 *   each FILE ID+|ID-...      one status_set per change
 *   undo FILE N ID+|ID-...    one status_set per change, then N undos
 *   loop FILE LOG SEED        change random items of task 1.1 and 1.2 for
 *                             ever, journaling to LOG: "B id 0|1" before a
 *                             save, "C id 0|1" after it succeeded
 *   verify FILE LOG INITIAL   the file loads; every entry of INITIAL that
 *                             LOG never touched is unchanged; each touched
 *                             id holds its last committed state or one that
 *                             was being saved after it; the history beside
 *                             FILE agrees with it: each id's last recorded
 *                             state is its state, but for the ids of the
 *                             last save's lines (the trailing lines with the
 *                             last line's time), which may be one save
 *                             ahead; prints the done count
 *   dump FILE                 "id done|not-done at by" per entry of the plan
 *   refresh FILE              load, then poll status_refresh until it sees a
 *                             change (at most 10 s); prints "changed"
 * Options:
 *   --fault STEP=ERRNO[@N]    the Nth (default 1st) STEP of a save fails with
 *                             ERRNO (ENOSPC, EACCES, EPERM, EIO, EROFS, ...)
 *   --short N                 write at most N bytes per write(2) (0 too)
 *   --kill-at STEP[@N]        SIGKILL ourselves at the Nth STEP
 *   --kill-after-us US        SIGKILL ourselves after US microseconds
 *   --stop-after N            loop: stop (SIGSTOP) right after the Nth save
 *                             is journaled, for a kill from outside
 *   --wait-for PATH           first wait (at most 10 s) until PATH exists
 *   --now EPOCH               the clock for new times
 *   --tick                    the clock ticks one second per save, from a
 *                             start past every time in the history beside
 *                             FILE (100,000 s per line it holds), so each
 *                             save's lines have a time of their own (for
 *                             verify's "last save"); also when the
 *                             environment has STATUS_WRITER_TICK
 * Exit: 0 ok, 1 an error of the store (printed), 2 a usage or test error. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "history.h"
#include "plan.h"
#include "lockfile.h"
#include "status.h"
#include "util.h"

static const char *fault_step, *kill_step;
static long fault_nth = 1, fault_count, kill_nth = 1, kill_count;
static int fault_errno;
static long short_max = -1;
static time_t fixed_now;
static long stop_after;   /* loop: SIGSTOP after this many saves (0: never) */

static int hook(const char *step, size_t *len)
{
    if (kill_step && strcmp(step, kill_step) == 0 && ++kill_count == kill_nth)
        kill(getpid(), SIGKILL);
    if (short_max >= 0 && (strcmp(step, "write") == 0 || strcmp(step, "hwrite") == 0) &&
        *len > (size_t)short_max)
        *len = (size_t)short_max;
    if (fault_step && strcmp(step, fault_step) == 0 && ++fault_count == fault_nth)
        return fault_errno;
    return 0;
}

static time_t fixed_clock(void)
{
    return fixed_now;
}

static time_t tick_clock(void)
{
    return fixed_now++;
}

/* Lines in the history beside file. */
static long history_lines(const char *file)
{
    char *hp = status_history_path(file);
    FILE *f = fopen(hp, "r");
    free(hp);
    long n = 0;
    int c;
    while (f && (c = getc(f)) != EOF)
        n += c == '\n';
    if (f)
        fclose(f);
    return n;
}

static void die_kill(int sig)
{
    (void)sig;
    kill(getpid(), SIGKILL);
}

static int errno_named(const char *name)
{
    static const struct { const char *name; int err; } names[] = {
        {"ENOSPC", ENOSPC}, {"EACCES", EACCES}, {"EPERM", EPERM}, {"EIO", EIO},
        {"EROFS", EROFS},   {"EDQUOT", EDQUOT}, {"ENOENT", ENOENT}, {"EINTR", EINTR},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcmp(names[i].name, name) == 0)
            return names[i].err;
    return 0;
}

/* "STEP[@N]" -> step (static copy), n */
static const char *step_at(const char *arg, long *n)
{
    static char buf[2][64];
    static int which;
    char *b = buf[which++ & 1];
    snprintf(b, sizeof buf[0], "%s", arg);
    char *at = strchr(b, '@');
    if (at) {
        *at = '\0';
        *n = atol(at + 1);
    }
    return b;
}

static plan *test_plan(void)
{
    plan_builder *b = plan_build_new();
    plan_pos pos = {1, 1};
    diags d = {0};
    plan_build_title(b, "status test plan");
    for (int g = 1; g <= 4; g++) {
        char id[32];
        snprintf(id, sizeof id, "%d", g);
        plan_build_goal(b, id, "goal", pos);
        for (int t = 1; t <= 10; t++) {
            snprintf(id, sizeof id, "%d.%d", g, t);
            plan_build_task(b, id, "task", pos);
            for (int i = 1; i <= 10; i++) {
                snprintf(id, sizeof id, "%d.%d.%d", g, t, i);
                plan_build_item(b, id, "item", pos);
                plan_build_unit(b, PLAN_LEAD, "单位");
            }
        }
    }
    plan *p = plan_build_finish(b, "test plan", &d);
    if (d.errors) {
        diags_print(&d, stderr);
        exit(2);
    }
    diags_free(&d);
    return p;
}

/* Split "ID+" / "ID-" into ids[i], done[i]; the strings are modified. */
static void parse_changes(char **args, size_t n, const char **ids, bool *done)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(args[i]);
        if (len < 2 || (args[i][len - 1] != '+' && args[i][len - 1] != '-')) {
            fprintf(stderr, "status_writer: want ID+ or ID-, not %s\n", args[i]);
            exit(2);
        }
        done[i] = args[i][len - 1] == '+';
        args[i][len - 1] = '\0';
        ids[i] = args[i];
    }
}

static int finish(diags *d, int rc)
{
    diags_print(d, stderr);
    diags_free(d);
    return rc;
}

static void journal(FILE *log, char kind, const char *id, bool done)
{
    /* One write(2) per line, so a kill leaves whole lines. */
    char line[64];
    int n = snprintf(line, sizeof line, "%c %s %d\n", kind, id, done ? 1 : 0);
    if (write(fileno(log), line, (size_t)n) != n)
        exit(2);
}

static int mode_loop(status *s, plan *p, const char *logpath, unsigned seed, diags *d)
{
    FILE *log = fopen(logpath, "a");
    if (!log) {
        perror(logpath);
        return 2;
    }
    srand(seed);
    for (long saves = 0;;) {
        char id[32];
        snprintf(id, sizeof id, "1.%d.%d", 1 + rand() % 2, 1 + rand() % 10);
        bool done = rand() % 2;
        const char *ids[1] = {id};
        journal(log, 'B', id, done);
        if (status_set(s, p, ids, &done, 1, d) < 0) {
            fclose(log);
            return 1;
        }
        journal(log, 'C', id, done);
        diags_print(d, stderr);   /* warnings */
        diags_clear(d);
        if (++saves == stop_after)
            raise(SIGSTOP);
    }
}

/* What verify accepts for one id: the last committed state (or the initial
 * one) and any state being saved after it. */
typedef struct {
    bool touched;
    int committed;    /* -1 absent (not done), 0, 1 */
    bool maybe[2];    /* states begun since the last commit */
} expect;

static int mode_verify(const char *file, const char *logpath, const char *initial, diags *d)
{
    plan *p = test_plan();
    status *now = status_load(file, d);
    status *old = status_load(initial, d);
    if (!now || !old) {
        fprintf(stderr, "status_writer: verify: a file does not load\n");
        status_free(now);
        status_free(old);
        plan_free(p);
        return finish(d, 1);
    }
    expect *ex = xcalloc(p->n_items, sizeof *ex);
    for (size_t i = 0; i < p->n_items; i++) {
        bool done;
        ex[i].committed = status_lookup(old, p->items[i].id, &done, NULL, NULL) ? done : -1;
    }
    FILE *log = fopen(logpath, "r");
    char line[128];
    while (log && fgets(line, sizeof line, log)) {
        char kind, id[64];
        int v;
        if (sscanf(line, "%c %63s %d", &kind, id, &v) != 3)
            continue;   /* cannot happen: lines are written whole */
        plan_item *it = plan_find_item(p, id);
        if (!it)
            continue;
        expect *e = &ex[it - p->items];
        e->touched = true;
        if (kind == 'C') {
            e->committed = v;
            e->maybe[0] = e->maybe[1] = false;
        } else {
            e->maybe[v] = true;
        }
    }
    if (log)
        fclose(log);
    int bad = 0;
    size_t done_count = 0;
    for (size_t i = 0; i < p->n_items; i++) {
        const char *id = p->items[i].id;
        bool d1 = false, d0 = false;
        const char *a1 = NULL, *a0 = NULL, *b1 = NULL, *b0 = NULL;
        bool has1 = status_lookup(now, id, &d1, &a1, &b1);
        bool has0 = status_lookup(old, id, &d0, &a0, &b0);
        done_count += has1 && d1;
        if (!ex[i].touched) {
            bool same = has1 == has0 && (!has1 || (d1 == d0 && !a1 == !a0 && !b1 == !b0 &&
                                                    (!a1 || strcmp(a1, a0) == 0) &&
                                                    (!b1 || strcmp(b1, b0) == 0)));
            if (!same) {
                fprintf(stderr, "status_writer: verify: untouched entry %s changed\n", id);
                bad++;
            }
            continue;
        }
        int state = has1 ? d1 : 0;
        int committed = ex[i].committed < 0 ? 0 : ex[i].committed;
        if (state != committed && !ex[i].maybe[state]) {
            fprintf(stderr, "status_writer: verify: %s is %d, committed %d\n", id, state,
                    committed);
            bad++;
        }
    }
    /* The history agrees with the file, or its last save is one ahead. */
    history h = {0};
    diags hd = {0};   /* a torn or bad line is a warning, not a failure */
    char *hpath = status_history_path(file);
    history_load(&h, hpath, NULL, &hd);
    size_t tail = h.n;   /* the last save's lines: [tail, h.n) */
    while (tail > 0 && strcmp(h.v[tail - 1].at, h.v[h.n - 1].at) == 0)
        tail--;
    int *last = xmalloc((p->n_items + 1) * sizeof *last);     /* -1: never recorded */
    int *before = xmalloc((p->n_items + 1) * sizeof *before); /* before the last save */
    bool *in_tail = xcalloc(p->n_items + 1, sizeof *in_tail);
    for (size_t i = 0; i < p->n_items; i++) {
        bool dn;
        last[i] = -1;
        before[i] = status_lookup(old, p->items[i].id, &dn, NULL, NULL) && dn;
    }
    for (size_t k = 0; k < h.n; k++) {
        plan_item *it = plan_find_item(p, h.v[k].id);
        if (!it || h.v[k].done < 0)
            continue;
        size_t i = (size_t)(it - p->items);
        if (k < tail)
            before[i] = h.v[k].done;
        else
            in_tail[i] = true;
        last[i] = h.v[k].done;
    }
    for (size_t i = 0; i < p->n_items; i++) {
        if (last[i] < 0)
            continue;
        bool dn = false;
        int state = status_lookup(now, p->items[i].id, &dn, NULL, NULL) && dn;
        if (state != last[i] && !(in_tail[i] && state == before[i])) {
            fprintf(stderr, "status_writer: verify: %s is %d, the history says %d%s\n",
                    p->items[i].id, state, last[i], in_tail[i] ? "" : " (not its last save)");
            bad++;
        }
    }
    free(in_tail);
    free(last);
    free(before);
    free(hpath);
    history_free(&h);
    diags_free(&hd);
    /* Entries the plan lacks (orphans) are never touched: all must stay. */
    if (status_count(now) < status_count(old)) {
        fprintf(stderr, "status_writer: verify: entries were lost (%zu < %zu)\n",
                status_count(now), status_count(old));
        bad++;
    }
    printf("%zu\n", done_count);
    free(ex);
    status_free(now);
    status_free(old);
    plan_free(p);
    return finish(d, bad ? 2 : 0);
}

static int mode_dump(status *s, plan *p)
{
    for (size_t i = 0; i < p->n_items; i++) {
        bool done;
        const char *at, *by;
        if (status_lookup(s, p->items[i].id, &done, &at, &by))
            printf("%s %s %s %s\n", p->items[i].id, done ? "done" : "not-done",
                   at ? at : "-", by ? by : "-");
    }
    return 0;
}

static int mode_refresh(status *s, plan *p, diags *d)
{
    for (int i = 0; i < 2000; i++) {
        bool changed;
        if (status_refresh(s, p, &changed, d) < 0)
            return 1;
        if (changed) {
            printf("changed %zu\n", p->done);
            return 0;
        }
        struct timespec t = {0, 5000000};
        nanosleep(&t, NULL);
    }
    printf("unchanged\n");
    return 0;
}

static void wait_for(const char *path)
{
    for (int i = 0; i < 10000; i++) {
        struct stat st;
        if (stat(path, &st) == 0)
            return;
        struct timespec t = {0, 1000000};
        nanosleep(&t, NULL);
    }
    fprintf(stderr, "status_writer: %s never appeared\n", path);
    exit(2);
}

static int usage(void)
{
    fprintf(stderr, "usage: status_writer [OPTION]... mark|each|undo|loop|verify|dump|refresh "
                    "FILE [ARG]... (see tests/tools/status_writer.c)\n");
    return 2;
}

int main(int argc, char **argv)
{
    int a = 1;
    bool tick = getenv("STATUS_WRITER_TICK") != NULL;
    for (; a + 1 < argc && strncmp(argv[a], "--", 2) == 0; a += 2) {
        const char *opt = argv[a], *val = argv[a + 1];
        if (strcmp(opt, "--fault") == 0) {
            const char *eq = strchr(val, '=');
            if (!eq)
                return usage();
            static char step[64];
            snprintf(step, sizeof step, "%.*s", (int)(eq - val), val);
            fault_step = step;
            const char *name = step_at(eq + 1, &fault_nth);
            fault_errno = errno_named(name);
            if (!fault_errno)
                return usage();
        } else if (strcmp(opt, "--short") == 0) {
            short_max = atol(val);
        } else if (strcmp(opt, "--kill-at") == 0) {
            kill_step = step_at(val, &kill_nth);
        } else if (strcmp(opt, "--kill-after-us") == 0) {
            signal(SIGALRM, die_kill);
            long us = atol(val);
            struct itimerval it = {{0, 0}, {us / 1000000, us % 1000000}};
            if (us <= 0)
                it.it_value.tv_usec = 1;
            setitimer(ITIMER_REAL, &it, NULL);
        } else if (strcmp(opt, "--stop-after") == 0) {
            stop_after = atol(val);
        } else if (strcmp(opt, "--wait-for") == 0) {
            wait_for(val);
        } else if (strcmp(opt, "--tick") == 0) {
            tick = true;
            a--;   /* no value */
        } else if (strcmp(opt, "--now") == 0) {
            fixed_now = (time_t)atoll(val);
            status_set_clock(fixed_clock);
        } else {
            return usage();
        }
    }
    if (argc - a < 2)
        return usage();
    lockfile_set_fault_hook(hook);
    const char *mode = argv[a], *file = argv[a + 1];
    if (tick) {
        fixed_now = (time_t)(1700000000LL + 100000LL * history_lines(file));
        status_set_clock(tick_clock);
    }
    char **args = argv + a + 2;
    size_t nargs = (size_t)(argc - a - 2);
    diags d = {0};

    if (strcmp(mode, "verify") == 0) {
        if (nargs != 2)
            return usage();
        return mode_verify(file, args[0], args[1], &d);
    }
    plan *p = test_plan();
    status *s = status_load(file, &d);
    if (!s) {
        plan_free(p);
        return finish(&d, 1);
    }
    status_apply(s, p);
    int rc = 0;
    if (strcmp(mode, "mark") == 0 || strcmp(mode, "each") == 0 || strcmp(mode, "undo") == 0) {
        size_t first = strcmp(mode, "undo") == 0 ? 1 : 0;
        if (nargs < first)
            return usage();
        long undos = first ? atol(args[0]) : 0;
        size_t n = nargs - first;
        const char **ids = xcalloc(n + 1, sizeof *ids);
        bool *done = xcalloc(n + 1, sizeof *done);
        parse_changes(args + first, n, ids, done);
        if (strcmp(mode, "mark") == 0) {
            rc = status_set(s, p, ids, done, n, &d) < 0;
        } else {
            for (size_t i = 0; i < n && !rc; i++)
                rc = status_set(s, p, ids + i, done + i, 1, &d) < 0;
        }
        for (long u = 0; u < undos && !rc; u++)
            {
                bool undone;
                rc = status_undo(s, p, &undone, &d) < 0;
            }
        free(ids);
        free(done);
    } else if (strcmp(mode, "loop") == 0 && nargs == 2) {
        rc = mode_loop(s, p, args[0], (unsigned)atol(args[1]), &d);
    } else if (strcmp(mode, "dump") == 0) {
        rc = mode_dump(s, p);
    } else if (strcmp(mode, "refresh") == 0) {
        rc = mode_refresh(s, p, &d);
    } else {
        rc = 2;
        usage();
    }
    status_free(s);
    plan_free(p);
    return finish(&d, rc);
}
