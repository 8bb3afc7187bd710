/* ui_help.c - the help view: the key table as text (ui_key_help) and
 * the terminal mode (termprobe_label),
 * scrolled as a pager; any key that is not a scroll key goes back. */
#include "ui_view.h"

#include <stdlib.h>
#include <string.h>

static const int help_keys[] = {UI_CTX_HELP, -1};

typedef struct {
    ui_view v;
    strbuf text;        /* lines; "#" starts a section's heading */
    size_t *line;       /* offset of each line */
    size_t n_lines;
    ui_scroll sc;
} ui_help;

static size_t help_height(const ui *u)
{
    return u->body_h > 0 ? (size_t)u->body_h : 1;
}

static int help_handle(ui_view *v, ui *u, int a, int key)
{
    (void)key;
    ui_help *h = (ui_help *)v;
    if (ui_scroll_act(&h->sc, a, h->n_lines, help_height(u)))
        return UI_DRAW_BODY;
    return a == UI_ACT_CLOSE ? UI_CLOSE : 0;
}

static int help_mouse(ui_view *v, ui *u, const MEVENT *m)
{
    ui_help *h = (ui_help *)v;
    ui_scroll_act(&h->sc, ui_mouse_wheel(m), h->n_lines, help_height(u));
    return UI_DRAW_BODY;
}

static void help_layout(ui_view *v, ui *u, int flags)
{
    (void)flags;
    ui_help *h = (ui_help *)v;
    if (!u->too_small)
        ui_scroll_clamp(&h->sc, h->n_lines, help_height(u));
}

static void help_draw(const ui_view *v, const ui *u, int flags)
{
    (void)flags;
    const ui_help *h = (const ui_help *)v;
    for (int y = 0; y < u->body_h; y++) {
        size_t k = h->sc.top + (size_t)y;
        if (k >= h->n_lines) {
            ui_put(u->body_y + y, 0, "", u->cols, A_NORMAL);
            continue;
        }
        const char *s = h->text.s + h->line[k];
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
    }
}

static void help_free(ui_view *v)
{
    ui_help *h = (ui_help *)v;
    sb_free(&h->text);
    free(h->line);
    free(h);
}

static const ui_view_ops help_ops = {
    .name = "help",
    .keys = help_keys,
    .hints = UI_CTX_HELP,
    .area = UI_AREA_BODY,
    .layout = help_layout,
    .draw = help_draw,
    .handle = help_handle,
    .mouse = help_mouse,
    .free = help_free,
};

ui_view *ui_help_new(ui *u)
{
    ui_help *h = xcalloc(1, sizeof *h);
    h->v.ops = &help_ops;
    h->sc.style = UI_SCROLL_PAGER;
    ui_key_help(&h->text);
    /* the last line: the width of Ambiguous characters, and why */
    sb_adds(&h->text, "\n  ");
    sb_adds(&h->text, termprobe_label(&u->amb));
    sb_adds(&h->text, u->ascii ? "；ASCII\n" : "\n");
    ui_chrome_text(&h->text);
    for (size_t k = 0; k < h->text.len; k++)
        h->n_lines += h->text.s[k] == '\n';
    h->line = xmalloc((h->n_lines + 1) * sizeof *h->line);
    size_t n = 0;
    for (size_t k = 0; k < h->text.len; k++)
        if (k == 0 || h->text.s[k - 1] == '\n')
            h->line[n++] = k;
    return &h->v;
}
