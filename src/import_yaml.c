/* import_yaml.c - the intermediate plan written as YAML in the shipped
 * plan.yaml's style: block style, ids explicit and quoted, units as flow
 * lists, one node's keys together. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_int.h"
#include "text.h"

/* Characters written as \u escapes: line and paragraph separators, the
 * BOM, and the bidi controls (the YAML stays harmless on a terminal). */
static bool escaped(uint32_t c)
{
    return c == 0x2028 || c == 0x2029 || c == 0xFEFF || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069) || c == 0x200E || c == 0x200F || c == 0x061C;
}

/* Can s be written as a plain scalar (in a flow list when flow)? */
static bool plain_ok(const char *s, bool flow)
{
    size_t n = strlen(s);
    if (n == 0 || strchr("-?:,[]{}#&*!|>'\"%@` ", s[0]) || s[n - 1] == ' ' || s[n - 1] == ':')
        return false;
    if (strstr(s, ": ") || strstr(s, " #") || (flow && strpbrk(s, ",[]{}")))
        return false;
    bool ascii = true;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        i += utf8_decode(s + i, n - i, &c);
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || escaped(c) || c == 0xFFFD)
            return false;
        ascii = ascii && c < 0x80;
    }
    /* numbers, booleans, null: keep them strings */
    if (ascii) {
        if ((s[0] >= '0' && s[0] <= '9') || s[0] == '+' || s[0] == '.' || s[0] == '~')
            return false;
        static const char *const words[] = {"true", "false", "yes", "no", "on", "off",
                                            "null", "y", "n"};
        for (size_t i = 0; i < sizeof words / sizeof *words; i++)
            if (strcasecmp(s, words[i]) == 0)
                return false;
    }
    return true;
}

static void quoted(strbuf *out, const char *s)
{
    size_t n = strlen(s);
    sb_addc(out, '"');
    for (size_t i = 0; i < n;) {
        uint32_t c;
        size_t k = utf8_decode(s + i, n - i, &c);
        if (c == '"' || c == '\\') {
            sb_addc(out, '\\');
            sb_addc(out, (char)c);
        } else if (c == '\n') {
            sb_adds(out, "\\n");
        } else if (c == '\t') {
            sb_adds(out, "\\t");
        } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
            sb_addf(out, "\\x%02X", (unsigned)c);
        } else if (escaped(c)) {
            sb_addf(out, "\\u%04X", (unsigned)c);
        } else {
            sb_add(out, s + i, k);
        }
        i += k;
    }
    sb_addc(out, '"');
}

static void scalar(strbuf *out, const char *s, bool flow)
{
    if (plain_ok(s, flow))
        sb_adds(out, s);
    else
        quoted(out, s);
}

static void key(strbuf *out, int indent, const char *k, const char *v)
{
    sb_addf(out, "%*s%s: ", indent, "", k);
    scalar(out, v, false);
    sb_addc(out, '\n');
}

static void roles(strbuf *out, int indent, const imp_roles *r)
{
    static const char *const names[R_N] = {"lead", "responsible", "support"};
    for (int w = 0; w < R_N; w++) {
        const imp_units *u = &r->who[w];
        if (u->n) {
            sb_addf(out, "%*s%s: [", indent, "", names[w]);
            for (size_t i = 0; i < u->n; i++) {
                if (i)
                    sb_adds(out, ", ");
                scalar(out, u->v[i], true);
            }
            sb_adds(out, "]\n");
        }
        if (u->more)
            sb_addf(out, "%*s%s_more: true\n", indent, "", names[w]);
        if (w == R_LEAD && r->each)
            sb_addf(out, "%*seach: true\n", indent, "");
    }
    if (r->due)
        key(out, indent, "due", r->due);
}

static void id_line(strbuf *out, int indent, const char *id)
{
    sb_addf(out, "%*s- id: ", indent, "");
    quoted(out, id);
    sb_addc(out, '\n');
}

static void items(strbuf *out, int indent, const imp_item *v, size_t n, const char *parent)
{
    sb_addf(out, "%*sitems:\n", indent, "");
    for (size_t i = 0; i < n; i++) {
        char *id = v[i].id ? xstrdup(v[i].id) : xasprintf("%s.%zu", parent, i + 1);
        id_line(out, indent + 2, id);
        free(id);
        key(out, indent + 4, "text", v[i].text);
        roles(out, indent + 4, &v[i].r);
    }
}

void imp_write_yaml(const imp_plan *p, strbuf *out)
{
    sb_adds(out, "# Written by plandash --import: check it with plandash --check, and read\n"
                 "# the warnings the import printed.\n");
    key(out, 0, "title", p->title);
    if (p->issuer)
        key(out, 0, "issuer", p->issuer);
    if (p->document)
        key(out, 0, "document", p->document);
    if (p->date) {
        sb_adds(out, "date: ");
        quoted(out, p->date);
        sb_addc(out, '\n');
    }
    if (p->numbering)
        key(out, 0, "numbering", p->numbering);
    roles(out, 0, &p->r);
    sb_adds(out, "goals:\n");
    for (size_t g = 0; g < p->n_goals; g++) {
        const imp_goal *G = &p->goals[g];
        char *gid = G->id ? xstrdup(G->id) : xasprintf("%zu", g + 1);
        id_line(out, 2, gid);
        key(out, 4, "title", G->title);
        roles(out, 4, &G->r);
        if (G->n_tasks) {
            sb_adds(out, "    tasks:\n");
            for (size_t t = 0; t < G->n_tasks; t++) {
                const imp_task *T = &G->tasks[t];
                char *tid = T->id ? xstrdup(T->id) : xasprintf("%s.%zu", gid, t + 1);
                id_line(out, 6, tid);
                key(out, 8, "title", T->title);
                roles(out, 8, &T->r);
                items(out, 8, T->items, T->n_items, tid);
                free(tid);
            }
        } else {
            items(out, 4, G->items, G->n_items, gid);
        }
        free(gid);
    }
}
