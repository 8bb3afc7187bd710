/* ui_units.c - the unit list view: every unit with how many items name
 * it in each role, and of the items it owes (in any role or through a
 * group it is a member of) how many are done, filtered by what is
 * typed (through the units index, as / searches) and sorted by name in
 * pinyin order or by items left; Enter filters the tree by the unit. */
#include "ui_tree.h"
#include "ui_view.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static const int units_keys[] = {UI_CTX_UNITS, UI_CTX_EDIT, -1};

enum { SORT_NAME, SORT_LEFT };

typedef struct {
    ui_view v;
    ui_edit filter;
    int sort;
    uint32_t *order;            /* every unit, by name (pinyin) */
    uint32_t *rank;             /* per unit: its place in order */
    uint8_t *match;             /* per unit: the filter matches it */
    uint32_t *list;             /* the units shown, filtered and sorted */
    size_t n_list;
    ui_scroll sc;
    uint32_t *total, *done;     /* per unit: items it owes (count) */
} ui_units;

static size_t list_height(const ui *u)
{
    return u->body_h - 2 > 1 ? (size_t)(u->body_h - 2) : 1;
}

/* Count item i for unit un, once per item (stamp holds the item + 1 for
 * which each unit was counted last). */
static void count_once(ui_units *l, uint32_t *stamp, uint32_t un, size_t i, bool done)
{
    if (stamp[un] == i + 1)
        return;
    stamp[un] = (uint32_t)i + 1;
    l->total[un]++;
    l->done[un] += done;
}

/* Per unit: the items it owes, in any role or through a group it is a
 * member of (transitively, as / finds them), and how many are done; an
 * item counts once per unit. */
static void count(ui_units *l, const plan *p)
{
    memset(l->total, 0, p->n_units * sizeof(uint32_t));
    memset(l->done, 0, p->n_units * sizeof(uint32_t));
    uint32_t *stamp = xcalloc(p->n_units + 1, sizeof *stamp);
    uint32_t *group = xmalloc((p->n_units + 1) * sizeof *group);  /* unit -> group + 1 */
    uint32_t *stack = xmalloc((p->n_units + 1) * sizeof *stack);
    memset(group, 0, (p->n_units + 1) * sizeof *group);
    for (size_t g = 0; g < p->n_groups; g++)
        group[p->groups[g].unit] = (uint32_t)g + 1;
    for (size_t i = 0; i < p->n_items; i++) {
        const plan_item *it = &p->items[i];
        for (int w = 0; w < PLAN_ROLES; w++)
            for (uint32_t k = 0; k < it->who[w].n; k++) {
                uint32_t un = it->who[w].unit[k];
                if (stamp[un] == i + 1)
                    continue;
                count_once(l, stamp, un, i, it->done);
                /* the members of a group, and of groups among them */
                size_t n = 0;
                stack[n++] = un;
                while (n) {
                    uint32_t g = group[stack[--n]];
                    if (!g)
                        continue;
                    const plan_group *gr = &p->groups[g - 1];
                    for (uint32_t m = 0; m < gr->n_members; m++)
                        if (stamp[gr->members[m]] != i + 1) {
                            count_once(l, stamp, gr->members[m], i, it->done);
                            stack[n++] = gr->members[m];
                        }
                }
            }
    }
    free(stamp);
    free(group);
    free(stack);
}

/* The order chosen last, for the next time the list opens. */
static int last_sort = SORT_NAME;

static const ui_units *sorting;   /* the list being sorted, during one qsort */

/* Most items left first, then by name. */
static int by_left(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    uint32_t lx = sorting->total[x] - sorting->done[x], ly = sorting->total[y] - sorting->done[y];
    if (lx != ly)
        return lx < ly ? 1 : -1;
    return (sorting->rank[x] > sorting->rank[y]) - (sorting->rank[x] < sorting->rank[y]);
}

/* Filter and sort again, keeping the selected unit selected (or, when
 * from_top, starting at the first). */
static void relist(ui_units *l, const ui *u, bool from_top)
{
    const plan *p = u->p;
    uint32_t keep = !from_top && l->sc.sel < l->n_list ? l->list[l->sc.sel] : UINT32_MAX;
    units_index_match(u->ix, ui_edit_text(&l->filter), l->match);
    size_t n = 0;
    for (size_t k = 0; k < p->n_units; k++)
        if (l->match[l->order[k]])
            l->list[n++] = l->order[k];
    if (l->sort == SORT_LEFT) {
        sorting = l;
        qsort(l->list, n, sizeof *l->list, by_left);
        sorting = NULL;
    }
    l->n_list = n;
    l->sc.sel = 0;
    for (size_t k = 0; k < n; k++)
        if (l->list[k] == keep)
            l->sc.sel = k;
    if (from_top)
        l->sc.top = 0;
    if (l->sc.top > l->sc.sel)
        l->sc.top = l->sc.sel;
}

static int units_handle(ui_view *v, ui *u, int a, int key)
{
    ui_units *l = (ui_units *)v;
    if (ui_scroll_act(&l->sc, a, l->n_list, list_height(u)))
        return UI_DRAW_BODY;
    switch (a) {
    case UI_ACT_SORT:
        l->sort = last_sort = l->sort == SORT_NAME ? SORT_LEFT : SORT_NAME;
        relist(l, u, false);
        return UI_DRAW_BODY;
    case UI_ACT_ACCEPT:
        if (!l->n_list)
            return 0;
        return ui_tree_filter_unit(u, l->list[l->sc.sel]) | UI_CLOSE;
    case UI_ACT_CLOSE: return UI_CLOSE;
    default: break;
    }
    if (ui_edit_apply(&l->filter, a, key)) {
        relist(l, u, true);   /* a new filter starts at its first unit */
        return UI_DRAW_BODY;
    }
    return 0;
}

static int units_mouse(ui_view *v, ui *u, const MEVENT *m)
{
    ui_units *l = (ui_units *)v;
    int wheel = ui_mouse_wheel(m);
    if (wheel != UI_ACT_NONE)
        ui_scroll_act(&l->sc, wheel, l->n_list, list_height(u));
    else if (m->y >= u->body_y + 2 && m->y < u->body_y + u->body_h) {
        l->sc.sel = l->sc.top + (size_t)(m->y - u->body_y - 2);
        ui_scroll_clamp(&l->sc, l->n_list, list_height(u));
    }
    return UI_DRAW_BODY;
}

static void units_layout(ui_view *v, ui *u, int flags)
{
    (void)flags;
    ui_units *l = (ui_units *)v;
    if (!u->too_small)
        ui_scroll_clamp(&l->sc, l->n_list, list_height(u));
}

static int units_event(ui_view *v, ui *u, int ev)
{
    ui_units *l = (ui_units *)v;
    if (ev != UI_EV_STATUS)
        return UI_CLOSE;   /* a new plan: its units are other units */
    count(l, u->p);
    relist(l, u, false);
    return UI_DRAW_BODY;
}

static void units_draw(const ui_view *v, const ui *u, int flags)
{
    (void)flags;
    const ui_units *l = (const ui_units *)v;
    const plan *p = u->p;
    int y = u->body_y, h = u->body_h, w = u->cols;
    ui_edit_draw(u, &l->filter, y, 0, w, " 单位筛选: ");
    bool supp = plan_has_role(p, PLAN_SUPP);
    /* " name" then " %5u %5u" (and " %5u" for 配合) then " %11s %5u" */
    int namew = w - 1 - 6 - 6 - (supp ? 6 : 0) - 12 - 6;
    strbuf b = {0};
    sb_addc(&b, ' ');
    text_fit(&b, l->sort == SORT_LEFT ? "单位（按剩余排序）" : "单位（按名称排序）",
             (size_t)namew, true);
    /* right-aligned over their columns */
    sb_adds(&b, supp ? "  牵头  责任  配合        完成  剩余" : "  牵头  责任        完成  剩余");
    ui_put(y + 1, 0, b.s, w, u->attr[UI_C_HEAD]);
    sb_free(&b);
    int rows = h - 2;
    for (int k = 0; k < rows; k++) {
        size_t i = l->sc.top + (size_t)k;
        if (i >= l->n_list) {
            ui_put(y + 2 + k, 0, k == 0 && i == 0 ? " （没有匹配的单位）" : "", w, A_NORMAL);
            continue;
        }
        uint32_t un = l->list[i];
        const plan_unit *pu = &p->units[un];
        strbuf s = {0}, d = {0};
        sb_addc(&s, ' ');
        text_fit(&s, pu->name, (size_t)namew, true);
        sb_addf(&d, "%u/%u", l->done[un], l->total[un]);
        for (int r = 0; r < (supp ? PLAN_ROLES : PLAN_SUPP); r++)
            sb_addf(&s, " %5u", pu->n_items[r]);
        sb_addf(&s, " %11s %5u", d.s, l->total[un] - l->done[un]);
        attr_t a = l->total[un] && l->done[un] == l->total[un] ? u->attr[UI_C_DONE]
                                                                : u->attr[UI_C_NORMAL];
        if (i == l->sc.sel)
            a |= A_REVERSE;
        ui_put(y + 2 + k, 0, s.s, w, a);
        sb_free(&s);
        sb_free(&d);
    }
}

static void units_free(ui_view *v)
{
    ui_units *l = (ui_units *)v;
    ui_edit_free(&l->filter);
    free(l->order);
    free(l->rank);
    free(l->match);
    free(l->list);
    free(l->total);
    free(l->done);
    free(l);
}

static const ui_view_ops units_ops = {
    .name = "units",
    .keys = units_keys,
    .hints = UI_CTX_UNITS,
    .area = UI_AREA_BODY,
    .layout = units_layout,
    .draw = units_draw,
    .handle = units_handle,
    .mouse = units_mouse,
    .event = units_event,
    .free = units_free,
};

ui_view *ui_units_new(ui *u)
{
    const plan *p = u->p;
    ui_units *l = xcalloc(1, sizeof *l);
    l->v.ops = &units_ops;
    l->sc.style = UI_SCROLL_MENU;
    l->sort = last_sort;
    size_t n = p->n_units + 1;
    l->order = xmalloc(n * sizeof *l->order);
    l->rank = xmalloc(n * sizeof *l->rank);
    l->match = xmalloc(n);
    l->list = xmalloc(n * sizeof *l->list);
    l->total = xcalloc(n, sizeof *l->total);
    l->done = xcalloc(n, sizeof *l->done);
    units_index_order(u->ix, l->order);
    for (size_t k = 0; k < p->n_units; k++)
        l->rank[l->order[k]] = (uint32_t)k;
    count(l, p);
    uint32_t shown;
    if (ui_tree_unit(u, &shown)) {
        l->list[0] = shown;   /* start on the unit being shown */
        l->n_list = 1;
    }
    relist(l, u, false);
    return &l->v;
}
