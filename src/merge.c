/* merge.c - the git merge drivers: three status files merged entry by
 * entry and part by part; two history files merged as a sorted union.
 * Every file is read through json_strict and cJSON; the merged status is
 * handed back to status_json for the usual layout. */
#include "merge.h"

#include <cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_strict.h"
#include "lockfile.h"
#include "status_json.h"

/* --- reading --- */

/* The whole file at path into *buf (NUL-terminated); a missing file is
 * empty when missing_ok.  Returns 0, or -1 (reported). */
static int slurp(const char *path, bool missing_ok, strbuf *buf, diags *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (missing_ok && errno == ENOENT)
            return 0;
        diags_file(d, DIAG_ERROR, path, "cannot merge: cannot read: %s", strerror(errno));
        return -1;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (buf->len + n > JSON_STRICT_MAX_SIZE) {
            diags_file(d, DIAG_ERROR, path, "cannot merge: the file is too large");
            fclose(f);
            return -1;
        }
        sb_add(buf, chunk, n);
    }
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        diags_file(d, DIAG_ERROR, path, "cannot merge: cannot read: %s", strerror(err));
        return -1;
    }
    return 0;
}

/* A field of an entry, or of the top level: its key, and its value as its
 * source text without whitespace (numbers and escapes as written). */
typedef struct {
    char *key, *val;
} field;

typedef struct {
    char *id;
    field *f;
    size_t n, cap;
} entry;

/* One side: its entries (in file order), an index, its unknown top-level
 * fields. */
typedef struct {
    entry *e;
    size_t n, cap;
    strmap index;
    field *top;
    size_t n_top, cap_top;
} side;

static void side_free(side *s)
{
    for (size_t i = 0; i < s->n; i++) {
        for (size_t k = 0; k < s->e[i].n; k++) {
            free(s->e[i].f[k].key);
            free(s->e[i].f[k].val);
        }
        free(s->e[i].f);
        free(s->e[i].id);
    }
    free(s->e);
    strmap_free(&s->index);
    for (size_t k = 0; k < s->n_top; k++) {
        free(s->top[k].key);
        free(s->top[k].val);
    }
    free(s->top);
    memset(s, 0, sizeof *s);
}

static void add_field(field **v, size_t *n, size_t *cap, const char *key, const char *val)
{
    xgrow((void **)v, cap, *n + 1, sizeof **v);
    (*v)[*n].key = xstrdup(key);
    (*v)[*n].val = val ? xstrdup(val) : NULL;
    (*n)++;
}

/* The key whose literal starts at text[at], unescaped by cJSON. */
static char *key_at(const char *text, size_t len, size_t at)
{
    const char *end;
    cJSON *k = cJSON_ParseWithLengthOpts(text + at, len - at, &end, 0);
    char *s = xstrdup(cJSON_IsString(k) ? k->valuestring : "");
    cJSON_Delete(k);
    return s;
}

/* text[start..end) without whitespace outside strings. */
static char *minified(const char *text, size_t start, size_t end)
{
    char *s = xstrndup(text + start, end - start);
    cJSON_Minify(s);
    return s;
}

/* Read one side: a valid status file (status_json_parse says what is
 * wrong with it), its entries and fields from the spans of json_strict. */
static int side_read(side *s, const char *path, bool is_base, diags *d)
{
    memset(s, 0, sizeof *s);
    strbuf b = {0};
    if (slurp(path, is_base, &b, d) < 0)
        return -1;
    if (b.len == 0 && is_base) {
        sb_free(&b);
        return 0;
    }
    const char *text = b.s ? b.s : "";
    status_snap sn = {0};
    if (status_json_parse(&sn, path, text, b.len, d) < 0) {
        sb_free(&b);
        return -1;
    }
    status_snap_free(&sn);
    json_strict js;
    if (!json_strict_check(&js, text, b.len, 3, -1)) {
        json_strict_free(&js);
        sb_free(&b);
        diags_file(d, DIAG_ERROR, path, "cannot merge: not a valid status file");
        return -1;
    }
    bool in_items = false;
    entry *cur = NULL;
    for (size_t i = 1; i < js.n_spans; i++) {
        const json_span *sp = &js.spans[i];
        if (sp->depth == 1) {
            char *key = key_at(text, b.len, sp->key);
            in_items = strcmp(key, "items") == 0;
            cur = NULL;
            if (!in_items && strcmp(key, "version") != 0) {
                char *v = minified(text, sp->start, sp->end);
                add_field(&s->top, &s->n_top, &s->cap_top, key, v);
                free(v);
            }
            free(key);
        } else if (sp->depth == 2 && in_items) {
            xgrow((void **)&s->e, &s->cap, s->n + 1, sizeof *s->e);
            cur = &s->e[s->n];
            memset(cur, 0, sizeof *cur);
            cur->id = key_at(text, b.len, sp->key);
            strmap_put(&s->index, cur->id, (uint32_t)s->n, NULL);
            s->n++;
        } else if (sp->depth == 3 && in_items && cur) {
            char *key = key_at(text, b.len, sp->key);
            char *v = minified(text, sp->start, sp->end);
            add_field(&cur->f, &cur->n, &cur->cap, key, v);
            free(key);
            free(v);
        }
    }
    json_strict_free(&js);
    sb_free(&b);
    return 0;
}

static const entry *side_find(const side *s, const char *id)
{
    uint32_t k;
    return strmap_get(&s->index, id, &k) ? &s->e[k] : NULL;
}

static const char *field_get(const field *f, size_t n, const char *key)
{
    for (size_t k = 0; k < n; k++)
        if (strcmp(f[k].key, key) == 0)
            return f[k].val;
    return NULL;
}

static const char *entry_get(const entry *e, const char *key)
{
    return e ? field_get(e->f, e->n, key) : NULL;
}

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* --- deciding --- */

/* The parts of an entry merged apart; [0] is the one a time decides by,
 * [1] the login, [2] the value. */
static const char *const parts[2][3] = {
    {"at", "by", "done"},
    {"note_at", "note_by", "note"},
};

static bool part_same(const entry *a, const entry *b, int p)
{
    for (int k = 0; k < 3; k++)
        if (!same(entry_get(a, parts[p][k]), entry_get(b, parts[p][k])))
            return false;
    return true;
}

/* Seconds since the epoch of a JSON string literal holding an ISO 8601
 * time with an offset ("2026-12-02T11:00:00+08:00", or Z); false if it is
 * none. */
static bool parse_time(const char *lit, long long *t)
{
    if (!lit)
        return false;
    cJSON *v = cJSON_Parse(lit);
    bool ok = false;
    if (cJSON_IsString(v)) {
        struct tm tm;
        memset(&tm, 0, sizeof tm);
        char sign = 0;
        int oh = 0, om = 0, n = 0;
        const char *s = v->valuestring;
        if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, /* NOLINT(cert-err34-c) fixed widths */
                   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) == 6) {
            const char *r = s + n;
            if (*r == '.')   /* fractions of a second: ignored */
                while (*++r >= '0' && *r <= '9') {
                }
            ok = (*r == 'Z' && !r[1]) ||
                 ((*r == '+' || *r == '-') && sscanf(r, "%c%2d:%2d", &sign, &oh, &om) == 3); /* NOLINT(cert-err34-c) */
            if (ok) {
                tm.tm_year -= 1900;
                tm.tm_mon -= 1;
                long long off = (long long)oh * 3600 + (long long)om * 60;
                *t = (long long)timegm(&tm) - (sign == '-' ? -off : off);
            }
        }
    }
    cJSON_Delete(v);
    return ok;
}

/* Compare two JSON literals (NULL: absent, the least). */
static int lit_cmp(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL);
    return strcmp(a, b);
}

/* Part p changed on both sides: > 0 if ours wins, < 0 if theirs. */
static int decide(const entry *o, const entry *t, int p)
{
    long long to = 0, tt = 0;
    bool ho = parse_time(entry_get(o, parts[p][0]), &to);
    bool ht = parse_time(entry_get(t, parts[p][0]), &tt);
    if (ho != ht)
        return ho ? 1 : -1;
    if (ho && to != tt)
        return to > tt ? 1 : -1;
    int c = lit_cmp(entry_get(o, parts[p][1]), entry_get(t, parts[p][1]));
    if (c)
        return c;
    if (p == 0) {
        bool dO = same(entry_get(o, "done"), "true"), dT = same(entry_get(t, "done"), "true");
        if (dO != dT)
            return dO ? 1 : -1;
        return 1;
    }
    c = lit_cmp(entry_get(o, "note"), entry_get(t, "note"));
    return c >= 0 ? 1 : -1;
}

static bool is_part_key(const char *k)
{
    for (int p = 0; p < 2; p++)
        for (int j = 0; j < 3; j++)
            if (strcmp(k, parts[p][j]) == 0)
                return true;
    return false;
}

/* Append `"key": val` for one field to the entry text in b. */
static void put_field(strbuf *b, bool *first, const char *key, const char *val)
{
    if (!val)
        return;
    if (!*first)
        sb_addc(b, ',');
    *first = false;
    json_strict_quote(b, key);
    sb_addc(b, ':');
    sb_adds(b, val);
}

/* The other fields (not of a part) of o and t, each merged by itself:
 * the side that changed it from base (both: winner's side). */
static void put_rest(strbuf *b, bool *first, const field *bf, size_t bn, const field *of,
                     size_t on, const field *tf, size_t tn, bool ours_wins)
{
    for (int pass = 0; pass < 2; pass++) {
        const field *v = pass ? tf : of;
        size_t n = pass ? tn : on;
        for (size_t k = 0; k < n; k++) {
            const char *key = v[k].key;
            if (is_part_key(key))
                continue;
            if (pass && field_get(of, on, key))
                continue;   /* done in the first pass */
            const char *bv = field_get(bf, bn, key), *ov = field_get(of, on, key),
                       *tv = field_get(tf, tn, key);
            bool co = !same(bv, ov), ct = !same(bv, tv);
            const char *val = co && ct ? (ours_wins ? ov : tv) : co ? ov : ct ? tv : bv;
            put_field(b, first, key, val);
        }
    }
}

/* Merge the entry id into b (nothing if it is gone); add the id to
 * decided when a part had to be decided by time. */
static void merge_entry(strbuf *b, bool *first_entry, const char *id, const side *bs,
                        const side *os, const side *ts, strbuf *decided)
{
    const entry *be = side_find(bs, id), *oe = side_find(os, id), *te = side_find(ts, id);
    const entry *from[2];
    bool by_time = false, ours_wins = true;
    for (int p = 0; p < 2; p++) {
        bool co = !part_same(be, oe, p), ct = !part_same(be, te, p);
        if (co && ct && !part_same(oe, te, p)) {
            int w = decide(oe, te, p);
            from[p] = w > 0 ? oe : te;
            by_time = true;
            if (p == 0)
                ours_wins = w > 0;
        } else {
            from[p] = co ? oe : ct ? te : be;
            if (p == 0 && !co && ct)
                ours_wins = false;
        }
    }
    /* An entry needs "done": a note kept for an entry that one side
     * dropped keeps the done part of the side that has one. */
    if (!entry_get(from[0], "done")) {
        const entry *alt = entry_get(te, "done") ? te : entry_get(oe, "done") ? oe : NULL;
        if (!alt)
            return;   /* gone on the side that changed it */
        bool any = entry_get(from[1], "note") != NULL;
        for (size_t k = 0; !any && alt && k < alt->n; k++)
            any = !is_part_key(alt->f[k].key);
        if (!any)
            return;
        from[0] = alt;
    }
    if (by_time) {
        if (decided->len)
            sb_adds(decided, ", ");
        sb_adds(decided, id);
    }
    if (!*first_entry)
        sb_addc(b, ',');
    *first_entry = false;
    json_strict_quote(b, id);
    sb_adds(b, ":{");
    bool first = true;
    for (int p = 0; p < 2; p++)
        for (int j = 0; j < 3; j++) {
            static const int order[3] = {2, 0, 1};   /* done, at, by */
            const char *k = parts[p][order[j]];
            put_field(b, &first, k, entry_get(from[p], k));
        }
    static const field none[1];
    put_rest(b, &first, be ? be->f : none, be ? be->n : 0, oe ? oe->f : none, oe ? oe->n : 0,
             te ? te->f : none, te ? te->n : 0, ours_wins);
    sb_addc(b, '}');
}

int merge_status(const char *base, const char *ours, const char *theirs, diags *d)
{
    side bs, os, ts;
    int rc = -1;
    bool okb = side_read(&bs, base, true, d) == 0;
    bool oko = side_read(&os, ours, false, d) == 0;
    bool okt = side_read(&ts, theirs, false, d) == 0;
    if (!okb || !oko || !okt) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0,
                  "cannot merge %s: %s is not a valid status file; git keeps both versions: "
                  "fix it, then merge again or resolve the conflict by hand", ours,
                  !oko ? ours : !okt ? theirs : base);
        goto out;
    }
    /* Every id of the three, in id order. */
    strmap seen = {0};
    const char **ids = NULL;
    size_t n = 0, cap = 0;
    const side *all[3] = {&os, &ts, &bs};
    for (int k = 0; k < 3; k++)
        for (size_t i = 0; i < all[k]->n; i++)
            if (strmap_put(&seen, all[k]->e[i].id, 0, NULL)) {
                xgrow((void **)&ids, &cap, n + 1, sizeof *ids);
                ids[n++] = all[k]->e[i].id;
            }
    strbuf b = {0}, decided = {0};
    sb_adds(&b, "{\"version\":1,\"items\":{");
    bool first = true;
    for (size_t i = 0; i < n; i++)
        merge_entry(&b, &first, ids[i], &bs, &os, &ts, &decided);
    sb_addc(&b, '}');
    bool top_first = false;
    put_rest(&b, &top_first, bs.top, bs.n_top, os.top, os.n_top, ts.top, ts.n_top, true);
    sb_addc(&b, '}');
    free(ids);
    strmap_free(&seen);
    /* The usual layout, through the store's own reader and writer. */
    status_snap sn = {0};
    if (status_json_parse(&sn, ours, b.s, b.len, d) == 0) {
        strbuf out = {0};
        status_json_write(&sn, &out);
        status_snap_free(&sn);
        rc = lockfile_replace(ours, ours, out.s, out.len, d);
        sb_free(&out);
        if (rc == 0 && decided.len)
            diags_file(d, DIAG_WARNING, ours,
                       "changed on both sides, the later change kept: %s", decided.s);
    }
    sb_free(&b);
    sb_free(&decided);
out:
    side_free(&bs);
    side_free(&os);
    side_free(&ts);
    return rc;
}

/* --- history --- */

typedef struct {
    char *text;     /* the line without its '\n' */
    char *key;      /* its content, printed compactly by cJSON: duplicates */
    long long at;   /* its time, seconds */
    size_t seq;     /* its place: ours first, then theirs */
} hline;

static int hline_cmp(const void *a, const void *b)
{
    const hline *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Add the lines of path to v (those that are not JSON objects dropped,
 * with a warning). */
static int history_read(const char *path, hline **v, size_t *n, size_t *cap, diags *d)
{
    strbuf b = {0};
    if (slurp(path, true, &b, d) < 0)
        return -1;
    const char *s = b.s ? b.s : "";
    size_t lineno = 0;
    for (size_t i = 0; i < b.len;) {
        const char *nl = memchr(s + i, '\n', b.len - i);
        size_t end = nl ? (size_t)(nl - s) : b.len;
        lineno++;
        if (end > i) {
            json_strict js;
            bool valid = json_strict_check(&js, s + i, end - i, -1, -1) && s[i] == '{';
            json_strict_free(&js);
            long long at = 0;
            cJSON *o = valid ? cJSON_ParseWithLength(s + i, end - i) : NULL;
            char *key = o ? cJSON_PrintUnformatted(o) : NULL;
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "at");
            char *lit = cJSON_IsString(a) ? cJSON_PrintUnformatted(a) : NULL;
            if (!lit || !parse_time(lit, &at) || !key)
                valid = false;
            free(lit);
            cJSON_Delete(o);
            if (!valid) {
                diags_add(d, DIAG_WARNING, path, lineno, 1,
                          "not a history line (a JSON object with \"at\"): left out of the "
                          "merge%s", nl ? "" : " (a torn last line?)");
                free(key);
            } else {
                xgrow((void **)v, cap, *n + 1, sizeof **v);
                (*v)[*n] = (hline){xstrndup(s + i, end - i), key, at, *n};
                (*n)++;
            }
        }
        i = end + 1;
    }
    sb_free(&b);
    return 0;
}

int merge_history(const char *base, const char *ours, const char *theirs, diags *d)
{
    (void)base;
    hline *v = NULL;
    size_t n = 0, cap = 0;
    int rc = -1;
    bool both = history_read(ours, &v, &n, &cap, d) == 0 &&
                history_read(theirs, &v, &n, &cap, d) == 0;
    if (!v)
        n = 0;   /* no line on either side */
    if (both) {
        if (n)
            qsort(v, n, sizeof *v, hline_cmp);
        strmap seen = {0};
        strbuf out = {0};
        for (size_t i = 0; i < n; i++)
            if (strmap_put(&seen, v[i].key, 0, NULL)) {   /* the first form's bytes */
                sb_adds(&out, v[i].text);
                sb_addc(&out, '\n');
            }
        strmap_free(&seen);
        rc = lockfile_replace(ours, ours, out.s ? out.s : "", out.len, d);
        sb_free(&out);
    }
    for (size_t i = 0; i < n; i++) {
        free(v[i].text);
        free(v[i].key);
    }
    free(v);
    return rc;
}
