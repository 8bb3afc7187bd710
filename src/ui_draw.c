/* ui_draw.c - drawing the dashboard: title line, tree, details with the
 * unit panes, status and prompt lines, the help and unit-list overlays.
 * Everything is drawn on stdscr, cut and padded by display columns. */
#include "ui_int.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

#define ELLIPSIS "…"

/* --- primitives --- */

void ui_put(int y, int x, const char *s, int w, attr_t a)
{
    if (w <= 0)
        return;
    strbuf b = {0};
    text_fit(&b, s, (size_t)w, true);
    attrset(a);
    mvaddstr(y, x, b.s ? b.s : "");
    attrset(A_NORMAL);
    sb_free(&b);
}

int ui_put_fit(int y, int x, const char *s, int w, attr_t a)
{
    if (w <= 0)
        return 0;
    strbuf b = {0};
    size_t used = text_fit(&b, s, (size_t)w, false);
    attrset(a);
    if (b.len)
        mvaddstr(y, x, b.s);
    attrset(A_NORMAL);
    sb_free(&b);
    return (int)used;
}

/* Append n spaces. */
static void spaces(strbuf *b, int n)
{
    for (; n > 0; n--)
        sb_addc(b, ' ');
}

/* Draw left and right parts on one line of w columns: left is cut to
 * leave room for right, which is kept whole while it fits. */
static void put_lr(int y, int x, int w, const char *left, const char *right, attr_t a)
{
    int rw = right ? (int)text_width(right) : 0;
    if (rw + 1 >= w)
        rw = 0;
    strbuf b = {0};
    text_fit(&b, left, (size_t)(w - (rw ? rw + 1 : 0)), true);
    if (rw) {
        sb_addc(&b, ' ');
        sb_adds(&b, right);
    }
    ui_put(y, x, b.s ? b.s : "", w, a);
    sb_free(&b);
}

static int percent(size_t done, size_t total)
{
    return total ? (int)(done * 100 / total) : 0;
}

/* --- colours --- */

void ui_colors_init(ui *u)
{
    static const struct {
        short fg, bg;
        attr_t with, without;
    } roles[UI_C_COUNT] = {
#define UI_COLOR_ROW(name, fg, bg, ca, ma) {fg, bg, ca, ma},
        UI_COLORS(UI_COLOR_ROW)
#undef UI_COLOR_ROW
    };
    const char *nc = getenv("NO_COLOR");
    u->color = !(nc && *nc) && has_colors() && start_color() == OK && COLORS >= 8;
    bool dflt = u->color && use_default_colors() == OK;
    for (int r = 0; r < UI_C_COUNT; r++) {
        if (!u->color || (roles[r].fg < 0 && roles[r].bg < 0)) {
            u->attr[r] = u->color ? roles[r].with : roles[r].without;
            continue;
        }
        short fg = roles[r].fg, bg = roles[r].bg;
        if (!dflt) {
            fg = fg < 0 ? COLOR_WHITE : fg;
            bg = bg < 0 ? COLOR_BLACK : bg;
        }
        init_pair((short)(r + 1), fg, bg);
        u->attr[r] = roles[r].with | COLOR_PAIR(r + 1);
    }
}

/* --- layout --- */

void ui_layout(ui *u)
{
    u->cols = COLS;
    u->lines = LINES;
    u->too_small = COLS < UI_MIN_COLS || LINES < UI_MIN_LINES;
    bool prompt = u->mode == UI_MODE_SEARCH || u->mode == UI_MODE_JUMP ||
                  u->mode == UI_MODE_CONFIRM;
    u->body_y = 1;
    u->prompt_y = LINES - 1;
    u->status_y = LINES - 1 - (prompt ? 1 : 0);
    u->body_h = u->status_y - u->body_y;
    int rw = COLS >= 60 ? COLS * 2 / 5 : COLS * 9 / 20;
    if (COLS >= 60 && rw < 24)
        rw = 24;
    if (rw > 72)
        rw = 72;
    u->right_w = rw;
    u->tree_w = COLS - rw;
    u->right_x = u->tree_w;
}

int ui_tree_height(const ui *u)
{
    return u->body_h > 0 ? u->body_h : 1;
}

/* --- the line editor --- */

const char *ui_edit_text(const ui_edit *e)
{
    return e->buf.s ? e->buf.s : "";
}

void ui_edit_draw(const ui *u, const ui_edit *e, int y, int x, int w, const char *prompt)
{
    const char *s = ui_edit_text(e);
    int pw = ui_put_fit(y, x, prompt, w, u->attr[UI_C_PROMPT]);
    int avail = w - pw;
    ui_put(y, x + pw, "", avail, A_NORMAL);
    if (avail < 2)
        return;
    /* Scroll so that the cursor cell (2 columns at most) stays in view. */
    size_t start = 0;
    while (start < e->cur) {
        strbuf t = {0};
        sb_add(&t, s + start, e->cur - start);
        size_t bw = text_width(t.s);
        sb_free(&t);
        if ((int)bw + 2 <= avail)
            break;
        uint32_t cp;
        start += utf8_decode(s + start, e->cur - start, &cp);
    }
    strbuf before = {0};
    sb_add(&before, s + start, e->cur - start);
    int col = x + pw;
    col += ui_put_fit(y, col, before.s ? before.s : "", avail, A_NORMAL);
    sb_free(&before);
    size_t rest = strlen(s + e->cur);
    uint32_t cp = ' ';
    size_t k = rest ? utf8_decode(s + e->cur, rest, &cp) : 0;
    char cur[8] = " ";
    if (k) {
        memcpy(cur, s + e->cur, k);
        cur[k] = 0;
    }
    int left = x + w - col;
    if (left <= 0)
        return;
    int cw = ui_put_fit(y, col, cur, left, A_REVERSE);
    if (cw == 0)
        cw = ui_put_fit(y, col, " ", left, A_REVERSE);
    col += cw;
    if (x + w - col > 0 && k)
        ui_put_fit(y, col, s + e->cur + k, x + w - col, A_NORMAL);
}

/* --- title line --- */

static void draw_title(ui *u)
{
    const plan *p = u->p;
    strbuf l = {0};
    sb_addc(&l, ' ');
    if (p->document) {
        sb_adds(&l, p->document);
        sb_adds(&l, "  ");
    }
    sb_adds(&l, p->title ? p->title : "");
    const char *base = strrchr(u->plan_path, '/');
    base = base ? base + 1 : u->plan_path;
    strbuf r = {0};
    sb_adds(&r, base);
    sb_addc(&r, ' ');
    /* The file name goes first when space is short. */
    if ((int)(text_width(l.s) + text_width(r.s) + 2) > u->cols)
        put_lr(0, 0, u->cols, l.s, NULL, u->attr[UI_C_TITLE]);
    else
        put_lr(0, 0, u->cols, l.s, r.s, u->attr[UI_C_TITLE]);
    sb_free(&l);
    sb_free(&r);
}

/* --- the tree --- */

static void goal_prefix(strbuf *b, const plan_goal *g)
{
    text_cn_number(b, g->num);
    sb_adds(b, "、");
}

static void task_prefix(strbuf *b, const plan_task *t)
{
    sb_adds(b, "（");
    text_cn_number(b, t->num);
    sb_adds(b, "）");
}

static void count_text(strbuf *b, uint32_t done, uint32_t total)
{
    sb_addf(b, "%u/%u", done, total);
}

static void draw_tree_row(ui *u, int y, const ui_row *r, bool selected)
{
    const plan *p = u->p;
    strbuf left = {0}, right = {0};
    attr_t a = u->attr[UI_C_NORMAL];
    int indent = 1 + r->depth * 2;
    if (r->kind == PLAN_GOAL) {
        const plan_goal *g = &p->goals[r->index];
        uint32_t done = u->hit ? u->f_goal_done[r->index] : g->done;
        uint32_t total = u->hit ? u->f_goal_total[r->index] : g->n_items;
        sb_adds(&left, u->goal_open[r->index] ? "▾ " : "▸ ");
        goal_prefix(&left, g);
        sb_adds(&left, g->title);
        count_text(&right, done, total);
        a = done == total ? u->attr[UI_C_DONE] | A_BOLD : u->attr[UI_C_GOAL];
    } else if (r->kind == PLAN_TASK) {
        const plan_task *t = &p->tasks[r->index];
        uint32_t done = u->hit ? u->f_task_done[r->index] : t->done;
        uint32_t total = u->hit ? u->f_task_total[r->index] : t->n_items;
        sb_adds(&left, u->task_open[r->index] ? "▾ " : "▸ ");
        task_prefix(&left, t);
        sb_adds(&left, t->title);
        count_text(&right, done, total);
        if (done == total)
            a = u->attr[UI_C_DONE];
    } else {
        const plan_item *it = &p->items[r->index];
        sb_adds(&left, it->done ? "[x] " : "[ ] ");
        sb_addf(&left, "%u. ", it->num);
        sb_adds(&left, it->text);
        if (u->hit && u->hit[r->index] == MATCH_GROUP)
            sb_adds(&right, "(组)");   /* (组): only through a group */
        if (it->done)
            a = u->attr[UI_C_DONE];
    }
    if (selected)
        a |= A_REVERSE;
    strbuf line = {0};
    spaces(&line, indent);
    int w = u->tree_w - indent - 1;
    if (w > 0) {
        int rw = right.len ? (int)text_width(right.s) : 0;
        if (rw && rw + 2 > w)
            rw = 0;
        text_fit(&line, left.s, (size_t)(w - (rw ? rw + 1 : 0)), true);
        if (rw) {
            sb_addc(&line, ' ');
            sb_adds(&line, right.s);
        }
    }
    ui_put(y, 0, line.s, u->tree_w, a);
    sb_free(&line);
    sb_free(&left);
    sb_free(&right);
}

static void draw_tree(ui *u)
{
    int h = ui_tree_height(u);
    if (u->n_rows == 0) {
        u->sel = u->top = 0;
        for (int y = 0; y < u->body_h; y++)
            ui_put(u->body_y + y, 0, "", u->tree_w, A_NORMAL);
        const char *why = u->hit ? "（没有匹配的事项）"
                                 : "（没有未完成的事项）";
        /* （没有匹配的事项） / （没有未完成的事项） */
        ui_put(u->body_y, 1, why, u->tree_w - 1, A_NORMAL);
        return;
    }
    if (u->sel >= u->n_rows)
        u->sel = u->n_rows - 1;
    if (u->sel < u->top)
        u->top = u->sel;
    if (u->sel >= u->top + (size_t)h)
        u->top = u->sel - (size_t)h + 1;
    if (u->top + (size_t)h > u->n_rows)
        u->top = u->n_rows > (size_t)h ? u->n_rows - (size_t)h : 0;
    for (int y = 0; y < u->body_h; y++) {
        size_t r = u->top + (size_t)y;
        if (r < u->n_rows)
            draw_tree_row(u, u->body_y + y, &u->rows[r], r == u->sel);
        else
            ui_put(u->body_y + y, 0, "", u->tree_w, A_NORMAL);
    }
}

/* --- the details column --- */

void ui_detail_invalidate(ui *u)
{
    u->d_width = -1;
}

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
static void aggregate(ui *u, int who, uint32_t first, uint32_t n)
{
    const plan *p = u->p;
    size_t m = 0;
    for (uint32_t i = first; i < first + n; i++) {
        const plan_units *pu = &p->items[i].who[who];
        for (uint32_t k = 0; k < pu->n; k++)
            if (u->agg_count[pu->unit[k]]++ == 0)
                u->agg[who][m++] = pu->unit[k];
    }
    agg_ent *e = xmalloc((m + 1) * sizeof *e);
    for (size_t k = 0; k < m; k++) {
        e[k].unit = u->agg[who][k];
        e[k].n = u->agg_count[e[k].unit];
        u->agg_count[e[k].unit] = 0;
    }
    qsort(e, m, sizeof *e, agg_cmp);
    for (size_t k = 0; k < m; k++) {
        u->agg[who][k] = e[k].unit;
        u->agg_n[who][k] = e[k].n;
    }
    free(e);
    u->n_agg[who] = m;
}

static void detail_compute(ui *u, int kind, uint32_t index, int width)
{
    const plan *p = u->p;
    if (u->d_width == width && u->d_kind == kind && u->d_index == index)
        return;
    u->d_kind = kind;
    u->d_index = index;
    u->d_width = width;
    strbuf src = {0};
    uint32_t first = 0, n = 0;
    if (kind == PLAN_GOAL) {
        goal_prefix(&src, &p->goals[index]);
        sb_adds(&src, p->goals[index].title);
        first = p->goals[index].first_item;
        n = p->goals[index].n_items;
    } else if (kind == PLAN_TASK) {
        task_prefix(&src, &p->tasks[index]);
        sb_adds(&src, p->tasks[index].title);
        first = p->tasks[index].first_item;
        n = p->tasks[index].n_items;
    } else {
        sb_addf(&src, "%u. ", p->items[index].num);
        sb_adds(&src, p->items[index].text);
    }
    sb_reset(&u->d_text);
    text_wrap(&u->d_text, src.s, (size_t)(width < 2 ? 2 : width));
    sb_free(&src);
    u->n_d_lines = 0;
    for (size_t off = 0; off < u->d_text.len;) {
        xgrow((void **)&u->d_line, &u->cap_d_lines, u->n_d_lines + 1, sizeof *u->d_line);
        u->d_line[u->n_d_lines++] = off;
        const char *nl = memchr(u->d_text.s + off, '\n', u->d_text.len - off);
        off = nl ? (size_t)(nl - u->d_text.s) + 1 : u->d_text.len;
    }
    if (kind != PLAN_ITEM)
        for (int w = 0; w < 2; w++)
            aggregate(u, w, first, n);
}

/* Line k of the wrapped text, without its newline. */
static void wrapped_line(const ui *u, size_t k, strbuf *out)
{
    size_t a = u->d_line[k];
    const char *nl = memchr(u->d_text.s + a, '\n', u->d_text.len - a);
    size_t b = nl ? (size_t)(nl - u->d_text.s) : u->d_text.len;
    sb_add(out, u->d_text.s + a, b - a);
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
static size_t detail_count(const ui *u)
{
    const plan *p = u->p;
    size_t n = u->n_d_lines + 1;
    if (u->d_kind == PLAN_GOAL)
        n += p->goals[u->d_index].n_tasks + (u->hit ? 1 : 0);
    else if (u->d_kind == PLAN_TASK)
        n += p->tasks[u->d_index].n_items + (u->hit ? 1 : 0);
    return n;
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

static void detail_line(ui *u, size_t k, strbuf *out, attr_t *a, int width)
{
    const plan *p = u->p;
    *a = u->attr[UI_C_NORMAL];
    if (u->d_kind == PLAN_ITEM) {
        const plan_item *it = &p->items[u->d_index];
        if (k == 0) {
            if (it->done) {
                sb_adds(out, "[x] 已完成");
                if (it->done_at) {
                    sb_addc(out, ' ');
                    done_time(out, it->done_at);
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
        wrapped_line(u, k - 1, out);
        return;
    }
    if (k < u->n_d_lines) {
        wrapped_line(u, k, out);
        *a = u->attr[UI_C_HEAD];
        return;
    }
    k -= u->n_d_lines;
    uint32_t done, total;
    if (u->d_kind == PLAN_GOAL)
        done = p->goals[u->d_index].done, total = p->goals[u->d_index].n_items;
    else
        done = p->tasks[u->d_index].done, total = p->tasks[u->d_index].n_items;
    if (k == 0) {
        sb_addf(out, "完成 %u/%u (%d%%)", done, total,
                percent(done, total));
        if (done == total)
            *a = u->attr[UI_C_DONE];
        return;
    }
    k--;
    if (u->hit) {
        if (k == 0) {
            uint32_t fd = u->d_kind == PLAN_GOAL ? u->f_goal_done[u->d_index]
                                                 : u->f_task_done[u->d_index];
            uint32_t ft = u->d_kind == PLAN_GOAL ? u->f_goal_total[u->d_index]
                                                 : u->f_task_total[u->d_index];
            sb_addf(out, "匹配 %u 项，"
                         "完成 %u", ft, fd);
            *a = u->attr[UI_C_MATCH];
            return;
        }
        k--;
    }
    strbuf l = {0}, r = {0};
    if (u->d_kind == PLAN_GOAL) {
        const plan_task *t = &p->tasks[p->goals[u->d_index].first_task + k];
        task_prefix(&l, t);
        sb_adds(&l, t->title);
        count_text(&r, t->done, t->n_items);
        if (t->done == t->n_items)
            *a = u->attr[UI_C_DONE];
    } else {
        const plan_item *it = &p->items[p->tasks[u->d_index].first_item + k];
        sb_adds(&l, it->done ? "[x] " : "[ ] ");
        sb_addf(&l, "%u. ", it->num);
        sb_adds(&l, it->text);
        if (it->done)
            *a = u->attr[UI_C_DONE];
    }
    fit_right(out, &l, &r, width);
}

/* Lines of a unit pane (who = PLAN_LEAD or PLAN_RESP); at least one. */
static size_t units_count(const ui *u, int who)
{
    size_t n;
    if (u->d_kind == PLAN_ITEM) {
        const plan_units *pu = &u->p->items[u->d_index].who[who];
        n = pu->n + (pu->more ? 1 : 0);
    } else {
        n = u->n_agg[who];
    }
    return n ? n : 1;
}

static size_t units_named(const ui *u, int who)
{
    if (u->d_kind == PLAN_ITEM)
        return u->p->items[u->d_index].who[who].n;
    return u->n_agg[who];
}

static void units_line(ui *u, int who, size_t k, strbuf *out, attr_t *a, int width)
{
    const plan *p = u->p;
    *a = u->attr[UI_C_NORMAL];
    uint32_t un;
    uint32_t count = 0;
    if (u->d_kind == PLAN_ITEM) {
        const plan_units *pu = &p->items[u->d_index].who[who];
        if (k >= pu->n) {
            sb_adds(out, pu->more ? "等" : "（无）");
            return;                                     /* 等 / （无） */
        }
        un = pu->unit[k];
    } else {
        if (k >= u->n_agg[who]) {
            sb_adds(out, "（无）");
            return;
        }
        un = u->agg[who][k];
        count = u->agg_n[who][k];
    }
    strbuf l = {0}, r = {0};
    sb_adds(&l, p->units[un].name);
    if (u->unit_hit && u->unit_hit[un]) {
        *a = u->attr[UI_C_MATCH];
        size_t more = 0;
        const char *m = u->unit_hit[un] == 2 ? ui_group_member_hit(u, un, &more) : NULL;
        if (m) {
            sb_adds(&l, " ← ");
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
static void border_line(ui *u, int y, int x, int w, const cchar_t *lc, const cchar_t *rc,
                        const char *title)
{
    attr_t ba = u->attr[UI_C_BORDER];
    attrset(ba);
    mvadd_wch(y, x, lc);
    mvhline_set(y, x + 1, WACS_HLINE, w - 2);
    mvadd_wch(y, x + w - 1, rc);
    attrset(A_NORMAL);
    if (title && w > 6) {
        strbuf t = {0};
        sb_addc(&t, ' ');
        sb_adds(&t, title);
        sb_addc(&t, ' ');
        ui_put_fit(y, x + 2, t.s, w - 4, u->attr[UI_C_HEAD]);
        sb_free(&t);
    }
}

/* One content line between the side borders. */
static void box_line(ui *u, int y, int x, int w, const char *s, attr_t a)
{
    attrset(u->attr[UI_C_BORDER]);
    mvadd_wch(y, x, WACS_VLINE);
    mvadd_wch(y, x + w - 1, WACS_VLINE);
    attrset(A_NORMAL);
    ui_put(y, x + 1, s, w - 2, a);
}

/* Draw `rows` lines of a section of `total` lines (which: 0 details, 1
 * lead units, 2 responsible units).  When the section is cut, its last
 * visible line says so: text ends in …, a unit list in "(+N)" (N hidden). */
static void draw_section(ui *u, int *y, int x, int w, size_t rows, size_t total, int which)
{
    int cw = w - 2;
    for (size_t k = 0; k < rows; k++) {
        strbuf b = {0};
        attr_t a = A_NORMAL;
        bool cut = k + 1 == rows && total > rows;
        if (k >= total) {
            /* the section has more room than lines */
        } else if (which == 0) {
            detail_line(u, k, &b, &a, cw);
            if (cut) {
                /* a line with room gets a …; a full one is cut with … */
                strbuf c = {0};
                const char *t = b.s ? b.s : "";
                if ((int)text_width(t) < cw) {
                    sb_adds(&c, t);
                    sb_adds(&c, ELLIPSIS);
                } else {
                    /* wider than cw with the …: cut to cw - 1, then … */
                    strbuf e = {0};
                    sb_adds(&e, t);
                    sb_adds(&e, ELLIPSIS);
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
            units_line(u, which - 1, k, &b, &a, cw - mw > 2 ? cw - mw : 2);
            sb_adds(&b, more);
        }
        box_line(u, (*y)++, x, w, b.s ? b.s : "", a);
        sb_free(&b);
    }
}

static void draw_detail(ui *u)
{
    const plan *p = u->p;
    int x = u->right_x, w = u->right_w, y = u->body_y, h = u->body_h;
    if (u->n_rows == 0 || w < 8 || h < 5) {
        for (int k = 0; k < h; k++)
            ui_put(y + k, x, "", w, A_NORMAL);
        return;
    }
    const ui_row *r = &u->rows[u->sel];
    detail_compute(u, r->kind, r->index, w - 2);
    size_t nd = detail_count(u), nl = units_count(u, PLAN_LEAD), nr = units_count(u, PLAN_RESP);
    size_t c = (size_t)(h - 4), D, L, R;
    if (nd + nl + nr <= c) {
        D = nd, L = nl, R = c - D - L;   /* the last pane takes the rest */
    } else {
        size_t cap = c / 4 ? c / 4 : 1;
        L = nl < cap ? nl : cap;
        R = nr < cap ? nr : cap;
        D = c - L - R;
        if (D > nd) {
            size_t extra = D - nd, k;
            D = nd;
            k = nl - L < extra ? nl - L : extra;
            L += k, extra -= k;
            k = nr - R < extra ? nr - R : extra;
            R += k, extra -= k;
            D += extra;
        }
    }
    strbuf t = {0};
    if (r->kind == PLAN_GOAL)
        sb_addf(&t, "目标 %s", p->goals[r->index].id);
    else if (r->kind == PLAN_TASK)
        sb_addf(&t, "任务 %s", p->tasks[r->index].id);
    else
        sb_addf(&t, "事项 %s", p->items[r->index].id);
    border_line(u, y++, x, w, WACS_ULCORNER, WACS_URCORNER, t.s);
    draw_section(u, &y, x, w, D, nd, 0);
    for (int who = 0; who < 2; who++) {
        sb_reset(&t);
        sb_adds(&t, who == PLAN_LEAD ? "牵头单位"
                                     : "责任单位");
        size_t named = units_named(u, who);
        if (named)
            sb_addf(&t, " (%zu)", named);
        border_line(u, y++, x, w, WACS_LTEE, WACS_RTEE, t.s);
        draw_section(u, &y, x, w, who == PLAN_LEAD ? L : R, who == PLAN_LEAD ? nl : nr, who + 1);
    }
    border_line(u, y++, x, w, WACS_LLCORNER, WACS_LRCORNER, NULL);
    sb_free(&t);
}

/* --- status and prompt lines --- */

/* The active filter in at most w columns: "/sfj → 区司法局：4 项（牵头 4，
 * 责任 0，经组 0）"; the list of units is what gets cut. */
static void filter_text(const ui *u, strbuf *b, int w)
{
    const plan *p = u->p;
    strbuf head = {0}, units = {0}, tail = {0};
    if (u->filter == UI_FILTER_QUERY) {
        sb_adds(&head, " /");
        sb_adds(&head, u->filter_label);
        sb_adds(&head, " → ");
    } else {
        sb_adds(&head, " 单位 ");
    }
    if (!u->n_hit_units) {
        sb_adds(&tail, "没有匹配的单位");
    } else {
        for (size_t k = 0; k < u->n_hit_units && k < 64; k++) {
            if (k)
                sb_adds(&units, "、");
            sb_adds(&units, p->units[u->hit_units[k]].name);
        }
        if (u->n_hit_units > 64)
            sb_adds(&units, ELLIPSIS);
        /* ：N 项（牵头 n，责任 n，经组 n） */
        sb_addf(&tail, "：%zu 项（牵头 %zu，责任 %zu，经组 %zu）",
                u->hit_items, u->hit_lead, u->hit_resp, u->hit_group);
    }
    sb_adds(b, head.s);
    if (units.len) {
        int room = w - (int)text_width(head.s) - (int)text_width(tail.s);
        if (room < (int)text_width(p->units[u->hit_units[0]].name) + 1) {
            /* the first unit's name matters more than the breakdown */
            sb_reset(&tail);
            sb_addf(&tail, "：%zu 项", u->hit_items);
            room = w - (int)text_width(head.s) - (int)text_width(tail.s);
        }
        text_fit(b, units.s, (size_t)(room > 4 ? room : 4), false);
    }
    sb_adds(b, tail.s);
    sb_free(&head);
    sb_free(&units);
    sb_free(&tail);
}

static const char *hints(const ui *u)
{
    switch (u->mode) {
    case UI_MODE_HELP:
        return " ↑↓ 滚动  q Esc 返回";
        /* ↑↓ 滚动  q Esc 返回 */
    case UI_MODE_UNITS:
        return " 输入筛选  Enter 按此单位筛选  Tab 排序  Esc 返回";
        /* 输入筛选  Enter 按此单位筛选  Tab 排序  Esc 返回 */
    case UI_MODE_SEARCH:
        return " Enter 保留  Esc 清除";
        /* Enter 保留  Esc 清除 */
    default:
        return " ? 帮助  空格 标记  u 撤销  / 搜索  U 单位  q 退出";
        /* ? 帮助  空格 标记  u 撤销  / 搜索  U 单位  q 退出 */
    }
}

static void draw_status(ui *u)
{
    const plan *p = u->p;
    strbuf l = {0}, r = {0};
    attr_t a = u->attr[UI_C_STATUS];
    if (u->hide_done)
        sb_adds(&r, "[隐藏已完成] ");
    sb_addf(&r, "完成 %zu/%zu (%d%%) ", p->done, p->n_items,
            percent(p->done, p->n_items));
    if (u->msg) {
        sb_addc(&l, ' ');
        sb_adds(&l, u->msg);
        if (u->msg_error)
            a = u->attr[UI_C_ERROR];
    } else if (u->filter != UI_FILTER_NONE && u->mode != UI_MODE_HELP &&
               u->mode != UI_MODE_UNITS) {
        filter_text(u, &l, u->cols - (int)text_width(r.s) - 1);
    } else {
        sb_adds(&l, hints(u));
    }
    put_lr(u->status_y, 0, u->cols, l.s, r.s, a);
    sb_free(&l);
    sb_free(&r);
    if (u->status_y == u->prompt_y)
        return;
    if (u->mode == UI_MODE_SEARCH) {
        ui_edit_draw(u, &u->edit, u->prompt_y, 0, u->cols - (int)text_width(hints(u)), "/");
        ui_put(u->prompt_y, u->cols - (int)text_width(hints(u)), hints(u),
               (int)text_width(hints(u)), A_NORMAL);
    } else if (u->mode == UI_MODE_JUMP) {
        ui_edit_draw(u, &u->edit, u->prompt_y, 0, u->cols,
                     "跳到编号: ");
    } else if (u->mode == UI_MODE_CONFIRM) {
        uint32_t n, done;
        strbuf q = {0};
        if (u->confirm_kind == PLAN_GOAL) {
            const plan_goal *g = &p->goals[u->confirm_index];
            n = g->n_items, done = g->done;
            goal_prefix(&q, g);
            sb_adds(&q, g->title);
        } else {
            const plan_task *t = &p->tasks[u->confirm_index];
            n = t->n_items, done = t->done;
            task_prefix(&q, t);
            sb_adds(&q, t->title);
        }
        strbuf s = {0};
        /* 把「…」的 N 项全部标为完成？ / 全部改为未完成？ */
        sb_adds(&s, "把「");
        strbuf cut = {0};
        text_fit(&cut, q.s, (size_t)(u->cols / 2 > 8 ? u->cols / 2 : 8), false);
        sb_adds(&s, cut.s);
        sb_addf(&s, "」的 %u 项全部", n);
        sb_adds(&s, done == n ? "改为未完成"
                              : "标为完成");
        sb_adds(&s, "？(y/n) ");
        int used = ui_put_fit(u->prompt_y, 0, s.s, u->cols, u->attr[UI_C_PROMPT]);
        ui_put(u->prompt_y, used, "", u->cols - used, A_NORMAL);
        sb_free(&s);
        sb_free(&q);
        sb_free(&cut);
    }
}

/* --- overlays --- */

static void draw_help(ui *u)
{
    if (!u->help.len)
        ui_help_build(u);
    int h = u->body_h;
    size_t n = 0;
    for (size_t k = 0; k < u->help.len; k++)
        n += u->help.s[k] == '\n';
    if (u->help_top + (size_t)h > n)
        u->help_top = n > (size_t)h ? n - (size_t)h : 0;
    const char *s = u->help.s;
    for (size_t k = 0; k < u->help_top; k++)
        s = strchr(s, '\n') + 1;
    for (int y = 0; y < h; y++) {
        if (u->help_top + (size_t)y >= n) {
            ui_put(u->body_y + y, 0, "", u->cols, A_NORMAL);
            continue;
        }
        const char *e = strchr(s, '\n');
        strbuf line = {0};
        attr_t a = A_NORMAL;
        if (*s == '#') {
            sb_add(&line, s + 1, (size_t)(e - s - 1));
            a = u->attr[UI_C_HEAD];
        } else {
            sb_add(&line, s, (size_t)(e - s));
        }
        ui_put(u->body_y + y, 0, line.s ? line.s : "", u->cols, a);
        sb_free(&line);
        s = e + 1;
    }
}

static void draw_units(ui *u)
{
    const plan *p = u->p;
    int y = u->body_y, h = u->body_h, w = u->cols;
    ui_edit_draw(u, &u->ufilter, y, 0, w,
                 " 单位筛选: ");
    int namew = w - 1 - 6 - 6 - 12 - 6;   /* " name" then " %5u %5u %11s %5u" */
    strbuf b = {0};
    spaces(&b, 1);
    text_fit(&b, u->usort == UI_SORT_LEFT
                     ? "单位（按剩余排序）"
                     : "单位（按名称排序）",
             (size_t)namew, true);
    /* 牵头 责任 完成 剩余, right-aligned over their columns */
    sb_adds(&b, "  牵头  责任        完成  剩余");
    ui_put(y + 1, 0, b.s, w, u->attr[UI_C_HEAD]);
    sb_free(&b);
    int rows = h - 2;
    if (rows < 1)
        return;
    if (u->usel >= u->n_ulist)
        u->usel = u->n_ulist ? u->n_ulist - 1 : 0;
    if (u->usel < u->utop)
        u->utop = u->usel;
    if (u->usel >= u->utop + (size_t)rows)
        u->utop = u->usel - (size_t)rows + 1;
    for (int k = 0; k < rows; k++) {
        size_t i = u->utop + (size_t)k;
        if (i >= u->n_ulist) {
            ui_put(y + 2 + k, 0, k == 0 && i == 0
                                     ? " （没有匹配的单位）" : "",
                   w, A_NORMAL);   /* （没有匹配的单位） */
            continue;
        }
        uint32_t un = u->ulist[i];
        const plan_unit *pu = &p->units[un];
        strbuf l = {0}, d = {0};
        spaces(&l, 1);
        text_fit(&l, pu->name, (size_t)namew, true);
        sb_addf(&d, "%u/%u", u->u_done[un], u->u_total[un]);
        sb_addf(&l, " %5u %5u %11s %5u", pu->n_items[PLAN_LEAD], pu->n_items[PLAN_RESP], d.s,
                u->u_total[un] - u->u_done[un]);
        attr_t a = u->u_total[un] && u->u_done[un] == u->u_total[un] ? u->attr[UI_C_DONE]
                                                                      : u->attr[UI_C_NORMAL];
        if (i == u->usel)
            a |= A_REVERSE;
        ui_put(y + 2 + k, 0, l.s, w, a);
        sb_free(&l);
        sb_free(&d);
    }
}

static void draw_too_small(ui *u)
{
    erase();
    strbuf b = {0};
    /* 窗口太小 COLSxLINES / 至少需要 40x10 */
    sb_addf(&b, "窗口太小 %dx%d", u->cols, u->lines);
    int y = u->lines / 2 - 1 > 0 ? u->lines / 2 - 1 : 0;
    int w = (int)text_width(b.s);
    ui_put_fit(y, w < u->cols ? (u->cols - w) / 2 : 0, b.s, u->cols, A_BOLD);
    sb_reset(&b);
    sb_addf(&b, "至少需要 %dx%d", UI_MIN_COLS,
            UI_MIN_LINES);
    w = (int)text_width(b.s);
    if (y + 1 < u->lines)
        ui_put_fit(y + 1, w < u->cols ? (u->cols - w) / 2 : 0, b.s, u->cols, A_NORMAL);
    sb_free(&b);
}

void ui_draw(ui *u, int flags)
{
    int oldh = u->body_h, oldc = u->cols, oldl = u->lines;
    ui_layout(u);
    if (u->body_h != oldh || u->cols != oldc || u->lines != oldl)
        flags |= UI_DRAW_ALL;
    if (u->too_small) {
        draw_too_small(u);
        wnoutrefresh(stdscr);
        return;
    }
    if (u->cols != oldc)
        ui_detail_invalidate(u);
    if (flags & UI_DRAW_TITLE)
        draw_title(u);
    if (u->mode == UI_MODE_HELP || u->mode == UI_MODE_UNITS) {
        if (flags & (UI_DRAW_TREE | UI_DRAW_DETAIL)) {
            if (u->mode == UI_MODE_HELP)
                draw_help(u);
            else
                draw_units(u);
        }
    } else {
        if (flags & UI_DRAW_TREE)
            draw_tree(u);
        if (flags & (UI_DRAW_DETAIL | UI_DRAW_TREE))
            draw_detail(u);
    }
    if (flags & UI_DRAW_STATUS)
        draw_status(u);
    wnoutrefresh(stdscr);
}
