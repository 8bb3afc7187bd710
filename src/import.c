/* import.c - plandash --import: reading the file (size limit, encoding),
 * choosing the reader, writing the YAML safely; the helpers the importer's
 * files share (warnings, the intermediate plan, string tests). */
#include "import.h"

#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "import_int.h"
#include "text.h"

enum { MAX_WARNINGS = 200 };

/* --- messages --- */


static void vmessage(imp_plan *p, int level, unsigned long line, const char *fmt, va_list ap)
    PD_PRINTF(4, 0);
static void vmessage(imp_plan *p, int level, unsigned long line, const char *fmt, va_list ap)
{
    const char *what = level == DIAG_ERROR ? "error" : "warning";
    char *head = line ? xasprintf("%s:%lu: %s: ", p->name, line, what)
                      : xasprintf("%s: %s: ", p->name, what);
    strbuf msg = {0};
    sb_vaddf(&msg, fmt, ap);
    diags_line(p->d, level, head, msg.s ? msg.s : "");
    sb_free(&msg);
    free(head);
}

void imp_warn(imp_plan *p, unsigned long line, const char *fmt, ...)
{
    p->n_warnings++;
    if (p->n_warnings > MAX_WARNINGS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vmessage(p, DIAG_WARNING, line, fmt, ap);
    va_end(ap);
}

void imp_error(imp_plan *p, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage(p, DIAG_ERROR, line, fmt, ap);
    va_end(ap);
}

void imp_quote(strbuf *b, const char *s, size_t n)
{
    s = imp_trim(s, &n);
    sb_adds(b, "「");
    size_t i = 0, chars = 0;
    while (i < n && chars < 16) {
        uint32_t cp;
        i += utf8_decode(s + i, n - i, &cp);
        chars++;
    }
    for (size_t k = 0; k < i; k++)
        sb_addc(b, s[k] == '\t' ? ' ' : s[k]);
    if (i < n)
        sb_adds(b, "…");
    sb_adds(b, "」");
}

/* --- strings --- */

/* The one trim of the project (text_trim): spaces, tabs, line ends, NBSP
 * and U+3000 at either end. */
const char *imp_trim(const char *s, size_t *n)
{
    return text_trim(s, n);
}

bool imp_ends(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

bool imp_starts(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

size_t imp_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

size_t imp_find(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    if (k == 0 || k > n)
        return n;
    for (size_t i = 0; i + k <= n; i++)
        if (s[i] == needle[0] && memcmp(s + i, needle, k) == 0)
            return i;
    return n;
}

/* --- the intermediate plan --- */

char *imp_stem_title(const imp_plan *p)
{
    const char *base = strrchr(p->name, '/');
    base = base ? base + 1 : p->name;
    const char *dot = strrchr(base, '.');
    size_t n = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    bool clean = n > 0 && strcmp(p->name, "(stdin)") != 0 && utf8_valid(base, n, NULL);
    for (size_t i = 0; i < n && clean; i++)
        clean = (unsigned char)base[i] >= 0x20 && base[i] != 0x7F;
    return clean ? xstrndup(base, n) : xstrdup("导入的计划");
}

imp_goal *imp_goal_add(imp_plan *p, const char *title, size_t n, unsigned long line)
{
    xgrow((void **)&p->goals, &p->cap_goals, p->n_goals + 1, sizeof *p->goals);
    imp_goal *g = &p->goals[p->n_goals++];
    memset(g, 0, sizeof *g);
    g->title = xstrndup(title, n);
    g->line = line;
    return g;
}

imp_task *imp_task_add(imp_goal *g, const char *title, size_t n, unsigned long line)
{
    xgrow((void **)&g->tasks, &g->cap_tasks, g->n_tasks + 1, sizeof *g->tasks);
    imp_task *t = &g->tasks[g->n_tasks++];
    memset(t, 0, sizeof *t);
    t->title = xstrndup(title, n);
    t->line = line;
    return t;
}

imp_item *imp_item_add_to(imp_item **v, size_t *n, size_t *cap, const char *text, size_t len,
                          unsigned long line)
{
    xgrow((void **)v, cap, *n + 1, sizeof **v);
    imp_item *it = &(*v)[(*n)++];
    memset(it, 0, sizeof *it);
    it->text = xstrndup(text, len);
    it->line = line;
    return it;
}

void imp_roles_free(imp_roles *r)
{
    for (int w = 0; w < R_N; w++) {
        for (size_t i = 0; i < r->who[w].n; i++)
            free(r->who[w].v[i]);
        free(r->who[w].v);
    }
    free(r->due);
    memset(r, 0, sizeof *r);
}

static void items_free(imp_item *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].id);
        free(v[i].text);
        imp_roles_free(&v[i].r);
    }
    free(v);
}

/* Free everything the plan holds. */
static void imp_plan_free(imp_plan *p)
{
    for (size_t g = 0; g < p->n_goals; g++) {
        imp_goal *G = &p->goals[g];
        for (size_t t = 0; t < G->n_tasks; t++) {
            imp_task *T = &G->tasks[t];
            items_free(T->items, T->n_items);
            imp_roles_free(&T->r);
            free(T->id);
            free(T->title);
        }
        free(G->tasks);
        items_free(G->items, G->n_items);
        imp_roles_free(&G->r);
        free(G->id);
        free(G->title);
    }
    free(p->goals);
    imp_roles_free(&p->r);
    free(p->title);
    free(p->issuer);
    free(p->document);
    free(p->date);
}

/* --- encodings --- */

/* Convert buf from the encoding from into UTF-8; NULL if it is not valid
 * in that encoding. */
static char *iconv_to_utf8(const char *from, const char *buf, size_t len, size_t *out_len)
{
    iconv_t cd = iconv_open("UTF-8", from);
    /* iconv's API reports failure as (iconv_t)-1. */
    if (cd == (iconv_t)-1) // NOLINT(performance-no-int-to-ptr)
        return NULL;
    size_t cap = len + len / 2 + 16;
    char *out = xmalloc(cap);
    char *in = (char *)buf;   /* iconv's prototype; it does not write */
    size_t in_left = len, used = 0;
    bool ok = true;
    while (in_left > 0) {
        char *o = out + used;
        size_t o_left = cap - used - 1;
        size_t r = iconv(cd, &in, &in_left, &o, &o_left);
        used = (size_t)(o - out);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG) {
            cap *= 2;
            out = xrealloc(out, cap);
            continue;
        }
        ok = false;   /* EILSEQ, EINVAL: not this encoding */
        break;
    }
    iconv_close(cd);
    if (!ok) {
        free(out);
        return NULL;
    }
    out[used] = '\0';
    *out_len = used;
    return out;
}

/* Without a BOM, UTF-16 shows as NUL bytes (the high bytes of ASCII
 * characters: tabs, newlines, digits) on one parity only.  Returns
 * "UTF-16LE", "UTF-16BE" or NULL. */
static const char *utf16_by_nuls(const unsigned char *b, size_t len)
{
    size_t n = len < 65536 ? len : 65536;
    size_t even = 0, odd = 0;
    for (size_t i = 0; i < n; i++)
        if (b[i] == 0)
            *(i % 2 ? &odd : &even) += 1;
    /* (a few characters such as 一 U+4E00 put a NUL on the other side) */
    if (len % 2 != 0 || even + odd == 0)
        return NULL;
    if (odd > 4 * even)
        return "UTF-16LE";
    if (even > 4 * odd)
        return "UTF-16BE";
    return NULL;
}

static const char understood[] =
    "--import reads a notice's text (UTF-8, GB18030/GBK or UTF-16) or a CSV "
    "from --export csv";

/* The text of buf as UTF-8 with LF line ends, or NULL with an error. */
static char *decode(imp_plan *p, const char *buf, size_t len, size_t *out_len)
{
    const unsigned char *b = (const unsigned char *)buf;
    char *text = NULL;
    size_t n = 0;
    const char *enc = NULL;
    if (len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF) {
        buf += 3;
        len -= 3;
    } else if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
        enc = b[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        buf += 2;
        len -= 2;
    } else {
        enc = utf16_by_nuls(b, len);
    }
    if (enc) {
        text = iconv_to_utf8(enc, buf, len, &n);
        if (!text) {
            imp_error(p, 0, "not valid %s text; %s", enc, understood);
            return NULL;
        }
    } else if (utf8_valid(buf, len, NULL)) {
        text = xstrndup(buf, len);
        n = len;
    } else if (!memchr(buf, '\0', len)) {
        text = iconv_to_utf8("GB18030", buf, len, &n);
    }
    if (!text) {
        imp_error(p, 0, "not a text file in UTF-8, GB18030/GBK or UTF-16 (it holds bytes "
                  "that are none of them); %s", understood);
        return NULL;
    }
    /* Control characters other than line ends and tabs: a binary file. */
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\r') {
            text[j++] = '\n';
            if (i + 1 < n && text[i + 1] == '\n')
                i++;
        } else if (c == '\f' || c == '\v') {
            text[j++] = '\n';
        } else if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) {
            free(text);
            imp_error(p, 0, "not a text file (it holds control bytes); %s", understood);
            return NULL;
        } else {
            text[j++] = (char)c;
        }
    }
    text[j] = '\0';
    n = j;
    if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
        memmove(text, text + 3, n - 2);
        n -= 3;
    }
    *out_len = n;
    return text;
}

/* --- the conversion --- */

static bool blank_text(const char *s, size_t n)
{
    text_trim(s, &n);
    return n == 0;
}

bool import_convert(const char *name, const char *buf, size_t len, strbuf *out, diags *d)
{
    imp_plan p = {0};
    p.name = name;
    p.d = d;
    if (len == 0) {
        imp_error(&p, 0, "the file is empty; %s", understood);
        return false;
    }
    size_t n = 0;
    char *text = decode(&p, buf, len, &n);
    if (!text)
        return false;
    bool ok = false;
    if (blank_text(text, n)) {
        imp_error(&p, 0, "the file holds only blank lines; %s", understood);
    } else if (imp_csv_like(text, n)) {
        ok = imp_read_csv(&p, text, n);
    } else {
        imp_line *lines = NULL;
        size_t n_lines = 0, cap = 0;
        for (size_t i = 0; i <= n;) {
            const char *nl = memchr(text + i, '\n', n - i);
            size_t e = nl ? (size_t)(nl - text) : n;
            xgrow((void **)&lines, &cap, n_lines + 1, sizeof *lines);
            lines[n_lines++] = (imp_line){text + i, e - i};
            i = e + 1;
        }
        ok = imp_read_text(&p, lines, n_lines);
        free(lines);
    }
    if (ok) {
        imp_check_units(&p);
        imp_write_yaml(&p, out);
    }
    if (p.n_warnings > MAX_WARNINGS) {
        strbuf m = {0};
        sb_addf(&m, "%zu more warnings not shown", p.n_warnings - MAX_WARNINGS);
        char *head = xasprintf("%s: warning: ", name);
        diags_line(d, DIAG_WARNING, head, m.s);
        free(head);
        sb_free(&m);
    }
    imp_plan_free(&p);
    free(text);
    return ok;
}

/* --- reading and writing files --- */

/* Read all of f, up to IMPORT_MAX_BYTES (memory stays bounded whatever
 * the input); *too_big if there was more. */
static char *read_all(FILE *f, size_t *len, bool *too_big)
{
    size_t cap = 65536, n = 0;
    const size_t limit = (size_t)IMPORT_MAX_BYTES + 1;
    char *buf = xmalloc(cap);
    for (;;) {
        if (n == cap) {
            if (cap == limit)
                break;
            cap = cap * 2 < limit ? cap * 2 : limit;
            buf = xrealloc(buf, cap);
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    *too_big = n > IMPORT_MAX_BYTES;
    *len = n;
    return buf;
}

/* Write data to path through a temporary file in the same folder and a
 * rename; false (and nothing left behind) on failure. */
static bool write_atomic(const char *path, const char *data, size_t len, diags *d)
{
    char *tmp = xasprintf("%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        diags_add(d, DIAG_ERROR, path, 0, 0, "cannot create a file next to it: %s",
                  strerror(errno));
        free(tmp);
        return false;
    }
    mode_t um = umask(0);
    umask(um);
    bool ok = fchmod(fd, 0666 & ~um) == 0;
    for (size_t off = 0; ok && off < len;) {
        ssize_t k = write(fd, data + off, len - off);
        if (k < 0 && errno == EINTR)
            continue;
        ok = k > 0;
        if (ok)
            off += (size_t)k;
    }
    int err = errno;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, path) != 0) {
        err = errno;
        ok = false;
    }
    if (!ok) {
        unlink(tmp);
        diags_add(d, DIAG_ERROR, path, 0, 0, "cannot write it: %s", strerror(err));
    }
    free(tmp);
    return ok;
}

int import_main(const char *path, const char *out_path, bool force, diags *d)
{
    bool is_stdin = strcmp(path, "-") == 0;
    const char *name = is_stdin ? "(stdin)" : path;
    struct stat st;
    if (out_path && !force && lstat(out_path, &st) == 0) {
        diags_add(d, DIAG_ERROR, out_path, 0, 0,
                  "the file exists: give --force to overwrite it, or another -o");
        return 1;
    }
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f) {
        diags_add(d, DIAG_ERROR, path, 0, 0, "cannot open it: %s", strerror(errno));
        return 1;
    }
    if (!is_stdin && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        diags_add(d, DIAG_ERROR, path, 0, 0, "is a folder, not a file");
        return 1;
    }
    size_t len = 0;
    bool too_big = false;
    char *buf = read_all(f, &len, &too_big);
    bool read_error = ferror(f) != 0;
    if (!is_stdin)
        fclose(f);
    if (read_error) {
        diags_add(d, DIAG_ERROR, name, 0, 0, "cannot read it");
        free(buf);
        return 1;
    }
    if (too_big) {
        diags_add(d, DIAG_ERROR, name, 0, 0,
                  "more than %u MB: too big for a notice or a plan export (nothing written)",
                  IMPORT_MAX_BYTES >> 20);
        free(buf);
        return 1;
    }
    strbuf yaml = {0};
    bool ok = import_convert(name, buf, len, &yaml, d);
    free(buf);
    int rc = 1;
    if (ok) {
        if (out_path) {
            rc = write_atomic(out_path, yaml.s, yaml.len, d) ? 0 : 1;
        } else {
            fwrite(yaml.s, 1, yaml.len, stdout);
            rc = 0;
        }
    }
    sb_free(&yaml);
    return rc;
}
