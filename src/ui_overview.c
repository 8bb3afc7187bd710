/* ui_overview.c - the overview (Tab): a progress bar for the plan, for
 * each goal and for each unit (items it leads, is responsible for or owes
 * through a group, together), with overdue items counted; units sorted by
 * items left, then overdue.  Enter on a unit filters the tree to it as the
 * unit list does.  Bars are drawn with the ui_glyph table's block
 * characters (one column each) between brackets, so that they read
 * without colour. */
#include "ui_tree.h"
#include "ui_view.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static const int overview_keys[] = {UI_CTX_OVERVIEW, -1};

typedef struct {
    ui_view v;
    uint32_t *total, *done, *overdue;   /* per unit */
    uint32_t *stamp;                    /* per unit: last item counted + 1 */
    uint32_t *group_of;                 /* per unit: its group's index + 1, or 0 */
    uint32_t *list;                     /* units with items, sorted */
    size_t n_list;
    ui_scroll sc;
    int goal_rows;                      /* goals shown (layout) */
} ui_overview;

/* Count item i for unit x and, when x is a group, for its members (a
 * stamp per unit counts an item once and ends cycles). */
static void count_unit(ui_overview *o, const plan *p, uint32_t i, uint32_t x)
{
    if (o->stamp[x] == i + 1)
        return;
    o->stamp[x] = i + 1;
    const plan_item *it = &p->items[i];
    o->total[x]++;
    o->done[x] += it->done;
    o->overdue[x] += it->due_state == DUE_S_OVERDUE;
    if (o->group_of[x]) {
        const plan_group *g = &p->groups[o->group_of[x] - 1];
        for (uint32_t m = 0; m < g->n_members; m++)
            count_unit(o, p, i, g->members[m]);
    }
}

static const ui_overview *sorting;   /* during one qsort */

/* Most items left first, then most overdue, then by name. */
static int by_left(const void *a, const void *b)
{
    const ui_overview *o = sorting;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    uint32_t lx = o->total[x] - o->done[x], ly = o->total[y] - o->done[y];
    if (lx != ly)
        return lx < ly ? 1 : -1;
    if (o->overdue[x] != o->overdue[y])
        return o->overdue[x] < o->overdue[y] ? 1 : -1;
    return (x > y) - (x < y);
}

static void recount(ui_overview *o, const ui *u)
{
    const plan *p = u->p;
    size_t n = p->n_units;
    uint32_t keep = o->sc.sel < o->n_list ? o->list[o->sc.sel] : UINT32_MAX;
    memset(o->total, 0, n * sizeof(uint32_t));
    memset(o->done, 0, n * sizeof(uint32_t));
    memset(o->overdue, 0, n * sizeof(uint32_t));
    memset(o->stamp, 0, n * sizeof(uint32_t));
    for (size_t i = 0; i < p->n_items; i++)
        for (int w = 0; w < PLAN_ROLES; w++)
            for (uint32_t k = 0; k < p->items[i].who[w].n; k++)
                count_unit(o, p, (uint32_t)i, p->items[i].who[w].unit[k]);
    uint32_t *order = xmalloc((n + 1) * sizeof *order);
    units_index_order(u->ix, order);    /* pinyin order breaks ties */
    o->n_list = 0;
    for (size_t k = 0; k < n; k++)
        if (o->total[order[k]])
            o->list[o->n_list++] = order[k];
    free(order);
    /* the sort's last key is the pinyin rank: keep it in stamp */
    for (size_t k = 0; k < o->n_list; k++)
        o->stamp[o->list[k]] = (uint32_t)k;
    sorting = o;
    qsort(o->list, o->n_list, sizeof *o->list, by_left);
    sorting = NULL;
    o->sc.sel = 0;
    for (size_t k = 0; k < o->n_list; k++)
        if (o->list[k] == keep)
            o->sc.sel = k;
}

/* Rows: the total, a blank, the goals' heading and goals, a blank, the
 * units' heading, then the units. */
static int units_y(const ui_overview *o, const ui *u)
{
    return u->body_y + 4 + o->goal_rows + 1;
}

static size_t units_h(const ui_overview *o, const ui *u)
{
    int h = u->body_y + u->body_h - units_y(o, u);
    return h > 1 ? (size_t)h : 1;
}

static void overview_layout(ui_view *v, ui *u, int flags)
{
    (void)flags;
    ui_overview *o = (ui_overview *)v;
    if (u->too_small)
        return;
    /* goals take what they need, up to half of what is left after the
     * fixed rows; the units get the rest */
    int room = u->body_h - 6;
    int g = (int)u->p->n_goals;
    o->goal_rows = g < room / 2 ? g : room / 2 > 1 ? room / 2 : 1;
    ui_scroll_clamp(&o->sc, o->n_list, units_h(o, u));
}

/* Append a bar of w columns for done of total, in eighths of a cell; a
 * cell is as wide as the full block is drawn (two columns where Ambiguous
 * characters are wide), a column left over is a space. */
static void bar(strbuf *b, size_t done, size_t total, int w)
{
    static const int part[8] = {0, UI_G_BAR_1, UI_G_BAR_2, UI_G_BAR_3, UI_G_BAR_4,
                                UI_G_BAR_5, UI_G_BAR_6, UI_G_BAR_7};
    int gw = (int)text_width(ui_glyph(UI_G_BAR_FULL));
    if (gw < 1)
        gw = 1;
    int slots = w / gw;
    size_t eighths = total ? done * (size_t)slots * 8 / total : 0;
    int cells = 0;
    for (size_t k = 0; k < eighths / 8; k++, cells++)
        sb_adds(b, ui_glyph(UI_G_BAR_FULL));
    if (eighths % 8 && cells < slots) {
        sb_adds(b, ui_glyph(part[eighths % 8]));
        cells++;
    }
    for (int c = cells * gw; c < w; c++)
        sb_adds(b, ui_glyph(UI_G_BAR_EMPTY));
}

/* One row: name, [bar], done/total and percent, overdue. */
static void row(const ui *u, int y, const char *name, size_t done, size_t total,
                size_t overdue, attr_t a, bool selected)
{
    int w = u->cols;
    int namew = w >= 100 ? w * 3 / 10 : w >= 60 ? 24 : w / 3;
    int numw = 16, odw = 9;   /* "1234/1234 100%" , " 逾期 123" */
    int bw = w - 1 - namew - 1 - 2 - 1 - numw - odw;
    if (bw > 80)
        bw = 80;
    strbuf b = {0}, num = {0};
    sb_addc(&b, ' ');
    text_fit(&b, name, (size_t)namew, true);
    sb_addc(&b, ' ');
    attr_t sel = selected ? A_REVERSE : 0;
    ui_put(y, 0, b.s, w, a | sel);
    int x = 1 + namew + 1;
    if (bw >= 4) {
        strbuf bs = {0};
        bar(&bs, done, total, bw);
        ui_put_fit(y, x, ui_glyph(UI_G_BAR_OPEN), 1, a | sel);
        ui_put_fit(y, x + 1, bs.s, bw, u->attr[UI_C_BAR] | sel);
        ui_put_fit(y, x + 1 + bw, ui_glyph(UI_G_BAR_CLOSE), 1, a | sel);
        sb_free(&bs);
        x += bw + 2;
    }
    char dt[48];
    snprintf(dt, sizeof dt, "%zu/%zu", done, total);
    sb_addf(&num, " %9s %3d%%", dt, ui_percent(done, total));
    x += ui_put_fit(y, x, num.s, w - x, a | sel);
    if (overdue) {
        sb_reset(&num);
        sb_addf(&num, " 逾期 %zu", overdue);
        if (!u->color)
            sb_adds(&num, ui_glyph(UI_G_OVERDUE));
        ui_put_fit(y, x, num.s, w - x, u->attr[UI_C_OVERDUE] | sel);
    }
    sb_free(&num);
    sb_free(&b);
}

static void overview_draw(const ui_view *v, const ui *u, int flags)
{
    (void)flags;
    const ui_overview *o = (const ui_overview *)v;
    const plan *p = u->p;
    for (int y = 0; y < u->body_h; y++)
        ui_put(u->body_y + y, 0, "", u->cols, A_NORMAL);
    int y = u->body_y;
    strbuf s = {0};
    sb_adds(&s, "合计  截至 ");
    due_iso(&s, p->today);
    row(u, y, s.s, p->done, p->n_items, p->overdue, u->attr[UI_C_GOAL], false);
    sb_reset(&s);
    sb_addf(&s, " 目标（%zu）", p->n_goals);
    ui_put(y + 2, 0, s.s, u->cols, u->attr[UI_C_HEAD]);
    for (int g = 0; g < o->goal_rows; g++) {
        sb_reset(&s);
        if (g == o->goal_rows - 1 && (size_t)o->goal_rows < p->n_goals) {
            sb_addf(&s, " %s还有 %zu 个目标（树中查看）", ui_glyph(UI_G_ELLIPSIS),
                    p->n_goals - (size_t)g);
            ui_put(y + 3 + g, 0, s.s, u->cols, A_NORMAL);
            break;
        }
        ui_node_title(&s, p, PLAN_GOAL, (uint32_t)g);
        const plan_goal *pg = &p->goals[g];
        row(u, y + 3 + g, s.s, pg->done, pg->n_items, pg->overdue, u->attr[UI_C_NORMAL],
            false);
    }
    sb_reset(&s);
    sb_addf(&s, " 单位（%zu，按剩余事项、逾期排序；含牵头、责任、%s经组）", o->n_list,
            plan_has_role(p, PLAN_SUPP) ? "配合、" : "");
    ui_put(units_y(o, u) - 1, 0, s.s, u->cols, u->attr[UI_C_HEAD]);
    size_t h = units_h(o, u);
    for (size_t k = 0; k < h && o->sc.top + k < o->n_list; k++) {
        size_t i = o->sc.top + k;
        uint32_t un = o->list[i];
        attr_t a = o->done[un] == o->total[un] ? u->attr[UI_C_DONE] : u->attr[UI_C_NORMAL];
        row(u, units_y(o, u) + (int)k, p->units[un].name, o->done[un], o->total[un],
            o->overdue[un], a, i == o->sc.sel);
    }
    sb_free(&s);
}

static int overview_handle(ui_view *v, ui *u, int a, int key)
{
    (void)key;
    ui_overview *o = (ui_overview *)v;
    if (ui_scroll_act(&o->sc, a, o->n_list, units_h(o, u)))
        return UI_DRAW_BODY;
    switch (a) {
    case UI_ACT_ACCEPT:
        if (!o->n_list)
            return 0;
        return ui_tree_filter_unit(u, o->list[o->sc.sel]) | UI_CLOSE;
    case UI_ACT_HELP:
        ui_view_push(u, ui_help_new(u));
        return UI_DRAW_ALL;
    case UI_ACT_CLOSE: return UI_CLOSE | UI_DRAW_ALL;
    default: return 0;
    }
}

static int overview_mouse(ui_view *v, ui *u, const MEVENT *m)
{
    ui_overview *o = (ui_overview *)v;
    int wheel = ui_mouse_wheel(m);
    if (wheel != UI_ACT_NONE) {
        ui_scroll_act(&o->sc, wheel, o->n_list, units_h(o, u));
    } else if (m->y >= units_y(o, u) && m->y < u->body_y + u->body_h) {
        o->sc.sel = o->sc.top + (size_t)(m->y - units_y(o, u));
        ui_scroll_clamp(&o->sc, o->n_list, units_h(o, u));
    }
    return UI_DRAW_BODY;
}

static int overview_event(ui_view *v, ui *u, int ev)
{
    ui_overview *o = (ui_overview *)v;
    if (ev != UI_EV_STATUS)
        return UI_CLOSE;   /* a new plan: its units are other units */
    recount(o, u);
    return UI_DRAW_BODY;
}

static void overview_free(ui_view *v)
{
    ui_overview *o = (ui_overview *)v;
    free(o->total);
    free(o->done);
    free(o->overdue);
    free(o->stamp);
    free(o->group_of);
    free(o->list);
    free(o);
}

static const ui_view_ops overview_ops = {
    .name = "overview",
    .keys = overview_keys,
    .hints = UI_CTX_OVERVIEW,
    .area = UI_AREA_BODY,
    .layout = overview_layout,
    .draw = overview_draw,
    .handle = overview_handle,
    .mouse = overview_mouse,
    .event = overview_event,
    .free = overview_free,
};

ui_view *ui_overview_new(ui *u)
{
    const plan *p = u->p;
    ui_overview *o = xcalloc(1, sizeof *o);
    o->v.ops = &overview_ops;
    o->sc.style = UI_SCROLL_MENU;
    size_t n = p->n_units + 1;
    o->total = xcalloc(n, sizeof *o->total);
    o->done = xcalloc(n, sizeof *o->done);
    o->overdue = xcalloc(n, sizeof *o->overdue);
    o->stamp = xcalloc(n, sizeof *o->stamp);
    o->group_of = xcalloc(n, sizeof *o->group_of);
    o->list = xcalloc(n, sizeof *o->list);
    for (size_t g = 0; g < p->n_groups; g++)
        o->group_of[p->groups[g].unit] = (uint32_t)g + 1;
    recount(o, u);
    return &o->v;
}
