/* ui_detail.c - the tree view's details column: the selected node's
 * text wrapped, its state or counts and children, and the lead,
 * responsible and (when the plan has any) support units in boxed panes.
 * The wrapping and the units of a goal or task are computed on layout when
 * the selection or the width changes, never per draw. */
#include "ui_tree.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"


typedef struct {
    uint32_t unit, n;
} agg_ent;

static int agg_cmp(const void *a, const void *b)
{
    const agg_ent *x = a, *y = b;
    if (x->n != y->n)
        return x->n < y->n ? 1 : -1;
    return (x->unit > y->unit) - (x->unit < y->unit);
}

/* The distinct units naming the items [first, first + n) as who, by how
 * many items name them. */
static void aggregate(ui_tree *t, int who, uint32_t first, uint32_t n)
{
    const plan *p = t->p;
    size_t m = 0;
    for (uint32_t i = first; i < first + n; i++) {
        const plan_units *pu = &p->items[i].who[who];
        for (uint32_t k = 0; k < pu->n; k++)
            if (t->agg_count[pu->unit[k]]++ == 0)
                t->agg[who][m++] = pu->unit[k];
    }
    agg_ent *e = xmalloc((m + 1) * sizeof *e);
    for (size_t k = 0; k < m; k++) {
        e[k].unit = t->agg[who][k];
        e[k].n = t->agg_count[e[k].unit];
        t->agg_count[e[k].unit] = 0;
    }
    qsort(e, m, sizeof *e, agg_cmp);
    for (size_t k = 0; k < m; k++) {
        t->agg[who][k] = e[k].unit;
        t->agg_n[who][k] = e[k].n;
    }
    free(e);
    t->n_agg[who] = m;
}

static void done_time(strbuf *b, const char *at)
{
    /* 2026-11-26T18:42:08+08:00 -> 2026-11-26 18:42 */
    if (strlen(at) >= 16 && at[10] == 'T') {
        sb_add(b, at, 10);
        sb_addc(b, ' ');
        sb_add(b, at + 11, 5);
    } else {
        sb_adds(b, at);
    }
}

static void detail_compute(ui_tree *t, int kind, uint32_t index, int width)
{
    const plan *p = t->p;
    const char *note = kind == PLAN_ITEM ? p->items[index].note : NULL;
    if (t->d_width == width && t->d_kind == kind && t->d_index == index && t->d_note == note)
        return;
    t->d_note = note;
    t->d_kind = kind;
    t->d_index = index;
    t->d_width = width;
    strbuf src = {0};
    uint32_t first, n;
    ui_node_title(&src, p, kind, index);
    plan_node_items(p, kind, index, &first, &n);
    sb_reset(&t->d_text);
    text_wrap(&t->d_text, src.s, (size_t)(width < 2 ? 2 : width));
    if (note) {
        /* the note under the text: a heading with its time and author */
        const plan_item *it = &p->items[index];
        sb_reset(&src);
        sb_adds(&src, "\n【进展情况】");
        if (it->note_at) {
            sb_addc(&src, ' ');
            done_time(&src, it->note_at);
        }
        if (it->note_by) {
            sb_addc(&src, ' ');
            sb_adds(&src, it->note_by);
        }
        sb_addc(&src, '\n');
        sb_adds(&src, note);
        text_wrap(&t->d_text, src.s, (size_t)(width < 2 ? 2 : width));
    }
    sb_free(&src);
    t->n_d_lines = 0;
    for (size_t off = 0; off < t->d_text.len;) {
        xgrow((void **)&t->d_line, &t->cap_d_lines, t->n_d_lines + 1, sizeof *t->d_line);
        t->d_line[t->n_d_lines++] = off;
        const char *nl = memchr(t->d_text.s + off, '\n', t->d_text.len - off);
        off = nl ? (size_t)(nl - t->d_text.s) + 1 : t->d_text.len;
    }
    if (kind != PLAN_ITEM)
        for (int w = 0; w < PLAN_ROLES; w++)
            aggregate(t, w, first, n);
}

/* Line k of the wrapped text, without its newline. */
static void wrapped_line(const ui_tree *t, size_t k, strbuf *out)
{
    size_t a = t->d_line[k];
    const char *nl = memchr(t->d_text.s + a, '\n', t->d_text.len - a);
    size_t b = nl ? (size_t)(nl - t->d_text.s) : t->d_text.len;
    sb_add(out, t->d_text.s + a, b - a);
}

/* Append l cut to width columns with r right-aligned after it (r is left
 * out when there is no room for it and two columns of l); frees l and r. */
static void fit_right(strbuf *out, strbuf *l, strbuf *r, int width)
{
    int rw = r->len ? (int)text_width(r->s) : 0;
    if (rw + 2 > width)
        rw = 0;
    text_fit(out, l->s ? l->s : "", (size_t)(width - (rw ? rw + 1 : 0)), rw > 0);
    if (rw) {
        sb_addc(out, ' ');
        sb_adds(out, r->s);
    }
    sb_free(l);
    sb_free(r);
}

/* Lines of the details section: the wrapped text, then for an item its
 * state above it; for a goal or task its counts and its children. */
/* The details' node holds its items directly: the task whose items are
 * listed (the node itself, or a goal's implicit task), else UINT32_MAX. */
static uint32_t items_of(const ui_tree *t)
{
    const plan *p = t->p;
    if (t->d_kind == PLAN_TASK)
        return t->d_index;
    if (t->d_kind == PLAN_GOAL) {
        const plan_goal *g = &p->goals[t->d_index];
        if (g->n_tasks && p->tasks[g->first_task].implicit)
            return g->first_task;
    }
    return UINT32_MAX;
}

static size_t detail_count(const ui_tree *t)
{
    const plan *p = t->p;
    size_t n = t->n_d_lines + 1;
    if (t->d_kind == PLAN_ITEM && p->items[t->d_index].due)
        n++;                       /* 完成时限 */
    if (t->d_kind == PLAN_GOAL && items_of(t) != UINT32_MAX)
        n += p->goals[t->d_index].n_items + (t->hit ? 1 : 0);
    else if (t->d_kind == PLAN_GOAL)
        n += p->goals[t->d_index].n_tasks + (t->hit ? 1 : 0);
    else if (t->d_kind == PLAN_TASK)
        n += p->tasks[t->d_index].n_items + (t->hit ? 1 : 0);
    return n;
}

/* 完成时限 2019年9月底前 逾期: the effective due, and its state when it is
 * overdue or due soon. */
static void due_line(const ui *u, const plan_item *it, strbuf *out, attr_t *a)
{
    sb_adds(out, "完成时限 ");
    sb_adds(out, it->due);
    if (it->due_state == DUE_S_OVERDUE)
        sb_adds(out, " 逾期");
    else if (it->due_state == DUE_S_SOON)
        sb_adds(out, " 临期");
    *a = it->due_state == DUE_S_OVERDUE ? u->attr[UI_C_OVERDUE]
       : it->due_state == DUE_S_SOON    ? u->attr[UI_C_SOON] : u->attr[UI_C_NORMAL];
}

static void detail_line(const ui_tree *t, const ui *u, size_t k, strbuf *out, attr_t *a, int width)
{
    const plan *p = t->p;
    *a = u->attr[UI_C_NORMAL];
    if (t->d_kind == PLAN_ITEM) {
        const plan_item *it = &p->items[t->d_index];
        if (k == 0) {
            if (it->done) {
                sb_adds(out, "[x] 已完成");
                if (it->done_at) {
                    sb_addc(out, ' ');
                    plan_done_time(out, it->done_at);
                }
                if (it->done_by) {
                    sb_addc(out, ' ');
                    sb_adds(out, it->done_by);
                }
                *a = u->attr[UI_C_DONE];
            } else {
                sb_adds(out, "[ ] 未完成");
            }
            return;
        }
        if (it->due && k == 1) {
            due_line(u, it, out, a);
            return;
        }
        wrapped_line(t, k - 1 - (it->due ? 1 : 0), out);
        return;
    }
    if (k < t->n_d_lines) {
        wrapped_line(t, k, out);
        *a = u->attr[UI_C_HEAD];
        return;
    }
    k -= t->n_d_lines;
    uint32_t first, total, done = plan_node_done(p, t->d_kind, t->d_index);
    plan_node_items(p, t->d_kind, t->d_index, &first, &total);
    if (k == 0) {
        sb_addf(out, "完成 %u/%u (%d%%)", done, total,
                ui_percent(done, total));
        if (done == total)
            *a = u->attr[UI_C_DONE];
        return;
    }
    k--;
    if (t->hit) {
        if (k == 0) {
            uint32_t fd = t->d_kind == PLAN_GOAL ? t->f_goal_done[t->d_index]
                                                 : t->f_task_done[t->d_index];
            uint32_t ft = t->d_kind == PLAN_GOAL ? t->f_goal_total[t->d_index]
                                                 : t->f_task_total[t->d_index];
            sb_addf(out, "匹配 %u 项，"
                         "完成 %u", ft, fd);
            *a = u->attr[UI_C_MATCH];
            return;
        }
        k--;
    }
    strbuf l = {0}, r = {0};
    if (t->d_kind == PLAN_GOAL && items_of(t) == UINT32_MAX) {
        uint32_t ti = p->goals[t->d_index].first_task + (uint32_t)k;
        const plan_task *tk = &p->tasks[ti];
        ui_node_title(&l, p, PLAN_TASK, ti);
        sb_addf(&r, "%u/%u", tk->done, tk->n_items);
        if (tk->done == tk->n_items)
            *a = u->attr[UI_C_DONE];
    } else {
        uint32_t ii = p->tasks[items_of(t)].first_item + (uint32_t)k;
        const plan_item *it = &p->items[ii];
        sb_adds(&l, it->done ? "[x] " : "[ ] ");
        ui_node_title(&l, p, PLAN_ITEM, ii);
        if (it->done)
            *a = u->attr[UI_C_DONE];
    }
    fit_right(out, &l, &r, width);
}

/* Does the lead pane end in （分别牵头） (the item says each: true)? */
static bool pane_each(const ui_tree *t, int who)
{
    return who == PLAN_LEAD && t->d_kind == PLAN_ITEM && t->p->items[t->d_index].each;
}

/* Lines of a unit pane (who = PLAN_LEAD ...); at least one. */
static size_t units_count(const ui_tree *t, int who)
{
    size_t n;
    if (t->d_kind == PLAN_ITEM) {
        const plan_units *pu = &t->p->items[t->d_index].who[who];
        n = pu->n + (pu->more ? 1 : 0) + (pane_each(t, who) ? 1 : 0);
    } else {
        n = t->n_agg[who];
    }
    return n ? n : 1;
}

static size_t units_named(const ui_tree *t, int who)
{
    if (t->d_kind == PLAN_ITEM)
        return t->p->items[t->d_index].who[who].n;
    return t->n_agg[who];
}

static void units_line(const ui_tree *t, const ui *u, int who, size_t k, strbuf *out, attr_t *a, int width)
{
    const plan *p = t->p;
    *a = u->attr[UI_C_NORMAL];
    uint32_t un;
    uint32_t count = 0;
    if (t->d_kind == PLAN_ITEM) {
        const plan_units *pu = &p->items[t->d_index].who[who];
        if (k >= pu->n) {                               /* 等, （分别牵头） / （无） */
            sb_adds(out, k == pu->n && pu->more ? "等" : pane_each(t, who) ? "（分别牵头）" : "（无）");
            return;
        }
        un = pu->unit[k];
    } else {
        if (k >= t->n_agg[who]) {
            sb_adds(out, "（无）");
            return;
        }
        un = t->agg[who][k];
        count = t->agg_n[who][k];
    }
    strbuf l = {0}, r = {0};
    sb_adds(&l, p->units[un].name);
    if (t->hit && t->filter != UI_FILTER_DUE && t->res.unit_hit[un]) {
        *a = u->attr[UI_C_MATCH];
        size_t more = 0;
        const char *m =
            t->res.unit_hit[un] == 2 ? units_result_member(p, &t->res, un, &more) : NULL;
        if (m) {
            sb_addc(&l, ' ');
            sb_adds(&l, ui_glyph(UI_G_VIA));
            sb_addc(&l, ' ');
            sb_adds(&l, m);
            if (more)
                sb_adds(&l, "等");
        }
    }
    if (count)
        sb_addf(&r, "%u", count);
    fit_right(out, &l, &r, width);
}

/* A horizontal border line at y with a title, from x over w columns. */
static void border_line(const ui *u, int y, int x, int w, int lc, int rc, const char *title)
{
    ui_box_rule(u, y, x, w, lc, rc, title);
}

/* One content line between the side borders. */
static void box_line(const ui *u, int y, int x, int w, const char *s, attr_t a)
{
    ui_box_line(u, y, x, w, s, a);
}

/* Draw `rows` lines of a section of `total` lines (which: 0 details, 1
 * lead units, 2 responsible units).  When the section is cut, its last
 * visible line says so: text ends in …, a unit list in "(+N)" (N hidden). */
static void draw_section(const ui_tree *t, const ui *u, int *y, int x, int w, size_t rows,
                         size_t total, int which)
{
    int cw = w - 2 * ui_border_w();
    for (size_t k = 0; k < rows; k++) {
        strbuf b = {0};
        attr_t a = A_NORMAL;
        bool cut = k + 1 == rows && total > rows;
        if (k >= total) {
            /* the section has more room than lines */
        } else if (which == 0) {
            detail_line(t, u, k, &b, &a, cw);
            if (cut) {
                /* a line with room gets a …; a full one is cut with … */
                strbuf c = {0};
                const char *txt = b.s ? b.s : "";
                if ((int)text_width(txt) < cw) {
                    sb_adds(&c, txt);
                    sb_adds(&c, ui_glyph(UI_G_ELLIPSIS));
                } else {
                    /* wider than cw with the …: cut to cw - 1, then … */
                    strbuf e = {0};
                    sb_adds(&e, txt);
                    sb_adds(&e, ui_glyph(UI_G_ELLIPSIS));
                    text_fit(&c, e.s, (size_t)cw, false);
                    sb_free(&e);
                }
                sb_free(&b);
                b = c;
            }
        } else {
            char more[32] = "";
            if (cut)
                snprintf(more, sizeof more, " (+%zu)", total - rows);
            int mw = (int)strlen(more);
            units_line(t, u, which - 1, k, &b, &a, cw - mw > 2 ? cw - mw : 2);
            sb_adds(&b, more);
        }
        box_line(u, (*y)++, x, w, b.s ? b.s : "", a);
        sb_free(&b);
    }
}

void ui_detail_draw(const ui_tree *t, const ui *u)
{
    const plan *p = t->p;
    int x = u->right_x, w = u->right_w, y = u->body_y, h = u->body_h;
    if (t->n_rows == 0 || w < 8 || h < 5 || t->d_width < 0) {
        for (int k = 0; k < h; k++)
            ui_put(y + k, x, "", w, A_NORMAL);
        return;
    }
    const ui_row *r = &t->rows[t->sc.sel];
    /* The panes: details, then a unit pane per role (配合单位 only when the
     * plan names support units).  Each unit pane gets at most a share of
     * the room when everything does not fit; the last pane takes the rest. */
    int np = plan_has_role(p, PLAN_SUPP) ? PLAN_ROLES : PLAN_SUPP;
    size_t nd = detail_count(t), nu[PLAN_ROLES], U[PLAN_ROLES], sum = 0;
    for (int k = 0; k < np; k++)
        sum += nu[k] = units_count(t, k);
    size_t c = h - 2 > np ? (size_t)(h - 2 - np) : 1, D;
    if (nd + sum <= c) {
        D = nd;
        for (int k = 0; k < np; k++)
            U[k] = nu[k];
        U[np - 1] += c - nd - sum;
    } else {
        size_t cap = c / (size_t)(np + 2) ? c / (size_t)(np + 2) : 1, used = 0;
        for (int k = 0; k < np; k++)
            used += U[k] = nu[k] < cap ? nu[k] : cap;
        D = c > used ? c - used : 0;
        if (D > nd) {
            size_t extra = D - nd;
            D = nd;
            for (int k = 0; k < np; k++) {
                size_t m = nu[k] - U[k] < extra ? nu[k] - U[k] : extra;
                U[k] += m, extra -= m;
            }
            D += extra;
        }
    }
    strbuf ttl = {0};
    if (r->kind == PLAN_GOAL)
        sb_addf(&ttl, "目标 %s", p->goals[r->index].id);
    else if (r->kind == PLAN_TASK)
        sb_addf(&ttl, "任务 %s", p->tasks[r->index].id);
    else
        sb_addf(&ttl, "事项 %s", p->items[r->index].id);
    border_line(u, y++, x, w, UI_G_ULCORNER, UI_G_URCORNER, ttl.s);
    draw_section(t, u, &y, x, w, D, nd, 0);
    static const char *const pane[PLAN_ROLES] = {
        [PLAN_LEAD] = "牵头单位", [PLAN_RESP] = "责任单位", [PLAN_SUPP] = "配合单位"};
    for (int who = 0; who < np; who++) {
        sb_reset(&ttl);
        sb_adds(&ttl, pane[who]);
        size_t named = units_named(t, who);
        if (named)
            sb_addf(&ttl, " (%zu)", named);
        border_line(u, y++, x, w, UI_G_LTEE, UI_G_RTEE, ttl.s);
        draw_section(t, u, &y, x, w, U[who], nu[who], who + 1);
    }
    border_line(u, y++, x, w, UI_G_LLCORNER, UI_G_LRCORNER, NULL);
    sb_free(&ttl);
}

void ui_detail_layout(ui_tree *t, const ui *u)
{
    if (t->n_rows == 0 || u->right_w < 8 || u->body_h < 5)
        return;
    const ui_row *r = &t->rows[t->sc.sel];
    detail_compute(t, r->kind, r->index, u->right_w - 2 * ui_border_w());
}

void ui_detail_free(ui_tree *t)
{
    sb_free(&t->d_text);
    free(t->d_line);
    t->d_line = NULL;
    t->n_d_lines = t->cap_d_lines = 0;
}
