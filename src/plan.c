/* plan.c - the model: building, checking, looking up, counting. */
#include "plan.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "unitname.h"

#define DENG "等"   /* "and others" */
#define DENG_LEN (sizeof DENG - 1)

struct plan_builder {
    plan *p;                  /* the plan being built */
    size_t cap_goals, cap_tasks, cap_items, cap_units, cap_groups;
    size_t *pend[PLAN_ROLES]; /* unit names of the item being built: offsets in pend_buf */
    strbuf pend_buf;          /* their text, NUL-separated, reused item after item */
    size_t n_pend[PLAN_ROLES], cap_pend[PLAN_ROLES];
    bool pend_more[PLAN_ROLES];  /* its explicit *_more flags */
    bool item_open;           /* the last item's units are still pending */
    const char **gpend;       /* group names and members, until finish */
    uint32_t *gpend_n;        /* per pending group: members that follow it */
    size_t n_gpend, cap_gpend, cap_gnames;
    struct level_unit *lvl;   /* units set on the plan, goals and tasks */
    size_t n_lvl, cap_lvl;
    strbuf lvl_buf;           /* their names, NUL-separated */
};

/* A unit set on a level above the items (plan_build_level_unit). */
struct level_unit {
    int kind;                 /* PLAN_PLAN, PLAN_GOAL or PLAN_TASK */
    uint32_t index;           /* of the goal or task */
    int role;
    size_t name;              /* offset in lvl_buf; SIZE_MAX: the more flag */
    uint32_t unit;            /* interned in plan_build_finish */
};

plan_builder *plan_build_new(void)
{
    plan_builder *b = xcalloc(1, sizeof *b);
    b->p = xcalloc(1, sizeof *b->p);
    return b;
}

/* Free the builder's scratch state, not the plan. */
static void builder_free(plan_builder *b)
{
    for (int w = 0; w < PLAN_ROLES; w++)
        free(b->pend[w]);
    sb_free(&b->pend_buf);
    free(b->gpend);
    free(b->gpend_n);
    free(b->lvl);
    sb_free(&b->lvl_buf);
    free(b);
}

void plan_build_free(plan_builder *b)
{
    if (!b)
        return;
    plan_free(b->p);
    builder_free(b);
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
    strmap_free(&p->ids);
    strmap_free(&p->unit_names);
    arena_free(&p->mem);
    free(p);
}

static const char *dup(plan *p, const char *s)
{
    return s ? arena_strndup(&p->mem, s, strlen(s)) : NULL;
}

void plan_build_title(plan_builder *b, const char *title)
{
    b->p->title = dup(b->p, title);
}

void plan_build_issuer(plan_builder *b, const char *issuer)
{
    b->p->issuer = dup(b->p, issuer);
}

void plan_build_document(plan_builder *b, const char *document)
{
    b->p->document = dup(b->p, document);
}

void plan_build_date(plan_builder *b, const char *date)
{
    b->p->date = dup(b->p, date);
}

/* --- units --- */

static uint32_t unit_intern(plan_builder *b, const char *name, size_t len)
{
    plan *p = b->p;
    char tmp[256];
    char *key = len < sizeof tmp ? tmp : xmalloc(len + 1);
    memcpy(key, name, len);
    key[len] = '\0';
    uint32_t idx;
    if (!strmap_get(&p->unit_names, key, &idx)) {
        xgrow((void **)&p->units, &b->cap_units, p->n_units + 1, sizeof *p->units);
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

/* Intern the pending unit names of the last item: the last name loses a
 * trailing 等 (or is dropped if it is only 等) and sets the more flag;
 * repeated names are kept once. */
static void flush_units(plan_builder *b)
{
    plan *p = b->p;
    if (!p->n_items || !b->item_open)
        return;
    b->item_open = false;
    plan_item *it = &p->items[p->n_items - 1];
    for (int w = 0; w < PLAN_ROLES; w++) {
        plan_units *pu = &it->who[w];
        size_t n = b->n_pend[w];
        pu->more = b->pend_more[w];
        pu->unit = n ? arena_alloc(&p->mem, n * sizeof *pu->unit) : NULL;
        pu->n = 0;
        for (size_t i = 0; i < n; i++) {
            const char *name = b->pend_buf.s + b->pend[w][i];
            size_t len = strlen(name);
            if (i == n - 1 && len >= DENG_LEN && memcmp(name + len - DENG_LEN, DENG, DENG_LEN) == 0) {
                len -= DENG_LEN;
                name = text_trim(name, &len);
                pu->more = true;
            }
            if (!len)
                continue;
            uint32_t u = unit_intern(b, name, len);
            bool seen = false;
            for (uint32_t j = 0; j < pu->n; j++)
                seen |= pu->unit[j] == u;
            if (seen)
                continue;
            pu->unit[pu->n++] = u;
            p->units[u].n_items[w]++;
        }
        b->n_pend[w] = 0;
        b->pend_more[w] = false;
    }
    sb_reset(&b->pend_buf);
}

/* Keep name[0..len) until the item's units are flushed: the names are only
 * interned then, so nothing of them stays in the arena. */
static void pend_unit(plan_builder *b, int role, const char *name, size_t len)
{
    name = text_trim(name, &len);
    if (!len || !b->p->n_items || role < 0 || role >= PLAN_ROLES)
        return;
    xgrow((void **)&b->pend[role], &b->cap_pend[role], b->n_pend[role] + 1, sizeof(size_t));
    b->pend[role][b->n_pend[role]++] = b->pend_buf.len;
    sb_add(&b->pend_buf, name, len);
    sb_addc(&b->pend_buf, '\0');
}

void plan_build_unit(plan_builder *b, int role, const char *name)
{
    pend_unit(b, role, name, strlen(name));
}

typedef struct {
    plan_builder *b;
    int role;
} split_ctx;

static void split_emit(void *ctx, const char *name, size_t len)
{
    split_ctx *c = ctx;
    pend_unit(c->b, c->role, name, len);
}

void plan_build_units_string(plan_builder *b, int role, const char *s)
{
    split_ctx c = {b, role};
    unitname_split(s, split_emit, &c);
}

void plan_build_more(plan_builder *b, int role, bool more)
{
    if (b->p->n_items && role >= 0 && role < PLAN_ROLES)
        b->pend_more[role] = b->pend_more[role] || more;
}

/* The index of the last node of a level; false if there is none. */
static bool level_index(const plan_builder *b, int kind, uint32_t *index)
{
    const plan *p = b->p;
    if (kind == PLAN_PLAN)
        *index = 0;
    else if (kind == PLAN_GOAL && p->n_goals)
        *index = (uint32_t)p->n_goals - 1;
    else if (kind == PLAN_TASK && p->n_tasks)
        *index = (uint32_t)p->n_tasks - 1;
    else
        return false;
    return true;
}

/* Record name[0..len) (or, name NULL, the more flag) for a level. */
static void level_add(plan_builder *b, int kind, int role, const char *name, size_t len)
{
    uint32_t index;
    if (role < 0 || role >= PLAN_ROLES || !level_index(b, kind, &index))
        return;
    size_t off = SIZE_MAX;
    if (name) {
        name = text_trim(name, &len);
        if (len >= DENG_LEN && memcmp(name + len - DENG_LEN, DENG, DENG_LEN) == 0) {
            len -= DENG_LEN;    /* "甲等": 甲 and others */
            name = text_trim(name, &len);
            level_add(b, kind, role, NULL, 0);
        }
        if (!len)
            return;
        off = b->lvl_buf.len;
        sb_add(&b->lvl_buf, name, len);
        sb_addc(&b->lvl_buf, '\0');
    }
    xgrow((void **)&b->lvl, &b->cap_lvl, b->n_lvl + 1, sizeof *b->lvl);
    struct level_unit *e = &b->lvl[b->n_lvl++];
    e->kind = kind;
    e->index = index;
    e->role = role;
    e->name = off;
    e->unit = 0;
}

void plan_build_level_unit(plan_builder *b, int kind, int role, const char *name)
{
    level_add(b, kind, role, name, strlen(name));
}

typedef struct {
    plan_builder *b;
    int kind, role;
} level_ctx;

static void level_emit(void *ctx, const char *name, size_t len)
{
    level_ctx *c = ctx;
    level_add(c->b, c->kind, c->role, name, len);
}

void plan_build_level_units_string(plan_builder *b, int kind, int role, const char *s)
{
    level_ctx c = {b, kind, role};
    unitname_split(s, level_emit, &c);
}

void plan_build_level_more(plan_builder *b, int kind, int role, bool more)
{
    if (more)
        level_add(b, kind, role, NULL, 0);
}

void plan_build_each(plan_builder *b, bool each)
{
    if (b->p->n_items)
        b->p->items[b->p->n_items - 1].each = each;
}

void plan_build_numbering(plan_builder *b, int numbering)
{
    if (numbering >= PLAN_NUM_TASK && numbering <= PLAN_NUM_PLAN)
        b->p->numbering = numbering;
}

/* Add the units set on the levels above each item to its own (after
 * them, nearest level first, each unit once). */
static void apply_levels(plan_builder *b)
{
    plan *p = b->p;
    if (!b->n_lvl)
        return;
    /* Bucket the entries: 0 the plan, 1 + g a goal, 1 + n_goals + t a task. */
    size_t nb = 1 + p->n_goals + p->n_tasks;
    size_t *off = xcalloc(nb + 1, sizeof *off);
    uint32_t *ent = xmalloc(b->n_lvl * sizeof *ent);
    for (size_t k = 0; k < b->n_lvl; k++) {
        struct level_unit *e = &b->lvl[k];
        e->index = e->kind == PLAN_PLAN ? 0 : e->kind == PLAN_GOAL ? 1 + e->index
                                            : 1 + (uint32_t)p->n_goals + e->index;
        if (e->name != SIZE_MAX) {
            const char *nm = b->lvl_buf.s + e->name;
            e->unit = unit_intern(b, nm, strlen(nm));
        }
        off[e->index + 1]++;
    }
    for (size_t k = 0; k < nb; k++)
        off[k + 1] += off[k];
    size_t *fill = xmalloc((nb + 1) * sizeof *fill);
    memcpy(fill, off, (nb + 1) * sizeof *fill);
    for (size_t k = 0; k < b->n_lvl; k++)
        ent[fill[b->lvl[k].index]++] = (uint32_t)k;
    free(fill);
    for (size_t i = 0; i < p->n_items; i++) {
        plan_item *it = &p->items[i];
        size_t bucket[3] = {1 + p->n_goals + it->task, 1 + p->tasks[it->task].goal, 0};
        for (int w = 0; w < PLAN_ROLES; w++) {
            plan_units *pu = &it->who[w];
            size_t extra = 0;
            for (int l = 0; l < 3; l++)
                for (size_t k = off[bucket[l]]; k < off[bucket[l] + 1]; k++) {
                    const struct level_unit *e = &b->lvl[ent[k]];
                    if (e->role != w)
                        continue;
                    if (e->name == SIZE_MAX)
                        pu->more = true;
                    else
                        extra++;
                }
            if (!extra)
                continue;
            uint32_t *u = arena_alloc(&p->mem, (pu->n + extra) * sizeof *u);
            if (pu->n)
                memcpy(u, pu->unit, pu->n * sizeof *u);
            pu->unit = u;
            for (int l = 0; l < 3; l++)
                for (size_t k = off[bucket[l]]; k < off[bucket[l] + 1]; k++) {
                    const struct level_unit *e = &b->lvl[ent[k]];
                    if (e->role != w || e->name == SIZE_MAX)
                        continue;
                    bool seen = false;
                    for (uint32_t j = 0; j < pu->n && !seen; j++)
                        seen = pu->unit[j] == e->unit;
                    if (seen)
                        continue;
                    pu->unit[pu->n++] = e->unit;
                    p->units[e->unit].n_items[w]++;
                }
        }
    }
    free(off);
    free(ent);
}

/* Each item's number as printed, by the plan's numbering. */
static void number_items(plan *p)
{
    uint32_t run = 0, goal = UINT32_MAX;
    for (size_t i = 0; i < p->n_items; i++) {
        plan_item *it = &p->items[i];
        uint32_t g = p->tasks[it->task].goal;
        if (p->numbering == PLAN_NUM_TASK)
            it->shown = it->num;
        else if (p->numbering == PLAN_NUM_PLAN)
            it->shown = (uint32_t)i + 1;
        else {
            if (g != goal)
                run = 0, goal = g;
            it->shown = ++run;
        }
    }
}

/* --- groups --- */

void plan_build_group(plan_builder *b, const char *name, plan_pos pos)
{
    plan *p = b->p;
    xgrow((void **)&p->groups, &b->cap_groups, p->n_groups + 1, sizeof *p->groups);
    xgrow((void **)&b->gpend_n, &b->cap_gnames, p->n_groups + 1, sizeof *b->gpend_n);
    plan_group *g = &p->groups[p->n_groups];
    memset(g, 0, sizeof *g);
    g->pos = pos;
    b->gpend_n[p->n_groups] = 0;
    p->n_groups++;
    xgrow((void **)&b->gpend, &b->cap_gpend, b->n_gpend + 1, sizeof *b->gpend);
    b->gpend[b->n_gpend++] = dup(p, name);
}

void plan_build_member(plan_builder *b, const char *name)
{
    size_t len = strlen(name);
    name = text_trim(name, &len);
    if (!b->p->n_groups || !len)
        return;
    xgrow((void **)&b->gpend, &b->cap_gpend, b->n_gpend + 1, sizeof *b->gpend);
    b->gpend[b->n_gpend++] = arena_strndup(&b->p->mem, name, len);
    b->gpend_n[b->p->n_groups - 1]++;
}

/* Intern the groups now that every item's units have their indices. */
static void finish_groups(plan_builder *b, const char *file, diags *d)
{
    plan *p = b->p;
    size_t k = 0;
    for (size_t g = 0; g < p->n_groups; g++) {
        plan_group *gr = &p->groups[g];
        const char *name = b->gpend[k++];
        uint32_t u = unit_intern(b, name, strlen(name));
        if (p->units[u].is_group)
            diags_add(d, DIAG_ERROR, file, gr->pos.line, gr->pos.col,
                      "group \"%s\" is declared twice", name);
        p->units[u].is_group = true;
        gr->unit = u;
        gr->members = arena_alloc(&p->mem, (b->gpend_n[g] + 1) * sizeof *gr->members);
        gr->n_members = 0;
        for (uint32_t m = 0; m < b->gpend_n[g]; m++) {
            const char *mn = b->gpend[k++];
            uint32_t mu = unit_intern(b, mn, strlen(mn));
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

static void add_goal(plan_builder *b, plan_pos pos)
{
    plan *p = b->p;
    flush_units(b);
    xgrow((void **)&p->goals, &b->cap_goals, p->n_goals + 1, sizeof *p->goals);
    plan_goal *g = &p->goals[p->n_goals];
    memset(g, 0, sizeof *g);
    g->num = (uint32_t)p->n_goals + 1;
    g->first_task = (uint32_t)p->n_tasks;
    g->first_item = (uint32_t)p->n_items;
    g->pos = pos;
    p->n_goals++;
}

static void add_task(plan_builder *b, plan_pos pos)
{
    plan *p = b->p;
    if (!p->n_goals)
        add_goal(b, pos);
    flush_units(b);
    plan_goal *g = &p->goals[p->n_goals - 1];
    xgrow((void **)&p->tasks, &b->cap_tasks, p->n_tasks + 1, sizeof *p->tasks);
    plan_task *t = &p->tasks[p->n_tasks];
    memset(t, 0, sizeof *t);
    t->goal = (uint32_t)p->n_goals - 1;
    t->num = ++g->n_tasks;
    t->first_item = (uint32_t)p->n_items;
    t->pos = pos;
    p->n_tasks++;
}

static void add_item(plan_builder *b, plan_pos pos)
{
    plan *p = b->p;
    if (!p->n_tasks)
        add_task(b, pos);
    flush_units(b);
    plan_task *t = &p->tasks[p->n_tasks - 1];
    plan_goal *g = &p->goals[t->goal];
    xgrow((void **)&p->items, &b->cap_items, p->n_items + 1, sizeof *p->items);
    plan_item *it = &p->items[p->n_items];
    memset(it, 0, sizeof *it);
    it->task = (uint32_t)p->n_tasks - 1;
    it->num = ++t->n_items;
    g->n_items++;
    it->pos = pos;
    p->n_items++;
    b->item_open = true;
}

void plan_build_goal_items(plan_builder *b, plan_pos pos)
{
    add_task(b, pos);
    b->p->tasks[b->p->n_tasks - 1].implicit = true;
}

void plan_build_node(plan_builder *b, int kind, plan_pos pos)
{
    if (kind == PLAN_GOAL)
        add_goal(b, pos);
    else if (kind == PLAN_TASK)
        add_task(b, pos);
    else if (kind == PLAN_ITEM)
        add_item(b, pos);
}

void plan_build_goal(plan_builder *b, const char *id, const char *title, plan_pos pos)
{
    add_goal(b, pos);
    plan_goal *g = &b->p->goals[b->p->n_goals - 1];
    g->id = dup(b->p, id);
    g->title = dup(b->p, title);
}

void plan_build_task(plan_builder *b, const char *id, const char *title, plan_pos pos)
{
    add_task(b, pos);
    plan_task *t = &b->p->tasks[b->p->n_tasks - 1];
    t->id = dup(b->p, id);
    t->title = dup(b->p, title);
}

void plan_build_item(plan_builder *b, const char *id, const char *text, plan_pos pos)
{
    add_item(b, pos);
    plan_item *it = &b->p->items[b->p->n_items - 1];
    it->id = dup(b->p, id);
    it->text = dup(b->p, text);
}

void plan_build_id(plan_builder *b, int kind, const char *id, plan_pos pos)
{
    plan *p = b->p;
    if (kind == PLAN_GOAL && p->n_goals) {
        p->goals[p->n_goals - 1].id = dup(p, id);
        p->goals[p->n_goals - 1].id_pos = pos;
    } else if (kind == PLAN_TASK && p->n_tasks) {
        p->tasks[p->n_tasks - 1].id = dup(p, id);
        p->tasks[p->n_tasks - 1].id_pos = pos;
    } else if (kind == PLAN_ITEM && p->n_items) {
        p->items[p->n_items - 1].id = dup(p, id);
        p->items[p->n_items - 1].id_pos = pos;
    }
}

void plan_build_heading(plan_builder *b, int kind, const char *title)
{
    plan *p = b->p;
    if (kind == PLAN_GOAL && p->n_goals)
        p->goals[p->n_goals - 1].title = dup(p, title);
    else if (kind == PLAN_TASK && p->n_tasks)
        p->tasks[p->n_tasks - 1].title = dup(p, title);
}

void plan_build_due(plan_builder *b, int kind, const char *words, plan_pos pos)
{
    plan *p = b->p;
    const char *w = dup(p, words);
    if (kind == PLAN_GOAL && p->n_goals)
        p->goals[p->n_goals - 1].due = w, p->goals[p->n_goals - 1].due_pos = pos;
    else if (kind == PLAN_TASK && p->n_tasks)
        p->tasks[p->n_tasks - 1].due = w, p->tasks[p->n_tasks - 1].due_pos = pos;
    else if (kind == PLAN_ITEM && p->n_items)
        p->items[p->n_items - 1].due = w, p->items[p->n_items - 1].due_pos = pos;
    else if (kind < 0)
        p->due = w, p->due_pos = pos;
}

/* Warn about due words written at pos that give neither a date nor
 * "ongoing". */
static void check_due(const char *words, plan_pos pos, int year, const char *file, diags *d)
{
    uint32_t ymd;
    int k = due_parse(words, year, &ymd);
    if (k == DUE_UNKNOWN)
        diags_add(d, DIAG_WARNING, file, pos.line, pos.col,
                  "due \"%s\" is neither a date (such as 2019年9月底前, 10月15日前, "
                  "2019-10-31) nor ongoing (持续推进, 长期坚持, 每季度): it has no due date",
                  words);
    else if (k == DUE_NOYEAR)
        diags_add(d, DIAG_WARNING, file, pos.line, pos.col,
                  "due \"%s\" has no year and the plan has no date: write the year "
                  "(2019年%s) or give the plan a \"date:\"", words, words);
}

/* Give every item its effective due (its own, else the nearest above) and
 * the date the words give; warn once about each node's unreadable words. */
static void finish_due(plan *p, const char *file, diags *d)
{
    int year = due_year_of(p->date);
    if (p->due)
        check_due(p->due, p->due_pos, year, file, d);
    for (size_t g = 0; g < p->n_goals; g++)
        if (p->goals[g].due)
            check_due(p->goals[g].due, p->goals[g].due_pos, year, file, d);
    for (size_t t = 0; t < p->n_tasks; t++)
        if (p->tasks[t].due)
            check_due(p->tasks[t].due, p->tasks[t].due_pos, year, file, d);
    for (size_t i = 0; i < p->n_items; i++) {
        plan_item *it = &p->items[i];
        const plan_task *t = &p->tasks[it->task];
        if (it->due)
            check_due(it->due, it->due_pos, year, file, d);
        else
            it->due = t->due ? t->due : p->goals[t->goal].due ? p->goals[t->goal].due : p->due;
        it->due_kind = (uint8_t)due_parse(it->due, year, &it->due_ymd);
    }
    p->today = due_today(NULL);
}

void plan_build_text(plan_builder *b, const char *text)
{
    plan *p = b->p;
    if (p->n_items)
        p->items[p->n_items - 1].text = dup(p, text);
}

/* Give every node without an id its default: goal "N", task "G.N",
 * item "T.N", from its position and its parent's (final) id; without a
 * title or text, ""; without an id's position, the node's. */
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
        if (!g->id_pos.line)
            g->id_pos = g->pos;
    }
    for (size_t i = 0; i < p->n_tasks; i++) {
        plan_task *t = &p->tasks[i];
        if (t->implicit) {
            t->id = p->goals[t->goal].id;   /* set by the loop above */
        } else if (!t->id) {
            size_t n = strlen(p->goals[t->goal].id) + 16;
            char *b = arena_alloc(&p->mem, n);
            snprintf(b, n, "%s.%u", p->goals[t->goal].id, t->num);
            t->id = b;
        }
        if (!t->title)
            t->title = "";
        if (!t->id_pos.line)
            t->id_pos = t->pos;
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
        if (!it->id_pos.line)
            it->id_pos = it->pos;
    }
}

/* Register node (kind, idx)'s id; report a duplicate with the first's place. */
static void put_id(plan *p, int kind, uint32_t idx, const char *file, diags *d)
{
    const char *id = plan_node_id(p, kind, idx);
    plan_pos pos = plan_node_pos(p, kind, idx, true);
    uint32_t old;
    if (strmap_put(&p->ids, id, (uint32_t)kind << 30 | idx, &old))
        return;
    int ok = (int)(old >> 30);
    plan_pos op = plan_node_pos(p, ok, old & ((1u << 30) - 1), true);
    if (op.line)
        diags_add(d, DIAG_ERROR, file, pos.line, pos.col,
                  "duplicate id \"%s\": %s at line %u, column %u has it already; ids must be unique",
                  id, plan_kind_name(ok), op.line, op.col);
    else
        diags_add(d, DIAG_ERROR, file, pos.line, pos.col,
                  "duplicate id \"%s\": another %s has it already; ids must be unique",
                  id, plan_kind_name(ok));
}

/* The number of nodes of a kind. */
static size_t kind_count(const plan *p, int kind)
{
    return kind == PLAN_GOAL ? p->n_goals : kind == PLAN_TASK ? p->n_tasks : p->n_items;
}

plan *plan_build_finish(plan_builder *b, const char *file, diags *d)
{
    plan *p = b->p;
    size_t before = d->errors;
    flush_units(b);
    apply_levels(b);
    number_items(p);
    p->n_item_units = p->n_units;
    finish_groups(b, file, d);
    builder_free(b);
    default_ids(p);
    for (int kind = PLAN_GOAL; kind < PLAN_KINDS; kind++)
        for (size_t i = 0; i < kind_count(p, kind); i++)
            if (kind != PLAN_TASK || !p->tasks[i].implicit)
                put_id(p, kind, (uint32_t)i, file, d);
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
                          "%s \"%s\" has no items", p->tasks[i].implicit ? "goal" : "task",
                          p->tasks[i].id);
    }
    finish_due(p, file, d);
    plan_recount(p);
    return p;
}

/* --- names and accessors --- */

const char *plan_role_key(int role)
{
    static const char *const key[PLAN_ROLES] = {
#define PLAN_ROLE_KEY(name, k) [name] = (k),
        PLAN_ROLE_LIST(PLAN_ROLE_KEY)
#undef PLAN_ROLE_KEY
    };
    return role >= 0 && role < PLAN_ROLES ? key[role] : "";
}

const char *plan_kind_name(int kind)
{
    static const char *const name[PLAN_KINDS] = {"goal", "task", "item"};
    return kind >= 0 && kind < PLAN_KINDS ? name[kind] : "";
}

const char *plan_node_id(const plan *p, int kind, uint32_t index)
{
    return kind == PLAN_GOAL ? p->goals[index].id
         : kind == PLAN_TASK ? p->tasks[index].id : p->items[index].id;
}

const char *plan_node_title(const plan *p, int kind, uint32_t index)
{
    return kind == PLAN_GOAL ? p->goals[index].title
         : kind == PLAN_TASK ? p->tasks[index].title : p->items[index].text;
}

plan_pos plan_node_pos(const plan *p, int kind, uint32_t index, bool id)
{
    plan_pos pos, id_pos;
    if (kind == PLAN_GOAL)
        pos = p->goals[index].pos, id_pos = p->goals[index].id_pos;
    else if (kind == PLAN_TASK)
        pos = p->tasks[index].pos, id_pos = p->tasks[index].id_pos;
    else
        pos = p->items[index].pos, id_pos = p->items[index].id_pos;
    return id && id_pos.line ? id_pos : pos;
}

void plan_node_items(const plan *p, int kind, uint32_t index, uint32_t *first, uint32_t *n)
{
    if (kind == PLAN_GOAL)
        *first = p->goals[index].first_item, *n = p->goals[index].n_items;
    else if (kind == PLAN_TASK)
        *first = p->tasks[index].first_item, *n = p->tasks[index].n_items;
    else
        *first = index, *n = 1;
}

uint32_t plan_node_done(const plan *p, int kind, uint32_t index)
{
    return kind == PLAN_GOAL ? p->goals[index].done
         : kind == PLAN_TASK ? p->tasks[index].done : p->items[index].done;
}

void plan_node_number(const plan *p, int kind, uint32_t index, strbuf *out)
{
    if (kind == PLAN_GOAL) {
        text_cn_number(out, p->goals[index].num);
        sb_adds(out, "、");
    } else if (kind == PLAN_TASK) {
        if (p->tasks[index].implicit)
            return;
        sb_adds(out, "（");
        text_cn_number(out, p->tasks[index].num);
        sb_adds(out, "）");
    } else {
        sb_addf(out, "%u.", p->items[index].shown);
    }
}

bool plan_next_node(const plan *p, int *kind, uint32_t *index)
{
    uint32_t g;
    switch (*kind) {
    case PLAN_GOAL:      /* its first task, else the next goal */
        g = *index;
        if (p->goals[g].n_tasks) {
            const plan_task *t = &p->tasks[p->goals[g].first_task];
            *kind = t->implicit && t->n_items ? PLAN_ITEM : PLAN_TASK;
            *index = *kind == PLAN_ITEM ? t->first_item : p->goals[g].first_task;
            return true;
        }
        break;
    case PLAN_TASK: {    /* its first item, else the next task of its goal */
        const plan_task *t = &p->tasks[*index];
        if (t->n_items) {
            *kind = PLAN_ITEM;
            *index = t->first_item;
            return true;
        }
        g = t->goal;
        if (*index + 1 < p->goals[g].first_task + p->goals[g].n_tasks) {
            ++*index;
            return true;
        }
        break;
    }
    case PLAN_ITEM: {    /* the next item of its task, else the next task */
        uint32_t ti = p->items[*index].task;
        const plan_task *t = &p->tasks[ti];
        if (*index + 1 < t->first_item + t->n_items) {
            ++*index;
            return true;
        }
        g = t->goal;
        if (ti + 1 < p->goals[g].first_task + p->goals[g].n_tasks) {
            *kind = PLAN_TASK;
            *index = ti + 1;
            return true;
        }
        break;
    }
    default:             /* the start */
        if (!p->n_goals)
            return false;
        *kind = PLAN_GOAL;
        *index = 0;
        return true;
    }
    if (g + 1 >= p->n_goals)
        return false;
    *kind = PLAN_GOAL;
    *index = g + 1;
    return true;
}

void plan_done_time(strbuf *out, const char *at)
{
    if (strlen(at) >= 16 && at[10] == 'T') {
        sb_add(out, at, 10);
        sb_addc(out, ' ');
        sb_add(out, at + 11, 5);
    } else {
        sb_adds(out, at);
    }
}

/* --- looking up, counting --- */

/* Read a positive number from *s and the dot after it; 0 when none. */
static uint32_t dotted_part(const char **s)
{
    uint32_t n = 0;
    const char *c = *s;
    if (*c < '1' || *c > '9')
        return 0;
    for (; *c >= '0' && *c <= '9'; c++) {
        if (n > 100000000u)
            return 0;
        n = n * 10 + (uint32_t)(*c - '0');
    }
    if (*c == '.')
        c++;
    *s = c;
    return n;
}

/* The item of items [first, first + n) shown with number num. */
static bool item_shown(const plan *p, uint32_t first, uint32_t n, uint32_t num, uint32_t *index)
{
    for (uint32_t i = first; i < first + n; i++)
        if (p->items[i].shown == num) {
            *index = i;
            return true;
        }
    return false;
}

size_t plan_task_count(const plan *p)
{
    size_t n = 0;
    for (size_t t = 0; t < p->n_tasks; t++)
        n += !p->tasks[t].implicit;
    return n;
}

bool plan_has_role(const plan *p, int role)
{
    for (size_t u = 0; u < p->n_units; u++)
        if (p->units[u].n_items[role])
            return true;
    return false;
}

bool plan_find_number(const plan *p, const char *dotted, int *kind, uint32_t *index)
{
    const char *s = dotted;
    uint32_t part[3];
    int n = 0;
    while (*s) {
        if (n == 3 || !(part[n] = dotted_part(&s)))
            return false;
        n++;
    }
    if (!n || part[0] > p->n_goals)
        return false;
    const plan_goal *g = &p->goals[part[0] - 1];
    if (n == 1) {
        *kind = PLAN_GOAL;
        *index = part[0] - 1;
        return true;
    }
    bool flat = g->n_tasks && p->tasks[g->first_task].implicit;
    if (flat) {
        *kind = PLAN_ITEM;
        return n == 2 && item_shown(p, g->first_item, g->n_items, part[1], index);
    }
    if (part[1] > g->n_tasks)
        return false;
    uint32_t t = g->first_task + part[1] - 1;
    if (n == 2) {
        *kind = PLAN_TASK;
        *index = t;
        return true;
    }
    *kind = PLAN_ITEM;
    return item_shown(p, p->tasks[t].first_item, p->tasks[t].n_items, part[2], index);
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
    if (!plan_find_node(p, id, &kind, &idx) || kind != PLAN_ITEM)
        return NULL;
    return &p->items[idx];
}

bool plan_set_today(plan *p, uint32_t today)
{
    if (p->today == today)
        return false;
    p->today = today;
    plan_recount(p);
    return true;
}

void plan_recount(plan *p)
{
    p->done = p->overdue = p->soon = 0;
    for (size_t i = 0; i < p->n_goals; i++)
        p->goals[i].done = p->goals[i].overdue = p->goals[i].soon = 0;
    for (size_t i = 0; i < p->n_tasks; i++)
        p->tasks[i].done = p->tasks[i].overdue = p->tasks[i].soon = 0;
    for (size_t i = 0; i < p->n_units; i++) {
        p->units[i].overdue = 0;
        for (int w = 0; w < PLAN_ROLES; w++)
            p->units[i].done_items[w] = 0;
    }
    for (size_t i = 0; i < p->n_items; i++) {
        plan_item *it = &p->items[i];
        it->due_state = (uint8_t)due_state(it->done, it->due_kind, it->due_ymd, p->today);
        if (it->due_state == DUE_S_OVERDUE || it->due_state == DUE_S_SOON) {
            plan_task *t = &p->tasks[it->task];
            bool od = it->due_state == DUE_S_OVERDUE;
            *(od ? &t->overdue : &t->soon) += 1;
            *(od ? &p->goals[t->goal].overdue : &p->goals[t->goal].soon) += 1;
            *(od ? &p->overdue : &p->soon) += 1;
            /* a unit named in two roles counts the item once */
            for (int w = 0; od && w < PLAN_ROLES; w++)
                for (uint32_t k = 0; k < it->who[w].n; k++) {
                    uint32_t u = it->who[w].unit[k];
                    bool seen = false;
                    for (int v = 0; v < w && !seen; v++)
                        for (uint32_t j = 0; j < it->who[v].n && !seen; j++)
                            seen = it->who[v].unit[j] == u;
                    if (!seen)
                        p->units[u].overdue++;
                }
        }
        if (!it->done)
            continue;
        plan_task *t = &p->tasks[it->task];
        t->done++;
        p->goals[t->goal].done++;
        p->done++;
        for (int w = 0; w < PLAN_ROLES; w++)
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
        p->items[i].note = p->items[i].note_at = p->items[i].note_by = NULL;
    }
}
