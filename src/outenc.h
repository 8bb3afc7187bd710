/* outenc.h - text for people in the locale's encoding.
 *
 * plandash works in UTF-8.  When the locale's codeset is something else (a
 * zh_CN.GB18030 or zh_CN.GBK server), what is written for a person to read
 * (--report, --check, --help, messages) is converted with iconv; a character
 * the codeset cannot represent is written as '?', never as raw bytes.
 * Exports and files stay UTF-8: they do not go through here. */
#ifndef PLANDASH_OUTENC_H
#define PLANDASH_OUTENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "util.h"

/* The codeset of the user's LC_CTYPE as nl_langinfo names it ("UTF-8",
 * "GB18030"), also while outenc_work_in_utf8 is on. */
const char *outenc_codeset(void);
/* Is that codeset UTF-8 (nothing to convert)? */
bool outenc_is_utf8(void);

/* With on, make LC_CTYPE C.UTF-8 when the user's is another codeset, so
 * that text.c's widths, sanitising and the exports are the same bytes as
 * under UTF-8 (outenc still converts to the user's codeset); with off, back
 * to the user's LC_CTYPE (curses must draw in it).  Returns false if no
 * UTF-8 locale is installed. */
bool outenc_work_in_utf8(bool on);

/* A stream that converts the UTF-8 written to it into the locale's codeset
 * and writes that to f; f itself when the codeset is UTF-8 (or iconv has no
 * conversion to it).  Write errors on f show as errors on the stream.
 * unbuffered: pass each write through at once (for stderr). */
FILE *outenc_open(FILE *f, bool unbuffered);
/* Flush and close a stream from outenc_open (nothing is done to f itself,
 * nor when the stream is f).  Returns 0, or EOF if a write failed. */
int outenc_close(FILE *s, FILE *f);

/* Append s[0..n) (UTF-8) converted to the codeset named to, with '?' for
 * what it cannot represent (and for bytes that are not UTF-8).  Returns
 * false (and appends nothing) if iconv has no such conversion. */
bool outenc_convert(strbuf *out, const char *to, const char *s, size_t n);

#endif
