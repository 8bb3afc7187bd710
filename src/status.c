/* status.c - the completion status store: strict load through json_strict
 * (checked, then read in place: no tree) into a flat table indexed by id,
 * locked atomic saves, undo, and noticing other processes' changes. */
#include "status.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "json_strict.h"

#define LOCK_TIMEOUT_NS (10LL * 1000000000LL)
/* A stat taken less than this after the file's last change (mtime or
 * ctime) cannot prove that the file is unchanged later: timestamps are
 * coarse and inodes are reused.  Such a file is compared by content until
 * it ages (git's "racy clean" problem). */
#define RACY_NS (2LL * 1000000000LL)
#define UNDO_MAX 1000
#define SHAPE_ERRORS_MAX 20

/* What is known of a snapshot's order: a file is checked once, when first
 * written, and then kept track of as entries are added. */
enum { ORDER_UNKNOWN, ORDER_SORTED, ORDER_UNSORTED };

/* One entry of the file.  Strings live in the snapshot's arena. */
typedef struct {
    const char *id;
    const char *at;     /* NULL if absent */
    const char *by;     /* NULL if absent */
    const char *extra;  /* the other fields, `, "k": v` each, NULL if none */
    bool done;
    bool present;       /* false once an undo removed it */
} entry;

/* Everything one read of the file holds; no cJSON tree is kept. */
typedef struct {
    entry *v;
    size_t n, cap;
    strmap index;       /* id -> index into v */
    int order;          /* ORDER_*: whether v is in id order (entry_cmp) */
    const char *tail;   /* unknown top-level fields, `,\n  "k": v` each */
    arena mem;
} snap;

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

/* The previous state of one entry that a change touched. */
typedef struct {
    char *id;
    char *at, *by;
    bool present, done;
} undo_rec;

typedef struct {
    undo_rec *v;
    size_t n, cap;
} undo_level;

struct status {
    char *path;          /* as the user gave it; used in messages */
    snap cur;
    fileid fid;
    fileid bad;          /* a broken file already reported by refresh */
    undo_level *undo;    /* oldest first */
    size_t n_undo, cap_undo;
};

static status_fault_fn fault_hook;
static time_t (*clock_hook)(void);

void status_set_fault_hook(status_fault_fn fn)
{
    fault_hook = fn;
}

void status_set_clock(time_t (*now)(void))
{
    clock_hook = now;
}

static int fault(const char *step, size_t *len)
{
    size_t dummy = 0;
    return fault_hook ? fault_hook(step, len ? len : &dummy) : 0;
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

const char *status_path(const status *s)
{
    return s->path;
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

/* The file that path names, following symbolic links to their end (as git
 * does), so saves replace the target and keep the link.  A missing file is
 * fine; a link to a missing file or a loop is an error (NULL, reported). */
static char *resolve(const char *shown, const char *path, diags *d)
{
    char *cur = xstrdup(path);
    for (int hops = 0; hops < 40; hops++) {
        struct stat st;
        if (lstat(cur, &st) < 0) {
            if (errno == ENOENT && hops > 0) {
                diags_add(d, DIAG_ERROR, shown, 0, 0,
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
    diags_add(d, DIAG_ERROR, shown, 0, 0,
              "too many levels of symbolic links (a loop?); fix the links");
    free(cur);
    return NULL;
}

/* What to do about a failed system call, for messages. */
static const char *advice(int err)
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

/* "FILE: error: cannot save: WHAT: strerror; advice (nothing was saved)" */
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
        diags_add(d, DIAG_ERROR, shown, 0, 0, "cannot save: %s: %s%s (nothing was saved)",
                  what.s, strerror(err), advice(err));
    else
        diags_add(d, DIAG_ERROR, shown, 0, 0, "cannot save: %s (nothing was saved)", what.s);
    sb_free(&what);
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
            diags_add(d, DIAG_ERROR, shown, 0, 0,
                      "%sis a folder, not a status file; remove it or use -s", prefix);
        else
            diags_add(d, DIAG_ERROR, shown, 0, 0, "%scannot read: %s%s", prefix,
                      strerror(err), advice(err));
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int err = errno;
        diags_add(d, DIAG_ERROR, shown, 0, 0, "%scannot read: %s", prefix, strerror(err));
        close(fd);
        return -1;
    }
    if (S_ISDIR(st.st_mode) || !S_ISREG(st.st_mode)) {
        diags_add(d, DIAG_ERROR, shown, 0, 0, "%sis %s, not a status file; remove it or use -s",
                  prefix, S_ISDIR(st.st_mode) ? "a folder" : "not a regular file");
        close(fd);
        return -1;
    }
    if ((size_t)st.st_size > JSON_STRICT_MAX_SIZE) {
        diags_add(d, DIAG_ERROR, shown, 0, 0, "%sthe file is too large (%lld bytes)", prefix,
                  (long long)st.st_size);
        close(fd);
        return -1;
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *b = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            if (cap > JSON_STRICT_MAX_SIZE) {
                diags_add(d, DIAG_ERROR, shown, 0, 0, "%sthe file is too large", prefix);
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
            diags_add(d, DIAG_ERROR, shown, 0, 0, "%scannot read: %s%s", prefix,
                      strerror(err), advice(err));
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

/* --- the snapshot --- */

static void snap_free(snap *sn)
{
    free(sn->v);
    strmap_free(&sn->index);
    arena_free(&sn->mem);
    memset(sn, 0, sizeof *sn);
}

static entry *snap_find(const snap *sn, const char *id)
{
    uint32_t k;
    return strmap_get(&sn->index, id, &k) ? &sn->v[k] : NULL;
}

static int entry_cmp(const void *a, const void *b);

static entry *snap_add(snap *sn, const char *id)
{
    xgrow((void **)&sn->v, &sn->cap, sn->n + 1, sizeof *sn->v);
    entry *e = &sn->v[sn->n];
    memset(e, 0, sizeof *e);
    e->id = arena_strndup(&sn->mem, id, strlen(id));
    if (sn->order == ORDER_SORTED && sn->n) {
        const entry *last = &sn->v[sn->n - 1];
        if (entry_cmp(&last, &e) > 0)
            sn->order = ORDER_UNSORTED;
    }
    e->present = true;
    strmap_put(&sn->index, e->id, (uint32_t)sn->n, NULL);
    sn->n++;
    return e;
}

static const char *snap_strdup(snap *sn, const char *s)
{
    return s ? arena_strndup(&sn->mem, s, strlen(s)) : NULL;
}

/* Parsing context: the text (checked by json_strict), the error count. */
typedef struct {
    const char *file, *text;
    size_t len;
    diags *d;
    size_t errors;
} shape;

static void shape_error(shape *sh, size_t at, const char *fmt, ...) PD_PRINTF(3, 4);

/* Report an error about the value starting at byte at. */
static void shape_error(shape *sh, size_t at, const char *fmt, ...)
{
    if (++sh->errors > SHAPE_ERRORS_MAX)
        return;
    unsigned long line = 0, col = 0;
    json_strict_position(sh->text, sh->len, at, &line, &col);
    strbuf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&msg, fmt, ap);
    va_end(ap);
    diags_add(sh->d, DIAG_ERROR, sh->file, line, col, "%s", msg.s);
    sb_free(&msg);
}

/* The offset of the first non-whitespace byte at or after i. */
static size_t skip_ws(const shape *sh, size_t i)
{
    while (i < sh->len && (sh->text[i] == ' ' || sh->text[i] == '\t' ||
                           sh->text[i] == '\n' || sh->text[i] == '\r'))
        i++;
    return i;
}

/* Read the object member at i (a key: the text is checked, so the member
 * and its ':' are there): its unescaped key into key, *value where its
 * value starts.  Returns false at the object's closing '}'. */
static bool next_member(const shape *sh, size_t *i, strbuf *key, size_t *value)
{
    size_t k = skip_ws(sh, *i);
    if (k < sh->len && sh->text[k] == ',')
        k = skip_ws(sh, k + 1);
    if (k >= sh->len || sh->text[k] != '"') {   /* '}' */
        *i = k + 1;
        return false;
    }
    sb_reset(key);
    k = skip_ws(sh, json_strict_string(key, sh->text, sh->len, k));
    *value = skip_ws(sh, k + 1);   /* past ':' */
    return true;
}

/* Append `, "key": value` for a member whose value starts at v; returns
 * the offset past the value. */
static size_t add_member(strbuf *b, const shape *sh, const char *sep, const char *key, size_t v)
{
    sb_adds(b, sep);
    json_strict_quote(b, key);
    sb_add(b, ": ", 2);
    return json_strict_minify(b, sh->text, sh->len, v);
}

/* The value of the number at v, as cJSON reads it (strtod, with the
 * locale's decimal point). */
static double number_at(const shape *sh, size_t v)
{
    char num[64];
    size_t n = 0;
    char point = localeconv()->decimal_point[0];
    while (v + n < sh->len && n < sizeof num - 1 && strchr("0123456789+-eE.", sh->text[v + n]) &&
           sh->text[v + n]) {
        num[n] = sh->text[v + n] == '.' ? point : sh->text[v + n];
        n++;
    }
    num[n] = '\0';
    return strtod(num, NULL);
}

/* A copy of the string value at v in sn's arena. */
static const char *arena_string(snap *sn, const shape *sh, strbuf *tmp, size_t v)
{
    sb_reset(tmp);
    json_strict_string(tmp, sh->text, sh->len, v);
    return arena_strndup(&sn->mem, tmp->s ? tmp->s : "", tmp->len);
}

/* Scratch buffers for reading entries. */
typedef struct {
    strbuf id, key, extra, tmp;
} scratch;

/* Read one entry, whose value starts at v and whose id is in b->id, into
 * sn.  Returns the offset past the value. */
static size_t parse_entry(shape *sh, snap *sn, size_t v, scratch *b)
{
    const char *id = b->id.s, *t = sh->text;
    if (t[v] != '{') {
        shape_error(sh, v, "entry \"%s\" must be an object such as {\"done\": true, "
                           "\"at\": \"2026-11-26T18:42:08+08:00\"}", id);
        return json_strict_skip(t, sh->len, v);
    }
    size_t done = 0, at = 0, by = 0;   /* where the fields' values start; 0: absent */
    sb_reset(&b->extra);
    size_t i = v + 1, k;
    while (next_member(sh, &i, &b->key, &k)) {
        const char *name = b->key.s;
        if (strcmp(name, "done") == 0) {
            done = k;
            if (t[k] != 't' && t[k] != 'f')
                shape_error(sh, k, "\"done\" of entry \"%s\" must be true or false", id);
        } else if (strcmp(name, "at") == 0) {
            at = k;
            if (t[k] != '"')
                shape_error(sh, k, "\"at\" of entry \"%s\" must be a string, a time such as "
                                   "\"2026-11-26T18:42:08+08:00\"", id);
        } else if (strcmp(name, "by") == 0) {
            by = k;
            if (t[k] != '"')
                shape_error(sh, k, "\"by\" of entry \"%s\" must be a string, a login name", id);
        } else {
            i = add_member(&b->extra, sh, ", ", name, k);
            continue;
        }
        i = json_strict_skip(t, sh->len, k);
    }
    if (!done) {
        shape_error(sh, v, "entry \"%s\" has no \"done\" field (true or false)", id);
        return i;
    }
    if (sh->errors)
        return i;   /* the snapshot is thrown away anyway */
    entry *en = snap_add(sn, id);
    en->done = t[done] == 't';
    en->at = at ? arena_string(sn, sh, &b->tmp, at) : NULL;
    en->by = by ? arena_string(sn, sh, &b->tmp, by) : NULL;
    en->extra = b->extra.len ? arena_strndup(&sn->mem, b->extra.s, b->extra.len) : NULL;
    return i;
}

/* Parse text[0..len) into sn (empty on entry).  Returns 0, or -1 with the
 * errors reported to d.  json_strict checks the text; the walk below then
 * reads it in place, without building a tree. */
static int snap_parse(snap *sn, const char *file, const char *text, size_t len, diags *d)
{
    if (len == 0) {
        diags_add(d, DIAG_ERROR, file, 0, 0,
                  "the file is empty; a status file holds at least {\"version\": 1, "
                  "\"items\": {}} (delete the empty file to start with nothing done)");
        return -1;
    }
    json_strict js;
    bool valid = json_strict_check(&js, text, len, false);
    if (!valid) {
        unsigned long line, col;
        json_strict_position(text, len, js.err_offset, &line, &col);
        diags_add(d, DIAG_ERROR, file, line, col, "%s", js.msg);
    }
    json_strict_free(&js);
    if (!valid)
        return -1;
    shape sh = {file, text, len, d, 0};
    strbuf tail = {0}, key = {0};
    scratch b = {0};
    bool version = false, items = false;
    size_t root = skip_ws(&sh, 0);
    if (text[root] != '{') {
        shape_error(&sh, root, "a status file must be a JSON object: {\"version\": 1, "
                               "\"items\": {...}}");
        goto done;
    }
    size_t i = root + 1, k;
    while (next_member(&sh, &i, &key, &k)) {
        if (strcmp(key.s, "version") == 0) {
            version = true;
            if (text[k] != '-' && (text[k] < '0' || text[k] > '9')) {
                shape_error(&sh, k, "\"version\" must be the number 1");
            } else if (number_at(&sh, k) != 1) {
                strbuf num = {0};
                json_strict_minify(&num, text, len, k);
                shape_error(&sh, k, "version %s is not supported: this plandash reads "
                                    "version 1 (was the file written by a newer plandash?)",
                            num.s);
                sb_free(&num);
            }
            i = json_strict_skip(text, len, k);
        } else if (strcmp(key.s, "items") == 0) {
            items = true;
            if (text[k] != '{') {
                shape_error(&sh, k, "\"items\" must be an object mapping item ids to "
                                    "entries, such as {\"1.1.1\": {\"done\": true}}");
                i = json_strict_skip(text, len, k);
                continue;
            }
            size_t j = k + 1, v;
            while (next_member(&sh, &j, &b.id, &v))
                j = parse_entry(&sh, sn, v, &b);
            i = j;
        } else {
            i = add_member(&tail, &sh, ",\n  ", key.s, k);
        }
    }
    if (!version)
        shape_error(&sh, root, "no \"version\" field: a status file is {\"version\": 1, "
                               "\"items\": {...}}");
    if (!items)
        shape_error(&sh, root, "no \"items\" field: a status file is {\"version\": 1, "
                               "\"items\": {...}}");
done:
    if (sh.errors > SHAPE_ERRORS_MAX)
        diags_add(d, DIAG_ERROR, file, 0, 0, "%zu more errors not shown",
                  sh.errors - SHAPE_ERRORS_MAX);
    if (!sh.errors && tail.len)
        sn->tail = arena_strndup(&sn->mem, tail.s, tail.len);
    sb_free(&tail);
    sb_free(&key);
    sb_free(&b.id);
    sb_free(&b.key);
    sb_free(&b.extra);
    sb_free(&b.tmp);
    return sh.errors ? -1 : 0;
}

/* Read and parse the file behind real into sn and f. */
static int snap_read(snap *sn, fileid *f, const char *shown, const char *real,
                     const char *prefix, diags *d)
{
    char *buf;
    size_t len;
    memset(sn, 0, sizeof *sn);
    if (read_whole(shown, real, prefix, false, &buf, &len, f, d) < 0)
        return -1;
    if (!buf)
        return 0;
    int rc = snap_parse(sn, shown, buf, len, d);
    free(buf);
    if (rc < 0)
        snap_free(sn);
    return rc;
}

static int entry_cmp(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    int c = id_compare(x->id, y->id);
    return c ? c : strcmp(x->id, y->id);
}

/* The whole file for sn, in the layout of status.h (entries in id order;
 * the first write learns whether sn->v already is, once). */
static void snap_write(snap *sn, strbuf *out)
{
    if (sn->order == ORDER_UNKNOWN) {
        sn->order = ORDER_SORTED;
        for (size_t i = 1; i < sn->n && sn->order == ORDER_SORTED; i++) {
            const entry *x = &sn->v[i - 1], *y = &sn->v[i];
            if (entry_cmp(&x, &y) > 0)
                sn->order = ORDER_UNSORTED;
        }
    }
    entry **order = xmalloc((sn->n ? sn->n : 1) * sizeof(entry *));
    size_t n = 0;
    for (size_t i = 0; i < sn->n; i++)
        if (sn->v[i].present)
            order[n++] = &sn->v[i];
    if (sn->order == ORDER_UNSORTED)
        qsort(order, n, sizeof(entry *), entry_cmp);
    sb_adds(out, "{\n  \"version\": 1,\n  \"items\": {");
    for (size_t i = 0; i < n; i++) {
        const entry *e = order[i];
        sb_add(out, "\n    ", 5);
        json_strict_quote(out, e->id);
        sb_adds(out, e->done ? ": {\"done\": true" : ": {\"done\": false");
        if (e->at) {
            sb_add(out, ", \"at\": ", 8);
            json_strict_quote(out, e->at);
        }
        if (e->by) {
            sb_add(out, ", \"by\": ", 8);
            json_strict_quote(out, e->by);
        }
        if (e->extra)
            sb_adds(out, e->extra);
        sb_add(out, i + 1 < n ? "}," : "}", i + 1 < n ? 2 : 1);
    }
    sb_adds(out, n ? "\n  }" : "}");
    if (sn->tail)
        sb_adds(out, sn->tail);
    sb_add(out, "\n}\n", 3);
    free(order);
}

/* --- public: load, apply, look up --- */

status *status_load(const char *path, diags *d)
{
    status *s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    char *real = resolve(path, path, d);
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
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

void status_free(status *s)
{
    if (!s)
        return;
    snap_free(&s->cur);
    for (size_t i = 0; i < s->n_undo; i++)
        undo_level_free(&s->undo[i]);
    free(s->undo);
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
        const entry *e = snap_find(&s->cur, it->id);
        if (!e || !e->present || !e->done)
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
        const entry *e = &s->cur.v[i];
        if (e->present && !plan_find_item(p, e->id))
            ids[n++] = e->id;
    }
    qsort(ids, n, sizeof *ids, id_ptr_cmp);
    for (size_t i = 0; i < n; i++)
        diags_add(d, DIAG_WARNING, s->path, 0, 0,
                  "entry \"%s\" names no item of the plan (kept)", ids[i]);
    free(ids);
    return n;
}

bool status_lookup(const status *s, const char *id, bool *done, const char **at,
                   const char **by)
{
    const entry *e = snap_find(&s->cur, id);
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

size_t status_count(const status *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->cur.n; i++)
        n += s->cur.v[i].present;
    return n;
}

/* --- saving --- */

/* Take the lock beside real, waiting up to LOCK_TIMEOUT_NS. */
static int take_lock(const char *shown, const char *lock, diags *d)
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
            diags_add(d, DIAG_ERROR, shown, 0, 0,
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

/* Write buf to the new file tmp and rename it over real (steps 4-5 of the
 * protocol).  mode: the old file's permissions, or -1 for a new file.
 * Returns 0, or -1 (reported) with tmp removed and real untouched. */
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
        diags_add(d, DIAG_WARNING, shown, 0, 0,
                  "saved, but the folder %s could not be synced: %s", dir, strerror(err));
    free(dir);
    return 0;
}

/* Copy src's tables into dst, sharing its strings: dst's arena is src's
 * and grows from there, so whichever of the two survives must end up with
 * dst.mem (the newest block, which chains to all older ones). */
static void snap_share(snap *dst, const snap *src)
{
    *dst = *src;
    dst->cap = src->n;
    dst->v = xmalloc((src->n ? src->n : 1) * sizeof *dst->v);
    if (src->n)
        memcpy(dst->v, src->v, src->n * sizeof *dst->v);
    strmap_copy(&dst->index, &src->index);
}

/* Free a snapshot's tables but not its strings. */
static void snap_free_tables(snap *sn)
{
    free(sn->v);
    strmap_free(&sn->index);
}

/* What is on disk now (step 2 of the protocol, under the lock) into sn and
 * f.  When the file provably is what s->cur was read from or written as
 * (same stat and old enough to trust it, or the same content), sn shares
 * s->cur instead of parsing it again (*shared). */
static int snap_current(status *s, const char *real, snap *sn, fileid *f, bool *shared,
                        diags *d)
{
    *shared = false;
    struct stat st;
    bool same = s->fid.exists && stat(real, &st) == 0 && fileid_same_stat(&s->fid, &st);
    if (same && !fileid_racy(&s->fid)) {
        snap_share(sn, &s->cur);
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
        snap_share(sn, &s->cur);
        *shared = true;
        free(buf);
        return 0;
    }
    int rc = snap_parse(sn, s->path, buf, len, d);
    free(buf);
    if (rc < 0)
        snap_free(sn);
    return rc;
}

/* A change applied to a snapshot under the lock; returns whether it
 * changed anything. */
typedef bool (*change_fn)(snap *sn, void *ctx);

/* The save protocol of status.h around one change.  On success s->cur is
 * what is on disk now (fn applied) and p shows it; on failure s is as it
 * was. */
static int locked_change(status *s, plan *p, change_fn fn, void *ctx, diags *d)
{
    char *real = resolve(s->path, s->path, d);
    if (!real)
        return -1;
    char *lock = xasprintf("%s.lock", real), *tmp = xasprintf("%s.tmp", real);
    int rc = -1;
    int lfd = take_lock(s->path, lock, d);
    if (lfd < 0)
        goto out;
    snap sn;
    fileid f;
    bool shared;
    if (snap_current(s, real, &sn, &f, &shared, d) < 0)
        goto unlock;
    if (fn(&sn, ctx)) {
        int mode = f.exists ? (int)(f.mode & 07777) : -1;
        /* The new file is about the old one's size: one allocation. */
        strbuf out = {0};
        out.cap = (f.exists ? (size_t)f.size : 0) + 4096;
        out.s = xmalloc(out.cap);
        out.s[0] = '\0';
        snap_write(&sn, &out);
        if (replace_file(s->path, real, tmp, mode, out.s, out.len, d) < 0) {
            sb_free(&out);
            if (shared) {
                s->cur.mem = sn.mem;   /* strings fn added: freed with s->cur */
                snap_free_tables(&sn);
            } else {
                snap_free(&sn);
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
    snap old = s->cur;
    s->cur = sn;
    s->fid = f;
    memset(&s->bad, 0, sizeof s->bad);
    status_apply(s, p);
    if (shared)
        snap_free_tables(&old);   /* its strings live on in sn.mem */
    else
        snap_free(&old);
    rc = 0;
unlock:
    close(lfd);   /* releases the lock */
out:
    free(lock);
    free(tmp);
    free(real);
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

/* The login of the user running us, or NULL if unknown. */
static const char *login_name(void)
{
    static char name[256];
    static bool known;
    if (!known) {
        known = true;
        struct passwd *pw = getpwuid(geteuid());
        const char *n = pw && pw->pw_name && *pw->pw_name ? pw->pw_name : NULL;
        if (!n)
            n = getenv("LOGNAME");
        if (!n || !*n)
            n = getenv("USER");
        if (n && *n)
            snprintf(name, sizeof name, "%s", n);
    }
    return name[0] ? name : NULL;
}

static void undo_record(undo_level *l, const entry *e, const char *id)
{
    xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
    undo_rec *r = &l->v[l->n++];
    r->id = xstrdup(id);
    r->present = e && e->present;
    r->done = r->present && e->done;
    r->at = r->present && e->at ? xstrdup(e->at) : NULL;
    r->by = r->present && e->by ? xstrdup(e->by) : NULL;
}

typedef struct {
    const char *const *ids;
    const bool *done;
    size_t n;
    const char *now, *login;
    undo_level *rec;   /* what the change touched, as it was */
} set_ctx;

static bool apply_set(snap *sn, void *vctx)
{
    set_ctx *c = vctx;
    strmap seen = {0};   /* ids already recorded for undo */
    for (size_t i = 0; i < c->n; i++) {
        entry *e = snap_find(sn, c->ids[i]);
        bool cur = e && e->present && e->done;
        if (cur == c->done[i])
            continue;
        if (strmap_put(&seen, c->ids[i], 0, NULL))
            undo_record(c->rec, e, c->ids[i]);
        if (!e)
            e = snap_add(sn, c->ids[i]);
        e->present = true;
        e->done = c->done[i];
        e->at = snap_strdup(sn, c->now);
        e->by = snap_strdup(sn, c->login);
    }
    strmap_free(&seen);
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
    if (locked_change(s, p, apply_set, &c, d) < 0) {
        undo_level_free(&rec);
        return -1;
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

static bool apply_undo(snap *sn, void *vctx)
{
    const undo_level *l = vctx;
    bool changed = false;
    for (size_t i = 0; i < l->n; i++) {
        const undo_rec *r = &l->v[i];
        entry *e = snap_find(sn, r->id);
        if (!r->present) {
            if (e && e->present) {
                e->present = false;
                e->extra = NULL;
                changed = true;
            }
            continue;
        }
        if (e && e->present && e->done == r->done && same_str(e->at, r->at) &&
            same_str(e->by, r->by))
            continue;
        if (!e)
            e = snap_add(sn, r->id);
        e->present = true;
        e->done = r->done;
        e->at = snap_strdup(sn, r->at);
        e->by = snap_strdup(sn, r->by);
        changed = true;
    }
    return changed;
}

int status_undo(status *s, plan *p, diags *d)
{
    if (!s->n_undo)
        return 0;
    undo_level *l = &s->undo[s->n_undo - 1];
    if (locked_change(s, p, apply_undo, l, d) < 0)
        return -1;
    undo_level_free(l);
    s->n_undo--;
    return 1;
}

size_t status_undo_depth(const status *s)
{
    return s->n_undo;
}

/* --- noticing outside changes --- */

int status_refresh(status *s, plan *p, bool *changed, diags *d)
{
    *changed = false;
    char *real = resolve(s->path, s->path, d);
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
    snap sn = {0};
    if (buf && snap_parse(&sn, s->path, buf, len, d) < 0) {
        s->bad = f;
        free(buf);
        rc = -1;
        goto out;
    }
    free(buf);
    snap old = s->cur;
    s->cur = sn;
    s->fid = f;
    memset(&s->bad, 0, sizeof s->bad);
    status_apply(s, p);
    snap_free(&old);
    *changed = true;
out:
    free(real);
    return rc;
}
