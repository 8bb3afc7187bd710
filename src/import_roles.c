/* import_roles.c - the words of a notice: numbering markers, unit cells
 * and role parentheses (牵头 负责 配合 分别 等, 完成时限), and the phrase
 * that gives units to everything after it. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_int.h"
#include "text.h"

/* --- brackets and separators --- */

static bool is_open(uint32_t c)
{
    return c == 0xFF08 || c == '(' || c == 0x3014 || c == 0x3010 || c == 0x300A ||
           c == 0x300C || c == 0x300E || c == '[' || c == 0xFE5D || c == 0x3016;
}

static bool is_close(uint32_t c)
{
    return c == 0xFF09 || c == ')' || c == 0x3015 || c == 0x3011 || c == 0x300B ||
           c == 0x300D || c == 0x300F || c == ']' || c == 0xFE5E || c == 0x3017;
}

enum { SEP_NONE, SEP_LIST, SEP_CLAUSE };

/* The separator at s[0..n) (、，, list; ；; 。 clause): its kind, and its
 * length in *k. */
static int sep_at(const char *s, size_t n, size_t *k)
{
    if (n >= 1 && s[0] == ',') return *k = 1, SEP_LIST;
    if (n >= 1 && s[0] == ';') return *k = 1, SEP_CLAUSE;
    if (imp_starts(s, n, "、") || imp_starts(s, n, "，")) return *k = 3, SEP_LIST;
    if (imp_starts(s, n, "；") || imp_starts(s, n, "。")) return *k = 3, SEP_CLAUSE;
    return SEP_NONE;
}

/* The next token of s[*pos..n) up to a separator outside brackets; returns
 * false at the end.  *sep is the kind of separator that ended it. */
static bool next_token(const char *s, size_t n, size_t *pos, const char **tok, size_t *len,
                       int *sep)
{
    if (*pos >= n)
        return false;
    size_t i = *pos;
    int depth = 0;
    *sep = SEP_NONE;
    while (i < n) {
        size_t k = 0;
        int kind = depth == 0 ? sep_at(s + i, n - i, &k) : SEP_NONE;
        if (kind != SEP_NONE) {
            *tok = s + *pos;
            *len = i - *pos;
            *pos = i + k;
            *sep = kind;
            return true;
        }
        uint32_t c;
        size_t step = utf8_decode(s + i, n - i, &c);
        if (is_open(c))
            depth++;
        else if (is_close(c) && depth > 0)
            depth--;
        i += step;
    }
    *tok = s + *pos;
    *len = n - *pos;
    *pos = n;
    return true;
}

/* --- unit names --- */

void imp_units_add(imp_units *u, const char *s, size_t n)
{
    s = imp_trim(s, &n);
    for (;;) {
        if (imp_ends(s, n, "。") || imp_ends(s, n, "．") || imp_ends(s, n, "："))
            n -= 3;
        else if (n && (s[n - 1] == '.' || s[n - 1] == ':'))
            n--;
        else
            break;
        s = imp_trim(s, &n);
    }
    if (n == 0)
        return;
    strbuf b = {0};
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '(')
            sb_adds(&b, "（");
        else if (s[i] == ')')
            sb_adds(&b, "）");
        else if (s[i] == '\t')
            sb_addc(&b, ' ');
        else
            sb_addc(&b, s[i]);
    }
    /* repeated names are dropped (in lists of a sane length: no quadratic
     * cost on a hostile cell of thousands) */
    for (size_t i = 0; i < u->n && u->n < 256; i++)
        if (strcmp(u->v[i], b.s) == 0) {
            sb_free(&b);
            return;
        }
    xgrow((void **)&u->v, &u->cap, u->n + 1, sizeof *u->v);
    u->v[u->n++] = sb_steal(&b);
}

/* --- role words --- */

static bool strip_more(const char *s, size_t *n);

void imp_units_split(imp_units *u, const char *s, size_t n)
{
    size_t pos = 0, len;
    const char *tok;
    int sep;
    while (next_token(s, n, &pos, &tok, &len, &sep)) {
        tok = imp_trim(tok, &len);
        if (pos >= n && imp_ends(tok, len, "等")) {
            len -= strlen("等");
            u->more = true;
        }
        imp_units_add(u, tok, len);
    }
}

enum { W_LEAD = 1, W_RESP = 2, W_SUP = 4, W_EACH = 8, W_MOD = 16 };

static const struct {
    const char *word;
    int what;
} role_words[] = {
    {"牵头落实", W_LEAD}, {"牵头负责", W_LEAD}, {"牵头", W_LEAD},
    {"负责落实", W_RESP}, {"负责", W_RESP}, {"落实", W_RESP}, {"承办", W_RESP},
    {"配合", W_SUP}, {"协同", W_SUP}, {"参与", W_SUP}, {"协助", W_SUP}, {"协办", W_SUP},
    {"分别", W_EACH},
    {"按职责分工", W_MOD}, {"按照职责分工", W_MOD}, {"按职能分工", W_MOD},
    {"按职责", W_MOD}, {"按照职责", W_MOD}, {"共同", W_MOD}, {"具体", W_MOD},
    {"各自", W_MOD}, {"分工", W_MOD},
};

/* Take role words off the end of s[0..*n); return the W_* bits seen. */
static int strip_roles(const char *s, size_t *n)
{
    int seen = 0;
    for (bool again = true; again;) {
        again = false;
        size_t m = *n;
        imp_trim(s, &m);   /* only the end moves: s starts trimmed */
        *n = m;
        for (size_t i = 0; i < sizeof role_words / sizeof *role_words; i++)
            if (imp_ends(s, *n, role_words[i].word)) {
                *n -= strlen(role_words[i].word);
                seen |= role_words[i].what;
                again = true;
                break;
            }
    }
    return seen;
}

/* Take a trailing 等 (等单位, 等部门) off s[0..*n); true if there was one. */
static bool strip_more(const char *s, size_t *n)
{
    static const char *const tails[] = {"等有关单位", "等有关部门", "等相关单位", "等相关部门",
                                        "等单位", "等部门", "等"};
    bool more = false;
    for (bool again = true; again;) {
        again = false;
        for (size_t i = 0; i < sizeof tails / sizeof *tails; i++)
            if (imp_ends(s, *n, tails[i]) && *n > strlen(tails[i])) {
                *n -= strlen(tails[i]);
                more = again = true;
                break;
            }
        if (!again && *n == strlen("等") && imp_ends(s, *n, "等")) {
            *n = 0;
            more = true;
        }
        size_t m = *n;
        imp_trim(s, &m);
        *n = m;
    }
    return more;
}

enum { L_NONE = -1, L_DUE = R_N };

static const struct {
    const char *word;
    int role;
} labels[] = {
    {"牵头单位", R_LEAD}, {"牵头部门", R_LEAD}, {"牵头领导", R_LEAD}, {"牵头", R_LEAD},
    {"责任单位", R_RESP}, {"责任部门", R_RESP}, {"落实单位", R_RESP}, {"承办单位", R_RESP},
    {"主办单位", R_RESP}, {"责任主体", R_RESP}, {"负责单位", R_RESP}, {"责任", R_RESP},
    {"配合单位", R_SUPPORT}, {"配合部门", R_SUPPORT}, {"协同单位", R_SUPPORT},
    {"协办单位", R_SUPPORT}, {"参与单位", R_SUPPORT}, {"配合", R_SUPPORT},
    {"完成时限", L_DUE}, {"时限要求", L_DUE}, {"完成时间", L_DUE}, {"时间要求", L_DUE},
    {"时间节点", L_DUE}, {"时限", L_DUE},
};

/* A label such as 牵头单位： at the start of s[0..n): its role (or L_DUE),
 * and where the text after it starts; L_NONE if none. */
static int label_at(const char *s, size_t n, size_t *after)
{
    for (size_t i = 0; i < sizeof labels / sizeof *labels; i++) {
        if (!imp_starts(s, n, labels[i].word))
            continue;
        size_t k = strlen(labels[i].word);
        size_t m = n - k;
        const char *r = imp_trim(s + k, &m);
        if (imp_starts(r, m, "：")) {
            *after = (size_t)(r - s) + 3;
            return labels[i].role;
        }
        if (m && r[0] == ':') {
            *after = (size_t)(r - s) + 1;
            return labels[i].role;
        }
    }
    return L_NONE;
}

bool imp_role_label(const char *s, size_t n)
{
    size_t after;
    s = imp_trim(s, &n);
    return label_at(s, n, &after) != L_NONE;
}

/* Does s[0..n) hold a due phrase (年底前, 月底前, 日前, 持续推进 ...)? */
static bool imp_due_like(const char *s, size_t n)
{
    static const char *const words[] = {
        "年底前", "年底", "月底前", "月底", "日前", "日之前", "月前", "年前", "季度",
        "持续推进", "长期坚持", "长期", "持续", "常态化", "每年", "每月", "每周",
        "年内", "上半年", "下半年", "全年", "月中旬", "月上旬", "月下旬", "前完成"};
    if (n > 60)
        return false;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (imp_find(s, n, words[i]) < n)
            return true;
    /* 2019-10-31, 2019年9月 */
    for (size_t i = 0; i + 4 < n; i++) {
        bool four = true;
        for (size_t k = 0; k < 4; k++)
            four = four && s[i + k] >= '0' && s[i + k] <= '9';
        if (four && (s[i + 4] == '-' || imp_starts(s + i + 4, n - i - 4, "年")) &&
            (i == 0 || s[i - 1] < '0' || s[i - 1] > '9'))
            return true;
    }
    return false;
}

static void set_due(imp_roles *r, const char *s, size_t n)
{
    s = imp_trim(s, &n);
    while (n && (imp_ends(s, n, "。") || s[n - 1] == '.'))
        n -= s[n - 1] == '.' ? 1 : 3;
    if (imp_ends(s, n, "前完成") || (imp_ends(s, n, "完成") && n > strlen("完成")))
        n -= strlen("完成");
    s = imp_trim(s, &n);
    if (n == 0)
        return;
    free(r->due);
    r->due = xstrndup(s, n);
}

/* Units still waiting for a role word. */
typedef struct {
    const char **s;
    size_t *n;
    bool more;
    size_t count, cap, cap_n;
} pending;

static void pend_add(pending *pd, const char *s, size_t n)
{
    xgrow((void **)&pd->s, &pd->cap, pd->count + 1, sizeof *pd->s);
    xgrow((void **)&pd->n, &pd->cap_n, pd->count + 1, sizeof *pd->n);
    pd->s[pd->count] = s;
    pd->n[pd->count] = n;
    pd->count++;
}

static void pend_flush(pending *pd, imp_roles *r, int role)
{
    for (size_t i = 0; i < pd->count; i++)
        imp_units_add(&r->who[role], pd->s[i], pd->n[i]);
    if (pd->more)
        r->who[role].more = true;
    pd->count = 0;
    pd->more = false;
}

/* The cell as a list of names: whole-cell brackets (【A，B】, （A）) dropped. */
static const char *unwrap(const char *s, size_t *n)
{
    s = imp_trim(s, n);
    static const char *const pairs[][2] = {{"【", "】"}, {"（", "）"}, {"〔", "〕"},
                                           {"(", ")"}, {"[", "]"}};
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        size_t a = strlen(pairs[i][0]), b = strlen(pairs[i][1]);
        if (*n > a + b && imp_starts(s, *n, pairs[i][0]) && imp_ends(s, *n, pairs[i][1])) {
            /* only if the first opening bracket closes at the very end */
            int depth = 0;
            size_t j = 0;
            bool whole = true;
            while (j < *n) {
                uint32_t c;
                size_t k = utf8_decode(s + j, *n - j, &c);
                if (is_open(c))
                    depth++;
                else if (is_close(c) && --depth == 0 && j + k < *n)
                    whole = false;
                j += k;
            }
            if (whole) {
                *n -= a + b;
                return imp_trim(s + a, n);
            }
        }
    }
    return s;
}

/* A bracket at the end of s[0..*n) that holds only role words (市财政局
 * （分别牵头）): taken off; returns the W_* bits of its words. */
static int strip_role_note(const char *s, size_t *n)
{
    size_t o;
    if (imp_ends(s, *n, "）"))
        o = 3;
    else if (*n && s[*n - 1] == ')')
        o = 1;
    else
        return 0;
    for (size_t i = *n - o; i-- > 0;) {
        size_t ol = s[i] == '(' ? 1 : imp_starts(s + i, *n - i, "（") ? 3 : 0;
        if (!ol)
            continue;
        size_t m = *n - o - i - ol;
        int w = m ? strip_roles(s + i + ol, &m) : 0;
        if (w && m == 0 && i > 0) {
            *n = i;
            return w | strip_roles(s, n);
        }
        return 0;
    }
    return 0;
}

/* Where a second role label (牵头单位：, 责任单位:) starts inside s[0..n),
 * outside brackets, after the first character; n if none.  Labels stand
 * after blanks, tabs or U+3000 as well as after 、，；。 (which split the
 * tokens already): 牵头单位：A  责任单位：B is two clauses. */
static size_t label_inside(const char *s, size_t n)
{
    int depth = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t c;
        size_t k = utf8_decode(s + i, n - i, &c);
        size_t after;
        if (i > 0 && depth == 0 && label_at(s + i, n - i, &after) != L_NONE)
            return i;
        if (is_open(c))
            depth++;
        else if (is_close(c) && depth > 0)
            depth--;
        i += k;
    }
    return n;
}

static bool parse(imp_roles *r, const char *s, size_t n, int def, bool *named_role)
{
    s = unwrap(s, &n);
    pending pd = {0};
    int cur = def;
    bool found = false;
    size_t pos = 0;
    const char *tok;
    size_t len;
    int sep;
    *named_role = false;
    while (next_token(s, n, &pos, &tok, &len, &sep)) {
        tok = imp_trim(tok, &len);
        size_t after;
        int lab = label_at(tok, len, &after);
        if (lab != L_NONE) {
            pend_flush(&pd, r, cur);
            *named_role = true;
            if (lab == L_DUE) {
                set_due(r, tok + after, len - after);
                found = found || r->due;
                continue;
            }
            cur = lab;
            tok += after;
            len -= after;
            tok = imp_trim(tok, &len);
        }
        size_t cut = label_inside(tok, len);
        if (cut < len) {
            /* the next label starts a clause of its own */
            pos = (size_t)(tok + cut - s);
            len = cut;
            tok = imp_trim(tok, &len);
            sep = SEP_CLAUSE;
        }
        if (len && imp_due_like(tok, len) && !strip_roles(tok, &(size_t){len})) {
            set_due(r, tok, len);
            found = true;
            continue;
        }
        if (imp_starts(tok, len, "由") && len > strlen("由")) {
            tok += strlen("由");
            len -= strlen("由");
        }
        int w = strip_roles(tok, &len) | strip_role_note(tok, &len);
        if (strip_more(tok, &len))
            pd.more = true;
        if (len) {
            pend_add(&pd, tok, len);
            found = true;
        }
        /* 分别 is about lead units (each leads its own part): 分别牵头, or
         * 分别 in a lead cell; 分别负责 / 按职责分工负责 keep the units
         * responsible and set nothing */
        int to = w & W_LEAD ? R_LEAD : w & W_SUP ? R_SUPPORT : w & W_RESP ? R_RESP : cur;
        if ((w & W_EACH) && to == R_LEAD)
            r->each = true;
        if (w & (W_LEAD | W_RESP | W_SUP)) {
            *named_role = true;
            pend_flush(&pd, r, to);
        }
        if (sep == SEP_CLAUSE)
            pend_flush(&pd, r, cur);
    }
    pend_flush(&pd, r, cur);
    free(pd.s);
    free(pd.n);
    return found;
}

bool imp_roles_parse(imp_roles *r, const char *s, size_t n, int def)
{
    bool named;
    return parse(r, s, n, def, &named);
}

/* Does a name end as the name of a unit does (局, 委, 办, 政府, 各县（市、区）)? */
static bool unit_like(const char *s)
{
    static const char *const ends[] = {
        "局", "委", "办", "厅", "中心", "政府", "部门", "单位", "街道", "镇", "乡", "所", "站",
        "院", "会", "公司", "室", "队", "处", "组", "馆", "社区", "部", "集团", "行", "团",
        "联", "校", "园区", "区", "县", "市", "署", "台", "社", "机关", "科", "股"};
    size_t n = strlen(s);
    if (imp_ends(s, n, "）")) {   /* 各县（市、区）, 各镇（街道） */
        size_t o = imp_find(s, n, "（");
        return o > 0 && o < n && imp_chars(s, n) <= 20;
    }
    if (imp_chars(s, n) > 20)
        return false;
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        if (imp_ends(s, n, ends[i]))
            return true;
    return false;
}

bool imp_roles_like(const char *s, size_t n)
{
    static const char *const not_roles[] = {"简称", "包括", "例如", "如：", "含", "即"};
    for (size_t i = 0; i < sizeof not_roles / sizeof *not_roles; i++)
        if (imp_find(s, n, not_roles[i]) < n)
            return false;
    imp_roles r = {0};
    bool named = false;
    bool found = parse(&r, s, n, R_RESP, &named);
    bool due = r.due != NULL;
    /* a bare list of units: (市发改委、市财政局) */
    bool units = found && !named && r.who[R_RESP].n > 0;
    for (int w = 0; w < R_N; w++)
        for (size_t i = 0; i < r.who[w].n && units; i++)
            units = unit_like(r.who[w].v[i]);
    imp_roles_free(&r);
    return found && (named || due || units);
}

bool imp_inherit_phrase(imp_roles *r, const char *s, size_t n)
{
    size_t at = imp_find(s, n, "不再逐一列出");
    if (at == n)
        at = imp_find(s, n, "不再一一列出");
    size_t below = imp_find(s, n, "以下");
    if (at == n && below == n)
        return false;
    static const char *const verbs[] = {"均需", "均须", "均由", "均要", "均应", "都需", "都要"};
    size_t from = n, vlen = 0;
    for (size_t i = 0; i < sizeof verbs / sizeof *verbs; i++) {
        size_t k = imp_find(s, n, verbs[i]);
        if (k < from) {
            from = k;
            vlen = strlen(verbs[i]);
        }
    }
    if (from == n)
        return false;
    from += vlen;
    size_t to = at < n ? at : n;
    if (to <= from)
        return false;
    const char *c = s + from;
    size_t len = to - from;
    c = imp_trim(c, &len);
    while (len && (imp_ends(c, len, "，") || imp_ends(c, len, "。") || c[len - 1] == ',')) {
        len -= c[len - 1] == ',' ? 1 : 3;
        c = imp_trim(c, &len);
    }
    imp_roles tmp = {0};
    bool named;
    bool ok = parse(&tmp, c, len, R_RESP, &named) && named;
    if (!ok && named) {
        /* the units before the verb: 以下各项任务各县市区均需落实 */
        imp_roles_free(&tmp);
        size_t start = below < from - vlen ? below : 0;
        const char *b = s + start;
        size_t bn = from - vlen - start;
        static const char *const lead_words[] = {"以下", "各项任务", "各项工作", "所有任务",
                                                 "任务", "工作", "各项", "中", "，", ","};
        for (bool again = true; again;) {
            again = false;
            b = imp_trim(b, &bn);
            for (size_t i = 0; i < sizeof lead_words / sizeof *lead_words; i++)
                if (imp_starts(b, bn, lead_words[i])) {
                    b += strlen(lead_words[i]);
                    bn -= strlen(lead_words[i]);
                    again = true;
                }
        }
        strbuf j = {0};
        sb_add(&j, b, bn);
        sb_add(&j, c, len);
        ok = bn > 0 && parse(&tmp, j.s, j.len, R_RESP, &named) && named;
        sb_free(&j);
    }
    if (ok) {
        for (int w = 0; w < R_N; w++) {
            for (size_t i = 0; i < tmp.who[w].n; i++)
                imp_units_add(&r->who[w], tmp.who[w].v[i], strlen(tmp.who[w].v[i]));
            r->who[w].more |= tmp.who[w].more;
        }
        r->each |= tmp.each;
    }
    imp_roles_free(&tmp);
    return ok;
}

/* --- numbering markers --- */

static int cn_digit(uint32_t c)
{
    static const uint32_t d[] = {0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    for (int i = 0; i < 10; i++)
        if (c == d[i])
            return i;
    if (c == 0x3007)   /* 〇 */
        return 0;
    if (c == 0x4E24)   /* 两 */
        return 2;
    return -1;
}

/* A Chinese numeral (一 … 九十九, 一百) at s; its value, or -1; *len bytes. */
static long cn_number(const char *s, size_t n, size_t *len)
{
    long total = 0, cur = -1;
    size_t i = 0;
    bool any = false;
    while (i < n) {
        uint32_t c;
        size_t k = utf8_decode(s + i, n - i, &c);
        int d = cn_digit(c);
        if (d >= 0) {
            cur = d;
        } else if (c == 0x5341) {   /* 十 */
            total += (cur < 0 ? 1 : cur) * 10;
            cur = -1;
        } else if (c == 0x767E) {   /* 百 */
            total += (cur < 0 ? 1 : cur) * 100;
            cur = -1;
        } else {
            break;
        }
        any = true;
        i += k;
        if (i > 18)
            return -1;
    }
    *len = i;
    if (!any)
        return -1;
    return total + (cur > 0 ? cur : 0);
}

/* ASCII or full-width digits at s: value, or -1; *len bytes. */
static long ar_number(const char *s, size_t n, size_t *len)
{
    long v = 0;
    size_t i = 0, digits = 0;
    while (i < n && digits < 4) {
        if (s[i] >= '0' && s[i] <= '9') {
            v = v * 10 + (s[i] - '0');
            i++;
        } else if (n - i >= 3 && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
                   (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
            v = v * 10 + ((unsigned char)s[i + 2] - 0x90);
            i += 3;
        } else {
            break;
        }
        digits++;
    }
    *len = i;
    return digits ? v : -1;
}

static size_t open_paren(const char *s, size_t n)
{
    return imp_starts(s, n, "（") ? 3 : n && s[0] == '(' ? 1 : 0;
}

static size_t close_paren(const char *s, size_t n)
{
    return imp_starts(s, n, "）") ? 3 : n && s[0] == ')' ? 1 : 0;
}

/* 、 ． . (not before a digit) after a number. */
static size_t stop_mark(const char *s, size_t n)
{
    if (imp_starts(s, n, "、") || imp_starts(s, n, "．"))
        return 3;
    if (n && s[0] == '.' && !(n > 1 && s[1] >= '0' && s[1] <= '9'))
        return 1;
    return 0;
}

/* An outline number 1.2 or 1.2.3 followed by a blank, 、 or ．: its last
 * part's value (or -1), its length in *len, MK_DEC2 or MK_DEC3 in *kind. */
static long outline(const char *s, size_t n, size_t *len, int *kind)
{
    size_t i = 0, k;
    long v = -1;
    int parts = 0;
    while (parts < 3) {
        if (parts && !(i + 1 < n && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9'))
            break;
        if (parts)
            i++;
        if (s[i] < '0' || s[i] > '9' || (v = ar_number(s + i, n - i, &k)) < 0)
            return -1;
        i += k;
        parts++;
    }
    if (parts < 2)
        return -1;
    size_t m = stop_mark(s + i, n - i);
    if (m == 0 && !(i == n || s[i] == ' ' || s[i] == '\t' || imp_starts(s + i, n - i, "　")))
        return -1;
    *len = i + m;
    *kind = parts == 2 ? MK_DEC2 : MK_DEC3;
    return v;
}

int imp_marker(const char *s0, size_t n0, long *value, size_t *after)
{
    size_t n = n0;
    const char *s = imp_trim(s0, &n);
    size_t lead = (size_t)(s - s0), k, m, p;
    long v;
    int kind = MK_NONE;
    if ((p = open_paren(s, n)) != 0) {
        if ((v = cn_number(s + p, n - p, &k)) > 0 && (m = close_paren(s + p + k, n - p - k))) {
            kind = MK_PCN;
        } else if ((v = ar_number(s + p, n - p, &k)) > 0 &&
                   (m = close_paren(s + p + k, n - p - k))) {
            kind = MK_PAR;
        }
        if (kind)
            k += p + m;
    } else if ((v = cn_number(s, n, &k)) > 0 && (m = stop_mark(s + k, n - k))) {
        kind = MK_CN;
        k += m;
    } else if ((v = outline(s, n, &k, &kind)) > 0) {
        /* 1.1 or 1.1.1, then a blank */
    } else if ((v = ar_number(s, n, &k)) > 0 && (m = stop_mark(s + k, n - k))) {
        kind = MK_AR;
        k += m;
    } else if ((v = ar_number(s, n, &k)) > 0 && (m = close_paren(s + k, n - k))) {
        kind = MK_PAR;
        k += m;
    } else {
        uint32_t c;
        k = utf8_decode(s, n, &c);
        if (c >= 0x2474 && c <= 0x2487) {
            kind = MK_PAR2;
            v = (long)c - 0x2474 + 1;
        } else if (c >= 0x2460 && c <= 0x2473) {
            kind = MK_CIRC;
            v = (long)c - 0x2460 + 1;
        }
    }
    if (!kind)
        return MK_NONE;
    size_t rest = n - k;
    const char *t = imp_trim(s + k, &rest);
    *value = v;
    *after = lead + (size_t)(t - s);
    return kind;
}

/* --- names left doubtful --- */

/* Why the unit name s is doubtful (a role label, a colon, an unbalanced
 * bracket left in it), or NULL. */
static const char *doubtful(const char *s)
{
    static const char *const words[] = {"牵头单位", "责任单位", "配合单位", "协同单位",
                                        "完成时限", "牵头部门", "责任部门", "配合部门",
                                        "时限要求", "协办单位"};
    size_t n = strlen(s);
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (imp_find(s, n, words[i]) < n)
            return "holds a role label";
    if (imp_find(s, n, "：") < n || memchr(s, ':', n))
        return "holds a colon";
    int depth = 0;
    for (size_t i = 0; i < n && depth >= 0;) {
        uint32_t c;
        i += utf8_decode(s + i, n - i, &c);
        if (is_open(c))
            depth++;
        else if (is_close(c))
            depth--;
    }
    if (depth != 0)
        return "has an unbalanced bracket";
    return NULL;
}

static void check_roles(imp_plan *p, const imp_roles *r, unsigned long line, const char *what)
{
    static const char *const keys[R_N] = {"lead", "responsible", "support"};
    for (int w = 0; w < R_N; w++)
        for (size_t i = 0; i < r->who[w].n; i++) {
            const char *why = doubtful(r->who[w].v[i]);
            if (!why)
                continue;
            strbuf b = {0};
            imp_quote(&b, r->who[w].v[i], strlen(r->who[w].v[i]));
            imp_warn(p, line, "the %s unit %s of %s %s: written as it is; check it against "
                     "the notice", keys[w], b.s, what, why);
            sb_free(&b);
        }
}

void imp_check_units(imp_plan *p)
{
    check_roles(p, &p->r, 0, "the plan");
    for (size_t g = 0; g < p->n_goals; g++) {
        const imp_goal *G = &p->goals[g];
        check_roles(p, &G->r, G->line, "a goal");
        for (size_t i = 0; i < G->n_items; i++)
            check_roles(p, &G->items[i].r, G->items[i].line, "an item");
        for (size_t t = 0; t < G->n_tasks; t++) {
            const imp_task *T = &G->tasks[t];
            check_roles(p, &T->r, T->line, "a task");
            for (size_t i = 0; i < T->n_items; i++)
                check_roles(p, &T->items[i].r, T->items[i].line, "an item");
        }
    }
}
