/* ui.c - the dashboard's loop: the stack of views, keys routed to the
 * view on top, the status and the plan file watched, the shared scroll.
 *
 * Every change of status goes through ui_refresh_status then status_set
 * or status_undo at once: nothing is ever left unsaved.  A second without
 * input refreshes the status (marks made by another process appear) and
 * reloads the plan file if it changed on disk.
 *
 * Exit status: q, Ctrl-C (SIGINT) and the end of a test script leave with
 * 0 (a SIGINT while the note editor is open is its Ctrl-C: it asks); SIGTERM and SIGHUP with 128 + the signal number.  The terminal is
 * restored (endwin) on every way out, a fatal error (out of memory)
 * included. */
#include "ui.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lockfile.h"
#include "ui_tree.h"
#include "due.h"
#include "ui_view.h"

#include "history.h"

/* --- scrolling, for every list --- */

void ui_scroll_clamp(ui_scroll *s, size_t n, size_t h)
{
    if (h == 0)
        h = 1;
    if (s->style != UI_SCROLL_PAGER) {
        if (s->sel >= n)
            s->sel = n ? n - 1 : 0;
        if (s->sel < s->top)
            s->top = s->sel;
        if (s->sel >= s->top + h)
            s->top = s->sel - h + 1;
    }
    if (s->top + h > n)
        s->top = n > h ? n - h : 0;
}

static size_t back(size_t x, size_t by)
{
    return x > by ? x - by : 0;
}

bool ui_scroll_act(ui_scroll *s, int action, size_t n, size_t h)
{
    if (h == 0)
        h = 1;
    size_t step;
    bool wheel = action == UI_ACT_WHEEL_UP || action == UI_ACT_WHEEL_DOWN;
    switch (action) {
    case UI_ACT_UP:
    case UI_ACT_DOWN: step = 1; break;
    case UI_ACT_PGUP:
    case UI_ACT_PGDN: step = h; break;
    case UI_ACT_WHEEL_UP:
    case UI_ACT_WHEEL_DOWN: step = 3; break;
    case UI_ACT_FIRST:
        s->sel = s->top = 0;
        ui_scroll_clamp(s, n, h);
        return true;
    case UI_ACT_LAST:
        s->sel = n ? n - 1 : 0;
        s->top = s->style == UI_SCROLL_PAGER ? n : s->top;
        ui_scroll_clamp(s, n, h);
        return true;
    default: return false;
    }
    bool up = action == UI_ACT_UP || action == UI_ACT_PGUP || action == UI_ACT_WHEEL_UP;
    /* a pager moves its view; a view-list its view by pages and the
     * wheel; a menu only its selection */
    bool move_top = s->style == UI_SCROLL_PAGER || (s->style == UI_SCROLL_VIEW && step > 1);
    bool move_sel = s->style != UI_SCROLL_PAGER && !(s->style == UI_SCROLL_VIEW && wheel);
    if (move_top)
        s->top = up ? back(s->top, step) : s->top + step;
    if (move_sel)
        s->sel = up ? back(s->sel, step) : s->sel + step;
    if (s->style == UI_SCROLL_VIEW && wheel) {
        /* the view moved: the selection follows into it */
        if (s->top + h > n)
            s->top = n > h ? n - h : 0;
        if (s->sel < s->top)
            s->sel = s->top;
        if (s->sel >= s->top + h)
            s->sel = s->top + h - 1;
    }
    ui_scroll_clamp(s, n, h);
    return true;
}

int ui_mouse_wheel(const MEVENT *m)
{
    if (m->bstate & BUTTON4_PRESSED)
        return UI_ACT_WHEEL_UP;
    if (m->bstate & BUTTON5_PRESSED)
        return UI_ACT_WHEEL_DOWN;
    return UI_ACT_NONE;
}

/* --- the stack of views --- */

void ui_view_push(ui *u, ui_view *v)
{
    v->below = u->top;
    u->top = v;
}

/* Take v out of the stack and free it (never the tree). */
static void view_close(ui *u, ui_view *v)
{
    for (ui_view **at = &u->top; *at; at = &(*at)->below)
        if (*at == v) {
            *at = v->below;
            v->ops->free(v);
            return;
        }
}

/* Tell v and the views under it, bottom first, of ev; close those that
 * ask. */
static int event_from(ui *u, ui_view *v, int ev)
{
    if (!v)
        return 0;
    int f = event_from(u, v->below, ev);
    if (!v->ops->event)
        return f;
    int r = v->ops->event(v, u, ev);
    if (r & UI_CLOSE) {
        view_close(u, v);
        r = (r & ~UI_CLOSE) | UI_DRAW_ALL;
    }
    return f | r;
}

int ui_views_event(ui *u, int ev)
{
    return event_from(u, u->top, ev);
}

/* --- messages and the status --- */

void ui_set_msg(ui *u, bool error, const char *fmt, ...)
{
    strbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&b, fmt, ap);
    va_end(ap);
    if (u->msg_keep) {   /* a message that waits for a key: keep it */
        sb_free(&b);
        return;
    }
    free(u->msg);
    u->msg = sb_steal(&b);
    u->msg_error = error;
}

/* The first error (or, with none, the first message), as --check lists
 * it first. */
static const char *first_error(const diags *d)
{
    for (size_t k = 0; k < d->n; k++)
        if (d->v[k].level == DIAG_ERROR)
            return d->v[k].text;
    return d->n ? d->v[0].text : NULL;
}

int ui_show_errors(ui *u)
{
    const char *t = first_error(&u->msgs);
    if (!t)
        return 0;
    ui_set_msg(u, true, "%s", t);
    diags_clear(&u->msgs);
    return UI_DRAW_STATUS;
}

int ui_refresh_status(ui *u)
{
    bool changed = false;
    if (status_refresh(u->s, u->p, &changed, &u->msgs) < 0)
        return ui_show_errors(u);
    if (!changed)
        return 0;
    return ui_views_event(u, UI_EV_STATUS) | UI_REBUILD | UI_DRAW_ALL;
}

/* Can we save?  At start and on every tick: when the status file or its
 * folder is not writable, u->readonly says why (the title shows it and
 * the keys that change something say it instead of trying). */
static int check_readonly(ui *u)
{
    lockfile_why w;
    int r = lockfile_access(status_path(u->s), &w);
    const char *path = status_path(u->s);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    strbuf b = {0};
    switch (r) {
    case LOCKFILE_RO_FILE:
        sb_addf(&b, "没有写 %s 的权限（%s:%s %04o）", base, w.owner, w.group, w.mode);
        break;
    case LOCKFILE_RO_FOLDER:
        sb_addf(&b, "没有写文件夹 %s 的权限", w.folder);
        break;
    case LOCKFILE_RO_STICKY:
        sb_addf(&b, "%s 属于 %s，粘滞位文件夹中只有它的主人能替换它", base, w.owner);
        break;
    case LOCKFILE_RO_LOCK:
        sb_addf(&b, "锁文件 %s.lock 不可写（%s:%s %04o）", base, w.owner, w.group, w.mode);
        break;
    case LOCKFILE_RO_FS:
        sb_adds(&b, "文件系统是只读的");
        break;
    default: {
        /* the history beside it is appended to by every save */
        char *h = status_history_file(u->s);
        const char *hb = strrchr(h, '/');
        hb = hb ? hb + 1 : h;
        switch (lockfile_access_append(h, &w)) {
        case LOCKFILE_RO_APPEND:
            sb_addf(&b, "没有写历史文件 %s 的权限（%s:%s %04o）", hb, w.owner, w.group, w.mode);
            break;
        case LOCKFILE_RO_FOLDER:
            sb_addf(&b, "没有写文件夹 %s 的权限，不能新建历史文件", w.folder);
            break;
        case LOCKFILE_RO_FS:
            sb_adds(&b, "文件系统是只读的");
            break;
        default:
            break;
        }
        free(h);
        break;
    }
    }
    bool same = (!b.s && !u->readonly) || (b.s && u->readonly && strcmp(b.s, u->readonly) == 0);
    free(u->readonly);
    u->readonly = b.s ? sb_steal(&b) : NULL;
    sb_free(&b);
    return same ? 0 : UI_DRAW_TITLE | UI_DRAW_STATUS;
}

/* --- the plan file --- */

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* The plan changed on disk: load it again and put it in place of the old
 * one (the plan object keeps its address); the views keep what they can
 * (the tree its filter and selection) and the status is applied again. */
static int reload_plan(ui *u)
{
    diags d = {0};
    plan *np = plan_load(u->plan_path, &d);
    if (!np) {
        /* keep showing the plan we have; say why the new one was refused */
        const char *why = first_error(&d);
        ui_set_msg(u, true, "%s", why ? why : "plandash: error: the plan could not be reloaded");
        diags_free(&d);
        return UI_DRAW_STATUS;
    }
    diags_free(&d);
    int f = ui_views_event(u, UI_EV_RELOADING);
    plan tmp = *u->p;
    *u->p = *np;
    *np = tmp;
    plan_free(np);
    status_apply(u->s, u->p);
    units_index_free(u->ix);
    u->ix = units_index_new(u->p);
    f |= ui_views_event(u, UI_EV_RELOADED);
    const char *base = strrchr(u->plan_path, '/');
    ui_set_msg(u, false, "已重新载入 %s", base ? base + 1 : u->plan_path);
    return f | UI_REBUILD | UI_DRAW_ALL | UI_CLEAR;
}

/* Today for the tick: due_today, or (testing) the date that the file
 * PLANDASH_TEST_TODAY_FILE names holds, when it holds one. */
static uint32_t tick_today(void)
{
    const char *path = getenv("PLANDASH_TEST_TODAY_FILE");
    FILE *f = path ? fopen(path, "r") : NULL;
    if (f) {
        char buf[11];
        size_t n = fread(buf, 1, 10, f);
        fclose(f);
        buf[n] = '\0';
        uint32_t v = due_ymd_parse(buf);
        if (v)
            return v;
    }
    return due_today(NULL);
}

static int tick(ui *u)
{
    int f = u->pending ? ui_pending_retry(u) : 0;
    /* past midnight: the due states are as of the new day */
    if (plan_set_today(u->p, tick_today()))
        f |= UI_REBUILD | UI_DRAW_ALL;
    f |= ui_refresh_status(u);
    f |= check_readonly(u);
    struct stat st;
    if (stat(u->plan_path, &st) != 0) {
        /* The plan vanished (or is being replaced): keep showing the one
         * we have, and say so once. */
        if (u->plan_st_ok) {
            u->plan_st_ok = false;
            ui_set_msg(u, true, "%s: error: the plan file is gone (%s); showing the plan as "
                       "loaded, marks are still saved", u->plan_path, strerror(errno));
            f |= UI_DRAW_STATUS;
        }
    } else if (!u->plan_st_ok || !same_file(&st, &u->plan_st)) {
        u->plan_st = st;
        u->plan_st_ok = true;
        f |= reload_plan(u);
    }
    return f;
}

/* --- keys --- */

static const int small_keys[] = {UI_CTX_SMALL, -1};

static int ui_key(ui *u, int key);

/* The terminal turns Ctrl-C into SIGINT.  When the view on top binds
 * Ctrl-C to something other than quitting (the note editor: cancel, which
 * asks 放弃修改？ when the text changed), the signal is that key; else it
 * quits (exit 0).  True when it was taken as the key (*flags gains what
 * the key asks to draw). */
static bool sigint_to_view(ui *u, int *flags)
{
    if (ui_signal != SIGINT || u->quit || u->too_small)
        return false;
    int a = ui_key_action(u->top->ops->keys, UI_CTRL('c'));
    if (a == UI_ACT_NONE || a == UI_ACT_QUIT)
        return false;
    ui_signal = 0;
    if (u->msg) {
        free(u->msg);
        u->msg = NULL;
        u->msg_keep = false;
    }
    *flags |= ui_key(u, UI_CTRL('c')) | UI_DRAW_STATUS;
    return true;
}

static int ui_key(ui *u, int key)
{
    if (u->too_small) {
        /* nothing is acted on unseen: only quitting works */
        if (ui_key_action(small_keys, key) == UI_ACT_QUIT)
            u->quit = true;
        return 0;
    }
    ui_view *v = u->top;
    int f;
    if (key == UI_FKEY(KEY_MOUSE)) {
        if (!v->ops->mouse)
            return 0;
        f = v->ops->mouse(v, u, &u->mouse);
    } else {
        int a = ui_key_action(v->ops->keys, key);
        if (a == UI_ACT_QUIT) {
            u->quit = true;
            return 0;
        }
        if (a == UI_ACT_REDRAW)
            return UI_CLEAR | UI_DRAW_ALL;
        f = v->ops->handle(v, u, a, key);
    }
    if (f & UI_CLOSE) {
        ui_view *below = v->below;
        view_close(u, v);
        if ((f & UI_CLOSE_BELOW) && below && below != &u->tree->v)
            view_close(u, below);
        f = (f & ~(UI_CLOSE | UI_CLOSE_BELOW)) | UI_DRAW_ALL;
    }
    return f;
}

/* --- the loop --- */

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double ui_now(void)
{
    return now_seconds();
}

/* Lay out v and the views under it, bottom first. */
static void layout_from(ui *u, ui_view *v, int flags)
{
    if (!v)
        return;
    layout_from(u, v->below, flags);
    if (v->ops->layout)
        v->ops->layout(v, u, flags);
}

/* Lay out the screen and every view, then draw. */
static void frame(ui *u, int flags)
{
    int oldh = u->body_h, oldc = u->cols, oldl = u->lines;
    ui_layout(u);
    if (u->body_h != oldh || u->cols != oldc || u->lines != oldl)
        flags |= UI_DRAW_ALL | UI_RELAYOUT;
    if (flags & UI_REBUILD)
        flags |= UI_DRAW_BODY | UI_DRAW_DETAIL | UI_DRAW_STATUS;
    layout_from(u, u->top, flags);
    if (flags & UI_CLEAR)
        clearok(curscr, TRUE);
    if (flags & (UI_CLEAR | UI_RELAYOUT)) {
        erase();
        flags |= UI_DRAW_ALL;
    }
    if (flags & UI_DRAW_ALL)
        ui_draw(u, flags);
}

static void ui_free(ui *u)
{
    while (u->top)
        view_close(u, u->top);
    units_index_free(u->ix);
    ui_pending_free(u);
    free(u->readonly);
    history_index_free(u->hist_ix);
    free(u->msg);
    diags_free(&u->msgs);
}

/* Test mode: PLANDASH_TEST_TIMING names a file that gets a line
 * "first_frame<TAB>US" (from PLANDASH_TEST_T0, the process's start in
 * CLOCK_MONOTONIC microseconds, else from ui_run's start) and then, per
 * key, "KEYCODE<TAB>US<TAB>US": from reading the key to the doupdate()
 * that shows it, and to being ready to read the next key
 * (tests/bench/run-bench.sh reads it). */
typedef struct {
    FILE *f;
    double t;      /* when the key was read, or the start */
    double frame;  /* when its doupdate() ended; 0: not yet */
    int key;       /* the key being timed; UI_KEY_NONE: none */
} ui_timing;

static void timing_open(ui_timing *tm, const ui *u, double start)
{
    const char *path = getenv("PLANDASH_TEST_TIMING"), *t0 = getenv("PLANDASH_TEST_T0");
    tm->f = u->headless && path && *path ? fopen(path, "a") : NULL;
    tm->t = t0 && *t0 ? strtod(t0, NULL) / 1e6 : start;
    tm->frame = 0;
    tm->key = UI_KEY_NONE;
}

/* After a doupdate(): the first frame, or the frame of the key. */
static void timing_frame(ui_timing *tm)
{
    if (!tm->f)
        return;
    if (tm->frame == 0 && tm->key == UI_KEY_NONE)
        fprintf(tm->f, "first_frame\t%.0f\n", (now_seconds() - tm->t) * 1e6);
    tm->frame = now_seconds();
}

/* Before reading a key: the last one is done; then time the next. */
static void timing_ready(ui_timing *tm)
{
    if (!tm->f || tm->key == UI_KEY_NONE)
        return;
    fprintf(tm->f, "%d\t%.0f\t%.0f\n", tm->key, (tm->frame - tm->t) * 1e6,
            (now_seconds() - tm->t) * 1e6);
    tm->key = UI_KEY_NONE;
}

static void timing_key(ui_timing *tm, int key)
{
    tm->key = key;
    tm->t = now_seconds();
}

/* Test mode: PLANDASH_TEST_OOM=1 makes an allocation fail (through the
 * same path as a real one) once the first frame is on the screen, to
 * check that the terminal is restored before the program dies. */
static void test_oom(void)
{
    const char *e = getenv("PLANDASH_TEST_OOM");
    if (!e || strcmp(e, "1") != 0)
        return;
    void *p = NULL;
    size_t cap = 0;
    xgrow(&p, &cap, SIZE_MAX / 2, 4);   /* more than can ever be had: dies */
    free(p);
}

int ui_run(plan *p, status *s, const char *plan_path, diags *d)
{
    ui u;
    memset(&u, 0, sizeof u);
    u.p = p;
    u.s = s;
    u.plan_path = plan_path;
    double start = now_seconds();
    u.ix = units_index_new(p);
    u.tree = ui_tree_new(&u);
    ui_view_push(&u, &u.tree->v);
    u.plan_st_ok = stat(plan_path, &u.plan_st) == 0;
    /* Test mode: PLANDASH_TEST_LOCK_WAIT_MS shortens the wait for a lock. */
    const char *lw = getenv("PLANDASH_TEST_LOCK_WAIT_MS");
    u.lock_wait_ms = lw && *lw ? strtol(lw, NULL, 10) : UI_LOCK_WAIT_MS;
    check_readonly(&u);
    if (ui_term_open(&u, d) < 0) {
        ui_free(&u);
        return 1;
    }
    ui_timing tm;
    timing_open(&tm, &u, start);
    int flags = UI_REBUILD | UI_DRAW_ALL | UI_CLEAR;
    double last_tick = now_seconds();
    for (;;) {
        if (flags)
            frame(&u, flags);
        doupdate();
        timing_frame(&tm);
        test_oom();
        flags = 0;
        if (sigint_to_view(&u, &flags))
            continue;
        if (ui_signal || u.quit)
            break;
        timing_ready(&tm);
        /* a change waiting for the lock is tried again ten times a second */
        if (!u.headless)
            wtimeout(stdscr, u.pending ? 100 : 1000);
        int key = ui_term_key(&u);
        timing_key(&tm, key);
        if (sigint_to_view(&u, &flags))
            continue;
        if (ui_signal || u.quit)
            break;
        if (key == UI_KEY_NONE)
            continue;
        if (key == UI_KEY_TICK ||
            (!u.headless && now_seconds() - last_tick >= (u.pending ? 0.1 : 1.0))) {
            flags |= tick(&u);
            last_tick = now_seconds();
            if (key == UI_KEY_TICK) {
                ui_history_prefetch(&u);   /* idle: H's index, once */
                continue;
            }
        }
        if (key == UI_FKEY(KEY_RESIZE)) {
            flags |= UI_RELAYOUT;
            continue;
        }
        if (u.msg) {
            free(u.msg);
            u.msg = NULL;
            u.msg_keep = false;
            flags |= UI_DRAW_STATUS;
        }
        flags |= ui_key(&u, key);
    }
    int sig = ui_signal;
    if (tm.f)
        fclose(tm.f);
    ui_term_close(&u);
    ui_free(&u);
    ui_signal = 0;
    return sig == SIGTERM || sig == SIGHUP ? 128 + sig : 0;
}
