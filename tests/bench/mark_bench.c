/* mark_bench.c - what saving one mark costs, and loading the status file,
 * timed inside one process with plandash's own status store.
 *
 *   mark_bench PLAN.yaml STATUS.json REPEATS
 *
 * loads the plan once (untimed), then REPEATS times: status_load and
 * status_apply (timed together as "load"), status_set of one item,
 * alternately done and not done, so that every save changes the file
 * (timed as "mark": lock, re-read, apply, write, fsync, rename, folder
 * sync).  Items are spread over the plan.  Prints medians and maxima in
 * milliseconds:
 *   mark_ms MEDIAN MAX load_ms MEDIAN MAX */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

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

int main(int argc, char **argv)
{
    if (argc != 4 || atoi(argv[3]) < 1) {
        fprintf(stderr, "usage: mark_bench PLAN.yaml STATUS.json REPEATS\n");
        return 2;
    }
    int reps = atoi(argv[3]);
    diags d = {0};
    plan *p = plan_load(argv[1], &d);
    if (!p)
        return fail(&d);
    double *tm = xcalloc((size_t)reps, sizeof *tm), *tl = xcalloc((size_t)reps, sizeof *tl);
    int rc = 0;
    for (int r = 0; r < reps && !rc; r++) {
        double t0 = now_ms();
        status *s = status_load(argv[2], &d);
        if (!s) {
            rc = fail(&d);
            break;
        }
        status_apply(s, p);
        double t1 = now_ms();
        const plan_item *it = &p->items[(size_t)r * 7919 % p->n_items];
        const char *id = it->id;
        bool done = !it->done;
        if (status_set(s, p, &id, &done, 1, &d) != 0)
            rc = fail(&d);
        double t2 = now_ms();
        tl[r] = t1 - t0;
        tm[r] = t2 - t1;
        status_free(s);
    }
    if (!rc) {
        qsort(tm, (size_t)reps, sizeof *tm, cmp_double);
        qsort(tl, (size_t)reps, sizeof *tl, cmp_double);
        printf("mark_ms %.2f %.2f load_ms %.2f %.2f\n", tm[reps / 2], tm[reps - 1],
               tl[reps / 2], tl[reps - 1]);
    }
    free(tm);
    free(tl);
    plan_free(p);
    diags_free(&d);
    return rc;
}
