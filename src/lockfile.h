/* lockfile.h - git's lockfile protocol for replacing one file atomically,
 * with nothing of what the file holds.  No curses, no JSON.
 *
 * A change to a file under this protocol:
 *   lockfile lk;
 *   if (lockfile_take(&lk, shown, path, d) < 0)   resolve links, lock
 *       return -1;
 *   ... read lockfile_target(&lk), compute the new content ...
 *   ... other files beside it may be written while the lock is held ...
 *   rc = lockfile_commit(&lk, buf, len, d);       temp, fsync, rename, dirsync
 *   lockfile_release(&lk);                        unlock (always)
 *
 * What a save does to the file system is decided here and only here: the
 * lock's kind and the temporary file's name, mode and owner, so that they
 * can change without touching the callers.  Today: flock(LOCK_EX) on
 * "<target>.lock" (waiting up to 10 s), the temporary file "<target>.tmp"
 * (reused under the lock) with the replaced file's permission bits.
 * Errors are reported to d under the name the user gave (shown). */
#ifndef PLANDASH_LOCKFILE_H
#define PLANDASH_LOCKFILE_H

#include <stddef.h>

#include "util.h"

/* A lock held on one file.  The fields are private to lockfile.c. */
typedef struct {
    const char *shown;   /* the name in messages (not owned) */
    char *target;        /* the file itself, links followed */
    char *lock;          /* its lock file */
    int fd;              /* the open, locked lock file; -1 if none */
} lockfile;

/* The file that path names, following symbolic links to their end (as git
 * does), so a save replaces the target and keeps the link.  A missing file
 * is fine (path itself); a link to a missing file or a loop is an error:
 * NULL, reported to d under shown.  Newly allocated. */
char *lockfile_resolve(const char *shown, const char *path, diags *d);

/* Resolve path and take its lock, waiting up to 10 s for another holder.
 * Returns 0 with lk held, or -1 (reported; nothing to release). */
int lockfile_take(lockfile *lk, const char *shown, const char *path, diags *d);

/* The file lk locks (links followed): where to read the current content. */
const char *lockfile_target(const lockfile *lk);

/* Replace the target with buf[0..len): write a temporary file beside it
 * (looping over short writes), fsync, close, rename it over the target,
 * fsync the folder.  The target's permissions are kept.  Returns 0, or -1
 * (reported) with the temporary file removed and the target untouched; a
 * failed folder sync after the rename is only a warning.  The lock stays
 * held either way. */
int lockfile_commit(lockfile *lk, const char *buf, size_t len, diags *d);

/* Append buf[0..len) to the file at path (another file beside the
 * target, e.g. its history) while lk is held: open it O_APPEND (created
 * with mode 0666 & ~umask if missing), add a '\n' first when its last byte
 * is not one (a line torn by a kill), write all, fsync, close.  Returns 0,
 * or -1 (reported under lk's name).  Fault hook steps: "hopen", "hwrite",
 * "hfsync". */
int lockfile_append(lockfile *lk, const char *path, const char *buf, size_t len, diags *d);

/* Drop the lock and free lk's strings.  Safe on a released lockfile. */
void lockfile_release(lockfile *lk);

/* What to do about a failed system call (err), for the end of a message:
 * "; free some disk space and try again", or "". */
const char *lockfile_advice(int err);

/* Testing only.  A hook called before each system call of the protocol
 * with the step's name: "lock" (open the lock file), "open" (create the
 * temporary file), "write" (*len: the bytes about to be written; lowering
 * it, even to 0, forces a short write), "fsync", "close", "rename",
 * "dirsync".  A nonzero return makes that step fail with that errno.  NULL
 * turns it off. */
typedef int (*lockfile_fault_fn)(const char *step, size_t *len);
void lockfile_set_fault_hook(lockfile_fault_fn fn);

#endif
