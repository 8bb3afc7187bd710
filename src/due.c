/* due.c - 完成时限: due words read as a date or as ongoing; due states. */
#include "due.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"

/* Words that make a due ongoing (recurring or without an end). */
static const char *const ongoing_words[] = {
    "持续", "长期", "常态", "每季度", "每季", "每月", "每年", "每半年", "每周",
    "定期", "经常", "及时", "适时", "动态", NULL,
};

/* Words that may follow a date: "前", "之前", "完成" ... */
static const char *const tail_words[] = {
    "之前", "以前", "前", "完成", "结束", "止", "为止", "内", " ", "　", NULL,
};

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

uint32_t due_ymd(int y, int m, int d)
{
    if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return 0;
    return (uint32_t)(y * 10000 + m * 100 + d);
}

long due_days(uint32_t ymd)
{
    /* days from civil (Howard Hinnant's algorithm, proleptic Gregorian) */
    long y = (long)(ymd / 10000), m = (long)(ymd / 100 % 100), d = (long)(ymd % 100);
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Does s start with w?  Then skip it. */
static bool eat(const char **s, const char *w)
{
    size_t n = strlen(w);
    if (strncmp(*s, w, n) != 0)
        return false;
    *s += n;
    return true;
}

/* The value of one digit: ASCII, full-width or a Chinese numeral; -1. */
static int digit(const char **s)
{
    static const char *const cnd[] = {"〇", "零", "一", "二", "三", "四", "五", "六", "七",
                                      "八", "九", "两", "○", "Ｏ", NULL};
    static const int cnv[] = {0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 2, 0, 0};
    unsigned char c = (unsigned char)**s;
    if (c >= '0' && c <= '9') {
        ++*s;
        return c - '0';
    }
    /* full-width digits U+FF10..U+FF19: EF BC 90..99 */
    if (c == 0xEF && (unsigned char)(*s)[1] == 0xBC && (unsigned char)(*s)[2] >= 0x90 &&
        (unsigned char)(*s)[2] <= 0x99) {
        int v = (unsigned char)(*s)[2] - 0x90;
        *s += 3;
        return v;
    }
    for (int k = 0; cnd[k]; k++)
        if (eat(s, cnd[k]))
            return cnv[k];
    return -1;
}

/* A number: digits ("2019", "９", "二〇一九") or Chinese with 十
 * ("十二", "二十一", "三十"); -1 if none. */
static int number(const char **s)
{
    const char *p = *s;
    int v = 0, n = 0, tens = -1;
    for (;;) {
        if (eat(&p, "十")) {
            if (tens >= 0)
                return -1;
            tens = n ? v : 1;
            v = 0;
            n = 0;
            continue;
        }
        const char *q = p;
        int d = digit(&q);
        if (d < 0 || n >= 4)
            break;
        v = v * 10 + d;
        n++;
        p = q;
    }
    if (tens >= 0) {
        if (n > 1)
            return -1;
        v += tens * 10;
    } else if (!n) {
        return -1;
    }
    *s = p;
    return v;
}

/* Only tail words left (前, 之前, 完成 ...)? */
static bool only_tail(const char *s)
{
    while (*s) {
        bool any = false;
        for (int k = 0; tail_words[k] && !any; k++)
            any = eat(&s, tail_words[k]);
        if (!any)
            return false;
    }
    return true;
}

/* The date in words s, or 0; *noyear when it needs a year and has none. */
static uint32_t read_date(const char *s, int year, bool *noyear)
{
    const char *p = s;
    int y = 0, m = 0, d = 0;
    *noyear = false;
    while (eat(&p, " ") || eat(&p, "　"))
        ;
    /* ISO and its cousins: 2019-10-31, 2019/10/31, 2019.10.31 */
    const char *q = p;
    int a = number(&q);
    if (a >= 1900 && (*q == '-' || *q == '/' || *q == '.')) {
        char sep = *q++;
        int b = number(&q);
        if (b > 0 && *q == sep) {
            q++;
            int c = number(&q);
            if (c > 0 && only_tail(q))
                return due_ymd(a, b, c);
        }
        return 0;
    }
    /* [YYYY年] then 底/末/内/上半年/下半年, or N月 then 底/末/N日 */
    if (a >= 1000 && eat(&q, "年")) {
        y = a;
        p = q;
    } else if (eat(&p, "今年")) {
        y = year;
    }
    if (eat(&p, "年底") || eat(&p, "年末") || eat(&p, "年内") || eat(&p, "底") ||
        eat(&p, "末") || eat(&p, "内") || eat(&p, "下半年") || eat(&p, "全年")) {
        m = 12, d = 31;
    } else if (eat(&p, "上半年")) {
        m = 6, d = 30;
    } else {
        m = number(&p);
        if (m < 1 || m > 12 || !eat(&p, "月"))
            return 0;
        if (eat(&p, "底") || eat(&p, "末") || eat(&p, "下旬")) {
            d = -1;
        } else if (eat(&p, "上旬")) {
            d = 10;
        } else if (eat(&p, "中旬")) {
            d = 20;
        } else {
            const char *r = p;
            int n = number(&r);
            if (n > 0 && (eat(&r, "日") || eat(&r, "号"))) {
                d = n;
                p = r;
            } else {
                d = -1;     /* "9月前", "2019年9月": the month's end */
            }
        }
    }
    if (!only_tail(p))
        return 0;
    if (!y)
        y = year;
    if (!y) {
        *noyear = true;
        return 0;
    }
    if (d < 0)
        d = month_days(y, m);
    return due_ymd(y, m, d);
}

int due_parse(const char *words, int year, uint32_t *ymd)
{
    *ymd = 0;
    if (!words || !*words)
        return DUE_NONE;
    for (int k = 0; ongoing_words[k]; k++)
        if (strstr(words, ongoing_words[k]))
            return DUE_ONGOING;
    bool noyear;
    *ymd = read_date(words, year, &noyear);
    if (*ymd)
        return DUE_DATE;
    return noyear ? DUE_NOYEAR : DUE_UNKNOWN;
}

int due_year_of(const char *date)
{
    if (!date)
        return 0;
    const char *p = date;
    int y = number(&p);
    return y >= 1900 && y <= 9999 ? y : 0;
}

uint32_t due_ymd_parse(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int k = 0; k < 10; k++)
        if (k != 4 && k != 7 && (s[k] < '0' || s[k] > '9'))
            return 0;
    int v[3] = {0, 0, 0};   /* digits checked above */
    for (int k = 0, f = 0; k < 10; k++) {
        if (s[k] == '-')
            f++;
        else
            v[f] = v[f] * 10 + (s[k] - '0');
    }
    return due_ymd(v[0], v[1], v[2]);
}

static time_t (*due_clock)(void);

void due_set_clock(time_t (*now)(void))
{
    due_clock = now;
}

uint32_t due_today(bool *bad)
{
    const char *env = getenv("PLANDASH_TODAY");
    if (bad)
        *bad = false;
    if (env && *env) {
        uint32_t v = due_ymd_parse(env);
        if (v)
            return v;
        if (bad)
            *bad = true;
    }
    time_t now = due_clock ? due_clock() : time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm))
        return 19700101;
    return due_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int due_state(bool done, int kind, uint32_t ymd, uint32_t today)
{
    if (done)
        return DUE_S_DONE;
    if (kind != DUE_DATE || !ymd)
        return DUE_S_ONGOING;
    if (ymd < today)
        return DUE_S_OVERDUE;
    if (due_days(ymd) - due_days(today) <= DUE_SOON_DAYS)
        return DUE_S_SOON;
    return DUE_S_OPEN;
}

const char *due_state_word(int state)
{
    static const char *const word[DUE_S_COUNT] = {
#define DUE_STATE_WORD(name, w) [name] = (w),
        DUE_STATES(DUE_STATE_WORD)
#undef DUE_STATE_WORD
    };
    return state >= 0 && state < DUE_S_COUNT ? word[state] : "";
}

void due_iso(strbuf *out, uint32_t ymd)
{
    sb_addf(out, "%04u-%02u-%02u", ymd / 10000, ymd / 100 % 100, ymd % 100);
}

void due_short(strbuf *out, const char *words, int kind, uint32_t ymd)
{
    if (kind == DUE_DATE) {
        sb_addf(out, "%02u-%02u", ymd / 100 % 100, ymd % 100);
    } else if (kind == DUE_ONGOING) {
        sb_adds(out, strstr(words, "长期") ? "长期" : strstr(words, "每") ? "定期" : "持续");
    } else if (words && *words) {
        text_fit(out, words, 5, false);
    }
}
