/* unitname.c - splitting a unit cell into unit names. */
#include "unitname.h"

#include <string.h>

#include "text.h"

/* Length of the separator starting at s (0 if none): 、 ， ； , ; */
static size_t sep_len(const char *s, const char *end)
{
    size_t n = (size_t)(end - s);
    if (*s == ',' || *s == ';')
        return 1;
    if (n >= 3 && (memcmp(s, "、", 3) == 0 || memcmp(s, "，", 3) == 0 ||
                   memcmp(s, "；", 3) == 0))
        return 3;
    return 0;
}

void unitname_split(const char *s, void (*emit)(void *ctx, const char *name, size_t len),
                 void *ctx)
{
    const char *end = s + strlen(s);
    const char *p = s;
    for (;;) {
        const char *a = p;
        size_t sl = 0;
        while (p < end && (sl = sep_len(p, end)) == 0)
            p++;
        size_t n = (size_t)(p - a);
        a = text_trim(a, &n);
        if (n > 0)
            emit(ctx, a, n);
        if (p >= end)
            break;
        p += sl;
    }
}
