/* fuzz_import - plandash --import's conversion of a notice or a CSV into
 * plan YAML.
 *
 * Input: a file's bytes (any encoding), handed to import_convert in a
 * buffer of exactly that size.  Invariants checked:
 *   - it returns true with YAML, or false with at least one error;
 *   - every message is harmless, one line, and names the file;
 *   - the YAML is valid UTF-8 with no control character but newlines;
 *   - the YAML loads with today's reader (plan_parse) without an error,
 *     unless it holds a goal with items directly (a two-level plan, which
 *     the reader learns with issue 11);
 *   - converting the same input twice gives the same YAML. */
#include "fuzz.h"

#include <stdbool.h>

#include "import.h"
#include "plan.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_locale();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    strbuf out = {0};
    diags d = {0};
    bool ok = import_convert("fuzz.txt", (const char *)data, size, &out, &d);
    FUZZ_CHECK(ok || d.errors > 0);
    FUZZ_CHECK(!ok || d.errors == 0);
    for (size_t i = 0; i < d.n; i++) {
        FUZZ_CHECK(fuzz_harmless(d.v[i].text, strlen(d.v[i].text), ""));
        FUZZ_CHECK(strncmp(d.v[i].text, "fuzz.txt:", 9) == 0);
    }
    if (ok) {
        FUZZ_CHECK(out.len > 0 && out.s[out.len - 1] == '\n');
        FUZZ_CHECK(fuzz_harmless(out.s, out.len, "\n"));
        strbuf again = {0};
        diags d2 = {0};
        FUZZ_CHECK(import_convert("fuzz.txt", (const char *)data, size, &again, &d2));
        FUZZ_CHECK(again.len == out.len && memcmp(again.s, out.s, out.len) == 0);
        FUZZ_CHECK(d2.n == d.n);
        sb_free(&again);
        diags_free(&d2);
        if (!strstr(out.s, "\n    items:\n")) {
            diags pd = {0};
            plan *p = plan_parse("fuzz.yaml", out.s, out.len, &pd);
            if (!p)
                for (size_t i = 0; i < pd.n; i++)
                    fprintf(stderr, "%s\n", pd.v[i].text);
            FUZZ_CHECK(p != NULL);
            plan_free(p);
            diags_free(&pd);
        }
    }
    sb_free(&out);
    diags_free(&d);
    return 0;
}
