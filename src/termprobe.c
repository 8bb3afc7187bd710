/* termprobe.c - the Ambiguous-width probe (ESC [6n) and its policy. */
#include "termprobe.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#define PROBE_CP 0x201C   /* “ LEFT DOUBLE QUOTATION MARK, class A */

int termprobe_parse_cpr(const unsigned char *buf, size_t n, int *row, int *col)
{
    static const char shape[] = "\033[";
    size_t i = 0;
    for (; i < 2; i++) {
        if (i == n)
            return -1;
        if (buf[i] != (unsigned char)shape[i])
            return 0;
    }
    int v[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        size_t digits = 0;
        for (; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) {
            if (++digits > 5)
                return 0;
            v[k] = v[k] * 10 + (buf[i] - '0');
        }
        if (i == n)
            return -1;
        if (!digits || buf[i] != (k == 0 ? ';' : 'R'))
            return 0;
        i++;
    }
    *row = v[0];
    *col = v[1];
    return (int)i;
}

/* Write all of s[0..n) to fd; false on an error. */
static bool write_all(int fd, const char *s, size_t n)
{
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        s += w;
        n -= (size_t)w;
    }
    return true;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Find a complete reply in buf[0..n): its offset in *at and length in *len.
 * Returns true if found. */
static bool find_reply(const unsigned char *buf, size_t n, size_t *at, size_t *len, int *col)
{
    for (size_t i = 0; i < n; i++) {
        int row, c;
        int k = buf[i] == 033 ? termprobe_parse_cpr(buf + i, n - i, &row, &c) : 0;
        if (k > 0) {
            *at = i;
            *len = (size_t)k;
            *col = c;
            return true;
        }
    }
    return false;
}

static void keep_stray(termprobe_stray *stray, const unsigned char *s, size_t n)
{
    if (!stray)
        return;
    size_t room = sizeof stray->bytes - stray->n;
    if (n > room)
        n = room;
    memcpy(stray->bytes + stray->n, s, n);
    stray->n += n;
}

termprobe_width termprobe_ambiguous(int fd_in, int fd_out, int timeout_ms,
                                    termprobe_stray *stray)
{
    if (stray)
        stray->n = 0;
    if (!isatty(fd_in) || !isatty(fd_out))
        return TERMPROBE_UNKNOWN;
    /* The probe character in the terminal's encoding (UTF-8, GB18030...). */
    char mb[16];
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t mbn = wcrtomb(mb, (wchar_t)PROBE_CP, &st);
    if (mbn == (size_t)-1 || mbn == 0 || mbn > 8)
        return TERMPROBE_UNKNOWN;

    struct termios saved, raw;
    if (tcgetattr(fd_in, &saved) != 0)
        return TERMPROBE_UNKNOWN;
    raw = saved;
    /* No echo (the reply must not show), no line buffering, no signals from
     * keys for these 100 ms (Ctrl-C would leave the terminal raw): a key
     * typed now is kept as a stray byte. */
    raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 0;
    if (tcsetattr(fd_in, TCSANOW, &raw) != 0)
        return TERMPROBE_UNKNOWN;

    /* Save the cursor, go to the start of its row, the probe, the query. */
    char out[32];
    int outn = snprintf(out, sizeof out, "\0337\r%.*s\033[6n", (int)mbn, mb);
    termprobe_width result = TERMPROBE_UNKNOWN;
    unsigned char buf[512];
    size_t n = 0;
    if (outn > 0 && write_all(fd_out, out, (size_t)outn)) {
        long deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
        for (;;) {
            size_t at, len;
            int col;
            if (find_reply(buf, n, &at, &len, &col)) {
                result = col == 2 ? TERMPROBE_NARROW : col == 3 ? TERMPROBE_WIDE
                                                                : TERMPROBE_UNKNOWN;
                keep_stray(stray, buf, at);
                keep_stray(stray, buf + at + len, n - at - len);
                n = 0;
                break;
            }
            long left = deadline - now_ms();
            if (left <= 0 || n == sizeof buf)
                break;
            struct pollfd pfd = {.fd = fd_in, .events = POLLIN};
            int pr = poll(&pfd, 1, (int)left);
            if (pr < 0 && errno == EINTR)
                continue;
            if (pr <= 0)
                break;
            ssize_t r = read(fd_in, buf + n, sizeof buf - n);
            if (r < 0 && (errno == EINTR || errno == EAGAIN))
                continue;
            if (r <= 0)
                break;
            n += (size_t)r;
        }
        /* No (complete) reply: everything read is typeahead, or the start
         * of a reply that came too late; the latter is not handed on. */
        if (n) {
            size_t keep = n;
            for (size_t i = 0; i < n; i++) {
                int row, col;
                if (buf[i] == 033 && termprobe_parse_cpr(buf + i, n - i, &row, &col) < 0 &&
                    n - i > 2) {
                    keep = i;
                    break;
                }
            }
            keep_stray(stray, buf, keep);
        }
        /* Erase the probe: the row from its start, then the saved cursor. */
        write_all(fd_out, "\r\033[K\0338", 7);
    }
    tcsetattr(fd_in, TCSANOW, &saved);
    return result;
}

termprobe_mode termprobe_policy(const char *setting, termprobe_width detected)
{
    termprobe_mode m = {false, TERMPROBE_DEFAULT, false};
    if (setting && *setting) {
        if (strcasecmp(setting, "wide") == 0 || strcasecmp(setting, "narrow") == 0) {
            m.wide = strcasecmp(setting, "wide") == 0;
            m.reason = TERMPROBE_SET;
            return m;
        }
        m.bad_setting = true;
    }
    if (detected != TERMPROBE_UNKNOWN) {
        m.wide = detected == TERMPROBE_WIDE;
        m.reason = TERMPROBE_DETECTED;
    }
    return m;
}

termprobe_mode termprobe_choose(int fd_in, int fd_out, int timeout_ms, termprobe_stray *stray)
{
    const char *setting = getenv("PLANDASH_AMBIGUOUS");
    termprobe_mode m = termprobe_policy(setting, TERMPROBE_UNKNOWN);
    if (stray)
        stray->n = 0;
    if (m.reason == TERMPROBE_SET)
        return m;
    return termprobe_policy(setting, termprobe_ambiguous(fd_in, fd_out, timeout_ms, stray));
}

const char *termprobe_label(const termprobe_mode *m)
{
    if (m->reason == TERMPROBE_SET)
        return m->wide ? "歧义宽度字符：宽（已设定） Ambiguous width: wide (set)"
                       : "歧义宽度字符：窄（已设定） Ambiguous width: narrow (set)";
    if (m->reason == TERMPROBE_DETECTED)
        return m->wide ? "歧义宽度字符：宽（检测） Ambiguous width: wide (detected)"
                       : "歧义宽度字符：窄（检测） Ambiguous width: narrow (detected)";
    return m->wide ? "歧义宽度字符：宽 Ambiguous width: wide"
                   : "歧义宽度字符：窄（默认） Ambiguous width: narrow (default)";
}

bool termprobe_ascii(const char *ascii, const char *term)
{
    if (ascii && *ascii)
        return strcmp(ascii, "0") != 0;
    if (!term || !*term)
        return false;
    static const char *const plain[] = {"dumb", "linux", "vt52", "vt100", "vt102",
                                        "vt220", "vt320", "ansi", NULL};
    for (int i = 0; plain[i]; i++) {
        size_t k = strlen(plain[i]);
        if (strncmp(term, plain[i], k) == 0 && (term[k] == 0 || term[k] == '-'))
            return true;
    }
    return false;
}
