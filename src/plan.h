/* plan.h - the model: goals, tasks, items, units, groups.  No curses, no
 * libyaml, no cJSON types.
 *
 * Storage is flat: all goals, tasks and items live in three arrays in plan
 * order, so a goal's tasks and a task's items are contiguous ranges.  Every
 * string lives in the plan's arena and is freed with the plan.  Units are
 * interned: an item refers to its units by index into plan.units.
 *
 * Building protocol (the seam between a reader and the model; the YAML
 * reader in plan_yaml.c follows it, tests can follow it without YAML).  The
 * builder owns every piece of scratch state; the plan it hands back holds
 * only the finished model:
 *
 *   plan_builder *b = plan_build_new();
 *   plan_build_title(b, "...")                      and plan_build_issuer,
 *                                                   _document, _date; any time
 *   plan_build_group(b, "各镇（街道）", pos)          then its members:
 *   plan_build_member(b, "春江镇") ...
 *   plan_build_goal(b, id_or_NULL, title, pos)      then its tasks:
 *     plan_build_task(b, id_or_NULL, title, pos)    then its items:
 *       plan_build_item(b, id_or_NULL, text, pos)   then its units:
 *         plan_build_unit(b, PLAN_LEAD, "区党政办") ...
 *         plan_build_units_string(b, PLAN_RESP, "甲、乙等")
 *         plan_build_more(b, PLAN_LEAD, true)
 *         plan_build_each(b, true)                  分别牵头
 *   plan_build_goal_items(b, pos)                   the last goal holds its
 *                                                   items (no tasks)
 *   plan_build_level_unit(b, PLAN_PLAN, role, name) units for every item
 *                                                   below the plan, the last
 *                                                   goal or task; and
 *                                                   _level_units_string, _more
 *   plan_build_numbering(b, PLAN_NUM_GOAL)          items run on per goal
 *   plan_build_due(b, kind, "9月底前", pos)         the due words of the plan
 *                                                   (kind -1) or its last node
 *   plan_build_id(b, kind, id, pos)                 set the last node's id,
 *   plan_build_heading(b, kind, title)              a goal's/task's title,
 *   plan_build_text(b, text)                        the last item's text
 *   plan *p = plan_build_finish(b, file, diags)     checks, counts; frees b
 *
 * A reader may open a node with plan_build_node(b, kind, pos) and set its
 * id and title as it meets them.  A NULL id takes its default from the
 * position (goal "2", task "2.3", item "2.3.1").  plan_build_finish reports
 * duplicate ids, and items, tasks or goals that are missing; the reader
 * reports syntax and type errors.  Positions are 1-based line and column,
 * 0 where unknown. */
#ifndef PLANDASH_PLAN_H
#define PLANDASH_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "due.h"
#include "util.h"

typedef struct {
    uint32_t line, col;  /* 1-based; 0 = unknown */
} plan_pos;

/* The roles a unit can have for an item: (constant, YAML key).  Adding a
 * role is one line here; every loop over roles runs to PLAN_ROLES. */
#define PLAN_ROLE_LIST(X) \
    X(PLAN_LEAD, "lead") \
    X(PLAN_RESP, "responsible") \
    X(PLAN_SUPP, "support")

enum plan_role {
#define PLAN_ROLE_ENUM(name, key) name,
    PLAN_ROLE_LIST(PLAN_ROLE_ENUM)
#undef PLAN_ROLE_ENUM
    PLAN_ROLES
};

/* The kinds of node; PLAN_PLAN stands for the plan itself as a level
 * (plan_build_level_unit). */
enum plan_kind { PLAN_PLAN = -1, PLAN_GOAL = 0, PLAN_TASK = 1, PLAN_ITEM = 2, PLAN_KINDS };

/* How items are numbered (numbering: at the top of the plan): restarting
 * in each task, running on through each goal, or through the plan. */
enum plan_numbering { PLAN_NUM_TASK = 0, PLAN_NUM_GOAL, PLAN_NUM_PLAN };

typedef struct {
    uint32_t *unit;  /* indices into plan.units, in the order written */
    uint32_t n;
    bool more;       /* the cell ended in 等 ("and others") */
} plan_units;

typedef struct {
    const char *id;
    const char *text;
    plan_units who[PLAN_ROLES];  /* by role, effective: its own units, then
                                  those set on its task, goal and plan */
    uint32_t task;            /* index into plan.tasks */
    uint32_t num;             /* 1-based position in its task */
    uint32_t shown;           /* its number as printed (plan.numbering) */
    bool each;                /* each: true, 分别牵头 */
    plan_pos pos, id_pos;     /* of the item, of its explicit id */
    bool done;                /* set by the status store */
    const char *done_at;      /* ISO 8601 time, or NULL; owned by the status */
    const char *done_by;      /* login name, or NULL; owned by the status */
    const char *due;          /* effective due words (its own or inherited), or NULL */
    plan_pos due_pos;         /* of its own due words; line 0: none */
    uint32_t due_ymd;         /* the date they give (YYYYMMDD), or 0 */
    uint8_t due_kind;         /* DUE_NONE, DUE_DATE, DUE_ONGOING ... (due.h) */
    uint8_t due_state;        /* DUE_S_* against plan.today (plan_recount) */
    const char *note;         /* progress note (进展情况), or NULL; owned by the status */
    const char *note_at;      /* when it was written, or NULL */
    const char *note_by;      /* by whom, or NULL */
} plan_item;

typedef struct {
    const char *id;
    const char *title;
    uint32_t goal;            /* index into plan.goals */
    uint32_t num;             /* 1-based position in its goal */
    uint32_t first_item, n_items;
    uint32_t done;            /* items done (plan_recount) */
    uint32_t overdue, soon;   /* items overdue, due soon (plan_recount) */
    const char *due;          /* its own due words, or NULL */
    plan_pos pos, id_pos, due_pos;
    bool implicit;            /* holds a goal's own items (a two-level
                                 plan): untitled, shown nowhere, its id the
                                 goal's and not registered */
} plan_task;

typedef struct {
    const char *id;
    const char *title;
    uint32_t num;             /* 1-based position in the plan */
    uint32_t first_task, n_tasks;
    uint32_t first_item, n_items;
    uint32_t done;            /* items done (plan_recount) */
    uint32_t overdue, soon;   /* items overdue, due soon (plan_recount) */
    const char *due;          /* its own due words, or NULL */
    plan_pos pos, id_pos, due_pos;
} plan_goal;

typedef struct {
    const char *name;
    uint32_t n_items[PLAN_ROLES];     /* items naming it, by role */
    uint32_t done_items[PLAN_ROLES];  /* of those, done (plan_recount) */
    uint32_t overdue;         /* items naming it in any role, overdue (plan_recount) */
    uint32_t n_groups;        /* groups it is a member of */
    uint32_t *groups;         /* their indices into plan.groups */
    bool is_group;            /* declared under groups: */
} plan_unit;

typedef struct {
    uint32_t unit;            /* the group's own unit */
    uint32_t *members;        /* member units */
    uint32_t n_members;
    plan_pos pos;
} plan_group;

typedef struct plan {
    const char *title, *issuer, *document, *date;  /* NULL if absent */
    plan_goal *goals;
    plan_task *tasks;
    plan_item *items;
    plan_unit *units;
    plan_group *groups;
    size_t n_goals, n_tasks, n_items, n_units, n_groups;
    size_t n_item_units;      /* units named by at least one item */
    size_t done;              /* items done (plan_recount) */
    const char *due;          /* the plan's own due words, or NULL */
    plan_pos due_pos;
    uint32_t today;           /* YYYYMMDD the due states are as of (due_today) */
    size_t overdue, soon;     /* items overdue, due soon (plan_recount) */
    int numbering;            /* enum plan_numbering */
    strmap ids;               /* node id -> (kind << 30 | index) */
    strmap unit_names;        /* unit name -> index */
    arena mem;                /* every string and unit array */
} plan;

/* The scratch state of a plan being built (plan.c). */
typedef struct plan_builder plan_builder;

/* Start building an empty plan. */
plan_builder *plan_build_new(void);
/* Abandon a build: free the builder and the plan it holds. */
void plan_build_free(plan_builder *b);
/* The plan's fields (copied; NULL leaves the field absent). */
void plan_build_title(plan_builder *b, const char *title);
void plan_build_issuer(plan_builder *b, const char *issuer);
void plan_build_document(plan_builder *b, const char *document);
void plan_build_date(plan_builder *b, const char *date);
/* Start a group (name copied); members follow with plan_build_member. */
void plan_build_group(plan_builder *b, const char *name, plan_pos pos);
/* Add a member (trimmed; empty ignored) to the last group. */
void plan_build_member(plan_builder *b, const char *name);
/* Open a node of a kind without id or title: a goal, a task of the last
 * goal or an item of the last task (a missing parent is opened first). */
void plan_build_node(plan_builder *b, int kind, plan_pos pos);
/* Append a goal / a task / an item with its id (NULL: the default from its
 * position, given in plan_build_finish) and title or text (may be NULL). */
void plan_build_goal(plan_builder *b, const char *id, const char *title, plan_pos pos);
void plan_build_task(plan_builder *b, const char *id, const char *title, plan_pos pos);
void plan_build_item(plan_builder *b, const char *id, const char *text, plan_pos pos);
/* Set the id of the last node of a kind; pos is the id's own position,
 * used in duplicate-id errors.  Copied. */
void plan_build_id(plan_builder *b, int kind, const char *id, plan_pos pos);
/* Set the title of the last goal or task (kind PLAN_GOAL or PLAN_TASK). */
void plan_build_heading(plan_builder *b, int kind, const char *title);
/* Set the due words of the plan (kind -1) or of its last goal, task or
 * item (copied).  An item's due is its own, else its task's, its goal's or
 * the plan's; plan_build_finish reads them and warns about words that are
 * neither a date nor ongoing. */
void plan_build_due(plan_builder *b, int kind, const char *words, plan_pos pos);
/* Set the text of the last item. */
void plan_build_text(plan_builder *b, const char *text);
/* Add one unit name to the last item's list for a role; the name is
 * trimmed; an empty name is ignored; a lone "等" sets the more flag. */
void plan_build_unit(plan_builder *b, int role, const char *name);
/* Split a unit string (unitname_split) and add each name. */
void plan_build_units_string(plan_builder *b, int role, const char *s);
/* Set the last item's "and others" flag for a role (lead_more: true). */
void plan_build_more(plan_builder *b, int role, bool more);
/* Set the last item's each flag (each: true, 分别牵头). */
void plan_build_each(plan_builder *b, bool each);
/* Set how items are numbered (enum plan_numbering). */
void plan_build_numbering(plan_builder *b, int numbering);
/* Units set on a level above the items: on the plan (kind PLAN_PLAN), the
 * last goal (PLAN_GOAL) or the last task (PLAN_TASK); they are added to
 * every item below in plan_build_finish, after the item's own.  The same
 * rules as plan_build_unit / _units_string / _more. */
void plan_build_level_unit(plan_builder *b, int kind, int role, const char *name);
void plan_build_level_units_string(plan_builder *b, int kind, int role, const char *s);
void plan_build_level_more(plan_builder *b, int kind, int role, bool more);
/* The last goal holds its items directly (items: under a goal): open its
 * implicit task, which items then go into. */
void plan_build_goal_items(plan_builder *b, plan_pos pos);
/* Finish building: check ids, intern, count; frees b.  Errors and warnings
 * go to d with file as their file name.  Returns the plan, never NULL: it
 * is consistent even when d->errors grew, and the caller decides. */
plan *plan_build_finish(plan_builder *b, const char *file, diags *d);
void plan_free(plan *p);

/* Load a plan from a YAML file (plan_yaml.c).  Errors and warnings go to
 * d as FILE:LINE:COL: error: ...; returns NULL when there are errors. */
plan *plan_load(const char *path, diags *d);
/* The same from a buffer of len bytes (not NUL-terminated); name is the
 * file name used in messages. */
plan *plan_parse(const char *name, const char *buf, size_t len, diags *d);

/* The YAML key of a role: "lead", "responsible", "support". */
const char *plan_role_key(int role);
/* The name of a kind: "goal", "task", "item". */
const char *plan_kind_name(int kind);

/* Accessors for a node given by kind and index. */
const char *plan_node_id(const plan *p, int kind, uint32_t index);
/* A goal's or task's title, an item's text. */
const char *plan_node_title(const plan *p, int kind, uint32_t index);
/* The node's position in the file; with id, of its id (or the node's). */
plan_pos plan_node_pos(const plan *p, int kind, uint32_t index, bool id);
/* The items under the node: [*first, *first + *n); an item is itself. */
void plan_node_items(const plan *p, int kind, uint32_t index, uint32_t *first,
                     uint32_t *n);
/* Items done under the node (an item: 0 or 1). */
uint32_t plan_node_done(const plan *p, int kind, uint32_t index);
/* Append the node's official number: "一、" (goal), "（一）" (task),
 * "1." (item, numbered as plan.numbering says); nothing for an implicit
 * task. */
void plan_node_number(const plan *p, int kind, uint32_t index, strbuf *out);
/* The node after (*kind, *index) in plan order (goal, its tasks, each with
 * its items, next goal); start with *kind = -1.  False after the last. */
bool plan_next_node(const plan *p, int *kind, uint32_t *index);

/* Append a done time as shown to people: "YYYY-MM-DD HH:MM" from an ISO
 * 8601 time ("2026-11-26T18:42:08+08:00"); any other text as it is. */
void plan_done_time(strbuf *out, const char *at);

/* The plan's tasks, without the implicit ones of goals holding items. */
size_t plan_task_count(const plan *p);
/* Does any item name a unit in this role (a plan without support: shows
 * no 配合单位 pane or column)? */
bool plan_has_role(const plan *p, int role);
/* Look a node up by the dotted form of its number as shown ("1.2.6" for
 * 一、（二）6., "1.6" in a goal holding its items); false if none. */
bool plan_find_number(const plan *p, const char *dotted, int *kind, uint32_t *index);
/* Look an item up by id; NULL if there is none. */
plan_item *plan_find_item(const plan *p, const char *id);
/* Look any node up by id: its kind (PLAN_GOAL ...) and index into that
 * array.  Returns false if there is none. */
bool plan_find_node(const plan *p, const char *id, int *kind, uint32_t *index);
/* Recompute done counts of goals, tasks, units and the plan, and every
 * item's due state against plan.today with the overdue counts. */
void plan_recount(plan *p);
/* Make today (YYYYMMDD) the plan's today; if that is another day, re-derive
 * the due states (plan_recount) and return true. */
bool plan_set_today(plan *p, uint32_t today);
/* Clear every item's done state (before applying a reloaded status). */
void plan_clear_done(plan *p);

#endif
