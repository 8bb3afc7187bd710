/* history.c - the history file's lines -> history_rec, through cJSON; a
 * search for one id parses only the lines that hold its text. */
#include "history.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

void history_free(history *h)
{
    free(h->v);
    arena_free(&h->mem);
    memset(h, 0, sizeof *h);
}

static const char *dup_str(history *h, const cJSON *v)
{
    return v && cJSON_IsString(v) && v->valuestring ? arena_strndup(&h->mem, v->valuestring, strlen(v->valuestring))
                             : NULL;
}

/* Parse one line (without its '\n'); false if it is not a change. */
static bool parse_line(history *h, const char *s, size_t n, const char *id, size_t line)
{
    cJSON *o = cJSON_ParseWithLength(s, n);
    if (!cJSON_IsObject(o)) {
        cJSON_Delete(o);
        return false;
    }
    const cJSON *at = cJSON_GetObjectItemCaseSensitive(o, "at");
    const cJSON *by = cJSON_GetObjectItemCaseSensitive(o, "by");
    const cJSON *iv = cJSON_GetObjectItemCaseSensitive(o, "id");
    const cJSON *done = cJSON_GetObjectItemCaseSensitive(o, "done");
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(o, "note");
    const cJSON *undo = cJSON_GetObjectItemCaseSensitive(o, "undo");
    bool ok = cJSON_IsString(at) && cJSON_IsString(iv) && (!by || cJSON_IsString(by)) &&
              (!done || cJSON_IsBool(done)) && (!note || cJSON_IsString(note));
    if (ok && (!id || strcmp(iv->valuestring, id) == 0)) {
        xgrow((void **)&h->v, &h->cap, h->n + 1, sizeof *h->v);
        history_rec *r = &h->v[h->n++];
        r->at = dup_str(h, at);
        r->by = dup_str(h, by);
        r->id = dup_str(h, iv);
        r->done = done ? cJSON_IsTrue(done) : -1;
        r->note = dup_str(h, note);
        r->undo = cJSON_IsTrue(undo);
        r->line = line;
    }
    cJSON_Delete(o);
    return ok;
}

/* May the text of id appear as itself in a line (no escapes)? */
static bool plain_id(const char *id)
{
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        if (*p < 0x20 || *p == '"' || *p == '\\' || *p == 0x7F)
            return false;
    return *id != '\0';
}

void history_parse(history *h, const char *file, const char *text, size_t len, const char *id,
                   diags *d)
{
    size_t lineno = 1;
    const char *end = text + len;
    /* One id: only lines that hold its text, in quotes, are parsed. */
    bool skim = id && plain_id(id);
    char *needle = skim ? xasprintf("\"%s\"", id) : NULL;
    size_t idlen = skim ? strlen(needle) : 0;
    const char *s = text;
    while (s < end) {
        const char *nl = memchr(s, '\n', (size_t)(end - s));
        if (skim) {
            const char *hit = memmem(s, (size_t)(end - s), needle, idlen);
            if (!hit)
                break;
            if (!nl || hit > nl) {   /* jump to the line of the hit */
                const char *ls = hit;
                while (ls > s && ls[-1] != '\n')
                    ls--;
                for (const char *q = s; (q = memchr(q, '\n', (size_t)(ls - q))) != NULL; q++)
                    lineno++;
                s = ls;
                nl = memchr(s, '\n', (size_t)(end - s));
            }
        }
        if (!nl) {
            diags_add(d, DIAG_WARNING, file, lineno, 1,
                      "the last line is cut short (a save was interrupted): ignored");
            break;
        }
        if (nl > s && !parse_line(h, s, (size_t)(nl - s), id, lineno))
            diags_add(d, DIAG_WARNING, file, lineno, 1,
                      "not a change (a JSON object with \"at\" and \"id\"): ignored");
        s = nl + 1;
        lineno++;
    }
    free(needle);
}

/* Open the history file for reading: its descriptor and *st; -2 when
 * there is none (not an error), -1 on an error (reported to d). */
static int open_history(const char *path, struct stat *st, diags *d)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        if (errno == ENOENT)
            return -2;
        diags_file(d, DIAG_ERROR, path, "cannot read the history: %s", strerror(errno));
        return -1;
    }
    if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
        diags_file(d, DIAG_ERROR, path, "cannot read the history: not a regular file");
        close(fd);
        return -1;
    }
    return fd;
}

int history_load(history *h, const char *path, const char *id, diags *d)
{
    struct stat st;
    int fd = open_history(path, &st, d);
    if (fd < 0)
        return fd == -2 ? 0 : -1;
    if (st.st_size > 0) {
        /* mapped, not copied: H on a large history reads it in place */
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            close(fd);
            history_parse(h, path, m, (size_t)st.st_size, id, d);
            munmap(m, (size_t)st.st_size);
            return 0;
        }
    }
    size_t cap = (size_t)st.st_size + 1, n = 0;
    char *b = xmalloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            b = xrealloc(b, cap);
        }
        ssize_t r = read(fd, b + n, cap - n - 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            diags_file(d, DIAG_ERROR, path, "cannot read the history: %s", strerror(errno));
            free(b);
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    b[n] = '\0';
    history_parse(h, path, b, n, id, d);
    free(b);
    return 0;
}

void history_describe(strbuf *out, const history_rec *r, bool with_id, size_t note_cols)
{
    /* 2026-12-02T11:00:00+08:00 -> 2026-12-02 11:00 */
    if (strlen(r->at) >= 16 && r->at[10] == 'T') {
        sb_add(out, r->at, 10);
        sb_addc(out, ' ');
        sb_add(out, r->at + 11, 5);
    } else {
        sb_adds(out, r->at);
    }
    sb_addc(out, ' ');
    sb_adds(out, r->by ? r->by : "?");
    if (with_id) {
        sb_addc(out, ' ');
        sb_adds(out, r->id);
    }
    sb_adds(out, r->undo ? " 撤销：" : " ");
    if (r->done >= 0)
        sb_adds(out, r->done ? "标为完成" : "改为未完成");
    if (r->note) {
        if (r->done >= 0)
            sb_adds(out, "；");
        if (!*r->note) {
            sb_adds(out, "清除进展情况");
        } else {
            sb_adds(out, "进展情况：");
            if (note_cols)
                text_fit(out, r->note, note_cols, false);
            else
                sb_adds(out, r->note);
        }
    }
}

/* --- the index --- */

struct history_index {
    dev_t dev;
    ino_t ino;
    off_t done;          /* bytes indexed: whole lines only */
    size_t lines;        /* lines indexed */
    strmap first;        /* id -> its first line (index into the arrays) */
    uint32_t *next, *last;   /* per line: the id's next line; per first: its last */
    off_t *off;          /* per line: where it starts */
    uint32_t *len, *lineno;
    size_t n, cap;
    arena ids;
};

history_index *history_index_new(void)
{
    return xcalloc(1, sizeof(history_index));
}

static void index_reset(history_index *x)
{
    strmap_free(&x->first);
    arena_free(&x->ids);
    free(x->next);
    free(x->last);
    free(x->off);
    free(x->len);
    free(x->lineno);
    memset(x, 0, sizeof *x);
}

void history_index_free(history_index *x)
{
    if (!x)
        return;
    index_reset(x);
    free(x);
}

/* The id of a line as written by plandash ("id":"...", no escapes), or
 * through cJSON for another form; NULL if none. */
static const char *line_id(const char *s, size_t n, char *buf, size_t cap)
{
    const char *k = memmem(s, n, "\"id\":\"", 6);
    if (k) {
        const char *v = k + 6, *e = memchr(v, '"', (size_t)(s + n - v));
        if (e && (size_t)(e - v) < cap && !memchr(v, '\\', (size_t)(e - v))) {
            memcpy(buf, v, (size_t)(e - v));
            buf[e - v] = '\0';
            return buf;
        }
    }
    cJSON *o = cJSON_ParseWithLength(s, n);
    const cJSON *iv = cJSON_GetObjectItemCaseSensitive(o, "id");
    const char *r = NULL;
    if (cJSON_IsString(iv) && strlen(iv->valuestring) < cap) {
        snprintf(buf, cap, "%s", iv->valuestring);
        r = buf;
    }
    cJSON_Delete(o);
    return r;
}

/* Index the whole lines of text[0..n) found at file offset base. */
static void index_add(history_index *x, const char *text, size_t n, off_t base)
{
    char idbuf[512];
    const char *s = text, *end = text + n;
    const char *nl;
    while (s < end && (nl = memchr(s, '\n', (size_t)(end - s))) != NULL) {
        x->lines++;
        const char *id = nl > s ? line_id(s, (size_t)(nl - s), idbuf, sizeof idbuf) : NULL;
        if (id) {
            size_t k = x->n;
            size_t cap0 = x->cap;
            xgrow((void **)&x->off, &x->cap, k + 1, sizeof *x->off);
            if (x->cap != cap0) {
                x->next = xrealloc(x->next, x->cap * sizeof *x->next);
                x->last = xrealloc(x->last, x->cap * sizeof *x->last);
                x->len = xrealloc(x->len, x->cap * sizeof *x->len);
                x->lineno = xrealloc(x->lineno, x->cap * sizeof *x->lineno);
            }
            x->off[k] = base + (off_t)(s - text);
            x->len[k] = (uint32_t)(nl - s);
            x->lineno[k] = (uint32_t)x->lines;
            x->next[k] = UINT32_MAX;
            x->last[k] = (uint32_t)k;
            uint32_t old;
            const char *key = arena_strndup(&x->ids, id, strlen(id));
            if (!strmap_put(&x->first, key, (uint32_t)k, &old)) {
                x->next[x->last[old]] = (uint32_t)k;
                x->last[old] = (uint32_t)k;
            }
            x->n++;
        }
        s = nl + 1;
    }
    x->done = base + (off_t)(s - text);
}

int history_index_load(history_index *x, const char *path, const char *id, history *h,
                       diags *d)
{
    struct stat st;
    int fd = open_history(path, &st, d);
    if (fd == -2) {
        index_reset(x);
        return 0;
    }
    if (fd < 0)
        return -1;
    if (st.st_dev != x->dev || st.st_ino != x->ino || st.st_size < x->done) {
        index_reset(x);   /* another file, or not the same one grown */
        x->dev = st.st_dev;
        x->ino = st.st_ino;
    }
    if (st.st_size > x->done) {
        size_t n = (size_t)(st.st_size - x->done);
        char *b = xmalloc(n);
        ssize_t r = pread(fd, b, n, x->done);
        if (r > 0)
            index_add(x, b, (size_t)r, x->done);
        if (r >= 0 && (size_t)r == n && x->done < st.st_size) {
            /* what follows the last '\n': a torn line, said as a reader would */
            diags_add(d, DIAG_WARNING, path, x->lines + 1, 1,
                      "the last line is cut short (a save was interrupted): ignored");
        }
        free(b);
    }
    uint32_t k;
    if (strmap_get(&x->first, id, &k)) {
        strbuf line = {0};
        for (; k != UINT32_MAX; k = x->next[k]) {
            sb_reset(&line);
            char *p = sb_reserve(&line, x->len[k] + 1);
            ssize_t r = pread(fd, p, x->len[k], x->off[k]);
            if (r != (ssize_t)x->len[k])
                break;
            if (!parse_line(h, p, x->len[k], id, x->lineno[k]))
                diags_add(d, DIAG_WARNING, path, x->lineno[k], 1,
                          "not a change (a JSON object with \"at\" and \"id\"): ignored");
        }
        sb_free(&line);
    }
    close(fd);
    return 0;
}
