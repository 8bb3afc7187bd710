/* status.h - the completion status store: what is done, loaded from and
 * saved to a JSON file beside the plan; locked, atomic saves; undo; noticing
 * other processes' changes.  No curses.  status_json.c reads and writes the
 * file (through cJSON, after json_strict's checks); lockfile.c is the save
 * protocol below.
 *
 * File format (see README):
 *   {
 *     "version": 1,
 *     "items": {
 *       "1.1.1": {"done": true, "at": "2026-11-26T18:42:08+08:00", "by": "li"},
 *       ...
 *     }
 *   }
 * one entry per line, keys in id order (id_compare).  Unknown fields, at the
 * top level and in entries, and entries for ids the plan lacks are kept.
 *
 * Save protocol, for every change:
 *   1. take the lock beside the file (lockfile_take: "<file>.lock");
 *   2. re-read the file from disk (it may have changed since we loaded it);
 *      a file that does not parse stops the save: it is never overwritten;
 *   3. apply only this change to what was read;
 *   4. append the change's lines to the history file beside it
 *      (lockfile_append: O_APPEND, fsync), then
 *   5. replace the file (lockfile_commit: a temporary file in the same
 *      folder, fsync, rename, folder sync);
 *   6. unlock.  On any failure the old file is left exactly as it was.
 * The in-memory status then holds what was written, and the plan's items
 * are updated from it.
 *
 * Functions that can fail return 0 on success and -1 on failure, with the
 * failure reported to d: as FILE:LINE:COL: error: ... where a position is
 * known, else as plandash: error: FILE: .... */
#ifndef PLANDASH_STATUS_H
#define PLANDASH_STATUS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "plan.h"
#include "util.h"

typedef struct status status;

/* The default status path for a plan path: "x.yaml"/"x.yml" -> "x.status.json",
 * anything else -> "<path>.status.json".  Newly allocated. */
char *status_default_path(const char *plan_path);

/* Load the status file at path (a missing file is an empty status).  On
 * error, report it to d and return NULL. */
status *status_load(const char *path, diags *d);
/* Free s (NULL is fine). */
void status_free(status *s);
/* The path s was loaded from, as given. */
const char *status_path(const status *s);

/* Copy done state, time and login into the plan's items (clearing the rest
 * first) and recount the plan.  Only done items get done_at/done_by; the
 * strings belong to s and stay valid until its next change or reload
 * (status_set/undo/refresh re-apply them to the plan they are given). */
void status_apply(const status *s, plan *p);

/* Report (as warnings) entries whose ids the plan lacks; return their count. */
size_t status_warn_orphans(const status *s, const plan *p, diags *d);

/* One change to save: set ids[i] to done[i].  Applied as one save with the
 * protocol above; the time is now and the login is the current user's.
 * Each id must be an item of p (the caller checks).  Entries whose state
 * already matches are left untouched (if none is left, nothing is written
 * and no undo level is pushed).  On success the plan is updated and
 * the change is pushed on the undo stack; returns 0.  On failure reports
 * to d and returns -1, and nothing changed, on disk or in memory. */
int status_set(status *s, plan *p, const char *const *ids, const bool *done,
               size_t n, diags *d);

/* How long status_set, status_set_note and status_undo wait for another process's lock:
 * ms milliseconds (10,000 by default).  With 0 they do not wait: a lock
 * held by another returns STATUS_BUSY at once, unreported, nothing
 * changed (try again later). */
enum { STATUS_BUSY = 1, STATUS_NOTE_CHANGED = 2 };
void status_set_lock_wait(status *s, long ms);

/* Undo the last change made through this status (several levels): the
 * entries it touched get back what they held before it (done/at/by for a
 * mark, note/note_at/note_by for a note), with the same protocol, if they
 * still hold what the change wrote (compared on disk, under the lock);
 * an entry someone else changed since is left alone (status_undo_skipped
 * tells), and other entries' changes are kept.  At most 1000 levels are
 * kept.  *undone tells whether there was something to undo (the level is
 * used up even when entries were left alone).  Returns 0, or -1 on error
 * (reported to d; the level stays on the stack). */
int status_undo(status *s, plan *p, bool *undone, diags *d);
/* After status_undo: how many entries it left alone because someone else
 * changed them since; the first one's id, and its login and time (NULL if
 * unknown or the entry is gone) in what is asked (owned by s, valid until
 * the next undo). */
size_t status_undo_skipped(const status *s, const char **id, const char **by, const char **at);
/* How many changes can be undone. */
size_t status_undo_depth(const status *s);

/* If the file on disk changed since we last read or wrote it (size, mtime,
 * ctime, inode, or the content hash while the timestamps are too recent
 * to trust), reload it and apply it to p; *changed tells.  A deleted file
 * reloads as empty.  Returns 0, or -1 with an error in d (the status in
 * memory is kept); a broken file is reported once, until it changes again.
 * Cheap when nothing changed (one stat), so it can run every second. */
int status_refresh(status *s, plan *p, bool *changed, diags *d);

/* The entry for id as loaded or last written: returns false if there is
 * none; else sets what is asked (at, by: NULL when absent; owned by s,
 * valid until its next change or reload). */
bool status_lookup(const status *s, const char *id, bool *done, const char **at,
                   const char **by);
/* How many entries the status holds (orphans included). */
size_t status_count(const status *s);

/* A note is at most this many bytes (64 KiB). */
#define STATUS_NOTE_MAX 65536

/* The history file beside a status file (see README, "The history"):
 * "x.status.json" -> "x.history.jsonl"; another name loses a trailing
 * ".json" and gains ".history.jsonl".  Newly allocated. */
char *status_history_path(const char *status_path);

/* The history file of s: beside the status file, links followed, as
 * saves write it.  Newly allocated. */
char *status_history_file(const status *s);

/* Check a note before saving it: at most STATUS_NOTE_MAX bytes, UTF-8, no
 * NUL.  Returns 0, or -1 with the reason in d. */
int status_check_note(const char *note, size_t len, diags *d);

/* Set the progress note of item id to note ("" clears it), with its time
 * and login, as one change with the protocol above (and one undo level);
 * the history gains its line.  The same note again writes nothing.
 * expect (NULL: not checked) is the note the caller last saw ("" none):
 * when the note on disk, read under the lock, is another, nothing is
 * written and STATUS_NOTE_CHANGED is returned (the plan then holds the
 * note on disk, with its note_at and note_by).
 * Returns 0, -1 (reported to d), STATUS_BUSY as status_set, or
 * STATUS_NOTE_CHANGED. */
int status_set_note(status *s, plan *p, const char *id, const char *note, const char *expect,
                    diags *d);

/* The note of id as loaded or last written: false if it has none; else
 * sets what is asked (owned by s, as status_lookup). */
bool status_lookup_note(const status *s, const char *id, const char **note, const char **at,
                        const char **by);

/* Testing only: the clock for new times (NULL: the real one).  Faults in
 * saves: lockfile_set_fault_hook. */
void status_set_clock(time_t (*now)(void));

#endif
