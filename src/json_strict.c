/* json_strict.c - the strict JSON pass that runs before cJSON: recursive
 * descent over bytes, depth-limited, with a hash set of (object, key) pairs
 * for duplicates; and JSON strings printed through cJSON. */
#include "json_strict.h"

#include <cJSON.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Duplicate keys: the keys of the open objects are kept on a stack
 * (unescaped, in keys.s).  An object's first SMALL_OBJECT keys are
 * compared one by one; from then on its keys go into a hash set shared by
 * all large objects (an object's serial number tells them apart), so
 * checking costs O(1) per key however large an object is.  A closed
 * object's keys are dropped from the stack; its hash entries stay but can
 * never match again. */
#define SMALL_OBJECT 8

/* A word of eight bytes b; whether a word has a byte less than n (<= 128) */
#define BYTES(b) (0x0101010101010101ULL * (uint64_t)(b))
#define HASLESS(w, n) (((w) - BYTES(n)) & ~(w) & BYTES(0x80))

typedef struct {
    uint32_t off, len;   /* the unescaped key in keys.s */
    uint32_t src;        /* where the key starts in the text */
} key_ref;

typedef struct {
    uint64_t hash;     /* 0 = empty slot */
    uint32_t obj;      /* serial number of the object */
    key_ref key;
} key_slot;

typedef struct {
    json_strict *j;
    const unsigned char *s;
    size_t n, i;
    int depth;
    int record;         /* record values down to this depth (-1: none) */
    int unchecked;      /* objects of this depth: duplicates not checked */
    uint32_t key;       /* where the key of the value about to be parsed starts */
    bool failed;
    uint32_t objects;   /* objects opened so far */
    key_ref *stack;     /* keys of the open objects */
    size_t n_stack, cap_stack;
    key_slot *slots;    /* the hash set for large objects */
    size_t cap, used;   /* slots: a power of two; used ones */
    strbuf keys;        /* unescaped keys of the open objects, back to back */
} parser;

static void fail_at(parser *p, size_t off, const char *fmt, ...) PD_PRINTF(3, 4);

static void fail_at(parser *p, size_t off, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = true;
    p->j->err_offset = off;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->j->msg, sizeof p->j->msg, fmt, ap);
    va_end(ap);
}

/* Describe the character at off for a message: 'x' or U+XXXX. */
static void describe(const parser *p, size_t off, char *buf, size_t size)
{
    if (off >= p->n) {
        snprintf(buf, size, "the end of the file");
        return;
    }
    unsigned c = p->s[off];
    if (c > 0x20 && c < 0x7f) {
        snprintf(buf, size, "'%c'", (char)c);
        return;
    }
    uint32_t cp;
    utf8_decode((const char *)p->s + off, p->n - off, &cp);
    snprintf(buf, size, "U+%04X", (unsigned)cp);
}

static void skip_ws(parser *p)
{
    while (p->i < p->n) {
        unsigned char c = p->s[p->i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
            break;
        p->i++;
    }
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Read the 4 hex digits of a \u escape at s[at]; -1 if they are not. */
static long hex4(const parser *p, size_t at)
{
    if (at + 4 > p->n)
        return -1;
    long v = 0;
    for (size_t k = 0; k < 4; k++) {
        int h = hex_value(p->s[at + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* Parse a string at p->i (a '"'); with out, append its unescaped bytes. */
static bool parse_string(parser *p, strbuf *out)
{
    size_t start = p->i++;
    for (;;) {
        if (p->i >= p->n) {
            fail_at(p, start, "unterminated string: no closing '\"'");
            return false;
        }
        unsigned char c = p->s[p->i];
        if (c == '"') {
            p->i++;
            return true;
        }
        if (c < 0x20) {
            if (c == '\n')
                fail_at(p, p->i, "line break inside a string (a string ends on its own line "
                                 "with '\"'; write a line break as \\n)");
            else
                fail_at(p, p->i, "control character U+%04X inside a string (write it as \\u%04X)",
                        c, c);
            return false;
        }
        if (c != '\\') {
            size_t run = p->i;
            /* eight bytes at a time while none is '"', '\\' or a control */
            while (p->i + 8 <= p->n) {
                uint64_t w;
                memcpy(&w, p->s + p->i, 8);
                if (HASLESS(w, 0x20) | HASLESS(w ^ BYTES('"'), 1) | HASLESS(w ^ BYTES('\\'), 1))
                    break;
                p->i += 8;
            }
            while (p->i < p->n && p->s[p->i] != '"' && p->s[p->i] != '\\' && p->s[p->i] >= 0x20)
                p->i++;
            if (out)
                sb_add(out, (const char *)p->s + run, p->i - run);
            continue;
        }
        size_t esc = p->i;
        if (esc + 1 >= p->n) {
            fail_at(p, start, "unterminated string: no closing '\"'");
            return false;
        }
        unsigned char e = p->s[esc + 1];
        char simple = 0;
        switch (e) {
        case '"': simple = '"'; break;
        case '\\': simple = '\\'; break;
        case '/': simple = '/'; break;
        case 'b': simple = '\b'; break;
        case 'f': simple = '\f'; break;
        case 'n': simple = '\n'; break;
        case 'r': simple = '\r'; break;
        case 't': simple = '\t'; break;
        case 'u': break;
        default: {
            char what[16];
            describe(p, esc + 1, what, sizeof what);
            fail_at(p, esc, "invalid escape '\\' followed by %s in a string "
                            "(valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)", what);
            return false;
        }
        }
        if (simple) {
            if (out)
                sb_addc(out, simple);
            p->i = esc + 2;
            continue;
        }
        long u = hex4(p, esc + 2);
        if (u < 0) {
            fail_at(p, esc, "invalid \\u escape: \\u must be followed by 4 hex digits");
            return false;
        }
        uint32_t cp = (uint32_t)u;
        p->i = esc + 6;
        if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail_at(p, esc, "lone surrogate \\u%04X: a low surrogate must follow a high one "
                            "(\\uD800-\\uDBFF)", (unsigned)cp);
            return false;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = -1;
            if (p->i + 1 < p->n && p->s[p->i] == '\\' && p->s[p->i + 1] == 'u')
                lo = hex4(p, p->i + 2);
            if (lo < 0xDC00 || lo > 0xDFFF) {
                fail_at(p, esc, "lone surrogate \\u%04X: a high surrogate must be followed by "
                                "a low one (\\uDC00-\\uDFFF)", (unsigned)cp);
                return false;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + ((uint32_t)lo - 0xDC00);
            p->i += 6;
        }
        if (cp == 0) {
            fail_at(p, esc, "\\u0000 (a NUL character) in a string is not allowed");
            return false;
        }
        if (out) {
            char enc[4];
            sb_add(out, enc, utf8_encode(cp, enc));
        }
    }
}

/* Is the number with these digit runs beyond 2^53 in magnitude?  The value
 * is 0.D x 10^k, D the digits without leading zeros. */
static bool number_too_big(const unsigned char *ip, size_t il, const unsigned char *fp,
                           size_t fl, long exp10)
{
    static const char limit[] = "9007199254740992";   /* 2^53, 16 digits */
    size_t total = il + fl, z = 0;
#define DIGIT(k) ((k) < il ? ip[(k)] : fp[(k) - il])
    while (z < total && DIGIT(z) == '0')
        z++;
    if (z == total)
        return false;   /* zero */
    long k = (long)il - (long)z + exp10;
    if (k != 16)
        return k > 16;
    for (size_t d = 0; d < 16; d++) {
        unsigned char c = z + d < total ? DIGIT(z + d) : '0';
        if (c != (unsigned char)limit[d])
            return c > (unsigned char)limit[d];
    }
    for (size_t d = z + 16; d < total; d++)
        if (DIGIT(d) != '0')
            return true;
    return false;
#undef DIGIT
}

static bool parse_number(parser *p)
{
    const unsigned char *s = p->s;
    size_t start = p->i, i = p->i, n = p->n;
    if (s[i] == '-')
        i++;
    if (i >= n || !is_digit(s[i])) {
        fail_at(p, start, "invalid number: expected a digit after '-'");
        return false;
    }
    size_t int_start = i;
    if (s[i] == '0') {
        i++;
        if (i < n && is_digit(s[i])) {
            fail_at(p, start, "invalid number: leading zeros are not allowed");
            return false;
        }
    } else {
        while (i < n && is_digit(s[i]))
            i++;
    }
    size_t int_end = i, frac_start = i, frac_end = i;
    if (i < n && s[i] == '.') {
        i++;
        if (i >= n || !is_digit(s[i])) {
            fail_at(p, start, "invalid number: expected a digit after '.'");
            return false;
        }
        frac_start = i;
        while (i < n && is_digit(s[i]))
            i++;
        frac_end = i;
    }
    long exp10 = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool neg = false;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            neg = s[i++] == '-';
        if (i >= n || !is_digit(s[i])) {
            fail_at(p, start, "invalid number: expected a digit in the exponent");
            return false;
        }
        while (i < n && is_digit(s[i])) {
            if (exp10 < 1000000)
                exp10 = exp10 * 10 + (s[i] - '0');
            i++;
        }
        if (neg)
            exp10 = -exp10;
    }
    if (i - start > 63) {
        fail_at(p, start, "number too long (%zu characters; at most 63)", i - start);
        return false;
    }
    if (number_too_big(s + int_start, int_end - int_start, s + frac_start,
                       frac_end - frac_start, exp10)) {
        fail_at(p, start, "number %.*s is beyond 2^53 in magnitude (it cannot be kept exactly)",
                (int)(i - start), (const char *)s + start);
        return false;
    }
    p->i = i;
    return true;
}

static bool parse_literal(parser *p)
{
    static const char *const words[] = {"true", "false", "null"};
    for (size_t w = 0; w < 3; w++) {
        size_t len = strlen(words[w]);
        if (p->n - p->i >= len && memcmp(p->s + p->i, words[w], len) == 0) {
            size_t e = p->i + len;
            if (e < p->n && ((p->s[e] >= 'a' && p->s[e] <= 'z') ||
                             (p->s[e] >= 'A' && p->s[e] <= 'Z') || is_digit(p->s[e])))
                break;
            p->i = e;
            return true;
        }
    }
    size_t e = p->i;
    while (e < p->n && e - p->i < 20 &&
           ((p->s[e] >= 'a' && p->s[e] <= 'z') || (p->s[e] >= 'A' && p->s[e] <= 'Z')))
        e++;
    fail_at(p, p->i, "unknown word '%.*s': expected a value (true, false, null, a number, "
                     "a string, an object or an array)", (int)(e - p->i),
            (const char *)p->s + p->i);
    return false;
}

static uint64_t key_hash(uint32_t obj, const char *k, size_t len)
{
    uint64_t h = 1469598103934665603ULL;   /* FNV-1a, then a full mix */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)k[i];
        h *= 1099511628211ULL;
    }
    h ^= (uint64_t)obj * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h ? h : 1;
}

static void slots_grow(parser *p)
{
    size_t cap = p->cap ? p->cap * 2 : 1024;
    key_slot *slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < p->cap; i++) {
        if (!p->slots[i].hash)
            continue;
        size_t j = p->slots[i].hash & (cap - 1);
        while (slots[j].hash)
            j = (j + 1) & (cap - 1);
        slots[j] = p->slots[i];
    }
    free(p->slots);
    p->slots = slots;
    p->cap = cap;
}

void json_strict_duplicate_msg(char *msg, size_t size, const char *key, size_t len,
                               unsigned long line, unsigned long col)
{
    size_t show = len;
    if (show > 60) {   /* cut long keys at a character boundary */
        show = 60;
        while (show > 0 && ((unsigned char)key[show] & 0xC0) == 0x80)
            show--;
    }
    snprintf(msg, size, "duplicate key \"%.*s%s\" (first at line %lu, column %lu); "
                        "a key may appear only once in an object",
             (int)show, key, show < len ? "…" : "", line, col);
}

static void duplicate(parser *p, const key_ref *first, const key_ref *k)
{
    unsigned long line, col;
    json_strict_position((const char *)p->s, p->n, first->src, &line, &col);
    char msg[sizeof p->j->msg];
    json_strict_duplicate_msg(msg, sizeof msg, p->keys.s + k->off, k->len, line, col);
    if (!p->failed)
        p->j->dup_first = first->src;
    fail_at(p, k->src, "%s", msg);
}

static bool same_key(const parser *p, const key_ref *a, const key_ref *b)
{
    return a->len == b->len &&
           (a->len == 0 || memcmp(p->keys.s + a->off, p->keys.s + b->off, a->len) == 0);
}

/* Put k of object obj into the hash set; false (reported) if it is there. */
static bool slot_add(parser *p, uint32_t obj, const key_ref *k)
{
    if ((p->used + 1) * 2 > p->cap)
        slots_grow(p);
    uint64_t h = key_hash(obj, p->keys.s + k->off, k->len);
    size_t j = h & (p->cap - 1);
    for (; p->slots[j].hash; j = (j + 1) & (p->cap - 1)) {
        const key_slot *o = &p->slots[j];
        if (o->hash == h && o->obj == obj && same_key(p, &o->key, k)) {
            duplicate(p, &o->key, k);
            return false;
        }
    }
    p->slots[j] = (key_slot){h, obj, *k};
    p->used++;
    return true;
}

/* Add the key just unescaped at keys.s[off..] (found at src) to object obj,
 * whose keys start at stack[frame] and number count before this one. */
static bool key_add(parser *p, uint32_t obj, size_t frame, size_t count, size_t off,
                    size_t src)
{
    key_ref k = {(uint32_t)off, (uint32_t)(p->keys.len - off), (uint32_t)src};
    if (count < SMALL_OBJECT) {
        for (size_t i = frame; i < p->n_stack; i++) {
            if (same_key(p, &p->stack[i], &k)) {
                duplicate(p, &p->stack[i], &k);
                return false;
            }
        }
        xgrow((void **)&p->stack, &p->cap_stack, p->n_stack + 1, sizeof *p->stack);
        p->stack[p->n_stack++] = k;
        return true;
    }
    if (count == SMALL_OBJECT)   /* large from now on: hash the first ones */
        for (size_t i = frame; i < p->n_stack; i++)
            slot_add(p, obj, &p->stack[i]);
    return slot_add(p, obj, &k);
}

static bool parse_value(parser *p);

/* After a member or an element of the object or array opened at offset
 * open: 1 after a ',' (another follows), 0 after the closing character,
 * -1 (reported) on anything else. */
static int after_value(parser *p, size_t open, unsigned char close)
{
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == ',') {
        p->i++;
        return 1;
    }
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        return 0;
    }
    unsigned long line, col;
    json_strict_position((const char *)p->s, p->n, open, &line, &col);
    char what[32];
    describe(p, p->i, what, sizeof what);
    fail_at(p, p->i, "expected ',' or '%c' in the %s opened at line %lu, column %lu, found %s",
            close, close == '}' ? "object" : "array", line, col, what);
    return -1;
}

static bool parse_members(parser *p, size_t open, uint32_t obj, size_t frame)
{
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == '}') {
        p->i++;
        return true;
    }
    for (size_t count = 0;; count++) {
        skip_ws(p);
        if (p->i >= p->n || p->s[p->i] != '"') {
            char what[32];
            describe(p, p->i, what, sizeof what);
            if (p->i < p->n && p->s[p->i] == '}')
                fail_at(p, p->i, "a ',' before '}' (trailing commas are not allowed)");
            else
                fail_at(p, p->i, "expected a key in double quotes, found %s", what);
            return false;
        }
        size_t src = p->i, off = p->keys.len;
        bool check = p->depth - 1 != p->unchecked;   /* this object's depth */
        if (!parse_string(p, check ? &p->keys : NULL) ||
            (check && !key_add(p, obj, frame, count, off, src)))
            return false;
        skip_ws(p);
        if (p->i >= p->n || p->s[p->i] != ':') {
            char what[32];
            describe(p, p->i, what, sizeof what);
            fail_at(p, p->i, "expected ':' after the key, found %s", what);
            return false;
        }
        p->i++;
        p->key = (uint32_t)src;
        if (!parse_value(p))
            return false;
        int more = after_value(p, open, '}');
        if (more <= 0)
            return more == 0;
    }
}

static bool parse_object(parser *p)
{
    size_t open = p->i++;
    size_t frame = p->n_stack, kbase = p->keys.len;
    bool ok = parse_members(p, open, p->objects++, frame);
    /* Drop this object's keys (the hash set may still name them). */
    p->n_stack = frame;
    p->keys.len = kbase;
    return ok;
}

static bool parse_array(parser *p)
{
    size_t open = p->i++;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == ']') {
        p->i++;
        return true;
    }
    for (;;) {
        skip_ws(p);
        if (p->i < p->n && p->s[p->i] == ']') {
            fail_at(p, p->i, "a ',' before ']' (trailing commas are not allowed)");
            return false;
        }
        if (!parse_value(p))
            return false;
        int more = after_value(p, open, ']');
        if (more <= 0)
            return more == 0;
    }
}

static bool parse_value(parser *p)
{
    skip_ws(p);
    if (p->i >= p->n) {
        fail_at(p, p->i, "unexpected end of the file: expected a value");
        return false;
    }
    json_strict *j = p->j;
    size_t rec = SIZE_MAX;   /* this value's span, if recorded */
    if (p->depth <= p->record) {
        xgrow((void **)&j->spans, &j->cap, j->n_spans + 1, sizeof *j->spans);
        rec = j->n_spans++;
        j->spans[rec] = (json_span){p->key, (uint32_t)p->i, 0, (uint32_t)p->depth};
    }
    p->key = JSON_NO_KEY;
    unsigned char c = p->s[p->i];
    bool ok;
    if (c == '{' || c == '[') {
        if (p->depth >= JSON_STRICT_MAX_DEPTH) {
            fail_at(p, p->i, "nesting deeper than %d levels", JSON_STRICT_MAX_DEPTH);
            return false;
        }
        p->depth++;
        ok = c == '{' ? parse_object(p) : parse_array(p);
        p->depth--;
    } else if (c == '"') {
        ok = parse_string(p, NULL);
    } else if (c == '-' || is_digit(c)) {
        ok = parse_number(p);
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        ok = parse_literal(p);
    } else {
        char what[32];
        describe(p, p->i, what, sizeof what);
        fail_at(p, p->i, "expected a value, found %s", what);
        return false;
    }
    if (rec != SIZE_MAX)
        j->spans[rec].end = (uint32_t)p->i;
    return ok;
}

bool json_strict_check(json_strict *j, const char *s, size_t n, int record, int unchecked)
{
    memset(j, 0, sizeof *j);
    j->dup_first = SIZE_MAX;
    parser p = {.j = j, .s = (const unsigned char *)s, .n = n, .record = record,
                .unchecked = unchecked, .key = JSON_NO_KEY};
    if (n > JSON_STRICT_MAX_SIZE) {
        fail_at(&p, 0, "too large (%zu bytes; at most %zu)", n, JSON_STRICT_MAX_SIZE);
        return false;
    }
    /* Encoding first: a file in another encoding is better told so than
     * met with a syntax error somewhere in its first non-ASCII text. */
    const char *nul = memchr(s, '\0', n);
    size_t bad = n;
    bool valid = utf8_valid(s, nul ? (size_t)(nul - s) : n, &bad);
    if (!valid) {
        fail_at(&p, bad, "invalid UTF-8 (byte 0x%02X); the file must be UTF-8 encoded",
                (unsigned char)s[bad]);
        return false;
    }
    if (nul) {
        fail_at(&p, (size_t)(nul - s), "NUL byte: this is not a JSON text file");
        return false;
    }
    if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        fail_at(&p, 0, "the file starts with a byte order mark (U+FEFF); "
                       "save it as UTF-8 without one");
        return false;
    }
    sb_addc(&p.keys, '\0');   /* keys.s is never NULL: key offsets are added to it */
    p.keys.len = 0;
    if (parse_value(&p)) {
        skip_ws(&p);
        if (p.i < p.n) {
            char what[32];
            describe(&p, p.i, what, sizeof what);
            fail_at(&p, p.i, "trailing data after the JSON value (%s)", what);
        }
    }
    free(p.slots);
    free(p.stack);
    sb_free(&p.keys);
    return !p.failed;
}

void json_strict_free(json_strict *j)
{
    free(j->spans);
    j->spans = NULL;
    j->n_spans = j->cap = 0;
}

void json_strict_position(const char *s, size_t n, size_t off,
                          unsigned long *line, unsigned long *col)
{
    unsigned long l = 1, c = 1;
    if (off > n)
        off = n;
    for (size_t i = 0; i < off;) {
        if (s[i] == '\n') {
            l++;
            c = 1;
            i++;
            continue;
        }
        uint32_t cp;
        size_t k = utf8_decode(s + i, off - i, &cp);
        i += k ? k : 1;
        c++;
    }
    *line = l;
    *col = c;
}

void json_strict_quote(strbuf *out, const char *s)
{
    /* A string node on the stack: cJSON prints it without allocating. */
    cJSON str;
    memset(&str, 0, sizeof str);
    str.type = cJSON_String | cJSON_IsReference;
    str.valuestring = (char *)s;   /* only read: printed */
    /* at most 6 bytes a byte (\u00XX), the quotes, and the 5 spare bytes
     * cJSON_PrintPreallocated asks for */
    size_t room = 6 * strlen(s) + 8;
    if (room > INT_MAX)
        abort();
    char *o = sb_reserve(out, room);
    if (!cJSON_PrintPreallocated(&str, o, (int)room, 0))
        abort();
    out->len += strlen(o);
}
