/* ui_tree.h - the tree view: its state, shared by ui_rows.c (visible
 * rows, folds, the filter; no drawing), ui_tree.c (keys, actions, the
 * tree pane) and ui_detail.c (the details column); and what the other
 * views ask of it.  Private to ui*.c.
 *
 * The tree pane draws a flat array of visible rows, rebuilt only when
 * folding, filtering, a status change or a reload asks for it
 * (UI_REBUILD); drawing reads rows[top .. top + height) and nothing else
 * of the tree. */
#ifndef PLANDASH_UI_TREE_H
#define PLANDASH_UI_TREE_H

#include "ui_view.h"

enum { UI_FILTER_NONE, UI_FILTER_QUERY, UI_FILTER_UNIT, UI_FILTER_DUE };

typedef struct {
    uint32_t index;   /* into plan.goals, .tasks or .items */
    uint8_t kind;     /* PLAN_GOAL, PLAN_TASK, PLAN_ITEM */
    uint8_t depth;    /* indentation level */
} ui_row;

typedef struct ui_tree {
    ui_view v;                   /* first: a ui_tree is a view */
    const plan *p;               /* the ui's plan (same object across reloads) */

    /* visible rows, in plan order (ui_rows_key ascending) */
    ui_row *rows;
    size_t n_rows, cap_rows;
    ui_scroll sc;                /* selected row; first row on screen */
    uint8_t *goal_open, *task_open;  /* per goal / task: expanded */
    bool hide_done;
    bool due_col;                /* some item has due words: the due column */

    /* the filter: a query, or one unit chosen in the unit list */
    int filter;
    char *filter_label;          /* the query, or the unit's name */
    units_result res;            /* what it found */
    const uint8_t *hit;          /* res.item_hit (due_hit for `o`) while filtering */
    uint8_t *due_hit;            /* `o`: per item, overdue or due soon */
    uint32_t *f_goal_total, *f_goal_done;   /* matching items per goal */
    uint32_t *f_task_total, *f_task_done;   /* and per task */
    uint32_t *f_goal_over, *f_task_over;    /* matching items overdue */

    /* the selected node's details, computed on layout when the selection
     * or the width changes, never per draw (ui_detail.c) */
    int d_kind;
    uint32_t d_index;
    int d_width;                 /* -1: invalid */
    const char *d_note;          /* an item's note when computed (a new one: again) */
    strbuf d_text;               /* wrapped lines, each ending in '\n' */
    size_t *d_line;              /* offsets of the lines in d_text */
    size_t n_d_lines, cap_d_lines;
    uint32_t *agg[PLAN_ROLES];   /* goal/task: distinct units, by count */
    uint32_t *agg_n[PLAN_ROLES]; /* how many items name each */
    size_t n_agg[PLAN_ROLES];
    uint32_t *agg_count;         /* scratch, per unit */

    char *reload_sel;            /* during a reload: the selected node's id */
} ui_tree;

/* ui_tree.c */
ui_tree *ui_tree_new(ui *u);
/* Filter the tree by one unit (the unit list's Enter); returns flags. */
int ui_tree_filter_unit(ui *u, uint32_t unit);
/* Filter by a query as it is typed ("" clears); returns flags. */
int ui_tree_filter_query(ui *u, const char *q);
/* Show only the items overdue or due soon (`o`); returns flags. */
int ui_tree_filter_due(ui *u);
/* Clear the filter; returns flags. */
int ui_tree_filter_clear(ui *u);
/* The unit the tree is filtered by, if it is; false if not. */
bool ui_tree_unit(const ui *u, uint32_t *unit);
/* Move the selection (UP, DOWN) while a prompt is open. */
int ui_tree_move(ui *u, int action);
/* Jump to a node by its number ("2.3"). */
int ui_tree_jump(ui *u, const char *text);
/* Mark every item of a goal or task, or unmark them if all are done. */
int ui_tree_mark_range(ui *u, int kind, uint32_t index);
/* The filter for the status line, in at most w columns; false if none. */
bool ui_tree_filter_status(const ui *u, strbuf *out, int w);
/* The status line's right part: hidden items, completion. */
void ui_tree_status_right(const ui *u, strbuf *out);

/* ui_rows.c */
void ui_rows_alloc(ui_tree *t);
void ui_rows_free(ui_tree *t);
void ui_rows_rebuild(ui_tree *t);
/* The row showing node (kind, index), or -1. */
long ui_rows_find(const ui_tree *t, int kind, uint32_t index);
/* Select node (kind, index), or the nearest visible ancestor or follower. */
void ui_rows_select(ui_tree *t, int kind, uint32_t index);
bool ui_rows_item_shown(const ui_tree *t, uint32_t i);
void ui_rows_filter_clear(ui_tree *t);
/* Filter by query q ("" clears) or by one unit, through the index. */
void ui_rows_filter_query(ui_tree *t, const units_index *ix, const char *q);
void ui_rows_filter_unit(ui_tree *t, const units_index *ix, uint32_t unit);
/* Filter to the items overdue or due soon (`o`). */
void ui_rows_filter_due(ui_tree *t);
/* Open the goals and tasks that hold items the filter shows. */
void ui_rows_open_hits(ui_tree *t);

/* ui_detail.c */
/* Compute the details of the selected node for the column's width. */
void ui_detail_layout(ui_tree *t, const ui *u);
void ui_detail_draw(const ui_tree *t, const ui *u);
void ui_detail_free(ui_tree *t);

#endif
