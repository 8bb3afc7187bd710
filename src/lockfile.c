/* lockfile.c - git's lockfile protocol: resolve links, flock a ".lock"
 * beside the target, write a temporary file, fsync, rename, sync the
 * folder; a fault hook for the tests. */
#include "lockfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOCK_TIMEOUT_NS (10LL * 1000000000LL)

static lockfile_fault_fn fault_hook;

void lockfile_set_fault_hook(lockfile_fault_fn fn)
{
    fault_hook = fn;
}

static int fault(const char *step, size_t *len)
{
    size_t dummy = 0;
    return fault_hook ? fault_hook(step, len ? len : &dummy) : 0;
}

static long long ts_ns(struct timespec t)
{
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

const char *lockfile_advice(int err)
{
    switch (err) {
    case ENOSPC:
    case EDQUOT:
        return "; free some disk space and try again";
    case EACCES:
    case EPERM:
        return "; check the permissions of the folder and the file";
    case EROFS:
        return "; the file system is read-only: use -s to keep the status elsewhere";
    case ENOENT:
        return "; check that the folder exists";
    case ENOTDIR:
        return "; a part of the path is not a folder";
    case EIO:
        return "; the disk reported an error: check it";
    default:
        return "";
    }
}

/* "plandash: error: FILE: cannot save: WHAT: strerror; advice (nothing was saved)" */
static void save_error(diags *d, const char *shown, int err, const char *fmt, ...)
    PD_PRINTF(4, 5);

static void save_error(diags *d, const char *shown, int err, const char *fmt, ...)
{
    strbuf what = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&what, fmt, ap);
    va_end(ap);
    if (err)
        diags_file(d, DIAG_ERROR, shown, "cannot save: %s: %s%s (nothing was saved)",
                   what.s, strerror(err), lockfile_advice(err));
    else
        diags_file(d, DIAG_ERROR, shown, "cannot save: %s (nothing was saved)", what.s);
    sb_free(&what);
}

/* The directory part of path ("." if none); newly allocated. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

char *lockfile_resolve(const char *shown, const char *path, diags *d)
{
    char *cur = xstrdup(path);
    for (int hops = 0; hops < 40; hops++) {
        struct stat st;
        if (lstat(cur, &st) < 0) {
            if (errno == ENOENT && hops > 0) {
                diags_file(d, DIAG_ERROR, shown,
                           "is a symbolic link to \"%s\", which does not exist; "
                           "remove the link or create the file", cur);
                free(cur);
                return NULL;
            }
            return cur;   /* missing, or an error that opening will tell */
        }
        if (!S_ISLNK(st.st_mode))
            return cur;
        size_t cap = (size_t)st.st_size + 2;
        if (cap < 256)
            cap = 256;
        char *target = xmalloc(cap);
        ssize_t len = readlink(cur, target, cap - 1);
        if (len < 0) {
            free(target);
            return cur;
        }
        target[len] = '\0';
        char *next;
        if (target[0] == '/' || !strchr(cur, '/')) {
            next = xstrdup(target);
        } else {
            char *dir = dir_of(cur);
            next = xasprintf("%s/%s", dir, target);
            free(dir);
        }
        free(target);
        free(cur);
        cur = next;
    }
    diags_file(d, DIAG_ERROR, shown,
               "too many levels of symbolic links (a loop?); fix the links");
    free(cur);
    return NULL;
}

/* Open and flock lock, waiting up to LOCK_TIMEOUT_NS; the fd or -1. */
static int lock_open(const char *shown, const char *lock, diags *d)
{
    int err = fault("lock", NULL);
    int fd = -1;
    if (!err) {
        fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0) {
            err = errno;
            /* Someone else's lock file: flock needs no write access. */
            if (err == EACCES && (fd = open(lock, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) >= 0)
                err = 0;
        }
    }
    if (err) {
        save_error(d, shown, err, "cannot create the lock file %s", lock);
        return -1;
    }
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long pause_ns = 200000;
    while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
        if (errno == EINTR)
            continue;
        if (errno != EWOULDBLOCK) {
            save_error(d, shown, errno, "cannot lock %s", lock);
            close(fd);
            return -1;
        }
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (ts_ns(t) - ts_ns(t0) > LOCK_TIMEOUT_NS) {
            diags_file(d, DIAG_ERROR, shown,
                       "cannot save: another program has held %s for over %lld seconds; "
                       "try again (nothing was saved)",
                       lock, LOCK_TIMEOUT_NS / 1000000000LL);
            close(fd);
            return -1;
        }
        struct timespec pause = {0, pause_ns};
        nanosleep(&pause, NULL);
        if (pause_ns < 10000000)
            pause_ns *= 2;
    }
    return fd;
}

int lockfile_take(lockfile *lk, const char *shown, const char *path, diags *d)
{
    memset(lk, 0, sizeof *lk);
    lk->fd = -1;
    lk->shown = shown;
    lk->target = lockfile_resolve(shown, path, d);
    if (!lk->target)
        return -1;
    lk->lock = xasprintf("%s.lock", lk->target);
    lk->fd = lock_open(shown, lk->lock, d);
    if (lk->fd < 0) {
        lockfile_release(lk);
        return -1;
    }
    return 0;
}

const char *lockfile_target(const lockfile *lk)
{
    return lk->target;
}

void lockfile_release(lockfile *lk)
{
    if (lk->fd >= 0)
        close(lk->fd);   /* releases the lock */
    lk->fd = -1;
    free(lk->target);
    free(lk->lock);
    lk->target = lk->lock = NULL;
}

/* Write buf to the new file tmp and rename it over real.  mode: the old
 * file's permissions, or -1 for a new file.  Returns 0, or -1 (reported)
 * with tmp removed and real untouched. */
static int replace_file(const char *shown, const char *real, const char *tmp, int mode,
                        const char *buf, size_t len, diags *d)
{
    /* A temporary file left by a writer that was killed is ours to reuse:
     * we hold the lock.  O_EXCL then guarantees a fresh file. */
    unlink(tmp);
    int err = fault("open", NULL);
    int fd = -1;
    if (!err) {
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0)
            err = errno;
    }
    if (err) {
        save_error(d, shown, err, "cannot create %s", tmp);
        return -1;
    }
    /* the failed step, for the message: what tmp after */
    const char *what = "cannot write", *after = "";
    if (mode >= 0 && fchmod(fd, (mode_t)mode) < 0) {
        err = errno;
        what = "cannot set the permissions of";
    }
    size_t off = 0;
    bool stuck = false;
    while (!err && !stuck && off < len) {
        size_t want = len - off;
        if (want > ((size_t)1 << 30))
            want = (size_t)1 << 30;
        if ((err = fault("write", &want)) != 0)
            break;
        ssize_t w = write(fd, buf + off, want);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
        } else if (w == 0) {
            stuck = true;   /* no progress and no reason: do not spin */
            what = "writing";
            after = " made no progress (the system wrote 0 bytes)";
        } else {
            off += (size_t)w;
        }
    }
    if (!err && !stuck) {
        what = "cannot flush";
        after = " to the disk (fsync)";
        if ((err = fault("fsync", NULL)) == 0 && fsync(fd) < 0)
            err = errno;
    }
    int cerr = fault("close", NULL);
    if (close(fd) < 0 && !cerr)
        cerr = errno;
    if (!err && !stuck && cerr) {
        what = "cannot close";
        after = "";
        err = cerr;
    }
    if (!err && !stuck) {
        what = "cannot rename";
        after = " over the status file";
        if ((err = fault("rename", NULL)) == 0 && rename(tmp, real) < 0)
            err = errno;
    }
    if (err || stuck) {
        save_error(d, shown, err, "%s %s%s", what, tmp, after);
        unlink(tmp);
        return -1;
    }
    /* The new file is in place; syncing the folder makes the rename
     * durable.  Failing that, the change is made but may not survive a
     * power cut: a warning, not a failure (nothing can be undone now). */
    char *dir = dir_of(real);
    err = fault("dirsync", NULL);
    if (!err) {
        int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0 || (fsync(dfd) < 0 && errno != EINVAL && errno != ENOTSUP))
            err = errno;
        if (dfd >= 0)
            close(dfd);
    }
    if (err)
        diags_file(d, DIAG_WARNING, shown,
                   "saved, but the folder %s could not be synced: %s", dir, strerror(err));
    free(dir);
    return 0;
}

int lockfile_commit(lockfile *lk, const char *buf, size_t len, diags *d)
{
    struct stat st;
    int mode = stat(lk->target, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
    char *tmp = xasprintf("%s.tmp", lk->target);
    int rc = replace_file(lk->shown, lk->target, tmp, mode, buf, len, d);
    free(tmp);
    return rc;
}

/* Write all of buf to fd (the "hwrite" fault step before each write);
 * returns 0, an errno, or -1 when a write made no progress. */
static int write_all(int fd, const char *buf, size_t len)
{
    size_t off = 0;
    while (off < len) {
        size_t want = len - off;
        int err = fault("hwrite", &want);
        if (err)
            return err;
        ssize_t w = write(fd, buf + off, want);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        if (w == 0)
            return -1;
        off += (size_t)w;
    }
    return 0;
}

int lockfile_append(lockfile *lk, const char *path, const char *buf, size_t len, diags *d)
{
    int err = fault("hopen", NULL);
    int fd = -1;
    if (!err) {
        /* read access to look at the last byte; a file we may only
         * write to is appended to without that check */
        fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0 && errno == EACCES)
            fd = open(path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            err = errno;
    }
    if (err) {
        save_error(d, lk->shown, err, "cannot open the history %s", path);
        return -1;
    }
    const char *what = "cannot write the history";
    struct stat st;
    if (fstat(fd, &st) < 0) {
        err = errno;
    } else if (!S_ISREG(st.st_mode)) {
        err = EINVAL;
        what = "not a regular file: the history";
    } else if (st.st_size > 0) {
        char last;
        ssize_t r = pread(fd, &last, 1, st.st_size - 1);
        if (r == 1 && last != '\n')
            err = write_all(fd, "\n", 1);   /* end a torn line */
    }
    if (!err)
        err = write_all(fd, buf, len);
    if (!err) {
        what = "cannot flush the history";
        if ((err = fault("hfsync", NULL)) == 0 && fsync(fd) < 0)
            err = errno;
    }
    if (close(fd) < 0 && err == 0) {
        err = errno;
        what = "cannot close the history";
    }
    if (err < 0)
        save_error(d, lk->shown, 0, "writing the history %s made no progress (the system "
                   "wrote 0 bytes)", path);
    else if (err)
        save_error(d, lk->shown, err, "%s %s", what, path);
    return err ? -1 : 0;
}
