/* fuzz.h - what the fuzz targets (tests/fuzz/fuzz_*.c) share.
 *
 * Each target defines the two libFuzzer entry points below.  The same
 * source is built twice: with clang -fsanitize=fuzzer by `make fuzz`
 * (build/fuzz/), and into a replay program with a main() of its own by the
 * regular build (tests/tools/replay_*.c, run by tests/fuzz/replay.sh), so
 * every saved input keeps being tested without libFuzzer.
 *
 * A target checks invariants with FUZZ_CHECK: a violation prints what and
 * where, then aborts, which libFuzzer records as a crash. */
#ifndef PLANDASH_FUZZ_H
#define PLANDASH_FUZZ_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Called once before the first input (may be NULL arguments). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
/* Run one input; returns 0 (libFuzzer reserves other values). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond) \
    ((cond) ? (void)0 : fuzz_fail(#cond, __FILE__, __LINE__))

static inline void fuzz_fail(const char *what, const char *file, int line)
{
    fprintf(stderr, "%s:%d: fuzz invariant violated: %s\n", file, line, what);
    abort();
}

/* The character type every plandash process runs with (main() guarantees a
 * UTF-8 one): wcwidth() and so every width depends on it. */
static inline void fuzz_locale(void)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "C.utf8"))
        setlocale(LC_CTYPE, "");
}

/* A NUL-terminated copy of data[0..size) (an embedded NUL ends the string
 * early, as it would for any C string the program handles). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Is s[0..n) safe to print on a terminal: valid UTF-8 with no C0 control
 * but those in allowed (e.g. "\n"), no DEL, no C1 control, no bidi or line
 * separator control?  This is what sanitised text promises. */
static inline bool fuzz_harmless(const char *s, size_t n, const char *allowed)
{
    if (!utf8_valid(s, n, NULL))
        return false;
    while (n) {
        uint32_t cp;
        size_t k = utf8_decode(s, n, &cp);
        if (cp < 0x20 && (cp == 0 || !strchr(allowed, (int)cp)))
            return false;
        if (cp >= 0x7F && cp < 0xA0)
            return false;
        if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
            cp == 0x200E || cp == 0x200F || cp == 0x061C || cp == 0x2028 || cp == 0x2029)
            return false;
        s += k;
        n -= k;
    }
    return true;
}

#endif
