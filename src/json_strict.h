/* json_strict.h - what plandash checks in JSON before cJSON reads it, and
 * JSON strings printed through cJSON.
 *
 * cJSON parses and prints every JSON value plandash reads or writes, but it
 * is lenient: it accepts trailing data, duplicate keys, control characters
 * as whitespace, lone surrogates and more, and it gives no line or column.
 * json_strict_check is a pass over the text before cJSON parses it; it
 * refuses, with a byte offset and a message:
 *   - anything that is not one JSON value surrounded by whitespace
 *     (space, tab, LF, CR), including trailing data and a byte order mark;
 *   - NUL bytes and invalid UTF-8 anywhere (the whole text is checked first);
 *   - control characters (U+0000-U+001F) inside strings, bad escapes, lone
 *     or reversed UTF-16 surrogates in \u escapes, and \u0000;
 *   - duplicate keys in one object (compared after unescaping, exactly);
 *   - numbers beyond 2^53 in magnitude, and numbers longer than 63
 *     characters (cJSON would cut them);
 *   - containers nested deeper than JSON_STRICT_MAX_DEPTH.
 * It can also record the spans of the values down to a given depth, in
 * document order (a container before its members, members in order, as
 * cJSON links its children), so a caller can hand slices of the text to
 * cJSON, point at a value's line and column, and keep its source text. */
#ifndef PLANDASH_JSON_STRICT_H
#define PLANDASH_JSON_STRICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

#define JSON_STRICT_MAX_DEPTH 64
/* Texts longer than this are refused (offsets are 32-bit). */
#define JSON_STRICT_MAX_SIZE ((size_t)1 << 30)
/* json_span.key of a value that is not an object member */
#define JSON_NO_KEY UINT32_MAX

/* Where one value is in the text. */
typedef struct {
    uint32_t key;     /* its key's opening '"' if an object member, else JSON_NO_KEY */
    uint32_t start;   /* its first byte */
    uint32_t end;     /* just past its last byte */
    uint32_t depth;   /* 0 for the top value, 1 for its members, ... */
} json_span;

typedef struct {
    json_span *spans;   /* the recorded values, in document order */
    size_t n_spans;
    size_t cap;         /* private: room in spans */
    size_t err_offset;  /* where the first error is */
    size_t dup_first;   /* if it is a duplicate key: where its first one is, else SIZE_MAX */
    char msg[256];      /* what it is ("" if none) */
} json_strict;

/* Check s[0..n).  Record the spans of the values of depth at most record
 * (-1: none).  The keys of objects of depth unchecked (-1: none) are not
 * checked for duplicates: the caller checks them (status_json.c does, for
 * the entries, through its index).  Returns true if the text is valid;
 * else j->err_offset and j->msg say why.  Call json_strict_free afterwards
 * either way. */
bool json_strict_check(json_strict *j, const char *s, size_t n, int record, int unchecked);

/* The message for a duplicate key (its unescaped text: key[0..len)) first
 * seen at line/col, into msg. */
void json_strict_duplicate_msg(char *msg, size_t size, const char *key, size_t len,
                               unsigned long line, unsigned long col);
/* Free the recorded spans. */
void json_strict_free(json_strict *j);

/* The 1-based line and column of byte off in s; columns count characters
 * (an invalid byte counts as one). */
void json_strict_position(const char *s, size_t n, size_t off,
                          unsigned long *line, unsigned long *col);

/* Append s as a JSON string literal, printed by cJSON (escapes for '"',
 * '\\' and control characters; other characters as UTF-8). */
void json_strict_quote(strbuf *out, const char *s);

#endif
