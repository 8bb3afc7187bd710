/* unitname.h - splitting a unit cell into unit names.  Kept apart from
 * units.c (matching, pinyin) so that the model links without the pinyin
 * table. */
#ifndef PLANDASH_UNITNAME_H
#define PLANDASH_UNITNAME_H

#include <stddef.h>

/* Split a unit cell at 、 ， , ； ; and call emit(ctx, name, len) for each
 * name, trimmed of blanks (text_trim), skipping empty ones.  The 等 rule is
 * not applied here: the model applies it to the last name
 * (plan_build_units_string). */
void unitname_split(const char *s, void (*emit)(void *ctx, const char *name, size_t len),
                 void *ctx);

#endif
