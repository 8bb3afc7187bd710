/* import_text.c - reading a notice's text: its head (title, issuer,
 * document number, date), then its plan as a table copied as text (a
 * header row naming the columns) or as numbered paragraphs. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_int.h"
#include "text.h"

enum {
    COL_UNKNOWN, COL_NUM, COL_GOAL, COL_TASK, COL_TEXT, COL_LEAD, COL_RESP, COL_SUPPORT,
    COL_DUE, COL_NOTE
};

typedef struct {
    const char *s;
    size_t n;
} span;

typedef struct {
    imp_plan *p;
    const imp_line *L;
    size_t n;
    bool *used;            /* lines the head or the body took */
    bool *unplaced;        /* lines of the body that could not be placed */
    size_t body_start, body_end;
    imp_goal *goal;        /* where the next task, item or phrase goes */
    imp_task *task;
    int levels;            /* 3: goals, tasks, items; 2: goals and items */
} reader;

static unsigned long lineno(size_t i) { return (unsigned long)i + 1; }

static bool blank_line(const imp_line *l)
{
    size_t n = l->len;
    imp_trim(l->s, &n);
    return n == 0;
}

/* Remove every blank (ASCII, U+3000) from s[0..n) into b. */
static void squeeze(strbuf *b, const char *s, size_t n)
{
    sb_reset(b);
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ' || s[i] == '\t') {
            i++;
        } else if (imp_starts(s + i, n - i, "\xE3\x80\x80")) {
            i += 3;
        } else {
            sb_addc(b, s[i]);
            i++;
        }
    }
    if (!b->s)
        sb_adds(b, "");
}

static bool ends_terminal(const char *s, size_t n)
{
    s = imp_trim(s, &n);
    return imp_ends(s, n, "。") || imp_ends(s, n, "；") || imp_ends(s, n, "！") ||
           imp_ends(s, n, "？") || (n && (s[n - 1] == ';' || s[n - 1] == '!'));
}

/* --- cells --- */

/* Cells split by tabs, by |, one a line, or by commas (a spreadsheet saved
 * as CSV with its Chinese header; only when the header line is so split). */
enum { MODE_TAB, MODE_PIPE, MODE_ONE, MODE_COMMA };

static int line_mode(const imp_line *l)
{
    if (memchr(l->s, '\t', l->len)) {
        /* one cell after leading tabs counts as a lone cell */
        size_t i = 0;
        while (i < l->len && l->s[i] == '\t')
            i++;
        return memchr(l->s + i, '\t', l->len - i) ? MODE_TAB : MODE_ONE;
    }
    size_t n = l->len;
    const char *s = imp_trim(l->s, &n);
    if ((n && s[0] == '|') || imp_find(s, n, " | ") < n)
        return MODE_PIPE;
    return MODE_ONE;
}

/* Split a line at commas outside double quotes; a quoted cell loses its
 * quotes (a doubled "" inside stays doubled). */
static size_t split_commas(const imp_line *l, span **cells, size_t *cap)
{
    const char *s = l->s;
    size_t n = l->len, i = 0, k = 0;
    for (;;) {
        size_t m = n - i;
        const char *c = imp_trim(s + i, &m);
        size_t start = (size_t)(c - s), len;
        if (start < n && s[start] == '"') {
            size_t j = start + 1;
            while (j < n && !(s[j] == '"' && !(j + 1 < n && s[j + 1] == '"')))
                j += s[j] == '"' ? 2 : 1;
            len = (j < n ? j : n) - start - 1;
            c = s + start + 1;
            const char *e = j < n ? memchr(s + j, ',', n - j) : NULL;
            i = e ? (size_t)(e - s) : n;
        } else {
            const char *e = memchr(s + i, ',', n - i);
            size_t end = e ? (size_t)(e - s) : n;
            len = end - i;
            c = imp_trim(s + i, &len);
            i = end;
        }
        xgrow((void **)cells, cap, k + 1, sizeof **cells);
        (*cells)[k++] = (span){c, len};
        if (i >= n)
            break;
        i++;   /* the comma */
    }
    return k;
}

/* Split a line into cells (trimmed). */
static size_t split_cells(const imp_line *l, int mode, span **cells, size_t *cap)
{
    size_t n = l->len, k = 0;
    const char *s = l->s;
    if (mode == MODE_COMMA)
        return split_commas(l, cells, cap);
    if (mode == MODE_PIPE) {
        s = imp_trim(s, &n);
        if (n && s[0] == '|') {
            s++;
            n--;
        }
        if (n && s[n - 1] == '|')
            n--;
    }
    char sep = mode == MODE_TAB ? '\t' : mode == MODE_PIPE ? '|' : '\0';
    size_t i = 0;
    for (;;) {
        const char *e = sep ? memchr(s + i, sep, n - i) : NULL;
        size_t end = e ? (size_t)(e - s) : n;
        size_t len = end - i;
        const char *c = imp_trim(s + i, &len);
        xgrow((void **)cells, cap, k + 1, sizeof **cells);
        (*cells)[k++] = (span){c, len};
        if (!e)
            break;
        i = end + 1;
    }
    return k;
}

static bool separator_row(const imp_line *l)
{
    bool dash = false;
    for (size_t i = 0; i < l->len; i++) {
        char c = l->s[i];
        if (c == '-')
            dash = true;
        else if (c != '|' && c != ':' && c != ' ' && c != '\t' && c != '+' && c != '=')
            return false;
    }
    return dash;
}

/* The column a header cell names. */
static int col_kind(const char *s, size_t n)
{
    strbuf b = {0};
    squeeze(&b, s, n);
    const char *c = b.s;
    size_t m = b.len;
    int k = COL_UNKNOWN;
    /* 牵头单位：县政府办 is a role line, not a column name */
    if (m == 0 || imp_chars(c, m) > 10 || imp_find(c, m, "：") < m || memchr(c, ':', m))
        k = COL_UNKNOWN;
    else if (imp_ends(c, m, "领导") || imp_ends(c, m, "责任人") || imp_ends(c, m, "联系人") ||
             strcmp(c, "备注") == 0)
        k = COL_NOTE;      /* 牵头领导, 责任人: people, not units; 备注 */
    else if (strcmp(c, "序号") == 0 || strcmp(c, "编号") == 0)
        k = COL_NUM;
    else if (imp_find(c, m, "牵头") < m)
        k = COL_LEAD;
    else if (imp_find(c, m, "配合") < m || imp_find(c, m, "协同") < m ||
             imp_find(c, m, "协办") < m || imp_find(c, m, "参与") < m)
        k = COL_SUPPORT;
    else if (imp_find(c, m, "责任") < m || imp_find(c, m, "落实单位") < m ||
             imp_find(c, m, "承办") < m || imp_find(c, m, "主办") < m ||
             imp_find(c, m, "分工") < m)
        k = COL_RESP;
    else if (imp_find(c, m, "时限") < m || imp_find(c, m, "完成时间") < m ||
             imp_find(c, m, "时间节点") < m || imp_find(c, m, "进度") < m)
        k = COL_DUE;
    else if (imp_ends(c, m, "内容") || imp_ends(c, m, "要求") || imp_ends(c, m, "措施") ||
             imp_ends(c, m, "事项"))
        k = COL_TEXT;
    else if (imp_ends(c, m, "任务"))
        k = COL_TASK;
    else if (imp_ends(c, m, "目标") || strcmp(c, "类别") == 0 || strcmp(c, "领域") == 0 ||
             strcmp(c, "板块") == 0 || imp_ends(c, m, "项目"))
        k = COL_GOAL;
    sb_free(&b);
    return k;
}

/* --- numbering, titles, role parentheses --- */

/* s[0..*n) without its numbering marker; the marker's kind and value. */
static const char *unnumber(const char *s, size_t *n, int *kind, long *value)
{
    size_t after;
    long v = 0;
    int k = imp_marker(s, *n, &v, &after);
    if (kind)
        *kind = k;
    if (value)
        *value = k ? v : 0;
    if (!k)
        return imp_trim(s, n);
    *n -= after;
    return imp_trim(s + after, n);
}

static bool is_close_at_end(const char *s, size_t n, size_t *k)
{
    if (imp_ends(s, n, "）") || imp_ends(s, n, "】")) return *k = 3, true;
    if (n && s[n - 1] == ')') return *k = 1, true;
    return false;
}

/* Take role parentheses off the end of s[0..*n) into r; true if any.
 * *stop is the full stop that followed the parenthesis ("。"), when the
 * text before it lacks one (so that the caller can keep it), else NULL. */
static bool take_roles(const char *s, size_t *n, imp_roles *r, int def, const char **stop)
{
    bool any = false;
    *stop = NULL;
    for (int round = 0; round < 4; round++) {
        size_t m = *n;
        imp_trim(s, &m);
        const char *st = NULL;
        while (m && (imp_ends(s, m, "。") || imp_ends(s, m, "；") || s[m - 1] == ';' ||
                     (s[m - 1] == '.' && m > 1))) {
            bool one = s[m - 1] == ';' || s[m - 1] == '.';
            if (!st)
                st = s[m - 1] == '.' ? "." : one ? ";" : imp_ends(s, m, "。") ? "。" : "；";
            m -= one ? 1 : 3;
            imp_trim(s, &m);
        }
        size_t ck;
        if (!is_close_at_end(s, m, &ck))
            break;
        /* the opening parenthesis that the last one closes */
        size_t open = m, i = 0;
        int depth = 0;
        bool found = false;
        while (i < m) {
            uint32_t c;
            size_t k = utf8_decode(s + i, m - i, &c);
            /* （…） (…) or 【…】 */
            if (c == 0xFF08 || c == '(' || c == 0x3010) {
                if (depth == 0)
                    open = i;
                depth++;
            } else if ((c == 0xFF09 || c == ')' || c == 0x3011) && depth > 0) {
                depth--;
                found = depth == 0 && i + k == m;
            }
            i += k;
        }
        if (!found || open >= m)
            break;
        size_t ok = open + (s[open] == '(' ? 1 : 3);
        const char *in = s + ok;
        size_t in_n = m - ck - ok;
        if (!imp_roles_like(in, in_n))
            break;
        imp_roles_parse(r, in, in_n, def);
        any = true;
        size_t before = open;
        imp_trim(s, &before);
        if (st && !*stop && !ends_terminal(s, before))
            *stop = st;
        *n = before;
    }
    return any;
}

/* A title: the text without numbering, up to its first full stop. */
static char *title_of(const char *s, size_t n)
{
    s = unnumber(s, &n, NULL, NULL);
    size_t stop = imp_find(s, n, "。");
    if (stop < n)
        n = stop;
    s = imp_trim(s, &n);
    for (;;) {
        if (imp_ends(s, n, "；") || imp_ends(s, n, "：") || imp_ends(s, n, "．"))
            n -= 3;
        else if (n && (s[n - 1] == '.' || s[n - 1] == ';' || s[n - 1] == ':'))
            n--;
        else
            break;
        s = imp_trim(s, &n);
    }
    /* a heading that is only its number: a title the reader sees to fix */
    return n ? xstrndup(s, n) : xstrdup("（无标题）");
}

/* --- the head --- */

static long num_from(const char *s, size_t n, size_t *len)
{
    /* digits (ASCII, full-width) or Chinese numerals, 〇 as zero digit */
    long v = 0;
    size_t i = 0, d = 0;
    while (i < n && d < 4) {
        uint32_t c;
        size_t k = utf8_decode(s + i, n - i, &c);
        int x = -1;
        if (c >= '0' && c <= '9')
            x = (int)(c - '0');
        else if (c >= 0xFF10 && c <= 0xFF19)
            x = (int)(c - 0xFF10);
        if (x < 0)
            break;
        v = v * 10 + x;
        i += k;
        d++;
    }
    if (d) {
        *len = i;
        return v;
    }
    /* 二〇一九 (digit by digit) or 十二, 二十六 */
    static const uint32_t cn[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                  0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    long digits = 0, total = 0, cur = -1;
    bool ten = false;
    i = 0;
    while (i < n && d < 4) {
        uint32_t c;
        size_t k = utf8_decode(s + i, n - i, &c);
        int x = -1;
        for (int j = 0; j < 10; j++)
            if (c == cn[j])
                x = j;
        if (c == 0x96F6)
            x = 0;
        if (x >= 0) {
            digits = digits * 10 + x;
            cur = x;
        } else if (c == 0x5341) {
            total += (cur < 0 ? 1 : cur) * 10;
            cur = -1;
            ten = true;
        } else {
            break;
        }
        i += k;
        d++;
    }
    if (!d)
        return -1;
    *len = i;
    return ten ? total + (cur > 0 ? cur : 0) : digits;
}

/* A date YYYY年M月D日 in s[0..n): "YYYY-MM-DD" into out; its span. */
static bool find_date(const char *s, size_t n, char out[11], size_t *from, size_t *to)
{
    for (size_t i = 0; i < n; i++) {
        if (((unsigned char)s[i] & 0xC0) == 0x80)
            continue;
        size_t k;
        long y = num_from(s + i, n - i, &k);
        if (y < 1949 || y > 2199 || !imp_starts(s + i + k, n - i - k, "年"))
            continue;
        size_t j = i + k + 3;
        long m = num_from(s + j, n - j, &k);
        if (m < 1 || m > 12 || !imp_starts(s + j + k, n - j - k, "月"))
            continue;
        j += k + 3;
        long d = num_from(s + j, n - j, &k);
        if (d < 1 || d > 31 || !imp_starts(s + j + k, n - j - k, "日"))
            continue;
        snprintf(out, 11, "%04ld-%02ld-%02ld", y, m, d);
        *from = i;
        *to = j + k + 3;
        return true;
    }
    return false;
}

/* 常开委办〔2019〕127号 in s[0..n): its span. */
static bool find_document(const char *s, size_t n, size_t *from, size_t *to)
{
    static const char *const opens[] = {"〔", "[", "【", "（", "(", "﹝", "［"};
    static const char *const closes[] = {"〕", "]", "】", "）", ")", "﹞", "］"};
    for (size_t i = 0; i < n; i++) {
        for (size_t o = 0; o < sizeof opens / sizeof *opens; o++) {
            size_t ol = strlen(opens[o]);
            if (!imp_starts(s + i, n - i, opens[o]))
                continue;
            size_t j = i + ol, k;
            long y = num_from(s + j, n - j, &k);
            if (y < 1949 || y > 2199 || k != 4)
                continue;
            j += k;
            if (!imp_starts(s + j, n - j, closes[o]))
                continue;
            j += strlen(closes[o]);
            long no = num_from(s + j, n - j, &k);
            if (no < 0 || !imp_starts(s + j + k, n - j - k, "号"))
                continue;
            /* back to the start of the word before the bracket */
            size_t a = i;
            while (a > 0) {
                size_t b = a - 1;
                while (b > 0 && ((unsigned char)s[b] & 0xC0) == 0x80)
                    b--;
                uint32_t c;
                utf8_decode(s + b, a - b, &c);
                if (c == ' ' || c == '\t' || c == 0x3000 || c == 0xFF1A || c == ':' ||
                    c == 0xFF0C || c == 0x3001 || c == 0x300A || c == 0xFF08 || c == '(')
                    break;
                a = b;
            }
            if (a == i)
                continue;
            *from = a;
            *to = j + k + 3;
            return true;
        }
    }
    return false;
}

/* The document number with its brackets made 〔〕. */
static char *document_of(const char *s, size_t n)
{
    strbuf b = {0};
    for (size_t i = 0; i < n;) {
        static const char *const from[] = {"[", "【", "（", "(", "﹝", "［",
                                           "]", "】", "）", ")", "﹞", "］"};
        size_t k = 0;
        for (size_t f = 0; f < sizeof from / sizeof *from && !k; f++)
            if (imp_starts(s + i, n - i, from[f])) {
                k = strlen(from[f]);
                sb_adds(&b, f < 6 ? "〔" : "〕");
            }
        if (!k) {
            sb_addc(&b, s[i]);
            k = 1;
        }
        i += k;
    }
    return sb_steal(&b);
}

static bool org_like(const char *s, size_t n)
{
    static const char *const ends[] = {"办公室", "人民政府", "政府", "委员会", "管委会", "局",
                                       "厅", "办", "委", "部", "中心", "院", "会", "处",
                                       "室", "组", "公司", "街道办事处", "办事处"};
    s = imp_trim(s, &n);
    if (n == 0 || imp_chars(s, n) > 30 || imp_find(s, n, "，") < n || imp_find(s, n, "。") < n)
        return false;
    for (size_t i = 0; i < sizeof ends / sizeof *ends; i++)
        if (imp_ends(s, n, ends[i]))
            return true;
    return false;
}

static bool wholly_parenthesised(const char *s, size_t n)
{
    s = imp_trim(s, &n);
    return n >= 2 && (((imp_starts(s, n, "（") || s[0] == '(') &&
                       (imp_ends(s, n, "）") || s[n - 1] == ')')) ||
                      (imp_starts(s, n, "【") && imp_ends(s, n, "】")));
}

/* The depth of （ ( 【 left open at the end of s[0..n) (never below 0). */
static int open_depth(const char *s, size_t n)
{
    int depth = 0;
    for (size_t i = 0; i < n;) {
        uint32_t c;
        i += utf8_decode(s + i, n - i, &c);
        if (c == 0xFF08 || c == '(' || c == 0x3010)
            depth++;
        else if ((c == 0xFF09 || c == ')' || c == 0x3011) && depth > 0)
            depth--;
    }
    return depth;
}

static bool title_like(const imp_line *l)
{
    size_t n = l->len;
    const char *s = imp_trim(l->s, &n);
    char d[11];
    size_t a, b;
    if (n == 0 || imp_chars(s, n) > 40 || memchr(s, '\t', n))
        return false;
    if (imp_ends(s, n, "：") || imp_ends(s, n, "，") || imp_ends(s, n, "。") ||
        imp_ends(s, n, "；") || s[n - 1] == ':' || s[n - 1] == ',')
        return false;
    if (find_date(s, n, d, &a, &b) || find_document(s, n, &a, &b) ||
        wholly_parenthesised(s, n) || imp_starts(s, n, "附件"))
        return false;
    return true;
}

/* Clean a title candidate: 关于印发X的通知 -> X, 《X》 -> X. */
static char *clean_title(const char *s, size_t n)
{
    s = imp_trim(s, &n);
    size_t k = imp_find(s, n, "关于印发");
    if (k < n) {
        s += k + strlen("关于印发");
        n -= k + strlen("关于印发");
        if (imp_ends(s, n, "的通知"))
            n -= strlen("的通知");
        else if (imp_ends(s, n, "通知"))
            n -= strlen("通知");
    }
    if (imp_starts(s, n, "《") && imp_ends(s, n, "》")) {
        s += 3;
        n -= 6;
    }
    s = imp_trim(s, &n);
    return n ? xstrndup(s, n) : NULL;
}

static void join_line(strbuf *b, const imp_line *l)
{
    size_t n = l->len;
    const char *s = imp_trim(l->s, &n);
    /* two Latin letters or digits meeting across the break keep a space */
    if (b->len && n && (unsigned char)b->s[b->len - 1] < 0x80 && (unsigned char)s[0] < 0x80 &&
        b->s[b->len - 1] != ' ')
        sb_addc(b, ' ');
    sb_add(b, s, n);
}

static void read_head(reader *R)
{
    imp_plan *p = R->p;
    char d[11];
    size_t a, b;
    /* document number and date: the head first, then anything outside the body */
    size_t date_line = R->n;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < R->n; i++) {
            bool in_head = i < R->body_start;
            if ((pass == 0) != in_head || (i >= R->body_start && i < R->body_end))
                continue;
            size_t n = R->L[i].len;
            const char *s = imp_trim(R->L[i].s, &n);
            if (!p->document && imp_chars(s, n) <= 40 && find_document(s, n, &a, &b)) {
                p->document = document_of(s + a, b - a);
                R->used[i] = true;
            }
            if (date_line == R->n && find_date(s, n, d, &a, &b)) {
                size_t rest = n - b;
                imp_trim(s + b, &rest);
                if (a == 0 && rest == 0) {   /* a line that is only a date */
                    p->date = xstrdup(d);
                    date_line = i;
                    R->used[i] = true;
                }
            }
        }
    }
    /* issuer: the signature just above the date, or the line above (or the
     * start of) 关于…的通知, or the head line ending in 文件 */
    if (date_line < R->n) {
        for (size_t i = date_line, seen = 0; i > 0 && seen < 3; seen++) {
            i--;
            if (blank_line(&R->L[i]))
                continue;
            if (org_like(R->L[i].s, R->L[i].len)) {
                size_t n = R->L[i].len;
                const char *s = imp_trim(R->L[i].s, &n);
                imp_units u = {0};
                imp_units_add(&u, s, n);   /* () made （） */
                if (u.n)
                    p->issuer = u.v[0];
                free(u.v);
                R->used[i] = true;
            }
            break;
        }
    }
    size_t about = R->n;
    for (size_t i = 0; i < R->body_start; i++) {
        size_t n = R->L[i].len;
        const char *s = imp_trim(R->L[i].s, &n);
        size_t k = imp_find(s, n, "关于");
        if (k < n && imp_chars(s, n) <= 60 && !ends_terminal(s, n)) {
            about = i;
            if (!p->issuer) {
                imp_units u = {0};
                if (k > 0 && org_like(s, k)) {
                    imp_units_add(&u, s, k);
                } else {
                    for (size_t j = i; j > 0;) {
                        j--;
                        if (blank_line(&R->L[j]))
                            continue;
                        if (org_like(R->L[j].s, R->L[j].len))
                            imp_units_add(&u, R->L[j].s, R->L[j].len);
                        break;
                    }
                }
                if (u.n)
                    p->issuer = u.v[0];
                free(u.v);
            }
            break;
        }
    }
    for (size_t i = 0; i < R->body_start && !p->issuer; i++) {
        size_t n = R->L[i].len;
        const char *s = imp_trim(R->L[i].s, &n);
        if (imp_ends(s, n, "文件") && org_like(s, n - strlen("文件"))) {
            imp_units u = {0};
            imp_units_add(&u, s, n - strlen("文件"));
            if (u.n)
                p->issuer = u.v[0];
            free(u.v);
        }
    }
    /* title: the plan's own heading just above the body (prose, blank and
     * parenthesised lines skipped), else 《…》 of 现将《…》印发, else
     * 关于印发…的通知 */
    size_t i = R->body_start, skipped = 0;
    imp_roles scratch = {0};
    while (i > 0 && skipped < 30) {
        const imp_line *l = &R->L[i - 1];
        size_t n = l->len;
        const char *s = imp_trim(l->s, &n);
        if (n == 0 || wholly_parenthesised(s, n) || imp_chars(s, n) > 40 ||
            ends_terminal(s, n) || imp_inherit_phrase(&scratch, s, n)) {
            i--;
            skipped++;
            continue;
        }
        break;
    }
    imp_roles_free(&scratch);
    size_t end = i;
    while (i > 0 && end - i < 4 && title_like(&R->L[i - 1]) && i - 1 != date_line)
        i--;
    strbuf t = {0};
    for (size_t j = i; j < end; j++)
        join_line(&t, &R->L[j]);
    if (t.len && (org_like(t.s, t.len) && end - i == 1))
        sb_reset(&t);   /* a lone signature is not a title */
    if (t.len) {
        p->title = clean_title(t.s, t.len);
        for (size_t j = i; j < end; j++)
            R->used[j] = true;
    }
    for (size_t j = 0; j < R->body_start && !p->title; j++) {
        size_t n = R->L[j].len;
        const char *s = imp_trim(R->L[j].s, &n);
        size_t o = imp_find(s, n, "《");
        if (o < n && imp_find(s, n, "印发") < n) {
            size_t c = imp_find(s + o, n - o, "》");
            if (c < n - o)
                p->title = clean_title(s + o + 3, c - 3);
        }
    }
    if (!p->title && about < R->n) {
        sb_reset(&t);
        for (size_t j = about; j < R->body_start && j < about + 3; j++) {
            join_line(&t, &R->L[j]);
            if (imp_ends(t.s, t.len, "通知"))
                break;
        }
        p->title = clean_title(t.s, t.len);
    }
    /* else the head's first line that reads as a title */
    for (size_t j = 0; j < R->body_start && !p->title; j++)
        if (!R->used[j] && !wholly_parenthesised(R->L[j].s, R->L[j].len) && title_like(&R->L[j]) && !org_like(R->L[j].s, R->L[j].len)) {
            sb_reset(&t);
            join_line(&t, &R->L[j]);
            p->title = clean_title(t.s, t.len);
            R->used[j] = true;
        }
    sb_free(&t);
}

/* The date and the signature after the body (a notice that ends with
 * them), when the head had none. */
static void read_tail(reader *R)
{
    imp_plan *p = R->p;
    char d[11];
    size_t a, b;
    for (size_t i = R->body_end; i < R->n; i++) {
        size_t n = R->L[i].len;
        const char *s = imp_trim(R->L[i].s, &n);
        if (!p->document && imp_chars(s, n) <= 40 && find_document(s, n, &a, &b)) {
            p->document = document_of(s + a, b - a);
            R->used[i] = true;
        }
        if (p->date || !find_date(s, n, d, &a, &b))
            continue;
        size_t rest = n - b;
        imp_trim(s + b, &rest);
        if (a != 0 || rest != 0)
            continue;
        p->date = xstrdup(d);
        R->used[i] = true;
        for (size_t j = i; j > R->body_end && !p->issuer;) {
            j--;
            if (blank_line(&R->L[j]))
                continue;
            if (org_like(R->L[j].s, R->L[j].len)) {
                imp_units u = {0};
                imp_units_add(&u, R->L[j].s, R->L[j].len);
                if (u.n)
                    p->issuer = u.v[0];
                free(u.v);
                R->used[j] = true;
            }
            break;
        }
    }
}

/* --- building --- */

static imp_goal *ensure_goal(reader *R, unsigned long line)
{
    if (!R->goal) {
        const char *t = R->p->title ? R->p->title : "（未命名目标）";
        R->goal = imp_goal_add(R->p, t, strlen(t), line);
        R->task = NULL;
        imp_warn(R->p, line, "an item before any goal: put under a goal named %s; "
                 "check its title", t);
    }
    return R->goal;
}

static imp_item *new_item(reader *R, const char *text, size_t n, unsigned long line)
{
    imp_goal *g = ensure_goal(R, line);
    if (R->levels == 3) {
        if (!R->task) {
            R->task = imp_task_add(g, g->title, strlen(g->title), line);
            imp_warn(R->p, line, "an item before any task of its goal: put under a task "
                     "named after the goal; check its title");
        }
        return imp_item_add_to(&R->task->items, &R->task->n_items, &R->task->cap_items, text,
                               n, line);
    }
    return imp_item_add_to(&g->items, &g->n_items, &g->cap_items, text, n, line);
}

/* A new item of text s[0..n) whose role parentheses join r (then owned
 * by the item). */
static imp_item *new_item_roles(reader *R, const char *s, size_t n, imp_roles *r,
                                unsigned long line)
{
    const char *stop;
    take_roles(s, &n, r, R_RESP, &stop);
    s = imp_trim(s, &n);
    if (n == 0) {
        /* only a number, or only its units: nothing to do is named */
        imp_warn(R->p, line, "an item with no text: left out");
        imp_roles_free(r);
        return NULL;
    }
    imp_item *it;
    if (stop) {
        strbuf b = {0};
        sb_add(&b, s, n);
        sb_adds(&b, stop);
        it = new_item(R, b.s, b.len, line);
        sb_free(&b);
    } else {
        it = new_item(R, s, n, line);
    }
    it->r = *r;
    return it;
}

static void phrase(reader *R, const imp_roles *ph, const char *s, size_t n, unsigned long line)
{
    imp_roles *to;
    const char *where;
    if (!R->goal) {
        to = &R->p->r;
        where = "the whole plan";
    } else if (R->levels == 3 && R->task && R->task->n_items == 0) {
        to = &R->task->r;
        where = "this task";
    } else if (R->goal->n_tasks == 0 && R->goal->n_items == 0) {
        to = &R->goal->r;
        where = "this goal";
    } else if (R->levels == 3 && R->task) {
        to = &R->task->r;
        where = "this task (the items above it included)";
    } else {
        to = &R->goal->r;
        where = "this goal (the items above it included)";
    }
    strbuf b = {0};
    imp_quote(&b, s, n);
    static const char *const role_key[] = {"lead", "responsible", "support"};
    for (int w = 0; w < R_N; w++) {
        if (!ph->who[w].n)
            continue;
        sb_addf(&b, " read as %s: ", role_key[w]);
        for (size_t i = 0; i < ph->who[w].n; i++) {
            sb_addf(&b, "%s%s", i ? "、" : "", ph->who[w].v[i]);
            imp_units_add(&to->who[w], ph->who[w].v[i], strlen(ph->who[w].v[i]));
        }
        to->who[w].more |= ph->who[w].more;
    }
    to->each |= ph->each;
    imp_warn(R->p, line, "%s for %s: check it", b.s, where);
    sb_free(&b);
}

/* A line that applies units to everything after it; true if it was one. */
static bool try_phrase(reader *R, size_t i)
{
    size_t n = R->L[i].len;
    const char *s = imp_trim(R->L[i].s, &n);
    if (imp_find(s, n, "以下") == n && imp_find(s, n, "不再") == n)
        return false;
    /* the sentence holding it */
    imp_roles ph = {0};
    bool ok = imp_inherit_phrase(&ph, s, n);
    if (ok) {
        phrase(R, &ph, s, n, lineno(i));
        R->used[i] = true;
    }
    imp_roles_free(&ph);
    return ok;
}

static bool end_of_plan(const imp_line *l)
{
    size_t n = l->len;
    const char *s = imp_trim(l->s, &n);
    return imp_starts(s, n, "抄送") || imp_starts(s, n, "抄报") ||
           (imp_find(s, n, "印发") < n && imp_ends(s, n, "印发") && imp_chars(s, n) < 50);
}

/* --- tables --- */

typedef struct {
    int kind[32];
    size_t n;
    size_t skip;          /* leading empty cells of the header line */
    int mode;
    size_t text;          /* index of the text column */
} header;

static bool find_header(reader *R, header *h, size_t *at, size_t *after)
{
    span *cells = NULL;
    size_t cap = 0;
    bool found = false;
    for (size_t i = 0; i < R->n && !found; i++) {
        int mode = line_mode(&R->L[i]);
        if (mode == MODE_ONE && memchr(R->L[i].s, ',', R->L[i].len))
            mode = MODE_COMMA;
        size_t k = split_cells(&R->L[i], mode, &cells, &cap);
        size_t known = 0, unknown = 0, nonempty = 0;
        for (size_t c = 0; c < k; c++) {
            if (!cells[c].n)
                continue;
            nonempty++;
            if (col_kind(cells[c].s, cells[c].n) != COL_UNKNOWN)
                known++;
            else
                unknown++;
        }
        if (mode != MODE_ONE && known >= 2 && unknown * 2 <= known && k <= 32) {
            h->mode = mode;
            h->skip = 0;
            while (h->skip < k && !cells[h->skip].n)
                h->skip++;
            h->n = 0;
            for (size_t c = h->skip; c < k; c++)
                h->kind[h->n++] = col_kind(cells[c].s, cells[c].n);
            *at = i;
            *after = i + 1;
            found = true;
        } else if (nonempty == 1 && known == 1) {
            /* one cell a line: the following lines name columns too */
            size_t j = i;
            h->n = 0;
            while (j < R->n && h->n < 32) {
                size_t m = split_cells(&R->L[j], line_mode(&R->L[j]), &cells, &cap);
                span c = {0};
                size_t ne = 0;
                for (size_t x = 0; x < m; x++)
                    if (cells[x].n) {
                        c = cells[x];
                        ne++;
                    }
                int kind = ne == 1 ? col_kind(c.s, c.n) : COL_UNKNOWN;
                if (kind == COL_UNKNOWN)
                    break;
                h->kind[h->n++] = kind;
                j++;
            }
            if (h->n >= 2) {
                h->mode = MODE_ONE;
                h->skip = 0;
                *at = i;
                *after = j;
                found = true;
            }
        }
    }
    free(cells);
    if (!found)
        return false;
    /* no text column: the last of goal/task is the text */
    size_t text = h->n;
    for (size_t c = 0; c < h->n; c++)
        if (h->kind[c] == COL_TEXT && text == h->n)
            text = c;
    if (text == h->n)
        for (size_t c = h->n; c-- > 0;)
            if (h->kind[c] == COL_TASK || h->kind[c] == COL_GOAL) {
                h->kind[c] = COL_TEXT;
                text = c;
                break;
            }
    h->text = text;
    /* a task column without a goal column: the top level (a two-level plan) */
    bool goal = false;
    for (size_t c = 0; c < h->n; c++)
        goal = goal || h->kind[c] == COL_GOAL;
    for (size_t c = 0; c < h->n && !goal; c++)
        if (h->kind[c] == COL_TASK)
            h->kind[c] = COL_GOAL;
    return true;
}

static int cell_heading(const span *c)
{
    long v;
    size_t after;
    int k = imp_marker(c->s, c->n, &v, &after);
    return k == MK_CN || k == MK_PCN ? k : MK_NONE;
}

static bool has_kind(const header *h, int kind)
{
    for (size_t c = 0; c < h->n; c++)
        if (h->kind[c] == kind)
            return true;
    return false;
}

/* Which cell fills each column (-1 for none). */
static void map_row(const header *h, const span *cells, size_t k, long *map)
{
    for (size_t c = 0; c < h->n; c++)
        map[c] = -1;
    if (k >= h->n) {
        for (size_t c = 0; c < h->n; c++)
            map[c] = (long)c;
        return;
    }
    size_t T = h->text, post = h->n - T - 1;
    size_t lo = k > post + 1 ? k - 1 - post : 0;
    size_t hi = k - 1 < T ? k - 1 : T;
    size_t j = hi + 1;
    for (size_t i = lo; i <= hi && i < k; i++)
        if (cells[i].n && !cell_heading(&cells[i])) {
            j = i;
            break;
        }
    if (j > hi) {
        /* no text: headings only, by their kind */
        for (size_t i = 0; i < k; i++) {
            int hk = cell_heading(&cells[i]);
            for (size_t c = 0; c < T; c++)
                if ((hk == MK_CN && h->kind[c] == COL_GOAL) ||
                    (hk == MK_PCN && h->kind[c] == COL_TASK))
                    map[c] = (long)i;
        }
        return;
    }
    map[T] = (long)j;
    for (size_t i = 0; i < j; i++) {
        int hk = cell_heading(&cells[i]);
        long col = -1;
        for (size_t c = 0; c < T; c++)
            if ((hk == MK_CN && h->kind[c] == COL_GOAL) ||
                (hk == MK_PCN && h->kind[c] == COL_TASK))
                col = (long)c;
        if (col < 0 && T >= j - i)
            col = (long)(T - (j - i));
        if (col >= 0)
            map[col] = (long)i;
    }
    for (size_t i = j + 1; i < k && T + (i - j) < h->n; i++)
        map[T + (i - j)] = (long)i;
}

static void table_row(reader *R, const header *h, const span *cells, size_t k, size_t line)
{
    long map[32];
    while (k > 0 && cells[k - 1].n == 0)
        k--;   /* trailing empty cells say nothing about the columns */
    if (k == 0)
        return;
    map_row(h, cells, k, map);
    bool has_goal = has_kind(h, COL_GOAL), has_task = has_kind(h, COL_TASK);
    /* a lone cell: a heading spanning the table, a phrase, or a stray line */
    size_t nonempty = 0, last = 0;
    for (size_t i = 0; i < k; i++)
        if (cells[i].n) {
            nonempty++;
            last = i;
        }
    if (nonempty == 0)
        return;
    /* the header again (a table copied across pages repeats it) */
    size_t known = 0;
    for (size_t i = 0; i < k; i++)
        known += cells[i].n && col_kind(cells[i].s, cells[i].n) != COL_UNKNOWN;
    if (known >= 2 && known == nonempty) {
        R->used[line] = true;
        return;
    }
    if (nonempty == 1 && h->n > 2) {
        const span *c = &cells[last];
        int hk = cell_heading(c);
        if (try_phrase(R, line))
            return;
        if (hk == MK_CN && !has_goal) {
            char *t = title_of(c->s, c->n);
            R->goal = imp_goal_add(R->p, t, strlen(t), lineno(line));
            R->task = NULL;
            free(t);
            R->used[line] = true;
            return;
        }
        if (hk == MK_PCN && !has_task && R->levels == 3) {
            char *t = title_of(c->s, c->n);
            R->task = imp_task_add(ensure_goal(R, lineno(line)), t, strlen(t), lineno(line));
            free(t);
            R->used[line] = true;
            return;
        }
        if (map[h->text] != (long)last) {
            R->unplaced[line] = true;
            return;
        }
    }
    R->used[line] = true;
    const span *text = NULL;
    imp_roles roles = {0};
    long num = 0;
    for (size_t c = 0; c < h->n; c++) {
        if (map[c] < 0)
            continue;
        const span *cell = &cells[map[c]];
        if (!cell->n)
            continue;
        switch (h->kind[c]) {
        case COL_GOAL: {
            char *t = title_of(cell->s, cell->n);
            if (!R->goal || strcmp(R->goal->title, t) != 0) {
                R->goal = imp_goal_add(R->p, t, strlen(t), lineno(line));
                R->task = NULL;
            }
            free(t);
            break;
        }
        case COL_TASK: {
            char *t = title_of(cell->s, cell->n);
            imp_goal *g = ensure_goal(R, lineno(line));
            if (!R->task || strcmp(R->task->title, t) != 0)
                R->task = imp_task_add(g, t, strlen(t), lineno(line));
            free(t);
            break;
        }
        case COL_TEXT: text = cell; break;
        case COL_NUM: {
            size_t after;
            long v;
            if (imp_marker(cell->s, cell->n, &v, &after) == MK_NONE) {
                char buf[16];
                size_t m = cell->n < 15 ? cell->n : 15;
                memcpy(buf, cell->s, m);
                buf[m] = '\0';
                num = strtol(buf, NULL, 10);
            } else {
                num = v;
            }
            break;
        }
        case COL_LEAD: imp_roles_parse(&roles, cell->s, cell->n, R_LEAD); break;
        case COL_RESP: imp_roles_parse(&roles, cell->s, cell->n, R_RESP); break;
        case COL_SUPPORT: imp_roles_parse(&roles, cell->s, cell->n, R_SUPPORT); break;
        case COL_DUE: {
            size_t m = cell->n;
            const char *s = imp_trim(cell->s, &m);
            free(roles.due);
            roles.due = xstrndup(s, m);
            break;
        }
        default: break;
        }
    }
    if (!text) {
        bool any = false;
        for (int w = 0; w < R_N; w++)
            any = any || roles.who[w].n;
        if (any) {
            strbuf b = {0};
            imp_quote(&b, R->L[line].s, R->L[line].len);
            imp_warn(R->p, lineno(line), "%s: units without an item's text: left out", b.s);
            sb_free(&b);
        }
        imp_roles_free(&roles);
        return;
    }
    imp_roles ph = {0};
    if (imp_inherit_phrase(&ph, text->s, text->n)) {
        phrase(R, &ph, text->s, text->n, lineno(line));
        imp_roles_free(&ph);
        imp_roles_free(&roles);
        return;
    }
    imp_roles_free(&ph);
    int mk;
    long v;
    size_t n = text->n;
    const char *s = unnumber(text->s, &n, &mk, &v);
    if (mk == MK_AR || mk == MK_PAR || mk == MK_PAR2 || mk == MK_CIRC)
        num = v;
    else if (mk != MK_NONE) {   /* 一、 or （一） in the text column: keep it */
        n = text->n;
        s = imp_trim(text->s, &n);
    }
    imp_item *it = new_item_roles(R, s, n, &roles, lineno(line));
    if (it)
        it->num = num;
}

/* Rows of a one-cell-a-line table: blocks between empty lines; a block
 * longer than the header splits where a heading starts a new row. */
static size_t count_quotes(const imp_line *l)
{
    size_t q = 0;
    for (size_t i = 0; i < l->len; i++)
        q += l->s[i] == '"';
    return q;
}

/* A cell that held line breaks inside quotes (Excel's copy, a CSV): without
 * its quotes, "" as ", the breaks joined; a copy into *keep. */
static void unbreak_cell(span *c, char **keep)
{
    const char *s = c->s;
    size_t n = c->n;
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
        s++;
        n -= 2;
    }
    strbuf b = {0};
    sb_adds(&b, "");
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' && i + 1 < n && s[i + 1] == '"') {
            sb_addc(&b, '"');
            i++;
        } else if (s[i] == '\n') {
            /* Latin letters or digits on both sides keep a space */
            if (b.len && i + 1 < n && (unsigned char)b.s[b.len - 1] < 0x80 &&
                (unsigned char)s[i + 1] < 0x80 && b.s[b.len - 1] != ' ')
                sb_addc(&b, ' ');
        } else {
            sb_addc(&b, s[i]);
        }
    }
    *keep = sb_steal(&b);
    size_t m = strlen(*keep);
    c->s = imp_trim(*keep, &m);
    c->n = m;
}

static void read_table(reader *R, const header *h, size_t from)
{
    span *cells = NULL, *row = NULL;
    size_t cap = 0, cap_row = 0, n_row = 0, row_line = from;
    R->body_end = R->n;
    for (size_t i = from; i <= R->n; i++) {
        bool end = i == R->n || end_of_plan(&R->L[i]);
        if (h->mode != MODE_ONE) {
            if (end) {
                R->body_end = i;
                break;
            }
            const imp_line *l = &R->L[i];
            if (blank_line(l) || (h->mode == MODE_PIPE && separator_row(l))) {
                R->used[i] = true;
                continue;
            }
            /* a quoted cell with line breaks runs on over the next lines */
            imp_line logical = *l;
            strbuf joined = {0};
            size_t last = i, q = count_quotes(l);
            if (q % 2 == 1 && h->mode != MODE_PIPE) {
                sb_add(&joined, l->s, l->len);
                while (q % 2 == 1 && last + 1 < R->n && last - i < 100) {
                    last++;
                    sb_addc(&joined, '\n');
                    sb_add(&joined, R->L[last].s, R->L[last].len);
                    q += count_quotes(&R->L[last]);
                }
                if (q % 2 == 0)
                    logical = (imp_line){joined.s, joined.len};
                else
                    last = i;
            }
            int mode = h->mode == MODE_COMMA ? MODE_COMMA : line_mode(&logical);
            size_t k = split_cells(&logical, mode == MODE_ONE ? MODE_ONE : h->mode, &cells,
                                   &cap);
            char *keep[32] = {0};
            for (size_t c = 0; c < k && c < 32; c++)
                if ((last > i && memchr(cells[c].s, '\n', cells[c].n)) ||
                    (mode == MODE_COMMA && imp_find(cells[c].s, cells[c].n, "\"\"") < cells[c].n))
                    unbreak_cell(&cells[c], &keep[c]);
            size_t skip = 0;
            while (skip < h->skip && skip < k && !cells[skip].n)
                skip++;
            table_row(R, h, cells + skip, k - skip, i);
            for (size_t c = 0; c < 32; c++)
                free(keep[c]);
            sb_free(&joined);
            for (size_t j = i + 1; j <= last; j++)
                R->used[j] = true;
            i = last;
            continue;
        }
        /* one cell a line: a truly empty line ends a row; a line of blanks
         * with a tab is an empty cell */
        bool sep = end || R->L[i].len == 0 ||
                   (blank_line(&R->L[i]) && !memchr(R->L[i].s, '\t', R->L[i].len));
        if (!sep) {
            size_t m = R->L[i].len;
            const char *s = imp_trim(R->L[i].s, &m);
            bool starts_row = n_row > 0 && n_row >= h->n;
            if (!starts_row && n_row > h->text && m) {
                int hk = imp_marker(s, m, &(long){0}, &(size_t){0});
                starts_row = hk == MK_CN || hk == MK_PCN;
            }
            if (starts_row) {
                table_row(R, h, row, n_row, row_line);
                n_row = 0;
            }
            if (n_row == 0)
                row_line = i;
            xgrow((void **)&row, &cap_row, n_row + 1, sizeof *row);
            row[n_row++] = (span){s, m};
            R->used[i] = true;
            continue;
        }
        if (n_row) {
            table_row(R, h, row, n_row, row_line);
            n_row = 0;
        }
        if (end) {
            R->body_end = i;
            break;
        }
        R->used[i] = true;
    }
    free(cells);
    free(row);
}

/* --- numbered paragraphs --- */

typedef struct {
    int kind;
    long value;
    size_t line;
    strbuf text;     /* without the marker, continuation lines joined */
    bool closed;     /* its role parenthesis has been seen */
} para;

static void read_paragraphs(reader *R, size_t from, const int *level, int item_level)
{
    para *ps = NULL;
    size_t np = 0, cap = 0;
    bool blank = false;
    bool attached = false;   /* the last non-blank line went into the last paragraph */
    R->body_end = R->n;
    /* phrases are placed as we go, so paragraphs are built in order */
    R->levels = item_level >= 2 ? 3 : 2;
    size_t flushed = 0;
    for (size_t i = from; i <= R->n; i++) {
        bool end = i == R->n || end_of_plan(&R->L[i]);
        const imp_line *l = end ? NULL : &R->L[i];
        long v = 0;
        size_t after = 0;
        int kind = l ? imp_marker(l->s, l->len, &v, &after) : MK_NONE;
        if (l && kind == MK_NONE) {
            size_t n = l->len;
            const char *s = imp_trim(l->s, &n);
            if (n == 0) {
                blank = true;
                continue;
            }
            para *P = np ? &ps[np - 1] : NULL;
            imp_roles scratch = {0};
            bool is_phrase = imp_inherit_phrase(&scratch, s, n);
            imp_roles_free(&scratch);
            if (is_phrase) {
                /* placed when the paragraphs before it are built */
                xgrow((void **)&ps, &cap, np + 1, sizeof *ps);
                ps[np++] = (para){.kind = MK_NONE, .line = i};
                blank = false;
                attached = false;
                continue;
            }
            /* the roles on a line of their own: （…） or 牵头单位：…; a
             * parenthesis left open at the line's end goes on to the line
             * that closes it (（牵头单位：A； / 责任单位：B）) */
            strbuf joined = {0};
            const char *s0 = s;   /* the line itself, when the join is not a role line */
            size_t n0 = n, last = i;
            if (P && P->kind != MK_NONE && (s[0] == '(' || imp_starts(s, n, "（") ||
                                            imp_starts(s, n, "【")) &&
                open_depth(s, n) > 0) {
                sb_add(&joined, s, n);
                for (size_t j = i + 1; j < R->n && j < i + 4; j++) {
                    size_t jn = R->L[j].len;
                    const char *js = imp_trim(R->L[j].s, &jn);
                    if (!jn || end_of_plan(&R->L[j]) ||
                        imp_marker(js, jn, &(long){0}, &(size_t){0}) != MK_NONE)
                        break;
                    sb_add(&joined, js, jn);
                    if (open_depth(joined.s, joined.len) == 0) {
                        last = j;
                        break;
                    }
                }
                if (last != i && wholly_parenthesised(joined.s, joined.len)) {
                    s = joined.s;
                    n = joined.len;
                } else {
                    last = i;
                }
            }
            bool paren = wholly_parenthesised(s, n);
            size_t o = paren ? (s[0] == '(' ? 1 : 3) : 0;
            size_t c = paren ? (s[n - 1] == ')' ? 1 : 3) : 0;
            bool role_line = P && imp_chars(s, n) <= 80 && n > o + c &&
                             ((paren && imp_roles_like(s + o, n - o - c)) ||
                              imp_role_label(s, n));
            /* inside a parenthesis the paragraph left open, the line goes on with it */
            if (P && P->text.len && open_depth(P->text.s, P->text.len) > 0 && attached)
                role_line = false;
            if (P && P->kind != MK_NONE && role_line && imp_chars(s, n) <= 80) {
                if (wholly_parenthesised(s, n))
                    sb_add(&P->text, s, n);
                else {
                    sb_adds(&P->text, "（");
                    sb_add(&P->text, s, n);
                    sb_adds(&P->text, "）");
                }
                P->closed = true;
                for (; i < last; i++)
                    R->used[i] = true;
                R->used[i] = true;
                sb_free(&joined);
                blank = false;
                continue;
            }
            sb_free(&joined);
            s = s0;
            n = n0;
            bool cont = false;
            if (P && P->kind != MK_NONE && attached) {
                int lv = level[P->kind];
                if (lv >= item_level)
                    cont = !P->closed && !(blank && ends_terminal(P->text.s, P->text.len));
                else
                    cont = !blank && !ends_terminal(P->text.s, P->text.len) &&
                           imp_find(s, n, "。") == n && imp_chars(s, n) <= 30;
            }
            if (cont) {
                join_line(&P->text, l);
                R->used[i] = true;
                size_t m = P->text.len, ck;
                const char *t = imp_trim(P->text.s, &m);
                while (m && (imp_ends(t, m, "。") || t[m - 1] == '.'))
                    m -= t[m - 1] == '.' ? 1 : 3;
                if (is_close_at_end(t, m, &ck))
                    P->closed = true;
            } else {
                R->unplaced[i] = true;
                attached = false;
            }
            blank = false;
            continue;
        }
        if (end) {
            R->body_end = i;
            break;
        }
        xgrow((void **)&ps, &cap, np + 1, sizeof *ps);
        para *P = &ps[np++];
        *P = (para){.kind = kind, .value = v, .line = i};
        sb_add(&P->text, l->s + after, l->len - after);
        size_t m = P->text.len, ck;
        const char *t = imp_trim(P->text.s, &m);
        while (m && (imp_ends(t, m, "。") || t[m - 1] == '.'))
            m -= t[m - 1] == '.' ? 1 : 3;
        P->closed = is_close_at_end(t, m, &ck);
        R->used[i] = true;
        blank = false;
        attached = true;
    }
    /* the body ends with its last paragraph; what follows is the tail */
    size_t last = from;
    for (size_t i = from; i < R->body_end; i++)
        if (R->used[i])
            last = i + 1;
    R->body_end = last;
    /* build */
    for (size_t k = flushed; k < np; k++) {
        para *P = &ps[k];
        if (P->kind == MK_NONE) {
            try_phrase(R, P->line);
            continue;
        }
        int lv = level[P->kind];
        size_t n = P->text.len;
        const char *s = imp_trim(P->text.s ? P->text.s : "", &n);
        unsigned long line = lineno(P->line);
        const char *stop;
        /* above the items: tasks just above, goals above those */
        int role = lv > item_level ? 3 : lv == item_level ? 2
                 : R->levels == 3 && lv == item_level - 1 ? 1 : 0;
        if (role == 0) {
            imp_roles r = {0};
            take_roles(s, &n, &r, R_RESP, &stop);
            char *t = title_of(s, n);
            R->goal = imp_goal_add(R->p, t, strlen(t), line);
            R->goal->r = r;
            R->task = NULL;
            free(t);
        } else if (role == 1) {
            imp_roles r = {0};
            take_roles(s, &n, &r, R_RESP, &stop);
            char *t = title_of(s, n);
            R->task = imp_task_add(ensure_goal(R, line), t, strlen(t), line);
            R->task->r = r;
            free(t);
        } else if (role == 2) {
            imp_roles r = {0};
            imp_item *it = new_item_roles(R, s, n, &r, line);
            if (it)
                it->num = P->value;
        } else {
            /* deeper than items: part of the item above */
            imp_item *it = NULL;
            if (R->levels == 3 && R->task && R->task->n_items)
                it = &R->task->items[R->task->n_items - 1];
            else if (R->levels == 2 && R->goal && R->goal->n_items)
                it = &R->goal->items[R->goal->n_items - 1];
            if (!it) {
                R->unplaced[P->line] = true;
                R->used[P->line] = false;   /* said, not silently dropped */
                continue;
            }
            imp_roles r = {0};
            take_roles(s, &n, &r, R_RESP, &stop);
            strbuf b = {0};
            sb_adds(&b, it->text);
            size_t ln = R->L[P->line].len;
            const char *raw = imp_trim(R->L[P->line].s, &ln);
            /* the marker as printed, then the text */
            long vv;
            size_t aft;
            imp_marker(raw, ln, &vv, &aft);
            sb_add(&b, raw, aft);
            sb_add(&b, s, n);
            free(it->text);
            it->text = sb_steal(&b);
            for (int w = 0; w < R_N; w++)
                for (size_t u = 0; u < r.who[w].n; u++)
                    imp_units_add(&it->r.who[w], r.who[w].v[u], strlen(r.who[w].v[u]));
            imp_roles_free(&r);
        }
    }
    for (size_t k = 0; k < np; k++)
        sb_free(&ps[k].text);
    free(ps);
}

/* --- after reading --- */

static bool roles_empty(const imp_roles *r)
{
    return !r->who[0].n && !r->who[1].n && !r->who[2].n;
}

static bool items_have_roles(const imp_item *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!roles_empty(&v[i].r))
            return true;
    return false;
}

static bool goal_has_roles(const imp_goal *g)
{
    if (!roles_empty(&g->r) || items_have_roles(g->items, g->n_items))
        return true;
    for (size_t t = 0; t < g->n_tasks; t++)
        if (!roles_empty(&g->tasks[t].r) ||
            items_have_roles(g->tasks[t].items, g->tasks[t].n_items))
            return true;
    return false;
}

/* Free what goal G holds. */
static void goal_free(imp_goal *G)
{
    for (size_t t = 0; t < G->n_tasks; t++) {
        imp_task *T = &G->tasks[t];
        for (size_t i = 0; i < T->n_items; i++) {
            free(T->items[i].text);
            free(T->items[i].id);
            imp_roles_free(&T->items[i].r);
        }
        free(T->items);
        imp_roles_free(&T->r);
        free(T->title);
        free(T->id);
    }
    free(G->tasks);
    for (size_t i = 0; i < G->n_items; i++) {
        free(G->items[i].text);
        free(G->items[i].id);
        imp_roles_free(&G->items[i].r);
    }
    free(G->items);
    imp_roles_free(&G->r);
    free(G->title);
    free(G->id);
}

/* Goals and tasks with nothing in them are left out (with a warning); a
 * section that names no unit while others do is left out (一、总体要求). */
static void prune(reader *R)
{
    imp_plan *p = R->p;
    bool any_roles = false;
    for (size_t g = 0; g < p->n_goals; g++)
        any_roles = any_roles || goal_has_roles(&p->goals[g]);
    size_t kept = 0;
    for (size_t g = 0; g < p->n_goals; g++) {
        imp_goal *G = &p->goals[g];
        bool empty = G->n_tasks == 0 && G->n_items == 0;
        bool unrelated = !empty && any_roles && !goal_has_roles(G);
        if (empty || unrelated) {
            strbuf b = {0};
            imp_quote(&b, G->title, strlen(G->title));
            imp_warn(p, G->line, empty ? "%s has no items under it: left out"
                                       : "%s: none of its paragraphs names a unit, as the "
                                         "other goals' do: left out (a preamble or closing "
                                         "section?)",
                     b.s);
            sb_free(&b);
            goal_free(G);
            continue;
        }
        for (size_t t = 0; t < G->n_tasks; t++) {
            imp_task *T = &G->tasks[t];
            if (T->n_items)
                continue;
            /* a task with no numbered items: it is its own item */
            strbuf b = {0};
            imp_quote(&b, T->title, strlen(T->title));
            imp_warn(p, T->line, "%s has no items under it: made a task with one item of "
                     "the same text", b.s);
            sb_free(&b);
            imp_item *it = imp_item_add_to(&T->items, &T->n_items, &T->cap_items, T->title,
                                           strlen(T->title), T->line);
            it->r = T->r;
            memset(&T->r, 0, sizeof T->r);
        }
        p->goals[kept++] = *G;
    }
    p->n_goals = kept;
}

/* Items that no unit owes, not even through their goal or the plan. */
static void warn_unowned(imp_plan *p)
{
    if (!roles_empty(&p->r))
        return;
    for (size_t g = 0; g < p->n_goals; g++) {
        imp_goal *G = &p->goals[g];
        if (!roles_empty(&G->r))
            continue;
        size_t runs = G->n_tasks ? G->n_tasks : 1;
        for (size_t t = 0; t < runs; t++) {
            if (G->n_tasks && !roles_empty(&G->tasks[t].r))
                continue;
            imp_item *v = G->n_tasks ? G->tasks[t].items : G->items;
            size_t n = G->n_tasks ? G->tasks[t].n_items : G->n_items;
            for (size_t i = 0; i < n; i++)
                if (roles_empty(&v[i].r)) {
                    strbuf b = {0};
                    imp_quote(&b, v[i].text, strlen(v[i].text));
                    imp_warn(p, v[i].line, "%s names no unit: add lead: or responsible: "
                             "by hand", b.s);
                    sb_free(&b);
                }
        }
    }
}

/* Items numbered on through a goal's tasks (or the whole plan): compare
 * the first number of each run of items (a task's, or a two-level goal's)
 * with the last of the run before it. */
static void numbering(imp_plan *p)
{
    size_t cont_goal = 0, restart_goal = 0, cont_plan = 0, restart_plan = 0;
    long last_in_plan = 0;
    for (size_t g = 0; g < p->n_goals; g++) {
        imp_goal *G = &p->goals[g];
        long last = 0;
        size_t runs = G->n_tasks ? G->n_tasks : 1;
        for (size_t t = 0; t < runs; t++) {
            imp_item *v = G->n_tasks ? G->tasks[t].items : G->items;
            size_t n = G->n_tasks ? G->tasks[t].n_items : G->n_items;
            if (!n || v[0].num <= 0)
                continue;
            long first = v[0].num;
            if (t > 0 && last > 0) {
                if (first == last + 1)
                    cont_goal++;
                else if (first == 1)
                    restart_goal++;
            }
            if (t == 0 && g > 0 && last_in_plan > 0) {
                if (first == last_in_plan + 1)
                    cont_plan++;
                else if (first == 1)
                    restart_plan++;
            }
            last = v[n - 1].num;
            last_in_plan = last;
        }
    }
    if (cont_plan && !restart_plan && !restart_goal)
        p->numbering = "plan";
    else if (cont_goal && !restart_goal)
        p->numbering = "goal";
}

static const char shapes[] =
    "--import understands a table copied as text (a header row such as 目标, 任务, "
    "主要内容, 牵头单位, 责任单位, 配合单位, 完成时限; cells split by tabs, by \" | \" or "
    "one a line), numbered paragraphs (一、 （一） 1. (1) ⑴ ①) with their units in a "
    "closing parenthesis, and the CSV of --export csv";

bool imp_read_text(imp_plan *p, const imp_line *lines, size_t n_lines)
{
    reader R = {0};
    R.p = p;
    R.L = lines;
    R.n = n_lines;
    R.used = xcalloc(n_lines + 1, sizeof *R.used);
    R.unplaced = xcalloc(n_lines + 1, sizeof *R.unplaced);
    bool ok = false;
    header h;
    size_t at, after;
    if (find_header(&R, &h, &at, &after)) {
        if (h.text >= h.n) {
            strbuf b = {0};
            imp_quote(&b, lines[at].s, lines[at].len);
            imp_error(p, lineno(at), "the table's header %s names no column for the items' "
                      "text (主要内容, 具体要求, 工作内容, 任务); %s", b.s, shapes);
            sb_free(&b);
            goto out;
        }
        for (size_t i = at; i < after; i++)
            R.used[i] = true;
        R.body_start = at;
        R.levels = has_kind(&h, COL_GOAL) && has_kind(&h, COL_TASK) ? 3 : 2;
        for (size_t i = 0; i < at; i++)
            try_phrase(&R, i);   /* 以下均需…: units of the whole plan */
        read_head(&R);
        read_table(&R, &h, after);
        read_tail(&R);
    } else {
        /* a table without a header row? */
        size_t tabular = 0, first = n_lines;
        for (size_t i = 0; i < n_lines; i++) {
            int mode = line_mode(&lines[i]);
            if (mode == MODE_ONE)
                continue;
            span *cells = NULL;
            size_t cap = 0, k = split_cells(&lines[i], mode, &cells, &cap), ne = 0;
            for (size_t c = 0; c < k; c++)
                ne += cells[c].n > 0;
            free(cells);
            if (ne >= 3) {
                tabular++;
                if (first == n_lines)
                    first = i;
            }
        }
        /* numbered paragraphs: the kinds of marker, in order of appearance */
        int level[MK_KINDS];
        int n_kinds = 0;
        size_t start = n_lines, numbered = 0;
        for (int k = 0; k < MK_KINDS; k++)
            level[k] = -1;
        for (size_t i = 0; i < n_lines; i++) {
            long v;
            size_t a;
            int k = imp_marker(lines[i].s, lines[i].len, &v, &a);
            if (!k)
                continue;
            numbered++;
            if (start == n_lines)
                start = i;
            if (level[k] < 0)
                level[k] = n_kinds++;
        }
        /* the standard order of headings (GB/T 9704: 一、 （一） 1. （1）) wins
         * over the order of appearance: a goal may hold its items directly
         * and the next one tasks (二、 then （一）) */
        {
            int lv[MK_KINDS], m = 0;
            for (int k = MK_CN; k <= MK_CIRC; k++)
                if (level[k] >= 0)
                    lv[m++] = level[k];
            for (int a = 1; a < m; a++)
                for (int b = a; b > 0 && lv[b - 1] > lv[b]; b--) {
                    int t = lv[b];
                    lv[b] = lv[b - 1];
                    lv[b - 1] = t;
                }
            m = 0;
            for (int k = MK_CN; k <= MK_CIRC; k++)
                if (level[k] >= 0)
                    level[k] = lv[m++];
        }
        if (tabular >= 3 && tabular * 2 >= numbered) {
            strbuf b = {0};
            imp_quote(&b, lines[first].s, lines[first].len);
            imp_error(p, lineno(first), "this looks like a table, but no row names its columns: "
                      "its first row %s names none of 目标, 任务, 主要内容, 牵头单位, "
                      "责任单位, 配合单位, 完成时限; add a header row above it; %s", b.s, shapes);
            sb_free(&b);
            goto out;
        }
        if (numbered < 2) {
            imp_error(p, 0, "found no table header and no numbered paragraphs: nothing to "
                      "import; %s", shapes);
            goto out;
        }
        /* the items are the level whose paragraphs end in a role
         * parenthesis most often; without any, the third level (or the
         * deepest there is) */
        size_t with_roles[MK_KINDS] = {0};
        for (size_t i = start; i < n_lines; i++) {
            long v;
            size_t a;
            int k = imp_marker(lines[i].s, lines[i].len, &v, &a);
            if (!k)
                continue;
            imp_roles r = {0};
            size_t n = lines[i].len - a;
            const char *stop;
            if (take_roles(lines[i].s + a, &n, &r, R_RESP, &stop))
                with_roles[k]++;
            imp_roles_free(&r);
        }
        int item_level = n_kinds >= 3 ? 2 : n_kinds - 1;
        size_t best = 0;
        for (int k = 0; k < MK_KINDS; k++)
            if (level[k] >= 0 && (with_roles[k] > best ||
                                  (with_roles[k] == best && best && level[k] < item_level))) {
                best = with_roles[k];
                item_level = level[k];
            }
        R.body_start = start;
        R.body_end = n_lines;
        /* the head is what precedes the body */
        for (size_t i = 0; i < start; i++)
            try_phrase(&R, i);
        read_head(&R);
        read_paragraphs(&R, start, level, item_level);
        read_tail(&R);
    }
    /* lines of the head that name everything below (以下均需…) */
    prune(&R);
    if (p->n_goals == 0) {
        imp_error(p, 0, "no item could be recognised (no row or paragraph with an item's "
                  "text); %s", shapes);
        goto out;
    }
    numbering(p);
    warn_unowned(p);
    for (size_t i = R.body_start; i < R.body_end && i < n_lines; i++)
        if (R.unplaced[i] && !R.used[i]) {
            strbuf b = {0};
            imp_quote(&b, lines[i].s, lines[i].len);
            imp_warn(p, lineno(i), "%s could not be placed (not numbered, not a row, not "
                     "the continuation of the paragraph above): left out", b.s);
            sb_free(&b);
        }
    if (!p->title) {
        p->title = imp_stem_title(p);
        imp_warn(p, 0, "found no title (the plan's heading above its table or its first "
                 "numbered paragraph, or 关于印发…的通知): wrote \"title: %s\"; edit it",
                 p->title);
    }
    ok = true;
out:
    free(R.used);
    free(R.unplaced);
    return ok;
}
