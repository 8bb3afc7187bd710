/* import_csv.c - reading the CSV of --export csv back into a plan: the
 * columns by name in any order, goals and tasks from the goal and task
 * columns, their ids from the items' dotted ids where those agree. */
#include <stdlib.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_int.h"

enum { C_ID, C_GOAL, C_TASK, C_TEXT, C_LEAD, C_RESP, C_SUPPORT, C_DUE, C_DONE, C_EACH, C_N };
static const char *const col_names[C_N] = {"id",      "goal", "task", "text", "lead",
                                           "responsible", "support", "due", "done", "each"};

typedef struct {
    strbuf *f;          /* the fields of the record */
    size_t n, cap;
    size_t init;        /* fields set up so far */
    unsigned long line; /* where it starts */
} record;

/* Read one record from buf[*pos..len) (RFC 4180: quotes, "" inside quotes,
 * line breaks inside quotes); false at the end. */
static bool next_record(const char *buf, size_t len, size_t *pos, unsigned long *line, record *r)
{
    if (*pos >= len)
        return false;
    for (size_t i = 0; i < r->n; i++)
        sb_reset(&r->f[i]);
    r->n = 0;
    r->line = *line;
    size_t i = *pos;
    bool more = true;
    while (more) {
        xgrow((void **)&r->f, &r->cap, r->n + 1, sizeof *r->f);
        if (r->n == r->init)
            memset(&r->f[r->init++], 0, sizeof *r->f);
        strbuf *f = &r->f[r->n++];
        sb_reset(f);
        sb_adds(f, "");
        if (i < len && buf[i] == '"') {
            i++;
            while (i < len) {
                if (buf[i] == '"') {
                    if (i + 1 < len && buf[i + 1] == '"') {
                        sb_addc(f, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (buf[i] == '\n')
                    (*line)++;
                sb_addc(f, buf[i++]);
            }
        }
        while (i < len && buf[i] != ',' && buf[i] != '\n')
            sb_addc(f, buf[i++]);
        if (i < len && buf[i] == ',') {
            i++;
        } else {
            more = false;
            if (i < len) {
                i++;
                (*line)++;
            }
        }
    }
    *pos = i;
    return true;
}

static void record_free(record *r)
{
    for (size_t i = 0; i < r->init; i++)
        sb_free(&r->f[i]);
    free(r->f);
}

static int col_of(const char *s)
{
    size_t n = strlen(s);
    s = imp_trim(s, &n);
    for (int c = 0; c < C_N; c++)
        if (strlen(col_names[c]) == n && strncasecmp(s, col_names[c], n) == 0)
            return c;
    return -1;
}

bool imp_csv_like(const char *buf, size_t len)
{
    const char *nl = memchr(buf, '\n', len);
    size_t n = nl ? (size_t)(nl - buf) : len;
    size_t pos = 0;
    unsigned long line = 1;
    record r = {0};
    bool like = false;
    if (next_record(buf, n, &pos, &line, &r)) {
        size_t known = 0;
        for (size_t i = 0; i < r.n; i++)
            known += col_of(r.f[i].s) >= 0 ||
                     strcmp(r.f[i].s, "done_at") == 0 || strcmp(r.f[i].s, "due_date") == 0;
        like = r.n >= 2 && known >= 2 && known * 2 >= r.n;
    }
    record_free(&r);
    return like;
}

static const char *cell(const record *r, const int *at, int c)
{
    return at[c] >= 0 && (size_t)at[c] < r->n ? r->f[at[c]].s : "";
}

/* The first k dotted parts of id (k >= 1), or NULL if it has no more than k. */
static char *prefix(const char *id, int k)
{
    const char *p = id;
    for (int i = 0; i < k; i++) {
        p = strchr(p, '.');
        if (!p)
            return NULL;
        if (i + 1 < k)
            p++;
    }
    return xstrndup(id, (size_t)(p - id));
}

/* Is s usable as an id: not blank, no control character? */
static bool id_ok(const char *s)
{
    size_t len = strlen(s), n = len;
    const char *t = imp_trim(s, &n);
    for (const char *c = s; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F)
            return false;
    return n > 0 && t == s && n == len;   /* no blank around it either */
}

/* An id not in used: want, else the number n (then n-2, ...). */
static char *free_id(strmap *used, arena *a, const char *want, const char *base, size_t n)
{
    uint32_t v;
    if (want && id_ok(want) && !strmap_get(used, want, &v)) {
        char *id = arena_strndup(a, want, strlen(want));
        strmap_put(used, id, 0, NULL);
        return xstrdup(id);
    }
    for (size_t k = 1;; k++) {
        char *c = k == 1 ? xasprintf("%s%zu", base, n) : xasprintf("%s%zu-%zu", base, n, k);
        if (!strmap_get(used, c, &v)) {
            char *id = arena_strndup(a, c, strlen(c));
            strmap_put(used, id, 0, NULL);
            return c;
        }
        free(c);
    }
}

/* Ids of goals and tasks: the items' common dotted prefix, else numbers. */
static void assign_ids(imp_plan *p)
{
    strmap used = {0};
    arena a = {0};
    for (size_t g = 0; g < p->n_goals; g++) {
        imp_goal *G = &p->goals[g];
        for (size_t i = 0; i < G->n_items; i++)
            strmap_put(&used, G->items[i].id, 0, NULL);
        for (size_t t = 0; t < G->n_tasks; t++)
            for (size_t i = 0; i < G->tasks[t].n_items; i++)
                strmap_put(&used, G->tasks[t].items[i].id, 0, NULL);
    }
    for (size_t g = 0; g < p->n_goals; g++) {
        imp_goal *G = &p->goals[g];
        char *want = NULL;
        bool agree = true;
        int depth = G->n_tasks ? 2 : 1;
        for (size_t t = 0; t < G->n_tasks + (G->n_tasks ? 0 : 1) && agree; t++) {
            imp_item *v = G->n_tasks ? G->tasks[t].items : G->items;
            size_t n = G->n_tasks ? G->tasks[t].n_items : G->n_items;
            for (size_t i = 0; i < n && agree; i++) {
                char *pf = prefix(v[i].id, 1);
                /* a task's items need a.b.c, a goal's own items a.b */
                bool deep = pf && (depth == 1 || strchr(strchr(v[i].id, '.') + 1, '.'));
                if (!pf || !deep || (want && strcmp(want, pf) != 0))
                    agree = false;
                else if (!want)
                    want = xstrdup(pf);
                free(pf);
            }
        }
        G->id = free_id(&used, &a, agree ? want : NULL, "", g + 1);
        free(want);
        for (size_t t = 0; t < G->n_tasks; t++) {
            imp_task *T = &G->tasks[t];
            char *tw = NULL;
            bool ok = true;
            for (size_t i = 0; i < T->n_items && ok; i++) {
                char *pf = prefix(T->items[i].id, 2);
                if (!pf || (tw && strcmp(tw, pf) != 0))
                    ok = false;
                else if (!tw)
                    tw = xstrdup(pf);
                free(pf);
            }
            /* a task id that continues its goal's */
            if (ok && tw && (strncmp(tw, G->id, strlen(G->id)) != 0 || tw[strlen(G->id)] != '.'))
                ok = false;
            char *base = xasprintf("%s.", G->id);
            T->id = free_id(&used, &a, ok ? tw : NULL, base, t + 1);
            free(base);
            free(tw);
        }
    }
    strmap_free(&used);
    arena_free(&a);
}

static bool truthy(const char *s)
{
    return strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0 || strcasecmp(s, "yes") == 0 ||
           strcmp(s, "是") == 0;
}

bool imp_read_csv(imp_plan *p, const char *buf, size_t len)
{
    size_t pos = 0;
    unsigned long line = 1;
    record r = {0};
    int at[C_N];
    for (int c = 0; c < C_N; c++)
        at[c] = -1;
    next_record(buf, len, &pos, &line, &r);
    strbuf have = {0};
    for (size_t i = 0; i < r.n; i++) {
        int c = col_of(r.f[i].s);
        if (c >= 0 && at[c] < 0)
            at[c] = (int)i;
        sb_addf(&have, "%s%s", i ? ", " : "", r.f[i].s);
    }
    static const int required[] = {C_ID, C_GOAL, C_TEXT};
    for (size_t k = 0; k < sizeof required / sizeof *required; k++)
        if (at[required[k]] < 0) {
            imp_error(p, 1, "the CSV header has no \"%s\" column (it has: %s); a plan's CSV "
                      "needs id, goal, text and may have task, lead, responsible, support, "
                      "due, as --export csv writes them",
                      col_names[required[k]], have.s ? have.s : "");
            sb_free(&have);
            record_free(&r);
            return false;
        }
    sb_free(&have);
    strmap ids = {0};
    arena mem = {0};
    imp_goal *g = NULL;
    imp_task *t = NULL;
    char *gkey = NULL, *tkey = NULL;
    size_t done = 0;
    strbuf done_ids = {0};   /* the first five ids marked done */
    while (next_record(buf, len, &pos, &line, &r)) {
        const char *id = cell(&r, at, C_ID), *text = cell(&r, at, C_TEXT);
        const char *gt = cell(&r, at, C_GOAL), *tt = cell(&r, at, C_TASK);
        size_t idn = strlen(id), textn = strlen(text), gn = strlen(gt), tn = strlen(tt);
        id = imp_trim(id, &idn);
        imp_trim(text, &textn);
        imp_trim(gt, &gn);
        imp_trim(tt, &tn);
        textn = textn ? strlen(text) : 0;   /* as written, unless blank */
        if (!tn)
            tt = "";
        bool blank = true;
        for (size_t i = 0; i < r.n; i++)
            blank = blank && r.f[i].len == 0;
        if (blank)
            continue;
        bool bad_id = false;
        for (size_t i = 0; i < idn; i++)
            bad_id = bad_id || (unsigned char)id[i] < 0x20 || id[i] == 0x7F;
        if (bad_id) {
            imp_warn(p, r.line, "an id with a line break or a control character: row left out");
            continue;
        }
        if (!idn || !textn || !gn) {
            imp_warn(p, r.line, "a row without %s: left out",
                     !idn ? "an id" : !textn ? "a text" : "a goal");
            continue;
        }
        char *idc = arena_strndup(&mem, id, idn);
        if (!strmap_put(&ids, idc, 0, NULL)) {
            imp_warn(p, r.line, "the id \"%s\" is used twice: this row is left out", idc);
            continue;
        }
        char *gk = prefix(idc, 1), *tk = prefix(idc, 2);
        if (!g || strcmp(g->title, gt) != 0 || (gk && gkey && strcmp(gk, gkey) != 0)) {
            g = imp_goal_add(p, gt, strlen(gt), r.line);
            t = NULL;
            free(gkey);
            gkey = gk ? xstrdup(gk) : NULL;
            free(tkey);
            tkey = NULL;
        }
        imp_item *it;
        if (*tt || g->n_tasks) {
            if (!*tt)
                tt = g->title;
            if (g->n_items) {
                imp_warn(p, r.line, "goal \"%s\" has items with a task and items without: "
                         "the latter are put under a task of the goal's name", g->title);
                imp_task *moved = imp_task_add(g, g->title, strlen(g->title), g->line);
                moved->items = g->items;
                moved->n_items = g->n_items;
                moved->cap_items = g->cap_items;
                g->items = NULL;
                g->n_items = g->cap_items = 0;
                t = moved;
            }
            if (!t || strcmp(t->title, tt) != 0 || (tk && tkey && strcmp(tk, tkey) != 0)) {
                t = imp_task_add(g, tt, strlen(tt), r.line);
                free(tkey);
                tkey = tk ? xstrdup(tk) : NULL;
            }
            it = imp_item_add_to(&t->items, &t->n_items, &t->cap_items, text, textn, r.line);
        } else {
            it = imp_item_add_to(&g->items, &g->n_items, &g->cap_items, text, textn, r.line);
        }
        free(gk);
        free(tk);
        it->id = xstrdup(idc);
        static const int roles[R_N] = {C_LEAD, C_RESP, C_SUPPORT};
        for (int w = 0; w < R_N; w++) {
            const char *c = cell(&r, at, roles[w]);
            imp_units_split(&it->r.who[w], c, strlen(c));
        }
        const char *due = cell(&r, at, C_DUE);
        size_t dn = strlen(due);
        due = imp_trim(due, &dn);
        if (dn)
            it->r.due = xstrndup(due, dn);
        it->r.each = truthy(cell(&r, at, C_EACH));
        if (truthy(cell(&r, at, C_DONE)) && done++ < 5)
            sb_addf(&done_ids, "%s%s", done > 1 ? ", " : "", idc);
    }
    free(gkey);
    free(tkey);
    strmap_free(&ids);
    arena_free(&mem);
    record_free(&r);
    if (!p->n_goals) {
        sb_free(&done_ids);
        imp_error(p, 0, "the CSV has a header but no row with an id, a goal and a text");
        return false;
    }
    /* done, done_at, note, due_state: the status file's, not the plan's */
    if (done)
        imp_warn(p, 0, "%zu item%s marked done in the CSV (%s%s): the status is not "
                 "imported; mark %s with --mark ID", done, done == 1 ? " is" : "s are",
                 done_ids.s, done > 5 ? ", …" : "", done == 1 ? "it" : "them");
    sb_free(&done_ids);
    assign_ids(p);
    /* a CSV holds no plan title: the file's name stands in */
    p->title = imp_stem_title(p);
    imp_warn(p, 0, "a CSV holds no plan title: wrote \"title: %s\"; edit it", p->title);
    return true;
}
