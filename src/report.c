/* report.c - --report and --export (json, csv, md). */
#include "report.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "json_strict.h"
#include "text.h"

#define REPORT_WIDTH 78   /* columns of the text report's item lines */

static bool keep(const uint8_t *filter, size_t i)
{
    return !filter || filter[i];
}

/* Done and total of items [first, first+n) that the filter keeps. */
static void count(const plan *p, const uint8_t *filter, uint32_t first, uint32_t n,
                  size_t *done, size_t *total)
{
    *done = *total = 0;
    for (uint32_t i = first; i < first + n; i++)
        if (keep(filter, i)) {
            (*total)++;
            *done += p->items[i].done;
        }
}

static void put(FILE *f, const strbuf *b)
{
    if (b->len)
        fwrite(b->s, 1, b->len, f);
}

/* The done time as plan_done_time shows it, sanitised, in at most 16
 * columns: the report's time column. */
static void short_time(strbuf *b, const char *at)
{
    strbuf t = {0};
    plan_done_time(&t, at);
    text_fit(b, t.s ? t.s : "", 16, false);
    sb_free(&t);
}

/* Is unit u named by any item, in any role? */
static bool named(const plan_unit *un)
{
    for (int w = 0; w < PLAN_ROLES; w++)
        if (un->n_items[w])
            return true;
    return false;
}

/* A heading line: label padded to width, then "done/total". */
static void heading(FILE *f, const char *indent, const char *label, size_t done, size_t total,
                    size_t width)
{
    strbuf b = {0};
    sb_adds(&b, indent);
    size_t used = text_width(indent);
    char cnt[48];
    snprintf(cnt, sizeof cnt, "%zu/%zu", done, total);
    size_t cw = strlen(cnt);
    size_t room = width > used + cw + 2 ? width - used - cw - 2 : 10;
    text_fit(&b, label, room, true);
    sb_adds(&b, "  ");
    sb_adds(&b, cnt);
    sb_addc(&b, '\n');
    put(f, &b);
    sb_free(&b);
}

static void unit_names(strbuf *b, const plan *p, const plan_units *u)
{
    for (uint32_t k = 0; k < u->n; k++) {
        if (k)
            sb_adds(b, "、");
        sb_adds(b, p->units[u->unit[k]].name);
    }
    if (u->more)
        sb_adds(b, "等");
}

/* Does any item have due words (its own or inherited)? */
static bool uses_due(const plan *p)
{
    for (size_t i = 0; i < p->n_items; i++)
        if (p->items[i].due_kind != DUE_NONE)
            return true;
    return false;
}

/* "As of: 2026-12-01" and its line break. */
static void as_of(strbuf *b, const plan *p)
{
    sb_adds(b, "As of 截至: ");
    due_iso(b, p->today);
    sb_addc(b, '\n');
}

static void pct(strbuf *b, size_t done, size_t total)
{
    sb_addf(b, "%zu/%zu done (%zu%%)", done, total, total ? done * 100 / total : 0);
}

/* The units table: name, lead done/total, responsible done/total. */
static void unit_table(FILE *f, const plan *p, const units_result *r)
{
    size_t namew = text_width("单位 Unit");   /* the heading is never cut */
    for (size_t u = 0; u < p->n_units; u++)
        if (r ? r->unit_hit[u] : named(&p->units[u])) {
            size_t w = text_width(p->units[u].name);
            namew = w > namew ? w : namew;
        }
    if (namew > 40)
        namew = 40;
    strbuf b = {0};
    sb_adds(&b, "\n");
    /* The heading is laid out with the rows' widths: name, "  ", 12, "  ". */
    text_fit(&b, "单位 Unit", namew, true);
    sb_adds(&b, "  ");
    text_fit(&b, "牵头 Lead", 12, true);
    bool supp = plan_has_role(p, PLAN_SUPP);
    bool due = uses_due(p);
    sb_adds(&b, "  ");
    if (supp || due)
        text_fit(&b, "责任 Responsible", 16, true);
    else
        sb_adds(&b, "责任 Responsible");
    if (supp) {
        sb_adds(&b, "  ");
        if (due)
            text_fit(&b, "配合 Support", 12, true);
        else
            sb_adds(&b, "配合 Support");
    }
    if (due)
        sb_adds(&b, "  逾期 Overdue");
    sb_addc(&b, '\n');
    for (size_t u = 0; u < p->n_units; u++) {
        const plan_unit *un = &p->units[u];
        if (r ? !r->unit_hit[u] : !named(un))
            continue;
        text_fit(&b, un->name, namew, true);
        static const int col[PLAN_ROLES] = {[PLAN_LEAD] = 12, [PLAN_RESP] = 16, [PLAN_SUPP] = 12};
        int last = supp ? PLAN_SUPP : PLAN_RESP;
        for (int w = 0; w <= last; w++) {
            char cell[48];
            snprintf(cell, sizeof cell, "%u/%u", un->done_items[w], un->n_items[w]);
            sb_addf(&b, "  %-*s", w == last && !due ? 0 : col[w], un->n_items[w] ? cell : "-");
        }
        if (due)
            sb_addf(&b, "  %u", un->overdue);
        if (r && r->unit_hit[u] == 2)
            sb_adds(&b, "  (group)");
        sb_addc(&b, '\n');
    }
    put(f, &b);
    sb_free(&b);
}

/* 逾期事项: every overdue item the filter keeps, with its units and due. */
static void overdue_section(FILE *f, const plan *p, const uint8_t *filter)
{
    strbuf b = {0}, t = {0};
    size_t n = 0;
    for (size_t i = 0; i < p->n_items; i++)
        n += keep(filter, i) && p->items[i].due_state == DUE_S_OVERDUE;
    sb_addf(&b, "\n逾期事项 Overdue: %zu\n", n);
    for (size_t i = 0; i < p->n_items; i++) {
        const plan_item *it = &p->items[i];
        if (!keep(filter, i) || it->due_state != DUE_S_OVERDUE)
            continue;
        sb_reset(&t);
        sb_adds(&t, it->id);
        sb_addc(&t, ' ');
        sb_adds(&t, it->text);
        sb_adds(&b, "  ");
        text_fit(&b, t.s, REPORT_WIDTH - 2, false);
        sb_adds(&b, "\n    完成时限 ");
        sb_reset(&t);
        sb_adds(&t, it->due);
        sb_adds(&t, "（");
        due_iso(&t, it->due_ymd);
        sb_adds(&t, "）");
        text_fit(&b, t.s, REPORT_WIDTH - 13, false);
        sb_adds(&b, "\n  ");
        sb_reset(&t);
        static const char *const role_word[PLAN_ROLES] = {
            [PLAN_LEAD] = "  牵头 ", [PLAN_RESP] = "  责任 ", [PLAN_SUPP] = "  配合 "};
        for (int w = 0; w < PLAN_ROLES; w++)
            if (it->who[w].n) {
                sb_adds(&t, role_word[w]);
                unit_names(&t, p, &it->who[w]);
                if (w == PLAN_LEAD && it->each)
                    sb_adds(&t, "（分别牵头）");
            }
        text_fit(&b, t.s, REPORT_WIDTH - 3, false);
        sb_addc(&b, '\n');
        put(f, &b);
        sb_reset(&b);
    }
    put(f, &b);
    sb_free(&b);
    sb_free(&t);
}

void report_text(FILE *f, const plan *p, const units_result *r, const char *query)
{
    const uint8_t *filter = r ? r->item_hit : NULL;
    strbuf b = {0};
    text_sanitize(&b, p->title ? p->title : "", strlen(p->title ? p->title : ""), TEXT_ONELINE);
    sb_addc(&b, '\n');
    const char *meta[] = {p->document, p->issuer, p->date};
    bool any = false;
    for (int i = 0; i < 3; i++)
        if (meta[i]) {
            if (any)
                sb_adds(&b, "  ");
            text_sanitize(&b, meta[i], strlen(meta[i]), TEXT_ONELINE);
            any = true;
        }
    if (any)
        sb_addc(&b, '\n');
    as_of(&b, p);
    size_t done, total;
    count(p, filter, 0, (uint32_t)p->n_items, &done, &total);
    if (r) {
        sb_adds(&b, "Unit query: ");
        text_sanitize(&b, query, strlen(query), TEXT_ONELINE);
        sb_adds(&b, " matches ");
        if (!r->n_units)
            sb_adds(&b, "no unit");
        for (size_t k = 0; k < r->n_units; k++) {
            if (k)
                sb_adds(&b, "、");
            text_sanitize(&b, p->units[r->units[k]].name, strlen(p->units[r->units[k]].name),
                          TEXT_ONELINE);
        }
        if (plan_has_role(p, PLAN_SUPP))
            sb_addf(&b, "\nItems: %zu as lead, %zu as responsible, %zu as support, "
                    "%zu through a group\n", r->n_lead, r->n_resp, r->n_supp, r->n_group);
        else
            sb_addf(&b, "\nItems: %zu as lead, %zu as responsible, %zu through a group\n",
                    r->n_lead, r->n_resp, r->n_group);
    }
    sb_adds(&b, "Progress: ");
    pct(&b, done, total);
    if (uses_due(p)) {
        size_t od = 0, soon = 0;
        for (size_t i = 0; i < p->n_items; i++)
            if (keep(filter, i)) {
                od += p->items[i].due_state == DUE_S_OVERDUE;
                soon += p->items[i].due_state == DUE_S_SOON;
            }
        sb_addf(&b, "; %zu overdue, %zu due soon", od, soon);
    }
    sb_adds(&b, "\n\n");
    put(f, &b);
    sb_reset(&b);

    int kind = -1;
    uint32_t ix = 0;
    while (plan_next_node(p, &kind, &ix)) {
        uint32_t first, n;
        plan_node_items(p, kind, ix, &first, &n);
        count(p, filter, first, n, &done, &total);
        if (!total)
            continue;
        sb_reset(&b);
        if (kind != PLAN_ITEM) {
            plan_node_number(p, kind, ix, &b);
            sb_adds(&b, plan_node_title(p, kind, ix));
            heading(f, kind == PLAN_GOAL ? "" : "  ", b.s, done, total, REPORT_WIDTH);
            continue;
        }
        const plan_item *it = &p->items[ix];
        strbuf label = {0};
        sb_addf(&b, "    [%c] ", it->done ? 'x' : ' ');
        plan_node_number(p, kind, ix, &label);
        sb_addc(&label, ' ');
        sb_adds(&label, it->text);
        /* the time and "(through a group)" fit in the line's width */
        bool via = filter && filter[ix] == MATCH_GROUP;
        size_t room = REPORT_WIDTH - 8 - (it->done ? 18 : 0) - (via ? 19 : 0);
        text_fit(&b, label.s, room, it->done || via);
        if (it->done && it->done_at) {
            sb_adds(&b, "  ");
            short_time(&b, it->done_at);
        }
        if (via)
            sb_adds(&b, "  (through a group)");
        sb_addc(&b, '\n');
        put(f, &b);
        sb_free(&label);
    }
    sb_free(&b);
    if (uses_due(p))
        overdue_section(f, p, filter);
    unit_table(f, p, r);
}

/* --- JSON --- */

/* A true, false or number (type, num), printed by cJSON. */
static void json_scalar(strbuf *b, int type, double num)
{
    cJSON v;
    memset(&v, 0, sizeof v);
    v.type = type;
    v.valuedouble = num;
    v.valueint = num < 2147483647.0 ? (int)num : 2147483647;
    char *o = sb_reserve(b, 64);
    if (!cJSON_PrintPreallocated(&v, o, 64, 0))
        abort();
    b->len += strlen(o);
}

static void json_bool(strbuf *b, bool x)
{
    json_scalar(b, x ? cJSON_True : cJSON_False, 0);
}

static void json_count(strbuf *b, size_t n)
{
    json_scalar(b, cJSON_Number, (double)n);
}

/* A JSON string printed by cJSON (or null), then made safe on a terminal:
 * cJSON escapes only '"', '\\' and C0 controls, so C1 controls, DEL, bidi
 * and other invisible controls are escaped here as \uXXXX, and invalid
 * UTF-8 and unprintable astral characters as \ufffd. */
static void json_str(strbuf *b, const char *s)
{
    if (!s) {
        json_scalar(b, cJSON_NULL, 0);
        return;
    }
    size_t at = b->len;
    json_strict_quote(b, s);
    size_t k = at;
    while (k < b->len && (unsigned char)b->s[k] < 0x7F)
        k++;
    if (k == b->len)
        return;   /* plain: as cJSON printed it */
    char *printed = xstrndup(b->s + at, b->len - at);
    b->len = at;
    const char *q = printed;
    size_t n = strlen(printed);
    while (n) {
        uint32_t cp;
        size_t len = utf8_decode(q, n, &cp);
        if ((cp >= 0x7F && cp < 0xA0) || text_visible(cp, TEXT_ONELINE) != cp ||
            (cp >= 0x80 && len == 1)) {
            /* len == 1 above 0x7F: a bad byte, decoded as U+FFFD */
            if (cp == 0xFFFD || cp > 0xFFFF)   /* replacement, or unprintable astral */
                sb_adds(b, "\\ufffd");
            else
                sb_addf(b, "\\u%04x", cp);
        } else {
            sb_add(b, q, len);
        }
        q += len;
        n -= len;
    }
    free(printed);
}

static void json_units(strbuf *b, const plan *p, const plan_units *u)
{
    sb_addc(b, '[');
    for (uint32_t k = 0; k < u->n; k++) {
        if (k)
            sb_adds(b, ", ");
        json_str(b, p->units[u->unit[k]].name);
    }
    sb_addc(b, ']');
}

/* A packed date (due.h) as a JSON string "YYYY-MM-DD"; 0 is null. */
static void due_date_str(strbuf *b, uint32_t ymd)
{
    if (!ymd) {
        sb_adds(b, "null");
        return;
    }
    strbuf t = {0};
    due_iso(&t, ymd);
    json_str(b, t.s);
    sb_free(&t);
}

/* Item id -> its first record in h, and each record's next one of the same
 * id (UINT32_MAX: none), in the file's order. */
typedef struct {
    strmap first;
    uint32_t *next, *last;
} hist_index;

static void hist_index_build(hist_index *x, const history *h)
{
    memset(x, 0, sizeof *x);
    x->next = xmalloc((h->n ? h->n : 1) * sizeof *x->next);
    x->last = xmalloc((h->n ? h->n : 1) * sizeof *x->last);
    for (size_t k = 0; k < h->n; k++) {
        x->next[k] = UINT32_MAX;
        uint32_t old;
        if (!strmap_put(&x->first, h->v[k].id, (uint32_t)k, &old)) {
            x->next[x->last[old]] = (uint32_t)k;
            x->last[old] = (uint32_t)k;
        } else {
            x->last[k] = (uint32_t)k;
        }
    }
}

/* `, "history": [...]` for item id, oldest first. */
static void json_history(strbuf *b, const history *h, const hist_index *x, const char *id,
                         const char *indent)
{
    sb_addf(b, ",\n%s \"history\": [", indent);
    uint32_t k;
    bool first = true;
    if (strmap_get(&x->first, id, &k)) {
        for (; k != UINT32_MAX; k = x->next[k]) {
            const history_rec *r = &h->v[k];
            sb_adds(b, first ? "{\"at\": " : ", {\"at\": ");
            first = false;
            json_str(b, r->at);
            sb_adds(b, ", \"by\": ");
            json_str(b, r->by);
            if (r->done >= 0) {
                sb_adds(b, ", \"done\": ");
                json_bool(b, r->done);
            }
            if (r->note) {
                sb_adds(b, ", \"note\": ");
                json_str(b, r->note);
            }
            if (r->undo)
                sb_adds(b, ", \"undo\": true");
            sb_addc(b, '}');
        }
    }
    sb_addc(b, ']');
}

/* The items [first, first + n) that the filter keeps, as a JSON list
 * after "items": at the given indent. */
static void json_items(FILE *f, strbuf *b, const plan *p, const uint8_t *filter, uint32_t first,
                       uint32_t n, const char *indent, const history *h, const hist_index *hx)
{
    bool first_item = true;
    for (uint32_t i = first; i < first + n; i++) {
        if (!keep(filter, i))
            continue;
        const plan_item *it = &p->items[i];
        sb_addf(b, "%s\n%s{\"id\": ", first_item ? "" : ",", indent);
        first_item = false;
        json_str(b, it->id);
        sb_adds(b, ", \"text\": ");
        json_str(b, it->text);
        /* the item's effective units: its own and those set above */
        for (int w = 0; w < PLAN_ROLES; w++) {
            sb_addf(b, ",\n%s \"%s\": ", indent, plan_role_key(w));
            json_units(b, p, &it->who[w]);
            sb_addf(b, ", \"%s_more\": ", plan_role_key(w));
            json_bool(b, it->who[w].more);
        }
        sb_adds(b, ", \"each\": ");
        json_bool(b, it->each);
        sb_addf(b, ",\n%s \"done\": ", indent);
        json_bool(b, it->done);
        sb_adds(b, ", \"done_at\": ");
        json_str(b, it->done ? it->done_at : NULL);
        sb_addf(b, ",\n%s \"due\": ", indent);
        json_str(b, it->due);
        sb_adds(b, ", \"due_date\": ");
        due_date_str(b, it->due_kind == DUE_DATE ? it->due_ymd : 0);
        sb_adds(b, ", \"due_state\": ");
        json_str(b, due_state_word(it->due_state));
        sb_addf(b, ",\n%s \"note\": ", indent);
        json_str(b, it->note);
        sb_adds(b, ", \"note_at\": ");
        json_str(b, it->note ? it->note_at : NULL);
        if (h)
            json_history(b, h, hx, it->id, indent);
        sb_addc(b, '}');
        if (b->len > 1 << 16) {
            put(f, b);
            sb_reset(b);
        }
    }
    sb_adds(b, "]");
}

/* The layout of SPEC (the punctuation and line breaks written here), every
 * value printed by cJSON; one item at a time, so no tree of the whole plan
 * is built. */
static void export_json(FILE *f, const plan *p, const uint8_t *filter, const history *h)
{
    strbuf b = {0};
    hist_index hx;
    if (h)
        hist_index_build(&hx, h);
    size_t done, total;
    count(p, filter, 0, (uint32_t)p->n_items, &done, &total);
    sb_adds(&b, "{\"title\": ");
    json_str(&b, p->title);
    sb_adds(&b, ", \"issuer\": ");
    json_str(&b, p->issuer);
    sb_adds(&b, ", \"document\": ");
    json_str(&b, p->document);
    sb_adds(&b, ", \"date\": ");
    json_str(&b, p->date);
    sb_adds(&b, ", \"as_of\": ");
    due_date_str(&b, p->today);
    sb_adds(&b, ",\n \"done\": ");
    json_count(&b, done);
    sb_adds(&b, ", \"total\": ");
    json_count(&b, total);
    sb_adds(&b, ",\n \"goals\": [");
    bool first_goal = true;
    for (size_t g = 0; g < p->n_goals; g++) {
        const plan_goal *go = &p->goals[g];
        count(p, filter, go->first_item, go->n_items, &done, &total);
        if (filter && !total)
            continue;
        sb_adds(&b, first_goal ? "\n  {\"id\": " : ",\n  {\"id\": ");
        first_goal = false;
        json_str(&b, go->id);
        sb_adds(&b, ", \"title\": ");
        json_str(&b, go->title);
        sb_adds(&b, ", \"done\": ");
        json_count(&b, done);
        sb_adds(&b, ", \"total\": ");
        json_count(&b, total);
        if (go->n_tasks && p->tasks[go->first_task].implicit) {
            /* a goal holding its items (a two-level plan): no task */
            sb_adds(&b, ",\n   \"items\": [");
            json_items(f, &b, p, filter, go->first_item, go->n_items, "    ", h, &hx);
            sb_adds(&b, "}");
            continue;
        }
        sb_adds(&b, ",\n   \"tasks\": [");
        bool first_task = true;
        for (uint32_t t = go->first_task; t < go->first_task + go->n_tasks; t++) {
            const plan_task *ta = &p->tasks[t];
            count(p, filter, ta->first_item, ta->n_items, &done, &total);
            if (filter && !total)
                continue;
            sb_adds(&b, first_task ? "\n    {\"id\": " : ",\n    {\"id\": ");
            first_task = false;
            json_str(&b, ta->id);
            sb_adds(&b, ", \"title\": ");
            json_str(&b, ta->title);
            sb_adds(&b, ", \"done\": ");
            json_count(&b, done);
            sb_adds(&b, ", \"total\": ");
            json_count(&b, total);
            sb_adds(&b, ",\n     \"items\": [");
            json_items(f, &b, p, filter, ta->first_item, ta->n_items, "      ", h, &hx);
            sb_adds(&b, "}");
        }
        sb_adds(&b, "]}");
    }
    sb_adds(&b, "]}\n");
    put(f, &b);
    sb_free(&b);
    if (h) {
        strmap_free(&hx.first);
        free(hx.next);
        free(hx.last);
    }
}

/* --- CSV (RFC 4180) --- */

/* One field: sanitised (a line break is kept: RFC 4180 allows it quoted),
 * quoted if it holds a comma, a quote or a line break. */
static void csv_field(strbuf *b, const char *s)
{
    strbuf clean = {0};
    text_sanitize(&clean, s ? s : "", strlen(s ? s : ""), TEXT_MULTILINE);
    const char *c = clean.s ? clean.s : "";
    if (strpbrk(c, ",\"\r\n")) {
        sb_addc(b, '"');
        for (; *c; c++) {
            if (*c == '"')
                sb_addc(b, '"');
            sb_addc(b, *c);
        }
        sb_addc(b, '"');
    } else {
        sb_adds(b, c);
    }
    sb_free(&clean);
}

static void export_csv(FILE *f, const plan *p, const uint8_t *filter)
{
    strbuf b = {0}, tmp = {0};
    sb_adds(&b, "id,goal,task,text,lead,responsible,done,done_at,support,due,due_date,due_state,"
                "note\r\n");
    for (size_t i = 0; i < p->n_items; i++) {
        if (!keep(filter, i))
            continue;
        const plan_item *it = &p->items[i];
        const plan_task *ta = &p->tasks[it->task];
        csv_field(&b, it->id);
        sb_addc(&b, ',');
        csv_field(&b, p->goals[ta->goal].title);
        sb_addc(&b, ',');
        csv_field(&b, ta->title);
        sb_addc(&b, ',');
        csv_field(&b, it->text);
        /* Today's columns keep their order: support goes after done_at. */
        for (int w = PLAN_LEAD; w <= PLAN_RESP; w++) {
            sb_reset(&tmp);
            unit_names(&tmp, p, &it->who[w]);
            sb_addc(&b, ',');
            csv_field(&b, tmp.s ? tmp.s : "");
        }
        sb_adds(&b, it->done ? ",true," : ",false,");
        csv_field(&b, it->done && it->done_at ? it->done_at : "");
        /* columns added later go after done_at, in the order added */
        sb_reset(&tmp);
        unit_names(&tmp, p, &it->who[PLAN_SUPP]);
        sb_addc(&b, ',');
        csv_field(&b, tmp.s ? tmp.s : "");
        sb_addc(&b, ',');
        csv_field(&b, it->due);
        sb_addc(&b, ',');
        if (it->due_kind == DUE_DATE)
            due_iso(&b, it->due_ymd);
        sb_addf(&b, ",%s,", due_state_word(it->due_state));
        csv_field(&b, it->note ? it->note : "");
        sb_adds(&b, "\r\n");
        if (b.len > 1 << 16) {
            put(f, &b);
            sb_reset(&b);
        }
    }
    put(f, &b);
    sb_free(&b);
    sb_free(&tmp);
}

/* --- Markdown --- */

/* Text for a Markdown table cell or heading: sanitised, | and \ escaped,
 * markup characters that would start emphasis or links escaped. */
static void md_text(strbuf *b, const char *s)
{
    strbuf clean = {0};
    text_sanitize(&clean, s ? s : "", strlen(s ? s : ""), TEXT_ONELINE);
    for (const char *c = clean.s ? clean.s : ""; *c; c++) {
        if (strchr("|\\*_`[]<>#", *c))
            sb_addc(b, '\\');
        sb_addc(b, *c);
    }
    sb_free(&clean);
}

static void export_md(FILE *f, const plan *p, const uint8_t *filter)
{
    strbuf b = {0}, tmp = {0};
    size_t done, total;
    count(p, filter, 0, (uint32_t)p->n_items, &done, &total);
    sb_adds(&b, "# ");
    md_text(&b, p->title);
    sb_adds(&b, "\n\n");
    const char *meta[] = {p->document, p->issuer, p->date};
    bool any = false;
    for (int i = 0; i < 3; i++)
        if (meta[i]) {
            sb_adds(&b, any ? " · " : "");
            md_text(&b, meta[i]);
            any = true;
        }
    if (any)
        sb_adds(&b, "\n\n");
    bool due = uses_due(p);
    as_of(&b, p);
    sb_adds(&b, "\nProgress: ");
    pct(&b, done, total);
    sb_adds(&b, "\n");
    bool supp = plan_has_role(p, PLAN_SUPP);
    int kind = -1;
    uint32_t ix = 0;
    while (plan_next_node(p, &kind, &ix)) {
        uint32_t first, n;
        plan_node_items(p, kind, ix, &first, &n);
        count(p, filter, first, n, &done, &total);
        if (!total)
            continue;
        if (kind != PLAN_ITEM) {
            sb_adds(&b, kind == PLAN_GOAL ? "\n## " : "\n### ");
            plan_node_number(p, kind, ix, &b);
            md_text(&b, plan_node_title(p, kind, ix));
            sb_addf(&b, " (%zu/%zu)\n", done, total);
            /* a task's table; a goal holding its items has its own */
            if (kind == PLAN_TASK || (p->goals[ix].n_tasks &&
                                      p->tasks[p->goals[ix].first_task].implicit)) {
                sb_adds(&b, "\n| 完成 | 编号 | 主要内容 | 牵头单位 | 责任单位 |");
                sb_adds(&b, supp ? " 配合单位 |" : "");
                sb_adds(&b, due ? " 完成时限 |" : "");
                sb_adds(&b, " 完成时间 |\n| --- | --- | --- | --- | --- |");
                sb_adds(&b, supp ? " --- |" : "");
                sb_adds(&b, due ? " --- |" : "");
                sb_adds(&b, " --- |\n");
            }
            if (b.len > 1 << 16) {
                put(f, &b);
                sb_reset(&b);
            }
            continue;
        }
        const plan_item *it = &p->items[ix];
        sb_adds(&b, it->done ? "| [x] | " : "| [ ] | ");
        md_text(&b, it->id);
        sb_adds(&b, " | ");
        md_text(&b, it->text);
        for (int w = PLAN_LEAD; w <= (supp ? PLAN_SUPP : PLAN_RESP); w++) {   /* the table's columns */
            sb_reset(&tmp);
            unit_names(&tmp, p, &it->who[w]);
            if (w == PLAN_LEAD && it->each)
                sb_adds(&tmp, "（分别牵头）");
            sb_adds(&b, " | ");
            md_text(&b, tmp.s ? tmp.s : "");
        }
        if (due) {
            sb_adds(&b, " | ");
            md_text(&b, it->due ? it->due : "");
            if (it->due_state == DUE_S_OVERDUE)
                sb_adds(&b, "（逾期）");
            else if (it->due_state == DUE_S_SOON)
                sb_adds(&b, "（临期）");
        }
        sb_adds(&b, " | ");
        md_text(&b, it->done && it->done_at ? it->done_at : "");
        sb_adds(&b, " |\n");
    }
    put(f, &b);
    sb_free(&b);
    sb_free(&tmp);
}

int report_export(FILE *f, const plan *p, const char *fmt, const uint8_t *filter)
{
    return report_export_with(f, p, fmt, filter, NULL);
}

int report_export_with(FILE *f, const plan *p, const char *fmt, const uint8_t *filter,
                       const history *h)
{
    if (strcmp(fmt, "json") == 0)
        export_json(f, p, filter, h);
    else if (strcmp(fmt, "csv") == 0)
        export_csv(f, p, filter);
    else if (strcmp(fmt, "md") == 0)
        export_md(f, p, filter);
    else
        return -1;
    return 0;
}
