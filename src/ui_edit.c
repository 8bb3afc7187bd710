/* ui_edit.c - the one-line editor of the prompts and the unit list's
 * filter: moves and deletes by whole characters. */
#include "ui_view.h"

#include <string.h>

#include "text.h"

#define UI_EDIT_MAX 256   /* bytes: a query or a number, never more */

void ui_edit_set(ui_edit *e, const char *s)
{
    sb_reset(&e->buf);
    sb_adds(&e->buf, s);
    e->cur = e->buf.len;
}

const char *ui_edit_text(const ui_edit *e)
{
    return e->buf.s ? e->buf.s : "";
}

void ui_edit_free(ui_edit *e)
{
    sb_free(&e->buf);
    e->cur = 0;
}

static void edit_insert(ui_edit *e, uint32_t cp)
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

static void edit_right(ui_edit *e)
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

bool ui_edit_apply(ui_edit *e, int action, int key)
{
    size_t c = e->cur;
    switch (action) {
    case UI_ACT_ED_LEFT: e->cur = prev_char(e, e->cur); return true;
    case UI_ACT_ED_RIGHT: edit_right(e); return true;
    case UI_ACT_ED_HOME: e->cur = 0; return true;
    case UI_ACT_ED_END: e->cur = e->buf.len; return true;
    case UI_ACT_ED_BS:
        if (e->cur > 0)
            edit_cut(e, prev_char(e, e->cur), e->cur);
        return true;
    case UI_ACT_ED_DEL:
        edit_right(e);
        if (e->cur > c)
            edit_cut(e, c, e->cur);
        return true;
    case UI_ACT_ED_KILL:
        if (e->cur > 0)
            edit_cut(e, 0, e->cur);
        return true;
    case UI_ACT_ED_INSERT:
        if (e->buf.len >= UI_EDIT_MAX)
            return false;
        edit_insert(e, (uint32_t)key);
        return true;
    default: return false;
    }
}
