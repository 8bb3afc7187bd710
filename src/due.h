/* due.h - 完成时限: the due words of a plan ("2019年9月底前", "持续推进")
 * read as a date or as ongoing, and an item's due state against today.
 * No curses, no plan types: the model (plan.c) calls it.
 *
 * Dates are packed as YYYYMMDD in a uint32_t (20191231); 0 is no date. */
#ifndef PLANDASH_DUE_H
#define PLANDASH_DUE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "util.h"

/* What due words say. */
enum due_kind {
    DUE_NONE,       /* no due words */
    DUE_DATE,       /* a date */
    DUE_ONGOING,    /* 持续推进, 长期坚持, 每季度 and the like */
    DUE_NOYEAR,     /* a month and day but no year, and the plan has no date */
    DUE_UNKNOWN,    /* words that are neither */
};

/* An item's due state; the order is the report's and the export's. */
#define DUE_STATES(X) \
    X(DUE_S_DONE, "done") \
    X(DUE_S_OVERDUE, "overdue") \
    X(DUE_S_SOON, "due_soon") \
    X(DUE_S_OPEN, "open") \
    X(DUE_S_ONGOING, "ongoing")

enum due_state {
#define DUE_STATE_ENUM(name, word) name,
    DUE_STATES(DUE_STATE_ENUM)
#undef DUE_STATE_ENUM
    DUE_S_COUNT
};

#define DUE_SOON_DAYS 14   /* due within this many days: due soon */

/* Read due words; year is the plan's year (due_year_of) for words without
 * one, 0 if it has none.  *ymd gets the date for DUE_DATE, else 0. */
int due_parse(const char *words, int year, uint32_t *ymd);
/* The year a plan's date: starts with ("2019-03-01", "2019年3月"); 0. */
int due_year_of(const char *date);
/* Pack y, m, d when they are a real date (leap years kept), else 0. */
uint32_t due_ymd(int y, int m, int d);
/* Read "YYYY-MM-DD" exactly; 0 if it is not a real date. */
uint32_t due_ymd_parse(const char *s);
/* Days from 1970-01-01 to a packed date. */
long due_days(uint32_t ymd);
/* Today: PLANDASH_TODAY (YYYY-MM-DD) if set and valid, else the local
 * date.  *bad (may be NULL) is set when PLANDASH_TODAY is set but bad. */
uint32_t due_today(bool *bad);
/* Testing only: the clock due_today reads (NULL: the real one). */
void due_set_clock(time_t (*now)(void));
/* The state of an item: done, or by its due kind and date against today. */
int due_state(bool done, int kind, uint32_t ymd, uint32_t today);
/* The state's export word: "done", "overdue", "due_soon", "open", "ongoing". */
const char *due_state_word(int state);
/* Append a packed date as "YYYY-MM-DD". */
void due_iso(strbuf *out, uint32_t ymd);
/* Append the due in at most 5 columns for the tree: "12-31", "持续", or
 * the words cut. */
void due_short(strbuf *out, const char *words, int kind, uint32_t ymd);

#endif
