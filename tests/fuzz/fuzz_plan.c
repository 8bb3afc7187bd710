/* fuzz_plan - the YAML plan reader, the model and every CLI output of it.
 *
 * Input: a plan file's bytes, handed to plan_parse in a buffer of exactly
 * that size (no NUL after it, so reading past the end is caught).
 * Invariants checked:
 *   - plan_parse returns a plan, or NULL with at least one error;
 *   - every message is harmless (no control character from the file);
 *   - the model is consistent: ranges contiguous, indices in bounds, every
 *     id found again by plan_find_node, counts adding up;
 *   - --report, --export json/csv/md (with half the items done, and with a
 *     unit filter) print nothing harmful, and the JSON export is strict
 *     RFC 8259 JSON (json_strict_check);
 *   - a unit search finds the items of exactly the units it says match. */
#include "fuzz.h"

#include <stdbool.h>

#include "json_strict.h"
#include "plan.h"
#include "report.h"
#include "units.h"
#include "util.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_locale();
    return 0;
}

static void check_model(const plan *p)
{
    FUZZ_CHECK(p->n_goals > 0 && p->title);
    size_t task = 0, item = 0;
    for (size_t g = 0; g < p->n_goals; g++) {
        const plan_goal *go = &p->goals[g];
        FUZZ_CHECK(go->id && go->title && go->num == g + 1);
        FUZZ_CHECK(go->first_task == task && go->n_tasks > 0);
        FUZZ_CHECK(go->first_item == item);
        int kind;
        uint32_t ix;
        FUZZ_CHECK(plan_find_node(p, go->id, &kind, &ix) && kind == PLAN_GOAL && ix == g);
        for (uint32_t t = go->first_task; t < go->first_task + go->n_tasks; t++) {
            const plan_task *ta = &p->tasks[t];
            FUZZ_CHECK(ta->id && ta->title && ta->goal == g && ta->num == t - go->first_task + 1);
            FUZZ_CHECK(ta->first_item == item && ta->n_items > 0);
            /* a goal's own items sit in an implicit task: its only one, with
             * the goal's id, which finds the goal */
            if (ta->implicit)
                FUZZ_CHECK(go->n_tasks == 1 && plan_find_node(p, ta->id, &kind, &ix) &&
                           kind == PLAN_GOAL && ix == g);
            else
                FUZZ_CHECK(plan_find_node(p, ta->id, &kind, &ix) && kind == PLAN_TASK && ix == t);
            for (uint32_t i = ta->first_item; i < ta->first_item + ta->n_items; i++) {
                const plan_item *it = &p->items[i];
                FUZZ_CHECK(it->id && it->text && it->task == t);
                FUZZ_CHECK(it->num == i - ta->first_item + 1);
                FUZZ_CHECK(plan_find_item(p, it->id) == it);
                FUZZ_CHECK(it->shown >= it->num && it->shown <= i + 1);
                for (int w = 0; w < PLAN_ROLES; w++)
                    for (uint32_t k = 0; k < it->who[w].n; k++)
                        FUZZ_CHECK(it->who[w].unit[k] < p->n_units);
            }
            item += ta->n_items;
        }
        task += go->n_tasks;
        FUZZ_CHECK(go->n_items == item - go->first_item);
    }
    FUZZ_CHECK(task == p->n_tasks && item == p->n_items);
    /* The walk visits every node once, in plan order, but implicit tasks. */
    size_t seen[PLAN_KINDS] = {0};
    int kind = -1;
    uint32_t ix = 0;
    while (plan_next_node(p, &kind, &ix)) {
        while (kind == PLAN_ITEM && seen[PLAN_TASK] < p->n_tasks &&
               p->tasks[seen[PLAN_TASK]].implicit && p->items[ix].task == seen[PLAN_TASK])
            seen[PLAN_TASK]++;   /* skipped: an implicit task */
        FUZZ_CHECK(kind >= 0 && kind < PLAN_KINDS && ix == seen[kind]);
        FUZZ_CHECK(kind != PLAN_TASK || !p->tasks[ix].implicit);
        seen[kind]++;
    }
    FUZZ_CHECK(seen[PLAN_GOAL] == p->n_goals && seen[PLAN_TASK] == p->n_tasks &&
               seen[PLAN_ITEM] == p->n_items);
    for (size_t u = 0; u < p->n_units; u++) {
        const plan_unit *un = &p->units[u];
        FUZZ_CHECK(un->name && un->name[0]);
        for (int w = 0; w < PLAN_ROLES; w++)
            FUZZ_CHECK(un->n_items[w] <= p->n_items);
        for (uint32_t k = 0; k < un->n_groups; k++)
            FUZZ_CHECK(un->groups[k] < p->n_groups);
    }
    for (size_t g = 0; g < p->n_groups; g++) {
        FUZZ_CHECK(p->groups[g].unit < p->n_units);
        for (uint32_t k = 0; k < p->groups[g].n_members; k++)
            FUZZ_CHECK(p->groups[g].members[k] < p->n_units);
    }
}

/* Run one output into memory and check it. */
static void check_output(const plan *p, const char *fmt, const units_result *r,
                         const char *query)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    FUZZ_CHECK(f != NULL);
    if (strcmp(fmt, "report") == 0)
        report_text(f, p, r, query);
    else
        FUZZ_CHECK(report_export(f, p, fmt, r ? r->item_hit : NULL) == 0);
    FUZZ_CHECK(fclose(f) == 0);
    /* CSV ends its records with CRLF (RFC 4180); nothing else has a CR. */
    FUZZ_CHECK(fuzz_harmless(buf, len, strcmp(fmt, "csv") == 0 ? "\r\n" : "\n"));
    if (strcmp(fmt, "json") == 0) {
        json_strict js;
        bool ok = json_strict_check(&js, buf, len, -1, -1);
        if (!ok)
            fprintf(stderr, "export json: %s at byte %zu\n", js.msg, js.err_offset);
        json_strict_free(&js);
        FUZZ_CHECK(ok);
    }
    free(buf);
}

static void check_search(const plan *p, const units_index *ix, const char *q)
{
    units_result r = {0};
    units_search(ix, q, &r);
    units_query *cq = units_query_new(q);
    /* A query that trims to nothing matches every name alone ("" too), and
     * nothing in a search; any other query matches "" with neither form. */
    bool empty = units_query_match(cq, "");
    size_t matched = 0;
    for (size_t u = 0; u < p->n_units; u++) {
        if (empty) {
            FUZZ_CHECK(r.unit_hit[u] == 0);
            continue;
        }
        bool self = units_query_match(cq, p->units[u].name);
        FUZZ_CHECK((r.unit_hit[u] == 1) == self);
        matched += self;
    }
    FUZZ_CHECK(matched == r.n_units);
    size_t items = 0;
    for (size_t i = 0; i < p->n_items; i++)
        items += r.item_hit[i] != 0;
    FUZZ_CHECK(items == r.n_items);
    check_output(p, "report", &r, q);
    check_output(p, "json", &r, q);
    units_query_free(cq);
    units_result_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Exactly size bytes, no terminator: an overread is an ASan error. */
    char *buf = malloc(size ? size : 1);
    FUZZ_CHECK(buf != NULL);
    if (size)
        memcpy(buf, data, size);
    diags d = {0};
    plan *p = plan_parse("fuzz.yaml", buf, size, &d);
    free(buf);
    if (!p)
        FUZZ_CHECK(d.errors > 0);
    for (size_t i = 0; i < d.n; i++)
        FUZZ_CHECK(fuzz_harmless(d.v[i].text, strlen(d.v[i].text), ""));
    diags_free(&d);
    if (!p)
        return 0;

    check_model(p);
    /* Half the items done, every second one of those with a hostile time:
     * the outputs must sanitise it. */
    for (size_t i = 0; i < p->n_items; i += 2) {
        p->items[i].done = true;
        p->items[i].done_at = i % 4 ? "2026-11-26T18:42:08+08:00" : "20\x1b[2J\x07\xc2\x9b\xe2\x80\xae";
    }
    plan_recount(p);
    FUZZ_CHECK(p->done == (p->n_items + 1) / 2);
    size_t sum = 0;
    for (size_t g = 0; g < p->n_goals; g++)
        sum += p->goals[g].done;
    FUZZ_CHECK(sum == p->done);
    static const char *const fmts[] = {"report", "json", "csv", "md"};
    for (size_t k = 0; k < 4; k++)
        check_output(p, fmts[k], NULL, NULL);

    units_index *ix = units_index_new(p);
    check_search(p, ix, "qu");
    if (p->n_units > 0)
        check_search(p, ix, p->units[p->n_units - 1].name);
    units_index_free(ix);

    plan_clear_done(p);
    plan_recount(p);
    FUZZ_CHECK(p->done == 0);
    plan_free(p);
    return 0;
}
