/* ui_rows.c - the tree view's model: the flat array of visible rows,
 * folds and the filter.  Draws nothing. */
#include "ui_tree.h"

#include <stdlib.h>
#include <string.h>

/* Rows are in plan order.  A goal, its first task and that task's first
 * item share first_item; kind breaks the tie, so this key orders every
 * node of the tree as the tree shows it. */
static uint64_t rows_key(const plan *p, int kind, uint32_t index)
{
    uint64_t first;
    if (kind == PLAN_GOAL)
        first = p->goals[index].first_item;
    else if (kind == PLAN_TASK)
        first = p->tasks[index].first_item;
    else
        first = index;
    return first * 3 + (uint64_t)kind;
}

void ui_rows_alloc(ui_tree *t)
{
    const plan *p = t->p;
    ui_rows_free(t);
    t->cap_rows = p->n_goals + p->n_tasks + p->n_items;
    t->rows = xmalloc((t->cap_rows + 1) * sizeof *t->rows);
    t->goal_open = xmalloc(p->n_goals + 1);
    t->task_open = xmalloc(p->n_tasks + 1);
    memset(t->goal_open, 1, p->n_goals + 1);
    memset(t->task_open, 1, p->n_tasks + 1);
    t->f_goal_total = xcalloc(p->n_goals + 1, sizeof(uint32_t));
    t->f_goal_done = xcalloc(p->n_goals + 1, sizeof(uint32_t));
    t->f_task_total = xcalloc(p->n_tasks + 1, sizeof(uint32_t));
    t->f_task_done = xcalloc(p->n_tasks + 1, sizeof(uint32_t));
    t->f_goal_over = xcalloc(p->n_goals + 1, sizeof(uint32_t));
    t->f_task_over = xcalloc(p->n_tasks + 1, sizeof(uint32_t));
    t->agg_count = xcalloc(p->n_units + 1, sizeof(uint32_t));
    for (int w = 0; w < PLAN_ROLES; w++) {
        t->agg[w] = xmalloc((p->n_units + 1) * sizeof(uint32_t));
        t->agg_n[w] = xmalloc((p->n_units + 1) * sizeof(uint32_t));
    }
    t->n_rows = t->sc.sel = t->sc.top = 0;
    t->due_col = false;
    for (size_t i = 0; i < p->n_items && !t->due_col; i++)
        t->due_col = p->items[i].due_kind != DUE_NONE;
}

void ui_rows_free(ui_tree *t)
{
    free(t->rows);
    free(t->goal_open);
    free(t->task_open);
    free(t->f_goal_total);
    free(t->f_goal_done);
    free(t->f_task_total);
    free(t->f_task_done);
    free(t->f_goal_over);
    free(t->f_task_over);
    free(t->agg_count);
    for (int w = 0; w < PLAN_ROLES; w++) {
        free(t->agg[w]);
        free(t->agg_n[w]);
        t->agg[w] = t->agg_n[w] = NULL;
    }
    t->rows = NULL;
    t->goal_open = t->task_open = NULL;
    t->f_goal_total = t->f_goal_done = t->f_task_total = t->f_task_done = NULL;
    t->f_goal_over = t->f_task_over = NULL;
    t->agg_count = NULL;
    t->cap_rows = t->n_rows = 0;
}

bool ui_rows_item_shown(const ui_tree *t, uint32_t i)
{
    if (t->hit && !t->hit[i])
        return false;
    return !(t->hide_done && t->p->items[i].done);
}

static size_t lower_bound(const ui_tree *t, uint64_t key)
{
    size_t lo = 0, hi = t->n_rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rows_key(t->p, t->rows[mid].kind, t->rows[mid].index) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

long ui_rows_find(const ui_tree *t, int kind, uint32_t index)
{
    size_t r = lower_bound(t, rows_key(t->p, kind, index));
    if (r < t->n_rows && t->rows[r].kind == kind && t->rows[r].index == index)
        return (long)r;
    return -1;
}

void ui_rows_select(ui_tree *t, int kind, uint32_t index)
{
    const plan *p = t->p;
    long r = ui_rows_find(t, kind, index);
    size_t lb = lower_bound(t, rows_key(p, kind, index));
    if (r < 0 && kind != PLAN_GOAL) {
        /* Folded away: its nearest ancestor.  Filtered out: an item's next,
         * else previous sibling; else whatever follows in the tree. */
        uint32_t tk = kind == PLAN_TASK ? index : p->items[index].task;
        uint32_t g = p->tasks[tk].goal;
        if (!t->goal_open[g])
            r = ui_rows_find(t, PLAN_GOAL, g);
        else if (kind == PLAN_ITEM && !t->task_open[tk])
            r = ui_rows_find(t, PLAN_TASK, tk);
        else if (kind == PLAN_ITEM && lb < t->n_rows && t->rows[lb].kind == PLAN_ITEM &&
                 p->items[t->rows[lb].index].task == tk)
            r = (long)lb;
        else if (kind == PLAN_ITEM && lb > 0 && t->rows[lb - 1].kind == PLAN_ITEM &&
                 p->items[t->rows[lb - 1].index].task == tk)
            r = (long)lb - 1;
    }
    if (r < 0)
        r = lb < t->n_rows ? (long)lb : (long)t->n_rows - 1;
    t->sc.sel = r < 0 ? 0 : (size_t)r;
}

/* Appends without checks: cap_rows holds every node of the plan. */
static void push(ui_tree *t, size_t *n, int kind, uint32_t index, int depth)
{
    ui_row *r = &t->rows[(*n)++];
    r->kind = (uint8_t)kind;
    r->index = index;
    r->depth = (uint8_t)depth;
}

void ui_rows_rebuild(ui_tree *t)
{
    const plan *p = t->p;
    bool had = t->n_rows > 0;
    int kind = 0;
    uint32_t index = 0;
    if (had) {
        kind = t->rows[t->sc.sel].kind;
        index = t->rows[t->sc.sel].index;
    }
    /* Under a filter the goal and task counts are of matching items, so
     * every item is visited; otherwise a folded task stops at its first
     * shown item. */
    bool counting = t->hit != NULL;
    size_t n = 0;
    for (uint32_t g = 0; g < p->n_goals; g++) {
        const plan_goal *pg = &p->goals[g];
        size_t gmark = n;
        bool gopen = t->goal_open[g], gany = false;
        uint32_t gt = 0, gd = 0, go = 0;
        push(t, &n, PLAN_GOAL, g, 0);
        for (uint32_t tk = pg->first_task; tk < pg->first_task + pg->n_tasks; tk++) {
            const plan_task *pt = &p->tasks[tk];
            size_t tmark = n;
            /* a goal's own items (a two-level plan) sit right under it */
            bool topen = gopen && (pt->implicit || t->task_open[tk]), tany = false;
            uint32_t tt = 0, td = 0, to = 0;
            if (gopen && !pt->implicit)
                push(t, &n, PLAN_TASK, tk, 1);
            for (uint32_t i = pt->first_item; i < pt->first_item + pt->n_items; i++) {
                if (t->hit && !t->hit[i])
                    continue;
                bool done = p->items[i].done;
                if (counting) {
                    tt++;
                    td += done;
                    to += p->items[i].due_state == DUE_S_OVERDUE;
                }
                if (t->hide_done && done)
                    continue;
                tany = true;
                if (topen)
                    push(t, &n, PLAN_ITEM, i, pt->implicit ? 1 : 2);
                else if (!counting)
                    break;
            }
            if (!tany)
                n = tmark;
            if (counting) {
                t->f_task_total[tk] = tt;
                t->f_task_done[tk] = td;
                t->f_task_over[tk] = to;
                gt += tt;
                gd += td;
                go += to;
            }
            gany |= tany;
        }
        if (!gany)
            n = gmark;
        if (counting) {
            t->f_goal_total[g] = gt;
            t->f_goal_done[g] = gd;
            t->f_goal_over[g] = go;
        }
    }
    t->n_rows = n;
    if (had && n)
        ui_rows_select(t, kind, index);
    else
        t->sc.sel = 0;
    if (t->sc.top > t->sc.sel)
        t->sc.top = t->sc.sel;
}

void ui_rows_filter_due(ui_tree *t)
{
    const plan *p = t->p;
    free(t->due_hit);
    t->due_hit = xmalloc(p->n_items + 1);
    for (size_t i = 0; i < p->n_items; i++) {
        int st = p->items[i].due_state;
        t->due_hit[i] = st == DUE_S_OVERDUE || st == DUE_S_SOON;
    }
    t->filter = UI_FILTER_DUE;
    free(t->filter_label);
    t->filter_label = NULL;
    t->hit = t->due_hit;
}

void ui_rows_filter_clear(ui_tree *t)
{
    free(t->due_hit);
    t->due_hit = NULL;
    t->filter = UI_FILTER_NONE;
    free(t->filter_label);
    t->filter_label = NULL;
    t->hit = NULL;
}

static void set_label(ui_tree *t, const char *s)
{
    free(t->filter_label);
    t->filter_label = xstrdup(s);
}

void ui_rows_filter_query(ui_tree *t, const units_index *ix, const char *q)
{
    if (!*q) {
        ui_rows_filter_clear(t);
        return;
    }
    units_search(ix, q, &t->res);
    t->filter = UI_FILTER_QUERY;
    set_label(t, q);
    t->hit = t->res.item_hit;
}

void ui_rows_filter_unit(ui_tree *t, const units_index *ix, uint32_t unit)
{
    units_search_unit(ix, unit, &t->res);
    t->filter = UI_FILTER_UNIT;
    set_label(t, t->p->units[unit].name);
    t->hit = t->res.item_hit;
}

void ui_rows_open_hits(ui_tree *t)
{
    const plan *p = t->p;
    if (!t->hit)
        return;
    for (uint32_t tk = 0; tk < p->n_tasks; tk++) {
        const plan_task *pt = &p->tasks[tk];
        for (uint32_t i = pt->first_item; i < pt->first_item + pt->n_items; i++)
            if (t->hit[i]) {
                t->task_open[tk] = 1;
                t->goal_open[pt->goal] = 1;
                break;
            }
    }
}
