/* plan.c - the model: building, checking, looking up, counting. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "units.h"

#define DENG "\xe7\xad\x89"   /* 等, "and others" */
#define DENG_LEN 3

enum { KIND_GOAL = PLAN_GOAL, KIND_TASK = PLAN_TASK, KIND_ITEM = PLAN_ITEM };

plan *plan_new(void)
{
    return xcalloc(1, sizeof(plan));
}

void plan_free(plan *p)
{
    if (!p)
        return;
    free(p->goals);
    free(p->tasks);
    free(p->items);
    free(p->units);
    free(p->groups);
    for (int w = 0; w < 2; w++)
        free(p->pend[w]);
    sb_free(&p->pend_buf);
    free(p->gpend);
    free(p->gpend_n);
    strmap_free(&p->ids);
    strmap_free(&p->unit_names);
    arena_free(&p->mem);
    free(p);
}

static const char *dup(plan *p, const char *s)
{
    return s ? arena_strndup(&p->mem, s, strlen(s)) : NULL;
}

void plan_set_meta(plan *p, const char *key, const char *value)
{
    const char *v = dup(p, value);
    if (strcmp(key, "title") == 0)
        p->title = v;
    else if (strcmp(key, "issuer") == 0)
        p->issuer = v;
    else if (strcmp(key, "document") == 0)
        p->document = v;
    else if (strcmp(key, "date") == 0)
        p->date = v;
}

/* --- units --- */

static uint32_t unit_intern(plan *p, const char *name, size_t len)
{
    char tmp[256];
    char *key = len < sizeof tmp ? tmp : xmalloc(len + 1);
    memcpy(key, name, len);
    key[len] = '\0';
    uint32_t idx;
    if (!strmap_get(&p->unit_names, key, &idx)) {
        xgrow((void **)&p->units, &p->cap_units, p->n_units + 1, sizeof *p->units);
        idx = (uint32_t)p->n_units++;
        plan_unit *u = &p->units[idx];
        memset(u, 0, sizeof *u);
        u->name = arena_strndup(&p->mem, name, len);
        strmap_put(&p->unit_names, u->name, idx, NULL);
    }
    if (key != tmp)
        free(key);
    return idx;
}

/* Trim ASCII white space and U+3000 from both ends of s[0..*len). */
static const char *trim(const char *s, size_t *len)
{
    size_t n = *len;
    for (;;) {
        if (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')) {
            s++, n--;
        } else if (n >= 3 && memcmp(s, "\xe3\x80\x80", 3) == 0) {
            s += 3, n -= 3;
        } else {
            break;
        }
    }
    for (;;) {
        char c = n ? s[n - 1] : 0;
        if (n && (c == ' ' || c == '\t' || c == '\n' || c == '\r'))
            n--;
        else if (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0)
            n -= 3;
        else
            break;
    }
    *len = n;
    return s;
}

/* Intern the pending unit names of the last item: the last name loses a
 * trailing 等 (or is dropped if it is only 等) and sets the more flag;
 * repeated names are kept once. */
static void flush_units(plan *p)
{
    if (!p->n_items || !p->item_open)
        return;
    p->item_open = false;
    plan_item *it = &p->items[p->n_items - 1];
    for (int w = 0; w < 2; w++) {
        plan_units *pu = &it->who[w];
        size_t n = p->n_pend[w];
        pu->more = p->pend_more[w];
        pu->unit = n ? arena_alloc(&p->mem, n * sizeof *pu->unit) : NULL;
        pu->n = 0;
        for (size_t i = 0; i < n; i++) {
            const char *name = p->pend_buf.s + p->pend[w][i];
            size_t len = strlen(name);
            if (i == n - 1 && len >= DENG_LEN && memcmp(name + len - DENG_LEN, DENG, DENG_LEN) == 0) {
                len -= DENG_LEN;
                name = trim(name, &len);
                pu->more = true;
            }
            if (!len)
                continue;
            uint32_t u = unit_intern(p, name, len);
            bool seen = false;
            for (uint32_t j = 0; j < pu->n; j++)
                seen |= pu->unit[j] == u;
            if (seen)
                continue;
            pu->unit[pu->n++] = u;
            p->units[u].n_items[w]++;
        }
        p->n_pend[w] = 0;
        p->pend_more[w] = false;
    }
    sb_reset(&p->pend_buf);
}

/* Keep name[0..len) until the item's units are flushed: the names are only
 * interned then, so nothing of them stays in the arena. */
static void pend_unit(plan *p, int who, const char *name, size_t len)
{
    name = trim(name, &len);
    if (!len || !p->n_items)
        return;
    xgrow((void **)&p->pend[who], &p->cap_pend[who], p->n_pend[who] + 1, sizeof(size_t));
    p->pend[who][p->n_pend[who]++] = p->pend_buf.len;
    sb_add(&p->pend_buf, name, len);
    sb_addc(&p->pend_buf, '\0');
}

void plan_item_unit(plan *p, int who, const char *name)
{
    pend_unit(p, who, name, strlen(name));
}

typedef struct {
    plan *p;
    int who;
} split_ctx;

static void split_emit(void *ctx, const char *name, size_t len)
{
    split_ctx *c = ctx;
    pend_unit(c->p, c->who, name, len);
}

void plan_item_units_string(plan *p, int who, const char *s)
{
    split_ctx c = {p, who};
    units_split(s, split_emit, &c);
}

void plan_item_more(plan *p, int who, bool more)
{
    if (p->n_items)
        p->pend_more[who] = p->pend_more[who] || more;
}

/* --- groups --- */

void plan_group_add(plan *p, const char *name, plan_pos pos)
{
    xgrow((void **)&p->groups, &p->cap_groups, p->n_groups + 1, sizeof *p->groups);
    xgrow((void **)&p->gpend_n, &p->cap_gnames, p->n_groups + 1, sizeof *p->gpend_n);
    plan_group *g = &p->groups[p->n_groups];
    memset(g, 0, sizeof *g);
    g->pos = pos;
    p->gpend_n[p->n_groups] = 0;
    p->n_groups++;
    xgrow((void **)&p->gpend, &p->cap_gpend, p->n_gpend + 1, sizeof *p->gpend);
    p->gpend[p->n_gpend++] = dup(p, name);
}

void plan_group_member(plan *p, const char *name)
{
    size_t len = strlen(name);
    name = trim(name, &len);
    if (!p->n_groups || !len)
        return;
    xgrow((void **)&p->gpend, &p->cap_gpend, p->n_gpend + 1, sizeof *p->gpend);
    p->gpend[p->n_gpend++] = arena_strndup(&p->mem, name, len);
    p->gpend_n[p->n_groups - 1]++;
}

/* Intern the groups now that every item's units have their indices. */
static void finish_groups(plan *p, const char *file, diags *d)
{
    size_t k = 0;
    for (size_t g = 0; g < p->n_groups; g++) {
        plan_group *gr = &p->groups[g];
        const char *name = p->gpend[k++];
        uint32_t u = unit_intern(p, name, strlen(name));
        if (p->units[u].is_group)
            diags_add(d, DIAG_ERROR, file, gr->pos.line, gr->pos.col,
                      "group \"%s\" is declared twice", name);
        p->units[u].is_group = true;
        gr->unit = u;
        gr->members = arena_alloc(&p->mem, (p->gpend_n[g] + 1) * sizeof *gr->members);
        gr->n_members = 0;
        for (uint32_t m = 0; m < p->gpend_n[g]; m++) {
            const char *mn = p->gpend[k++];
            uint32_t mu = unit_intern(p, mn, strlen(mn));
            bool seen = mu == u;
            for (uint32_t j = 0; j < gr->n_members; j++)
                seen |= gr->members[j] == mu;
            if (!seen)
                gr->members[gr->n_members++] = mu;
        }
    }
    /* Each unit's list of the groups it belongs to. */
    for (size_t g = 0; g < p->n_groups; g++)
        for (uint32_t m = 0; m < p->groups[g].n_members; m++)
            p->units[p->groups[g].members[m]].n_groups++;
    for (size_t u = 0; u < p->n_units; u++) {
        plan_unit *un = &p->units[u];
        un->groups = un->n_groups ? arena_alloc(&p->mem, un->n_groups * sizeof *un->groups) : NULL;
        un->n_groups = 0;
    }
    for (size_t g = 0; g < p->n_groups; g++)
        for (uint32_t m = 0; m < p->groups[g].n_members; m++) {
            plan_unit *un = &p->units[p->groups[g].members[m]];
            un->groups[un->n_groups++] = (uint32_t)g;
        }
}

/* --- goals, tasks, items --- */

void plan_goal_add(plan *p, const char *id, const char *title, plan_pos pos)
{
    flush_units(p);
    xgrow((void **)&p->goals, &p->cap_goals, p->n_goals + 1, sizeof *p->goals);
    plan_goal *g = &p->goals[p->n_goals];
    memset(g, 0, sizeof *g);
    g->num = (uint32_t)p->n_goals + 1;
    g->id = dup(p, id);
    g->title = dup(p, title);
    g->first_task = (uint32_t)p->n_tasks;
    g->first_item = (uint32_t)p->n_items;
    g->pos = pos;
    p->n_goals++;
}

void plan_task_add(plan *p, const char *id, const char *title, plan_pos pos)
{
    if (!p->n_goals)
        plan_goal_add(p, NULL, "", pos);
    flush_units(p);
    plan_goal *g = &p->goals[p->n_goals - 1];
    xgrow((void **)&p->tasks, &p->cap_tasks, p->n_tasks + 1, sizeof *p->tasks);
    plan_task *t = &p->tasks[p->n_tasks];
    memset(t, 0, sizeof *t);
    t->goal = (uint32_t)p->n_goals - 1;
    t->num = ++g->n_tasks;
    t->id = dup(p, id);
    t->title = dup(p, title);
    t->first_item = (uint32_t)p->n_items;
    t->pos = pos;
    p->n_tasks++;
}

void plan_item_add(plan *p, const char *id, const char *text, plan_pos pos)
{
    if (!p->n_tasks)
        plan_task_add(p, NULL, "", pos);
    flush_units(p);
    plan_task *t = &p->tasks[p->n_tasks - 1];
    plan_goal *g = &p->goals[t->goal];
    xgrow((void **)&p->items, &p->cap_items, p->n_items + 1, sizeof *p->items);
    plan_item *it = &p->items[p->n_items];
    memset(it, 0, sizeof *it);
    it->task = (uint32_t)p->n_tasks - 1;
    it->num = ++t->n_items;
    g->n_items++;
    it->id = dup(p, id);
    it->text = dup(p, text);
    it->pos = pos;
    p->n_items++;
    p->item_open = true;
}

void plan_set_last(plan *p, int kind, const char *field, const char *value, plan_pos pos)
{
    const char **id = NULL, **text = NULL;
    plan_pos *id_pos = NULL;
    if (kind == KIND_GOAL && p->n_goals) {
        plan_goal *g = &p->goals[p->n_goals - 1];
        id = &g->id, text = &g->title, id_pos = &g->id_pos;
    } else if (kind == KIND_TASK && p->n_tasks) {
        plan_task *t = &p->tasks[p->n_tasks - 1];
        id = &t->id, text = &t->title, id_pos = &t->id_pos;
    } else if (kind == KIND_ITEM && p->n_items) {
        plan_item *it = &p->items[p->n_items - 1];
        id = &it->id, text = &it->text, id_pos = &it->id_pos;
    } else {
        return;
    }
    if (strcmp(field, "id") == 0) {
        *id = dup(p, value);
        *id_pos = pos;
    } else {
        *text = dup(p, value);
    }
}

/* Give every node without an id its default: goal "N", task "G.N",
 * item "T.N", from its position and its parent's (final) id. */
static void default_ids(plan *p)
{
    char buf[32];
    for (size_t i = 0; i < p->n_goals; i++) {
        plan_goal *g = &p->goals[i];
        if (!g->id) {
            int n = snprintf(buf, sizeof buf, "%u", g->num);
            g->id = arena_strndup(&p->mem, buf, (size_t)n);
        }
        if (!g->title)
            g->title = "";
    }
    for (size_t i = 0; i < p->n_tasks; i++) {
        plan_task *t = &p->tasks[i];
        if (!t->id) {
            size_t n = strlen(p->goals[t->goal].id) + 16;
            char *b = arena_alloc(&p->mem, n);
            snprintf(b, n, "%s.%u", p->goals[t->goal].id, t->num);
            t->id = b;
        }
        if (!t->title)
            t->title = "";
    }
    for (size_t i = 0; i < p->n_items; i++) {
        plan_item *it = &p->items[i];
        if (!it->id) {
            size_t n = strlen(p->tasks[it->task].id) + 16;
            char *b = arena_alloc(&p->mem, n);
            snprintf(b, n, "%s.%u", p->tasks[it->task].id, it->num);
            it->id = b;
        }
        if (!it->text)
            it->text = "";
    }
}

static const char *const kind_name[] = {"goal", "task", "item"};

static void put_id(plan *p, const char *id, int kind, uint32_t idx, plan_pos pos,
                   const char *file, diags *d)
{
    uint32_t old;
    if (strmap_put(&p->ids, id, (uint32_t)kind << 30 | idx, &old))
        return;
    int ok = (int)(old >> 30);
    uint32_t oi = old & ((1u << 30) - 1);
    plan_pos op = ok == KIND_GOAL ? p->goals[oi].id_pos
                : ok == KIND_TASK ? p->tasks[oi].id_pos : p->items[oi].id_pos;
    if (op.line)
        diags_add(d, DIAG_ERROR, file, pos.line, pos.col,
                  "duplicate id \"%s\": %s at line %u, column %u has it already; ids must be unique",
                  id, kind_name[ok], op.line, op.col);
    else
        diags_add(d, DIAG_ERROR, file, pos.line, pos.col,
                  "duplicate id \"%s\": another %s has it already; ids must be unique",
                  id, kind_name[ok]);
}

size_t plan_finish(plan *p, const char *file, diags *d)
{
    size_t before = d->errors;
    flush_units(p);
    p->n_item_units = p->n_units;
    finish_groups(p, file, d);
    free(p->gpend);
    free(p->gpend_n);
    p->gpend = NULL;
    p->gpend_n = NULL;
    default_ids(p);
    for (size_t i = 0; i < p->n_goals; i++) {
        plan_goal *g = &p->goals[i];
        if (!g->id_pos.line)
            g->id_pos = g->pos;
        put_id(p, g->id, KIND_GOAL, (uint32_t)i, g->id_pos, file, d);
    }
    for (size_t i = 0; i < p->n_tasks; i++) {
        plan_task *t = &p->tasks[i];
        if (!t->id_pos.line)
            t->id_pos = t->pos;
        put_id(p, t->id, KIND_TASK, (uint32_t)i, t->id_pos, file, d);
    }
    for (size_t i = 0; i < p->n_items; i++) {
        plan_item *it = &p->items[i];
        if (!it->id_pos.line)
            it->id_pos = it->pos;
        put_id(p, it->id, KIND_ITEM, (uint32_t)i, it->id_pos, file, d);
    }
    /* A reader reports missing and empty lists with their positions; these
     * checks catch what a reader (or a test building by hand) left out. */
    if (d->errors == before) {
        if (!p->title)
            diags_add(d, DIAG_ERROR, file, 1, 1, "the plan has no title");
        if (!p->n_goals)
            diags_add(d, DIAG_ERROR, file, 1, 1, "the plan has no goals");
        for (size_t i = 0; i < p->n_goals; i++)
            if (!p->goals[i].n_tasks)
                diags_add(d, DIAG_ERROR, file, p->goals[i].pos.line, p->goals[i].pos.col,
                          "goal \"%s\" has no tasks", p->goals[i].id);
        for (size_t i = 0; i < p->n_tasks; i++)
            if (!p->tasks[i].n_items)
                diags_add(d, DIAG_ERROR, file, p->tasks[i].pos.line, p->tasks[i].pos.col,
                          "task \"%s\" has no items", p->tasks[i].id);
    }
    plan_recount(p);
    return d->errors - before;
}

bool plan_find_node(const plan *p, const char *id, int *kind, uint32_t *index)
{
    uint32_t v;
    if (!strmap_get(&p->ids, id, &v))
        return false;
    *kind = (int)(v >> 30);
    *index = v & ((1u << 30) - 1);
    return true;
}

plan_item *plan_find_item(const plan *p, const char *id)
{
    int kind;
    uint32_t idx;
    if (!plan_find_node(p, id, &kind, &idx) || kind != KIND_ITEM)
        return NULL;
    return &p->items[idx];
}

void plan_recount(plan *p)
{
    p->done = 0;
    for (size_t i = 0; i < p->n_goals; i++)
        p->goals[i].done = 0;
    for (size_t i = 0; i < p->n_tasks; i++)
        p->tasks[i].done = 0;
    for (size_t i = 0; i < p->n_units; i++)
        p->units[i].done_items[0] = p->units[i].done_items[1] = 0;
    for (size_t i = 0; i < p->n_items; i++) {
        plan_item *it = &p->items[i];
        if (!it->done)
            continue;
        plan_task *t = &p->tasks[it->task];
        t->done++;
        p->goals[t->goal].done++;
        p->done++;
        for (int w = 0; w < 2; w++)
            for (uint32_t k = 0; k < it->who[w].n; k++)
                p->units[it->who[w].unit[k]].done_items[w]++;
    }
}

void plan_clear_done(plan *p)
{
    for (size_t i = 0; i < p->n_items; i++) {
        p->items[i].done = false;
        p->items[i].done_at = NULL;
        p->items[i].done_by = NULL;
    }
}
