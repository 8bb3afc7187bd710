/* plan_yaml.c - YAML -> model through libyaml's event parser.
 *
 * The plan is streamed: events are read one at a time and handed to the
 * model's builder (plan.h), so memory is the model's plus libyaml's small
 * buffers, whatever the file's size.  Every error carries the position of
 * the node it is about (libyaml marks are 0-based; messages are 1-based).
 *
 * Hostile input is bounded while streaming: nesting depth, scalar length,
 * event count and file size have limits far above any real plan (a plan
 * nests 8 deep; a 1,000,000-item plan has about 15 million events).
 * Aliases are refused (no plan needs them, and refusing them rules out
 * alias bombs and cycles), as are multiple documents. */
#include "plan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "text.h"
#include "unitname.h"

#define MAX_DEPTH 64                      /* nested collections */
#define MAX_SCALAR (1u << 20)             /* bytes in one scalar */
#define MAX_EVENTS 200000000u             /* events in one file */
#define MAX_FILE ((size_t)2 << 30)        /* bytes in one file */
#define MAX_ERRORS 50                     /* then stop */

typedef struct {
    yaml_parser_t yp;
    yaml_event_t ev;       /* the current event (valid while have_ev) */
    bool have_ev;
    bool fatal;            /* stop reading: syntax error or a limit */
    const char *file;
    diags *d;
    size_t errors0;        /* d->errors when we started */
    plan_builder *b;
    int depth;
    size_t events;
    /* the source: a file descriptor, or a buffer */
    int fd;
    const char *buf;
    size_t len, off;       /* buffer length; bytes handed to libyaml so far */
    const char *reader_problem;   /* our own reader error, if any */
    size_t reader_offset;
} loader;

/* --- positions and errors --- */

static plan_pos pos_of(yaml_mark_t m)
{
    plan_pos p = {(uint32_t)m.line + 1, (uint32_t)m.column + 1};
    return p;
}

static void error_at(loader *L, yaml_mark_t m, const char *fmt, ...) PD_PRINTF(3, 4);
static void error_at(loader *L, yaml_mark_t m, const char *fmt, ...)
{
    if (L->d->errors - L->errors0 >= MAX_ERRORS) {
        L->fatal = true;
        return;
    }
    strbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&b, fmt, ap);
    va_end(ap);
    diags_add(L->d, DIAG_ERROR, L->file, m.line + 1, m.column + 1, "%s", b.s);
    sb_free(&b);
    if (L->d->errors - L->errors0 >= MAX_ERRORS) {
        diags_add(L->d, DIAG_ERROR, L->file, 0, 0, "too many errors; stopping");
        L->fatal = true;
    }
}

static void warn_at(loader *L, yaml_mark_t m, const char *fmt, ...) PD_PRINTF(3, 4);
static void warn_at(loader *L, yaml_mark_t m, const char *fmt, ...)
{
    strbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&b, fmt, ap);
    va_end(ap);
    diags_add(L->d, DIAG_WARNING, L->file, m.line + 1, m.column + 1, "%s", b.s);
    sb_free(&b);
}

/* Line and column (1-based, columns in characters) of a byte offset, found
 * by reading the source again from the start: only done for an error. */
static yaml_mark_t mark_of_offset(loader *L, size_t offset)
{
    yaml_mark_t m = {0, 0, 0};
    char chunk[65536];
    size_t pos = 0;
    if (L->fd >= 0 && lseek(L->fd, 0, SEEK_SET) != 0)
        return m;
    while (pos < offset) {
        size_t n;
        const char *s;
        if (L->fd >= 0) {
            ssize_t r = read(L->fd, chunk, sizeof chunk);
            if (r <= 0)
                break;
            n = (size_t)r, s = chunk;
        } else {
            s = L->buf + pos;
            n = L->len - pos;
            if (!n)
                break;
        }
        size_t i = 0;
        if (pos == 0 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 && offset >= 3)
            i = pos = 3;        /* a byte order mark takes no column */
        for (; i < n && pos < offset; i++, pos++) {
            unsigned char c = (unsigned char)s[i];
            if (c == '\n') {
                m.line++;
                m.column = 0;
            } else if ((c & 0xC0) != 0x80) {
                m.column++;
            }
        }
    }
    return m;
}

/* --- the reader: feeds libyaml, refusing what is not a UTF-8 text file --- */

static int read_source(void *data, unsigned char *out, size_t size, size_t *got)
{
    loader *L = data;
    size_t n = 0;
    if (L->fd >= 0) {
        for (;;) {
            ssize_t r = read(L->fd, out, size);
            if (r < 0 && errno == EINTR)
                continue;
            if (r < 0) {
                L->reader_problem = strerror(errno);
                L->reader_offset = L->off;
                return 0;
            }
            n = (size_t)r;
            break;
        }
    } else {
        n = L->len - L->off < size ? L->len - L->off : size;
        memcpy(out, L->buf + L->off, n);
    }
    if (L->off == 0 && n >= 2 &&
        ((out[0] == 0xFE && out[1] == 0xFF) || (out[0] == 0xFF && out[1] == 0xFE))) {
        L->reader_problem = "utf16";
        L->reader_offset = 0;
        return 0;
    }
    const unsigned char *nul = memchr(out, 0, n);
    if (nul) {
        L->reader_problem = "nul";
        L->reader_offset = L->off + (size_t)(nul - out);
        return 0;
    }
    L->off += n;
    if (L->off > MAX_FILE) {
        L->reader_problem = "size";
        L->reader_offset = L->off;
        return 0;
    }
    *got = n;
    return 1;
}

/* Turn a libyaml failure (or our reader's) into one plain error. */
static void parser_error(loader *L)
{
    yaml_parser_t *y = &L->yp;
    L->fatal = true;
    if (L->reader_problem) {
        yaml_mark_t m = mark_of_offset(L, L->reader_offset);
        const char *r = L->reader_problem;
        if (strcmp(r, "nul") == 0)
            error_at(L, m, "the file contains a NUL byte: it is not a text file");
        else if (strcmp(r, "utf16") == 0)
            error_at(L, m, "the file is UTF-16: save it as UTF-8");
        else if (strcmp(r, "size") == 0)
            error_at(L, m, "the file is larger than %zu MiB", MAX_FILE >> 20);
        else
            error_at(L, m, "cannot read: %s", r);
        return;
    }
    const char *problem = y->problem ? y->problem : "unknown error";
    if (y->error == YAML_READER_ERROR) {
        yaml_mark_t m = mark_of_offset(L, y->problem_offset);
        if (strstr(problem, "incomplete"))     /* problem_value is -1 */
            error_at(L, m, "the file is not valid UTF-8 (it ends inside a character): "
                     "save it as UTF-8");
        else if (strstr(problem, "UTF-8") || strstr(problem, "Unicode"))
            error_at(L, m, "the file is not valid UTF-8 (byte 0x%02X): save it as UTF-8",
                     (unsigned)y->problem_value & 0xFF);
        else if (strstr(problem, "control"))
            error_at(L, m, "the file contains a control character (U+%04X); "
                     "write it as an escape in a double-quoted string if you need it",
                     (unsigned)y->problem_value);
        else
            error_at(L, m, "cannot read the file: %s", problem);
        return;
    }
    if (y->error == YAML_MEMORY_ERROR) {
        error_at(L, y->problem_mark, "out of memory while reading YAML");
        return;
    }
    const char *hint = "";
    if (strstr(problem, "cannot start any token"))
        hint = " (a tab used for indentation? YAML indents with spaces)";
    else if (strstr(problem, "mapping values are not allowed"))
        hint = " (a ': ' inside a value? quote the value)";
    if (y->context)
        error_at(L, y->problem_mark, "YAML syntax error: %s%s (%s at line %lu, column %lu)",
                 problem, hint, y->context, (unsigned long)y->context_mark.line + 1,
                 (unsigned long)y->context_mark.column + 1);
    else
        error_at(L, y->problem_mark, "YAML syntax error: %s%s", problem, hint);
}

/* --- events --- */

/* Read the next event into L->ev.  Returns false (after reporting) on a
 * syntax error, a limit, or an alias. */
static bool next(loader *L)
{
    if (L->have_ev) {
        yaml_event_delete(&L->ev);
        L->have_ev = false;
    }
    if (L->fatal)
        return false;
    if (!yaml_parser_parse(&L->yp, &L->ev)) {
        parser_error(L);
        return false;
    }
    L->have_ev = true;
    yaml_event_t *e = &L->ev;
    if (++L->events > MAX_EVENTS) {
        error_at(L, e->start_mark, "the plan has more than %u YAML nodes", MAX_EVENTS);
        L->fatal = true;
        return false;
    }
    switch (e->type) {
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        if (++L->depth > MAX_DEPTH) {
            error_at(L, e->start_mark, "nesting deeper than %d levels", MAX_DEPTH);
            L->fatal = true;
            return false;
        }
        break;
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        L->depth--;
        break;
    case YAML_ALIAS_EVENT:
        error_at(L, e->start_mark,
                 "aliases (*%s) are not supported in a plan: write the value out",
                 (const char *)e->data.alias.anchor);
        L->fatal = true;
        return false;
    case YAML_SCALAR_EVENT:
        if (e->data.scalar.length > MAX_SCALAR) {
            error_at(L, e->start_mark, "a value of %zu bytes is longer than the limit of %u",
                     e->data.scalar.length, MAX_SCALAR);
            L->fatal = true;
            return false;
        }
        break;
    default:
        break;
    }
    return true;
}

/* Skip the node whose first event is current; leaves its last event current. */
static bool skip_node(loader *L)
{
    yaml_event_type_t t = L->ev.type;
    if (t != YAML_SEQUENCE_START_EVENT && t != YAML_MAPPING_START_EVENT)
        return true;
    int depth = L->depth - 1;
    while (L->depth > depth)
        if (!next(L))
            return false;
    return true;
}

static const char *type_name(const yaml_event_t *e)
{
    switch (e->type) {
    case YAML_SEQUENCE_START_EVENT: return "a list";
    case YAML_MAPPING_START_EVENT: return "a mapping";
    case YAML_SCALAR_EVENT: return "a string";
    default: return "something else";
    }
}

static const char *scalar(const loader *L)
{
    return (const char *)L->ev.data.scalar.value;
}

/* Is the current scalar a YAML null (~, null, or empty and unquoted)? */
static bool is_null(const loader *L)
{
    const yaml_event_t *e = &L->ev;
    if (e->type != YAML_SCALAR_EVENT || !e->data.scalar.plain_implicit)
        return false;
    const char *s = scalar(L);
    return !*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
           strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
}

/* A scalar holding a NUL (from a "\0" escape) would be cut short silently. */
static bool check_nul(loader *L)
{
    if (strlen(scalar(L)) != L->ev.data.scalar.length) {
        error_at(L, L->ev.start_mark, "a value contains a NUL character (\\0)");
        return false;
    }
    return true;
}

/* Read the current event as a required non-empty string value of key.  The
 * final line break of a block scalar ("text: |") is not part of the value. */
static const char *want_string(loader *L, const char *key)
{
    if (L->ev.type != YAML_SCALAR_EVENT) {
        error_at(L, L->ev.start_mark, "%s must be a string, not %s", key, type_name(&L->ev));
        skip_node(L);
        return NULL;
    }
    if (!is_null(L) && !check_nul(L))
        return NULL;
    char *s = (char *)L->ev.data.scalar.value;   /* ours until the next event */
    size_t n = strlen(s);
    while (n && s[n - 1] == '\n')
        s[--n] = '\0';
    if (is_null(L) || !n) {    /* ~, null, nothing, or "" */
        error_at(L, L->ev.start_mark, "%s is empty", key);
        return NULL;
    }
    return s;
}

/* Keys seen in one mapping: known keys by bit, others in a map. */
typedef struct {
    unsigned seen;
    strmap other;
    arena mem;
} keyset;

static void keyset_free(keyset *k)
{
    strmap_free(&k->other);
    arena_free(&k->mem);
}

/* Report a duplicate key; returns true if key was already in the mapping. */
static bool dup_key(loader *L, keyset *k, int known, const char *key)
{
    bool dup;
    if (known >= 0) {
        dup = k->seen & (1u << known);
        k->seen |= 1u << known;
    } else {
        const char *copy = arena_strndup(&k->mem, key, strlen(key));
        dup = !strmap_put(&k->other, copy, 0, NULL);
    }
    if (dup)
        error_at(L, L->ev.start_mark, "duplicate key \"%s\" in the same mapping", key);
    return dup;
}

static int key_index(const char *key, const char *const *keys)
{
    for (int i = 0; keys[i]; i++)
        if (strcmp(key, keys[i]) == 0)
            return i;
    return -1;
}

/* Iterate a mapping whose MAPPING_START is current: calls fn for each key
 * with the value's first event current.  fn returns false to stop. */
typedef bool (*value_fn)(loader *L, int known, const char *key, yaml_mark_t key_mark, void *ctx);

static bool each_pair(loader *L, const char *const *keys, const char *where, value_fn fn,
                      void *ctx, keyset *k)
{
    for (;;) {
        if (!next(L))
            return false;
        if (L->ev.type == YAML_MAPPING_END_EVENT)
            return true;
        if (L->ev.type != YAML_SCALAR_EVENT) {
            error_at(L, L->ev.start_mark, "a key in %s must be a string, not %s", where,
                     type_name(&L->ev));
            if (!skip_node(L) || !next(L) || !skip_node(L))
                return false;
            continue;
        }
        char *key = xstrdup(scalar(L));
        yaml_mark_t km = L->ev.start_mark;
        int known = key_index(key, keys);
        bool dup = dup_key(L, k, known, key);
        if (!next(L)) {
            free(key);
            return false;
        }
        bool ok;
        if (dup) {
            ok = skip_node(L);
        } else if (known < 0) {
            warn_at(L, km, "unknown key \"%s\" in %s (ignored)", key, where);
            ok = skip_node(L);
        } else {
            ok = fn(L, known, key, km, ctx);
        }
        free(key);
        if (!ok)
            return false;
    }
}

/* Read a list of sequence entries: fn is called with each entry current. */
typedef bool (*entry_fn)(loader *L, void *ctx);

static bool each_entry(loader *L, const char *what, entry_fn fn, void *ctx)
{
    yaml_mark_t start = L->ev.start_mark;
    if (L->ev.type != YAML_SEQUENCE_START_EVENT) {
        error_at(L, start, "%s must be a list, not %s", what, type_name(&L->ev));
        return skip_node(L);
    }
    size_t n = 0;
    for (;;) {
        if (!next(L))
            return false;
        if (L->ev.type == YAML_SEQUENCE_END_EVENT)
            break;
        n++;
        if (!fn(L, ctx))
            return false;
    }
    if (!n)
        error_at(L, start, "%s is an empty list", what);
    return true;
}

/* --- units --- */

typedef struct {
    int role;            /* PLAN_LEAD ... */
    const char *key;
} units_ctx;

static bool unit_entry(loader *L, void *ctx)
{
    units_ctx *u = ctx;
    if (L->ev.type != YAML_SCALAR_EVENT) {
        error_at(L, L->ev.start_mark, "each unit in %s must be a string, not %s", u->key,
                 type_name(&L->ev));
        return skip_node(L);
    }
    if (!is_null(L) && check_nul(L))
        plan_build_unit(L->b, u->role, scalar(L));
    return true;
}

static bool read_units(loader *L, int role, const char *key)
{
    if (is_null(L))
        return true;
    if (L->ev.type == YAML_SCALAR_EVENT) {
        if (check_nul(L))
            plan_build_units_string(L->b, role, scalar(L));
        return true;
    }
    if (L->ev.type != YAML_SEQUENCE_START_EVENT) {
        error_at(L, L->ev.start_mark, "%s must be a list of units or one string, not %s", key,
                 type_name(&L->ev));
        return skip_node(L);
    }
    units_ctx u = {role, key};
    for (;;) {
        if (!next(L))
            return false;
        if (L->ev.type == YAML_SEQUENCE_END_EVENT)
            return true;
        if (!unit_entry(L, &u))
            return false;
    }
}

static bool read_bool(loader *L, const char *key, bool *out)
{
    static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", NULL};
    static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", NULL};
    if (L->ev.type == YAML_SCALAR_EVENT) {
        if (key_index(scalar(L), yes) >= 0) {
            *out = true;
            return true;
        }
        if (key_index(scalar(L), no) >= 0) {
            *out = false;
            return true;
        }
    }
    error_at(L, L->ev.start_mark, "%s must be true or false", key);
    return skip_node(L);
}

/* --- items, tasks, goals --- */

/* An item's keys: id, text, then each role's key ("lead"), then each
 * role's "_more" key ("lead_more"), in role order. */
enum { K_ID, K_TEXT, K_ROLE, K_MORE = K_ROLE + PLAN_ROLES, K_DUE = K_MORE + PLAN_ROLES };
#define ROLE_KEY(name, key) key,
#define ROLE_MORE_KEY(name, key) key "_more",
static const char *const item_keys[] = {"id", "text", PLAN_ROLE_LIST(ROLE_KEY)
                                        PLAN_ROLE_LIST(ROLE_MORE_KEY) "due", NULL};
#undef ROLE_KEY
#undef ROLE_MORE_KEY

/* Read an id: a non-empty scalar of printable text. */
static bool read_id(loader *L, int kind)
{
    const char *id = want_string(L, "id");
    if (!id)
        return !L->fatal;
    for (const char *c = id; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F) {
            error_at(L, L->ev.start_mark, "id \"%s\" contains a control character", id);
            return true;
        }
    plan_build_id(L->b, kind, id, pos_of(L->ev.start_mark));
    return true;
}

/* Read due words (完成时限) for the plan (kind -1) or its last node of a
 * kind; an empty value is no due. */
static bool read_due(loader *L, int kind)
{
    if (is_null(L) || (L->ev.type == YAML_SCALAR_EVENT && !*scalar(L)))
        return true;
    const char *v = want_string(L, "due");
    if (v)
        plan_build_due(L->b, kind, v, pos_of(L->ev.start_mark));
    return !L->fatal;
}

static bool item_value(loader *L, int known, const char *key, yaml_mark_t km, void *ctx)
{
    (void)km;
    (void)ctx;
    bool more = false;
    if (known == K_DUE)
        return read_due(L, PLAN_ITEM);
    if (known == K_ID)
        return read_id(L, PLAN_ITEM);
    if (known == K_TEXT) {
        const char *t = want_string(L, "text");
        if (t)
            plan_build_text(L->b, t);
        return !L->fatal;
    }
    if (known < K_MORE)
        return read_units(L, known - K_ROLE, key);
    if (!read_bool(L, key, &more))
        return false;
    plan_build_more(L->b, known - K_MORE, more);
    return true;
}

/* Read a mapping for a goal, task or item whose MAPPING_START is current. */
static bool read_node(loader *L, int kind);

static bool item_entry(loader *L, void *ctx)
{
    (void)ctx;
    return read_node(L, PLAN_ITEM);
}

static bool task_entry(loader *L, void *ctx)
{
    (void)ctx;
    return read_node(L, PLAN_TASK);
}

static bool goal_entry(loader *L, void *ctx)
{
    (void)ctx;
    return read_node(L, PLAN_GOAL);
}

enum { N_ID, N_TITLE, N_CHILDREN, N_DUE };
static const char *const goal_keys[] = {"id", "title", "tasks", "due", NULL};
static const char *const task_keys[] = {"id", "title", "items", "due", NULL};

static bool node_value(loader *L, int known, const char *key, yaml_mark_t km, void *ctx)
{
    (void)km;
    int kind = *(int *)ctx;
    switch (known) {
    case N_ID:
        return read_id(L, kind);
    case N_TITLE: {
        const char *t = want_string(L, "title");
        if (t)
            plan_build_heading(L->b, kind, t);
        return !L->fatal;
    }
    case N_CHILDREN:
        return each_entry(L, key, kind == PLAN_GOAL ? task_entry : item_entry, NULL);
    case N_DUE:
        return read_due(L, kind);
    }
    return true;
}

static bool read_node(loader *L, int kind)
{
    static const char *const what[] = {"a goal", "a task", "an item"};
    yaml_mark_t start = L->ev.start_mark;
    if (L->ev.type != YAML_MAPPING_START_EVENT) {
        error_at(L, start, "%s must be a mapping (with %s), not %s", what[kind],
                 kind == PLAN_ITEM ? "text, lead, responsible" : "id, title",
                 type_name(&L->ev));
        return skip_node(L);
    }
    plan_build_node(L->b, kind, pos_of(start));
    keyset k = {0};
    bool ok;
    if (kind == PLAN_ITEM) {
        ok = each_pair(L, item_keys, "an item", item_value, NULL, &k);
        if (ok && !(k.seen & (1u << K_TEXT)))
            error_at(L, start, "item has no text: add a \"text:\" key");
    } else {
        ok = each_pair(L, kind == PLAN_GOAL ? goal_keys : task_keys,
                       kind == PLAN_GOAL ? "a goal" : "a task", node_value, &kind, &k);
        if (ok && !(k.seen & (1u << N_TITLE)))
            error_at(L, start, "%s has no title: add a \"title:\" key", what[kind] + 2);
        if (ok && !(k.seen & (1u << N_CHILDREN)))
            error_at(L, start, "%s has no %s: add %s list", what[kind] + 2,
                     kind == PLAN_GOAL ? "tasks" : "items",
                     kind == PLAN_GOAL ? "a \"tasks:\"" : "an \"items:\"");
    }
    keyset_free(&k);
    return ok;
}

/* --- groups and the top level --- */

static bool group_member_entry(loader *L, void *ctx)
{
    (void)ctx;
    if (L->ev.type != YAML_SCALAR_EVENT) {
        error_at(L, L->ev.start_mark, "a group member must be a string, not %s",
                 type_name(&L->ev));
        return skip_node(L);
    }
    if (!is_null(L) && check_nul(L))
        plan_build_member(L->b, scalar(L));
    return true;
}

static void member_emit(void *ctx, const char *name, size_t len)
{
    plan_builder *b = ctx;
    char *s = xstrndup(name, len);
    plan_build_member(b, s);
    free(s);
}

static bool group_value(loader *L, int known, const char *key, yaml_mark_t km, void *ctx)
{
    (void)known;
    (void)ctx;
    plan_build_group(L->b, key, pos_of(km));
    if (L->ev.type == YAML_SCALAR_EVENT && !is_null(L)) {
        if (check_nul(L))
            unitname_split(scalar(L), member_emit, L->b);
        return true;
    }
    return each_entry(L, "a group's members", group_member_entry, NULL);
}

static bool read_groups(loader *L)
{
    if (is_null(L))
        return true;
    if (L->ev.type != YAML_MAPPING_START_EVENT) {
        error_at(L, L->ev.start_mark,
                 "groups must be a mapping of a group's name to its members, not %s",
                 type_name(&L->ev));
        return skip_node(L);
    }
    static const char *const none[] = {NULL};
    keyset k = {0};
    /* Every key is a group name: pass them through as "unknown" keys with
     * their own value handler. */
    bool ok = true;
    for (;;) {
        if (!next(L)) {
            ok = false;
            break;
        }
        if (L->ev.type == YAML_MAPPING_END_EVENT)
            break;
        if (L->ev.type != YAML_SCALAR_EVENT || is_null(L) || !check_nul(L)) {
            if (L->ev.type != YAML_SCALAR_EVENT || is_null(L))
                error_at(L, L->ev.start_mark, "a group's name must be a non-empty string");
            if (!skip_node(L) || !next(L) || !skip_node(L)) {
                ok = false;
                break;
            }
            continue;
        }
        char *key = xstrdup(scalar(L));
        yaml_mark_t km = L->ev.start_mark;
        bool dup = dup_key(L, &k, key_index(key, none), key);
        ok = next(L) && (dup ? skip_node(L) : group_value(L, 0, key, km, NULL));
        free(key);
        if (!ok)
            break;
    }
    keyset_free(&k);
    return ok;
}

enum { R_TITLE, R_ISSUER, R_DOCUMENT, R_DATE, R_GROUPS, R_GOALS, R_DUE };
static const char *const root_keys[] = {"title", "issuer", "document", "date",
                                        "groups", "goals", "due", NULL};

static bool root_value(loader *L, int known, const char *key, yaml_mark_t km, void *ctx)
{
    (void)km;
    (void)ctx;
    switch (known) {
    case R_GROUPS:
        return read_groups(L);
    case R_GOALS:
        return each_entry(L, "goals", goal_entry, NULL);
    case R_DUE:
        return read_due(L, -1);
    default: {
        if (known != R_TITLE && (is_null(L) || (L->ev.type == YAML_SCALAR_EVENT &&
                                                !*scalar(L))))
            return true;       /* an optional field left empty */
        const char *v = want_string(L, key);
        if (v && known == R_TITLE)
            plan_build_title(L->b, v);
        else if (v && known == R_ISSUER)
            plan_build_issuer(L->b, v);
        else if (v && known == R_DOCUMENT)
            plan_build_document(L->b, v);
        else if (v)
            plan_build_date(L->b, v);
        return !L->fatal;
    }
    }
}

static void load(loader *L)
{
    if (!next(L) || L->ev.type != YAML_STREAM_START_EVENT)
        return;
    if (!next(L))
        return;
    if (L->ev.type == YAML_STREAM_END_EVENT) {
        error_at(L, L->ev.start_mark,
                 "the file holds no plan: it needs at least a title and goals");
        return;
    }
    if (!next(L))   /* the document's root node */
        return;
    yaml_mark_t root = L->ev.start_mark;
    if (L->ev.type != YAML_MAPPING_START_EVENT) {
        if (is_null(L))
            error_at(L, root, "the file holds no plan: it needs at least a title and goals");
        else
            error_at(L, root, "the plan must be a mapping with title and goals, not %s",
                     type_name(&L->ev));
        L->fatal = true;
        return;
    }
    keyset k = {0};
    bool ok = each_pair(L, root_keys, "the plan", root_value, NULL, &k);
    if (ok && !(k.seen & (1u << R_TITLE)))
        error_at(L, root, "the plan has no title: add a \"title:\" line");
    if (ok && !(k.seen & (1u << R_GOALS)))
        error_at(L, root, "the plan has no goals: add a \"goals:\" list");
    keyset_free(&k);
    if (!ok || !next(L))      /* DOCUMENT_END */
        return;
    if (!next(L))
        return;
    if (L->ev.type == YAML_DOCUMENT_START_EVENT)
        error_at(L, L->ev.start_mark,
                 "a second YAML document starts here: a plan file holds exactly one");
}

static plan *run(loader *L)
{
    L->errors0 = L->d->errors;
    L->b = plan_build_new();
    if (!yaml_parser_initialize(&L->yp)) {
        diags_add(L->d, DIAG_ERROR, L->file, 0, 0, "cannot start the YAML parser");
        plan_build_free(L->b);
        return NULL;
    }
    /* The encoding is left for libyaml to detect: that is what skips a
     * UTF-8 byte order mark (Windows editors write one).  UTF-16 never
     * reaches it: read_source refuses its BOM, and its NULs. */
    yaml_parser_set_input(&L->yp, read_source, L);
    load(L);
    if (L->have_ev)
        yaml_event_delete(&L->ev);
    yaml_parser_delete(&L->yp);
    if (L->d->errors != L->errors0) {
        plan_build_free(L->b);
        return NULL;
    }
    plan *p = plan_build_finish(L->b, L->file, L->d);
    if (L->d->errors != L->errors0) {
        plan_free(p);
        return NULL;
    }
    return p;
}

plan *plan_parse(const char *name, const char *buf, size_t len, diags *d)
{
    loader L = {0};
    L.fd = -1;
    L.file = name;
    L.d = d;
    L.buf = buf;
    L.len = len;
    return run(&L);
}

plan *plan_load(const char *path, diags *d)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, "%s: cannot open the plan: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, "%s: is a folder, not a plan file", path);
        close(fd);
        return NULL;
    }
    if (S_ISREG(st.st_mode) && st.st_size == 0) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0,
                  "%s: the file is empty: a plan needs at least a title and goals", path);
        close(fd);
        return NULL;
    }
    loader L = {0};
    L.fd = fd;
    L.file = path;
    L.d = d;
    plan *p = run(&L);
    close(fd);
    return p;
}
