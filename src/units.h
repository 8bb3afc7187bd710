/* units.h - unit names: matching a query against names by Chinese
 * substring, toneless pinyin or pinyin initials, through groups (splitting
 * a cell into names is in unitname.h).  No curses.
 *
 * A query matches a unit name when, compared case-insensitively, it is a
 * substring of the name itself, or (when the query is all ASCII letters,
 * digits and spaces/apostrophes, which are ignored) a substring of the
 * name's toneless pinyin ("qusifaju") or of its initials ("qsfj").  A
 * polyphonic character matches under any of its readings. */
#ifndef PLANDASH_UNITS_H
#define PLANDASH_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plan.h"

/* Append to out a key that sorts unit names in pinyin order (the usual
 * reading of each character; Latin letters and digits as themselves);
 * names with equal keys are to be ordered by the names themselves. */
void units_sort_key(strbuf *out, const char *name);

/* A compiled query. */
typedef struct units_query units_query;

/* Compile q (UTF-8); never NULL.  An empty query matches every name. */
units_query *units_query_new(const char *q);
void units_query_free(units_query *q);
/* Does the query match this unit name? */
bool units_query_match(const units_query *q, const char *name);

/* Per-plan index: each unit's pinyin forms computed once, and for each unit
 * the items that name it, so that a keystroke scans only units. */
typedef struct units_index units_index;

units_index *units_index_new(const plan *p);
void units_index_free(units_index *ix);

enum {
    MATCH_LEAD = 1,    /* a matching unit leads the item */
    MATCH_RESP = 2,    /* a matching unit is responsible for it */
    MATCH_GROUP = 4,   /* found through a group one of whose members matched */
    MATCH_SUPP = 8,    /* a matching unit supports it (配合单位) */
};

/* The result of one search; arrays are sized by the plan and reused. */
typedef struct {
    uint8_t *unit_hit;     /* per unit: 1 matched itself, 2 a group reached through a member */
    uint8_t *item_hit;     /* per item: MATCH_* bits, 0 = not found */
    uint32_t *units;       /* matched units (unit_hit == 1), in plan order */
    size_t n_units;
    size_t n_items;        /* items with item_hit != 0 */
    size_t n_lead, n_resp, n_supp, n_group;  /* items found as lead, as responsible,
                                                as support, through a group */
    size_t cap_units;
} units_result;

/* Run query q over the index; fill r (allocating its arrays on first use).
 * An empty query matches nothing (r->n_items == 0). */
void units_search(const units_index *ix, const char *q, units_result *r);
/* The same for one unit chosen exactly (the unit list's Enter): r->units
 * is that unit, its items are found as lead, responsible or support, the items of
 * every group it belongs to (transitively) as found through a group. */
void units_search_unit(const units_index *ix, uint32_t unit, units_result *r);
/* Set hit[u] (one byte per unit) to whether unit u's name matches q, by
 * the forms the index holds (nothing is rebuilt per call); returns how
 * many match.  Unlike units_search, an empty query matches every unit. */
size_t units_index_match(const units_index *ix, const char *q, uint8_t *hit);
/* Every unit of the plan into out (n_units entries), in the pinyin order
 * of their names (units_sort_key, then the names, then plan order). */
void units_index_order(const units_index *ix, uint32_t *out);
/* Group unit gu was reached through a member (unit_hit 2): the name of
 * the first of its members that r found (matched, or reached as a group
 * itself), and in *n_more how many others; NULL if none. */
const char *units_result_member(const plan *p, const units_result *r, uint32_t gu,
                                size_t *n_more);
void units_result_free(units_result *r);

#endif
