/* ui_prompt.c - the prompts, each a view on the prompt line over the
 * tree: the / search line (filters the tree as it changes), the : jump
 * line, and the y/n question before marking a whole goal or task. */
#include "ui_tree.h"
#include "ui_view.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static const int edit_keys[] = {UI_CTX_EDIT, -1};
static const int confirm_keys[] = {UI_CTX_CONFIRM, -1};

/* --- the / search line and the : jump line --- */

typedef struct {
    ui_view v;
    ui_edit edit;
} ui_line;

static void line_free(ui_view *v)
{
    ui_line *l = (ui_line *)v;
    ui_edit_free(&l->edit);
    free(l);
}

static int search_handle(ui_view *v, ui *u, int a, int key)
{
    ui_line *l = (ui_line *)v;
    switch (a) {
    case UI_ACT_ACCEPT:
        if (!l->edit.buf.len)
            return ui_tree_filter_clear(u) | UI_CLOSE;
        return UI_CLOSE;
    case UI_ACT_CANCEL: return ui_tree_filter_clear(u) | UI_CLOSE;
    case UI_ACT_UP:
    case UI_ACT_DOWN:   /* moving in the tree while typing */
        return ui_tree_move(u, a) | UI_DRAW_STATUS;
    default: break;
    }
    char *old = xstrdup(ui_edit_text(&l->edit));
    int f = 0;
    if (ui_edit_apply(&l->edit, a, key)) {
        f = UI_DRAW_STATUS;
        if (strcmp(old, ui_edit_text(&l->edit)) != 0)   /* not a mere move */
            f |= ui_tree_filter_query(u, ui_edit_text(&l->edit));
    }
    free(old);
    return f;
}

/* The filter, as the tree shows it, else the search line's hints. */
static bool search_status(const ui_view *v, const ui *u, strbuf *out, int w)
{
    (void)v;
    return ui_tree_filter_status(u, out, w);
}

static void search_draw(const ui_view *v, const ui *u, int flags)
{
    (void)flags;
    const ui_line *l = (const ui_line *)v;
    strbuf h = {0};
    ui_key_hints(&h, UI_CTX_EDIT);
    int hw = (int)text_width(h.s);
    ui_edit_draw(u, &l->edit, u->prompt_y, 0, u->cols - hw, "/");
    ui_put(u->prompt_y, u->cols - hw, h.s, hw, A_NORMAL);
    sb_free(&h);
}

static const ui_view_ops search_ops = {
    .name = "search",
    .keys = edit_keys,
    .hints = UI_CTX_EDIT,
    .area = UI_AREA_PROMPT,
    .draw = search_draw,
    .handle = search_handle,
    .status = search_status,
    .free = line_free,
};

ui_view *ui_search_new(ui *u, const char *text)
{
    (void)u;
    ui_line *l = xcalloc(1, sizeof *l);
    l->v.ops = &search_ops;
    ui_edit_set(&l->edit, text);
    return &l->v;
}

static int jump_handle(ui_view *v, ui *u, int a, int key)
{
    ui_line *l = (ui_line *)v;
    if (a == UI_ACT_ACCEPT)
        return ui_tree_jump(u, ui_edit_text(&l->edit)) | UI_CLOSE;
    if (a == UI_ACT_CANCEL)
        return UI_CLOSE;
    return ui_edit_apply(&l->edit, a, key) ? UI_DRAW_STATUS : 0;
}

static void jump_draw(const ui_view *v, const ui *u, int flags)
{
    (void)flags;
    const ui_line *l = (const ui_line *)v;
    ui_edit_draw(u, &l->edit, u->prompt_y, 0, u->cols, "跳到编号: ");
}

static const ui_view_ops jump_ops = {
    .name = "jump",
    .keys = edit_keys,
    .hints = -1,
    .area = UI_AREA_PROMPT,
    .draw = jump_draw,
    .handle = jump_handle,
    .free = line_free,
};

ui_view *ui_jump_new(ui *u)
{
    (void)u;
    ui_line *l = xcalloc(1, sizeof *l);
    l->v.ops = &jump_ops;
    ui_edit_set(&l->edit, "");
    return &l->v;
}

/* --- the y/n question --- */

typedef struct {
    ui_view v;
    int kind;           /* the goal or task it is about */
    uint32_t index;
    char *question;     /* ui_ask_new: the question, */
    int (*yes)(ui *u, void *ctx);   /* what y does */
    void *ctx;
    const char *no_msg;
} ui_confirm;

static int confirm_handle(ui_view *v, ui *u, int a, int key)
{
    (void)key;
    ui_confirm *c = (ui_confirm *)v;
    if (a == UI_ACT_YES && c->yes)
        return c->yes(u, c->ctx) | UI_CLOSE;
    if (a == UI_ACT_YES)
        return ui_tree_mark_range(u, c->kind, c->index) | UI_CLOSE;
    ui_set_msg(u, false, "%s", c->no_msg ? c->no_msg : "已取消");
    return UI_DRAW_ALL | UI_CLOSE;
}

/* A new plan: the goal or task asked about may be another or gone. */
static int confirm_event(ui_view *v, ui *u, int ev)
{
    (void)u;
    if (((ui_confirm *)v)->yes)
        return 0;   /* the asking view decides */
    return ev == UI_EV_STATUS ? 0 : UI_CLOSE;
}

static void confirm_draw(const ui_view *v, const ui *u, int flags)
{
    (void)flags;
    const ui_confirm *c = (const ui_confirm *)v;
    const plan *p = u->p;
    if (c->question) {
        strbuf s = {0};
        sb_addf(&s, "%s(%s/%s) ", c->question, ui_key_name(UI_CTX_CONFIRM, UI_ACT_YES),
                ui_key_name(UI_CTX_CONFIRM, UI_ACT_NO));
        int used = ui_put_fit(u->prompt_y, 0, s.s, u->cols, u->attr[UI_C_PROMPT]);
        ui_put(u->prompt_y, used, "", u->cols - used, A_NORMAL);
        sb_free(&s);
        return;
    }
    uint32_t n, done;
    if (c->kind == PLAN_GOAL)
        n = p->goals[c->index].n_items, done = p->goals[c->index].done;
    else
        n = p->tasks[c->index].n_items, done = p->tasks[c->index].done;
    strbuf q = {0}, s = {0};
    ui_node_title(&q, p, c->kind, c->index);
    sb_adds(&s, "把「");
    text_fit(&s, q.s, (size_t)(u->cols / 2 > 8 ? u->cols / 2 : 8), false);
    sb_addf(&s, "」的 %u 项全部%s？(%s/%s) ", n, done == n ? "改为未完成" : "标为完成",
            ui_key_name(UI_CTX_CONFIRM, UI_ACT_YES), ui_key_name(UI_CTX_CONFIRM, UI_ACT_NO));
    int used = ui_put_fit(u->prompt_y, 0, s.s, u->cols, u->attr[UI_C_PROMPT]);
    ui_put(u->prompt_y, used, "", u->cols - used, A_NORMAL);
    sb_free(&s);
    sb_free(&q);
}

static void confirm_free(ui_view *v)
{
    free(((ui_confirm *)v)->question);
    free(v);
}

static const ui_view_ops confirm_ops = {
    .name = "confirm",
    .keys = confirm_keys,
    .hints = -1,
    .area = UI_AREA_PROMPT,
    .draw = confirm_draw,
    .handle = confirm_handle,
    .event = confirm_event,
    .free = confirm_free,
};

ui_view *ui_confirm_new(ui *u, int kind, uint32_t index)
{
    (void)u;
    ui_confirm *c = xcalloc(1, sizeof *c);
    c->v.ops = &confirm_ops;
    c->kind = kind;
    c->index = index;
    return &c->v;
}

ui_view *ui_ask_new(ui *u, const char *question, int (*yes)(ui *u, void *ctx), void *ctx,
                    const char *no_msg)
{
    ui_confirm *c = (ui_confirm *)ui_confirm_new(u, PLAN_ITEM, 0);
    c->question = xstrdup(question);
    c->yes = yes;
    c->ctx = ctx;
    c->no_msg = no_msg;
    return &c->v;
}
