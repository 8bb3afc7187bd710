/* status.c - the completion status store: the snapshot of the file in
 * memory (status_json.c reads and writes it), applying it to the plan,
 * changes under the lock (lockfile.c), undo, and noticing other processes'
 * changes. */
#include "status.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cJSON.h>

#include "history.h"
#include "json_strict.h"
#include "lockfile.h"
#include "status_json.h"
#include "text.h"

/* A stat taken less than this after the file's last change (mtime or
 * ctime) cannot prove that the file is unchanged later: timestamps are
 * coarse and inodes are reused.  Such a file is compared by content until
 * it ages (git's "racy clean" problem). */
#define RACY_NS (2LL * 1000000000LL)
#define UNDO_MAX 1000

/* What the file was when we last read or wrote it. */
typedef struct {
    bool exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    mode_t mode;
    struct timespec mtim, ctim;
    struct timespec seen;   /* when this was taken (CLOCK_REALTIME) */
    bool hashed;            /* hash is set: always when the stat is racy */
    uint64_t hash;          /* of the content */
} fileid;

/* One entry that a change touched: its previous state, and what the
 * change wrote there (done/at/by for a mark, note/note_at/note_by for a
 * note), to tell whether someone else changed it since. */
typedef struct {
    char *id;
    char *at, *by;
    char *note, *note_at, *note_by;
    bool present, done;
    bool is_note;          /* a note change, else a mark or unmark */
    bool w_done;           /* what the change wrote */
    char *w_note, *w_at, *w_by;
} undo_rec;

typedef struct {
    undo_rec *v;
    size_t n, cap;
} undo_level;

struct status {
    char *path;          /* as the user gave it; used in messages */
    status_snap cur;
    fileid fid;
    fileid bad;          /* a broken file already reported by refresh */
    undo_level *undo;    /* oldest first */
    size_t n_undo, cap_undo;
    size_t n_skip;       /* entries the last undo left alone */
    char *skip_id, *skip_by, *skip_at;   /* the first of them */
    long lock_wait_ms;   /* how long a save waits for the lock */
};

static time_t (*clock_hook)(void);

void status_set_clock(time_t (*now)(void))
{
    clock_hook = now;
}

/* --- paths --- */

char *status_default_path(const char *plan_path)
{
    size_t n = strlen(plan_path);
    const char *base = strrchr(plan_path, '/');
    base = base ? base + 1 : plan_path;
    size_t blen = strlen(base);
    static const char *const sfx[] = {".yaml", ".yml"};
    for (size_t i = 0; i < 2; i++) {
        size_t k = strlen(sfx[i]);
        if (blen > k && strcmp(base + blen - k, sfx[i]) == 0)
            return xasprintf("%.*s.status.json", (int)(n - k), plan_path);
    }
    return xasprintf("%s.status.json", plan_path);
}

char *status_history_path(const char *status_path)
{
    size_t n = strlen(status_path);
    static const char sfx[] = ".status.json";
    size_t k = sizeof sfx - 1;
    if (n >= k && strcmp(status_path + n - k, sfx) == 0)
        return xasprintf("%.*s.history.jsonl", (int)(n - k), status_path);
    if (n >= 5 && strcmp(status_path + n - 5, ".json") == 0)
        n -= 5;
    return xasprintf("%.*s.history.jsonl", (int)n, status_path);
}

const char *status_path(const status *s)
{
    return s->path;
}

char *status_history_file(const status *s)
{
    diags d = {0};
    char *real = lockfile_resolve(s->path, s->path, &d);
    diags_free(&d);
    char *h = status_history_path(real ? real : s->path);
    free(real);
    return h;
}

/* --- reading --- */

/* A content hash, compared only within this process.  Four lanes of
 * 8-byte words; each step is a bijection of the lane's state, so a change
 * in one word always changes the result. */
static uint64_t hash_bytes(const char *s, size_t n)
{
    const uint64_t m = 0x9E3779B97F4A7C15ULL;
    uint64_t h[4] = {1, 2, 3, 4};
    size_t i = 0;
    for (; i + 32 <= n; i += 32) {
        for (int k = 0; k < 4; k++) {
            uint64_t w;
            memcpy(&w, s + i + 8 * (size_t)k, 8);
            h[k] = (h[k] ^ w) * m;
            h[k] ^= h[k] >> 32;
        }
    }
    uint64_t r = (uint64_t)n;
    for (int k = 0; k < 4; k++) {
        r = (r ^ h[k]) * m;
        r ^= r >> 29;
    }
    for (; i < n; i++) {
        r = (r ^ (unsigned char)s[i]) * m;
        r ^= r >> 29;
    }
    return r;
}

static void fileid_from(fileid *f, const struct stat *st)
{
    f->exists = true;
    f->dev = st->st_dev;
    f->ino = st->st_ino;
    f->size = st->st_size;
    f->mode = st->st_mode;
    f->mtim = st->st_mtim;
    f->ctim = st->st_ctim;
    clock_gettime(CLOCK_REALTIME, &f->seen);
}

static bool fileid_same_stat(const fileid *f, const struct stat *st)
{
    return f->exists && f->dev == st->st_dev && f->ino == st->st_ino &&
           f->size == st->st_size && f->mtim.tv_sec == st->st_mtim.tv_sec &&
           f->mtim.tv_nsec == st->st_mtim.tv_nsec && f->ctim.tv_sec == st->st_ctim.tv_sec &&
           f->ctim.tv_nsec == st->st_ctim.tv_nsec;
}

static long long ts_ns(struct timespec t)
{
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* Could the file change without its stat changing?  Any change sets the
 * ctime to the (coarse) current time, so not once it is old enough. */
static bool fileid_racy(const fileid *f)
{
    long long t = ts_ns(f->mtim) > ts_ns(f->ctim) ? ts_ns(f->mtim) : ts_ns(f->ctim);
    return f->exists && ts_ns(f->seen) - t < RACY_NS;
}

/* Read the file at real whole.  A missing file gives *buf = NULL and
 * f->exists = false.  The content is hashed if hash is set or the stat is
 * racy.  Returns -1 on error (reported; prefix is put before the message,
 * e.g. "cannot save: "). */
static int read_whole(const char *shown, const char *real, const char *prefix, bool hash,
                      char **buf, size_t *len, fileid *f, diags *d)
{
    *buf = NULL;
    *len = 0;
    memset(f, 0, sizeof *f);
    /* O_NONBLOCK: a FIFO in the file's place must not hang us. */
    int fd = open(real, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        if (err == ENOENT)
            return 0;
        if (err == EISDIR)
            diags_file(d, DIAG_ERROR, shown,
                       "%sis a folder, not a status file; remove it or use -s", prefix);
        else
            diags_file(d, DIAG_ERROR, shown, "%scannot read: %s%s", prefix,
                       strerror(err), lockfile_advice(err));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int err = errno;
        diags_file(d, DIAG_ERROR, shown, "%scannot read: %s", prefix, strerror(err));
        close(fd);
        return -1;
    }
    if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode)) {
        diags_file(d, DIAG_ERROR, shown, "%sis %s, not a status file; remove it or use -s",
                   prefix, S_ISDIR(st.st_mode) ? "a folder" : "not a regular file");
        close(fd);
        return -1;
    }
    if ((size_t)st.st_size > JSON_STRICT_MAX_SIZE) {
        diags_file(d, DIAG_ERROR, shown, "%sthe file is too large (%lld bytes)", prefix,
                   (long long)st.st_size);
        close(fd);
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *b = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > JSON_STRICT_MAX_SIZE) {
                diags_file(d, DIAG_ERROR, shown, "%sthe file is too large", prefix);
                free(b);
                close(fd);
                return -1;
            }
            cap *= 2;
            b = xrealloc(b, cap);
        }
        ssize_t r = read(fd, b + n, cap - n - 1);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int err = errno;
            diags_file(d, DIAG_ERROR, shown, "%scannot read: %s%s", prefix,
                       strerror(err), lockfile_advice(err));
            free(b);
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    b[n] = '\0';
    close(fd);
    fileid_from(f, &st);
    f->size = (off_t)n;
    f->hashed = hash || fileid_racy(f);
    if (f->hashed)
        f->hash = hash_bytes(b, n);
    *buf = b;
    *len = n;
    return 0;
}

/* Read and parse the file behind real into sn and f. */
static int snap_read(status_snap *sn, fileid *f, const char *shown, const char *real,
                     const char *prefix, diags *d)
{
    char *buf;
    size_t len;
    memset(sn, 0, sizeof *sn);
    if (read_whole(shown, real, prefix, false, &buf, &len, f, d) < 0)
        return -1;
    if (!buf)
        return 0;
    int rc = status_json_parse(sn, shown, buf, len, d);
    free(buf);
    return rc;
}

/* --- public: load, apply, look up --- */

status *status_load(const char *path, diags *d)
{
    status *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    s->lock_wait_ms = 10000;
    char *real = lockfile_resolve(path, path, d);
    if (!real || snap_read(&s->cur, &s->fid, path, real, "", d) < 0) {
        free(real);
        status_free(s);
        return NULL;
    }
    free(real);
    return s;
}

static void undo_level_free(undo_level *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].id);
        free(l->v[i].at);
        free(l->v[i].by);
        free(l->v[i].note);
        free(l->v[i].note_at);
        free(l->v[i].note_by);
        free(l->v[i].w_note);
        free(l->v[i].w_at);
        free(l->v[i].w_by);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

void status_free(status *s)
{
    if (!s)
        return;
    status_snap_free(&s->cur);
    for (size_t i = 0; i < s->n_undo; i++)
        undo_level_free(&s->undo[i]);
    free(s->undo);
    free(s->skip_id);
    free(s->skip_by);
    free(s->skip_at);
    free(s->path);
    free(s);
}

void status_apply(const status *s, plan *p)
{
    if (!p)
        return;
    plan_clear_done(p);
    for (size_t i = 0; i < p->n_items; i++) {
        plan_item *it = &p->items[i];
        const status_entry *e = status_snap_find(&s->cur, it->id);
        if (!e || !e->present)
            continue;
        if (e->note && *e->note) {
            it->note = e->note;
            it->note_at = e->note_at;
            it->note_by = e->note_by;
        }
        if (!e->done)
            continue;
        it->done = true;
        it->done_at = e->at;
        it->done_by = e->by;
    }
    plan_recount(p);
}

static int id_ptr_cmp(const void *a, const void *b)
{
    const char *x = *(const char *const *)a, *y = *(const char *const *)b;
    int c = id_compare(x, y);
    return c ? c : strcmp(x, y);
}

size_t status_warn_orphans(const status *s, const plan *p, diags *d)
{
    const char **ids = xmalloc((s->cur.n ? s->cur.n : 1) * sizeof *ids);
    size_t n = 0;
    for (size_t i = 0; i < s->cur.n; i++) {
        const status_entry *e = &s->cur.v[i];
        if (e->present && !plan_find_item(p, e->id))
            ids[n++] = e->id;
    }
    qsort(ids, n, sizeof *ids, id_ptr_cmp);
    for (size_t i = 0; i < n; i++)
        diags_file(d, DIAG_WARNING, s->path,
                   "entry \"%s\" names no item of the plan (kept)", ids[i]);
    free(ids);
    return n;
}

bool status_lookup(const status *s, const char *id, bool *done, const char **at,
                   const char **by)
{
    const status_entry *e = status_snap_find(&s->cur, id);
    if (!e || !e->present)
        return false;
    if (done)
        *done = e->done;
    if (at)
        *at = e->at;
    if (by)
        *by = e->by;
    return true;
}

bool status_lookup_note(const status *s, const char *id, const char **note, const char **at,
                        const char **by)
{
    const status_entry *e = status_snap_find(&s->cur, id);
    if (!e || !e->present || !e->note || !*e->note)
        return false;
    if (note)
        *note = e->note;
    if (at)
        *at = e->note_at;
    if (by)
        *by = e->note_by;
    return true;
}

size_t status_count(const status *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->cur.n; i++)
        n += s->cur.v[i].present;
    return n;
}

/* --- saving --- */

/* What is on disk now (step 2 of the protocol, under the lock) into sn and
 * f.  When the file provably is what s->cur was read from or written as
 * (same stat and old enough to trust it, or the same content), sn shares
 * s->cur instead of parsing it again (*shared). */
static int snap_current(status *s, const char *real, status_snap *sn, fileid *f, bool *shared,
                        diags *d)
{
    *shared = false;
    struct stat st;
    bool same = s->fid.exists && stat(real, &st) == 0 && fileid_same_stat(&s->fid, &st);
    if (same && !fileid_racy(&s->fid)) {
        status_snap_share(sn, &s->cur);
        *f = s->fid;
        *shared = true;
        return 0;
    }
    /* Only a racy file with the same stat is worth hashing: a different
     * stat means a change (or a touch), and the file is parsed again. */
    char *buf;
    size_t len;
    memset(sn, 0, sizeof *sn);
    if (read_whole(s->path, real, "cannot save: ", same, &buf, &len, f, d) < 0)
        return -1;
    if (!buf)
        return 0;
    if (same && f->hashed && s->fid.hashed && f->hash == s->fid.hash &&
        f->size == s->fid.size) {
        status_snap_share(sn, &s->cur);
        *shared = true;
        free(buf);
        return 0;
    }
    int rc = status_json_parse(sn, s->path, buf, len, d);
    free(buf);
    return rc;
}

/* A change applied to a snapshot under the lock; returns whether it
 * changed anything. */
typedef bool (*change_fn)(status_snap *sn, void *ctx);

/* What a change adds to the history: its lines, built by the change. */
static strbuf *hist_out;

static void hist_line(const char *at, const char *by, const char *id, int done,
                      const char *note, bool undo);
static void now_iso(char out[40]);

/* The history's last save, if it never reached the status file (its
 * writer was killed between the append and the rename, or the rename
 * failed): lines that put back what sn holds, with "undo": true and the
 * login of the lost change, appended to hist_out.  The last save is the
 * trailing lines with the last line's time and login; it reached the file
 * if the file shows what they say (a line is written only for a change).
 * Reads only the end of the history. */
static void history_reconcile(const char *hpath, const status_snap *sn)
{
    int fd = open(hpath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0)
        return;
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
        close(fd);
        return;
    }
    /* The last save's lines, newest first, parsed from the end back until
     * a line has another time (the region read grows if they go further
     * back than it). */
    size_t size = (size_t)st.st_size, want = 16384;
    history h = {0};
    for (;;) {
        size_t n = want < size ? want : size;
        char *buf = xmalloc(n + 1);
        if (pread(fd, buf, n, (off_t)(size - n)) != (ssize_t)n) {
            free(buf);
            break;
        }
        buf[n] = '\0';
        history_free(&h);
        diags quiet = {0};
        size_t end = n;
        while (end > 0 && buf[end - 1] != '\n')
            end--;   /* a torn last line is no change */
        bool more = false;   /* the group may go on before the region */
        while (end > 0) {
            size_t start = end - 1;
            while (start > 0 && buf[start - 1] != '\n')
                start--;
            if (start == 0 && n < size) {
                more = true;   /* the line may be cut: read further back */
                break;
            }
            size_t before = h.n;
            history_parse(&h, hpath, buf + start, end - start, NULL, &quiet);
            if (h.n > before && h.n > 1 && strcmp(h.v[h.n - 1].at, h.v[0].at) != 0) {
                h.n--;   /* an earlier save */
                break;
            }
            end = start;
        }
        diags_free(&quiet);
        free(buf);
        if (!more || want > ((size_t)1 << 26))
            break;
        want *= 4;
    }
    close(fd);
    if (!h.n) {
        history_free(&h);
        return;
    }
    const history_rec *last = &h.v[0];
    /* did it reach the file? */
    const status_entry *e = status_snap_find(sn, last->id);
    bool done = e && e->present && e->done;
    const char *note = e && e->present && e->note ? e->note : "";
    bool reached = (last->done < 0 || last->done == done) &&
                   (!last->note || strcmp(last->note, note) == 0);
    if (!reached) {
        char now[40];
        now_iso(now);
        strmap seen = {0};
        for (size_t k = 0; k < h.n; k++) {   /* the latest line of each id */
            const history_rec *r = &h.v[k];
            if (!strmap_put(&seen, r->id, 0, NULL))
                continue;
            e = status_snap_find(sn, r->id);
            done = e && e->present && e->done;
            note = e && e->present && e->note ? e->note : "";
            bool dd = r->done >= 0 && r->done != done;
            bool nd = r->note && strcmp(r->note, note) != 0;
            if (dd || nd)
                hist_line(now, r->by, r->id, dd ? done : -1, nd ? note : NULL, true);
        }
        strmap_free(&seen);
    }
    history_free(&h);
}

/* The save protocol of status.h around one change.  On success s->cur is
 * what is on disk now (fn applied) and p shows it; on failure s is as it
 * was. */
static int locked_change(status *s, plan *p, change_fn fn, void *ctx, diags *d)
{
    strbuf hist = {0};
    lockfile lk;
    int took = lockfile_take_wait(&lk, s->path, s->path, s->lock_wait_ms, d);
    if (took != 0)
        return took < 0 ? -1 : STATUS_BUSY;
    const char *real = lockfile_target(&lk);
    int rc = -1;
    status_snap sn;
    fileid f;
    bool shared;
    if (snap_current(s, real, &sn, &f, &shared, d) < 0)
        goto unlock;
    hist_out = &hist;
    bool changed = fn(&sn, ctx);
    hist_out = NULL;
    if (changed) {
        /* The new file is about the old one's size: one allocation. */
        strbuf out = {0};
        out.cap = (f.exists ? (size_t)f.size : 0) + 4096;
        out.s = xmalloc(out.cap);
        out.s[0] = '\0';
        status_json_write(&sn, &out);
        /* The history's lines first (fsynced), then the rename: a kill in
         * between leaves them as the history's last lines. */
        char *hpath = hist.len ? status_history_path(real) : NULL;
        if (hpath) {
            /* a lost save's correction first, then this change */
            strbuf fix = {0};
            hist_out = &fix;
            history_reconcile(hpath, shared ? &s->cur : &sn);
            hist_out = NULL;
            if (fix.len) {
                sb_adds(&fix, hist.s);
                sb_free(&hist);
                hist = fix;
            }
        }
        int hrc = hpath ? lockfile_append(&lk, hpath, hist.s, hist.len, d) : 0;
        free(hpath);
        if (hrc < 0 || lockfile_commit(&lk, out.s, out.len, d) < 0) {
            sb_free(&out);
            if (shared) {
                s->cur.mem = sn.mem;   /* strings fn added: freed with s->cur */
                status_snap_free_tables(&sn);
            } else {
                status_snap_free(&sn);
            }
            goto unlock;
        }
        /* Remember what we wrote, so refresh does not reload it. */
        struct stat st;
        memset(&f, 0, sizeof f);
        if (stat(real, &st) == 0) {
            fileid_from(&f, &st);
            f.hashed = fileid_racy(&f);   /* else the stat alone tells */
            if (f.hashed)
                f.hash = hash_bytes(out.s, out.len);
        }
        sb_free(&out);
    }
    /* The plan's items point into the snapshot: re-point them first. */
    status_snap old = s->cur;
    s->cur = sn;
    s->fid = f;
    memset(&s->bad, 0, sizeof s->bad);
    status_apply(s, p);
    if (shared)
        status_snap_free_tables(&old);   /* its strings live on in sn.mem */
    else
        status_snap_free(&old);
    rc = 0;
unlock:
    lockfile_release(&lk);
    sb_free(&hist);
    return rc;
}

static void now_iso(char out[40])
{
    time_t t = clock_hook ? clock_hook() : time(NULL);
    struct tm tm;
    static bool tz_known;   /* the zone is read once per process */
    if (!tz_known) {
        tzset();
        tz_known = true;
    }
    localtime_r(&t, &tm);
    size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    long off = tm.tm_gmtoff;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    snprintf(out + n, 40 - n, "%c%02ld:%02ld", sign, off / 3600, off / 60 % 60);
}

/* The login of the user running us, or "uid N" when the uid has no
 * passwd entry (the environment's LOGNAME may be another user's). */
static const char *login_name(void)
{
    static char name[256];
    if (!name[0])
        lockfile_user_name(geteuid(), name, sizeof name);
    return name;
}

/* Record e's state before a change to id (what it writes: undo_wrote). */
static undo_rec *undo_record(undo_level *l, const status_entry *e, const char *id)
{
    xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
    undo_rec *r = &l->v[l->n++];
    r->id = xstrdup(id);
    r->present = e && e->present;
    r->done = r->present && e->done;
    r->at = r->present && e->at ? xstrdup(e->at) : NULL;
    r->by = r->present && e->by ? xstrdup(e->by) : NULL;
    r->note = r->present && e->note ? xstrdup(e->note) : NULL;
    r->note_at = r->present && e->note_at ? xstrdup(e->note_at) : NULL;
    r->note_by = r->present && e->note_by ? xstrdup(e->note_by) : NULL;
    return r;
}

/* What the change recorded in r writes: done (marks) or note (notes; NULL
 * or "" clears), at and by. */
static void undo_wrote(undo_rec *r, bool is_note, bool done, const char *note, const char *at,
                       const char *by)
{
    r->is_note = is_note;
    r->w_done = done;
    bool cleared = is_note && (!note || !*note);
    r->w_note = cleared || !note ? NULL : xstrdup(note);
    r->w_at = cleared || !at ? NULL : xstrdup(at);
    r->w_by = cleared || !by ? NULL : xstrdup(by);
}

/* Append one history line to hist_out: at, by, id, then done (0, 1; -1
 * none), note (NULL none), undo. */
static void hist_line(const char *at, const char *by, const char *id, int done,
                      const char *note, bool undo)
{
    if (!hist_out)
        return;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "at", at);
    if (by)
        cJSON_AddStringToObject(o, "by", by);
    cJSON_AddStringToObject(o, "id", id);
    if (done >= 0)
        cJSON_AddBoolToObject(o, "done", done);
    if (note)
        cJSON_AddStringToObject(o, "note", note);
    if (undo)
        cJSON_AddTrueToObject(o, "undo");
    char *line = cJSON_PrintUnformatted(o);
    if (!line)
        abort();
    sb_adds(hist_out, line);
    sb_addc(hist_out, '\n');
    cJSON_free(line);
    cJSON_Delete(o);
}

typedef struct {
    const char *const *ids;
    const bool *done;
    size_t n;
    const char *now, *login;
    undo_level *rec;   /* what the change touched, as it was */
} set_ctx;

static bool apply_set(status_snap *sn, void *vctx)
{
    set_ctx *c = vctx;
    strmap seen = {0};   /* ids already recorded for undo */
    for (size_t i = 0; i < c->n; i++) {
        status_entry *e = status_snap_find(sn, c->ids[i]);
        bool cur = e && e->present && e->done;
        if (cur == c->done[i])
            continue;
        if (strmap_put(&seen, c->ids[i], 0, NULL))
            undo_wrote(undo_record(c->rec, e, c->ids[i]), false, c->done[i], NULL, c->now,
                       c->login);
        if (!e)
            e = status_snap_add(sn, c->ids[i], NULL);
        e->present = true;
        e->done = c->done[i];
        e->at = status_snap_strdup(sn, c->now);
        e->by = status_snap_strdup(sn, c->login);
        hist_line(c->now, c->login, c->ids[i], c->done[i], NULL, false);
    }
    strmap_free(&seen);
    for (size_t i = 0; i < c->rec->n; i++)   /* an id given twice: the last wins */
        c->rec->v[i].w_done = status_snap_find(sn, c->rec->v[i].id)->done;
    return c->rec->n > 0;
}

static void undo_push(status *s, undo_level *l)
{
    if (s->n_undo == UNDO_MAX) {
        undo_level_free(&s->undo[0]);
        memmove(s->undo, s->undo + 1, (s->n_undo - 1) * sizeof *s->undo);
        s->n_undo--;
    }
    xgrow((void **)&s->undo, &s->cap_undo, s->n_undo + 1, sizeof *s->undo);
    s->undo[s->n_undo++] = *l;
}

int status_set(status *s, plan *p, const char *const *ids, const bool *done, size_t n,
               diags *d)
{
    char now[40];
    now_iso(now);
    undo_level rec = {0};
    set_ctx c = {ids, done, n, now, login_name(), &rec};
    int rc = locked_change(s, p, apply_set, &c, d);
    if (rc != 0) {
        undo_level_free(&rec);
        return rc;
    }
    if (rec.n)
        undo_push(s, &rec);
    else
        undo_level_free(&rec);
    return 0;
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

typedef struct {
    const undo_level *l;
    const char *now, *login;
    size_t n_skip;                   /* entries changed by others since */
    const char *skip_id, *skip_by, *skip_at;   /* the first (in the snapshot) */
} undo_ctx;

/* e's note, "" for none. */
static const char *note_of(const status_entry *e)
{
    return e && e->present && e->note ? e->note : "";
}

/* Whether e still holds what the change recorded in r wrote. */
static bool undo_still_ours(const undo_rec *r, const status_entry *e)
{
    bool present = e && e->present;
    if (r->is_note)
        return strcmp(note_of(e), r->w_note ? r->w_note : "") == 0 &&
               same_str(present ? e->note_at : NULL, r->w_at) &&
               same_str(present ? e->note_by : NULL, r->w_by);
    return present && e->done == r->w_done && same_str(e->at, r->w_at) &&
           same_str(e->by, r->w_by);
}

/* Whether e already holds r's previous state (of the fields r's change
 * wrote). */
static bool undo_already_back(const undo_rec *r, const status_entry *e)
{
    bool present = e && e->present;
    if (r->is_note)
        return strcmp(note_of(e), r->note ? r->note : "") == 0 &&
               same_str(present ? e->note_at : NULL, r->note_at) &&
               same_str(present ? e->note_by : NULL, r->note_by);
    if (!present)
        return !r->present;
    return e->done == r->done && same_str(e->at, r->at) && same_str(e->by, r->by);
}

/* Put back, in each entry the level touched, the fields its change wrote,
 * unless someone else changed them since (those are counted in c). An
 * entry the change created goes again when nothing else is left in it. */
static bool apply_undo(status_snap *sn, void *vctx)
{
    undo_ctx *c = vctx;
    const undo_level *l = c->l;
    bool changed = false;
    for (size_t i = 0; i < l->n; i++) {
        const undo_rec *r = &l->v[i];
        status_entry *e = status_snap_find(sn, r->id);
        if (undo_already_back(r, e))
            continue;
        if (!undo_still_ours(r, e)) {
            if (!c->n_skip++) {
                bool present = e && e->present;
                c->skip_id = r->id;
                c->skip_by = !present ? NULL : r->is_note ? e->note_by : e->by;
                c->skip_at = !present ? NULL : r->is_note ? e->note_at : e->at;
            }
            continue;
        }
        if (!e)
            e = status_snap_add(sn, r->id, NULL);
        if (!e->present) {   /* a note cleared on an entry gone since */
            e->present = true;
            e->done = false;
            e->at = e->by = NULL;
            e->note = e->note_at = e->note_by = NULL;
            e->extra = NULL;
        }
        if (r->is_note) {
            e->note = status_snap_strdup(sn, r->note);
            e->note_at = status_snap_strdup(sn, r->note_at);
            e->note_by = status_snap_strdup(sn, r->note_by);
        } else {
            e->done = r->done;
            e->at = status_snap_strdup(sn, r->at);
            e->by = status_snap_strdup(sn, r->by);
        }
        if (!r->present && !e->done && !e->at && !e->by && !*note_of(e)) {
            e->present = false;   /* the change made it: it goes */
            e->extra = NULL;
        }
        changed = true;
        if (r->is_note)
            hist_line(c->now, c->login, r->id, -1, r->note ? r->note : "", true);
        else
            hist_line(c->now, c->login, r->id, r->done, NULL, true);
    }
    return changed;
}

int status_undo(status *s, plan *p, bool *undone, diags *d)
{
    *undone = false;
    s->n_skip = 0;
    if (!s->n_undo)
        return 0;
    undo_level *l = &s->undo[s->n_undo - 1];
    char now[40];
    now_iso(now);
    undo_ctx c = {l, now, login_name(), 0, NULL, NULL, NULL};
    int rc = locked_change(s, p, apply_undo, &c, d);
    if (rc != 0)
        return rc;
    /* the skipped entry's strings live in the snapshot, which is s->cur now */
    free(s->skip_id);
    free(s->skip_by);
    free(s->skip_at);
    s->n_skip = c.n_skip;
    s->skip_id = c.skip_id ? xstrdup(c.skip_id) : NULL;
    s->skip_by = c.skip_by ? xstrdup(c.skip_by) : NULL;
    s->skip_at = c.skip_at ? xstrdup(c.skip_at) : NULL;
    undo_level_free(l);
    s->n_undo--;
    *undone = true;
    return 0;
}

size_t status_undo_skipped(const status *s, const char **id, const char **by, const char **at)
{
    if (id)
        *id = s->skip_id;
    if (by)
        *by = s->skip_by;
    if (at)
        *at = s->skip_at;
    return s->n_skip;
}

void status_set_lock_wait(status *s, long ms)
{
    s->lock_wait_ms = ms;
}

typedef struct {
    const char *id, *note;   /* note "": clear */
    const char *expect;      /* the note the caller saw, or NULL */
    const char *now, *login;
    undo_level *rec;
    bool conflict;           /* expect was not the note on disk */
} note_ctx;

static bool apply_note(status_snap *sn, void *vctx)
{
    note_ctx *c = vctx;
    status_entry *e = status_snap_find(sn, c->id);
    const char *cur = e && e->present && e->note ? e->note : "";
    if (strcmp(cur, c->note) == 0)
        return false;
    if (c->expect && strcmp(cur, c->expect) != 0) {
        c->conflict = true;   /* another saved meanwhile: not overwritten */
        return false;
    }
    undo_wrote(undo_record(c->rec, e, c->id), true, false, c->note, c->now, c->login);
    if (!e)
        e = status_snap_add(sn, c->id, NULL);
    if (!e->present) {   /* removed by an undo: a fresh entry */
        e->present = true;
        e->done = false;
        e->at = e->by = NULL;
        e->extra = NULL;
    }
    if (*c->note) {
        e->note = status_snap_strdup(sn, c->note);
        e->note_at = status_snap_strdup(sn, c->now);
        e->note_by = status_snap_strdup(sn, c->login);
    } else {
        e->note = e->note_at = e->note_by = NULL;
        /* nothing else in the entry (never marked, no unknown fields): it goes */
        if (!e->done && !e->at && !e->by && !e->extra)
            e->present = false;
    }
    hist_line(c->now, c->login, c->id, -1, c->note, false);
    return true;
}

int status_check_note(const char *note, size_t len, diags *d)
{
    size_t bad;
    if (len > STATUS_NOTE_MAX) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0,
                  "the note is %zu bytes; a note is at most %d bytes (64 KiB): "
                  "shorten it (nothing was saved)", len, STATUS_NOTE_MAX);
        return -1;
    }
    if (memchr(note, '\0', len)) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0,
                  "the note holds a NUL byte; a note is text (nothing was saved)");
        return -1;
    }
    if (!utf8_valid(note, len, &bad)) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0,
                  "the note is not valid UTF-8 (byte %zu); save it as UTF-8 "
                  "(nothing was saved)", bad + 1);
        return -1;
    }
    return 0;
}

int status_set_note(status *s, plan *p, const char *id, const char *note, const char *expect,
                    diags *d)
{
    if (status_check_note(note, strlen(note), d) < 0)
        return -1;
    char now[40];
    now_iso(now);
    undo_level rec = {0};
    note_ctx c = {id, note, expect, now, login_name(), &rec, false};
    int rc = locked_change(s, p, apply_note, &c, d);
    if (rc != 0 || c.conflict) {
        undo_level_free(&rec);
        return rc != 0 ? rc : STATUS_NOTE_CHANGED;
    }
    if (rec.n)
        undo_push(s, &rec);
    else
        undo_level_free(&rec);
    return 0;
}

size_t status_undo_depth(const status *s)
{
    return s->n_undo;
}

/* --- noticing outside changes --- */

int status_refresh(status *s, plan *p, bool *changed, diags *d)
{
    *changed = false;
    char *real = lockfile_resolve(s->path, s->path, d);
    if (!real)
        return -1;
    struct stat st;
    int rc = 0;
    if (stat(real, &st) < 0) {
        if (errno == ENOENT && !s->fid.exists)
            goto out;   /* still missing */
    } else if ((fileid_same_stat(&s->fid, &st) && !fileid_racy(&s->fid)) ||
               (fileid_same_stat(&s->bad, &st) && !fileid_racy(&s->bad))) {
        goto out;   /* unchanged, or broken and already said so */
    }
    char *buf;
    size_t len;
    fileid f;
    if (read_whole(s->path, real, "", true, &buf, &len, &f, d) < 0) {
        rc = -1;
        goto out;
    }
    if (buf && s->fid.exists && s->fid.hashed && f.hash == s->fid.hash && f.ino == s->fid.ino &&
        f.dev == s->fid.dev && f.size == s->fid.size) {
        s->fid = f;   /* same content; the new stat may no longer be racy */
        free(buf);
        goto out;
    }
    if (buf && s->bad.exists && s->bad.hashed && f.hash == s->bad.hash && f.ino == s->bad.ino &&
        f.size == s->bad.size) {
        s->bad = f;
        free(buf);
        goto out;
    }
    status_snap sn = {0};
    if (buf && status_json_parse(&sn, s->path, buf, len, d) < 0) {
        s->bad = f;
        free(buf);
        rc = -1;
        goto out;
    }
    free(buf);
    status_snap old = s->cur;
    s->cur = sn;
    s->fid = f;
    memset(&s->bad, 0, sizeof s->bad);
    status_apply(s, p);
    status_snap_free(&old);
    *changed = true;
out:
    free(real);
    return rc;
}
