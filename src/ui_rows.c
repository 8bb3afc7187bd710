/* ui_rows.c - the dashboard's model side: the flat array of visible rows,
 * folds, the unit filter and the unit list.  Draws nothing. */
#include "ui_int.h"

#include <stdlib.h>
#include <string.h>

/* Rows are in plan order.  A goal, its first task and that task's first
 * item share first_item; kind breaks the tie, so this key orders every
 * node of the tree as the tree shows it. */
uint64_t ui_rows_key(const plan *p, int kind, uint32_t index)
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

void ui_rows_alloc(ui *u)
{
    const plan *p = u->p;
    ui_rows_free(u);
    u->cap_rows = p->n_goals + p->n_tasks + p->n_items;
    u->rows = xmalloc((u->cap_rows + 1) * sizeof *u->rows);
    u->goal_open = xmalloc(p->n_goals + 1);
    u->task_open = xmalloc(p->n_tasks + 1);
    memset(u->goal_open, 1, p->n_goals + 1);
    memset(u->task_open, 1, p->n_tasks + 1);
    u->f_goal_total = xcalloc(p->n_goals + 1, sizeof(uint32_t));
    u->f_goal_done = xcalloc(p->n_goals + 1, sizeof(uint32_t));
    u->f_task_total = xcalloc(p->n_tasks + 1, sizeof(uint32_t));
    u->f_task_done = xcalloc(p->n_tasks + 1, sizeof(uint32_t));
    u->agg_count = xcalloc(p->n_units + 1, sizeof(uint32_t));
    for (int w = 0; w < 2; w++) {
        u->agg[w] = xmalloc((p->n_units + 1) * sizeof(uint32_t));
        u->agg_n[w] = xmalloc((p->n_units + 1) * sizeof(uint32_t));
    }
    u->u_total = xcalloc(p->n_units + 1, sizeof(uint32_t));
    u->u_done = xcalloc(p->n_units + 1, sizeof(uint32_t));
    u->ulist = xmalloc((p->n_units + 1) * sizeof(uint32_t));
    u->n_rows = u->sel = u->top = 0;
    u->n_ulist = u->usel = u->utop = 0;
}

void ui_rows_free(ui *u)
{
    free(u->rows);
    free(u->goal_open);
    free(u->task_open);
    free(u->f_goal_total);
    free(u->f_goal_done);
    free(u->f_task_total);
    free(u->f_task_done);
    free(u->agg_count);
    for (int w = 0; w < 2; w++) {
        free(u->agg[w]);
        free(u->agg_n[w]);
        u->agg[w] = u->agg_n[w] = NULL;
    }
    free(u->u_total);
    free(u->u_done);
    free(u->ulist);
    u->rows = NULL;
    u->goal_open = u->task_open = NULL;
    u->f_goal_total = u->f_goal_done = u->f_task_total = u->f_task_done = NULL;
    u->agg_count = u->u_total = u->u_done = u->ulist = NULL;
    u->cap_rows = u->n_rows = 0;
}

bool ui_item_shown(const ui *u, uint32_t i)
{
    if (u->hit && !u->hit[i])
        return false;
    return !(u->hide_done && u->p->items[i].done);
}

static size_t lower_bound(const ui *u, uint64_t key)
{
    size_t lo = 0, hi = u->n_rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ui_rows_key(u->p, u->rows[mid].kind, u->rows[mid].index) < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

long ui_rows_find(const ui *u, int kind, uint32_t index)
{
    size_t r = lower_bound(u, ui_rows_key(u->p, kind, index));
    if (r < u->n_rows && u->rows[r].kind == kind && u->rows[r].index == index)
        return (long)r;
    return -1;
}

void ui_rows_select(ui *u, int kind, uint32_t index)
{
    const plan *p = u->p;
    long r = ui_rows_find(u, kind, index);
    size_t lb = lower_bound(u, ui_rows_key(p, kind, index));
    if (r < 0 && kind != PLAN_GOAL) {
        /* Folded away: its nearest ancestor.  Filtered out: an item's next,
         * else previous sibling; else whatever follows in the tree. */
        uint32_t t = kind == PLAN_TASK ? index : p->items[index].task;
        uint32_t g = p->tasks[t].goal;
        if (!u->goal_open[g])
            r = ui_rows_find(u, PLAN_GOAL, g);
        else if (kind == PLAN_ITEM && !u->task_open[t])
            r = ui_rows_find(u, PLAN_TASK, t);
        else if (kind == PLAN_ITEM && lb < u->n_rows && u->rows[lb].kind == PLAN_ITEM &&
                 p->items[u->rows[lb].index].task == t)
            r = (long)lb;
        else if (kind == PLAN_ITEM && lb > 0 && u->rows[lb - 1].kind == PLAN_ITEM &&
                 p->items[u->rows[lb - 1].index].task == t)
            r = (long)lb - 1;
    }
    if (r < 0)
        r = lb < u->n_rows ? (long)lb : (long)u->n_rows - 1;
    u->sel = r < 0 ? 0 : (size_t)r;
}

/* Appends without checks: cap_rows holds every node of the plan. */
static void push(ui *u, size_t *n, int kind, uint32_t index, int depth)
{
    ui_row *r = &u->rows[(*n)++];
    r->kind = (uint8_t)kind;
    r->index = index;
    r->depth = (uint8_t)depth;
}

void ui_rows_rebuild(ui *u)
{
    const plan *p = u->p;
    bool had = u->n_rows > 0;
    int kind = 0;
    uint32_t index = 0;
    if (had) {
        kind = u->rows[u->sel].kind;
        index = u->rows[u->sel].index;
    }
    /* Under a filter the goal and task counts are of matching items, so
     * every item is visited; otherwise a folded task stops at its first
     * shown item. */
    bool counting = u->hit != NULL;
    size_t n = 0;
    for (uint32_t g = 0; g < p->n_goals; g++) {
        const plan_goal *pg = &p->goals[g];
        size_t gmark = n;
        bool gopen = u->goal_open[g], gany = false;
        uint32_t gt = 0, gd = 0;
        push(u, &n, PLAN_GOAL, g, 0);
        for (uint32_t t = pg->first_task; t < pg->first_task + pg->n_tasks; t++) {
            const plan_task *pt = &p->tasks[t];
            size_t tmark = n;
            bool topen = gopen && u->task_open[t], tany = false;
            uint32_t tt = 0, td = 0;
            if (gopen)
                push(u, &n, PLAN_TASK, t, 1);
            for (uint32_t i = pt->first_item; i < pt->first_item + pt->n_items; i++) {
                if (u->hit && !u->hit[i])
                    continue;
                bool done = p->items[i].done;
                if (counting) {
                    tt++;
                    td += done;
                }
                if (u->hide_done && done)
                    continue;
                tany = true;
                if (topen)
                    push(u, &n, PLAN_ITEM, i, 2);
                else if (!counting)
                    break;
            }
            if (!tany)
                n = tmark;
            if (counting) {
                u->f_task_total[t] = tt;
                u->f_task_done[t] = td;
                gt += tt;
                gd += td;
            }
            gany |= tany;
        }
        if (!gany)
            n = gmark;
        if (counting) {
            u->f_goal_total[g] = gt;
            u->f_goal_done[g] = gd;
        }
    }
    u->n_rows = n;
    if (had && n)
        ui_rows_select(u, kind, index);
    else
        u->sel = 0;
    if (u->top > u->sel)
        u->top = u->sel;
}

void ui_filter_clear(ui *u)
{
    u->filter = UI_FILTER_NONE;
    free(u->filter_label);
    u->filter_label = NULL;
    u->hit = u->unit_hit = NULL;
    u->hit_units = NULL;
    u->n_hit_units = u->hit_items = u->hit_lead = u->hit_resp = u->hit_group = 0;
}

static void set_label(ui *u, const char *s)
{
    free(u->filter_label);
    u->filter_label = xstrdup(s);
}

void ui_filter_query(ui *u, const char *q)
{
    if (!*q) {
        ui_filter_clear(u);
        return;
    }
    units_search(u->ix, q, &u->res);
    u->filter = UI_FILTER_QUERY;
    set_label(u, q);
    u->hit = u->res.item_hit;
    u->unit_hit = u->res.unit_hit;
    u->hit_units = u->res.units;
    u->n_hit_units = u->res.n_units;
    u->hit_items = u->res.n_items;
    u->hit_lead = u->res.n_lead;
    u->hit_resp = u->res.n_resp;
    u->hit_group = u->res.n_group;
}

/* The same model as units_search, for one unit named exactly: its own
 * items as lead or responsible, and the items of every group it belongs
 * to (transitively) as found through a group. */
void ui_filter_unit(ui *u, uint32_t unit)
{
    const plan *p = u->p;
    u->ex_unit_hit = xrealloc(u->ex_unit_hit, p->n_units + 1);
    u->ex_item_hit = xrealloc(u->ex_item_hit, p->n_items + 1);
    memset(u->ex_unit_hit, 0, p->n_units + 1);
    memset(u->ex_item_hit, 0, p->n_items + 1);
    u->ex_unit_hit[unit] = 1;
    uint32_t *queue = xmalloc((p->n_units + 1) * sizeof *queue);
    size_t nq = 0, head = 0;
    uint32_t from = unit;
    for (;;) {
        const plan_unit *pu = &p->units[from];
        for (uint32_t k = 0; k < pu->n_groups; k++) {
            uint32_t gu = p->groups[pu->groups[k]].unit;
            if (!u->ex_unit_hit[gu]) {
                u->ex_unit_hit[gu] = 2;
                queue[nq++] = gu;
            }
        }
        if (head == nq)
            break;
        from = queue[head++];
    }
    free(queue);
    size_t n = 0, nl = 0, nr = 0, ng = 0;
    for (uint32_t i = 0; i < p->n_items; i++) {
        const plan_item *it = &p->items[i];
        uint8_t h = 0;
        for (int w = 0; w < 2; w++)
            for (uint32_t k = 0; k < it->who[w].n; k++) {
                uint8_t uh = u->ex_unit_hit[it->who[w].unit[k]];
                if (uh == 1)
                    h |= w == PLAN_LEAD ? MATCH_LEAD : MATCH_RESP;
                else if (uh == 2)
                    h |= MATCH_GROUP;
            }
        u->ex_item_hit[i] = h;
        n += h != 0;
        nl += (h & MATCH_LEAD) != 0;
        nr += (h & MATCH_RESP) != 0;
        ng += (h & MATCH_GROUP) != 0;
    }
    u->filter = UI_FILTER_UNIT;
    u->ex_unit = unit;
    set_label(u, p->units[unit].name);
    u->hit = u->ex_item_hit;
    u->unit_hit = u->ex_unit_hit;
    u->hit_units = &u->ex_unit;
    u->n_hit_units = 1;
    u->hit_items = n;
    u->hit_lead = nl;
    u->hit_resp = nr;
    u->hit_group = ng;
}

void ui_open_hits(ui *u)
{
    const plan *p = u->p;
    if (!u->hit)
        return;
    for (uint32_t t = 0; t < p->n_tasks; t++) {
        const plan_task *pt = &p->tasks[t];
        for (uint32_t i = pt->first_item; i < pt->first_item + pt->n_items; i++)
            if (u->hit[i]) {
                u->task_open[t] = 1;
                u->goal_open[pt->goal] = 1;
                break;
            }
    }
}

const char *ui_group_member_hit(const ui *u, uint32_t gu, size_t *n_more)
{
    const plan *p = u->p;
    const char *first = NULL;
    size_t n = 0;
    if (!u->unit_hit)
        return NULL;
    for (size_t g = 0; g < p->n_groups; g++) {
        if (p->groups[g].unit != gu)
            continue;
        for (uint32_t k = 0; k < p->groups[g].n_members; k++) {
            uint32_t m = p->groups[g].members[k];
            if (!u->unit_hit[m])
                continue;
            if (!first)
                first = p->units[m].name;
            else
                n++;
        }
    }
    if (n_more)
        *n_more = n;
    return first;
}

void ui_units_count(ui *u)
{
    const plan *p = u->p;
    memset(u->u_total, 0, p->n_units * sizeof(uint32_t));
    memset(u->u_done, 0, p->n_units * sizeof(uint32_t));
    for (size_t i = 0; i < p->n_items; i++) {
        const plan_item *it = &p->items[i];
        for (int w = 0; w < 2; w++)
            for (uint32_t k = 0; k < it->who[w].n; k++) {
                uint32_t un = it->who[w].unit[k];
                bool seen = false;   /* named twice in one item: counted once */
                for (uint32_t j = 0; j < it->who[PLAN_LEAD].n && w == PLAN_RESP && !seen; j++)
                    seen = it->who[PLAN_LEAD].unit[j] == un;
                for (uint32_t j = 0; j < k && !seen; j++)
                    seen = it->who[w].unit[j] == un;
                if (seen)
                    continue;
                u->u_total[un]++;
                u->u_done[un] += it->done;
            }
    }
}

typedef struct {
    uint32_t unit;
    uint32_t left;
    const char *name;
    size_t key;               /* offset of its pinyin sort key in the key buffer */
} ui_sortent;

static const char *sort_keys;   /* the key buffer, during one qsort */

static int by_name(const void *a, const void *b)
{
    const ui_sortent *x = a, *y = b;
    int c = strcmp(sort_keys + x->key, sort_keys + y->key);
    if (!c)
        c = strcmp(x->name, y->name);
    return c ? c : (x->unit > y->unit) - (x->unit < y->unit);
}

static int by_left(const void *a, const void *b)
{
    const ui_sortent *x = a, *y = b;
    if (x->left != y->left)
        return x->left < y->left ? 1 : -1;
    return by_name(a, b);
}

void ui_units_list(ui *u)
{
    const plan *p = u->p;
    uint32_t keep = u->n_ulist && u->usel < u->n_ulist ? u->ulist[u->usel] : UINT32_MAX;
    units_query *q = units_query_new(ui_edit_text(&u->ufilter));
    ui_sortent *e = xmalloc((p->n_units + 1) * sizeof *e);
    strbuf keys = {0};
    size_t n = 0;
    for (uint32_t k = 0; k < p->n_units; k++)
        if (units_query_match(q, p->units[k].name)) {
            e[n].unit = k;
            e[n].left = u->u_total[k] - u->u_done[k];
            e[n].name = p->units[k].name;
            e[n].key = keys.len;
            units_sort_key(&keys, p->units[k].name);
            sb_addc(&keys, '\0');
            n++;
        }
    units_query_free(q);
    sort_keys = keys.s;
    qsort(e, n, sizeof *e, u->usort == UI_SORT_LEFT ? by_left : by_name);
    sort_keys = NULL;
    sb_free(&keys);
    u->usel = 0;
    for (size_t k = 0; k < n; k++) {
        u->ulist[k] = e[k].unit;
        if (e[k].unit == keep)
            u->usel = k;
    }
    free(e);
    u->n_ulist = n;
    if (u->utop > u->usel)
        u->utop = u->usel;
}
