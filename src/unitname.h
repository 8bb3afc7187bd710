/* unitname.h - splitting a unit cell into unit names.  Kept apart from
 * units.c (matching, pinyin) so that the model links without the pinyin
 * table. */
#ifndef PLANDASH_UNITNAME_H
#define PLANDASH_UNITNAME_H

#include <stdbool.h>
#include <stddef.h>

/* Split a unit cell at 、 ， , ； ; outside brackets （）()〔〕【】《》「」
 * ("各县（市、区）政府" is one name) and call emit(ctx, name, len) for each
 * name, trimmed of blanks (text_trim) and of a trailing 。, skipping empty
 * ones; brackets around the whole cell ("【甲，乙】") are dropped.  The 等
 * rule is not applied here: the model applies it to the last name
 * (plan_build_units_string). */
void unitname_split(const char *s, void (*emit)(void *ctx, const char *name, size_t len),
                 void *ctx);
/* Does the name end in role words ("市发改委牵头落实")?  Then true, with the
 * length of the unit's own name, the words ("牵头落实") and the field they
 * stand for ("lead:", "each: true", "support:", "responsible:"). */
bool unitname_role_words(const char *name, size_t len, size_t *unit_len, const char **words,
                         const char **field);

#endif
