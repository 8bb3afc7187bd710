/* report.h - the text report and the exports (json, csv, md).  No curses.
 *
 * Every function writes to a FILE and may take a filter: an array of one
 * byte per item (units_result.item_hit), where 0 leaves the item out; NULL
 * keeps every item.  Text from the plan is sanitised at this sink: no
 * control character from a file reaches the output raw. */
#ifndef PLANDASH_REPORT_H
#define PLANDASH_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "history.h"
#include "plan.h"
#include "units.h"

/* The progress report: each goal and task with done/total and their items,
 * then a table of units; columns aligned by display width.  With a search
 * result r (or NULL), only its items and a summary of the matched units. */
void report_text(FILE *f, const plan *p, const units_result *r, const char *query);

/* --export FMT; returns 0, or -1 if fmt is not json, csv or md. */
int report_export(FILE *f, const plan *p, const char *fmt, const uint8_t *filter);
/* The same; with h (json only), each item gains "history": its changes
 * in h, oldest first. */
int report_export_with(FILE *f, const plan *p, const char *fmt, const uint8_t *filter,
                       const history *h);

/* --export xlsx: write the workbook to path (进展情况表, 单位汇总); errors
 * go to d; returns 0 or -1 (report_xlsx.c). */
int report_xlsx(const char *path, const plan *p, const uint8_t *filter, diags *d);


#endif
