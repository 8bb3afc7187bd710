/* json_strict.h - a strict JSON (RFC 8259) validator, and readers for the
 * text it accepted (the status file is read in place with them, no tree).
 *
 * cJSON is lenient: it accepts trailing data, duplicate keys, control
 * characters as whitespace, lone surrogates and more, and it gives no line
 * or column.  json_strict_check refuses, with a byte offset and a message:
 *   - anything that is not one JSON value surrounded by whitespace
 *     (space, tab, LF, CR), including trailing data and a byte order mark;
 *   - NUL bytes and invalid UTF-8 anywhere (the whole file is checked first);
 *   - control characters (U+0000-U+001F) inside strings, bad escapes, lone
 *     or reversed UTF-16 surrogates in \u escapes, and \u0000;
 *   - duplicate keys in one object (compared after unescaping, exactly);
 *   - numbers beyond 2^53 in magnitude, and numbers longer than 63
 *     characters (cJSON would cut them);
 *   - containers nested deeper than JSON_STRICT_MAX_DEPTH.
 * It can also record where every value starts, in document pre-order (a
 * container before its members, members in order; cJSON builds its tree in
 * the same order), so a caller walking the cJSON tree can point at a value's
 * line and column and copy its source text. */
#ifndef PLANDASH_JSON_STRICT_H
#define PLANDASH_JSON_STRICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define JSON_STRICT_MAX_DEPTH 64
/* Texts longer than this are refused (offsets are 32-bit). */
#define JSON_STRICT_MAX_SIZE ((size_t)1 << 30)

typedef struct {
    uint32_t *offsets;  /* byte offset of each value, in pre-order (if asked) */
    size_t n_values;    /* values in the text */
    size_t cap;         /* private: room in offsets */
    size_t err_offset;  /* where the first error is */
    char msg[256];      /* what it is ("" if none) */
} json_strict;

/* Check s[0..n).  With offsets, record where each value starts.  Returns
 * true if the text is valid; else j->err_offset and j->msg say why.  Call
 * json_strict_free afterwards either way. */
bool json_strict_check(json_strict *j, const char *s, size_t n, bool offsets);
void json_strict_free(json_strict *j);

/* The 1-based line and column of byte off in s; columns count characters
 * (an invalid byte counts as one). */
void json_strict_position(const char *s, size_t n, size_t off,
                          unsigned long *line, unsigned long *col);

/* Append the compact form of the value starting at s[off] (text already
 * checked) to out: its exact source text without whitespace outside
 * strings.  Returns the offset just past the value. */
size_t json_strict_minify(strbuf *out, const char *s, size_t n, size_t off);

/* Append the unescaped contents of the string literal starting at s[off]
 * (a '"'; text already checked) to out.  Returns the offset just past it. */
size_t json_strict_string(strbuf *out, const char *s, size_t n, size_t off);

/* The offset just past the value starting at s[off] (text already checked). */
size_t json_strict_skip(const char *s, size_t n, size_t off);

/* Append s as a JSON string literal (quotes, escapes for '"', '\\' and
 * control characters; other characters as UTF-8). */
void json_strict_quote(strbuf *out, const char *s);

#endif
