/* util.h - allocation, growable buffers, string maps, diagnostics.
 *
 * One allocation policy for the whole program: the x* wrappers print a
 * message and abort on out-of-memory (after the hook of pd_on_fatal), so
 * callers never check for NULL.
 * Nothing here knows about plans, YAML, JSON or curses. */
#ifndef PLANDASH_UTIL_H
#define PLANDASH_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#if defined(__GNUC__)
#define PD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define PD_PRINTF(a, b)
#endif

void *xmalloc(size_t n);                 /* malloc or die */
/* Run fn before dying of a fatal error (out of memory), as tig's die()
 * does: the dashboard restores the terminal.  NULL: none. */
void pd_on_fatal(void (*fn)(void));
void *xcalloc(size_t n, size_t size);    /* calloc or die */
void *xrealloc(void *p, size_t n);       /* realloc or die */
char *xstrdup(const char *s);            /* strdup or die */
char *xstrndup(const char *s, size_t n); /* copy of n bytes, NUL-terminated */
char *xasprintf(const char *fmt, ...) PD_PRINTF(1, 2); /* formatted copy */
/* Grow *p (an array of *cap elements of size sz) to hold at least need. */
void xgrow(void **p, size_t *cap, size_t need, size_t sz);

/* A growable byte buffer; always NUL-terminated once anything is added. */
typedef struct {
    char *s;     /* contents (NULL until the first append) */
    size_t len;  /* bytes used, excluding the NUL */
    size_t cap;  /* bytes allocated */
} strbuf;

/* Make room for more bytes (and a NUL) at the end; return where they go
 * (the caller writes them and adds to len). */
char *sb_reserve(strbuf *b, size_t more);
void sb_add(strbuf *b, const char *s, size_t n);      /* append n bytes */
void sb_adds(strbuf *b, const char *s);               /* append a C string */
void sb_addc(strbuf *b, char c);                      /* append one byte */
void sb_addf(strbuf *b, const char *fmt, ...) PD_PRINTF(2, 3); /* printf */
void sb_vaddf(strbuf *b, const char *fmt, va_list ap) PD_PRINTF(2, 0);
void sb_reset(strbuf *b);                             /* len = 0, keep memory */
char *sb_steal(strbuf *b);                            /* take the string ("" if empty) */
void sb_free(strbuf *b);

/* A bump allocator: many small strings freed at once (the plan's texts). */
typedef struct arena_block arena_block;
typedef struct {
    arena_block *head;   /* newest block */
    size_t next;         /* size of the next block (grows to 2 MiB) */
} arena;

void *arena_alloc(arena *a, size_t n);                     /* 8-byte aligned */
char *arena_strndup(arena *a, const char *s, size_t n);    /* NUL-terminated copy, unaligned */
void arena_free(arena *a);

/* An open-addressing hash map from NUL-terminated keys to uint32_t values.
 * Keys are not copied: they must outlive the map (they live in an arena). */
typedef struct {
    const char *key;    /* NULL where empty */
    uint32_t hash;      /* the key's hash (low 32 bits), compared before the key */
    uint32_t val;
} strmap_slot;

typedef struct {
    strmap_slot *slots; /* one cache line holds four: a probe costs one miss */
    size_t cap;         /* slots, a power of two (0 before the first put) */
    size_t n;           /* keys stored */
} strmap;

uint64_t str_hash(const char *s);
/* Store key -> val unless key is present; return true if it was added,
 * false (and *old = its value, if old) if it was already there. */
bool strmap_put(strmap *m, const char *key, uint32_t val, uint32_t *old);
/* Look key up; return true and set *val if found. */
bool strmap_get(const strmap *m, const char *key, uint32_t *val);
/* Look key[0..len) up (no NUL needed at key[len]); as strmap_get. */
bool strmap_get_n(const strmap *m, const char *key, size_t len, uint32_t *val);
void strmap_free(strmap *m);
/* Make dst a copy of src's table (the keys themselves are shared). */
void strmap_copy(strmap *dst, const strmap *src);

/* Diagnostics: errors and warnings with a position, printed as
 *   FILE:LINE:COL: error: MESSAGE     (line > 0)
 *   FILE: error: MESSAGE              (file, no line)
 *   plandash: error: MESSAGE          (no file)
 * The message text is stored sanitised (no control characters). */
enum { DIAG_WARNING, DIAG_ERROR };

typedef struct {
    int level;    /* DIAG_WARNING or DIAG_ERROR */
    char *text;   /* the whole line, without a newline */
} diag;

typedef struct {
    diag *v;
    size_t n, cap;
    size_t errors;   /* how many have level DIAG_ERROR */
} diags;

void diags_add(diags *d, int level, const char *file, unsigned long line,
               unsigned long col, const char *fmt, ...) PD_PRINTF(6, 7);
/* About file, without a position: "plandash: error: FILE: MESSAGE". */
void diags_file(diags *d, int level, const char *file, const char *fmt, ...) PD_PRINTF(4, 5);
/* Append head then msg as one sanitised line (head already formatted). */
void diags_line(diags *d, int level, const char *head, const char *msg);
void diags_print(const diags *d, FILE *f);  /* one per line, in order */
void diags_clear(diags *d);                 /* drop all, keep memory */
void diags_free(diags *d);

/* Compare two dotted ids ("1.2.10" > "1.2.9"): numeric runs by value,
 * the rest bytewise.  A total order usable for sorting. */
int id_compare(const char *a, const char *b);

#endif
