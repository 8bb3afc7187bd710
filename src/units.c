/* units.c - matching queries against unit names (Chinese substring,
 * toneless pinyin, pinyin initials, through groups). */
#include "units.h"

#include <stdlib.h>
#include <string.h>

#include "pinyin.h"
#include "text.h"
#include "util.h"

/* ------------------------------------------------------------------------
 * Pinyin forms.
 *
 * A name has two searchable forms besides itself: its toneless pinyin
 * ("qusifaju") and its initials ("qsfj").  A form is a sequence of tokens,
 * one per character that counts; a token is a set of alternative spellings
 * (a polyphonic character has several).  The query matches the form when
 * it spells a contiguous piece of the concatenation of one alternative per
 * token.  The matcher runs the query through a nondeterministic automaton
 * whose states are positions in the alternatives, so polyphony costs time
 * linear in the number of alternatives, never a product over characters.
 *
 * Token kinds, by character:
 *   a Han character with readings   its readings (pinyin) / their first
 *                                   letters, and zh ch sh (initials)
 *   ASCII or full-width letter or digit   itself, lowercased (both forms)
 *   a Han character without readings      no alternative: nothing spans it
 *   anything else (punctuation, spaces)   dropped
 * In pinyin spellings u-umlaut ("v" in the data) is stored as 'V', which
 * matches a query 'v' or 'u'; a literal Latin 'v' matches only 'v'.
 * ------------------------------------------------------------------------ */

#define UNITS_CONT UINT32_MAX   /* next[]: the alternative goes on at p + 1 */

/* Growable storage shared by many forms; forms refer to it by offset. */
typedef struct {
    strbuf ch;                  /* spellings, alternative after alternative */
    uint32_t *next;             /* per position: UNITS_CONT or the next token */
    size_t n_next, cap_next;
    uint32_t *alt;              /* start position of each alternative */
    size_t n_alt, cap_alt;
    uint32_t *tok;              /* first alternative of each token (+1 end) */
    size_t n_tok, cap_tok;
} units_store;

/* One form of one name, as offsets into a units_store.  Positions in alt[]
 * are relative to pos0, alternatives in tok[] to alt0, tokens in next[] to
 * tok0.  Token t has alternatives tok[t] .. tok[t + 1]; alternative a spans
 * positions alt[a] .. alt[a + 1]. */
typedef struct {
    uint32_t pos0, alt0, tok0;
    uint32_t n_pos, n_tok;
    uint64_t mask;              /* query characters that occur in the form */
} units_form;

enum { UNITS_FULL, UNITS_INITIALS };

/* The bit of a query character (a-z, 0-9) in a units_form mask. */
static uint64_t units_bit(char c)
{
    if (c >= 'a' && c <= 'z')
        return UINT64_C(1) << (c - 'a');
    if (c >= '0' && c <= '9')
        return UINT64_C(1) << (26 + c - '0');
    return 0;
}

/* Does query character qc match form character fc? */
static bool units_cmatch(char qc, char fc)
{
    return qc == fc || (fc == 'V' && (qc == 'v' || qc == 'u'));
}

static bool units_is_han(uint32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x323AF);
}

/* ASCII or full-width letter or digit as a lowercase ASCII byte, else 0. */
static char units_alnum(uint32_t cp)
{
    if (cp >= 0xFF10 && cp <= 0xFF5A)
        cp -= 0xFF10 - 0x30;
    if (cp >= '0' && cp <= '9')
        return (char)cp;
    if (cp >= 'a' && cp <= 'z')
        return (char)cp;
    if (cp >= 'A' && cp <= 'Z')
        return (char)(cp - 'A' + 'a');
    return 0;
}

void units_sort_key(strbuf *out, const char *name)
{
    size_t n = strlen(name);
    while (n) {
        uint32_t cp;
        size_t k = utf8_decode(name, n, &cp);
        const char *r[1];
        char c = units_alnum(cp);
        if (c) {
            sb_addc(out, c);
        } else if (units_is_han(cp) && pinyin_readings(cp, r, 1)) {
            sb_adds(out, r[0]);
            sb_addc(out, ' ');    /* "xi an" before "xian" */
        } else if (cp >= 0x80) {
            sb_addc(out, '~');    /* other characters after the letters */
            sb_add(out, name, k);
        }
        name += k;
        n -= k;
    }
}

static void units_push(uint32_t **v, size_t *n, size_t *cap, uint32_t x)
{
    xgrow((void **)v, cap, *n + 1, sizeof **v);
    (*v)[(*n)++] = x;
}

/* Start a token in form f. */
static void units_tok_begin(units_store *st, units_form *f)
{
    units_push(&st->tok, &st->n_tok, &st->cap_tok, (uint32_t)(st->n_alt - f->alt0));
    f->n_tok++;
}

/* Add alternative s[0..n) to the current token of f, unless the token has
 * it already.  Pinyin 'v' (u-umlaut) is stored as 'V' when syl is set. */
static void units_alt_add(units_store *st, units_form *f, const char *s, size_t n, bool syl)
{
    uint32_t first = f->alt0 + st->tok[st->n_tok - 1];
    for (size_t a = first; a < st->n_alt; a++) {
        uint32_t b = a + 1 < st->n_alt ? st->alt[a + 1] : (uint32_t)(st->ch.len - f->pos0);
        const char *have = st->ch.s + f->pos0 + st->alt[a];
        if (b - st->alt[a] != n)
            continue;
        size_t i = 0;
        while (i < n && (have[i] == s[i] || (syl && s[i] == 'v' && have[i] == 'V')))
            i++;
        if (i == n)
            return;
    }
    units_push(&st->alt, &st->n_alt, &st->cap_alt, (uint32_t)(st->ch.len - f->pos0));
    for (size_t i = 0; i < n; i++) {
        char c = syl && s[i] == 'v' ? 'V' : s[i];
        sb_addc(&st->ch, c);
        units_push(&st->next, &st->n_next, &st->cap_next, UNITS_CONT);
        f->mask |= c == 'V' ? units_bit('v') | units_bit('u') : units_bit(c);
    }
    /* The last position of an alternative leads to the next token. */
    st->next[st->n_next - 1] = f->n_tok;
}

/* Build the given form of name (UTF-8) into st. */
static units_form units_form_build(units_store *st, const char *name, int kind)
{
    units_form f = {(uint32_t)st->ch.len, (uint32_t)st->n_alt, (uint32_t)st->n_tok, 0, 0, 0};
    size_t len = strlen(name), i = 0;
    size_t max = pinyin_max_readings();
    const char *rd[16];
    if (max > sizeof rd / sizeof rd[0])
        max = sizeof rd / sizeof rd[0];
    while (i < len) {
        uint32_t cp;
        i += utf8_decode(name + i, len - i, &cp);
        size_t n = pinyin_readings(cp, rd, max);
        char lit = units_alnum(cp);
        if (n > 0) {
            units_tok_begin(st, &f);
            for (size_t r = 0; r < n; r++) {
                if (kind == UNITS_FULL) {
                    units_alt_add(st, &f, rd[r], strlen(rd[r]), true);
                    continue;
                }
                units_alt_add(st, &f, rd[r], 1, true);
                char c0 = rd[r][0];
                if ((c0 == 'z' || c0 == 'c' || c0 == 's') && rd[r][1] == 'h')
                    units_alt_add(st, &f, rd[r], 2, true);
            }
        } else if (lit) {
            units_tok_begin(st, &f);
            units_alt_add(st, &f, &lit, 1, false);
        } else if (units_is_han(cp)) {
            units_tok_begin(st, &f);   /* no alternative: a wall */
        }
    }
    /* The end sentinel of the token table, then of the alternative table. */
    units_push(&st->tok, &st->n_tok, &st->cap_tok, (uint32_t)(st->n_alt - f.alt0));
    units_push(&st->alt, &st->n_alt, &st->cap_alt, (uint32_t)(st->ch.len - f.pos0));
    f.n_pos = (uint32_t)(st->ch.len - f.pos0);
    return f;
}

static void units_store_free(units_store *st)
{
    sb_free(&st->ch);
    free(st->next);
    free(st->alt);
    free(st->tok);
    memset(st, 0, sizeof *st);
}

/* Working memory of the matcher: two lists of positions and a mark per
 * position (all 0 between steps). */
typedef struct {
    uint32_t *cur, *nxt;
    uint8_t *mark;
    size_t cap;
} units_scratch;

static void units_scratch_need(units_scratch *sc, size_t n_pos)
{
    if (n_pos <= sc->cap)
        return;
    free(sc->cur);
    free(sc->nxt);
    free(sc->mark);
    sc->cap = n_pos;
    sc->cur = xmalloc(n_pos * sizeof *sc->cur);
    sc->nxt = xmalloc(n_pos * sizeof *sc->nxt);
    sc->mark = xcalloc(n_pos, 1);
}

static void units_scratch_free(units_scratch *sc)
{
    free(sc->cur);
    free(sc->nxt);
    free(sc->mark);
    memset(sc, 0, sizeof *sc);
}

/* Add the positions that may follow position p (its alternative's next
 * character, or the first character of every alternative of the next
 * token) to out, once each. */
static void units_follow(const units_store *st, const units_form *f, uint32_t p,
                         units_scratch *sc, size_t *n_out)
{
    uint32_t t = st->next[f->pos0 + p];
    if (t == UNITS_CONT) {
        if (!sc->mark[p + 1]) {
            sc->mark[p + 1] = 1;
            sc->nxt[(*n_out)++] = p + 1;
        }
        return;
    }
    if (t >= f->n_tok)
        return;
    const uint32_t *tok = st->tok + f->tok0;
    const uint32_t *alt = st->alt + f->alt0;
    for (uint32_t a = tok[t]; a < tok[t + 1]; a++) {
        uint32_t s = alt[a];
        if (!sc->mark[s]) {
            sc->mark[s] = 1;
            sc->nxt[(*n_out)++] = s;
        }
    }
}

/* Does q[0..m) (lowercase letters and digits, m > 0) spell a piece of form
 * f?  In the pinyin form it may begin inside a syllable, in the initials
 * form only at the start of an alternative. */
static bool units_form_match(const units_store *st, const units_form *f, int kind,
                             const char *q, size_t m, uint64_t qmask, units_scratch *sc)
{
    if (f->n_pos == 0 || (qmask & ~f->mask) != 0)
        return false;
    units_scratch_need(sc, f->n_pos);
    const char *ch = st->ch.s + f->pos0;
    size_t n_out = 0;
    /* Step 0: every admissible start position that matches q[0]. */
    if (kind == UNITS_FULL) {
        for (uint32_t p = 0; p < f->n_pos; p++)
            if (units_cmatch(q[0], ch[p])) {
                if (m == 1)
                    return true;
                units_follow(st, f, p, sc, &n_out);
            }
    } else {
        const uint32_t *alt = st->alt + f->alt0;
        uint32_t n_alt = st->tok[f->tok0 + f->n_tok];
        for (uint32_t a = 0; a < n_alt; a++)
            if (units_cmatch(q[0], ch[alt[a]])) {
                if (m == 1)
                    return true;
                units_follow(st, f, alt[a], sc, &n_out);
            }
    }
    bool found = false;
    for (size_t k = 1; k < m && n_out > 0 && !found; k++) {
        uint32_t *tmp = sc->cur;
        sc->cur = sc->nxt;
        sc->nxt = tmp;
        size_t n_cur = n_out;
        n_out = 0;
        for (size_t i = 0; i < n_cur; i++)
            sc->mark[sc->cur[i]] = 0;
        for (size_t i = 0; i < n_cur && !found; i++) {
            uint32_t p = sc->cur[i];
            if (!units_cmatch(q[k], ch[p]))
                continue;
            if (k == m - 1)
                found = true;
            else
                units_follow(st, f, p, sc, &n_out);
        }
    }
    for (size_t i = 0; i < n_out; i++)   /* leave every mark 0 */
        sc->mark[sc->nxt[i]] = 0;
    return found;
}

/* ------------------------------------------------------------------------
 * Queries.
 * ------------------------------------------------------------------------ */

struct units_query {
    char *text;        /* trimmed, ASCII-lowercased; "" for an empty query */
    char *py;          /* its letters and digits when it is a Latin query, else NULL */
    size_t py_len;
    uint64_t py_mask;  /* units_bit of each character of py */
};

/* Compile q into *cq (trim, fold ASCII case, derive the pinyin query). */
static void units_query_init(struct units_query *cq, const char *q)
{
    size_t n = strlen(q);
    const char *a = text_trim(q, &n);
    cq->text = xmalloc(n + 1);
    cq->py = NULL;
    cq->py_len = 0;
    cq->py_mask = 0;
    bool latin = true;
    for (size_t i = 0; i < n; i++) {
        char c = a[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        cq->text[i] = c;
        if (!units_bit(c) && c != ' ' && c != '\'')
            latin = false;
    }
    cq->text[n] = '\0';
    if (!latin)
        return;
    cq->py = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        if (units_bit(cq->text[i])) {
            cq->py[cq->py_len++] = cq->text[i];
            cq->py_mask |= units_bit(cq->text[i]);
        }
    cq->py[cq->py_len] = '\0';
    if (cq->py_len == 0) {
        free(cq->py);
        cq->py = NULL;
    }
}

static void units_query_fini(struct units_query *cq)
{
    free(cq->text);
    free(cq->py);
}

units_query *units_query_new(const char *q)
{
    units_query *cq = xmalloc(sizeof *cq);
    units_query_init(cq, q);
    return cq;
}

void units_query_free(units_query *q)
{
    if (!q)
        return;
    units_query_fini(q);
    free(q);
}

/* A copy of s with ASCII letters lowercased. */
static char *units_lower(const char *s)
{
    char *t = xstrdup(s);
    for (char *c = t; *c; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return t;
}

/* Does the compiled query match a name given by its lowercased text and
 * its two forms? */
static bool units_match_name(const struct units_query *cq, const char *lower,
                             const units_store *st, const units_form *full,
                             const units_form *ini, units_scratch *sc)
{
    if (strstr(lower, cq->text))
        return true;
    if (!cq->py)
        return false;
    return units_form_match(st, full, UNITS_FULL, cq->py, cq->py_len, cq->py_mask, sc) ||
           units_form_match(st, ini, UNITS_INITIALS, cq->py, cq->py_len, cq->py_mask, sc);
}

bool units_query_match(const units_query *q, const char *name)
{
    if (!q->text[0])
        return true;
    char *lower = units_lower(name);
    bool hit = strstr(lower, q->text) != NULL;
    if (!hit && q->py) {
        units_store st = {0};
        units_scratch sc = {0};
        units_form full = units_form_build(&st, name, UNITS_FULL);
        units_form ini = units_form_build(&st, name, UNITS_INITIALS);
        hit = units_match_name(q, lower, &st, &full, &ini, &sc);
        units_scratch_free(&sc);
        units_store_free(&st);
    }
    free(lower);
    return hit;
}

/* ------------------------------------------------------------------------
 * The per-plan index and search.
 * ------------------------------------------------------------------------ */

struct units_index {
    const plan *p;              /* must outlive the index */
    size_t n_units, n_items;    /* of p when the index was made */
    char **lower;               /* per unit: its name, ASCII-lowercased */
    units_form *forms;          /* per unit: [2u] pinyin, [2u + 1] initials */
    units_store st;
    uint32_t max_pos;           /* largest n_pos of any form */
    /* Posting lists: the items that name unit u in role w (PLAN_LEAD ...)
     * are post[w][off[w][u] .. off[w][u + 1]), ascending. */
    uint32_t *off[PLAN_ROLES];
    uint32_t *post[PLAN_ROLES];
};

units_index *units_index_new(const plan *p)
{
    units_index *ix = xcalloc(1, sizeof *ix);
    ix->p = p;
    ix->n_units = p->n_units;
    ix->n_items = p->n_items;
    ix->lower = xmalloc((p->n_units + 1) * sizeof *ix->lower);
    ix->forms = xmalloc((2 * p->n_units + 1) * sizeof *ix->forms);
    for (size_t u = 0; u < p->n_units; u++) {
        const char *name = p->units[u].name;
        ix->lower[u] = units_lower(name);
        for (int kind = 0; kind < 2; kind++) {
            units_form f = units_form_build(&ix->st, name, kind);
            if (f.n_pos > ix->max_pos)
                ix->max_pos = f.n_pos;
            ix->forms[2 * u + (size_t)kind] = f;
        }
    }
    for (int w = 0; w < PLAN_ROLES; w++) {
        uint32_t *off = xcalloc(p->n_units + 1, sizeof *off);
        for (size_t i = 0; i < p->n_items; i++)
            for (uint32_t k = 0; k < p->items[i].who[w].n; k++)
                off[p->items[i].who[w].unit[k] + 1]++;
        for (size_t u = 0; u < p->n_units; u++)
            off[u + 1] += off[u];
        uint32_t *post = xmalloc((off[p->n_units] + 1) * sizeof *post);
        uint32_t *fill = xmalloc((p->n_units + 1) * sizeof *fill);
        memcpy(fill, off, p->n_units * sizeof *fill);
        for (size_t i = 0; i < p->n_items; i++)
            for (uint32_t k = 0; k < p->items[i].who[w].n; k++)
                post[fill[p->items[i].who[w].unit[k]]++] = (uint32_t)i;
        free(fill);
        ix->off[w] = off;
        ix->post[w] = post;
    }
    return ix;
}

void units_index_free(units_index *ix)
{
    if (!ix)
        return;
    for (size_t u = 0; u < ix->n_units; u++)
        free(ix->lower[u]);
    free(ix->lower);
    free(ix->forms);
    units_store_free(&ix->st);
    for (int w = 0; w < PLAN_ROLES; w++) {
        free(ix->off[w]);
        free(ix->post[w]);
    }
    free(ix);
}

/* Set bit on item i, keeping the counts. */
static void units_hit_item(units_result *r, uint32_t i, uint8_t bit)
{
    uint8_t h = r->item_hit[i];
    if (h & bit)
        return;
    if (!h)
        r->n_items++;
    if (bit == MATCH_LEAD)
        r->n_lead++;
    else if (bit == MATCH_RESP)
        r->n_resp++;
    else if (bit == MATCH_SUPP)
        r->n_supp++;
    else
        r->n_group++;
    r->item_hit[i] = (uint8_t)(h | bit);
}

/* unit_hit flag, during a search only: a group reached through a member. */
#define UNITS_REACHED 0x80

/* Size r by the plan (it may have been reloaded) and empty it. */
static void units_result_reset(const units_index *ix, units_result *r)
{
    size_t nu = ix->n_units, ni = ix->n_items;
    r->unit_hit = xrealloc(r->unit_hit, nu + 1);
    r->item_hit = xrealloc(r->item_hit, ni + 1);
    if (r->cap_units < nu + 1) {
        free(r->units);
        r->units = xmalloc((nu + 1) * sizeof *r->units);
        r->cap_units = nu + 1;
    }
    memset(r->unit_hit, 0, nu + 1);
    memset(r->item_hit, 0, ni + 1);
    r->n_units = r->n_items = r->n_lead = r->n_resp = r->n_supp = r->n_group = 0;
}

/* Does the compiled query match unit u, by its indexed forms? */
static bool units_index_hit(const units_index *ix, const struct units_query *cq, size_t u,
                            units_scratch *sc)
{
    return units_match_name(cq, ix->lower[u], &ix->st, &ix->forms[2 * u],
                            &ix->forms[2 * u + 1], sc);
}

/* r->units holds the matched units (unit_hit 1): add the groups they reach
 * and the items of all of them. */
static void units_search_reach(const units_index *ix, units_result *r)
{
    const plan *p = ix->p;
    size_t nu = ix->n_units;
    /* Groups reached from the matched units, transitively (a group may be
     * a member of another); each is queued once. */
    uint32_t *queue = xmalloc((nu + 1) * sizeof *queue);
    size_t n_queue = 0;
    for (size_t k = 0; k < r->n_units; k++) {
        uint32_t from = r->units[k];
        size_t head = n_queue;
        for (;;) {
            const plan_unit *pu = &p->units[from];
            for (uint32_t g = 0; g < pu->n_groups; g++) {
                uint32_t gu = p->groups[pu->groups[g]].unit;
                if (!(r->unit_hit[gu] & UNITS_REACHED)) {
                    r->unit_hit[gu] |= UNITS_REACHED;
                    queue[n_queue++] = gu;
                }
            }
            if (head == n_queue)
                break;
            from = queue[head++];
        }
    }

    static const uint8_t bit[PLAN_ROLES] = {
        [PLAN_LEAD] = MATCH_LEAD, [PLAN_RESP] = MATCH_RESP, [PLAN_SUPP] = MATCH_SUPP};
    for (size_t k = 0; k < r->n_units; k++) {
        uint32_t u = r->units[k];
        for (int w = 0; w < PLAN_ROLES; w++)
            for (uint32_t j = ix->off[w][u]; j < ix->off[w][u + 1]; j++)
                units_hit_item(r, ix->post[w][j], bit[w]);
    }
    for (size_t k = 0; k < n_queue; k++) {
        uint32_t gu = queue[k];
        for (int w = 0; w < PLAN_ROLES; w++)
            for (uint32_t j = ix->off[w][gu]; j < ix->off[w][gu + 1]; j++)
                units_hit_item(r, ix->post[w][j], MATCH_GROUP);
        r->unit_hit[gu] = (r->unit_hit[gu] & 1) ? 1 : 2;
    }
    free(queue);
}

void units_search(const units_index *ix, const char *q, units_result *r)
{
    units_result_reset(ix, r);
    struct units_query cq;
    units_query_init(&cq, q);
    if (!cq.text[0]) {
        units_query_fini(&cq);
        return;
    }
    units_scratch sc = {0};
    units_scratch_need(&sc, ix->max_pos);
    for (size_t u = 0; u < ix->n_units; u++)
        if (units_index_hit(ix, &cq, u, &sc)) {
            r->unit_hit[u] = 1;
            r->units[r->n_units++] = (uint32_t)u;
        }
    units_scratch_free(&sc);
    units_query_fini(&cq);
    units_search_reach(ix, r);
}

void units_search_unit(const units_index *ix, uint32_t unit, units_result *r)
{
    units_result_reset(ix, r);
    if (unit >= ix->n_units)
        return;
    r->unit_hit[unit] = 1;
    r->units[r->n_units++] = unit;
    units_search_reach(ix, r);
}

size_t units_index_match(const units_index *ix, const char *q, uint8_t *hit)
{
    struct units_query cq;
    units_query_init(&cq, q);
    size_t n = 0;
    if (!cq.text[0]) {
        memset(hit, 1, ix->n_units);
        n = ix->n_units;
    } else {
        units_scratch sc = {0};
        units_scratch_need(&sc, ix->max_pos);
        for (size_t u = 0; u < ix->n_units; u++) {
            hit[u] = units_index_hit(ix, &cq, u, &sc);
            n += hit[u];
        }
        units_scratch_free(&sc);
    }
    units_query_fini(&cq);
    return n;
}

typedef struct {
    uint32_t unit;
    size_t key;               /* offset of its sort key in the key buffer */
} units_sortent;

static const char *units_sort_keys;   /* the key buffer, during one qsort */
static const plan *units_sort_plan;

static int units_by_name(const void *a, const void *b)
{
    const units_sortent *x = a, *y = b;
    int c = strcmp(units_sort_keys + x->key, units_sort_keys + y->key);
    if (!c)
        c = strcmp(units_sort_plan->units[x->unit].name, units_sort_plan->units[y->unit].name);
    return c ? c : (x->unit > y->unit) - (x->unit < y->unit);
}

void units_index_order(const units_index *ix, uint32_t *out)
{
    const plan *p = ix->p;
    units_sortent *e = xmalloc((ix->n_units + 1) * sizeof *e);
    strbuf keys = {0};
    for (size_t u = 0; u < ix->n_units; u++) {
        e[u].unit = (uint32_t)u;
        e[u].key = keys.len;
        units_sort_key(&keys, p->units[u].name);
        sb_addc(&keys, '\0');
    }
    units_sort_keys = keys.s;
    units_sort_plan = p;
    qsort(e, ix->n_units, sizeof *e, units_by_name);
    units_sort_keys = NULL;
    units_sort_plan = NULL;
    for (size_t u = 0; u < ix->n_units; u++)
        out[u] = e[u].unit;
    sb_free(&keys);
    free(e);
}

const char *units_result_member(const plan *p, const units_result *r, uint32_t gu,
                                size_t *n_more)
{
    const char *first = NULL;
    size_t n = 0;
    for (size_t g = 0; g < p->n_groups; g++) {
        if (p->groups[g].unit != gu)
            continue;
        for (uint32_t k = 0; k < p->groups[g].n_members; k++) {
            uint32_t m = p->groups[g].members[k];
            if (!r->unit_hit[m])
                continue;
            if (!first)
                first = p->units[m].name;
            else
                n++;
        }
    }
    if (n_more)
        *n_more = n;
    return first;
}

void units_result_free(units_result *r)
{
    free(r->unit_hit);
    free(r->item_hit);
    free(r->units);
    memset(r, 0, sizeof *r);
}
