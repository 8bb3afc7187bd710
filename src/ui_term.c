/* ui_term.c - terminal set-up and tear-down, signals, input, and the
 * headless test mode.
 *
 * Headless mode (tig's read_script/save_display, made for tests): when
 * PLANDASH_TEST_SCRIPT names a file, curses draws into a virtual terminal
 * (PLANDASH_TEST_TERM, default xterm-256color, of PLANDASH_TEST_SIZE
 * COLSxROWS, default 80x24) whose output goes to /dev/null, and keys come
 * from the script instead of the keyboard.  Script lines:
 *
 *   text           each character is a key; <Name> inside names a key:
 *                  <Up> <Down> <Left> <Right> <PgUp> <PgDn> <Home> <End>
 *                  <Enter> <Esc> <Space> <Tab> <Backspace> <Del> <F1>
 *                  <C-x> (control) <lt> (a literal <) <Tick> (a second
 *                  without input) <Resize COLSxROWS> <Click X Y>
 *                  <WheelUp X Y> <WheelDown X Y> <Signal INT|TERM|HUP>
 *   :dump          append the screen as text to PLANDASH_TEST_DUMP: every
 *                  row, trailing spaces trimmed, a wide character once,
 *                  then a line "-----"
 *   :dumpattr      the same with one character per cell: '.' or a hex
 *                  digit of 1 reverse + 2 bold + 4 dim + 8 underline
 *   :dumpcolor     the same with the colour pair number per cell ('.' = 0,
 *                  1-9, then a-z for 10-35)
 *   :sh COMMAND    run COMMAND with sh (to change files between keys)
 *   # comment      (and empty lines) ignored
 *
 * At the end of the script the dashboard quits as with `q`. */
#include "ui_view.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

#include "outenc.h"
#include "termprobe.h"
#include "text.h"

volatile sig_atomic_t ui_signal;

/* How wide Ambiguous characters are (before the screen is set up: the
 * probe talks to the terminal directly), and ASCII chrome.  Headless,
 * nothing is asked: PLANDASH_AMBIGUOUS, else narrow.  A locale in another
 * encoding than UTF-8 (GB18030, GBK) is wide: the C library draws those
 * encodings' “ ” … · ─ │ two columns wide, as the terminals that speak
 * them do. */
static void choose_widths(ui *u, termprobe_stray *stray)
{
    const char *test_term = getenv("PLANDASH_TEST_TERM");
    stray->n = 0;
    if (!outenc_is_utf8()) {
        u->amb = termprobe_policy(getenv("PLANDASH_AMBIGUOUS"), TERMPROBE_UNKNOWN);
        u->amb.wide = true;
        u->amb.reason = TERMPROBE_DEFAULT;
    } else if (u->headless) {
        u->amb = termprobe_policy(getenv("PLANDASH_AMBIGUOUS"), TERMPROBE_UNKNOWN);
    } else {
        fflush(stdout);
        u->amb = termprobe_choose(STDIN_FILENO, STDOUT_FILENO, TERMPROBE_TIMEOUT_MS, stray);
    }
    u->ascii = termprobe_ascii(getenv("PLANDASH_ASCII"),
                               u->headless ? (test_term && *test_term ? test_term : "xterm-256color")
                                           : getenv("TERM"));
    /* curses draws in the user's encoding; text.c's widths then follow it */
    outenc_work_in_utf8(false);
    text_set_ambiguous_wide(u->amb.wide);
    ui_glyph_ascii(u->ascii);
    text_set_ellipsis(ui_glyph(UI_G_ELLIPSIS));
}

static const int ui_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define N_SIGNALS (sizeof ui_signals / sizeof ui_signals[0])
static struct sigaction ui_old_actions[N_SIGNALS];

/* Only records the signal: the loop sees it and leaves through endwin. */
static void on_signal(int sig)
{
    ui_signal = sig;
}

/* A fatal error is on its way (util.c): leave curses mode first, so the
 * message lands on the normal screen of a working terminal. */
static void restore_on_fatal(void)
{
    if (!isendwin())
        endwin();
}

int ui_term_open(ui *u, diags *d)
{
    const char *script = getenv("PLANDASH_TEST_SCRIPT");
    termprobe_stray stray;
    /* Our handlers go in first, so that curses leaves SIGINT and SIGTERM
     * to us (it installs its own only over the default action). */
    ui_signal = 0;
    for (size_t k = 0; k < N_SIGNALS; k++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sa.sa_flags = 0;    /* no SA_RESTART: a blocked read returns at once */
        sigaction(ui_signals[k], &sa, &ui_old_actions[k]);
    }
    if (script && *script) {
        int cols = 80, rows = 24;
        const char *size = getenv("PLANDASH_TEST_SIZE");
        /* test-mode syntax; a bad size falls back to 80x24 */
        if (size && sscanf(size, "%dx%d", &cols, &rows) != 2) /* NOLINT(cert-err34-c) */
            cols = 80, rows = 24;
        const char *term = getenv("PLANDASH_TEST_TERM");
        u->headless = true;
        choose_widths(u, &stray);
        u->dump_path = getenv("PLANDASH_TEST_DUMP");
        u->script = fopen(script, "r");
        if (!u->script) {
            diags_add(d, DIAG_ERROR, script, 0, 0, "cannot read the test script: %s",
                      strerror(errno));
            ui_term_close(u);
            return -1;
        }
        u->tout = fopen("/dev/null", "w");
        /* cppcheck-suppress incompatibleFileOpen ; two streams on /dev/null are fine */
        u->tin = fopen("/dev/null", "r");
        if (u->tout && u->tin)
            u->scr = newterm(term && *term ? term : "xterm-256color", u->tout, u->tin);
        if (!u->scr) {
            diags_add(d, DIAG_ERROR, NULL, 0, 0, "cannot set up the test terminal");
            ui_term_close(u);
            return -1;
        }
        set_term(u->scr);
        resizeterm(rows, cols);
    } else {
        choose_widths(u, &stray);
        u->scr = newterm(NULL, stdout, stdin);
        if (!u->scr) {
            const char *t = getenv("TERM");
            diags_add(d, DIAG_ERROR, NULL, 0, 0,
                      "cannot use the terminal type \"%s\"; set TERM, or use --report",
                      t ? t : "");
            ui_term_close(u);
            return -1;
        }
        set_term(u->scr);
    }
    cbreak();
    noecho();
    nonl();
    intrflush(stdscr, FALSE);
    keypad(stdscr, TRUE);
    /* keys typed while the probe waited, first one first */
    for (size_t k = stray.n; k-- > 0;)
        ungetch(stray.bytes[k]);
    curs_set(0);
    set_escdelay(25);
    mouseinterval(0);
    mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    wtimeout(stdscr, 1000);
    /* Ctrl-S saves a note: the terminal must not take it (and Ctrl-Q) for
     * flow control.  curses restores the shell's modes on exit. */
    struct termios tio;
    if (!u->headless && tcgetattr(STDIN_FILENO, &tio) == 0) {
        tio.c_iflag &= ~(tcflag_t)IXON;
        tcsetattr(STDIN_FILENO, TCSANOW, &tio);
        def_prog_mode();
    }
    ui_colors_init(u);
    pd_on_fatal(restore_on_fatal);
    if (u->amb.bad_setting)
        ui_set_msg(u, true, "PLANDASH_AMBIGUOUS 应为 narrow 或 wide，已忽略");
    return 0;
}

void ui_term_close(ui *u)
{
    pd_on_fatal(NULL);
    if (u->scr) {
        endwin();
        delscreen(u->scr);
        u->scr = NULL;
    }
    if (u->tout)
        fclose(u->tout);
    if (u->tin)
        fclose(u->tin);
    if (u->script)
        fclose(u->script);
    u->tout = u->tin = u->script = NULL;
    free(u->script_line);
    u->script_line = NULL;
    outenc_work_in_utf8(true);
    for (size_t k = 0; k < N_SIGNALS; k++)
        sigaction(ui_signals[k], &ui_old_actions[k], NULL);
}

/* --- headless: dumps --- */

static uint32_t acs_unicode(wchar_t c)
{
    switch (c) {
    case 'q': return 0x2500;
    case 'x': return 0x2502;
    case 'l': return 0x250C;
    case 'k': return 0x2510;
    case 'm': return 0x2514;
    case 'j': return 0x2518;
    case 't': return 0x251C;
    case 'u': return 0x2524;
    case 'w': return 0x252C;
    case 'v': return 0x2534;
    case 'n': return 0x253C;
    default: return (uint32_t)c;
    }
}

enum { DUMP_TEXT, DUMP_ATTR, DUMP_COLOR };

static void dump_screen(ui *u, int what)
{
    if (!u->dump_path)
        return;
    FILE *f = fopen(u->dump_path, "a");
    if (!f)
        return;
    strbuf line = {0};
    for (int y = 0; y < LINES; y++) {
        sb_reset(&line);
        size_t keep = 0;   /* length without trailing blanks */
        for (int x = 0; x < COLS; x++) {
            cchar_t cc;
            wchar_t wch[CCHARW_MAX + 1] = {0};
            attr_t at = 0;
            short pair = 0;
            if (mvwin_wch(stdscr, y, x, &cc) == ERR)
                break;
            getcchar(&cc, wch, &at, &pair, NULL);
            if (what == DUMP_TEXT) {
                char buf[4];
                bool blank = true;
                for (int k = 0; k < CCHARW_MAX && wch[k]; k++) {
                    uint32_t cp = (at & A_ALTCHARSET) && k == 0 ? acs_unicode(wch[k])
                                                                 : (uint32_t)wch[k];
                    sb_add(&line, buf, utf8_encode(cp, buf));
                    blank = blank && cp == ' ';
                }
                if (!wch[0]) {
                    sb_addc(&line, ' ');
                }
                if (!blank)
                    keep = line.len;
                if (wch[0] && wcwidth(wch[0]) == 2)
                    x++;   /* the second cell of a wide character */
            } else {
                char c = '.';
                if (what == DUMP_ATTR) {
                    int bits = ((at & A_REVERSE) ? 1 : 0) | ((at & A_BOLD) ? 2 : 0) |
                               ((at & A_DIM) ? 4 : 0) | ((at & A_UNDERLINE) ? 8 : 0);
                    if (bits)
                        c = "0123456789abcdef"[bits];
                } else if (pair > 0) {
                    c = pair < 10 ? (char)('0' + pair) : pair < 36 ? (char)('a' + pair - 10) : '+';
                }
                sb_addc(&line, c);
                if (c != '.')
                    keep = line.len;
            }
        }
        fprintf(f, "%.*s\n", (int)keep, line.s ? line.s : "");
    }
    fputs("-----\n", f);
    sb_free(&line);
    fclose(f);
}

/* --- headless: the script --- */

static const struct {
    const char *name;
    int key;
} ui_key_names[] = {
    {"Up", UI_FKEY(KEY_UP)},        {"Down", UI_FKEY(KEY_DOWN)},
    {"Left", UI_FKEY(KEY_LEFT)},    {"Right", UI_FKEY(KEY_RIGHT)},
    {"PgUp", UI_FKEY(KEY_PPAGE)},   {"PgDn", UI_FKEY(KEY_NPAGE)},
    {"Home", UI_FKEY(KEY_HOME)},    {"End", UI_FKEY(KEY_END)},
    {"Enter", '\r'},                {"Esc", UI_KEY_ESC},
    {"Space", ' '},                 {"Tab", '\t'},
    {"Backspace", UI_FKEY(KEY_BACKSPACE)}, {"Del", UI_FKEY(KEY_DC)},
    {"F1", UI_FKEY(KEY_F(1))},      {"F2", UI_FKEY(KEY_F(2))},
    {"lt", '<'},
    {"gt", '>'},                    {"Tick", UI_KEY_TICK},
};

static int named_key(ui *u, const char *tok)
{
    int x, y;
    char name[32];
    for (size_t k = 0; k < sizeof ui_key_names / sizeof ui_key_names[0]; k++)
        if (strcmp(tok, ui_key_names[k].name) == 0)
            return ui_key_names[k].key;
    if (strncmp(tok, "C-", 2) == 0 && tok[2] && !tok[3])
        return UI_CTRL(tok[2]);
    if (sscanf(tok, "Resize %dx%d", &x, &y) == 2) { /* NOLINT(cert-err34-c) test syntax */
        resizeterm(y, x);
        return UI_FKEY(KEY_RESIZE);
    }
    if (sscanf(tok, "%31s %d %d", name, &x, &y) == 3) { /* NOLINT(cert-err34-c) test syntax */
        mmask_t b = strcmp(name, "Click") == 0       ? BUTTON1_PRESSED
                    : strcmp(name, "WheelUp") == 0   ? BUTTON4_PRESSED
                    : strcmp(name, "WheelDown") == 0 ? BUTTON5_PRESSED
                                                     : 0;
        if (b) {
            memset(&u->mouse, 0, sizeof u->mouse);
            u->mouse.x = x;
            u->mouse.y = y;
            u->mouse.bstate = b;
            return UI_FKEY(KEY_MOUSE);
        }
    }
    if (sscanf(tok, "Signal %31s", name) == 1) {
        raise(strcmp(name, "TERM") == 0 ? SIGTERM : strcmp(name, "HUP") == 0 ? SIGHUP : SIGINT);
        return UI_KEY_NONE;
    }
    fprintf(stderr, "plandash: test script: unknown key <%s>\n", tok);
    return UI_KEY_NONE;
}

/* Run a ":" command line; false if it is not one. */
static bool script_command(ui *u, const char *line)
{
    if (strcmp(line, ":dump") == 0)
        dump_screen(u, DUMP_TEXT);
    else if (strcmp(line, ":dumpattr") == 0)
        dump_screen(u, DUMP_ATTR);
    else if (strcmp(line, ":dumpcolor") == 0)
        dump_screen(u, DUMP_COLOR);
    else if (strncmp(line, ":sh ", 4) == 0) {
        fflush(NULL);
        if (system(line + 4) != 0)
            fprintf(stderr, "plandash: test script: command failed: %s\n", line + 4);
    } else
        return false;
    return true;
}

static int script_key(ui *u)
{
    for (;;) {
        if (!u->script_line || !u->script_line[u->script_pos]) {
            size_t cap = 0;
            free(u->script_line);
            u->script_line = NULL;
            u->script_pos = 0;
            ssize_t n = getline(&u->script_line, &cap, u->script);
            if (n < 0) {
                u->quit = true;
                return UI_KEY_NONE;
            }
            while (n > 0 && (u->script_line[n - 1] == '\n' || u->script_line[n - 1] == '\r'))
                u->script_line[--n] = 0;
            if (!n || u->script_line[0] == '#' || script_command(u, u->script_line)) {
                u->script_line[0] = 0;
                continue;
            }
        }
        const char *s = u->script_line + u->script_pos;
        if (*s == '<') {
            const char *e = strchr(s, '>');
            if (e && e > s + 1) {
                char tok[64];
                size_t n = (size_t)(e - s - 1);
                if (n >= sizeof tok)
                    n = sizeof tok - 1;
                memcpy(tok, s + 1, n);
                tok[n] = 0;
                u->script_pos += (size_t)(e - s) + 1;
                return named_key(u, tok);
            }
        }
        uint32_t cp;
        u->script_pos += utf8_decode(s, strlen(s), &cp);
        return (int)cp;
    }
}

/* --- input --- */

/* After an ESC: is what follows a cursor position report (ESC [ row ; col
 * R) that came after the probe gave up?  Then it is dropped; otherwise
 * the keys read are put back. */
static bool late_reply(void)
{
    unsigned char buf[32] = {033};
    int keys[32];
    size_t n = 1;
    bool cpr = false;
    wtimeout(stdscr, 0);
    while (n < sizeof buf) {
        int ch = wgetch(stdscr);
        if (ch == ERR)
            break;
        keys[n] = ch;
        buf[n++] = (unsigned char)(ch < 256 ? ch : 0);
        int row, col;
        int k = ch < 256 ? termprobe_parse_cpr(buf, n, &row, &col) : 0;
        if (k > 0) {
            cpr = true;
            break;
        }
        if (k == 0)
            break;
    }
    wtimeout(stdscr, 1000);
    if (!cpr)
        for (size_t k = n; k-- > 1;)
            ungetch(keys[k]);
    return cpr;
}

int ui_term_key(ui *u)
{
    if (u->headless)
        return script_key(u);
    wint_t wc;
    int r = wget_wch(stdscr, &wc);
    if (r == ERR)
        return ui_signal ? UI_KEY_NONE : UI_KEY_TICK;
    if (r == OK && wc == 033 && late_reply())
        return UI_KEY_NONE;
    if (r == KEY_CODE_YES) {
        if (wc == KEY_MOUSE && getmouse(&u->mouse) != OK)
            return UI_KEY_NONE;
        return UI_FKEY(wc);
    }
    return (int)wc;
}
