/* plan.h - the model: goals, tasks, items, units, groups.  No curses, no
 * libyaml, no cJSON types.
 *
 * Storage is flat: all goals, tasks and items live in three arrays in plan
 * order, so a goal's tasks and a task's items are contiguous ranges.  Every
 * string lives in the plan's arena and is freed with the plan.  Units are
 * interned: an item refers to its units by index into plan.units.
 *
 * Building protocol (the seam between a reader and the model; the YAML
 * reader in plan_yaml.c follows it, tests can follow it without YAML):
 *
 *   plan *p = plan_new();
 *   plan_set_meta(p, "title", "...", pos)           any order, before finish
 *   plan_group_add(p, "各镇（街道）", pos)           then members:
 *   plan_group_member(p, "春江镇", pos) ...
 *   plan_goal_add(p, id_or_NULL, title, pos)        then its tasks:
 *     plan_task_add(p, id_or_NULL, title, pos)      then its items:
 *       plan_item_add(p, id_or_NULL, text, pos)     then its units:
 *         plan_item_unit(p, PLAN_LEAD, "区党政办", pos) ...
 *         plan_item_units_string(p, PLAN_RESP, "甲、乙等", pos)
 *   plan_finish(p, file, diags)                     checks, counts
 *
 * A NULL id takes its default from the position (goal "2", task "2.3",
 * item "2.3.1").  plan_finish reports duplicate ids, and items, tasks or
 * goals that are missing; the reader reports syntax and type errors.
 * Positions are 1-based line and column, 0 where unknown. */
#ifndef PLANDASH_PLAN_H
#define PLANDASH_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

typedef struct {
    uint32_t line, col;  /* 1-based; 0 = unknown */
} plan_pos;

enum { PLAN_LEAD = 0, PLAN_RESP = 1 };

typedef struct {
    uint32_t *unit;  /* indices into plan.units, in the order written */
    uint32_t n;
    bool more;       /* the cell ended in 等 ("and others") */
} plan_units;

typedef struct {
    const char *id;
    const char *text;
    plan_units who[2];        /* [PLAN_LEAD], [PLAN_RESP] */
    uint32_t task;            /* index into plan.tasks */
    uint32_t num;             /* 1-based position in its task */
    plan_pos pos, id_pos;     /* of the item, of its explicit id */
    bool done;                /* set by the status store */
    const char *done_at;      /* ISO 8601 time, or NULL; owned by the status */
    const char *done_by;      /* login name, or NULL; owned by the status */
} plan_item;

typedef struct {
    const char *id;
    const char *title;
    uint32_t goal;            /* index into plan.goals */
    uint32_t num;             /* 1-based position in its goal */
    uint32_t first_item, n_items;
    uint32_t done;            /* items done (plan_recount) */
    plan_pos pos, id_pos;
} plan_task;

typedef struct {
    const char *id;
    const char *title;
    uint32_t num;             /* 1-based position in the plan */
    uint32_t first_task, n_tasks;
    uint32_t first_item, n_items;
    uint32_t done;            /* items done (plan_recount) */
    plan_pos pos, id_pos;
} plan_goal;

typedef struct {
    const char *name;
    uint32_t n_items[2];      /* items naming it as [PLAN_LEAD] / [PLAN_RESP] */
    uint32_t done_items[2];   /* of those, done (plan_recount) */
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
    /* private */
    size_t cap_goals, cap_tasks, cap_items, cap_units, cap_groups;
    strmap ids;               /* node id -> (kind << 30 | index) */
    strmap unit_names;        /* unit name -> index */
    arena mem;                /* every string and unit array */
    size_t *pend[2];          /* unit names of the item being built: offsets in pend_buf */
    strbuf pend_buf;          /* their text, NUL-separated, reused item after item */
    size_t n_pend[2], cap_pend[2];
    bool pend_more[2];        /* its explicit *_more flags */
    bool item_open;           /* the last item's units are still pending */
    const char **gpend;       /* group names and members, until plan_finish */
    uint32_t *gpend_n;        /* per pending group: members that follow it */
    size_t n_gpend, cap_gpend, n_gnames, cap_gnames;
} plan;

plan *plan_new(void);
void plan_free(plan *p);

/* Set "title", "issuer", "document" or "date" (copied). */
void plan_set_meta(plan *p, const char *key, const char *value);
/* Start a group (name copied); members follow with plan_group_member. */
void plan_group_add(plan *p, const char *name, plan_pos pos);
void plan_group_member(plan *p, const char *name);
/* Append a goal / a task to the last goal / an item to the last task.
 * id, title and text may be NULL and set later with plan_set_last; a NULL
 * id gets its default from the position in plan_finish. */
void plan_goal_add(plan *p, const char *id, const char *title, plan_pos pos);
void plan_task_add(plan *p, const char *id, const char *title, plan_pos pos);
void plan_item_add(plan *p, const char *id, const char *text, plan_pos pos);
enum { PLAN_GOAL = 0, PLAN_TASK = 1, PLAN_ITEM = 2 };
/* Set a field of the last node of a kind: "id" (pos is the id's own
 * position, used in duplicate-id errors), "title" (goal, task) or "text"
 * (item).  The value is copied. */
void plan_set_last(plan *p, int kind, const char *field, const char *value, plan_pos pos);
/* Add one unit name to the last item's lead or responsible list; the name
 * is trimmed; an empty name is ignored; a lone "等" sets the more flag. */
void plan_item_unit(plan *p, int who, const char *name);
/* Split a unit string (units_split) and add each name. */
void plan_item_units_string(plan *p, int who, const char *s);
/* Set the last item's "and others" flag explicitly (lead_more: true). */
void plan_item_more(plan *p, int who, bool more);
/* Finish building: check ids, intern, count.  Errors and warnings go to d
 * with file as their file name; returns the number of new errors. */
size_t plan_finish(plan *p, const char *file, diags *d);

/* Load a plan from a YAML file (plan_yaml.c).  Errors and warnings go to
 * d as FILE:LINE:COL: error: ...; returns NULL when there are errors. */
plan *plan_load(const char *path, diags *d);
/* The same from a buffer of len bytes (not NUL-terminated); name is the
 * file name used in messages. */
plan *plan_parse(const char *name, const char *buf, size_t len, diags *d);

/* Look an item up by id; NULL if there is none. */
plan_item *plan_find_item(const plan *p, const char *id);
/* Look any node up by id: kind 0 goal, 1 task, 2 item; index into that
 * array.  Returns false if there is none. */
bool plan_find_node(const plan *p, const char *id, int *kind, uint32_t *index);
/* Recompute done counts of goals, tasks, units and the plan. */
void plan_recount(plan *p);
/* Clear every item's done state (before applying a reloaded status). */
void plan_clear_done(plan *p);

#endif
