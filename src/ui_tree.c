/* ui_tree.c - the tree view: goals, tasks and items with their counts,
 * the details column beside it (ui_detail.c), its keys and actions
 * (moving, folding, marking and undoing, jumping, the matches of the
 * filter), and what the prompts and the unit list ask of it. */
#include "ui_tree.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static const int tree_keys[] = {UI_CTX_TREE, -1};

static ui_tree *tree_of(ui *u)
{
    return u->tree;
}

static size_t tree_height(const ui *u)
{
    return u->body_h > 0 ? (size_t)u->body_h : 1;
}

static const ui_row *cur_row(const ui_tree *t)
{
    return t->n_rows ? &t->rows[t->sc.sel] : NULL;
}

static int move_to(ui_tree *t, long r)
{
    if (!t->n_rows)
        return 0;
    if (r < 0)
        r = 0;
    if ((size_t)r >= t->n_rows)
        r = (long)t->n_rows - 1;
    t->sc.sel = (size_t)r;
    return UI_DRAW_BODY | UI_DRAW_DETAIL;
}

static uint8_t *open_flag(ui_tree *t, const ui_row *r)
{
    return r->kind == PLAN_GOAL ? &t->goal_open[r->index] : &t->task_open[r->index];
}

/* --- status changes --- */

void ui_pending_free(ui *u)
{
    ui_pending *pc = u->pending;
    if (!pc)
        return;
    for (size_t k = 0; k < pc->n; k++)
        free(pc->ids[k]);
    free(pc->ids);
    free(pc->done);
    free(pc->note);
    free(pc->expect);
    free(pc->ok_msg);
    free(pc->what);
    free(pc);
    u->pending = NULL;
}

/* Try the pending change once, without waiting for the lock.  Saved: say
 * so; another holds the lock: wait (the status line says so) until
 * lock_wait_ms have passed, then say clearly that it was not saved; any
 * other failure: the error.  Those two messages stay until a key.  A note
 * saved on a later try tells the views (the editor closes); *saved (when
 * given) tells whether it was saved now. */
static int pending_try_as(ui *u, bool first, bool *saved)
{
    ui_pending *pc = u->pending;
    status_set_lock_wait(u->s, 0);
    bool undone = false;
    int rc = pc->undo ? status_undo(u->s, u->p, &undone, &u->msgs)
             : pc->note ? status_set_note(u->s, u->p, pc->ids[0], pc->note, pc->expect,
                                          &u->msgs)
                        : status_set(u->s, u->p, (const char *const *)pc->ids, pc->done,
                                     pc->n, &u->msgs);
    status_set_lock_wait(u->s, UI_LOCK_WAIT_MS);
    if (rc == STATUS_BUSY) {
        if ((ui_now() - pc->since) * 1000 < (double)u->lock_wait_ms)
            return UI_DRAW_STATUS;
        ui_set_msg(u, true, "没有保存%s：另一个 plandash 占用 %s 超过 %ld 秒，请稍后再试",
                   pc->what, status_path(u->s), (u->lock_wait_ms + 999) / 1000);
        u->msg_keep = true;
        ui_pending_free(u);
        return UI_DRAW_ALL;
    }
    if (saved)
        *saved = rc == 0;
    if (rc == STATUS_NOTE_CHANGED) {
        /* another saved the note meanwhile: the editor says so and stays */
        ui_set_msg(u, true, "没有保存%s：它已被他人修改", pc->what);
        u->msg_keep = true;
        ui_pending_free(u);
        return UI_REBUILD | UI_DRAW_ALL;
    }
    if (rc < 0) {
        int f = ui_show_errors(u);
        u->msg_keep = true;
        ui_pending_free(u);
        return f | UI_DRAW_ALL;
    }
    if (u->msgs.n) {
        ui_show_errors(u);   /* saved, with a warning (a group not kept) */
    } else if (pc->undo) {
        const char *sid, *sby, *sat;
        size_t skipped = undone ? status_undo_skipped(u->s, &sid, &sby, &sat) : 0;
        if (skipped) {
            /* 已被 wang 于 2026-12-02 11:06 更改, 已被他人更改 */
            strbuf who = {0};
            if (sby) {
                sb_addc(&who, ' ');
                sb_adds(&who, sby);
                sb_addc(&who, ' ');
            } else {
                sb_adds(&who, "他人");
            }
            if (sat) {
                sb_adds(&who, sby ? "于 " : " 于 ");
                plan_done_time(&who, sat);
                sb_addc(&who, ' ');
            }
            ui_set_msg(u, false, "已撤销；%s%s 已被%s更改，未撤销", sid,
                       skipped > 1 ? " 等" : "", who.s);
            sb_free(&who);
        } else if (undone)
            ui_set_msg(u, false, "已撤销（还可撤销 %zu 次）", status_undo_depth(u->s));
        else
            ui_set_msg(u, false, "没有可撤销的更改");
    } else {
        ui_set_msg(u, false, "%s", pc->ok_msg);
    }
    char *note_id = pc->note && !first ? xstrdup(pc->ids[0]) : NULL;
    ui_pending_free(u);
    int f = UI_REBUILD | UI_DRAW_ALL;
    if (note_id) {
        u->note_saved = note_id;
        f |= ui_views_event(u, UI_EV_NOTE_SAVED);   /* its editor closes */
        u->note_saved = NULL;
        free(note_id);
    }
    return f;
}

static int pending_try(ui *u)
{
    return pending_try_as(u, false, NULL);
}

int ui_pending_retry(ui *u)
{
    return u->pending ? pending_try(u) : 0;
}

/* Whether a key that changes the status may go on: not while another
 * change waits for the lock, not when we cannot save (say why). */
static bool may_change(ui *u, int *f)
{
    if (u->pending) {
        ui_set_msg(u, false, "上一个更改还在等待另一个 plandash 保存，请稍候");
        *f = UI_DRAW_STATUS;
        return false;
    }
    if (u->readonly) {
        ui_set_msg(u, true, "只读，不能更改：%s", u->readonly);
        *f = UI_DRAW_STATUS;
        return false;
    }
    return true;
}

/* Start the change (ids, done; or an undo) and try it at once. */
static int start_change(ui *u, bool is_undo, const char *const *ids, const bool *done, size_t n,
                        char *ok_msg, char *what)
{
    ui_pending *pc = xcalloc(1, sizeof *pc);
    pc->undo = is_undo;
    pc->n = n;
    pc->ids = xmalloc((n ? n : 1) * sizeof *pc->ids);
    pc->done = xmalloc(n ? n : 1);
    for (size_t k = 0; k < n; k++) {
        pc->ids[k] = xstrdup(ids[k]);
        pc->done[k] = done[k];
    }
    pc->ok_msg = ok_msg;
    pc->what = what;
    pc->since = ui_now();
    u->pending = pc;
    return pending_try(u);
}

int ui_save_note(ui *u, const char *id, const char *note, const char *expect, bool *saved)
{
    int f = 0;
    *saved = false;
    if (!may_change(u, &f))
        return f;
    ui_pending *pc = xcalloc(1, sizeof *pc);
    pc->n = 1;
    pc->ids = xmalloc(sizeof *pc->ids);
    pc->ids[0] = xstrdup(id);
    pc->note = xstrdup(note);
    pc->expect = expect ? xstrdup(expect) : NULL;
    pc->ok_msg = xasprintf(*note ? "已保存事项 %s 的进展情况" : "已清除事项 %s 的进展情况", id);
    pc->what = xasprintf("事项 %s 的进展情况", id);
    pc->since = ui_now();
    u->pending = pc;
    /* the first try answers at once: saved, waiting (u->pending) or failed */
    return pending_try_as(u, true, saved);
}

static int mark_item(ui *u, uint32_t i)
{
    int f = 0;
    if (!may_change(u, &f))
        return f;
    f = ui_refresh_status(u);
    const plan_item *it = &u->p->items[i];
    bool want = !it->done;
    const char *id = it->id;
    return f | start_change(u, false, &id, &want, 1,
                            xasprintf(want ? "%s 已标为完成" : "%s 已改为未完成", id),
                            xasprintf(" %s 的标记", id));
}

int ui_tree_mark_range(ui *u, int kind, uint32_t index)
{
    int f = 0;
    if (!may_change(u, &f))
        return f;
    f = ui_refresh_status(u);
    const plan *p = u->p;
    uint32_t first, n, done = plan_node_done(p, kind, index);
    plan_node_items(p, kind, index, &first, &n);
    bool want = done != n;
    const char **ids = xmalloc((n + 1) * sizeof *ids);
    bool *d = xmalloc(n + 1);
    for (uint32_t k = 0; k < n; k++) {
        ids[k] = p->items[first + k].id;
        d[k] = want;
    }
    f |= start_change(u, false, ids, d, n,
                      xasprintf(want ? "%u 项已全部标为完成" : "%u 项已全部改为未完成", n),
                      xasprintf(" %u 项的标记", n));
    free(ids);
    free(d);
    return f | UI_DRAW_ALL;
}

static int undo(ui *u)
{
    int f = 0;
    if (!may_change(u, &f))
        return f;
    f = ui_refresh_status(u);
    if (!status_undo_depth(u->s)) {
        ui_set_msg(u, false, "没有可撤销的更改");
        return f | UI_DRAW_STATUS;
    }
    return f | start_change(u, true, NULL, NULL, 0, NULL, xstrdup("撤销"));
}

/* --- moving and folding --- */

static int act_left(ui_tree *t)
{
    const ui_row *r = cur_row(t);
    if (!r)
        return 0;
    if (r->kind != PLAN_ITEM && *open_flag(t, r)) {
        *open_flag(t, r) = 0;
        return UI_REBUILD;
    }
    if (r->kind == PLAN_GOAL)
        return 0;
    uint32_t parent = r->kind == PLAN_ITEM ? t->p->items[r->index].task
                                           : t->p->tasks[r->index].goal;
    int pk = r->kind == PLAN_ITEM ? PLAN_TASK : PLAN_GOAL;
    if (pk == PLAN_TASK && t->p->tasks[parent].implicit)   /* a goal's own item */
        pk = PLAN_GOAL, parent = t->p->tasks[parent].goal;
    return move_to(t, ui_rows_find(t, pk, parent));
}

static int act_right(ui_tree *t)
{
    const ui_row *r = cur_row(t);
    if (!r || r->kind == PLAN_ITEM)
        return 0;
    if (!*open_flag(t, r)) {
        *open_flag(t, r) = 1;
        return UI_REBUILD;
    }
    if (t->sc.sel + 1 < t->n_rows && t->rows[t->sc.sel + 1].depth > r->depth)
        return move_to(t, (long)t->sc.sel + 1);
    return 0;
}

/* Open the goal and task above item i and select it. */
static int reveal_item(ui_tree *t, uint32_t i)
{
    uint32_t task = t->p->items[i].task;
    t->task_open[task] = 1;
    t->goal_open[t->p->tasks[task].goal] = 1;
    ui_rows_rebuild(t);
    ui_rows_select(t, PLAN_ITEM, i);
    return UI_DRAW_BODY | UI_DRAW_DETAIL | UI_DRAW_STATUS;
}

static int act_next(ui *u, ui_tree *t, int dir)
{
    const plan *p = t->p;
    if (!t->hit) {
        ui_set_msg(u, false, "没有进行中的搜索：按 / 搜索单位");
        return UI_DRAW_STATUS;
    }
    size_t n = p->n_items;
    if (!n)
        return 0;
    const ui_row *r = cur_row(t);
    size_t start;
    if (!r)
        start = dir > 0 ? 0 : n - 1;
    else if (r->kind == PLAN_ITEM)
        start = (r->index + (dir > 0 ? 1 : n - 1)) % n;
    else {
        uint32_t first, cnt;
        plan_node_items(p, r->kind, r->index, &first, &cnt);
        start = dir > 0 ? first : (first + n - 1) % n;
    }
    for (size_t k = 0; k < n; k++) {
        size_t i = dir > 0 ? (start + k) % n : (start + n - k) % n;
        if (t->hit[i] && ui_rows_item_shown(t, (uint32_t)i)) {
            size_t pos = 0, all = 0;
            for (size_t j = 0; j < n; j++)
                if (t->hit[j] && ui_rows_item_shown(t, (uint32_t)j)) {
                    all++;
                    pos += j <= i;
                }
            int f = reveal_item(t, (uint32_t)i);
            ui_set_msg(u, false, "匹配事项 %zu/%zu：%s", pos, all, p->items[i].id);
            return f;
        }
    }
    ui_set_msg(u, false, "没有匹配的事项");
    return UI_DRAW_STATUS;
}

/* --- the filter --- */

/* After the filter changed: open what it shows; keep the selection if it
 * is a matching item, else go to the first matching item. */
static int apply_filter_change(ui_tree *t)
{
    ui_rows_open_hits(t);
    ui_rows_rebuild(t);
    const ui_row *r = cur_row(t);
    if (r && !(r->kind == PLAN_ITEM && t->hit && t->hit[r->index]))
        for (size_t k = 0; k < t->n_rows; k++)
            if (t->rows[k].kind == PLAN_ITEM) {
                t->sc.sel = k;
                break;
            }
    return UI_DRAW_BODY | UI_DRAW_DETAIL | UI_DRAW_STATUS;
}

int ui_tree_filter_query(ui *u, const char *q)
{
    ui_tree *t = tree_of(u);
    ui_rows_filter_query(t, u->ix, q);
    return apply_filter_change(t);
}

int ui_tree_filter_unit(ui *u, uint32_t unit)
{
    ui_tree *t = tree_of(u);
    ui_rows_filter_unit(t, u->ix, unit);
    return apply_filter_change(t) | UI_DRAW_ALL;
}

int ui_tree_filter_due(ui *u)
{
    ui_tree *t = tree_of(u);
    ui_rows_filter_due(t);
    if (!u->p->overdue && !u->p->soon)
        ui_set_msg(u, false, "没有逾期或临期的事项（Esc 清除）");
    return apply_filter_change(t) | UI_DRAW_ALL;
}

int ui_tree_filter_clear(ui *u)
{
    ui_tree *t = tree_of(u);
    if (t->filter == UI_FILTER_NONE)
        return 0;
    ui_rows_filter_clear(t);
    return UI_REBUILD | UI_DRAW_ALL;
}

/* The filter's query (for / to edit again), or NULL. */
static const char *tree_query(const ui *u)
{
    const ui_tree *t = u->tree;
    return t->filter == UI_FILTER_QUERY ? t->filter_label : NULL;
}

bool ui_tree_unit(const ui *u, uint32_t *unit)
{
    const ui_tree *t = u->tree;
    if (t->filter != UI_FILTER_UNIT)
        return false;
    *unit = t->res.units[0];
    return true;
}

/* --- jumping --- */

int ui_tree_jump(ui *u, const char *text)
{
    ui_tree *t = tree_of(u);
    const plan *p = t->p;
    strbuf id = {0};
    size_t n = strlen(text);
    while (n && (text[n - 1] == ' ' || text[n - 1] == '.'))
        n--;
    while (n && *text == ' ')
        text++, n--;
    sb_add(&id, text, n);
    int kind;
    uint32_t index;
    /* By the number on the screen first ("1.2.6"), else by id. */
    if (!id.len || (!plan_find_number(p, id.s, &kind, &index) &&
                    !plan_find_node(p, id.s, &kind, &index))) {
        if (id.len)
            ui_set_msg(u, true, "没有编号为 %s 的目标、任务或事项", id.s);
        sb_free(&id);
        return UI_DRAW_STATUS;
    }
    sb_free(&id);
    if (kind == PLAN_ITEM) {
        t->task_open[p->items[index].task] = 1;
        t->goal_open[p->tasks[p->items[index].task].goal] = 1;
    } else if (kind == PLAN_TASK) {
        t->goal_open[p->tasks[index].goal] = 1;
    }
    ui_rows_rebuild(t);
    if (ui_rows_find(t, kind, index) < 0) {
        /* hidden by the filter or by hiding done items: show everything */
        ui_rows_filter_clear(t);
        t->hide_done = false;
        ui_rows_rebuild(t);
        ui_set_msg(u, false, "已清除筛选以显示 %s", text);
    }
    ui_rows_select(t, kind, index);
    return UI_DRAW_ALL;
}

/* --- keys --- */

static int tree_handle(ui_view *v, ui *u, int a, int key)
{
    (void)key;
    ui_tree *t = (ui_tree *)v;
    const ui_row *r = cur_row(t);
    switch (a) {
    case UI_ACT_UP:
    case UI_ACT_DOWN:
    case UI_ACT_PGUP:
    case UI_ACT_PGDN:
    case UI_ACT_FIRST:
    case UI_ACT_LAST:
        if (!t->n_rows)
            return 0;
        ui_scroll_act(&t->sc, a, t->n_rows, tree_height(u));
        return UI_DRAW_BODY | UI_DRAW_DETAIL;
    case UI_ACT_LEFT: return act_left(t);
    case UI_ACT_RIGHT: return act_right(t);
    case UI_ACT_TOGGLE:
        if (!r || r->kind == PLAN_ITEM)
            return 0;
        *open_flag(t, r) ^= 1;
        return UI_REBUILD;
    case UI_ACT_MARK:
        if (!r)
            return 0;
        if (r->kind == PLAN_ITEM)
            return mark_item(u, r->index);
        ui_view_push(u, ui_confirm_new(u, r->kind, r->index));
        return UI_DRAW_ALL;
    case UI_ACT_UNDO: return undo(u);
    case UI_ACT_NOTE:
    case UI_ACT_HISTORY:
        if (!r || r->kind != PLAN_ITEM) {
            ui_set_msg(u, false, a == UI_ACT_NOTE ? "进展情况记在事项上：请选择一个事项"
                                                  : "修改记录按事项查看：请选择一个事项");
            return UI_DRAW_STATUS;
        }
        ui_view_push(u, a == UI_ACT_NOTE ? ui_note_new(u, r->index) : ui_history_new(u, r->index));
        return UI_DRAW_ALL;
    case UI_ACT_SEARCH:
        ui_view_push(u, ui_search_new(u, tree_query(u) ? tree_query(u) : ""));
        return UI_DRAW_ALL;
    case UI_ACT_NEXT: return act_next(u, t, 1);
    case UI_ACT_PREV: return act_next(u, t, -1);
    case UI_ACT_CLEAR: return ui_tree_filter_clear(u);
    case UI_ACT_DUE: return ui_tree_filter_due(u);
    case UI_ACT_OVERVIEW:
        ui_view_push(u, ui_overview_new(u));
        return UI_DRAW_ALL;
    case UI_ACT_UNITS:
        ui_view_push(u, ui_units_new(u));
        return UI_DRAW_ALL;
    case UI_ACT_HIDE_DONE:
        t->hide_done = !t->hide_done;
        ui_set_msg(u, false, t->hide_done ? "已隐藏已完成的事项（d 显示）" : "显示全部事项");
        return UI_REBUILD | UI_DRAW_ALL;
    case UI_ACT_COLLAPSE_ALL:
        memset(t->goal_open, 0, t->p->n_goals);
        memset(t->task_open, 0, t->p->n_tasks);
        return UI_REBUILD;
    case UI_ACT_EXPAND_ALL:
        memset(t->goal_open, 1, t->p->n_goals);
        memset(t->task_open, 1, t->p->n_tasks);
        return UI_REBUILD;
    case UI_ACT_JUMP:
        ui_view_push(u, ui_jump_new(u));
        return UI_DRAW_ALL;
    case UI_ACT_HELP:
        ui_view_push(u, ui_help_new(u));
        return UI_DRAW_ALL;
    default: return 0;
    }
}

int ui_tree_move(ui *u, int action)
{
    return tree_handle(&tree_of(u)->v, u, action, UI_KEY_NONE);
}

static int tree_mouse(ui_view *v, ui *u, const MEVENT *m)
{
    ui_tree *t = (ui_tree *)v;
    if (!t->n_rows)
        return 0;
    int wheel = ui_mouse_wheel(m);
    if (wheel != UI_ACT_NONE) {
        ui_scroll_act(&t->sc, wheel, t->n_rows, tree_height(u));
        return UI_DRAW_BODY | UI_DRAW_DETAIL;
    }
    if (m->y < u->body_y || m->y >= u->body_y + u->body_h || m->x >= u->tree_w)
        return 0;
    size_t r = t->sc.top + (size_t)(m->y - u->body_y);
    if (r >= t->n_rows)
        return 0;
    const ui_row *row = &t->rows[r];
    int marker = 1 + row->depth * 2;
    t->sc.sel = r;
    if (row->kind != PLAN_ITEM && m->x >= marker && m->x <= marker + 1) {
        *open_flag(t, row) ^= 1;
        return UI_REBUILD;
    }
    return UI_DRAW_BODY | UI_DRAW_DETAIL;
}

/* --- layout and reloading --- */

static void tree_layout(ui_view *v, ui *u, int flags)
{
    ui_tree *t = (ui_tree *)v;
    if (flags & UI_REBUILD)
        ui_rows_rebuild(t);
    if (u->too_small)
        return;
    ui_scroll_clamp(&t->sc, t->n_rows, tree_height(u));
    ui_detail_layout(t, u);
}

static int tree_event(ui_view *v, ui *u, int ev)
{
    ui_tree *t = (ui_tree *)v;
    if (ev == UI_EV_RELOADING) {
        free(t->reload_sel);
        t->reload_sel = NULL;
        const ui_row *r = cur_row(t);
        if (r)
            t->reload_sel = xstrdup(r->kind == PLAN_GOAL   ? t->p->goals[r->index].id
                                    : r->kind == PLAN_TASK ? t->p->tasks[r->index].id
                                                           : t->p->items[r->index].id);
        return 0;
    }
    if (ev != UI_EV_RELOADED)
        return 0;
    char *label = t->filter_label ? xstrdup(t->filter_label) : NULL;
    int filter = t->filter;
    ui_rows_filter_clear(t);
    ui_rows_alloc(t);
    if (filter == UI_FILTER_QUERY) {
        ui_rows_filter_query(t, u->ix, label);
    } else if (filter == UI_FILTER_DUE) {
        ui_rows_filter_due(t);
    } else if (filter == UI_FILTER_UNIT) {
        uint32_t un;
        if (strmap_get(&t->p->unit_names, label, &un))
            ui_rows_filter_unit(t, u->ix, un);
    }
    free(label);
    ui_rows_rebuild(t);
    int kind;
    uint32_t index;
    if (t->reload_sel && plan_find_node(t->p, t->reload_sel, &kind, &index))
        ui_rows_select(t, kind, index);
    free(t->reload_sel);
    t->reload_sel = NULL;
    t->d_width = -1;
    return UI_DRAW_ALL;
}

/* --- drawing --- */

/* The due column of item i: its words shortened ("12-31", "持续"), with
 * the state's character without colour; its attribute in *a. */
static void due_cell(const ui *u, const plan_item *it, strbuf *out, attr_t *a)
{
    due_short(out, it->due, it->due_kind, it->due_ymd);
    int st = it->due_state;
    *a = st == DUE_S_OVERDUE ? u->attr[UI_C_OVERDUE]
       : st == DUE_S_SOON    ? u->attr[UI_C_SOON]
       : st == DUE_S_OPEN    ? u->attr[UI_C_ONTIME]
       : st == DUE_S_DONE    ? u->attr[UI_C_DONE] : u->attr[UI_C_NORMAL];
    if (!u->color)
        sb_adds(out, st == DUE_S_OVERDUE ? ui_glyph(UI_G_OVERDUE)
                   : st == DUE_S_SOON    ? ui_glyph(UI_G_SOON) : " ");
}

#define DUE_COL 6   /* "12-31!" */

static void draw_tree_row(const ui_tree *t, const ui *u, int y, const ui_row *r, bool selected)
{
    const plan *p = t->p;
    strbuf left = {0}, right = {0}, due = {0};
    attr_t due_a = A_NORMAL;
    uint32_t overdue = 0;
    attr_t a = u->attr[UI_C_NORMAL];
    int indent = 1 + r->depth * 2;
    if (r->kind == PLAN_GOAL) {
        const plan_goal *g = &p->goals[r->index];
        uint32_t done = t->hit ? t->f_goal_done[r->index] : g->done;
        uint32_t total = t->hit ? t->f_goal_total[r->index] : g->n_items;
        sb_adds(&left, ui_glyph(t->goal_open[r->index] ? UI_G_OPEN : UI_G_CLOSED));
        sb_addc(&left, ' ');
        ui_node_title(&left, p, PLAN_GOAL, r->index);
        sb_addf(&right, "%u/%u", done, total);
        overdue = t->hit ? t->f_goal_over[r->index] : g->overdue;
        a = done == total ? u->attr[UI_C_DONE] | A_BOLD : u->attr[UI_C_GOAL];
    } else if (r->kind == PLAN_TASK) {
        const plan_task *tk = &p->tasks[r->index];
        uint32_t done = t->hit ? t->f_task_done[r->index] : tk->done;
        uint32_t total = t->hit ? t->f_task_total[r->index] : tk->n_items;
        sb_adds(&left, ui_glyph(t->task_open[r->index] ? UI_G_OPEN : UI_G_CLOSED));
        sb_addc(&left, ' ');
        ui_node_title(&left, p, PLAN_TASK, r->index);
        sb_addf(&right, "%u/%u", done, total);
        overdue = t->hit ? t->f_task_over[r->index] : tk->overdue;
        if (done == total)
            a = u->attr[UI_C_DONE];
    } else {
        const plan_item *it = &p->items[r->index];
        sb_adds(&left, it->done ? "[x] " : "[ ] ");
        ui_node_title(&left, p, PLAN_ITEM, r->index);
        if (it->note)
            sb_adds(&right, ui_glyph(UI_G_NOTE));
        if (t->filter != UI_FILTER_DUE && t->hit && t->hit[r->index] == MATCH_GROUP)
            sb_adds(&right, "(组)");   /* found only through a group */
        if (it->due_kind != DUE_NONE)
            due_cell(u, it, &due, &due_a);
        if (it->done)
            a = u->attr[UI_C_DONE];
    }
    if (selected)
        a |= A_REVERSE;
    strbuf line = {0};
    for (int k = 0; k < indent; k++)
        sb_addc(&line, ' ');
    int w = u->tree_w - indent - 1;
    /* the right-hand column: an item's due, a goal's or task's overdue */
    if (overdue) {
        sb_addf(&due, "%u", overdue);
        sb_adds(&due, ui_glyph(UI_G_OVERDUE));
        due_a = u->attr[UI_C_OVERDUE];
    }
    /* the same for every row: shown when the pane has room for it */
    bool due_col = t->due_col && u->tree_w >= 2 * DUE_COL + 20;
    if (due_col)
        w -= DUE_COL + 1;
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
    if (due_col) {
        ui_put(y, 0, line.s, u->tree_w - DUE_COL - 1, a);
        int dx = u->tree_w - DUE_COL - 1;
        ui_put(y, dx, "", DUE_COL + 1, selected ? a : u->attr[UI_C_NORMAL]);
        int dw = (int)text_width(due.s ? due.s : "");
        if (dw)
            ui_put_fit(y, dx + 1 + (DUE_COL - dw > 0 ? DUE_COL - dw : 0), due.s, DUE_COL,
                       due_a | (selected ? A_REVERSE : 0));
    } else {
        ui_put(y, 0, line.s, u->tree_w, a);
    }
    sb_free(&due);
    sb_free(&line);
    sb_free(&left);
    sb_free(&right);
}

static void draw_tree(const ui_tree *t, const ui *u)
{
    if (t->n_rows == 0) {
        for (int y = 0; y < u->body_h; y++)
            ui_put(u->body_y + y, 0, "", u->tree_w, A_NORMAL);
        ui_put(u->body_y, 1, t->hit ? "（没有匹配的事项）" : "（没有未完成的事项）",
               u->tree_w - 1, A_NORMAL);
        return;
    }
    for (int y = 0; y < u->body_h; y++) {
        size_t r = t->sc.top + (size_t)y;
        if (r < t->n_rows)
            draw_tree_row(t, u, u->body_y + y, &t->rows[r], r == t->sc.sel);
        else
            ui_put(u->body_y + y, 0, "", u->tree_w, A_NORMAL);
    }
}

static void tree_draw(const ui_view *v, const ui *u, int flags)
{
    const ui_tree *t = (const ui_tree *)v;
    if (flags & UI_DRAW_BODY)
        draw_tree(t, u);
    ui_detail_draw(t, u);
}

/* --- the status line --- */

/* The active filter in at most w columns: "/sfj → 区司法局：4 项（牵头 4，
 * 责任 0，经组 0）"; the list of units is what gets cut. */
bool ui_tree_filter_status(const ui *u, strbuf *b, int w)
{
    const ui_tree *t = u->tree;
    const plan *p = t->p;
    if (t->filter == UI_FILTER_NONE)
        return false;
    const units_result *res = &t->res;
    if (t->filter == UI_FILTER_DUE) {
        size_t od = 0, soon = 0;
        for (size_t i = 0; i < p->n_items; i++)
            if (t->hit[i]) {
                od += p->items[i].due_state == DUE_S_OVERDUE;
                soon += p->items[i].due_state == DUE_S_SOON;
            }
        strbuf f = {0};
        sb_addf(&f, " o 逾期和临期：逾期 %zu 项，临期 %zu 项（Esc 清除）", od, soon);
        text_fit(b, f.s, (size_t)(w > 4 ? w : 4), false);
        sb_free(&f);
        return true;
    }
    strbuf head = {0}, units = {0}, tail = {0};
    if (t->filter == UI_FILTER_QUERY) {
        sb_adds(&head, " /");
        sb_adds(&head, t->filter_label);
        sb_addc(&head, ' ');
        sb_adds(&head, ui_glyph(UI_G_TO));
        sb_addc(&head, ' ');
    } else {
        sb_adds(&head, " 单位 ");
    }
    if (!res->n_units) {
        sb_adds(&tail, "没有匹配的单位");
    } else {
        for (size_t k = 0; k < res->n_units && k < 64; k++) {
            if (k)
                sb_adds(&units, "、");
            sb_adds(&units, p->units[res->units[k]].name);
        }
        if (res->n_units > 64)
            sb_adds(&units, ui_glyph(UI_G_ELLIPSIS));
        if (res->n_supp)
            sb_addf(&tail, "：%zu 项（牵头 %zu，责任 %zu，配合 %zu，经组 %zu）", res->n_items,
                    res->n_lead, res->n_resp, res->n_supp, res->n_group);
        else
            sb_addf(&tail, "：%zu 项（牵头 %zu，责任 %zu，经组 %zu）", res->n_items, res->n_lead,
                    res->n_resp, res->n_group);
    }
    sb_adds(b, head.s);
    if (units.len) {
        int room = w - (int)text_width(head.s) - (int)text_width(tail.s);
        if (room < (int)text_width(p->units[res->units[0]].name) + 1) {
            /* the first unit's name matters more than the breakdown */
            sb_reset(&tail);
            sb_addf(&tail, "：%zu 项", res->n_items);
            room = w - (int)text_width(head.s) - (int)text_width(tail.s);
        }
        text_fit(b, units.s, (size_t)(room > 4 ? room : 4), false);
    }
    sb_adds(b, tail.s);
    sb_free(&head);
    sb_free(&units);
    sb_free(&tail);
    return true;
}

void ui_tree_status_right(const ui *u, strbuf *r)
{
    const plan *p = u->p;
    if (u->tree->hide_done)
        sb_adds(r, "[隐藏已完成] ");
    if (p->overdue || p->soon) {
        sb_addf(r, "逾期 %zu", p->overdue);
        if (!u->color)
            sb_adds(r, ui_glyph(UI_G_OVERDUE));
        sb_addf(r, " 临期 %zu", p->soon);
        if (!u->color)
            sb_adds(r, ui_glyph(UI_G_SOON));
        sb_adds(r, "  ");
    }
    sb_addf(r, "完成 %zu/%zu (%d%%) ", p->done, p->n_items, ui_percent(p->done, p->n_items));
}

static bool tree_status(const ui_view *v, const ui *u, strbuf *out, int w)
{
    (void)v;
    return ui_tree_filter_status(u, out, w);
}

static void tree_free(ui_view *v)
{
    ui_tree *t = (ui_tree *)v;
    ui_rows_filter_clear(t);
    units_result_free(&t->res);
    ui_rows_free(t);
    ui_detail_free(t);
    free(t->reload_sel);
    free(t);
}

static const ui_view_ops tree_ops = {
    .name = "tree",
    .keys = tree_keys,
    .hints = UI_CTX_TREE,
    .area = UI_AREA_BODY,
    .layout = tree_layout,
    .draw = tree_draw,
    .handle = tree_handle,
    .mouse = tree_mouse,
    .event = tree_event,
    .status = tree_status,
    .free = tree_free,
};

ui_tree *ui_tree_new(ui *u)
{
    ui_tree *t = xcalloc(1, sizeof *t);
    t->v.ops = &tree_ops;
    t->p = u->p;
    t->sc.style = UI_SCROLL_VIEW;
    t->d_width = -1;
    ui_rows_alloc(t);
    return t;
}
