/* ui_int.h - the dashboard's shared state, between ui.c (loop, keys,
 * actions), ui_rows.c (visible rows, folds, filters), ui_draw.c (drawing)
 * and ui_term.c (terminal set-up, headless test mode).  Private to ui*.c.
 *
 * The tree pane draws a flat array of visible rows (ui.rows), rebuilt only
 * when folding, filtering, a status change or a reload asks for it
 * (UI_REBUILD); drawing reads rows[top .. top + height) and nothing else of
 * the tree, so it costs O(rows on screen) whatever the size of the plan.
 * Key handlers return UI_* redraw flags; the loop rebuilds and redraws what
 * they name and calls doupdate() once before waiting for the next key. */
#ifndef PLANDASH_UI_INT_H
#define PLANDASH_UI_INT_H

#include <curses.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include "plan.h"
#include "status.h"
#include "units.h"
#include "util.h"

#define UI_MIN_COLS 40
#define UI_MIN_LINES 10

/* A key: a Unicode character, or a curses function key KEY_* offset past
 * the Unicode range so the two never collide. */
#define UI_FKEY(k) (0x200000 + (int)(k))
#define UI_CTRL(c) ((c) & 0x1f)
#define UI_KEY_ESC 27
#define UI_KEY_TICK UI_FKEY(0x7000)   /* a second without input */
#define UI_KEY_NONE (-1)

/* Redraw flags returned by key handlers. */
enum {
    UI_DRAW_TITLE = 1 << 0,
    UI_DRAW_TREE = 1 << 1,      /* the tree pane, or the overlay (help, units) */
    UI_DRAW_DETAIL = 1 << 2,    /* the right column */
    UI_DRAW_STATUS = 1 << 3,    /* the status line and the prompt line */
    UI_DRAW_ALL = 0xF,
    UI_REBUILD = 1 << 4,        /* the visible rows (then the tree and status) */
    UI_RELAYOUT = 1 << 5,       /* sizes changed: everything */
    UI_CLEAR = 1 << 6,          /* repaint the whole terminal (Ctrl-L) */
};

/* What has the keyboard. */
enum {
    UI_MODE_TREE,      /* the tree */
    UI_MODE_SEARCH,    /* the / query line (filters as it changes) */
    UI_MODE_JUMP,      /* the : node-number line */
    UI_MODE_CONFIRM,   /* a y/n question */
    UI_MODE_HELP,      /* the key list */
    UI_MODE_UNITS,     /* the unit list with its filter line */
};

enum { UI_FILTER_NONE, UI_FILTER_QUERY, UI_FILTER_UNIT };
enum { UI_SORT_NAME, UI_SORT_LEFT };

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
    X(PROMPT, -1, -1, A_BOLD, A_BOLD)

enum {
#define UI_COLOR_ENUM(name, fg, bg, ca, ma) UI_C_##name,
    UI_COLORS(UI_COLOR_ENUM)
#undef UI_COLOR_ENUM
    UI_C_COUNT
};

typedef struct {
    uint32_t index;   /* into plan.goals, .tasks or .items */
    uint8_t kind;     /* PLAN_GOAL, PLAN_TASK, PLAN_ITEM */
    uint8_t depth;    /* indentation level */
} ui_row;

/* A one-line editor over UTF-8 text; cur is a byte offset on a character
 * boundary. */
typedef struct {
    strbuf buf;
    size_t cur;
} ui_edit;

typedef struct ui {
    plan *p;
    status *s;
    const char *plan_path;
    diags msgs;                  /* non-fatal errors of the last action */

    /* visible rows, in plan order (ui_rows_key ascending) */
    ui_row *rows;
    size_t n_rows, cap_rows;
    size_t sel, top;             /* selected row; first row on screen */
    uint8_t *goal_open, *task_open;  /* per goal / task: expanded */
    bool hide_done;

    /* the tree filter: a query (units_search) or one exact unit */
    int filter;
    char *filter_label;          /* the query, or the unit's name */
    units_index *ix;
    units_result res;            /* the query's result */
    uint8_t *ex_item_hit, *ex_unit_hit;   /* the exact unit's result */
    uint32_t ex_unit;
    const uint8_t *hit;          /* per item MATCH_* bits; NULL: no filter */
    const uint8_t *unit_hit;     /* per unit 1 matched, 2 group reached */
    size_t hit_items, hit_lead, hit_resp, hit_group;
    const uint32_t *hit_units;   /* the units that matched */
    size_t n_hit_units;
    uint32_t *f_goal_total, *f_goal_done;   /* matching items per goal */
    uint32_t *f_task_total, *f_task_done;   /* and per task */

    int mode;
    ui_edit edit;                /* the / or : line */
    int confirm_kind;            /* the goal or task a y/n is about */
    uint32_t confirm_index;
    size_t help_top;
    strbuf help;                 /* the help text: lines, "#" heads a section */

    /* the unit list */
    uint32_t *ulist;             /* units shown, filtered and sorted */
    size_t n_ulist, usel, utop;
    int usort;
    ui_edit ufilter;
    uint32_t *u_total, *u_done;  /* per unit: items it leads or is responsible for */

    /* the selected node's details, computed when the selection or the
     * width changes, never per draw */
    int d_kind;
    uint32_t d_index;
    int d_width;                 /* -1: invalid */
    strbuf d_text;               /* wrapped lines, each ending in '\n' */
    size_t *d_line;              /* offsets of the lines in d_text */
    size_t n_d_lines, cap_d_lines;
    uint32_t *agg[2];            /* goal/task: distinct units, by count */
    uint32_t *agg_n[2];          /* how many items name each */
    size_t n_agg[2];
    uint32_t *agg_count;         /* scratch, per unit */

    char *msg;                   /* one-shot message for the status line */
    bool msg_error;

    /* layout */
    int cols, lines;
    bool too_small;
    int body_y, body_h, tree_w, right_x, right_w, status_y, prompt_y;

    /* terminal */
    SCREEN *scr;
    FILE *tin, *tout;            /* headless: /dev/null streams */
    bool color;
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
    int exit_code;
} ui;

extern volatile sig_atomic_t ui_signal;   /* the last SIGINT/TERM/HUP */

/* ui_rows.c: rows, folds and filters (no drawing). */
uint64_t ui_rows_key(const plan *p, int kind, uint32_t index);
void ui_rows_rebuild(ui *u);
/* The row showing node (kind, index), or -1. */
long ui_rows_find(const ui *u, int kind, uint32_t index);
/* Select node (kind, index), or the nearest visible ancestor or follower. */
void ui_rows_select(ui *u, int kind, uint32_t index);
bool ui_item_shown(const ui *u, uint32_t i);
void ui_filter_clear(ui *u);
/* Filter by a query; returns whether anything matched. */
void ui_filter_query(ui *u, const char *q);
void ui_filter_unit(ui *u, uint32_t unit);
/* Open the goals and tasks that hold items the filter shows. */
void ui_open_hits(ui *u);
/* Per-unit counts for the unit list; filtered, sorted list. */
void ui_units_count(ui *u);
void ui_units_list(ui *u);
/* The group unit gu reached through a member: the first matching member. */
const char *ui_group_member_hit(const ui *u, uint32_t gu, size_t *n_more);
void ui_rows_alloc(ui *u);
void ui_rows_free(ui *u);

/* ui_draw.c */
void ui_layout(ui *u);
void ui_draw(ui *u, int flags);
void ui_colors_init(ui *u);
void ui_detail_invalidate(ui *u);
/* Visible tree rows in the body. */
int ui_tree_height(const ui *u);

/* ui_edit (in ui_draw.c for drawing, ui.c for keys) */
void ui_edit_set(ui_edit *e, const char *s);
void ui_edit_insert(ui_edit *e, uint32_t cp);
void ui_edit_left(ui_edit *e);
void ui_edit_right(ui_edit *e);
void ui_edit_backspace(ui_edit *e);
void ui_edit_delete(ui_edit *e);
void ui_edit_kill(ui_edit *e);
const char *ui_edit_text(const ui_edit *e);
/* Draw prompt and editor at (y, x) over w columns, cursor in reverse. */
void ui_edit_draw(const ui *u, const ui_edit *e, int y, int x, int w, const char *prompt);

/* ui_term.c: terminal set-up and input. */
int ui_term_open(ui *u, diags *d);
void ui_term_close(ui *u);
/* The next key (UI_KEY_TICK after a second of silence); headless: the
 * next key of the script, 'q'-like quit at its end. */
int ui_term_key(ui *u);
void ui_set_msg(ui *u, bool error, const char *fmt, ...) PD_PRINTF(3, 4);
/* Draw s sanitised at (y, x), cut or padded to exactly w columns. */
void ui_put(int y, int x, const char *s, int w, attr_t a);
/* The same, without padding; returns the columns used. */
int ui_put_fit(int y, int x, const char *s, int w, attr_t a);

/* ui.c */
/* Build the help text from the key table into u->help. */
void ui_help_build(ui *u);

#endif
