/* text.h - UTF-8 decoding, display width, truncation, wrapping, sanitising.
 *
 * Widths are display columns as the terminal counts them (wcwidth in a
 * UTF-8 LC_CTYPE, which main() guarantees): a CJK character is 2 columns.
 * East Asian Ambiguous characters (Unicode's class A: “ ” … ─ │ ▾ and many
 * more, src/eaw_data.c) are 1 column, as in xterm and tmux, or 2 after
 * text_set_ambiguous_wide(true), as in terminals set to draw them wide.
 * text.c also defines the C library's wcwidth() for the whole program with
 * that rule, so that curses lays the screen out the same way.
 * Every function treats its input as untrusted bytes: invalid UTF-8 is one
 * replacement character (U+FFFD) per bad byte, never a crash or a cut in
 * the middle of a character.
 *
 * Sanitising maps what could act on a terminal to a visible, harmless
 * character: C0 controls to the Control Pictures (U+2400 + c, e.g. ESC to
 * U+241B), DEL to U+2421, C1 controls and bidi controls (U+202A-202E,
 * U+2066-2069, U+200E/200F, U+061C) to U+FFFD.  In TEXT_MULTILINE mode a LF
 * is kept as a line break; in one-line fields it is shown as U+2424.
 * With text_set_ascii_substitutes(true) (the dashboard's ASCII mode) the
 * substitutes are ASCII, one column each as before: a control or DEL is
 * '^', a LF in a one-line field '|', U+FFFD '?'. */
#ifndef PLANDASH_TEXT_H
#define PLANDASH_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum {
    TEXT_ONELINE = 0,    /* a one-line field: LF, CR, TAB, BS are substituted */
    TEXT_MULTILINE = 1,  /* LF is kept as a line break */
};

/* Decode one code point from s[0..n); store it in *cp (U+FFFD for an invalid
 * or truncated sequence, overlong forms, surrogates, > U+10FFFF) and return
 * the bytes consumed (>= 1 when n > 0, 0 when n == 0). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Encode cp as UTF-8 into out (4 bytes room); return the byte count. */
size_t utf8_encode(uint32_t cp, char *out);
/* Is s[0..n) valid UTF-8 (no overlongs, surrogates, > U+10FFFF)?  On
 * failure *bad (if not NULL) is the offset of the first bad byte. */
bool utf8_valid(const char *s, size_t n, size_t *bad);

/* Count East Asian Ambiguous characters as 2 columns (on) or 1 (off, the
 * default) in every width below. */
void text_set_ambiguous_wide(bool on);
/* Are East Asian Ambiguous characters counted as 2 columns? */
bool text_ambiguous_wide(void);
/* The mark text_fit ends cut text with: "…" (NULL or ""), or another
 * such as "..." for ASCII screens. */
void text_set_ellipsis(const char *mark);
/* Is cp of East Asian Width class A (Ambiguous)?  (src/eaw_data.c) */
bool text_is_ambiguous(uint32_t cp);

/* Substitute controls with ASCII (on: ^ | ?) or the Unicode pictures (off,
 * the default): for screens without those glyphs. */
void text_set_ascii_substitutes(bool on);
/* The code point shown for cp (itself, or its visible substitute). */
uint32_t text_visible(uint32_t cp, int mode);
/* Display columns of one code point once made visible (0, 1 or 2). */
int text_cp_width(uint32_t cp);
/* Display columns of the sanitised form of s (one-line mode). */
size_t text_width(const char *s);

/* Append the sanitised form of s[0..n) to out. */
void text_sanitize(strbuf *out, const char *s, size_t n, int mode);
/* Write the sanitised form of s to f (one-line mode unless mode says). */
void text_fputs(const char *s, int mode, void *file);

/* Append s sanitised and cut to at most cols columns; if it does not fit,
 * it ends in `…` (2 columns when ambiguous characters are wide; then with
 * cols 1 the mark is `.`).  Returns the columns used.  With pad, spaces are
 * added up to exactly cols. */
size_t text_fit(strbuf *out, const char *s, size_t cols, bool pad);

/* Wrap s (sanitised, multiline) to lines of at most cols columns (cols >= 2).
 * Breaks at spaces where the text has them, anywhere between CJK characters
 * otherwise; a line never starts with closing punctuation (，。、；：？！）》」”
 * and similar) nor ends with opening punctuation (“《（): the characters
 * before such a break move down to the next line.  No line is wider than
 * cols.  Each line is appended to out followed by '\n'; returns the number
 * of lines. */
size_t text_wrap(strbuf *out, const char *s, size_t cols);

/* Is cp closing punctuation that must not start a line? */
bool text_is_closing(uint32_t cp);

/* Trim blanks from both ends of s[0..*len): ASCII white space (space, tab,
 * CR, LF, VT, FF), NBSP (U+00A0) and the ideographic space (U+3000).
 * Returns the new start and sets *len. */
const char *text_trim(const char *s, size_t *len);

/* Chinese numeral for n >= 1 (一, 十, 十一, 二十, 一百零一 ...); into out. */
void text_cn_number(strbuf *out, unsigned n);

#endif
