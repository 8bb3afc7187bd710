/* outenc.c - UTF-8 to the locale's codeset through iconv, as a stream
 * (glibc's fopencookie) for --report, --check, --help and messages. */
#include "outenc.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <langinfo.h>
#include <locale.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "text.h"

static char *user_ctype;        /* the user's LC_CTYPE while working in UTF-8 */
static char user_codeset[64];

const char *outenc_codeset(void)
{
    if (user_ctype)
        return user_codeset;
    const char *cs = nl_langinfo(CODESET);
    return cs ? cs : "";
}

bool outenc_work_in_utf8(bool on)
{
    if (!on) {
        if (user_ctype) {
            setlocale(LC_CTYPE, user_ctype);
            free(user_ctype);
            user_ctype = NULL;
        }
        return true;
    }
    if (user_ctype || outenc_is_utf8())
        return true;
    const char *cur = setlocale(LC_CTYPE, NULL);
    if (!cur)
        return false;
    char *saved = xstrdup(cur);
    snprintf(user_codeset, sizeof user_codeset, "%s", outenc_codeset());
    static const char *const names[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8", NULL};
    for (int i = 0; names[i]; i++)
        if (setlocale(LC_CTYPE, names[i])) {
            user_ctype = saved;
            return true;
        }
    free(saved);
    return false;
}

bool outenc_is_utf8(void)
{
    const char *cs = outenc_codeset();
    return strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0;
}

/* Convert in[0..n) through cd onto out, '?' for what cannot be converted.
 * Unless final, an incomplete character at the end is left: returns the
 * bytes consumed. */
static size_t convert(iconv_t cd, strbuf *out, const char *in, size_t n, bool final)
{
    char *ip = (char *)in;
    size_t il = n;
    while (il) {
        size_t room = il * 4 + 16;
        char *op = sb_reserve(out, room), *o0 = op;
        size_t ol = room;
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        out->len += (size_t)(op - o0);
        out->s[out->len] = '\0';
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        if (errno == EINVAL && !final)
            break;   /* the rest of this character comes with the next write */
        /* Not representable there, or not UTF-8: one '?' per character. */
        uint32_t cp;
        size_t k = utf8_decode(ip, il, &cp);
        sb_addc(out, '?');
        ip += k;
        il -= k;
    }
    if (final) {   /* back to the initial shift state, for stateful codesets */
        char tail[16], *op = tail;
        size_t ol = sizeof tail;
        if (iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1)
            sb_add(out, tail, (size_t)(op - tail));
    }
    return n - il;
}

/* iconv_open from UTF-8 to `to`; NULL if iconv has no such conversion. */
static iconv_t open_from_utf8(const char *to)
{
    iconv_t cd = iconv_open(to, "UTF-8");
    /* iconv's API reports failure as (iconv_t)-1. */
    return cd == (iconv_t)-1 ? NULL : cd; // NOLINT(performance-no-int-to-ptr)
}

bool outenc_convert(strbuf *out, const char *to, const char *s, size_t n)
{
    iconv_t cd = open_from_utf8(to);
    if (!cd)
        return false;
    convert(cd, out, s, n, true);
    iconv_close(cd);
    return true;
}

typedef struct {
    iconv_t cd;
    FILE *f;
    char pend[8];     /* an incomplete character from the last write */
    size_t npend;
} conv_stream;

/* Convert and write out; false on a write error. */
static bool put(conv_stream *c, const char *s, size_t n, bool final)
{
    strbuf out = {0};
    size_t used = convert(c->cd, &out, s, n, final);
    c->npend = n - used;
    if (c->npend > sizeof c->pend) {   /* cannot happen: iconv keeps < 4 */
        sb_addc(&out, '?');
        c->npend = 0;
    }
    memcpy(c->pend, s + used, c->npend);
    bool ok = out.len == 0 || fwrite(out.s, 1, out.len, c->f) == out.len;
    sb_free(&out);
    return ok;
}

static ssize_t conv_write(void *cookie, const char *buf, size_t n)
{
    conv_stream *c = cookie;
    bool ok;
    if (c->npend) {
        strbuf in = {0};
        sb_add(&in, c->pend, c->npend);
        sb_add(&in, buf, n);
        ok = put(c, in.s, in.len, false);
        sb_free(&in);
    } else {
        ok = put(c, buf, n, false);
    }
    return ok ? (ssize_t)n : -1;
}

static int conv_close(void *cookie)
{
    conv_stream *c = cookie;
    bool ok = put(c, c->pend, c->npend, true);
    iconv_close(c->cd);
    free(c);
    return ok ? 0 : -1;
}

FILE *outenc_open(FILE *f, bool unbuffered)
{
    if (outenc_is_utf8())
        return f;
    iconv_t cd = open_from_utf8(outenc_codeset());
    if (!cd)
        return f;
    conv_stream *c = xcalloc(1, sizeof *c);
    c->cd = cd;
    c->f = f;
    cookie_io_functions_t io = {.write = conv_write, .close = conv_close};
    FILE *s = fopencookie(c, "w", io);
    if (!s) {
        iconv_close(cd);
        free(c);
        return f;
    }
    if (unbuffered)
        setvbuf(s, NULL, _IONBF, 0);
    else if (isatty(fileno(f)))
        setvbuf(s, NULL, _IOLBF, BUFSIZ);
    return s;
}

int outenc_close(FILE *s, FILE *f)
{
    if (!s || s == f)
        return 0;
    return fclose(s) == 0 ? 0 : EOF;
}
