/* status_json.c - the status file's text <-> status_snap: json_strict
 * checks, cJSON parses (top-level fields one by one, entries in chunks),
 * the layout of status.h is written with cJSON printing the strings. */
#include "status_json.h"

#include <cJSON.h>
#include <stdarg.h>
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

status_entry *status_snap_add(status_snap *sn, const char *id)
{
    xgrow((void **)&sn->v, &sn->cap, sn->n + 1, sizeof *sn->v);
    status_entry *e = &sn->v[sn->n];
    memset(e, 0, sizeof *e);
    e->id = arena_strndup(&sn->mem, id, strlen(id));
    if (sn->order == STATUS_ORDER_SORTED && sn->n) {
        const status_entry *last = &sn->v[sn->n - 1];
        if (entry_cmp(&last, &e) > 0)
            sn->order = STATUS_ORDER_UNSORTED;
    }
    e->present = true;
    strmap_put(&sn->index, e->id, (uint32_t)sn->n, NULL);
    sn->n++;
    return e;
}

const char *status_snap_strdup(status_snap *sn, const char *s)
{
    return s ? arena_strndup(&sn->mem, s, strlen(s)) : NULL;
}

/* --- reading --- */

/* Parsing context: the text (checked by json_strict), the error count. */
typedef struct {
    const char *file, *text;
    size_t len;
    diags *d;
    size_t errors;
    strbuf scratch;   /* the slices handed to cJSON */
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

/* cJSON's tree of text[start..end) (checked text: cannot fail). */
static cJSON *parse_slice(const shape *sh, size_t start, size_t end)
{
    cJSON *v = cJSON_ParseWithLength(sh->text + start, end - start);
    if (!v)
        abort();   /* out of memory, or cJSON disagrees with json_strict */
    return v;
}

/* The unescaped key whose literal starts at text[at], through cJSON. */
static char *parse_key(const shape *sh, size_t at)
{
    const char *end;
    cJSON *k = cJSON_ParseWithLengthOpts(sh->text + at, sh->len - at, &end, 0);
    if (!cJSON_IsString(k))
        abort();
    char *s = xstrdup(k->valuestring);
    cJSON_Delete(k);
    return s;
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

/* The spans of entry e's fields (text checked: cannot fail); [0] is e. */
static void field_spans(const shape *sh, const json_span *e, json_strict *f)
{
    if (!json_strict_check(f, sh->text + e->start, e->end - e->start, 1))
        abort();
}

/* Read the entry c (cJSON's tree of it) whose span is e into sn. */
static void read_entry(shape *sh, status_snap *sn, const cJSON *c, const json_span *e,
                       strbuf *extra)
{
    const char *id = c->string;
    if (!cJSON_IsObject(c)) {
        shape_error(sh, e->start, "entry \"%s\" must be an object such as {\"done\": true, "
                                  "\"at\": \"2026-11-26T18:42:08+08:00\"}", id);
        return;
    }
    const cJSON *done = NULL, *at = NULL, *by = NULL;
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
        }
        if (!wrong && (m == done || m == at || m == by))
            continue;
        if (!have_f) {
            field_spans(sh, e, &f);
            have_f = true;
        }
        const json_span *fs = &f.spans[1 + k];
        size_t pos = e->start + fs->start;
        if (m == done && wrong)
            shape_error(sh, pos, "\"done\" of entry \"%s\" must be true or false", id);
        else if (m == at && wrong)
            shape_error(sh, pos, "\"at\" of entry \"%s\" must be a string, a time such as "
                                 "\"2026-11-26T18:42:08+08:00\"", id);
        else if (m == by && wrong)
            shape_error(sh, pos, "\"by\" of entry \"%s\" must be a string, a login name", id);
        else
            add_member(extra, sh, ", ", name, e->start + fs->start, e->start + fs->end);
    }
    json_strict_free(&f);
    if (!done) {
        shape_error(sh, e->start, "entry \"%s\" has no \"done\" field (true or false)", id);
        return;
    }
    if (sh->errors)
        return;   /* the snapshot is thrown away anyway */
    status_entry *en = status_snap_add(sn, id);
    en->done = cJSON_IsTrue(done);
    en->at = at ? status_snap_strdup(sn, at->valuestring) : NULL;
    en->by = by ? status_snap_strdup(sn, by->valuestring) : NULL;
    en->extra = extra->len ? arena_strndup(&sn->mem, extra->s, extra->len) : NULL;
}

/* Read the entries e[0..n) (members of "items") a chunk at a time: the
 * slice from a chunk's first key to its last value, in braces, is one
 * object for cJSON whose children are the entries, in order. */
static void read_entries(shape *sh, status_snap *sn, const json_span *e, size_t n)
{
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
        cJSON_Delete(obj);
    }
    sb_free(&chunk);
    sb_free(&extra);
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
    /* The top level and the entries: depth 0 to 2. */
    json_strict js;
    if (!json_strict_check(&js, text, len, 2)) {
        unsigned long line, col;
        json_strict_position(text, len, js.err_offset, &line, &col);
        diags_add(d, DIAG_ERROR, file, line, col, "%s", js.msg);
        json_strict_free(&js);
        return -1;
    }
    shape sh = {file, text, len, d, 0, {0}};
    strbuf tail = {0};
    bool version = false, items = false;
    const json_span *sp = js.spans, *root = &sp[0];
    if (text[root->start] != '{') {
        shape_error(&sh, root->start, "a status file must be a JSON object: {\"version\": 1, "
                                      "\"items\": {...}}");
        goto done;
    }
    for (size_t i = 1; i < js.n_spans;) {
        const json_span *m = &sp[i];   /* a member of the top level */
        size_t next = i + 1;           /* the next one: past m's members */
        while (next < js.n_spans && sp[next].depth > 1)
            next++;
        char *key = parse_key(&sh, m->key);
        if (strcmp(key, "version") == 0) {
            version = true;
            cJSON *v = parse_slice(&sh, m->start, m->end);
            if (!cJSON_IsNumber(v))
                shape_error(&sh, m->start, "\"version\" must be the number 1");
            else if (v->valuedouble != 1)
                shape_error(&sh, m->start, "version %.*s is not supported: this plandash "
                                           "reads version 1 (was the file written by a "
                                           "newer plandash?)",
                            (int)(m->end - m->start), text + m->start);
            cJSON_Delete(v);
        } else if (strcmp(key, "items") == 0) {
            items = true;
            if (text[m->start] != '{')
                shape_error(&sh, m->start, "\"items\" must be an object mapping item ids to "
                                           "entries, such as {\"1.1.1\": {\"done\": true}}");
            else
                read_entries(&sh, sn, m + 1, next - i - 1);
        } else {
            add_member(&tail, &sh, ",\n  ", key, m->start, m->end);
        }
        free(key);
        i = next;
    }
    if (!version)
        shape_error(&sh, root->start, "no \"version\" field: a status file is {\"version\": 1, "
                                      "\"items\": {...}}");
    if (!items)
        shape_error(&sh, root->start, "no \"items\" field: a status file is {\"version\": 1, "
                                      "\"items\": {...}}");
done:
    if (sh.errors > SHAPE_ERRORS_MAX)
        diags_file(d, DIAG_ERROR, file, "%zu more errors not shown",
                  sh.errors - SHAPE_ERRORS_MAX);
    if (!sh.errors && tail.len)
        sn->tail = arena_strndup(&sn->mem, tail.s, tail.len);
    sb_free(&tail);
    sb_free(&sh.scratch);
    json_strict_free(&js);
    return sh.errors ? -1 : 0;
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
    status_entry **order = xmalloc((sn->n ? sn->n : 1) * sizeof *order);
    size_t n = 0;
    for (size_t i = 0; i < sn->n; i++)
        if (sn->v[i].present)
            order[n++] = &sn->v[i];
    if (sn->order == STATUS_ORDER_UNSORTED)
        qsort(order, n, sizeof *order, entry_cmp);
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
