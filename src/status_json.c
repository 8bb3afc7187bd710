/* status_json.c - the status file's text <-> status_snap: json_strict
 * checks, cJSON parses (top-level fields one by one, entries in chunks),
 * the layout of status.h is written with cJSON printing the strings. */
#include "status_json.h"

#include <cJSON.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "json_strict.h"
#include "plan.h"

#define SHAPE_ERRORS_MAX 20
/* Entries handed to cJSON at once: a small tree, few calls. */
#define CHUNK_ENTRIES 1024

/* --- the snapshot --- */

static int entry_cmp(const void *a, const void *b)
{
    const status_entry *x = *(const status_entry *const *)a;
    const status_entry *y = *(const status_entry *const *)b;
    int c = id_compare(x->id, y->id);
    return c ? c : strcmp(x->id, y->id);
}

void status_snap_free(status_snap *sn)
{
    free(sn->v);
    strmap_free(&sn->index);
    arena_free(&sn->mem);
    memset(sn, 0, sizeof *sn);
}

void status_snap_free_tables(status_snap *sn)
{
    free(sn->v);
    strmap_free(&sn->index);
}

void status_snap_share(status_snap *dst, const status_snap *src)
{
    *dst = *src;
    dst->cap = src->n;
    dst->v = xmalloc((src->n ? src->n : 1) * sizeof *dst->v);
    if (src->n)
        memcpy(dst->v, src->v, src->n * sizeof *dst->v);
    strmap_copy(&dst->index, &src->index);
}

status_entry *status_snap_find(const status_snap *sn, const char *id)
{
    uint32_t k;
    return strmap_get(&sn->index, id, &k) ? &sn->v[k] : NULL;
}

status_entry *status_snap_add(status_snap *sn, const char *id, uint32_t *old)
{
    xgrow((void **)&sn->v, &sn->cap, sn->n + 1, sizeof *sn->v);
    status_entry *e = &sn->v[sn->n];
    memset(e, 0, sizeof *e);
    e->id = arena_strndup(&sn->mem, id, strlen(id));
    if (!strmap_put(&sn->index, e->id, (uint32_t)sn->n, old))
        return NULL;   /* the copy of id stays in the arena, unused */
    if (sn->order == STATUS_ORDER_SORTED && sn->n) {
        const status_entry *last = &sn->v[sn->n - 1];
        if (entry_cmp(&last, &e) > 0)
            sn->order = STATUS_ORDER_UNSORTED;
    }
    e->present = true;
    sn->n++;
    return e;
}

const char *status_snap_strdup(status_snap *sn, const char *s)
{
    return s ? arena_strndup(&sn->mem, s, strlen(s)) : NULL;
}

/* --- reading --- */

/* cJSON allocates every node and string with malloc.  While a file is
 * parsed it allocates from these blocks instead, and the trees are dropped
 * whole (bump_reset) rather than node by node: a status file of 100,000
 * entries is a million small allocations. */
#define BUMP_BLOCK ((size_t)1 << 20)

typedef struct bump_block {
    struct bump_block *next;
    size_t used, cap;
    max_align_t data[];
} bump_block;

static bump_block *bump;   /* the newest block */

static void *bump_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!bump || bump->used + n > bump->cap) {
        size_t cap = n > BUMP_BLOCK ? n : BUMP_BLOCK;
        bump_block *b = xmalloc(sizeof *b + cap);
        b->next = bump;
        b->used = 0;
        b->cap = cap;
        bump = b;
    }
    void *p = (char *)bump->data + bump->used;
    bump->used += n;
    return p;
}

static void bump_free(void *p)
{
    (void)p;   /* freed with its block */
}

/* Drop every tree cJSON built since the last reset (keep one block). */
static void bump_reset(void)
{
    while (bump && bump->next) {
        bump_block *b = bump->next;
        bump->next = b->next;
        free(b);
    }
    if (bump)
        bump->used = 0;
}

static void bump_begin(void)
{
    cJSON_Hooks hooks = {bump_alloc, bump_free};
    cJSON_InitHooks(&hooks);
}

static void bump_end(void)
{
    bump_reset();
    free(bump);
    bump = NULL;
    cJSON_InitHooks(NULL);
}

/* An error found while reading, reported once the whole file is read. */
typedef struct {
    size_t at;   /* the byte it is about */
    char *msg;
} found;

/* Parsing context: the text (checked by json_strict), what is wrong. */
typedef struct {
    const char *file, *text;
    size_t len;
    size_t errors;       /* errors in the shape (what the fields hold) */
    found shape[SHAPE_ERRORS_MAX];
    found syntax;        /* the first duplicate key, if any (msg NULL: none) */
    const json_span *entries;   /* the spans of "items"' members */
    strbuf scratch;      /* source text handed to cJSON_Minify */
} shape;

static void shape_error(shape *sh, size_t at, const char *fmt, ...) PD_PRINTF(3, 4);

/* An error about the value starting at byte at. */
static void shape_error(shape *sh, size_t at, const char *fmt, ...)
{
    if (++sh->errors > SHAPE_ERRORS_MAX)
        return;
    strbuf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&msg, fmt, ap);
    va_end(ap);
    sh->shape[sh->errors - 1] = (found){at, sb_steal(&msg)};
}

/* A duplicate key at byte at: only the first in the text is kept. */
static void syntax_error(shape *sh, size_t at, const char *msg)
{
    if (sh->syntax.msg && sh->syntax.at < at)
        return;
    free(sh->syntax.msg);
    sh->syntax = (found){at, xstrdup(msg)};
}

/* cJSON's tree of text[start..end) (checked text: cannot fail). */
static cJSON *parse_slice(const shape *sh, size_t start, size_t end)
{
    cJSON *v = cJSON_ParseWithLength(sh->text + start, end - start);
    if (!v)
        abort();   /* cJSON disagrees with json_strict */
    return v;
}

/* The unescaped key whose literal starts at text[at], through cJSON (in
 * the bump blocks). */
static const char *parse_key(const shape *sh, size_t at)
{
    const char *end;
    cJSON *k = cJSON_ParseWithLengthOpts(sh->text + at, sh->len - at, &end, 0);
    if (!cJSON_IsString(k))
        abort();
    return k->valuestring;
}

/* Append `SEP"key": value`, the value being text[start..end) without
 * whitespace outside strings (its source text otherwise: numbers and
 * escapes as they were written). */
static void add_member(strbuf *b, shape *sh, const char *sep, const char *key, size_t start,
                       size_t end)
{
    sb_adds(b, sep);
    json_strict_quote(b, key);
    sb_add(b, ": ", 2);
    sb_reset(&sh->scratch);
    sb_add(&sh->scratch, sh->text + start, end - start);
    cJSON_Minify(sh->scratch.s);
    sb_adds(b, sh->scratch.s);
}

/* Check the object text[start..end) for duplicate keys (the first pass
 * left its own keys to us). */
static void check_duplicates(shape *sh, size_t start, size_t end)
{
    json_strict j;
    if (!json_strict_check(&j, sh->text + start, end - start, -1, -1)) {
        /* the message's "first at" is within the slice: say it again */
        size_t at = start + j.err_offset;
        unsigned long line, col;
        json_strict_position(sh->text, sh->len, start + j.dup_first, &line, &col);
        const char *key = parse_key(sh, at);
        char msg[256];
        json_strict_duplicate_msg(msg, sizeof msg, key, strlen(key), line, col);
        syntax_error(sh, at, msg);
    }
    json_strict_free(&j);
}

/* The spans of entry e's fields (text checked: cannot fail); [0] is e. */
static void field_spans(const shape *sh, const json_span *e, json_strict *f)
{
    if (!json_strict_check(f, sh->text + e->start, e->end - e->start, 1, -1))
        abort();
}

/* Read the entry c (cJSON's tree of it) whose span is e into sn: its id
 * always (duplicates are found in sn's index), its fields if all is well
 * so far. */
static void read_entry(shape *sh, status_snap *sn, const cJSON *c, const json_span *e,
                       strbuf *extra)
{
    const char *id = c->string;
    uint32_t first;
    status_entry *en = status_snap_add(sn, id, &first);
    if (!en) {
        unsigned long line, col;
        json_strict_position(sh->text, sh->len, sh->entries[first].key, &line, &col);
        char msg[256];
        json_strict_duplicate_msg(msg, sizeof msg, id, strlen(id), line, col);
        syntax_error(sh, e->key, msg);
        return;
    }
    if (!cJSON_IsObject(c)) {
        shape_error(sh, e->start, "entry \"%s\" must be an object such as {\"done\": true, "
                                  "\"at\": \"2026-11-26T18:42:08+08:00\"}", id);
        return;
    }
    const cJSON *done = NULL, *at = NULL, *by = NULL, *note = NULL, *note_at = NULL,
                *note_by = NULL;
    json_strict f = {0};   /* the fields' spans, found only when needed */
    bool have_f = false;
    sb_reset(extra);
    size_t k = 0;
    for (const cJSON *m = c->child; m; m = m->next, k++) {
        const char *name = m->string;
        bool wrong = false;   /* a known field of the wrong type */
        if (strcmp(name, "done") == 0) {
            done = m;
            wrong = !cJSON_IsBool(m);
        } else if (strcmp(name, "at") == 0) {
            at = m;
            wrong = !cJSON_IsString(m);
        } else if (strcmp(name, "by") == 0) {
            by = m;
            wrong = !cJSON_IsString(m);
        } else if (strcmp(name, "note") == 0) {
            note = m;
            wrong = !cJSON_IsString(m);
        } else if (strcmp(name, "note_at") == 0) {
            note_at = m;
            wrong = !cJSON_IsString(m);
        } else if (strcmp(name, "note_by") == 0) {
            note_by = m;
            wrong = !cJSON_IsString(m);
        }
        bool known = m == done || m == at || m == by || m == note || m == note_at ||
                     m == note_by;
        if (!wrong && known)
            continue;
        if (!have_f) {
            field_spans(sh, e, &f);
            have_f = true;
        }
        size_t pos = e->start + f.spans[1 + k].start;
        if (m == done && wrong)
            shape_error(sh, pos, "\"done\" of entry \"%s\" must be true or false", id);
        else if (m == at && wrong)
            shape_error(sh, pos, "\"at\" of entry \"%s\" must be a string, a time such as "
                                 "\"2026-11-26T18:42:08+08:00\"", id);
        else if (m == by && wrong)
            shape_error(sh, pos, "\"by\" of entry \"%s\" must be a string, a login name", id);
        else if (wrong)
            shape_error(sh, pos, "\"%s\" of entry \"%s\" must be a string", name, id);
        else
            add_member(extra, sh, ", ", name, pos, e->start + f.spans[1 + k].end);
    }
    json_strict_free(&f);
    if (!done && !note) {
        shape_error(sh, e->start, "entry \"%s\" has no \"done\" field (true or false)", id);
        return;
    }
    if (sh->errors || sh->syntax.msg)
        return;   /* the snapshot is thrown away anyway */
    en->done = cJSON_IsTrue(done);
    en->at = at ? status_snap_strdup(sn, at->valuestring) : NULL;
    en->by = by ? status_snap_strdup(sn, by->valuestring) : NULL;
    en->note = note ? status_snap_strdup(sn, note->valuestring) : NULL;
    en->note_at = note_at ? status_snap_strdup(sn, note_at->valuestring) : NULL;
    en->note_by = note_by ? status_snap_strdup(sn, note_by->valuestring) : NULL;
    en->extra = extra->len ? arena_strndup(&sn->mem, extra->s, extra->len) : NULL;
}

/* Read the entries (members of "items", sh->entries[0..n)) a chunk at a
 * time: the slice from a chunk's first key to its last value, in braces,
 * is one object for cJSON whose children are the entries, in order. */
static void read_entries(shape *sh, status_snap *sn, size_t n)
{
    const json_span *e = sh->entries;
    strbuf chunk = {0}, extra = {0};
    for (size_t first = 0; first < n; first += CHUNK_ENTRIES) {
        size_t last = first + CHUNK_ENTRIES < n ? first + CHUNK_ENTRIES : n;
        sb_reset(&chunk);
        sb_addc(&chunk, '{');
        sb_add(&chunk, sh->text + e[first].key, e[last - 1].end - e[first].key);
        sb_addc(&chunk, '}');
        cJSON *obj = cJSON_ParseWithLength(chunk.s, chunk.len);
        if (!obj)
            abort();
        size_t i = first;
        for (const cJSON *c = obj->child; c && i < last; c = c->next, i++)
            read_entry(sh, sn, c, &e[i], &extra);
        bump_reset();   /* obj and all in it */
    }
    sb_free(&chunk);
    sb_free(&extra);
}

/* Read the checked text's top level (spans sp[0..n), depth 0 to 2). */
static void read_top(shape *sh, status_snap *sn, const json_span *sp, size_t n, strbuf *tail)
{
    const char *text = sh->text;
    const json_span *root = &sp[0];
    if (text[root->start] != '{') {
        shape_error(sh, root->start, "a status file must be a JSON object: {\"version\": 1, "
                                     "\"items\": {...}}");
        return;
    }
    bool version = false, items = false;
    for (size_t i = 1; i < n;) {
        const json_span *m = &sp[i];   /* a member of the top level */
        size_t next = i + 1;           /* the next one: past m's members */
        while (next < n && sp[next].depth > 1)
            next++;
        const char *key = parse_key(sh, m->key);
        if (strcmp(key, "version") == 0) {
            version = true;
            cJSON *v = parse_slice(sh, m->start, m->end);
            if (!cJSON_IsNumber(v))
                shape_error(sh, m->start, "\"version\" must be the number 1");
            else if (v->valuedouble != 1)
                shape_error(sh, m->start, "version %.*s is not supported: this plandash "
                                          "reads version 1 (was the file written by a "
                                          "newer plandash?)",
                            (int)(m->end - m->start), text + m->start);
        } else if (strcmp(key, "items") == 0) {
            items = true;
            if (text[m->start] != '{') {
                shape_error(sh, m->start, "\"items\" must be an object mapping item ids to "
                                          "entries, such as {\"1.1.1\": {\"done\": true}}");
            } else {
                sh->entries = m + 1;
                read_entries(sh, sn, next - i - 1);
            }
        } else {
            if (text[m->start] == '{')
                check_duplicates(sh, m->start, m->end);
            add_member(tail, sh, ",\n  ", key, m->start, m->end);
        }
        bump_reset();
        i = next;
    }
    if (!version)
        shape_error(sh, root->start, "no \"version\" field: a status file is {\"version\": 1, "
                                     "\"items\": {...}}");
    if (!items)
        shape_error(sh, root->start, "no \"items\" field: a status file is {\"version\": 1, "
                                     "\"items\": {...}}");
}

int status_json_parse(status_snap *sn, const char *file, const char *text, size_t len,
                      diags *d)
{
    if (len == 0) {
        diags_file(d, DIAG_ERROR, file,
                   "the file is empty; a status file holds at least {\"version\": 1, "
                   "\"items\": {}} (delete the empty file to start with nothing done)");
        return -1;
    }
    /* Everything but duplicate keys in the objects of depth 1 ("items" and
     * unknown top-level fields, checked below), with the spans of the top
     * level and of the entries: depth 0 to 2. */
    json_strict js;
    unsigned long line, col;
    if (!json_strict_check(&js, text, len, 2, 1)) {
        /* a duplicate key before the error would have been the first */
        json_strict_free(&js);
        json_strict_check(&js, text, len, -1, -1);
        json_strict_position(text, len, js.err_offset, &line, &col);
        diags_add(d, DIAG_ERROR, file, line, col, "%s", js.msg);
        json_strict_free(&js);
        return -1;
    }
    shape sh = {.file = file, .text = text, .len = len};
    strbuf tail = {0};
    bump_begin();
    read_top(&sh, sn, js.spans, js.n_spans, &tail);
    bump_end();
    json_strict_free(&js);
    /* As json_strict would: a duplicate key is the one error; else the
     * shape's errors, in the order found. */
    if (sh.syntax.msg) {
        json_strict_position(text, len, sh.syntax.at, &line, &col);
        diags_add(d, DIAG_ERROR, file, line, col, "%s", sh.syntax.msg);
    } else {
        for (size_t i = 0; i < sh.errors && i < SHAPE_ERRORS_MAX; i++) {
            json_strict_position(text, len, sh.shape[i].at, &line, &col);
            diags_add(d, DIAG_ERROR, file, line, col, "%s", sh.shape[i].msg);
        }
        if (sh.errors > SHAPE_ERRORS_MAX)
            diags_file(d, DIAG_ERROR, file, "%zu more errors not shown",
                       sh.errors - SHAPE_ERRORS_MAX);
    }
    int rc = sh.errors || sh.syntax.msg ? -1 : 0;
    for (size_t i = 0; i < sh.errors && i < SHAPE_ERRORS_MAX; i++)
        free(sh.shape[i].msg);
    free(sh.syntax.msg);
    if (rc < 0)
        status_snap_free(sn);   /* entries read before the errors were found */
    else if (tail.len)
        sn->tail = arena_strndup(&sn->mem, tail.s, tail.len);
    sb_free(&tail);
    sb_free(&sh.scratch);
    return rc;
}

/* --- writing --- */

void status_json_write(status_snap *sn, strbuf *out)
{
    if (sn->order == STATUS_ORDER_UNKNOWN) {
        sn->order = STATUS_ORDER_SORTED;
        for (size_t i = 1; i < sn->n && sn->order == STATUS_ORDER_SORTED; i++) {
            const status_entry *x = &sn->v[i - 1], *y = &sn->v[i];
            if (entry_cmp(&x, &y) > 0)
                sn->order = STATUS_ORDER_UNSORTED;
        }
    }
    status_entry **order = xmalloc((sn->n ? sn->n : 1) * sizeof(status_entry *));
    size_t n = 0;
    for (size_t i = 0; i < sn->n; i++)
        if (sn->v[i].present)
            order[n++] = &sn->v[i];
    if (sn->order == STATUS_ORDER_UNSORTED)
        qsort(order, n, sizeof(status_entry *), entry_cmp);
    sb_adds(out, "{\n  \"version\": 1,\n  \"items\": {");
    for (size_t i = 0; i < n; i++) {
        const status_entry *e = order[i];
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
        if (e->note) {
            sb_adds(out, ", \"note\": ");
            json_strict_quote(out, e->note);
        }
        if (e->note_at) {
            sb_adds(out, ", \"note_at\": ");
            json_strict_quote(out, e->note_at);
        }
        if (e->note_by) {
            sb_adds(out, ", \"note_by\": ");
            json_strict_quote(out, e->note_by);
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
