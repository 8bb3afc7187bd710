/* ui_draw.c - drawing what every view shares: the primitives (cut and
 * padded by display columns), colours, the layout, the title line, the
 * status line, the too-small screen, the numbering of nodes, and the
 * frame that asks the views to draw their parts.  Everything is drawn on
 * stdscr; nothing here changes the state it draws. */
#include "ui_tree.h"
#include "ui_view.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "text.h"

/* --- primitives --- */

/* Draw UTF-8 text (already sanitised and fitted) at (y, x) through the
 * wide-character calls, so that it reaches the terminal in the locale's
 * encoding (UTF-8, or GB18030/GBK); a character the locale cannot
 * represent is drawn as '?', never as raw bytes. */
static void put_text(int y, int x, const char *s, size_t n)
{
    wchar_t *ws = xmalloc((n + 1) * sizeof *ws);
    size_t k = 0;
    while (n) {
        uint32_t cp;
        size_t len = utf8_decode(s, n, &cp);
        if (cp >= 0x80) {
            char mb[MB_LEN_MAX];
            mbstate_t st;
            memset(&st, 0, sizeof st);
            if (wcrtomb(mb, (wchar_t)cp, &st) == (size_t)-1)
                cp = '?';
        }
        ws[k++] = (wchar_t)cp;
        s += len;
        n -= len;
    }
    ws[k] = 0;
    if (k)
        mvaddnwstr(y, x, ws, (int)k);
    free(ws);
}

void ui_put(int y, int x, const char *s, int w, attr_t a)
{
    if (w <= 0)
        return;
    strbuf b = {0};
    text_fit(&b, s, (size_t)w, true);
    attrset(a);
    put_text(y, x, b.s ? b.s : "", b.len);
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
        put_text(y, x, b.s, b.len);
    attrset(A_NORMAL);
    sb_free(&b);
    return (int)used;
}

/* left cut to leave room for right, which is kept whole while it fits. */
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

static const char *const glyphs[2][UI_G_COUNT] = {
#define UI_GLYPH_UNI(name, s, a) s,
    {UI_GLYPHS(UI_GLYPH_UNI)},
#undef UI_GLYPH_UNI
#define UI_GLYPH_ASCII(name, s, a) a,
    {UI_GLYPHS(UI_GLYPH_ASCII)},
#undef UI_GLYPH_ASCII
};
static bool glyph_ascii;
static bool glyph_fallback[UI_G_COUNT];   /* the locale cannot write it */

/* Can the locale's encoding write s (UTF-8)? */
static bool representable(const char *s)
{
    size_t n = strlen(s);
    while (n) {
        uint32_t cp;
        size_t k = utf8_decode(s, n, &cp);
        char mb[MB_LEN_MAX];
        mbstate_t st;
        memset(&st, 0, sizeof st);
        if (wcrtomb(mb, (wchar_t)cp, &st) == (size_t)-1)
            return false;
        s += k;
        n -= k;
    }
    return true;
}

const char *ui_glyph(int g)
{
    return glyphs[glyph_ascii || glyph_fallback[g]][g];
}

void ui_glyph_ascii(bool on)
{
    glyph_ascii = on;
    text_set_ascii_substitutes(on);   /* ^ | ? for controls, line breaks, bad bytes */
    /* a GBK locale has no ▾ ▸: those pieces in ASCII */
    for (int g = 0; g < UI_G_COUNT; g++)
        glyph_fallback[g] = !representable(glyphs[0][g]);
}

bool ui_glyph_is_ascii(void)
{
    return glyph_ascii;
}

int ui_border_w(void)
{
    return (int)text_width(ui_glyph(UI_G_VLINE));
}

/* n columns of horizontal stroke (a space where a wide stroke does not fit). */
static void strokes(strbuf *b, int n)
{
    const char *h = ui_glyph(UI_G_HLINE);
    int hw = (int)text_width(h);
    for (; n >= hw; n -= hw)
        sb_adds(b, h);
    for (; n > 0; n--)
        sb_addc(b, ' ');
}

void ui_box_rule(const ui *u, int y, int x, int w, int left, int right, const char *title)
{
    int bw = ui_border_w();
    attr_t ba = u->attr[UI_C_BORDER];
    if (w < 2 * bw) {
        ui_put(y, x, "", w, A_NORMAL);
        return;
    }
    ui_put(y, x, ui_glyph(left), bw, ba);
    int col = x + bw, inner = w - 2 * bw;
    strbuf b = {0};
    if (title && w > 6 * bw) {
        int hw = (int)text_width(ui_glyph(UI_G_HLINE));
        strokes(&b, hw);
        ui_put(y, col, b.s, hw, ba);
        col += hw, inner -= hw;
        strbuf t = {0};
        sb_addc(&t, ' ');
        sb_adds(&t, title);
        sb_addc(&t, ' ');
        int tw = ui_put_fit(y, col, t.s, inner - hw, u->attr[UI_C_HEAD]);
        col += tw, inner -= tw;
        sb_free(&t);
    }
    sb_reset(&b);
    strokes(&b, inner);
    ui_put(y, col, b.s ? b.s : "", inner, ba);
    ui_put(y, x + w - bw, ui_glyph(right), bw, ba);
    sb_free(&b);
}

void ui_box_line(const ui *u, int y, int x, int w, const char *s, attr_t a)
{
    int bw = ui_border_w();
    if (w < 2 * bw) {
        ui_put(y, x, "", w, A_NORMAL);
        return;
    }
    ui_put(y, x, ui_glyph(UI_G_VLINE), bw, u->attr[UI_C_BORDER]);
    ui_put(y, x + bw, s, w - 2 * bw, a);
    ui_put(y, x + w - bw, ui_glyph(UI_G_VLINE), bw, u->attr[UI_C_BORDER]);
}

void ui_chrome_text(strbuf *b)
{
    static const char *const map[][2] = {
        {"↑↓", "Up/Down"}, {"↑", "Up"}, {"↓", "Down"}, {"←", "Left"}, {"→", "Right"},
        {"▸", ">"}, {"▾", "v"}, {"…", "..."},
    };
    if (!glyph_ascii || !b->len)
        return;
    strbuf o = {0};
    for (size_t i = 0; i < b->len;) {
        size_t k = 0;
        for (; k < sizeof map / sizeof map[0]; k++) {
            size_t n = strlen(map[k][0]);
            if (b->len - i >= n && memcmp(b->s + i, map[k][0], n) == 0) {
                sb_adds(&o, map[k][1]);
                i += n;
                break;
            }
        }
        if (k == sizeof map / sizeof map[0])
            sb_addc(&o, b->s[i++]);
    }
    sb_reset(b);
    sb_add(b, o.s, o.len);
    sb_free(&o);
}

int ui_percent(size_t done, size_t total)
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
    bool prompt = u->top && u->top->ops->area == UI_AREA_PROMPT;
    u->body_y = 1;
    u->prompt_y = LINES - 1;
    u->status_y = LINES - 1 - (prompt ? 1 : 0);
    u->body_h = u->status_y - u->body_y;
    int rw = COLS >= 60 ? COLS * 2 / 5 : COLS * 9 / 20;
    if (COLS >= 60 && rw < 24)
        rw = 24;
    if (rw > 72)
        rw = 72;
    if (ui_border_w() == 2 && rw % 2)
        rw--;    /* wide borders: the box's strokes fill it exactly */
    u->right_w = rw;
    u->tree_w = COLS - rw;
    u->right_x = u->tree_w;
}

/* --- numbering --- */

void ui_node_title(strbuf *b, const plan *p, int kind, uint32_t index)
{
    plan_node_number(p, kind, index, b);   /* the model numbers (numbering:) */
    if (kind == PLAN_ITEM)
        sb_addc(b, ' ');
    sb_adds(b, plan_node_title(p, kind, index));
}

/* --- the line editor --- */

void ui_edit_draw(const ui *u, const ui_edit *e, int y, int x, int w, const char *prompt)
{
    const char *s = ui_edit_text(e);
    int pw = ui_put_fit(y, x, prompt, w, u->attr[UI_C_PROMPT]);
    int avail = w - pw;
    ui_put(y, x + pw, "", avail, A_NORMAL);
    if (avail < 2)
        return;
    /* Scroll so that the cursor cell (2 columns at most) stays in view:
     * back from the cursor, character by character, while the text before
     * it still fits (the work is what shows, not the whole line). */
    size_t start = e->cur;
    int bw = 0;
    while (start > 0) {
        size_t p = start - 1;
        while (p > 0 && ((unsigned char)s[p] & 0xC0) == 0x80 && start - p < 4)
            p--;
        uint32_t cp;
        if (p + utf8_decode(s + p, start - p, &cp) != start) {
            p = start - 1;   /* not one character: a bad byte, one cell */
            cp = 0xFFFD;
        }
        int cw = text_cp_width(cp);
        if (bw + cw + 2 > avail)
            break;
        bw += cw;
        start = p;
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

static void draw_title(const ui *u)
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
    if (u->readonly) {
        /* kept whole while it fits: the title is cut first */
        sb_adds(&r, "只读：");
        sb_adds(&r, u->readonly);
        sb_adds(&r, "  ");
    }
    sb_adds(&r, base);
    sb_addc(&r, ' ');
    /* The file name goes first when space is short. */
    if (!u->readonly && (int)(text_width(l.s) + text_width(r.s) + 2) > u->cols)
        put_lr(0, 0, u->cols, l.s, NULL, u->attr[UI_C_TITLE]);
    else
        put_lr(0, 0, u->cols, l.s, r.s, u->attr[UI_C_TITLE]);
    sb_free(&l);
    sb_free(&r);
}

/* --- the status line --- */

/* Its left part: the message, else what the top view (or the first one
 * under it that has something to say) shows: its own text or its hints. */
static void status_left(const ui *u, strbuf *l, int w)
{
    if (u->msg) {
        sb_addc(l, ' ');
        sb_adds(l, u->msg);
        return;
    }
    if (u->pending) {
        sb_adds(l, " 等待另一个 plandash 保存…");
        return;
    }
    for (const ui_view *v = u->top; v; v = v->below) {
        if (v->ops->status && v->ops->status(v, u, l, w))
            return;
        if (v->ops->hints >= 0) {
            ui_key_hints(l, v->ops->hints);
            ui_chrome_text(l);
            return;
        }
    }
}

/* An error message in w columns: whole if it fits, else its last clause
 * (after the last ， or ；: what to do) kept whole and the text before it
 * cut, else cut at the end. */
static void error_fit(strbuf *out, const char *msg, int w)
{
    if ((int)text_width(msg) <= w) {
        sb_adds(out, msg);
        return;
    }
    const char *cut = NULL;
    for (const char *q = msg; (q = strstr(q, "，")); q += 3)
        cut = q;
    for (const char *q = cut ? cut : msg; (q = strstr(q, "；")); q += 3)
        cut = q;
    int tw = cut ? (int)text_width(cut) : 0;
    if (cut && tw + 8 <= w) {
        char *head = xstrndup(msg, (size_t)(cut - msg));
        text_fit(out, head, (size_t)(w - tw), false);
        sb_adds(out, cut);
        free(head);
    } else {
        text_fit(out, msg, (size_t)w, false);
    }
}

static void draw_status(const ui *u, int flags)
{
    strbuf l = {0}, r = {0};
    attr_t a = u->msg && u->msg_error ? u->attr[UI_C_ERROR] : u->attr[UI_C_STATUS];
    if (u->msg && u->msg_error) {   /* an error takes the whole line */
        sb_addc(&l, ' ');
        error_fit(&l, u->msg, u->cols - 1);
        put_lr(u->status_y, 0, u->cols, l.s, NULL, a);
        sb_free(&l);
        if (u->top->ops->area == UI_AREA_PROMPT)
            u->top->ops->draw(u->top, u, flags);
        return;
    }
    ui_tree_status_right(u, &r);
    status_left(u, &l, u->cols - (int)text_width(r.s) - 1);
    put_lr(u->status_y, 0, u->cols, l.s ? l.s : "", r.s, a);
    sb_free(&l);
    sb_free(&r);
    if (u->top->ops->area == UI_AREA_PROMPT)
        u->top->ops->draw(u->top, u, flags);
}

static void draw_too_small(const ui *u)
{
    erase();
    strbuf b = {0};
    sb_addf(&b, "窗口太小 %dx%d", u->cols, u->lines);
    int y = u->lines / 2 - 1 > 0 ? u->lines / 2 - 1 : 0;
    int w = (int)text_width(b.s);
    ui_put_fit(y, w < u->cols ? (u->cols - w) / 2 : 0, b.s, u->cols, A_BOLD);
    sb_reset(&b);
    sb_addf(&b, "至少需要 %dx%d", UI_MIN_COLS, UI_MIN_LINES);
    w = (int)text_width(b.s);
    if (y + 1 < u->lines)
        ui_put_fit(y + 1, w < u->cols ? (u->cols - w) / 2 : 0, b.s, u->cols, A_NORMAL);
    sb_free(&b);
}

void ui_draw(const ui *u, int flags)
{
    if (u->too_small) {
        draw_too_small(u);
        wnoutrefresh(stdscr);
        return;
    }
    if (flags & UI_DRAW_TITLE)
        draw_title(u);
    /* the body: the topmost view that covers it */
    const ui_view *body = u->top;
    while (body->ops->area != UI_AREA_BODY)
        body = body->below;
    if (flags & (UI_DRAW_BODY | UI_DRAW_DETAIL))
        body->ops->draw(body, u, flags);
    if (flags & UI_DRAW_STATUS)
        draw_status(u, flags);
    wnoutrefresh(stdscr);
}
