/* ui.c - the dashboard's loop, key table and actions.
 *
 * One static table binds keys to actions per context; the dispatcher and
 * the help screen both read it.  Each action returns UI_* redraw flags.
 * Every change of status goes through status_refresh then status_set or
 * status_undo at once: nothing is ever left unsaved.  A second without
 * input refreshes the status (marks made by another process appear) and
 * reloads the plan file if it changed on disk.
 *
 * Exit status: q, Ctrl-C (SIGINT) and the end of a test script leave with
 * 0; SIGTERM and SIGHUP with 128 + the signal number.  The terminal is
 * restored (endwin) on every way out. */
#include "ui.h"

#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <time.h>

#include "text.h"
#include "ui_int.h"

/* --- the key table --- */

enum { CTX_TREE, CTX_EDIT, CTX_UNITS, CTX_HELP, CTX_COUNT };

#define UI_ACTIONS(X) \
    X(NONE) X(UP) X(DOWN) X(PGUP) X(PGDN) X(FIRST) X(LAST) X(LEFT) X(RIGHT) \
    X(TOGGLE) X(MARK) X(UNDO) X(SEARCH) X(NEXT) X(PREV) X(UNITS) X(CLEAR) \
    X(HIDE_DONE) X(COLLAPSE_ALL) X(EXPAND_ALL) X(JUMP) X(REDRAW) X(HELP) X(QUIT) \
    X(ED_LEFT) X(ED_RIGHT) X(ED_HOME) X(ED_END) X(ED_BS) X(ED_DEL) X(ED_KILL) \
    X(ED_ACCEPT) X(ED_CANCEL) X(U_SORT) X(CLOSE)

enum {
#define UI_ACTION_ENUM(name) ACT_##name,
    UI_ACTIONS(UI_ACTION_ENUM)
#undef UI_ACTION_ENUM
};

typedef struct {
    int ctx;
    int key;
    int action;
    const char *name;   /* as the help shows it; NULL: an alias not shown */
    const char *help;   /* NULL: same as the row above */
} ui_binding;

#define K(k) UI_FKEY(KEY_##k)

static const ui_binding ui_bindings[] = {
    {CTX_TREE, K(UP), ACT_UP, "↑", "上一行"},
    {CTX_TREE, 'k', ACT_UP, "k", NULL},
    {CTX_TREE, K(DOWN), ACT_DOWN, "↓", "下一行"},
    {CTX_TREE, 'j', ACT_DOWN, "j", NULL},
    {CTX_TREE, K(PPAGE), ACT_PGUP, "PgUp", "上一屏"},
    {CTX_TREE, UI_CTRL('b'), ACT_PGUP, "Ctrl-B", NULL},
    {CTX_TREE, K(NPAGE), ACT_PGDN, "PgDn", "下一屏"},
    {CTX_TREE, UI_CTRL('f'), ACT_PGDN, "Ctrl-F", NULL},
    {CTX_TREE, K(HOME), ACT_FIRST, "Home", "第一行"},
    {CTX_TREE, 'g', ACT_FIRST, "g", NULL},
    {CTX_TREE, K(END), ACT_LAST, "End", "最后一行"},
    {CTX_TREE, 'G', ACT_LAST, "G", NULL},
    {CTX_TREE, K(LEFT), ACT_LEFT, "←", "折叠，或回到上一级"},
    {CTX_TREE, 'h', ACT_LEFT, "h", NULL},
    {CTX_TREE, K(RIGHT), ACT_RIGHT, "→", "展开，或进入第一个下级"},
    {CTX_TREE, 'l', ACT_RIGHT, "l", NULL},
    {CTX_TREE, '\r', ACT_TOGGLE, "Enter", "折叠 / 展开"},
    {CTX_TREE, '\n', ACT_TOGGLE, NULL, NULL},
    {CTX_TREE, K(ENTER), ACT_TOGGLE, NULL, NULL},
    {CTX_TREE, ' ', ACT_MARK, "Space", "标记完成 / 未完成（立即保存）；目标、任务上先询问"},
    {CTX_TREE, 'x', ACT_MARK, "x", NULL},
    {CTX_TREE, 'u', ACT_UNDO, "u", "撤销上一次标记（立即保存，可多次）"},
    {CTX_TREE, '/', ACT_SEARCH, "/", "按单位搜索：汉字、拼音或拼音首字母（如 sfj）"},
    {CTX_TREE, 'n', ACT_NEXT, "n", "下一个匹配事项"},
    {CTX_TREE, 'N', ACT_PREV, "N", "上一个匹配事项"},
    {CTX_TREE, UI_KEY_ESC, ACT_CLEAR, "Esc", "清除搜索"},
    {CTX_TREE, 'U', ACT_UNITS, "U", "单位列表：各单位的事项和完成情况"},
    {CTX_TREE, 'd', ACT_HIDE_DONE, "d", "隐藏 / 显示已完成事项"},
    {CTX_TREE, '-', ACT_COLLAPSE_ALL, "-", "全部折叠"},
    {CTX_TREE, '+', ACT_EXPAND_ALL, "+", "全部展开"},
    {CTX_TREE, '=', ACT_EXPAND_ALL, "=", NULL},
    {CTX_TREE, ':', ACT_JUMP, ":", "按编号跳转（如 2.3 或 1.4.2）"},
    {CTX_TREE, UI_CTRL('l'), ACT_REDRAW, "Ctrl-L", "重画屏幕"},
    {CTX_TREE, '?', ACT_HELP, "?", "帮助（本页）"},
    {CTX_TREE, K(F(1)), ACT_HELP, "F1", NULL},
    {CTX_TREE, 'q', ACT_QUIT, "q", "退出（所有更改都已保存）"},
    {CTX_TREE, UI_CTRL('c'), ACT_QUIT, "Ctrl-C", NULL},

    {CTX_EDIT, K(LEFT), ACT_ED_LEFT, "←", "光标左移一个字"},
    {CTX_EDIT, K(RIGHT), ACT_ED_RIGHT, "→", "光标右移一个字"},
    {CTX_EDIT, K(HOME), ACT_ED_HOME, "Home", "到行首"},
    {CTX_EDIT, UI_CTRL('a'), ACT_ED_HOME, "Ctrl-A", NULL},
    {CTX_EDIT, K(END), ACT_ED_END, "End", "到行尾"},
    {CTX_EDIT, UI_CTRL('e'), ACT_ED_END, "Ctrl-E", NULL},
    {CTX_EDIT, K(BACKSPACE), ACT_ED_BS, "Backspace", "删除前一个字"},
    {CTX_EDIT, 127, ACT_ED_BS, NULL, NULL},
    {CTX_EDIT, UI_CTRL('h'), ACT_ED_BS, "Ctrl-H", NULL},
    {CTX_EDIT, K(DC), ACT_ED_DEL, "Del", "删除光标处的字"},
    {CTX_EDIT, UI_CTRL('d'), ACT_ED_DEL, "Ctrl-D", NULL},
    {CTX_EDIT, UI_CTRL('u'), ACT_ED_KILL, "Ctrl-U", "删除光标前的全部"},
    {CTX_EDIT, K(UP), ACT_UP, "↑", "搜索时：树中上一行"},
    {CTX_EDIT, K(DOWN), ACT_DOWN, "↓", "搜索时：树中下一行"},
    {CTX_EDIT, '\r', ACT_ED_ACCEPT, "Enter", "确定（搜索：保留筛选）"},
    {CTX_EDIT, '\n', ACT_ED_ACCEPT, NULL, NULL},
    {CTX_EDIT, K(ENTER), ACT_ED_ACCEPT, NULL, NULL},
    {CTX_EDIT, UI_KEY_ESC, ACT_ED_CANCEL, "Esc", "取消（搜索：清除筛选）"},
    {CTX_EDIT, UI_CTRL('c'), ACT_QUIT, "Ctrl-C", "退出"},

    {CTX_UNITS, K(UP), ACT_UP, "↑", "上一个单位"},
    {CTX_UNITS, UI_CTRL('p'), ACT_UP, "Ctrl-P", NULL},
    {CTX_UNITS, K(DOWN), ACT_DOWN, "↓", "下一个单位"},
    {CTX_UNITS, UI_CTRL('n'), ACT_DOWN, "Ctrl-N", NULL},
    {CTX_UNITS, K(PPAGE), ACT_PGUP, "PgUp", "上一屏"},
    {CTX_UNITS, K(NPAGE), ACT_PGDN, "PgDn", "下一屏"},
    {CTX_UNITS, K(HOME), ACT_FIRST, "Home", "第一个"},
    {CTX_UNITS, K(END), ACT_LAST, "End", "最后一个"},
    {CTX_UNITS, '\t', ACT_U_SORT, "Tab", "按名称 / 按剩余事项数排序"},
    {CTX_UNITS, '\r', ACT_ED_ACCEPT, "Enter", "只显示这个单位的事项"},
    {CTX_UNITS, '\n', ACT_ED_ACCEPT, NULL, NULL},
    {CTX_UNITS, K(ENTER), ACT_ED_ACCEPT, NULL, NULL},
    {CTX_UNITS, UI_KEY_ESC, ACT_CLOSE, "Esc", "返回（输入的文字筛选单位列表）"},
    {CTX_UNITS, UI_CTRL('c'), ACT_QUIT, "Ctrl-C", "退出"},

    {CTX_HELP, K(UP), ACT_UP, "↑", "向上滚动"},
    {CTX_HELP, 'k', ACT_UP, "k", NULL},
    {CTX_HELP, K(DOWN), ACT_DOWN, "↓", "向下滚动"},
    {CTX_HELP, 'j', ACT_DOWN, "j", NULL},
    {CTX_HELP, K(PPAGE), ACT_PGUP, "PgUp", "上一屏"},
    {CTX_HELP, K(NPAGE), ACT_PGDN, "PgDn", "下一屏"},
    {CTX_HELP, ' ', ACT_PGDN, NULL, NULL},
    {CTX_HELP, 'q', ACT_CLOSE, "q", "返回（其他键也返回）"},
    {CTX_HELP, UI_KEY_ESC, ACT_CLOSE, "Esc", NULL},
    {CTX_HELP, '?', ACT_CLOSE, "?", NULL},
    {CTX_HELP, UI_CTRL('c'), ACT_QUIT, NULL, NULL},
};

#undef K

static int ui_lookup(int ctx, int key)
{
    for (size_t k = 0; k < sizeof ui_bindings / sizeof ui_bindings[0]; k++)
        if (ui_bindings[k].ctx == ctx && ui_bindings[k].key == key)
            return ui_bindings[k].action;
    return ACT_NONE;
}

void ui_help_build(ui *u)
{
    static const char *const heads[CTX_COUNT] = {
        "#树（主界面）",
        "#输入行（/ 搜索、: 跳转、单位筛选）",
        "#单位列表（U）",
        "#帮助",
    };
    strbuf *b = &u->help;
    size_t n = sizeof ui_bindings / sizeof ui_bindings[0];
    int keyw = 0;
    /* the widest run of key names decides the column of the help texts */
    for (size_t k = 0; k < n;) {
        int w = 0;
        size_t j = k;
        for (; j < n && ui_bindings[j].ctx == ui_bindings[k].ctx &&
               ui_bindings[j].action == ui_bindings[k].action;
             j++)
            if (ui_bindings[j].name)
                w += (int)text_width(ui_bindings[j].name) + 1;
        if (w > keyw)
            keyw = w;
        k = j;
    }
    sb_reset(b);
    int ctx = -1;
    for (size_t k = 0; k < n;) {
        if (ui_bindings[k].ctx != ctx) {
            ctx = ui_bindings[k].ctx;
            if (ctx != CTX_TREE)
                sb_addc(b, '\n');
            sb_adds(b, heads[ctx]);
            sb_addc(b, '\n');
        }
        strbuf keys = {0};
        size_t j = k;
        for (; j < n && ui_bindings[j].ctx == ctx &&
               ui_bindings[j].action == ui_bindings[k].action;
             j++)
            if (ui_bindings[j].name) {
                if (keys.len)
                    sb_addc(&keys, ' ');
                sb_adds(&keys, ui_bindings[j].name);
            }
        if (keys.len) {
            sb_adds(b, "  ");
            text_fit(b, keys.s, (size_t)keyw + 1, true);
            sb_adds(b, ui_bindings[k].help ? ui_bindings[k].help : "");
            sb_addc(b, '\n');
        }
        sb_free(&keys);
        k = j;
    }
    sb_adds(b, "\n#鼠标\n  单击选择一行，单击 ▸/▾ 折叠或展开，滚轮滚动\n");
}

/* --- the line editor --- */

void ui_edit_set(ui_edit *e, const char *s)
{
    sb_reset(&e->buf);
    sb_adds(&e->buf, s);
    e->cur = e->buf.len;
}

void ui_edit_insert(ui_edit *e, uint32_t cp)
{
    char enc[4];
    size_t k = utf8_encode(cp, enc);
    sb_add(&e->buf, enc, k);   /* grow, then shift the tail right */
    memmove(e->buf.s + e->cur + k, e->buf.s + e->cur, e->buf.len - k - e->cur);
    memcpy(e->buf.s + e->cur, enc, k);
    e->cur += k;
}

/* Start of the character before byte offset at. */
static size_t prev_char(const ui_edit *e, size_t at)
{
    while (at > 0) {
        at--;
        if (((unsigned char)e->buf.s[at] & 0xC0) != 0x80)
            break;
    }
    return at;
}

void ui_edit_left(ui_edit *e)
{
    e->cur = prev_char(e, e->cur);
}

void ui_edit_right(ui_edit *e)
{
    uint32_t cp;
    if (e->cur < e->buf.len)
        e->cur += utf8_decode(e->buf.s + e->cur, e->buf.len - e->cur, &cp);
}

static void edit_cut(ui_edit *e, size_t a, size_t b)
{
    memmove(e->buf.s + a, e->buf.s + b, e->buf.len - b + 1);
    e->buf.len -= b - a;
    e->cur = a;
}

void ui_edit_backspace(ui_edit *e)
{
    if (e->cur > 0)
        edit_cut(e, prev_char(e, e->cur), e->cur);
}

void ui_edit_delete(ui_edit *e)
{
    size_t c = e->cur;
    ui_edit_right(e);
    if (e->cur > c)
        edit_cut(e, c, e->cur);
}

void ui_edit_kill(ui_edit *e)
{
    if (e->cur > 0)
        edit_cut(e, 0, e->cur);
}

/* Apply an editing key; returns whether it was one that changes or moves. */
static bool edit_key(ui_edit *e, int action, int key)
{
    switch (action) {
    case ACT_ED_LEFT: ui_edit_left(e); return true;
    case ACT_ED_RIGHT: ui_edit_right(e); return true;
    case ACT_ED_HOME: e->cur = 0; return true;
    case ACT_ED_END: e->cur = e->buf.len; return true;
    case ACT_ED_BS: ui_edit_backspace(e); return true;
    case ACT_ED_DEL: ui_edit_delete(e); return true;
    case ACT_ED_KILL: ui_edit_kill(e); return true;
    default: break;
    }
    if (action == ACT_NONE && key >= 0x20 && key < 0x110000 && key != 0x7F &&
        text_visible((uint32_t)key, TEXT_ONELINE) == (uint32_t)key && e->buf.len < 256) {
        ui_edit_insert(e, (uint32_t)key);
        return true;
    }
    return false;
}

/* --- status changes --- */

/* Show the last non-fatal error, if any, and forget them. */
static int show_errors(ui *u)
{
    if (!u->msgs.n)
        return 0;
    const char *t = u->msgs.v[u->msgs.n - 1].text;
    ui_set_msg(u, true, "%s", t);
    diags_clear(&u->msgs);
    return UI_DRAW_STATUS;
}

static int refresh_status(ui *u)
{
    bool changed = false;
    if (status_refresh(u->s, u->p, &changed, &u->msgs) < 0)
        return show_errors(u);
    if (!changed)
        return 0;
    if (u->mode == UI_MODE_UNITS) {
        ui_units_count(u);
        ui_units_list(u);
    }
    return UI_REBUILD | UI_DRAW_ALL;
}

static int set_items(ui *u, const char *const *ids, const bool *done, size_t n)
{
    if (status_set(u->s, u->p, ids, done, n, &u->msgs) < 0)
        return show_errors(u) | UI_DRAW_ALL;
    return UI_REBUILD | UI_DRAW_ALL;
}

static int mark_item(ui *u, uint32_t i)
{
    int f = refresh_status(u);
    const plan_item *it = &u->p->items[i];
    bool want = !it->done;
    const char *id = it->id;
    int r = set_items(u, &id, &want, 1);
    if (!u->msg)
        ui_set_msg(u, false, want ? "%s 已标为完成" : "%s 已改为未完成", id);
    return f | r;
}

/* Mark every item of a goal or task; unmark them all if all are done. */
static int mark_range(ui *u, int kind, uint32_t index)
{
    int f = refresh_status(u);
    const plan *p = u->p;
    uint32_t first, n, done;
    if (kind == PLAN_GOAL)
        first = p->goals[index].first_item, n = p->goals[index].n_items,
        done = p->goals[index].done;
    else
        first = p->tasks[index].first_item, n = p->tasks[index].n_items,
        done = p->tasks[index].done;
    bool want = done != n;
    const char **ids = xmalloc((n + 1) * sizeof *ids);
    bool *d = xmalloc(n + 1);
    for (uint32_t k = 0; k < n; k++) {
        ids[k] = p->items[first + k].id;
        d[k] = want;
    }
    f |= set_items(u, ids, d, n);
    free(ids);
    free(d);
    if (!u->msg)
        ui_set_msg(u, false, want ? "%u 项已全部标为完成" : "%u 项已全部改为未完成", n);
    return f;
}

static int undo(ui *u)
{
    int f = refresh_status(u);
    int r = status_undo(u->s, u->p, &u->msgs);
    if (r < 0)
        return f | show_errors(u);
    if (r == 0) {
        ui_set_msg(u, false, "没有可撤销的更改");
        return f | UI_DRAW_STATUS;
    }
    ui_set_msg(u, false, "已撤销（还可撤销 %zu 次）", status_undo_depth(u->s));
    return f | UI_REBUILD | UI_DRAW_ALL;
}

/* --- the plan file --- */

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The plan changed on disk: load it again and put it in place of the old
 * one (the caller's plan object keeps its address), keeping the filter,
 * the selection (by id) and the status. */
static int reload_plan(ui *u)
{
    diags d = {0};
    plan *np = plan_load(u->plan_path, &d);
    if (!np) {
        /* keep showing the plan we have; say why the new one was refused */
        const char *why = "plandash: error: the plan could not be reloaded";
        for (size_t k = 0; k < d.n; k++)
            if (d.v[k].level == DIAG_ERROR) {
                why = d.v[k].text;
                break;
            }
        ui_set_msg(u, true, "%s", why);
        diags_free(&d);
        return UI_DRAW_STATUS;
    }
    diags_free(&d);
    char *sel_id = NULL;
    if (u->n_rows) {
        const ui_row *r = &u->rows[u->sel];
        const plan *p = u->p;
        sel_id = xstrdup(r->kind == PLAN_GOAL   ? p->goals[r->index].id
                         : r->kind == PLAN_TASK ? p->tasks[r->index].id
                                                : p->items[r->index].id);
    }
    char *label = u->filter_label ? xstrdup(u->filter_label) : NULL;
    int filter = u->filter;
    ui_filter_clear(u);
    plan tmp = *u->p;
    *u->p = *np;
    *np = tmp;
    plan_free(np);
    status_apply(u->s, u->p);
    units_index_free(u->ix);
    u->ix = units_index_new(u->p);
    ui_rows_alloc(u);
    if (filter == UI_FILTER_QUERY) {
        ui_filter_query(u, label);
    } else if (filter == UI_FILTER_UNIT) {
        uint32_t un;
        if (strmap_get(&u->p->unit_names, label, &un))
            ui_filter_unit(u, un);
    }
    free(label);
    ui_rows_rebuild(u);
    int kind;
    uint32_t index;
    if (sel_id && plan_find_node(u->p, sel_id, &kind, &index))
        ui_rows_select(u, kind, index);
    free(sel_id);
    if (u->mode == UI_MODE_UNITS || u->mode == UI_MODE_CONFIRM)
        u->mode = UI_MODE_TREE;
    ui_detail_invalidate(u);
    const char *base = strrchr(u->plan_path, '/');
    ui_set_msg(u, false, "已重新载入 %s", base ? base + 1 : u->plan_path);
    return UI_DRAW_ALL | UI_CLEAR;
}

static int tick(ui *u)
{
    int f = refresh_status(u);
    struct stat st;
    if (stat(u->plan_path, &st) != 0) {
        /* The plan vanished (or is being replaced): keep showing the one
         * we have, and say so once. */
        if (u->plan_st_ok) {
            u->plan_st_ok = false;
            ui_set_msg(u, true, "%s: error: the plan file is gone (%s); showing the plan as loaded, marks are still saved", u->plan_path, strerror(errno));
            f |= UI_DRAW_STATUS;
        }
    } else if (!u->plan_st_ok || !same_file(&st, &u->plan_st)) {
        u->plan_st = st;
        u->plan_st_ok = true;
        f |= reload_plan(u);
    }
    return f;
}

/* --- tree actions --- */

static const ui_row *cur_row(const ui *u)
{
    return u->n_rows ? &u->rows[u->sel] : NULL;
}

static int move_to(ui *u, long r)
{
    if (!u->n_rows)
        return 0;
    if (r < 0)
        r = 0;
    if ((size_t)r >= u->n_rows)
        r = (long)u->n_rows - 1;
    u->sel = (size_t)r;
    return UI_DRAW_TREE | UI_DRAW_DETAIL;
}

static uint8_t *open_flag(ui *u, const ui_row *r)
{
    return r->kind == PLAN_GOAL ? &u->goal_open[r->index] : &u->task_open[r->index];
}

static int act_left(ui *u)
{
    const ui_row *r = cur_row(u);
    if (!r)
        return 0;
    if (r->kind != PLAN_ITEM && *open_flag(u, r)) {
        *open_flag(u, r) = 0;
        return UI_REBUILD;
    }
    if (r->kind == PLAN_GOAL)
        return 0;
    uint32_t parent = r->kind == PLAN_ITEM ? u->p->items[r->index].task
                                           : u->p->tasks[r->index].goal;
    return move_to(u, ui_rows_find(u, r->kind == PLAN_ITEM ? PLAN_TASK : PLAN_GOAL, parent));
}

static int act_right(ui *u)
{
    const ui_row *r = cur_row(u);
    if (!r || r->kind == PLAN_ITEM)
        return 0;
    if (!*open_flag(u, r)) {
        *open_flag(u, r) = 1;
        return UI_REBUILD;
    }
    if (u->sel + 1 < u->n_rows && u->rows[u->sel + 1].depth > r->depth)
        return move_to(u, (long)u->sel + 1);
    return 0;
}

/* Open the goal and task above item i and select it. */
static int reveal_item(ui *u, uint32_t i)
{
    uint32_t t = u->p->items[i].task;
    u->task_open[t] = 1;
    u->goal_open[u->p->tasks[t].goal] = 1;
    ui_rows_rebuild(u);
    ui_rows_select(u, PLAN_ITEM, i);
    return UI_DRAW_TREE | UI_DRAW_DETAIL | UI_DRAW_STATUS;
}

static int act_next(ui *u, int dir)
{
    const plan *p = u->p;
    if (!u->hit) {
        ui_set_msg(u, false, "没有进行中的搜索：按 / 搜索单位");
        return UI_DRAW_STATUS;
    }
    size_t n = p->n_items;
    if (!n)
        return 0;
    const ui_row *r = cur_row(u);
    size_t start;
    if (!r)
        start = dir > 0 ? 0 : n - 1;
    else if (r->kind == PLAN_ITEM)
        start = (r->index + (dir > 0 ? 1 : n - 1)) % n;
    else {
        uint32_t first = r->kind == PLAN_GOAL ? p->goals[r->index].first_item
                                              : p->tasks[r->index].first_item;
        start = dir > 0 ? first : (first + n - 1) % n;
    }
    for (size_t k = 0; k < n; k++) {
        size_t i = dir > 0 ? (start + k) % n : (start + n - k) % n;
        if (u->hit[i] && ui_item_shown(u, (uint32_t)i)) {
            size_t pos = 0, all = 0;
            for (size_t j = 0; j < n; j++)
                if (u->hit[j] && ui_item_shown(u, (uint32_t)j)) {
                    all++;
                    pos += j <= i;
                }
            int f = reveal_item(u, (uint32_t)i);
            ui_set_msg(u, false, "匹配事项 %zu/%zu：%s", pos, all, p->items[i].id);
            return f;
        }
    }
    ui_set_msg(u, false, "没有匹配的事项");
    return UI_DRAW_STATUS;
}

/* After the filter changed: keep the selection if it is a matching item,
 * else go to the first matching item. */
static void select_first_hit(ui *u)
{
    const ui_row *r = cur_row(u);
    if (!r || (r->kind == PLAN_ITEM && u->hit && u->hit[r->index]))
        return;
    for (size_t k = 0; k < u->n_rows; k++)
        if (u->rows[k].kind == PLAN_ITEM) {
            u->sel = k;
            return;
        }
}

static int apply_filter_change(ui *u)
{
    ui_open_hits(u);
    ui_rows_rebuild(u);
    select_first_hit(u);
    return UI_DRAW_TREE | UI_DRAW_DETAIL | UI_DRAW_STATUS;
}

static int act_jump(ui *u, const char *text)
{
    const plan *p = u->p;
    strbuf id = {0};
    size_t n = strlen(text);
    while (n && (text[n - 1] == ' ' || text[n - 1] == '.'))
        n--;
    while (n && *text == ' ')
        text++, n--;
    sb_add(&id, text, n);
    int kind;
    uint32_t index;
    if (!id.len || !plan_find_node(p, id.s, &kind, &index)) {
        if (id.len)
            ui_set_msg(u, true, "没有编号为 %s 的目标、任务或事项", id.s);
        sb_free(&id);
        return UI_DRAW_STATUS;
    }
    sb_free(&id);
    if (kind == PLAN_ITEM) {
        u->task_open[p->items[index].task] = 1;
        u->goal_open[p->tasks[p->items[index].task].goal] = 1;
    } else if (kind == PLAN_TASK) {
        u->goal_open[p->tasks[index].goal] = 1;
    }
    ui_rows_rebuild(u);
    if (ui_rows_find(u, kind, index) < 0) {
        /* hidden by the filter or by hiding done items: show everything */
        ui_filter_clear(u);
        u->hide_done = false;
        ui_rows_rebuild(u);
        ui_set_msg(u, false, "已清除筛选以显示 %s", text);
    }
    ui_rows_select(u, kind, index);
    return UI_DRAW_ALL;
}

static int tree_action(ui *u, int a)
{
    const ui_row *r = cur_row(u);
    int h = ui_tree_height(u);
    switch (a) {
    case ACT_UP: return move_to(u, (long)u->sel - 1);
    case ACT_DOWN: return move_to(u, (long)u->sel + 1);
    case ACT_PGUP:
        u->top = u->top > (size_t)h ? u->top - (size_t)h : 0;
        return move_to(u, (long)u->sel - h);
    case ACT_PGDN:
        u->top += (size_t)h;
        return move_to(u, (long)u->sel + h);
    case ACT_FIRST: return move_to(u, 0);
    case ACT_LAST: return move_to(u, (long)u->n_rows - 1);
    case ACT_LEFT: return act_left(u);
    case ACT_RIGHT: return act_right(u);
    case ACT_TOGGLE:
        if (!r || r->kind == PLAN_ITEM)
            return 0;
        *open_flag(u, r) ^= 1;
        return UI_REBUILD;
    case ACT_MARK:
        if (!r)
            return 0;
        if (r->kind == PLAN_ITEM)
            return mark_item(u, r->index);
        u->mode = UI_MODE_CONFIRM;
        u->confirm_kind = r->kind;
        u->confirm_index = r->index;
        return UI_DRAW_ALL;
    case ACT_UNDO: return undo(u);
    case ACT_SEARCH:
        u->mode = UI_MODE_SEARCH;
        ui_edit_set(&u->edit, u->filter == UI_FILTER_QUERY ? u->filter_label : "");
        return UI_DRAW_ALL;
    case ACT_NEXT: return act_next(u, 1);
    case ACT_PREV: return act_next(u, -1);
    case ACT_CLEAR:
        if (u->filter == UI_FILTER_NONE)
            return 0;
        ui_filter_clear(u);
        return UI_REBUILD | UI_DRAW_ALL;
    case ACT_UNITS:
        u->mode = UI_MODE_UNITS;
        ui_edit_set(&u->ufilter, "");
        ui_units_count(u);
        u->n_ulist = 0;
        if (u->filter == UI_FILTER_UNIT) {
            u->ulist[0] = u->ex_unit;   /* start on the unit being shown */
            u->n_ulist = 1;
            u->usel = 0;
        }
        u->utop = 0;
        ui_units_list(u);
        return UI_DRAW_ALL;
    case ACT_HIDE_DONE:
        u->hide_done = !u->hide_done;
        ui_set_msg(u, false, u->hide_done ? "已隐藏已完成的事项（d 显示）" : "显示全部事项");
        return UI_REBUILD | UI_DRAW_ALL;
    case ACT_COLLAPSE_ALL:
        memset(u->goal_open, 0, u->p->n_goals);
        memset(u->task_open, 0, u->p->n_tasks);
        return UI_REBUILD;
    case ACT_EXPAND_ALL:
        memset(u->goal_open, 1, u->p->n_goals);
        memset(u->task_open, 1, u->p->n_tasks);
        return UI_REBUILD;
    case ACT_JUMP:
        u->mode = UI_MODE_JUMP;
        ui_edit_set(&u->edit, "");
        return UI_DRAW_ALL;
    case ACT_REDRAW: return UI_CLEAR | UI_DRAW_ALL;
    case ACT_HELP:
        u->mode = UI_MODE_HELP;
        u->help_top = 0;
        return UI_DRAW_ALL;
    case ACT_QUIT: u->quit = true; return 0;
    default: return 0;
    }
}

/* --- the mouse --- */

static int mouse(ui *u)
{
    MEVENT *m = &u->mouse;
    int wheel = (m->bstate & BUTTON4_PRESSED) ? -3 : (m->bstate & BUTTON5_PRESSED) ? 3 : 0;
    int h = u->body_h;
    if (u->mode == UI_MODE_HELP) {
        if (wheel < 0)
            u->help_top = u->help_top > 3 ? u->help_top - 3 : 0;
        else if (wheel > 0)
            u->help_top += 3;
        return UI_DRAW_TREE;
    }
    if (u->mode == UI_MODE_UNITS) {
        if (wheel)
            u->usel = wheel < 0 ? (u->usel > 3 ? u->usel - 3 : 0) : u->usel + 3;
        else if (m->y >= u->body_y + 2 && m->y < u->body_y + h)
            u->usel = u->utop + (size_t)(m->y - u->body_y - 2);
        if (u->usel >= u->n_ulist)
            u->usel = u->n_ulist ? u->n_ulist - 1 : 0;
        return UI_DRAW_TREE;
    }
    if (u->mode != UI_MODE_TREE || !u->n_rows)
        return 0;
    if (wheel) {
        if (wheel < 0)
            u->top = u->top > 3 ? u->top - 3 : 0;
        else if (u->top + (size_t)h < u->n_rows)
            u->top += 3;
        if (u->top + (size_t)h > u->n_rows)
            u->top = u->n_rows > (size_t)h ? u->n_rows - (size_t)h : 0;
        /* the selection follows into view */
        if (u->sel < u->top)
            u->sel = u->top;
        if (u->sel >= u->top + (size_t)h)
            u->sel = u->top + (size_t)h - 1;
        return UI_DRAW_TREE | UI_DRAW_DETAIL;
    }
    if (m->y < u->body_y || m->y >= u->body_y + h || m->x >= u->tree_w)
        return 0;
    size_t r = u->top + (size_t)(m->y - u->body_y);
    if (r >= u->n_rows)
        return 0;
    const ui_row *row = &u->rows[r];
    int marker = 1 + row->depth * 2;
    u->sel = r;
    if (row->kind != PLAN_ITEM && m->x >= marker && m->x <= marker + 1) {
        *open_flag(u, row) ^= 1;
        return UI_REBUILD;
    }
    return UI_DRAW_TREE | UI_DRAW_DETAIL;
}

/* --- dispatch per mode --- */

static int key_edit_mode(ui *u, int key)
{
    int a = ui_lookup(CTX_EDIT, key);
    if (a == ACT_QUIT) {
        u->quit = true;
        return 0;
    }
    if (u->mode == UI_MODE_SEARCH) {
        if (a == ACT_ED_ACCEPT) {
            u->mode = UI_MODE_TREE;
            if (!u->edit.buf.len && u->filter != UI_FILTER_NONE) {
                ui_filter_clear(u);
                return UI_REBUILD | UI_DRAW_ALL;
            }
            return UI_DRAW_ALL;
        }
        if (a == ACT_ED_CANCEL) {
            u->mode = UI_MODE_TREE;
            ui_filter_clear(u);
            return UI_REBUILD | UI_DRAW_ALL;
        }
        if (a == ACT_UP || a == ACT_DOWN)   /* moving in the tree while typing */
            return tree_action(u, a) | UI_DRAW_STATUS;
        char *old = xstrdup(ui_edit_text(&u->edit));
        int f = 0;
        if (edit_key(&u->edit, a, key)) {
            f = UI_DRAW_STATUS;
            if (strcmp(old, ui_edit_text(&u->edit)) != 0) {   /* not a mere move */
                ui_filter_query(u, ui_edit_text(&u->edit));
                f |= apply_filter_change(u);
            }
        }
        free(old);
        return f;
    }
    /* the jump line */
    if (a == ACT_ED_ACCEPT) {
        u->mode = UI_MODE_TREE;
        char *t = xstrdup(ui_edit_text(&u->edit));
        int f = act_jump(u, t);
        free(t);
        return f | UI_DRAW_ALL;
    }
    if (a == ACT_ED_CANCEL) {
        u->mode = UI_MODE_TREE;
        return UI_DRAW_ALL;
    }
    return edit_key(&u->edit, a, key) ? UI_DRAW_STATUS : 0;
}

static int key_units_mode(ui *u, int key)
{
    int a = ui_lookup(CTX_UNITS, key);
    int rows = u->body_h - 2 > 1 ? u->body_h - 2 : 1;
    switch (a) {
    case ACT_UP:
        if (u->usel)
            u->usel--;
        return UI_DRAW_TREE;
    case ACT_DOWN:
        if (u->usel + 1 < u->n_ulist)
            u->usel++;
        return UI_DRAW_TREE;
    case ACT_PGUP:
        u->usel = u->usel > (size_t)rows ? u->usel - (size_t)rows : 0;
        return UI_DRAW_TREE;
    case ACT_PGDN:
        u->usel += (size_t)rows;
        if (u->usel >= u->n_ulist)
            u->usel = u->n_ulist ? u->n_ulist - 1 : 0;
        return UI_DRAW_TREE;
    case ACT_FIRST: u->usel = 0; return UI_DRAW_TREE;
    case ACT_LAST: u->usel = u->n_ulist ? u->n_ulist - 1 : 0; return UI_DRAW_TREE;
    case ACT_U_SORT:
        u->usort = u->usort == UI_SORT_NAME ? UI_SORT_LEFT : UI_SORT_NAME;
        ui_units_list(u);
        return UI_DRAW_TREE;
    case ACT_ED_ACCEPT:
        if (!u->n_ulist)
            return 0;
        u->mode = UI_MODE_TREE;
        ui_filter_unit(u, u->ulist[u->usel]);
        return apply_filter_change(u) | UI_DRAW_ALL;
    case ACT_CLOSE: u->mode = UI_MODE_TREE; return UI_DRAW_ALL;
    case ACT_QUIT: u->quit = true; return 0;
    default: break;
    }
    if (edit_key(&u->ufilter, ui_lookup(CTX_EDIT, key), key)) {
        u->n_ulist = 0;   /* a new filter starts at its first unit */
        u->utop = 0;
        ui_units_list(u);
        return UI_DRAW_TREE;
    }
    return 0;
}

static int key_help_mode(ui *u, int key)
{
    int a = ui_lookup(CTX_HELP, key);
    int h = u->body_h;
    switch (a) {
    case ACT_UP:
        if (u->help_top)
            u->help_top--;
        return UI_DRAW_TREE;
    case ACT_DOWN: u->help_top++; return UI_DRAW_TREE;
    case ACT_PGUP:
        u->help_top = u->help_top > (size_t)h ? u->help_top - (size_t)h : 0;
        return UI_DRAW_TREE;
    case ACT_PGDN: u->help_top += (size_t)h; return UI_DRAW_TREE;
    case ACT_QUIT: u->quit = true; return 0;
    default: u->mode = UI_MODE_TREE; return UI_DRAW_ALL;
    }
}

static int ui_key(ui *u, int key)
{
    if (u->too_small) {
        /* nothing is acted on unseen: only quitting works */
        if (key == 'q' || key == UI_CTRL('c'))
            u->quit = true;
        return 0;
    }
    if (key == UI_FKEY(KEY_MOUSE))
        return mouse(u);
    switch (u->mode) {
    case UI_MODE_SEARCH:
    case UI_MODE_JUMP:
        return key_edit_mode(u, key);
    case UI_MODE_CONFIRM:
        u->mode = UI_MODE_TREE;
        if (key == 'y' || key == 'Y')
            return mark_range(u, u->confirm_kind, u->confirm_index) | UI_DRAW_ALL;
        if (key == UI_CTRL('c')) {
            u->quit = true;
            return 0;
        }
        ui_set_msg(u, false, "已取消");
        return UI_DRAW_ALL;
    case UI_MODE_UNITS:
        return key_units_mode(u, key);
    case UI_MODE_HELP:
        return key_help_mode(u, key);
    default:
        return tree_action(u, ui_lookup(CTX_TREE, key));
    }
}

/* --- the loop --- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void ui_free(ui *u)
{
    ui_filter_clear(u);
    units_result_free(&u->res);
    units_index_free(u->ix);
    free(u->ex_item_hit);
    free(u->ex_unit_hit);
    ui_rows_free(u);
    sb_free(&u->edit.buf);
    sb_free(&u->ufilter.buf);
    sb_free(&u->d_text);
    sb_free(&u->help);
    free(u->d_line);
    free(u->msg);
    diags_free(&u->msgs);
}

/* Test mode: PLANDASH_TEST_TIMING names a file that gets a line
 * "first_frame<TAB>US" (from PLANDASH_TEST_T0, the process's start in
 * CLOCK_MONOTONIC microseconds, else from ui_run's start) and then, per
 * key, "KEYCODE<TAB>US<TAB>US": from reading the key to the doupdate()
 * that shows it, and to being ready to read the next key
 * (tests/bench/run-bench.sh reads it). */
typedef struct {
    FILE *f;
    double t;      /* when the key was read, or the start */
    double frame;  /* when its doupdate() ended; 0: not yet */
    int key;       /* the key being timed; UI_KEY_NONE: none */
} ui_timing;

static void timing_open(ui_timing *tm, const ui *u, double start)
{
    const char *path = getenv("PLANDASH_TEST_TIMING"), *t0 = getenv("PLANDASH_TEST_T0");
    tm->f = u->headless && path && *path ? fopen(path, "a") : NULL;
    tm->t = t0 && *t0 ? strtod(t0, NULL) / 1e6 : start;
    tm->frame = 0;
    tm->key = UI_KEY_NONE;
}

/* After a doupdate(): the first frame, or the frame of the key. */
static void timing_frame(ui_timing *tm)
{
    if (!tm->f)
        return;
    if (tm->frame == 0 && tm->key == UI_KEY_NONE)
        fprintf(tm->f, "first_frame\t%.0f\n", (now_seconds() - tm->t) * 1e6);
    tm->frame = now_seconds();
}

/* Before reading a key: the last one is done; then time the next. */
static void timing_ready(ui_timing *tm)
{
    if (!tm->f || tm->key == UI_KEY_NONE)
        return;
    fprintf(tm->f, "%d\t%.0f\t%.0f\n", tm->key, (tm->frame - tm->t) * 1e6,
            (now_seconds() - tm->t) * 1e6);
    tm->key = UI_KEY_NONE;
}

static void timing_key(ui_timing *tm, int key)
{
    tm->key = key;
    tm->t = now_seconds();
}

int ui_run(plan *p, status *s, const char *plan_path, diags *d)
{
    ui u;
    memset(&u, 0, sizeof u);
    u.p = p;
    u.s = s;
    u.plan_path = plan_path;
    u.d_width = -1;
    double start = now_seconds();
    u.ix = units_index_new(p);
    ui_rows_alloc(&u);
    u.plan_st_ok = stat(plan_path, &u.plan_st) == 0;
    if (ui_term_open(&u, d) < 0) {
        ui_free(&u);
        return 1;
    }
    ui_timing tm;
    timing_open(&tm, &u, start);
    ui_rows_rebuild(&u);
    int flags = UI_DRAW_ALL | UI_CLEAR;
    double last_tick = now_seconds();
    for (;;) {
        if (flags & UI_REBUILD) {
            ui_rows_rebuild(&u);
            flags |= UI_DRAW_TREE | UI_DRAW_DETAIL | UI_DRAW_STATUS;
        }
        if (flags & (UI_CLEAR | UI_RELAYOUT)) {
            if (flags & UI_CLEAR)
                clearok(curscr, TRUE);
            erase();
            flags |= UI_DRAW_ALL;
        }
        if (flags & UI_DRAW_ALL)
            ui_draw(&u, flags);
        doupdate();
        timing_frame(&tm);
        flags = 0;
        if (ui_signal || u.quit)
            break;
        timing_ready(&tm);
        int key = ui_term_key(&u);
        timing_key(&tm, key);
        if (ui_signal || u.quit)
            break;
        if (key == UI_KEY_NONE)
            continue;
        if (key == UI_KEY_TICK || (!u.headless && now_seconds() - last_tick >= 1.0)) {
            flags |= tick(&u);
            last_tick = now_seconds();
            if (key == UI_KEY_TICK)
                continue;
        }
        if (key == UI_FKEY(KEY_RESIZE)) {
            flags |= UI_RELAYOUT;
            continue;
        }
        if (u.msg) {
            free(u.msg);
            u.msg = NULL;
            flags |= UI_DRAW_STATUS;
        }
        flags |= ui_key(&u, key);
    }
    int sig = ui_signal;
    if (tm.f)
        fclose(tm.f);
    ui_term_close(&u);
    ui_free(&u);
    ui_signal = 0;
    return sig == SIGTERM || sig == SIGHUP ? 128 + sig : 0;
}
