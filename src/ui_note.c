/* ui_note.c - the note editor (e): an item's progress note, several lines
 * of UTF-8 edited by whole characters, the cursor kept on display columns
 * (a CJK character is two); Ctrl-S or F2 saves at once through the status
 * store (its lock, its history line), Esc cancels and asks first when the
 * text changed. */
#include "ui_view.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static const int note_keys[] = {UI_CTX_NOTE, -1};

typedef struct {
    ui_view v;
    char *id;           /* the item's id: found again after a reload */
    char *orig;         /* the note when the editor opened */
    char *expect;       /* the note on disk as last seen: a save over another is refused once */
    strbuf buf;         /* the text; lines end in '\n' but the last */
    size_t cur;         /* byte offset of the cursor, on a character boundary */
    size_t top;         /* the first line on screen */
    int want_col;       /* ↑↓ keep this display column; -1: the cursor's */
} ui_note;

static const char *note_text(const ui_note *n)
{
    return n->buf.s ? n->buf.s : "";
}

/* Start of the line holding byte at. */
static size_t line_start(const ui_note *n, size_t at)
{
    while (at > 0 && n->buf.s[at - 1] != '\n')
        at--;
    return at;
}

/* End of the line holding byte at (its '\n' or the end). */
static size_t line_end(const ui_note *n, size_t at)
{
    const char *nl = at < n->buf.len ? memchr(n->buf.s + at, '\n', n->buf.len - at) : NULL;
    return nl ? (size_t)(nl - n->buf.s) : n->buf.len;
}

/* Start of the character before byte at. */
static size_t prev_char(const ui_note *n, size_t at)
{
    while (at > 0) {
        at--;
        if (((unsigned char)n->buf.s[at] & 0xC0) != 0x80)
            break;
    }
    return at;
}

static size_t next_char(const ui_note *n, size_t at)
{
    uint32_t cp;
    return at < n->buf.len ? at + utf8_decode(n->buf.s + at, n->buf.len - at, &cp) : at;
}

/* Display columns of buf[a, b). */
static int cols_between(const ui_note *n, size_t a, size_t b)
{
    int w = 0;
    while (a < b) {
        uint32_t cp;
        a += utf8_decode(n->buf.s + a, b - a, &cp);
        w += text_cp_width(text_visible(cp, TEXT_ONELINE));
    }
    return w;
}

/* The offset in the line starting at ls nearest to display column col
 * (never inside a character). */
static size_t at_column(const ui_note *n, size_t ls, int col)
{
    size_t le = line_end(n, ls), at = ls;
    int w = 0;
    while (at < le) {
        uint32_t cp;
        size_t k = utf8_decode(n->buf.s + at, le - at, &cp);
        int cw = text_cp_width(text_visible(cp, TEXT_ONELINE));
        if (w + cw > col)
            break;
        w += cw;
        at += k;
    }
    return at;
}

static size_t line_of(const ui_note *n, size_t at)
{
    size_t k = 0;
    for (size_t i = 0; i < at; i++)
        k += n->buf.s[i] == '\n';
    return k;
}

static size_t n_lines(const ui_note *n)
{
    return line_of(n, n->buf.len) + 1;
}

static void cut(ui_note *n, size_t a, size_t b)
{
    memmove(n->buf.s + a, n->buf.s + b, n->buf.len - b + 1);
    n->buf.len -= b - a;
    n->cur = a;
}

static bool insert(ui *u, ui_note *n, const char *s, size_t k)
{
    if (n->buf.len + k > STATUS_NOTE_MAX) {
        ui_set_msg(u, true, "进展情况最多 %d 字节（64 KiB），不能再输入", STATUS_NOTE_MAX);
        return false;
    }
    sb_add(&n->buf, s, k);   /* grow, then shift the tail right */
    memmove(n->buf.s + n->cur + k, n->buf.s + n->cur, n->buf.len - k - n->cur);
    memcpy(n->buf.s + n->cur, s, k);
    n->cur += k;
    return true;
}

/* Move up (dir -1) or down (+1) by lines, keeping the display column. */
static void move_lines(ui_note *n, long dir)
{
    size_t ls = line_start(n, n->cur);
    if (n->want_col < 0)
        n->want_col = cols_between(n, ls, n->cur);
    for (long k = dir < 0 ? -dir : dir; k > 0; k--) {
        if (dir < 0) {
            if (ls == 0) {
                n->cur = 0;
                return;
            }
            ls = line_start(n, ls - 1);
        } else {
            size_t le = line_end(n, ls);
            if (le == n->buf.len) {
                n->cur = le;
                return;
            }
            ls = le + 1;
        }
    }
    n->cur = at_column(n, ls, n->want_col);
}

static size_t body_lines(const ui *u)
{
    return u->body_h > 2 ? (size_t)u->body_h - 2 : 1;
}

static bool changed(const ui_note *n)
{
    return strcmp(note_text(n), n->orig) != 0;
}

/* Another saved the item's note since the editor last looked: say who and
 * when; the note on disk becomes the one expected, so a second Ctrl-S
 * overwrites it knowingly. */
static int changed_meanwhile(ui *u, ui_note *n, const plan_item *it)
{
    free(n->expect);
    n->expect = xstrdup(it->note ? it->note : "");
    char hm[6] = "";
    if (it->note_at && strlen(it->note_at) >= 16 && it->note_at[10] == 'T')
        memcpy(hm, it->note_at + 11, 5);
    if (!it->note)
        ui_set_msg(u, true, "进展情况已被他人清除：再按 Ctrl-S 保存你的文字，Esc 取消");
    else
        ui_set_msg(u, true, "进展情况已被 %s%s%s 修改：再按 Ctrl-S 覆盖，Esc 取消",
                   it->note_by ? it->note_by : "他人", *hm ? " 于 " : "", hm);
    u->msg_keep = true;
    return UI_DRAW_ALL;
}

static int save(ui *u, ui_note *n)
{
    int f = ui_refresh_status(u);
    const plan_item *it = plan_find_item(u->p, n->id);
    if (!it) {
        ui_set_msg(u, true, "事项 %s 已不在计划中，无法保存", n->id);
        return f | UI_DRAW_ALL;
    }
    const char *disk = it->note ? it->note : "";
    if (strcmp(disk, n->expect) != 0 && strcmp(note_text(n), disk) != 0)
        return f | changed_meanwhile(u, n, it);
    /* as marks: never blocking on the lock, refused when read-only; the
     * editor stays open (the text kept) until the note is saved; under
     * the lock the note on disk must still be the one expected */
    bool saved;
    f |= ui_save_note(u, n->id, note_text(n), n->expect, &saved);
    it = plan_find_item(u->p, n->id);
    if (!saved && !u->pending && it && strcmp(it->note ? it->note : "", n->expect) != 0)
        f |= changed_meanwhile(u, n, it);
    return f | UI_DRAW_ALL | (saved ? UI_CLOSE : 0);
}

/* Whether a save of this note waits for the lock (not started yet). */
static bool save_waiting(const ui *u, const ui_note *n)
{
    const ui_pending *pc = u->pending;
    return pc && pc->note && strcmp(pc->ids[0], n->id) == 0;
}

/* Close without saving: a save of it still waiting for the lock is
 * dropped too. */
static int discard(ui *u, void *ctx)
{
    const ui_note *n = ctx;
    bool waiting = save_waiting(u, n);
    if (waiting)
        ui_pending_free(u);
    ui_set_msg(u, false, "已放弃对事项 %s 进展情况的修改%s", n->id,
               waiting ? "（等待中的保存已取消）" : "");
    return UI_DRAW_ALL | UI_CLOSE_BELOW;
}

static int note_handle(ui_view *v, ui *u, int a, int key)
{
    ui_note *n = (ui_note *)v;
    size_t ls = line_start(n, n->cur);
    if (a != UI_ACT_UP && a != UI_ACT_DOWN && a != UI_ACT_PGUP && a != UI_ACT_PGDN)
        n->want_col = -1;
    switch (a) {
    case UI_ACT_SAVE: return save(u, n);
    case UI_ACT_CANCEL:
        if (!changed(n) && !save_waiting(u, n)) {
            ui_set_msg(u, false, "进展情况未修改");
            return UI_CLOSE | UI_DRAW_ALL;
        }
        ui_view_push(u, ui_ask_new(u, "进展情况已修改，放弃修改？", discard, n, "继续编辑"));
        return UI_DRAW_ALL;
    case UI_ACT_ED_LEFT: n->cur = prev_char(n, n->cur); break;
    case UI_ACT_ED_RIGHT: n->cur = next_char(n, n->cur); break;
    case UI_ACT_ED_HOME: n->cur = ls; break;
    case UI_ACT_ED_END: n->cur = line_end(n, n->cur); break;
    case UI_ACT_UP: move_lines(n, -1); break;
    case UI_ACT_DOWN: move_lines(n, 1); break;
    case UI_ACT_PGUP: move_lines(n, -(long)body_lines(u)); break;
    case UI_ACT_PGDN: move_lines(n, (long)body_lines(u)); break;
    case UI_ACT_ED_BS:
        if (n->cur > 0)
            cut(n, prev_char(n, n->cur), n->cur);
        break;
    case UI_ACT_ED_DEL:
        if (n->cur < n->buf.len)
            cut(n, n->cur, next_char(n, n->cur));
        break;
    case UI_ACT_ED_NEWLINE: insert(u, n, "\n", 1); break;
    case UI_ACT_ED_INSERT: {
        char enc[4];
        insert(u, n, enc, utf8_encode((uint32_t)key, enc));
        break;
    }
    default: return 0;
    }
    return UI_DRAW_BODY | UI_DRAW_STATUS;
}

static void note_layout(ui_view *v, ui *u, int flags)
{
    (void)flags;
    ui_note *n = (ui_note *)v;
    size_t h = body_lines(u), line = line_of(n, n->cur);
    if (line < n->top)
        n->top = line;
    if (line >= n->top + h)
        n->top = line - h + 1;
}

static void note_draw(const ui_view *v, const ui *u, int flags)
{
    (void)flags;
    const ui_note *n = (const ui_note *)v;
    strbuf b = {0};
    const plan_item *it = plan_find_item(u->p, n->id);
    sb_addf(&b, "进展情况 %s 事项 %s", ui_glyph(UI_G_SEP), n->id);
    if (it) {
        sb_adds(&b, " ");
        ui_node_title(&b, u->p, PLAN_ITEM, (uint32_t)(it - u->p->items));
    }
    ui_put(u->body_y, 0, b.s, u->cols, u->attr[UI_C_HEAD]);
    size_t h = body_lines(u), cur_line = line_of(n, n->cur);
    size_t at = 0, k = 0;
    /* skip to the first line on screen */
    while (k < n->top && at <= n->buf.len) {
        at = line_end(n, at) + 1;
        k++;
    }
    for (size_t y = 0; y < h; y++, k++) {
        int row = u->body_y + 1 + (int)y;
        if (at > n->buf.len) {
            ui_put(row, 0, "", u->cols, A_NORMAL);
            continue;
        }
        size_t le = line_end(n, at);
        ui_edit e = {{0}, 0};
        sb_add(&e.buf, n->buf.s ? n->buf.s + at : "", le - at);
        if (k == cur_line) {
            e.cur = n->cur - at;
            ui_edit_draw(u, &e, row, 0, u->cols, "");
        } else {
            ui_put(row, 0, ui_edit_text(&e), u->cols, A_NORMAL);
        }
        ui_edit_free(&e);
        at = le + 1;
    }
    sb_reset(&b);
    sb_addf(&b, "第 %zu/%zu 行  %zu/%d 字节%s", cur_line + 1, n_lines(n), n->buf.len,
            STATUS_NOTE_MAX, changed(n) ? "  已修改" : "");
    ui_put(u->body_y + 1 + (int)h, 0, b.s, u->cols, u->attr[UI_C_BORDER]);
    sb_free(&b);
}

/* The plan was replaced: the item is found by its id when saving.  A save
 * that waited for the lock is done: close. */
static int note_event(ui_view *v, ui *u, int ev)
{
    const ui_note *n = (const ui_note *)v;
    if (ev == UI_EV_NOTE_SAVED && u->note_saved && strcmp(u->note_saved, n->id) == 0)
        return UI_CLOSE;   /* its save waited for the lock and is done */
    return ev == UI_EV_RELOADED ? UI_DRAW_ALL : 0;
}

static void note_free(ui_view *v)
{
    ui_note *n = (ui_note *)v;
    sb_free(&n->buf);
    free(n->id);
    free(n->orig);
    free(n->expect);
    free(n);
}

static const ui_view_ops note_ops = {
    .name = "note",
    .keys = note_keys,
    .hints = UI_CTX_NOTE,
    .area = UI_AREA_BODY,
    .layout = note_layout,
    .draw = note_draw,
    .handle = note_handle,
    .event = note_event,
    .free = note_free,
};

ui_view *ui_note_new(ui *u, uint32_t i)
{
    ui_note *n = xcalloc(1, sizeof *n);
    n->v.ops = &note_ops;
    const plan_item *it = &u->p->items[i];
    n->id = xstrdup(it->id);
    n->orig = xstrdup(it->note ? it->note : "");
    n->expect = xstrdup(n->orig);
    sb_adds(&n->buf, n->orig);
    n->cur = n->buf.len;
    n->want_col = -1;
    return &n->v;
}
