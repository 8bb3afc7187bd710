/* import_int.h - what the importer's files share (import*.c): the
 * intermediate plan, line access, roles and unit cells, warnings.
 *
 * The importer never builds the model: it reads the file into the plain
 * structure below and writes YAML from it (import_yaml.c).  Everything is
 * UTF-8 by the time it gets here (import.c decodes the file). */
#ifndef PLANDASH_IMPORT_INT_H
#define PLANDASH_IMPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

enum { R_LEAD, R_RESP, R_SUPPORT, R_N };

typedef struct {
    char **v;        /* unit names, in order, no duplicates */
    size_t n, cap;
    bool more;       /* a trailing 等 */
} imp_units;

typedef struct {
    imp_units who[R_N];
    bool each;       /* 分别 */
    char *due;       /* 完成时限 as written, or NULL */
} imp_roles;

typedef struct {
    char *id;        /* explicit id (CSV), or NULL: numbered on output */
    char *text;
    imp_roles r;
    unsigned long line;
    long num;        /* the number printed before it (1. 2.), 0 if none */
} imp_item;

typedef struct {
    char *id, *title;
    imp_roles r;
    imp_item *items;
    size_t n_items, cap_items;
    unsigned long line;
} imp_task;

typedef struct {
    char *id, *title;
    imp_roles r;
    imp_task *tasks;          /* either tasks ... */
    size_t n_tasks, cap_tasks;
    imp_item *items;          /* ... or items directly (a two-level plan) */
    size_t n_items, cap_items;
    unsigned long line;
} imp_goal;

typedef struct {
    const char *name;         /* the file name in messages */
    diags *d;
    size_t n_warnings;
    char *title, *issuer, *document, *date;
    const char *numbering;    /* "goal", "plan" or NULL */
    imp_roles r;
    imp_goal *goals;
    size_t n_goals, cap_goals;
} imp_plan;

/* A line of the decoded text: s[0..len) without its newline. */
typedef struct {
    const char *s;
    size_t len;
} imp_line;

/* Record "NAME:LINE: warning: MSG" (or "NAME: warning: MSG" for line 0);
 * after 200 warnings only a count is kept. */
void imp_warn(imp_plan *p, unsigned long line, const char *fmt, ...) PD_PRINTF(3, 4);
/* Record "NAME:LINE: error: MSG". */
void imp_error(imp_plan *p, unsigned long line, const char *fmt, ...) PD_PRINTF(3, 4);
/* Append the first characters of s[0..n) (at most 16), with … if cut. */
void imp_quote(strbuf *b, const char *s, size_t n);

/* A title for a plan whose file names none: the file's name without its
 * folder and extension, or 导入的计划 (standard input, a name that is not
 * clean UTF-8). */
char *imp_stem_title(const imp_plan *p);

/* Append a goal / a task to the last goal / an item to the last task (or
 * to the last goal when task is false); the text is copied. */
imp_goal *imp_goal_add(imp_plan *p, const char *title, size_t n, unsigned long line);
imp_task *imp_task_add(imp_goal *g, const char *title, size_t n, unsigned long line);
imp_item *imp_item_add_to(imp_item **v, size_t *n, size_t *cap, const char *text, size_t len,
                          unsigned long line);
/* Free the roles' contents. */
void imp_roles_free(imp_roles *r);
/* Add a unit name (copied, cleaned: trimmed, 。 dropped, () made （）);
 * an empty or repeated name is ignored. */
void imp_units_add(imp_units *u, const char *s, size_t n);

/* Split a cell of names (a CSV column) at 、，,；; outside brackets into
 * u; a trailing 等 sets u->more.  No role words are looked for. */
void imp_units_split(imp_units *u, const char *s, size_t n);
/* Read a unit cell or a role parenthesis: names split at 、，,；; outside
 * brackets, role words (牵头 负责 落实 配合 协同 参与 分别, labels such as
 * 牵头单位：) taken off and applied, a trailing 等 as *_more, a due phrase
 * (2019年底前, 持续推进, 完成时限：…) as due.  Names without a role word
 * take def (R_LEAD, R_RESP or R_SUPPORT).  Returns true if it found any
 * unit or due. */
bool imp_roles_parse(imp_roles *r, const char *s, size_t n, int def);
/* Does s[0..n) read as a role parenthesis's content (it names a role or a
 * due phrase), rather than an ordinary remark? */
bool imp_roles_like(const char *s, size_t n);
/* Does s[0..n) start with a role label (牵头单位：, 责任单位:, 完成时限：)? */
bool imp_role_label(const char *s, size_t n);
/* If s[0..n) is an "applies to all below" phrase (以下均需…落实，不再逐一
 *列出), fill r with its units and return true. */
bool imp_inherit_phrase(imp_roles *r, const char *s, size_t n);

/* Warn about each unit name that still holds a role label (牵头单位 …),
 * a colon or an unbalanced bracket: the import could not take it apart. */
void imp_check_units(imp_plan *p);

/* The numbering marker at the start of s (after blanks): its kind (one of
 * MK_*: 一、 （一） 1. (1) ⑴ ① and the outline numbers 1.1 and 1.1.1
 * followed by a blank), its value, and the offset where the text after it starts.
 * Returns MK_NONE if s starts with none. */
enum { MK_NONE, MK_CN, MK_PCN, MK_AR, MK_PAR, MK_PAR2, MK_CIRC, MK_DEC2, MK_DEC3, MK_KINDS };
int imp_marker(const char *s, size_t n, long *value, size_t *after);

/* Trim ASCII blanks and U+3000 from both ends of s[0..*n); returns the new start. */
const char *imp_trim(const char *s, size_t *n);
/* Does s[0..n) end with the UTF-8 string suffix? start with prefix? */
bool imp_ends(const char *s, size_t n, const char *suffix);
bool imp_starts(const char *s, size_t n, const char *prefix);
/* Code points in s[0..n). */
size_t imp_chars(const char *s, size_t n);
/* Offset of the first of needle in s[0..n), or n. */
size_t imp_find(const char *s, size_t n, const char *needle);

/* The readers: fill p from the lines of a text or from CSV; return false
 * (with an error in p->d) when nothing could be recognised. */
bool imp_read_text(imp_plan *p, const imp_line *lines, size_t n_lines);
bool imp_read_csv(imp_plan *p, const char *buf, size_t len);
/* Does the first line look like a CSV header (id, text, goal ... by name)? */
bool imp_csv_like(const char *buf, size_t len);

/* Write p as a plan YAML in the shipped plan.yaml's style. */
void imp_write_yaml(const imp_plan *p, strbuf *out);

#endif
