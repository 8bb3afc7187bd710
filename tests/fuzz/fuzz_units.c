/* fuzz_units - splitting unit cells, compiling and matching queries, and
 * the per-plan unit index and search.
 *
 * Input: "QUERY|CELL": the bytes before the first '|' are a search query,
 * the rest a unit cell as a plan would hold it ("甲、乙，丙等").  Invariants
 * checked:
 *   - unitname_split yields non-empty, trimmed names without separators
 *     outside brackets and without a trailing 。, in order, inside the cell;
 *   - a query matches the text it was made from;
 *   - in a plan built from the cell (an item led by its names, a group of
 *     the first name with the others as members), units_search marks as
 *     matched exactly the units that units_query_match accepts, counts its
 *     items right, and reaches group items only through a matched member. */
#include "fuzz.h"

#include <stdbool.h>

#include "plan.h"
#include "unitname.h"
#include "units.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_locale();
    return 0;
}

typedef struct {
    const char *cell, *end;   /* the cell being split */
    const char *last;         /* end of the previous name */
    char **names;
    size_t n, cap;
} split_ctx;

static bool is_blank_at(const char *s, size_t n)
{
    return (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))) ||
           (n >= 2 && memcmp(s, "\xC2\xA0", 2) == 0) ||
           (n >= 3 && memcmp(s, "\xE3\x80\x80", 3) == 0);
}

static bool ends_blank(const char *s, size_t n)
{
    return (n >= 1 && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r'))) ||
           (n >= 2 && memcmp(s + n - 2, "\xC2\xA0", 2) == 0) ||
           (n >= 3 && memcmp(s + n - 3, "\xE3\x80\x80", 3) == 0);
}

/* A separator outside brackets (inside them it is part of the name). */
static bool has_separator(const char *s, size_t n)
{
    static const char *const seps[] = {"、", "，", "；"};
    static const char *const open[] = {"（", "(", "〔", "【", "《", "「"};
    static const char *const close[] = {"）", ")", "〕", "】", "》", "」"};
    int depth = 0;
    for (size_t i = 0; i < n;) {
        size_t step = 1;
        for (size_t k = 0; k < 6; k++) {
            size_t lo = strlen(open[k]), lc = strlen(close[k]);
            if (i + lo <= n && memcmp(s + i, open[k], lo) == 0)
                depth++, step = lo;
            else if (i + lc <= n && memcmp(s + i, close[k], lc) == 0)
                depth = depth ? depth - 1 : 0, step = lc;
        }
        if (step == 1 && depth == 0) {
            if (s[i] == ',' || s[i] == ';')
                return true;
            for (size_t k = 0; k < 3; k++)
                if (i + 3 <= n && memcmp(s + i, seps[k], 3) == 0)
                    return true;
        }
        i += step;
    }
    return false;
}

/* A trailing 。 is dropped from every name. */
static bool ends_full_stop(const char *s, size_t n)
{
    return n >= 3 && memcmp(s + n - 3, "。", 3) == 0;
}

static void emit(void *vctx, const char *name, size_t len)
{
    split_ctx *c = vctx;
    FUZZ_CHECK(len > 0);
    FUZZ_CHECK(name >= c->last && name + len <= c->end);
    FUZZ_CHECK(!is_blank_at(name, len) && !ends_blank(name, len));
    FUZZ_CHECK(!has_separator(name, len));
    FUZZ_CHECK(!ends_full_stop(name, len));
    c->last = name + len;
    xgrow((void **)&c->names, &c->cap, c->n + 1, sizeof *c->names);
    c->names[c->n++] = xstrndup(name, len);
}

static void check_search(const char *query, char **names, size_t n)
{
    static const plan_pos at = {1, 1};
    plan_builder *b = plan_build_new();
    plan_build_title(b, "fuzz");
    if (n >= 2) {
        plan_build_group(b, names[0], at);
        for (size_t i = 1; i < n; i++)
            plan_build_member(b, names[i]);
    }
    plan_build_goal(b, "1", "g", at);
    plan_build_task(b, "1.1", "t", at);
    plan_build_item(b, "1.1.1", "led by the cell", at);
    for (size_t i = 0; i < n; i++)
        plan_build_unit(b, PLAN_LEAD, names[i]);
    plan_build_item(b, "1.1.2", "the group's", at);
    if (n)
        plan_build_unit(b, PLAN_RESP, names[0]);
    diags d = {0};
    plan *p = plan_build_finish(b, "fuzz.yaml", &d);
    size_t errors = d.errors;
    for (size_t i = 0; i < d.n; i++)
        FUZZ_CHECK(fuzz_harmless(d.v[i].text, strlen(d.v[i].text), ""));
    diags_free(&d);
    if (errors) {
        plan_free(p);
        return;
    }
    units_index *ix = units_index_new(p);
    units_result r = {0};
    units_search(ix, query, &r);
    units_query *q = units_query_new(query);
    bool empty = units_query_match(q, "");   /* only a blank query matches "" */
    size_t matched = 0;
    for (size_t u = 0; u < p->n_units; u++) {
        bool self = !empty && units_query_match(q, p->units[u].name);
        FUZZ_CHECK((r.unit_hit[u] == 1) == self);
        FUZZ_CHECK(r.unit_hit[u] <= 2);
        matched += self;
        /* a group is reached only through a matching member */
        if (r.unit_hit[u] == 2) {
            FUZZ_CHECK(p->units[u].is_group);
            bool via = false;
            for (size_t g = 0; g < p->n_groups; g++)
                if (p->groups[g].unit == u)
                    for (uint32_t k = 0; k < p->groups[g].n_members; k++)
                        via = via || r.unit_hit[p->groups[g].members[k]] != 0;
            FUZZ_CHECK(via);
        }
    }
    FUZZ_CHECK(matched == r.n_units);
    size_t items = 0;
    for (size_t i = 0; i < p->n_items; i++)
        items += r.item_hit[i] != 0;
    FUZZ_CHECK(items == r.n_items);
    FUZZ_CHECK(r.n_items <= r.n_lead + r.n_resp + r.n_group);
    units_query_free(q);
    units_result_free(&r);
    units_index_free(ix);
    plan_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *all = fuzz_cstr(data, size);
    char *bar = strchr(all, '|');
    const char *cell = "";
    if (bar) {
        *bar = '\0';
        cell = bar + 1;
    }
    const char *query = all;

    split_ctx c = {cell, cell + strlen(cell), cell, NULL, 0, 0};
    unitname_split(cell, emit, &c);

    units_query *q = units_query_new(query);
    FUZZ_CHECK(units_query_match(q, query));
    units_query_match(q, cell);
    units_query_free(q);

    /* Plans hold valid UTF-8 only (the reader refuses the rest). */
    if (utf8_valid(cell, strlen(cell), NULL) && c.n <= 64)
        check_search(query, c.names, c.n);

    for (size_t i = 0; i < c.n; i++)
        free(c.names[i]);
    free(c.names);
    free(all);
    return 0;
}
