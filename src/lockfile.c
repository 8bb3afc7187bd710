/* lockfile.c - git's lockfile protocol: resolve links (only those that
 * cannot have been planted), take an OFD write lock on a ".lock" beside
 * the target, write an unpredictably named temporary file, fsync, rename,
 * sync the folder; shared modes (group and permission bits) for every
 * file made; a fault hook for the tests. */
#include "lockfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define LOCK_TIMEOUT_MS 10000L
/* A temporary file of our own older than this was left by a writer that
 * was killed: removed by the next save. */
#define STALE_TMP_SECONDS 3600

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

const char *lockfile_user_name(uid_t uid, char *buf, size_t size)
{
    struct passwd *pw = getpwuid(uid);
    if (pw && pw->pw_name && *pw->pw_name)
        snprintf(buf, size, "%s", pw->pw_name);
    else
        snprintf(buf, size, "uid %lu", (unsigned long)uid);
    return buf;
}

/* The name of gid, or "gid N" (into buf). */
static const char *group_name(gid_t gid, char *buf, size_t size)
{
    struct group *gr = getgrgid(gid);
    if (gr && gr->gr_name && *gr->gr_name)
        snprintf(buf, size, "%s", gr->gr_name);
    else
        snprintf(buf, size, "gid %lu", (unsigned long)gid);
    return buf;
}

/* May a link lying in a folder (dst: the folder's stat) and owned by
 * link_uid be followed?  Its owner is us or root, or nobody else could
 * have put it there. */
static bool link_trusted(uid_t link_uid, const struct stat *dst)
{
    return link_uid == geteuid() || link_uid == 0 || !(dst->st_mode & (S_IWGRP | S_IWOTH));
}

/* lockfile_resolve; history: path is the history beside the status file
 * (said so, with what to do, when its link is refused). */
static char *resolve(const char *shown, const char *path, bool history, diags *d)
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
        char *dir = dir_of(cur);
        struct stat dst;
        if (stat(dir, &dst) == 0 && !link_trusted(st.st_uid, &dst)) {
            char who[64];
            char *full = realpath(dir, NULL);   /* "." named by its path */
            if (history)
                diags_file(d, DIAG_ERROR, shown,
                           "refusing to follow the symbolic link %s, the history file beside "
                           "it: the link belongs to %s, and others can write to its folder %s "
                           "(the link may have been planted); remove the link (the next save "
                           "starts a new history there) or ask %s why it is there", cur,
                           lockfile_user_name(st.st_uid, who, sizeof who), full ? full : dir, who);
            else
                diags_file(d, DIAG_ERROR, shown,
                           "refusing to follow the symbolic link %s: it belongs to %s, and "
                           "others can write to its folder %s (the link may have been "
                           "planted); remove it, or give the file it should name with -s",
                           cur, lockfile_user_name(st.st_uid, who, sizeof who), full ? full : dir);
            free(full);
            free(dir);
            free(cur);
            return NULL;
        }
        size_t cap = (size_t)st.st_size + 2;
        if (cap < 256)
            cap = 256;
        char *target = xmalloc(cap);
        ssize_t len = readlink(cur, target, cap - 1);
        if (len < 0) {
            free(target);
            free(dir);
            return cur;
        }
        target[len] = '\0';
        char *next;
        if (target[0] == '/' || !strchr(cur, '/'))
            next = xstrdup(target);
        else
            next = xasprintf("%s/%s", dir, target);
        free(dir);
        free(target);
        free(cur);
        cur = next;
    }
    diags_file(d, DIAG_ERROR, shown,
               "too many levels of symbolic links (a loop?); fix the links");
    free(cur);
    return NULL;
}

char *lockfile_resolve(const char *shown, const char *path, diags *d)
{
    return resolve(shown, path, false, d);
}

/* --- shared modes --- */

void lockfile_like(const char *target, struct stat *like)
{
    memset(like, 0, sizeof *like);
    like->st_uid = (uid_t)-1;
    like->st_gid = (gid_t)-1;
    struct stat st;
    if (stat(target, &st) == 0 && S_ISREG(st.st_mode)) {
        like->st_gid = st.st_gid;
        like->st_mode = st.st_mode & 07777;
        return;
    }
    char *dir = dir_of(target);
    if (stat(dir, &st) == 0 && (st.st_mode & S_IWGRP)) {
        like->st_gid = st.st_gid;
        like->st_mode = 0664;
    } else {
        mode_t um = umask(0);
        umask(um);
        like->st_mode = 0666 & ~um;
    }
    free(dir);
}

int lockfile_shared_mode_fd(int fd, const struct stat *like)
{
    struct stat st;
    if (fstat(fd, &st) < 0)
        return errno;
    int err = 0;
    if (like->st_gid != (gid_t)-1 && st.st_gid != like->st_gid && fchown(fd, (uid_t)-1, like->st_gid) < 0)
        err = errno;
    /* after fchown, which may clear the set-group-ID bit */
    if (fchmod(fd, like->st_mode & 07777) < 0 && !err)
        err = errno;
    return err;
}

/* --- who may write --- */

int lockfile_access(const char *path, lockfile_why *why)
{
    memset(why, 0, sizeof *why);
    diags quiet = {0};
    char *target = lockfile_resolve(path, path, &quiet);
    diags_free(&quiet);
    if (!target)
        return LOCKFILE_WRITABLE;   /* a save says why */
    char *dir = dir_of(target);
    char *abs = realpath(dir, NULL);
    snprintf(why->folder, sizeof why->folder, "%s", abs ? abs : dir);
    free(abs);
    struct statvfs vfs;
    struct stat st, dst;
    bool exists = stat(target, &st) == 0;
    int rc = LOCKFILE_WRITABLE;
    char *lock = xasprintf("%s.lock", target);
    struct stat lst;
    if (statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY)) {
        rc = LOCKFILE_RO_FS;
    } else if (exists && faccessat(AT_FDCWD, target, W_OK, AT_EACCESS) < 0) {
        rc = LOCKFILE_RO_FILE;
    } else if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) < 0) {
        rc = LOCKFILE_RO_FOLDER;
    } else if (exists && stat(dir, &dst) == 0 && (dst.st_mode & S_ISVTX) && geteuid() != 0 &&
               st.st_uid != geteuid() && dst.st_uid != geteuid()) {
        rc = LOCKFILE_RO_STICKY;
    } else if (lstat(lock, &lst) == 0 && faccessat(AT_FDCWD, lock, W_OK, AT_EACCESS) < 0) {
        rc = LOCKFILE_RO_LOCK;
        st = lst;
        exists = true;
    }
    if (exists) {
        lockfile_user_name(st.st_uid, why->owner, sizeof why->owner);
        group_name(st.st_gid, why->group, sizeof why->group);
        why->mode = st.st_mode & 07777;
    }
    free(lock);
    free(dir);
    free(target);
    return rc;
}

int lockfile_access_append(const char *path, lockfile_why *why)
{
    memset(why, 0, sizeof *why);
    diags quiet = {0};
    char *target = resolve(path, path, true, &quiet);
    diags_free(&quiet);
    if (!target)
        return LOCKFILE_WRITABLE;   /* a save says why */
    char *dir = dir_of(target);
    char *abs = realpath(dir, NULL);
    snprintf(why->folder, sizeof why->folder, "%s", abs ? abs : dir);
    free(abs);
    struct statvfs vfs;
    struct stat st;
    int rc = LOCKFILE_WRITABLE;
    if (stat(target, &st) == 0) {
        if (faccessat(AT_FDCWD, target, W_OK, AT_EACCESS) < 0) {
            rc = statvfs(dir, &vfs) == 0 && (vfs.f_flag & ST_RDONLY) ? LOCKFILE_RO_FS
                                                                      : LOCKFILE_RO_APPEND;
            lockfile_user_name(st.st_uid, why->owner, sizeof why->owner);
            group_name(st.st_gid, why->group, sizeof why->group);
            why->mode = st.st_mode & 07777;
        }
    } else if (errno == ENOENT && faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) < 0) {
        rc = LOCKFILE_RO_FOLDER;
    }
    free(dir);
    free(target);
    return rc;
}

/* Refuse a save that cannot work (lockfile_access), with the reason. */
static int check_access(const char *shown, const char *target, diags *d)
{
    lockfile_why w;
    switch (lockfile_access(target, &w)) {
    case LOCKFILE_RO_FILE:
        diags_file(d, DIAG_ERROR, shown,
                   "cannot save: you may not write to it (mode %04o, owner %s, group %s); "
                   "ask its owner for write access (nothing was saved)",
                   w.mode, w.owner, w.group);
        return -1;
    case LOCKFILE_RO_STICKY:
        diags_file(d, DIAG_ERROR, shown,
                   "cannot save: it belongs to %s, in the folder %s whose sticky bit lets "
                   "only a file's owner replace it; keep a shared plan in a group folder "
                   "(see README, Sharing a plan) (nothing was saved)", w.owner, w.folder);
        return -1;
    default:
        return 0;   /* the folder, the file system, the lock file: told when opening */
    }
}

/* --- the lock --- */

/* Open the lock file for writing (never a link, never read-only: only
 * those who may write may block writers), creating it with the shared
 * mode of target; the fd, or -1 (reported). */
static int lock_open(const char *shown, const char *target, const char *lock, diags *d)
{
    int err = fault("lock", NULL);
    if (err) {
        save_error(d, shown, err, "cannot create the lock file %s", lock);
        return -1;
    }
    const int flags = O_RDWR | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
    for (int tries = 0; tries < 3; tries++) {
        /* Without O_CREAT first: an existing lock file is opened as it is. */
        int fd = open(lock, flags);
        if (fd < 0 && errno == ENOENT) {
            fd = open(lock, flags | O_CREAT | O_EXCL, 0600);
            if (fd < 0 && errno == EEXIST)
                continue;   /* made by another writer just now */
            if (fd < 0) {
                save_error(d, shown, errno, "cannot create the lock file %s", lock);
                return -1;
            }
            struct stat like;
            lockfile_like(target, &like);
            like.st_mode &= 0666;
            if ((err = lockfile_shared_mode_fd(fd, &like)) != 0) {
                char g[64];
                diags_file(d, DIAG_WARNING, shown,
                           "the new lock file %s could not get the group %s and mode %04o "
                           "of the status file: %s", lock,
                           group_name(like.st_gid, g, sizeof g), (unsigned)like.st_mode,
                           strerror(err));
            }
        }
        if (fd < 0) {
            err = errno;
            struct stat st;
            if ((err == EACCES || err == EPERM) && lstat(lock, &st) == 0) {
                char who[64], grp[64];
                diags_file(d, DIAG_ERROR, shown,
                           "cannot save: cannot open the lock file %s for writing: %s "
                           "(mode %04o, owner %s, group %s); only those who may write the "
                           "status file may lock it (nothing was saved)", lock, strerror(err),
                           (unsigned)(st.st_mode & 07777), lockfile_user_name(st.st_uid, who, sizeof who),
                           group_name(st.st_gid, grp, sizeof grp));
            } else if (err == ELOOP) {
                diags_file(d, DIAG_ERROR, shown,
                           "cannot save: the lock file %s is a symbolic link; remove it "
                           "(nothing was saved)", lock);
            } else {
                save_error(d, shown, err, "cannot open the lock file %s", lock);
            }
            return -1;
        }
        struct stat st;
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
            diags_file(d, DIAG_ERROR, shown,
                       "cannot save: the lock file %s is not a regular file; remove it "
                       "(nothing was saved)", lock);
            close(fd);
            return -1;
        }
        return fd;
    }
    save_error(d, shown, EEXIST, "cannot create the lock file %s", lock);
    return -1;
}

/* Take the OFD write lock on fd, waiting up to wait_ms: 0, LOCKFILE_BUSY
 * (when wait_ms is 0, not reported), or -1 (reported). */
static int lock_wait(const char *shown, const char *lock, int fd, long wait_ms, diags *d)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long pause_ns = 200000;
    for (;;) {
        struct flock fl;
        memset(&fl, 0, sizeof fl);
        fl.l_type = F_WRLCK;
        fl.l_whence = SEEK_SET;
        if (fcntl(fd, F_OFD_SETLK, &fl) == 0)
            return 0;
        if (errno == EINTR)
            continue;
        if (errno != EAGAIN && errno != EACCES) {
            save_error(d, shown, errno, "cannot lock %s", lock);
            return -1;
        }
        if (wait_ms <= 0)
            return LOCKFILE_BUSY;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (ts_ns(t) - ts_ns(t0) > (long long)wait_ms * 1000000LL) {
            diags_file(d, DIAG_ERROR, shown,
                       "cannot save: another program has held %s for over %ld seconds; "
                       "try again (nothing was saved)", lock, (wait_ms + 999) / 1000);
            return -1;
        }
        struct timespec pause = {0, pause_ns};
        nanosleep(&pause, NULL);
        if (pause_ns < 10000000)
            pause_ns *= 2;
    }
}

int lockfile_take_wait(lockfile *lk, const char *shown, const char *path, long wait_ms,
                       diags *d)
{
    memset(lk, 0, sizeof *lk);
    lk->fd = -1;
    lk->shown = shown;
    lk->target = lockfile_resolve(shown, path, d);
    if (!lk->target)
        return -1;
    if (check_access(shown, lk->target, d) < 0) {
        lockfile_release(lk);
        return -1;
    }
    lk->lock = xasprintf("%s.lock", lk->target);
    lk->fd = lock_open(shown, lk->target, lk->lock, d);
    int rc = lk->fd < 0 ? -1 : lock_wait(shown, lk->lock, lk->fd, wait_ms, d);
    if (rc != 0)
        lockfile_release(lk);
    return rc;
}

int lockfile_take(lockfile *lk, const char *shown, const char *path, diags *d)
{
    return lockfile_take_wait(lk, shown, path, LOCK_TIMEOUT_MS, d);
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

/* --- temporary files --- */

#define TMP_INFIX ".tmp-"
#define TMP_RANDOM 6

/* Create a new temporary file beside real, "REAL.tmp-XXXXXX" with six
 * unpredictable characters, mode 0600; the fd (its name in *tmp), or -1
 * with errno set. */
static int tmp_create(const char *real, char **tmp)
{
    static const char chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int tries = 0; tries < 100; tries++) {
        unsigned char r[TMP_RANDOM];
        if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            unsigned long x = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^
                              (unsigned long)tries * 2654435761UL;
            for (size_t k = 0; k < sizeof r; k++, x >>= 5)
                r[k] = (unsigned char)(x ^ (x >> 13));
        }
        char suffix[TMP_RANDOM + 1];
        for (size_t k = 0; k < TMP_RANDOM; k++)
            suffix[k] = chars[r[k] % (sizeof chars - 1)];
        suffix[TMP_RANDOM] = '\0';
        *tmp = xasprintf("%s" TMP_INFIX "%s", real, suffix);
        int fd = open(*tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd;
        free(*tmp);
    }
    *tmp = xasprintf("%s" TMP_INFIX "XXXXXX", real);
    errno = EEXIST;
    return -1;
}

/* Remove the temporary files of real that writers killed long ago left:
 * only our own, only regular files, only those older than an hour. */
static void tmp_clean(const char *real)
{
    char *dir = dir_of(real);
    const char *slash = strrchr(real, '/');
    const char *base = slash ? slash + 1 : real;
    size_t blen = strlen(base), ilen = strlen(TMP_INFIX);
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *dp = dfd >= 0 ? fdopendir(dfd) : NULL;
    if (!dp) {
        if (dfd >= 0)
            close(dfd);
        free(dir);
        return;
    }
    time_t now = time(NULL);
    struct dirent *e;
    while ((e = readdir(dp)) != NULL) {
        const char *n = e->d_name;
        if (strncmp(n, base, blen) != 0 || strncmp(n + blen, TMP_INFIX, ilen) != 0 ||
            strlen(n + blen + ilen) != TMP_RANDOM)
            continue;
        struct stat st;
        if (fstatat(dfd, n, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
            st.st_uid == geteuid() && now - st.st_mtime > STALE_TMP_SECONDS)
            unlinkat(dfd, n, 0);
    }
    closedir(dp);
    free(dir);
}

/* Write buf to a new temporary file beside real and rename it over real,
 * giving it like's group and mode first.  Returns 0, or -1 (reported) with
 * the temporary file removed and real untouched. */
static int replace_file(const char *shown, const char *real, const struct stat *like,
                        bool existed, const char *buf, size_t len, diags *d)
{
    tmp_clean(real);
    char *tmp = NULL;
    int err = fault("open", NULL);
    int fd = -1;
    if (!err) {
        fd = tmp_create(real, &tmp);
        if (fd < 0)
            err = errno;
    } else {
        tmp = xasprintf("%s" TMP_INFIX "XXXXXX", real);
    }
    if (err) {
        save_error(d, shown, err, "cannot create %s", tmp);
        free(tmp);
        return -1;
    }
    /* the failed step, for the message: what tmp after */
    const char *what = "cannot write", *after = "";
    struct stat st;
    if (like->st_gid != (gid_t)-1 && fstat(fd, &st) == 0 && st.st_gid != like->st_gid &&
        fchown(fd, (uid_t)-1, like->st_gid) < 0) {
        char g[64], g2[64];
        int e = errno;
        if (existed)
            diags_file(d, DIAG_WARNING, shown,
                       "the group %s could not be kept (%s): the file now belongs to the "
                       "group %s; ask its owner to run chgrp", group_name(like->st_gid, g, sizeof g),
                       strerror(e), group_name(st.st_gid, g2, sizeof g2));
    }
    if (fchmod(fd, like->st_mode & 07777) < 0) {
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
        free(tmp);
        return -1;
    }
    free(tmp);
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
    struct stat st, like;
    bool existed = stat(lk->target, &st) == 0;
    lockfile_like(lk->target, &like);
    return replace_file(lk->shown, lk->target, &like, existed, buf, len, d);
}

int lockfile_replace(const char *shown, const char *path, const char *buf, size_t len,
                     diags *d)
{
    struct stat st, like;
    bool existed = stat(path, &st) == 0;
    lockfile_like(path, &like);
    return replace_file(shown, path, &like, existed, buf, len, d);
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
    if (err) {
        save_error(d, lk->shown, err, "cannot open the history %s", path);
        return -1;
    }
    /* a link is followed under the status file's rule (trusted links only) */
    char *real = resolve(lk->shown, path, true, d);
    if (!real)
        return -1;
    int fd = -1;
    for (int tries = 0; tries < 3 && fd < 0; tries++) {
        /* read access to look at the last byte; a file we may only
         * write to is appended to without that check */
        fd = open(real, O_RDWR | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == EACCES)
            fd = open(real, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0 || errno != ENOENT)
            break;
        /* a new history: the status file's group and mode, whatever the umask */
        fd = open(real, O_RDWR | O_APPEND | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno == EEXIST)
            continue;   /* made by another writer just now */
        if (fd < 0)
            break;
        {
            struct stat like;
            lockfile_like(lk->target, &like);
            like.st_mode &= 0666;
            int e2 = lockfile_shared_mode_fd(fd, &like);
            if (e2) {
                char g[64];
                diags_file(d, DIAG_WARNING, lk->shown,
                           "the new history %s could not get the group %s and mode %04o of "
                           "the status file: %s", real, group_name(like.st_gid, g, sizeof g),
                           (unsigned)like.st_mode, strerror(e2));
            }
        }
    }
    if (fd < 0) {
        save_error(d, lk->shown, errno, "cannot open the history %s", real);
        free(real);
        return -1;
    }
    free(real);
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
