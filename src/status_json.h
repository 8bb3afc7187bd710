/* status_json.h - one status file's text <-> a snapshot of its entries,
 * read and written through cJSON.  Private to status*.c; no curses.
 *
 * Reading: json_strict_check checks the whole text first (positions,
 * duplicate keys, encoding, numbers, depth: what cJSON does not refuse) and
 * records the spans of the top level and of the entries; cJSON then parses
 * the top-level fields one by one and the entries a chunk at a time, so no
 * tree of the whole file is ever built.  Unknown fields are kept as their
 * source text without whitespace (cJSON_Minify), so their values stay byte
 * for byte.  Writing: the layout of status.h, every string printed by
 * cJSON. */
#ifndef PLANDASH_STATUS_JSON_H
#define PLANDASH_STATUS_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* What is known of a snapshot's order: a file is checked once, when first
 * written, and then kept track of as entries are added. */
enum { STATUS_ORDER_UNKNOWN, STATUS_ORDER_SORTED, STATUS_ORDER_UNSORTED };

/* One entry of the file.  Strings live in the snapshot's arena. */
typedef struct {
    const char *id;
    const char *at;     /* NULL if absent */
    const char *by;     /* NULL if absent */
    const char *note;   /* the progress note; NULL if absent */
    const char *note_at, *note_by;   /* NULL if absent */
    const char *extra;  /* the other fields, `, "k": v` each, NULL if none */
    bool done;
    bool present;       /* false once an undo removed it */
} status_entry;

/* Everything one read of the file holds. */
typedef struct {
    status_entry *v;
    size_t n, cap;
    strmap index;       /* id -> index into v */
    int order;          /* STATUS_ORDER_*: whether v is in id order */
    const char *tail;   /* unknown top-level fields, `,\n  "k": v` each */
    arena mem;
} status_snap;

/* Parse text[0..len) into sn (all zero on entry).  Returns 0, or -1 with
 * the errors reported to d as FILE:LINE:COL and sn all zero again. */
int status_json_parse(status_snap *sn, const char *file, const char *text, size_t len,
                      diags *d);
/* Append the whole file for sn to out: entries present, in id order. */
void status_json_write(status_snap *sn, strbuf *out);

/* The entry for id, or NULL. */
status_entry *status_snap_find(const status_snap *sn, const char *id);
/* A new present entry for id, other fields empty; NULL if sn has one
 * already (*old: its index in sn->v, if old). */
status_entry *status_snap_add(status_snap *sn, const char *id, uint32_t *old);
/* A copy of s (or NULL) in sn's arena. */
const char *status_snap_strdup(status_snap *sn, const char *s);
/* Copy src's tables into dst, sharing its strings: dst's arena is src's
 * and grows from there, so whichever of the two survives must end up with
 * dst.mem (the newest block, which chains to all older ones). */
void status_snap_share(status_snap *dst, const status_snap *src);
/* Free a snapshot's tables but not its strings. */
void status_snap_free_tables(status_snap *sn);
/* Free everything; sn is all zero after. */
void status_snap_free(status_snap *sn);

#endif
