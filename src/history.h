/* history.h - reading the history file (留痕) that the status store
 * appends to (status.c, lockfile_append): one JSON object per line, read
 * through cJSON.  No curses.
 *
 * A line is {"at": TIME, "by": LOGIN, "id": ID, "done": BOOL, "note": TEXT,
 * "undo": true}; "by", "done", "note" and "undo" may be absent.  A line
 * that does not parse or lacks "at" or "id" is skipped with a warning; a
 * last line without its '\n' (a writer killed while appending) is skipped
 * with its own warning. */
#ifndef PLANDASH_HISTORY_H
#define PLANDASH_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* One change.  Strings are owned by the history. */
typedef struct {
    const char *at, *by, *id;
    int done;            /* 1, 0, or -1 when the line does not say */
    const char *note;    /* NULL when the line does not say; "" cleared */
    bool undo;
    size_t line;         /* its line in the file, from 1 */
} history_rec;

typedef struct {
    history_rec *v;      /* in the file's order, oldest first */
    size_t n, cap;
    arena mem;
} history;

/* Read the history at path into h (zero on entry); only lines whose id is
 * id when id is not NULL.  A missing file is an empty history.  Warnings
 * for skipped lines go to d (file:line); returns -1 only when the file
 * cannot be read (reported). */
int history_load(history *h, const char *path, const char *id, diags *d);
/* The same from text[0..len), shown as file in warnings. */
void history_parse(history *h, const char *file, const char *text, size_t len,
                   const char *id, diags *d);
/* An index of a history file by id, kept between lookups (the dashboard's
 * H): built on the first lookup with one pass over the file, then brought
 * up to date by reading only what was appended since (the whole file again
 * if it was replaced or shrank).  Holds the lines' places, not the lines. */
typedef struct history_index history_index;
history_index *history_index_new(void);
void history_index_free(history_index *x);
/* The records of id in the file at path, into h (zero on entry), as
 * history_load would give them; warnings for its lines to d. */
int history_index_load(history_index *x, const char *path, const char *id, history *h,
                       diags *d);

/* Free h; all zero after. */
void history_free(history *h);
/* Append a one-line description of r for people: "2026-12-02 11:00 li
 * 1.1.1 标记完成" and the like (the note cut to cols columns of text;
 * unsanitised: the caller sanitises on output). */
void history_describe(strbuf *out, const history_rec *r, bool with_id, size_t note_cols);

#endif
