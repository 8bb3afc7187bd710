/* ui_history.c - the history view (H): the selected item's changes from
 * the history file, newest first, each a line of time, login and what
 * changed, a note's text wrapped under it; scrolled as a pager.  Only the
 * lines that hold the item's id are parsed (history_load with an id). */
#include "ui_view.h"

#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "text.h"

static const int history_keys[] = {UI_CTX_HISTORY, -1};

typedef struct {
    ui_view v;
    char *id;
    history h;
    int width;          /* the text was wrapped for this width; -1: again */
    strbuf text;        /* lines, each ending in '\n'; "#" starts a heading */
    size_t *line;
    size_t n_lines, cap_lines;
    ui_scroll sc;
    char *warning;      /* the first warning of the read, if any */
} ui_history;

static size_t history_height(const ui *u)
{
    return u->body_h > 1 ? (size_t)u->body_h - 1 : 1;
}

/* Read the item's history again. */
static void reload(ui_history *hv, ui *u)
{
    history_free(&hv->h);
    free(hv->warning);
    hv->warning = NULL;
    diags d = {0};
    char *path = status_history_file(u->s);
    if (!u->hist_ix)
        u->hist_ix = history_index_new();
    history_index_load(u->hist_ix, path, hv->id, &hv->h, &d);
    free(path);
    if (d.n)
        hv->warning = xstrdup(d.v[0].text);
    diags_free(&d);
    hv->width = -1;
}

static void rewrap(ui_history *hv, int width)
{
    if (hv->width == width)
        return;
    hv->width = width;
    sb_reset(&hv->text);
    if (hv->warning) {
        sb_addc(&hv->text, '#');
        sb_adds(&hv->text, hv->warning);
        sb_addc(&hv->text, '\n');
    }
    if (!hv->h.n)
        sb_adds(&hv->text, "（没有修改记录）\n");
    strbuf b = {0};
    for (size_t k = hv->h.n; k-- > 0;) {
        const history_rec *r = &hv->h.v[k];
        sb_reset(&b);
        history_rec head = *r;
        bool text = r->note && *r->note;
        if (text)
            head.note = NULL;   /* the heading says a note; its text follows */
        history_describe(&b, &head, false, 0);
        if (text)
            sb_adds(&b, r->done >= 0 ? "；进展情况：" : "进展情况：");
        sb_addc(&hv->text, '#');
        text_fit(&hv->text, b.s, (size_t)width, false);
        sb_addc(&hv->text, '\n');
        if (r->note && *r->note) {
            strbuf w = {0};
            text_wrap(&w, r->note, (size_t)(width > 4 ? width - 2 : 2));
            for (const char *s = w.s; s && *s;) {
                const char *nl = strchr(s, '\n');
                sb_adds(&hv->text, "  ");
                sb_add(&hv->text, s, (size_t)(nl - s) + 1);
                s = nl + 1;
            }
            sb_free(&w);
        }
    }
    sb_free(&b);
    hv->n_lines = 0;
    for (size_t off = 0; off < hv->text.len;) {
        xgrow((void **)&hv->line, &hv->cap_lines, hv->n_lines + 1, sizeof *hv->line);
        hv->line[hv->n_lines++] = off;
        const char *nl = memchr(hv->text.s + off, '\n', hv->text.len - off);
        off = (size_t)(nl - hv->text.s) + 1;
    }
}

static int history_handle(ui_view *v, ui *u, int a, int key)
{
    (void)key;
    ui_history *hv = (ui_history *)v;
    if (ui_scroll_act(&hv->sc, a, hv->n_lines, history_height(u)))
        return UI_DRAW_BODY;
    return a == UI_ACT_CLOSE ? UI_CLOSE : 0;
}

static int history_mouse(ui_view *v, ui *u, const MEVENT *m)
{
    ui_history *hv = (ui_history *)v;
    ui_scroll_act(&hv->sc, ui_mouse_wheel(m), hv->n_lines, history_height(u));
    return UI_DRAW_BODY;
}

static void history_layout(ui_view *v, ui *u, int flags)
{
    (void)flags;
    ui_history *hv = (ui_history *)v;
    if (u->too_small)
        return;
    rewrap(hv, u->cols > 2 ? u->cols : 2);
    ui_scroll_clamp(&hv->sc, hv->n_lines, history_height(u));
}

static void history_draw(const ui_view *v, const ui *u, int flags)
{
    (void)flags;
    const ui_history *hv = (const ui_history *)v;
    strbuf b = {0};
    sb_addf(&b, "修改记录 %s 事项 %s（%zu 条，最新的在前）", ui_glyph(UI_G_SEP), hv->id, hv->h.n);
    ui_put(u->body_y, 0, b.s, u->cols, u->attr[UI_C_TITLE]);
    for (int y = 0; y < (int)history_height(u); y++) {
        size_t k = hv->sc.top + (size_t)y;
        int row = u->body_y + 1 + y;
        if (k >= hv->n_lines) {
            ui_put(row, 0, "", u->cols, A_NORMAL);
            continue;
        }
        const char *s = hv->text.s + hv->line[k];
        const char *e = strchr(s, '\n');
        attr_t a = A_NORMAL;
        if (*s == '#') {
            s++;
            a = u->attr[UI_C_HEAD];
        }
        sb_reset(&b);
        sb_add(&b, s, (size_t)(e - s));
        ui_put(row, 0, b.s ? b.s : "", u->cols, a);
    }
    sb_free(&b);
}

/* Another writer's change may have added lines: read them. */
static int history_event(ui_view *v, ui *u, int ev)
{
    ui_history *hv = (ui_history *)v;
    if (ev == UI_EV_STATUS || ev == UI_EV_RELOADED) {
        reload(hv, u);
        return UI_DRAW_BODY;
    }
    return 0;
}

static void history_free_view(ui_view *v)
{
    ui_history *hv = (ui_history *)v;
    history_free(&hv->h);
    sb_free(&hv->text);
    free(hv->line);
    free(hv->id);
    free(hv->warning);
    free(hv);
}

static const ui_view_ops history_ops = {
    .name = "history",
    .keys = history_keys,
    .hints = UI_CTX_HISTORY,
    .area = UI_AREA_BODY,
    .layout = history_layout,
    .draw = history_draw,
    .handle = history_handle,
    .mouse = history_mouse,
    .event = history_event,
    .free = history_free_view,
};

ui_view *ui_history_new(ui *u, uint32_t i)
{
    ui_history *hv = xcalloc(1, sizeof *hv);
    hv->v.ops = &history_ops;
    hv->sc.style = UI_SCROLL_PAGER;
    hv->id = xstrdup(u->p->items[i].id);
    reload(hv, u);
    return &hv->v;
}

void ui_history_prefetch(ui *u)
{
    if (u->hist_ix)
        return;
    u->hist_ix = history_index_new();
    char *path = status_history_file(u->s);
    history h = {0};
    diags d = {0};
    history_index_load(u->hist_ix, path, "", &h, &d);   /* no such id: builds only */
    history_free(&h);
    diags_free(&d);
    free(path);
}
