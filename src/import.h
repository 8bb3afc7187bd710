/* import.h - a plan YAML from a notice's own text or from a CSV export
 * (plandash --import).  No curses, no model: the importer writes YAML text.
 *
 * Understood: a table copied as text (a header row naming the columns;
 * cells split by tabs, by " | ", or one a line), numbered paragraphs
 * (一、 （一） 1. (1) ⑴ ①) ending in a parenthesis of roles, and the CSV of
 * --export csv.  The file may be UTF-8 (with or without BOM), GB18030/GBK
 * or UTF-16 (with a BOM, or without one by its NUL bytes). */
#ifndef PLANDASH_IMPORT_H
#define PLANDASH_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* The largest file --import reads (bytes). */
#define IMPORT_MAX_BYTES (16u << 20)

/* Convert buf[0..len) (any supported encoding) into a plan YAML appended to
 * out; warnings and errors go to d, named after name.  Returns true when a
 * plan came out, false (with an error in d) when nothing was recognised. */
bool import_convert(const char *name, const char *buf, size_t len, strbuf *out, diags *d);
/* plandash --import PATH [-o OUT] [--force]: PATH "-" is standard input;
 * without OUT the YAML goes to standard output.  OUT is written through a
 * temporary file and a rename, never left half-written.  Returns the exit
 * status (0 a plan came out, 1 not). */
int import_main(const char *path, const char *out_path, bool force, diags *d);

#endif
