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
 * can change without touching the callers.  Today: an open-file-description
 * write lock (F_OFD_SETLK) on "<target>.lock" opened read-write, so only
 * those who may write can block writers (waiting up to 10 s, or not at
 * all); a new temporary file "<target>.tmp-XXXXXX" (six unpredictable
 * characters, O_EXCL|O_NOFOLLOW, 0600 until it gets the replaced file's
 * group and mode); our own temporary files older than an hour removed.
 * Every file made (lock, temporary, history) gets the group and the
 * permission bits of the status file, or of a new one: those of a
 * group-writable folder (its group, 0664) whatever the umask.
 * Errors are reported to d under the name the user gave (shown). */
#ifndef PLANDASH_LOCKFILE_H
#define PLANDASH_LOCKFILE_H

#include <stddef.h>
#include <sys/stat.h>

#include "util.h"

/* A lock held on one file.  The fields are private to lockfile.c. */
typedef struct {
    const char *shown;   /* the name in messages (not owned) */
    char *target;        /* the file itself, links followed */
    char *lock;          /* its lock file */
    int fd;              /* the open, locked lock file; -1 if none */
} lockfile;

/* The file that path names, following symbolic links to their end (as git
 * does), so a save replaces the target and keeps the link.  A link is
 * followed only when it belongs to us or to root, or when nobody else can
 * write to its folder; another's link in a shared folder is refused.  A
 * missing file is fine (path itself); a link to a missing file, a loop or
 * a refused link is an error: NULL, reported to d under shown.  Newly
 * allocated. */
char *lockfile_resolve(const char *shown, const char *path, diags *d);

/* Resolve path and take its lock, waiting up to 10 s for another holder.
 * Returns 0 with lk held, or -1 (reported; nothing to release). */
int lockfile_take(lockfile *lk, const char *shown, const char *path, diags *d);
/* The same, waiting up to wait_ms; with wait_ms 0 a lock held by another
 * returns LOCKFILE_BUSY at once, unreported (nothing to release). */
enum { LOCKFILE_BUSY = 1 };
int lockfile_take_wait(lockfile *lk, const char *shown, const char *path, long wait_ms,
                       diags *d);

/* Whether this user can save path, found without trying. */
enum {
    LOCKFILE_WRITABLE,
    LOCKFILE_RO_FILE,     /* the status file is not writable by us */
    LOCKFILE_RO_FOLDER,   /* its folder is not (no lock, no temporary file) */
    LOCKFILE_RO_STICKY,   /* another's file in a sticky folder: no rename over it */
    LOCKFILE_RO_LOCK,     /* the lock file exists and is not writable by us */
    LOCKFILE_RO_FS,       /* a read-only file system */
    LOCKFILE_RO_APPEND,   /* a file appended beside it (the history) is not writable */
};
/* Details for the messages: the file (or lock file) and its folder. */
typedef struct {
    char owner[64], group[64];
    unsigned mode;
    char folder[4096];
} lockfile_why;
/* One of LOCKFILE_*, with *why filled in (links followed as a save would). */
int lockfile_access(const char *path, lockfile_why *why);
/* Whether this user can append to path (the history beside a status file,
 * as lockfile_append would): LOCKFILE_WRITABLE, LOCKFILE_RO_APPEND (it
 * exists, not writable by us), LOCKFILE_RO_FOLDER (missing, its folder not
 * writable) or LOCKFILE_RO_FS, with *why filled in. */
int lockfile_access_append(const char *path, lockfile_why *why);

/* The group and mode (st_gid, st_mode; st_gid (gid_t)-1: leave it) that a
 * file made beside target should get: target's own if it exists; else a
 * group-writable folder's group and 0664; else 0666 less the umask. */
void lockfile_like(const char *target, struct stat *like);
/* Give the open file fd like's group (when it differs) and mode.  Returns
 * 0 or the errno of the first failure (a group we are not in: EPERM).  For
 * every new file beside a status file: the history file's too. */
int lockfile_shared_mode_fd(int fd, const struct stat *like);

/* The file lk locks (links followed): where to read the current content. */
const char *lockfile_target(const lockfile *lk);

/* Replace the target with buf[0..len): write a temporary file beside it
 * (looping over short writes), fsync, close, rename it over the target,
 * fsync the folder.  The target's group and permissions are kept
 * (lockfile_like; a group that cannot be kept is a warning).  Returns 0, or -1
 * (reported) with the temporary file removed and the target untouched; a
 * failed folder sync after the rename is only a warning.  The lock stays
 * held either way. */
int lockfile_commit(lockfile *lk, const char *buf, size_t len, diags *d);

/* Replace path with buf[0..len) as lockfile_commit does, without a lock:
 * for a file only we write (git's merge result).  Returns 0 or -1. */
int lockfile_replace(const char *shown, const char *path, const char *buf, size_t len,
                     diags *d);

/* Append buf[0..len) to the file at path (another file beside the
 * target, e.g. its history) while lk is held: open it O_APPEND (a link
 * followed only when trusted, as lockfile_resolve; a new file gets the
 * target's group and mode & 0666, as lockfile_like, whatever the umask),
 * add a '\n' first when its last byte
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

/* The login of uid, or "uid N" when it has no passwd entry (into buf). */
const char *lockfile_user_name(uid_t uid, char *buf, size_t size);

#endif
