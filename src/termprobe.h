/* termprobe.h - how wide does the terminal draw East Asian Ambiguous
 * characters?  Asked the way vim sets 'ambiwidth': write one such character
 * and ask the terminal where the cursor went (ESC [6n).  Also the policy
 * around it (PLANDASH_AMBIGUOUS overrides, PLANDASH_ASCII) and the labels
 * the help screen shows.  No curses here: the probe runs on the raw file
 * descriptors before the screen is set up.
 *
 * Protocol, for the dashboard: call termprobe_choose() (or
 * termprobe_ambiguous()) after setlocale() and before initscr()/newterm();
 * then, once curses reads the keyboard, hand the bytes in stray[] back to it
 * (ungetch() them in reverse order) so nothing typed during the probe is
 * lost. */
#ifndef PLANDASH_TERMPROBE_H
#define PLANDASH_TERMPROBE_H

#include <stdbool.h>
#include <stddef.h>

/* The probe's time limit: no reply within it means narrow. */
#define TERMPROBE_TIMEOUT_MS 100

typedef enum {
    TERMPROBE_UNKNOWN = 0,  /* no terminal, no reply, or a garbled reply */
    TERMPROBE_NARROW = 1,   /* the probe character took one column */
    TERMPROBE_WIDE = 2,     /* it took two */
} termprobe_width;

/* Why the mode in force is what it is. */
typedef enum {
    TERMPROBE_DEFAULT = 0,  /* nothing set, nothing detected: narrow */
    TERMPROBE_DETECTED,     /* the terminal answered the probe */
    TERMPROBE_SET,          /* PLANDASH_AMBIGUOUS=narrow|wide */
} termprobe_reason;

typedef struct {
    bool wide;                /* count Ambiguous characters as 2 columns */
    termprobe_reason reason;
    bool bad_setting;         /* PLANDASH_AMBIGUOUS was set to something else */
} termprobe_mode;

/* Bytes read during the probe that were not the terminal's reply
 * (typeahead); the caller gives them back to its input reader. */
typedef struct {
    unsigned char bytes[256];
    size_t n;
} termprobe_stray;

/* Probe the terminal on fd_in/fd_out (both must be terminals, else
 * UNKNOWN at once): raw mode (restored after), save the cursor, write one
 * Ambiguous character (U+201C “, in the locale's encoding) at the start of
 * the cursor's row, send ESC [6n, wait at most timeout_ms in all for
 * ESC [row;colR, erase the row's probe and restore the cursor.  Column 2 is
 * NARROW, 3 is WIDE, anything else or nothing is UNKNOWN.  Bytes that are
 * not the reply go to *stray (if not NULL; beyond its room they are
 * dropped). */
termprobe_width termprobe_ambiguous(int fd_in, int fd_out, int timeout_ms,
                                    termprobe_stray *stray);

/* The policy, without a terminal: setting is PLANDASH_AMBIGUOUS's value (or
 * NULL); "narrow"/"wide" (any case) win; otherwise what was detected; and
 * narrow by default. */
termprobe_mode termprobe_policy(const char *setting, termprobe_width detected);

/* The policy with the probe: reads PLANDASH_AMBIGUOUS and probes only when
 * it does not decide (then see termprobe_ambiguous for stray). */
termprobe_mode termprobe_choose(int fd_in, int fd_out, int timeout_ms, termprobe_stray *stray);

/* One line for the help screen, Chinese then English, at most 60 columns,
 * e.g. "歧义宽度字符：宽（检测） Ambiguous width: wide (detected)". */
const char *termprobe_label(const termprobe_mode *m);

/* Should chrome be ASCII?  ascii is PLANDASH_ASCII's value (NULL, "" or "0"
 * mean no; anything else yes); term is TERM: "dumb", "vt52", "vt100"...,
 * "vt220" and their variants, whose terminals lack box drawing in UTF-8,
 * also mean yes. */
bool termprobe_ascii(const char *ascii, const char *term);

/* Parse a cursor position report "ESC [ row ; col R" at buf[0..n): on
 * success store row and col and return the bytes it takes; return 0 if buf
 * does not start with one (or -1 if it is a prefix that could still become
 * one). */
int termprobe_parse_cpr(const unsigned char *buf, size_t n, int *row, int *col);

#endif
