/* merge.h - git merge drivers for the status file and the history file
 * (plandash --merge-status, --merge-history).  No curses.
 *
 * Status: per entry, its "done" part (done, at, by) and its "note" part
 * (note, note_at, note_by) are merged apart: changed on one side only (an
 * entry that disappeared counts as changed) -> that side; changed on both
 * in different ways -> the later time ("at", "note_at") wins, a tie goes
 * to the greater login ("by", "note_by"), then to done true (a note: the
 * greater text).  Each other field, the top level's unknown fields
 * included, goes to the side that changed it (both: ours).  Entries for
 * ids the plan lacks are kept like any other.  The result, in the usual
 * sorted layout, replaces OURS atomically.
 *
 * History: the union of both sides' lines (the base's are in both),
 * sorted by "at" (stable), each line once; lines that are not JSON objects
 * (a torn last line) are dropped with a warning. */
#ifndef PLANDASH_MERGE_H
#define PLANDASH_MERGE_H

#include "util.h"

/* Merge the status files base, ours and theirs into ours.  The ids
 * decided by time are reported to d as warnings (git shows them).
 * Returns 0, or -1 (reported; ours untouched) when a side is not a valid
 * status file or ours cannot be written.  A missing or empty base is an
 * empty status (a file added on both sides). */
int merge_status(const char *base, const char *ours, const char *theirs, diags *d);

/* Merge the history files: ours becomes the union of ours and theirs
 * (base is not needed: history only grows).  Returns 0, or -1 (reported;
 * ours untouched). */
int merge_history(const char *base, const char *ours, const char *theirs, diags *d);

#endif
