/* util.c - allocation, buffers, arena, string map, diagnostics. */
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "text.h"

static void (*fatal_hook)(void);

void pd_on_fatal(void (*fn)(void))
{
    fatal_hook = fn;
}

static void oom(size_t n)
{
    /* Once: the hook itself may run out of memory. */
    void (*hook)(void) = fatal_hook;
    fatal_hook = NULL;
    if (hook)
        hook();
    fprintf(stderr, "plandash: error: out of memory (%zu bytes)\n", n);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom(n);
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom(n * size);
    return p;
}

void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom(n);
    return q;
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *d = xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *xasprintf(const char *fmt, ...)
{
    strbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&b, fmt, ap);
    va_end(ap);
    return sb_steal(&b);
}

void xgrow(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need <= *cap)
        return;
    size_t c = *cap ? *cap : 8;
    while (c < need)
        c *= 2;
    if (c > SIZE_MAX / sz)
        oom(SIZE_MAX);
    *p = xrealloc(*p, c * sz);
    *cap = c;
}

/* --- strbuf --- */

char *sb_reserve(strbuf *b, size_t more)
{
    if (b->len + more + 1 > b->cap) {
        size_t c = b->cap ? b->cap : 64;
        while (c < b->len + more + 1)
            c *= 2;
        b->s = xrealloc(b->s, c);
        b->cap = c;
    }
    return b->s + b->len;
}

void sb_add(strbuf *b, const char *s, size_t n)
{
    sb_reserve(b, n);
    if (n)
        memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sb_adds(strbuf *b, const char *s)
{
    sb_add(b, s, strlen(s));
}

void sb_addc(strbuf *b, char c)
{
    sb_reserve(b, 1);
    b->s[b->len++] = c;
    b->s[b->len] = '\0';
}

void sb_vaddf(strbuf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    char tmp[256];
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n < sizeof tmp) {
        sb_add(b, tmp, (size_t)n);
    } else {
        sb_reserve(b, (size_t)n);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2);
        b->len += (size_t)n;
    }
    va_end(ap2);
}

void sb_addf(strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(b, fmt, ap);
    va_end(ap);
}

void sb_reset(strbuf *b)
{
    b->len = 0;
    if (b->s)
        b->s[0] = '\0';
}

char *sb_steal(strbuf *b)
{
    char *s = b->s ? b->s : xstrdup("");
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

void sb_free(strbuf *b)
{
    free(b->s);
    b->s = NULL;
    b->len = b->cap = 0;
}

/* --- arena --- */

struct arena_block {
    arena_block *next;
    size_t used, size;
    max_align_t data[];
};

#define ARENA_FIRST ((size_t)64 * 1024)
#define ARENA_HUGE ((size_t)2 * 1024 * 1024)   /* a transparent huge page */

/* Blocks double from 64 KiB to 2 MiB, so that a small plan stays small and
 * a large one is built in huge pages: far fewer page faults (each first
 * touch of a 4 KiB page costs a fault) and TLB misses. */
static arena_block *arena_block_new(arena *a, size_t n)
{
    size_t size = a->next ? a->next : ARENA_FIRST;
    if (size < n + sizeof(arena_block))
        size = n + sizeof(arena_block);
    arena_block *b;
    if (size >= ARENA_HUGE) {
        size = (size + ARENA_HUGE - 1) & ~(ARENA_HUGE - 1);
        b = aligned_alloc(ARENA_HUGE, size);
        if (!b)
            oom(size);
#ifdef MADV_HUGEPAGE
        madvise(b, size, MADV_HUGEPAGE);
#endif
    } else {
        b = xmalloc(size);
    }
    b->size = size - sizeof(arena_block);
    b->used = 0;
    b->next = a->head;
    a->head = b;
    if (a->next < ARENA_HUGE)
        a->next = size * 2 > ARENA_HUGE ? ARENA_HUGE : size * 2;
    return b;
}

/* n bytes at a multiple of align (a power of two) in the newest block. */
static void *arena_take(arena *a, size_t n, size_t align)
{
    arena_block *b = a->head;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;
    if (!b || at > b->size || b->size - at < n) {
        b = arena_block_new(a, n);
        at = 0;
    }
    b->used = at + n;
    return (char *)b->data + at;
}

void *arena_alloc(arena *a, size_t n)
{
    return arena_take(a, n, 8);
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    /* Strings are packed byte to byte: 100,000 texts and ids would waste
     * 3.5 bytes each on average to 8-byte alignment. */
    char *d = arena_take(a, n + 1, 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

void arena_free(arena *a)
{
    arena_block *b = a->head;
    while (b) {
        arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->next = 0;
}

/* --- strmap --- */

/* The hash of s[0..n). */
static uint64_t mem_hash(const char *s, size_t n)
{
    /* Eight bytes a step (ids and unit names are 10-40 bytes), then
     * murmur3's finaliser, so that high and low bits both mix every byte. */
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ n, w;
    for (; n >= 8; s += 8, n -= 8) {
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDULL;
        h ^= h >> 32;
    }
    w = 0;
    memcpy(&w, s, n);
    h ^= w;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
}

uint64_t str_hash(const char *s)
{
    return mem_hash(s, strlen(s));
}

/* Slots are found by the hash's high bits; the low 32 bits are kept in
 * the slot and compared first, so a probe rarely follows a key pointer (and
 * misses the cache) for a key that is not the one sought. */
static size_t strmap_index(uint64_t h, size_t cap)
{
    return (size_t)(h >> 32) & (cap - 1);
}

static void strmap_resize(strmap *m, size_t cap)
{
    strmap_slot *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < m->cap; i++) {
        const strmap_slot *o = &m->slots[i];
        if (!o->key)
            continue;
        size_t j = strmap_index(str_hash(o->key), cap);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = *o;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
}

bool strmap_put(strmap *m, const char *key, uint32_t val, uint32_t *old)
{
    if ((m->n + 1) * 4 > m->cap * 3)
        strmap_resize(m, m->cap ? m->cap * 2 : 16);
    uint64_t h = str_hash(key);
    size_t j = strmap_index(h, m->cap);
    for (strmap_slot *sl; (sl = &m->slots[j])->key; j = (j + 1) & (m->cap - 1))
        if (sl->hash == (uint32_t)h && strcmp(sl->key, key) == 0) {
            if (old)
                *old = sl->val;
            return false;
        }
    m->slots[j].key = key;
    m->slots[j].hash = (uint32_t)h;
    m->slots[j].val = val;
    m->n++;
    return true;
}

bool strmap_get_n(const strmap *m, const char *key, size_t len, uint32_t *val)
{
    if (!m->cap)
        return false;
    uint64_t h = mem_hash(key, len);
    size_t j = strmap_index(h, m->cap);
    for (const strmap_slot *sl; (sl = &m->slots[j])->key; j = (j + 1) & (m->cap - 1))
        if (sl->hash == (uint32_t)h && strncmp(sl->key, key, len) == 0 && !sl->key[len]) {
            if (val)
                *val = sl->val;
            return true;
        }
    return false;
}

bool strmap_get(const strmap *m, const char *key, uint32_t *val)
{
    if (!m->cap)
        return false;
    uint64_t h = str_hash(key);
    size_t j = strmap_index(h, m->cap);
    for (const strmap_slot *sl; (sl = &m->slots[j])->key; j = (j + 1) & (m->cap - 1))
        if (sl->hash == (uint32_t)h && strcmp(sl->key, key) == 0) {
            if (val)
                *val = sl->val;
            return true;
        }
    return false;
}

void strmap_copy(strmap *dst, const strmap *src)
{
    *dst = *src;
    if (src->cap) {
        dst->slots = xmalloc(src->cap * sizeof *dst->slots);
        memcpy(dst->slots, src->slots, src->cap * sizeof *dst->slots);
    }
}

void strmap_free(strmap *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

/* --- diagnostics --- */

void diags_add(diags *d, int level, const char *file, unsigned long line,
               unsigned long col, const char *fmt, ...)
{
    strbuf raw = {0}, out = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&raw, fmt, ap);
    va_end(ap);

    const char *what = level == DIAG_ERROR ? "error" : "warning";
    if (file && line)
        sb_addf(&out, "%s:%lu:%lu: %s: ", file, line, col ? col : 1, what);
    else if (file)
        sb_addf(&out, "%s: %s: ", file, what);
    else
        sb_addf(&out, "plandash: %s: ", what);
    diags_line(d, level, out.s, raw.s ? raw.s : "");
    sb_free(&raw);
    sb_free(&out);
}

void diags_line(diags *d, int level, const char *head, const char *msg)
{
    /* Everything may hold bytes from a file: the whole line is sanitised. */
    strbuf clean = {0};
    text_sanitize(&clean, head, strlen(head), TEXT_ONELINE);
    text_sanitize(&clean, msg, strlen(msg), TEXT_ONELINE);
    xgrow((void **)&d->v, &d->cap, d->n + 1, sizeof *d->v);
    d->v[d->n].level = level;
    d->v[d->n].text = sb_steal(&clean);
    d->n++;
    if (level == DIAG_ERROR)
        d->errors++;
}

void diags_file(diags *d, int level, const char *file, const char *fmt, ...)
{
    strbuf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&msg, fmt, ap);
    va_end(ap);
    diags_add(d, level, NULL, 0, 0, "%s: %s", file, msg.s ? msg.s : "");
    sb_free(&msg);
}

void diags_print(const diags *d, FILE *f)
{
    for (size_t i = 0; i < d->n; i++)
        fprintf(f, "%s\n", d->v[i].text);
}

void diags_clear(diags *d)
{
    for (size_t i = 0; i < d->n; i++)
        free(d->v[i].text);
    d->n = 0;
    d->errors = 0;
}

void diags_free(diags *d)
{
    diags_clear(d);
    free(d->v);
    memset(d, 0, sizeof *d);
}

/* --- ids --- */

int id_compare(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            /* Compare the numeric runs by value: skip leading zeros, then
             * the longer run is larger, then the first differing digit. */
            const char *ea = a, *eb = b;
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            const char *sa = a, *sb = b;
            while (*a >= '0' && *a <= '9')
                a++;
            while (*b >= '0' && *b <= '9')
                b++;
            size_t la = (size_t)(a - sa), lb = (size_t)(b - sb);
            if (la != lb)
                return la < lb ? -1 : 1;
            int c = memcmp(sa, sb, la);
            if (c)
                return c < 0 ? -1 : 1;
            /* equal value: fewer leading zeros first, for a total order */
            if ((sa - ea) != (sb - eb))
                return (sa - ea) < (sb - eb) ? -1 : 1;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    if (*a == *b)
        return 0;
    return *a ? 1 : -1;
}
