/* unitname.c - splitting a unit cell into unit names, and the role words
 * a typist may leave on a name. */
#include "unitname.h"

#include <string.h>

#include "text.h"

/* Length of the separator starting at s (0 if none): 、 ， ； , ; */
static size_t sep_len(const char *s, const char *end)
{
    size_t n = (size_t)(end - s);
    if (*s == ',' || *s == ';')
        return 1;
    if ((unsigned char)*s != 0xE3 && (unsigned char)*s != 0xEF)
        return 0;
    if (n >= 3 && (memcmp(s, "、", 3) == 0 || memcmp(s, "，", 3) == 0 ||
                   memcmp(s, "；", 3) == 0))
        return 3;
    return 0;
}

/* Bracket pairs a name may hold: the opening, then the closing one. */
static const char *const brackets[][2] = {
    {"（", "）"}, {"(", ")"}, {"〔", "〕"}, {"【", "】"}, {"《", "》"}, {"「", "」"},
};
enum { N_BRACKETS = sizeof brackets / sizeof *brackets };

/* If s starts with a bracket: its index, with +1 for an opening one and -1
 * for a closing one in *dir, and its length in *len; else -1.  Decoded by
 * hand: this runs for every byte of every unit cell. */
static int bracket_at(const char *s, const char *end, int *dir, size_t *len)
{
    unsigned char c = (unsigned char)*s;
    if (c == '(' || c == ')') {
        *dir = c == '(' ? 1 : -1;
        *len = 1;
        return 1;
    }
    if ((c != 0xE3 && c != 0xEF) || end - s < 3)
        return -1;
    unsigned char c1 = (unsigned char)s[1], c2 = (unsigned char)s[2];
    int b = -1;
    if (c == 0xEF && c1 == 0xBC && (c2 == 0x88 || c2 == 0x89))
        b = 0;                                     /* （） */
    else if (c == 0xE3 && c1 == 0x80 && c2 >= 0x8A && c2 <= 0x95)
        switch (c2 & ~1u) {
        case 0x94: b = 2; break;                   /* 〔〕 */
        case 0x90: b = 3; break;                   /* 【】 */
        case 0x8A: b = 4; break;                   /* 《》 */
        case 0x8C: b = 5; break;                   /* 「」 */
        default: break;
        }
    if (b < 0)
        return -1;
    *dir = c2 & 1 ? -1 : 1;
    *len = 3;
    return b;
}

/* Trim blanks and a trailing 。 (any number) from s[0..*len). */
static const char *trim_name(const char *s, size_t *len)
{
    s = text_trim(s, len);
    while (*len >= 3 && memcmp(s + *len - 3, "。", 3) == 0) {
        *len -= 3;
        s = text_trim(s, len);
    }
    return s;
}

/* If the whole of s[0..len) is wrapped in one pair of brackets ("【A，B】"),
 * the inside; else s itself. */
static const char *unwrap(const char *s, size_t *len)
{
    const char *end = s + *len;
    int dir;
    size_t bl;
    int b = bracket_at(s, end, &dir, &bl);
    if (b < 0 || dir < 0)
        return s;
    /* find the bracket that closes the first one */
    int depth = 0;
    for (const char *p = s; p < end;) {
        size_t l;
        if (bracket_at(p, end, &dir, &l) >= 0) {
            depth += dir;
            if (depth <= 0) {
                size_t cl = strlen(brackets[b][1]);
                if (p + l != end || l != cl || memcmp(p, brackets[b][1], cl) != 0)
                    return s;        /* closed before the end, or by another */
                *len = (size_t)(p - s) - bl;
                return s + bl;
            }
            p += l;
        } else {
            p++;
        }
    }
    return s;
}

void unitname_split(const char *s, void (*emit)(void *ctx, const char *name, size_t len),
                 void *ctx)
{
    size_t n = strlen(s);
    s = trim_name(s, &n);
    const char *inner = unwrap(s, &n);
    if (inner != s)
        s = trim_name(inner, &n);
    const char *end = s + n;
    const char *p = s;
    for (;;) {
        const char *a = p;
        size_t sl = 0;
        int depth = 0;
        while (p < end) {
            unsigned char c = (unsigned char)*p;
            if (c != '(' && c != ')' && c != ',' && c != ';' && c != 0xE3 && c != 0xEF) {
                /* a byte that starts neither a bracket nor a separator, by
                 * one look; a whole three-byte character (most Chinese) is
                 * stepped over at once, anything else byte by byte, so that
                 * a broken character cannot hide the separator after it */
                if (c >= 0xE0 && c < 0xF0 && end - p >= 3 && ((unsigned char)p[1] & 0xC0) == 0x80 &&
                    ((unsigned char)p[2] & 0xC0) == 0x80)
                    p += 3;
                else
                    p++;
                continue;
            }
            int dir;
            size_t bl;
            if (bracket_at(p, end, &dir, &bl) >= 0) {
                depth += dir;
                if (depth < 0)
                    depth = 0;       /* a stray closing bracket */
                p += bl;
                continue;
            }
            if (depth == 0 && (sl = sep_len(p, end)) != 0)
                break;
            p++;
        }
        size_t len = (size_t)(p - a);
        a = trim_name(a, &len);
        if (len > 0)
            emit(ctx, a, len);
        if (p >= end)
            break;
        p += sl;
    }
}

/* Role words, longest first within each family, and what they suggest. */
#define RW(w, f) {(w), sizeof(w) - 1, (f)}
static const struct {
    const char *words;
    size_t len;
    const char *field;
} role_words[] = {
    RW("按职责分工分别落实", "each: true"), RW("按职责分工分别负责", "each: true"),
    RW("分别牵头落实", "each: true"), RW("分别牵头负责", "each: true"),
    RW("分别牵头", "each: true"), RW("分别落实", "each: true"), RW("分别负责", "each: true"),
    RW("牵头落实", "lead:"), RW("牵头负责", "lead:"), RW("牵头", "lead:"),
    RW("配合落实", "support:"), RW("协助落实", "support:"), RW("配合", "support:"),
    RW("协助", "support:"),
    RW("按职责分工负责", "responsible:"), RW("负责落实", "responsible:"),
    RW("负责", "responsible:"), RW("落实", "responsible:"),
};
#undef RW

bool unitname_role_words(const char *name, size_t len, size_t *unit_len, const char **words,
                         const char **field)
{
    /* Every role word ends in 实, 责, 头, 合 or 助: one look at the last
     * character turns away almost every name (this runs for each one). */
    if (len < 6)
        return false;
    const char *last = name + len - 3;
    if (memcmp(last, "实", 3) != 0 && memcmp(last, "责", 3) != 0 && memcmp(last, "头", 3) != 0 &&
        memcmp(last, "合", 3) != 0 && memcmp(last, "助", 3) != 0)
        return false;
    for (size_t i = 0; i < sizeof role_words / sizeof *role_words; i++) {
        size_t wl = role_words[i].len;
        if (len > wl && memcmp(name + len - wl, role_words[i].words, wl) == 0) {
            *unit_len = len - wl;
            *words = role_words[i].words;
            *field = role_words[i].field;
            return true;
        }
    }
    return false;
}
