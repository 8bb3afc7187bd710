/* ui_view.h - the dashboard as a stack of views (tig's views, htop's
 * Panels).  Private to ui*.c.
 *
 * A view is one screen or prompt: the tree (ui_tree.c, always at the
 * bottom), the unit list (ui_units.c), the help (ui_help.c), the / search,
 * : jump and y/n prompts (ui_prompt.c).  Each owns its state behind a
 * ui_view and a table of operations.  The loop (ui.c) gives each key to
 * the view on top: it looks the key up in that view's key contexts
 * (ui_keys.h) and calls its handle() with the action; handlers change
 * state and return UI_* redraw flags.  Before drawing, every view's
 * layout() fits its state to the screen and its contents (clamps its
 * scroll, rebuilds rows, recomputes caches); draw() then only reads.  A
 * list keeps its selection and first row in a ui_scroll, moved by
 * ui_scroll_act for every list alike.
 *
 * The screen: a title line, the body (the tree and the details column,
 * or a view that covers them), the status line, and under a prompt the
 * prompt line.  Drawing the tree costs O(rows on screen) whatever the
 * size of the plan. */
#ifndef PLANDASH_UI_VIEW_H
#define PLANDASH_UI_VIEW_H

#include <curses.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "plan.h"
#include "status.h"
#include "termprobe.h"
#include "ui_keys.h"
#include "units.h"
#include "util.h"

#define UI_MIN_COLS 40
#define UI_MIN_LINES 10

/* Redraw flags returned by handlers. */
enum {
    UI_DRAW_TITLE = 1 << 0,
    UI_DRAW_BODY = 1 << 1,      /* the body: the tree pane, or the view covering it */
    UI_DRAW_DETAIL = 1 << 2,    /* the details column */
    UI_DRAW_STATUS = 1 << 3,    /* the status line and the prompt line */
    UI_DRAW_ALL = 0xF,
    UI_REBUILD = 1 << 4,        /* the tree's visible rows (then body, details, status) */
    UI_RELAYOUT = 1 << 5,       /* sizes changed: everything */
    UI_CLEAR = 1 << 6,          /* repaint the whole terminal (Ctrl-L) */
    UI_CLOSE = 1 << 7,          /* close the view that returned it */
    UI_CLOSE_BELOW = 1 << 8,    /* with UI_CLOSE: and the view under it (not the tree) */
};

/* Colour roles: name, foreground, background, attributes with colour,
 * attributes without (NO_COLOR, monochrome).  Selection adds A_REVERSE. */
#define UI_COLORS(X) \
    X(NORMAL, -1, -1, A_NORMAL, A_NORMAL) \
    X(TITLE, COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD) \
    X(STATUS, COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE) \
    X(ERROR, COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD) \
    X(GOAL, -1, -1, A_BOLD, A_BOLD) \
    X(DONE, COLOR_GREEN, -1, A_NORMAL, A_DIM) \
    X(MATCH, COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE) \
    X(BORDER, COLOR_BLUE, -1, A_NORMAL, A_NORMAL) \
    X(HEAD, COLOR_CYAN, -1, A_BOLD, A_BOLD) \
    X(PROMPT, -1, -1, A_BOLD, A_BOLD) \
    X(OVERDUE, COLOR_RED, -1, A_BOLD, A_BOLD) \
    X(SOON, COLOR_YELLOW, -1, A_NORMAL, A_NORMAL) \
    X(ONTIME, COLOR_GREEN, -1, A_NORMAL, A_NORMAL) \
    X(BAR, COLOR_GREEN, -1, A_NORMAL, A_NORMAL)

enum {
#define UI_COLOR_ENUM(name, fg, bg, ca, ma) UI_C_##name,
    UI_COLORS(UI_COLOR_ENUM)
#undef UI_COLOR_ENUM
    UI_C_COUNT
};

/* Chrome: the characters drawn around the plan's text, in one table with
 * an ASCII set beside it (PLANDASH_ASCII=1 and the TERMs termprobe_ascii
 * names).  The borders are text like the rest: in wide mode (Ambiguous
 * characters drawn two columns wide) ─ │ ┌ take two columns each and the
 * boxes are laid out so (ui_border_w). */
#define UI_GLYPHS(X) \
    X(OPEN, "▾", "v")          /* an expanded goal or task */ \
    X(CLOSED, "▸", ">")        /* a collapsed one */ \
    X(ELLIPSIS, "…", "...")    /* text cut */ \
    X(TO, "→", "->")           /* a query and what it found */ \
    X(VIA, "←", "<-")          /* a group and the member that reached it */ \
    X(HLINE, "─", "-")         /* borders */ \
    X(VLINE, "│", "|") \
    X(ULCORNER, "┌", "+") \
    X(URCORNER, "┐", "+") \
    X(LLCORNER, "└", "+") \
    X(LRCORNER, "┘", "+") \
    X(LTEE, "├", "+") \
    X(RTEE, "┤", "+") \
    X(OVERDUE, "!", "!")       /* an overdue item, beside its due (without colour) */ \
    X(SOON, "~", "~")          /* an item due soon (without colour) */ \
    X(BAR_FULL, "█", "#")      /* a progress bar's full cell, then its eighths */ \
    X(BAR_1, "▏", "-") X(BAR_2, "▎", "-") X(BAR_3, "▍", "-") X(BAR_4, "▌", "=") \
    X(BAR_5, "▋", "=") X(BAR_6, "▊", "=") X(BAR_7, "▉", "=") \
    X(BAR_EMPTY, " ", " ")     /* the rest of a bar */ \
    X(BAR_OPEN, "[", "[") X(BAR_CLOSE, "]", "]")   /* its ends */ \
    X(NOTE, "✎", "*")          /* an item with a progress note */ \
    X(SEP, "·", "-")           /* between the parts of a view's title */

enum {
#define UI_GLYPH_ENUM(name, s, a) UI_G_##name,
    UI_GLYPHS(UI_GLYPH_ENUM)
#undef UI_GLYPH_ENUM
    UI_G_COUNT
};

/* --- scrolling lists --- */

enum {
    UI_SCROLL_VIEW,    /* a list with a selection whose pages and wheel move
                          the view, the selection with it (the tree) */
    UI_SCROLL_MENU,    /* pages and wheel move the selection; the view
                          follows it (the unit list) */
    UI_SCROLL_PAGER,   /* no selection: every key moves the view (the help) */
};

typedef struct {
    size_t sel;   /* the selected row (not for a pager) */
    size_t top;   /* the first row on screen */
    int style;    /* UI_SCROLL_* */
} ui_scroll;

/* Apply UP DOWN PGUP PGDN FIRST LAST WHEEL_UP WHEEL_DOWN to a list of n
 * rows of which h show; false (nothing changed) for another action. */
bool ui_scroll_act(ui_scroll *s, int action, size_t n, size_t h);
/* Keep the selection in the list and on screen, and the screen full. */
void ui_scroll_clamp(ui_scroll *s, size_t n, size_t h);
/* The wheel action of a mouse event, or UI_ACT_NONE. */
int ui_mouse_wheel(const MEVENT *m);

/* --- the line editor (ui_edit.c) --- */

/* One line of UTF-8 text; cur is a byte offset on a character boundary. */
typedef struct {
    strbuf buf;
    size_t cur;
} ui_edit;

void ui_edit_set(ui_edit *e, const char *s);
const char *ui_edit_text(const ui_edit *e);
/* Apply an editing action (UI_ACT_ED_*; key is the character for
 * ED_INSERT); returns whether it was one. */
bool ui_edit_apply(ui_edit *e, int action, int key);
void ui_edit_free(ui_edit *e);

/* --- views --- */

typedef struct ui ui;
typedef struct ui_view ui_view;

enum { UI_AREA_BODY, UI_AREA_PROMPT };   /* what a view draws on */
enum { UI_EV_STATUS, UI_EV_RELOADING, UI_EV_RELOADED, UI_EV_NOTE_SAVED };   /* see event() */

typedef struct {
    const char *name;
    const int *keys;    /* key contexts looked up in order, ending in -1 */
    int hints;          /* the context whose hints the status line shows;
                           -1: those of the view below */
    int area;           /* UI_AREA_BODY or UI_AREA_PROMPT (the prompt line) */
    /* Fit the state to the layout and to flags' changes; draws nothing. */
    void (*layout)(ui_view *v, ui *u, int flags);
    /* Draw the view's area for flags (UI_DRAW_*); changes nothing. */
    void (*draw)(const ui_view *v, const ui *u, int flags);
    /* Act on a key: its action in the view's contexts, and the key. */
    int (*handle)(ui_view *v, ui *u, int action, int key);
    /* A mouse event (NULL: ignored). */
    int (*mouse)(ui_view *v, ui *u, const MEVENT *m);
    /* The status changed on disk (UI_EV_STATUS), or the plan is about to
     * be (RELOADING) or has been (RELOADED) replaced, or a note waiting
     * for the lock was saved (NOTE_SAVED); NULL: nothing to do.
     * Returns flags; UI_CLOSE closes the view. */
    int (*event)(ui_view *v, ui *u, int ev);
    /* The status line's left part when the view has one (the tree's
     * filter); false, or NULL: the hints. */
    bool (*status)(const ui_view *v, const ui *u, strbuf *out, int w);
    void (*free)(ui_view *v);
} ui_view_ops;

struct ui_view {
    const ui_view_ops *ops;
    ui_view *below;     /* the view under it in the stack */
};

/* A change of status waiting for another process's lock: tried again on
 * short ticks until it is saved, or given up after UI_LOCK_WAIT_MS (the
 * dashboard never blocks on the lock). */
typedef struct {
    bool undo;            /* an undo; else set ids[i] to done[i] */
    char *note;           /* else, when set: the note of ids[0] */
    char *expect;         /* with note: the note the editor saw on disk */
    char **ids;
    bool *done;
    size_t n;
    char *ok_msg;         /* said once saved (not for an undo) */
    char *what;           /* what was not saved, for the message */
    double since;         /* when it was first tried (monotonic seconds) */
} ui_pending;
#define UI_LOCK_WAIT_MS 10000L

/* What every view shares: the plan, the status, the screen. */
struct ui {
    plan *p;
    status *s;
    const char *plan_path;
    units_index *ix;             /* for searching the plan's units */
    struct history_index *hist_ix;   /* H's index of the history (ui_history.c), lazily */
    diags msgs;                  /* non-fatal errors of the last action */
    ui_view *top;                /* the view with the keyboard */
    struct ui_tree *tree;        /* the bottom view */

    char *msg;                   /* one-shot message for the status line */
    bool msg_error;
    bool msg_keep;               /* msg stays until a key is pressed */
    ui_pending *pending;         /* a change waiting for the lock, or NULL */
    const char *note_saved;      /* during UI_EV_NOTE_SAVED: the item's id */
    long lock_wait_ms;           /* how long it may wait */
    char *readonly;              /* why we cannot save (the title's 只读), or NULL */

    /* layout (ui_layout) */
    int cols, lines;
    bool too_small;
    int body_y, body_h, tree_w, right_x, right_w, status_y, prompt_y;

    /* terminal (ui_term.c) */
    SCREEN *scr;
    FILE *tin, *tout;            /* headless: /dev/null streams */
    bool color;
    termprobe_mode amb;          /* how wide Ambiguous characters are, and why */
    bool ascii;                  /* chrome in ASCII */
    attr_t attr[UI_C_COUNT];     /* per role, colour pair included */
    bool headless;
    FILE *script;                /* headless: the key script */
    char *script_line;           /* the line being played */
    size_t script_pos;
    const char *dump_path;
    MEVENT mouse;                /* the last mouse event */

    struct stat plan_st;         /* the plan file as last loaded */
    bool plan_st_ok;
    bool quit;
};

extern volatile sig_atomic_t ui_signal;   /* the last SIGINT/TERM/HUP */

/* ui.c: the stack, and what changes the status. */
void ui_view_push(ui *u, ui_view *v);
void ui_set_msg(ui *u, bool error, const char *fmt, ...) PD_PRINTF(3, 4);
/* Show the first error of u->msgs (as --check lists it), forget them. */
int ui_show_errors(ui *u);
/* Read the status file again; tell the views when it changed. */
int ui_refresh_status(ui *u);
/* Monotonic seconds. */
double ui_now(void);

/* ui_tree.c: try the pending change again (on a tick); redraw flags. */
int ui_pending_retry(ui *u);
/* ui_tree.c: save item id's note as marks are saved (never blocking on the
 * lock; refused when read-only or while another change waits).  Returns
 * flags; *saved tells whether it is saved already (else it waits, and the
 * views hear UI_EV_NOTE_SAVED once it is). */
int ui_save_note(ui *u, const char *id, const char *note, const char *expect, bool *saved);
/* ui.c: tell every view of ev, bottom first; close those that ask. */
int ui_views_event(ui *u, int ev);
void ui_pending_free(ui *u);

/* The views' constructors (each in its file). */
ui_view *ui_help_new(ui *u);
ui_view *ui_units_new(ui *u);
ui_view *ui_search_new(ui *u, const char *text);
ui_view *ui_jump_new(ui *u);
ui_view *ui_confirm_new(ui *u, int kind, uint32_t index);
ui_view *ui_overview_new(ui *u);
/* A y/n question on the prompt line: yes(u, ctx) runs on y and returns
 * flags (UI_CLOSE_BELOW closes the asking view too); another key says
 * no_msg.  question is copied. */
ui_view *ui_ask_new(ui *u, const char *question, int (*yes)(ui *u, void *ctx), void *ctx,
                    const char *no_msg);
/* The note editor of item i (ui_note.c) and its history (ui_history.c). */
ui_view *ui_note_new(ui *u, uint32_t i);
ui_view *ui_history_new(ui *u, uint32_t i);
/* Build H's index of the history if it is not yet (a second of idleness:
 * the first H then answers at once). */
void ui_history_prefetch(ui *u);

/* ui_draw.c: the frame, the shared lines and the drawing primitives. */
/* Sizes of the screen's parts for the current terminal and top view. */
void ui_layout(ui *u);
void ui_draw(const ui *u, int flags);
void ui_colors_init(ui *u);
/* A node's number and title as the plan writes them: "一、…", "（二）…",
 * "3. …". */
void ui_node_title(strbuf *b, const plan *p, int kind, uint32_t index);
/* Draw s sanitised at (y, x), cut or padded to exactly w columns. */
void ui_put(int y, int x, const char *s, int w, attr_t a);
/* The same, without padding; returns the columns used. */
int ui_put_fit(int y, int x, const char *s, int w, attr_t a);
/* Draw prompt and editor at (y, x) over w columns, cursor in reverse. */
void ui_edit_draw(const ui *u, const ui_edit *e, int y, int x, int w, const char *prompt);
/* The characters of a piece of chrome (UI_G_*), in the set in force. */
const char *ui_glyph(int g);
/* Use the ASCII set of chrome (on) or the Unicode one. */
void ui_glyph_ascii(bool on);
/* Is the ASCII set in force? */
bool ui_glyph_is_ascii(void);
/* Columns of a box's side border: 2 when ─ │ are drawn wide, else 1. */
int ui_border_w(void);
/* A box's horizontal rule at y from x over w columns, ending in the
 * glyphs left and right (UI_G_*CORNER, UI_G_*TEE), with title after the
 * first stroke (NULL: none). */
void ui_box_rule(const ui *u, int y, int x, int w, int left, int right, const char *title);
/* A box's content line: s cut or padded between the side borders. */
void ui_box_line(const ui *u, int y, int x, int w, const char *s, attr_t a);
/* In ASCII mode, the arrows and marks of UI text (help, hints) as ASCII. */
void ui_chrome_text(strbuf *b);
/* done * 100 / total, 0 for none. */
int ui_percent(size_t done, size_t total);

/* ui_term.c: terminal set-up and input. */
int ui_term_open(ui *u, diags *d);
void ui_term_close(ui *u);
/* The next key (UI_KEY_TICK after a second of silence); headless: the
 * next key of the script, 'q'-like quit at its end. */
int ui_term_key(ui *u);

#endif
