/* ui_keys.h - the dashboard's one key table (ui_keys.c).
 *
 * Every key the dashboard acts on, in every view and prompt, is a row of
 * one table: its context (a section of the table and of the help), the
 * key, the action it runs, its name and text in the `?` help, and where
 * it appears in the status-line hints.  The views look keys up here, the
 * help is generated from it and so are the hints: `?` cannot drift from
 * what the keys do.  Private to ui*.c. */
#ifndef PLANDASH_UI_KEYS_H
#define PLANDASH_UI_KEYS_H

#include "util.h"

/* A key: a Unicode character, or a curses function key KEY_* offset past
 * the Unicode range so the two never collide. */
#define UI_FKEY(k) (0x200000 + (int)(k))
#define UI_CTRL(c) ((c) & 0x1f)
#define UI_KEY_ESC 27
#define UI_KEY_TICK UI_FKEY(0x7000)   /* a second without input */
#define UI_KEY_NONE (-1)
/* In the table only: any printable character that no row of the
 * contexts binds (typing into a line), and any key at all. */
#define UI_KEY_TEXT UI_FKEY(0x7001)
#define UI_KEY_ANY UI_FKEY(0x7002)

/* Key contexts: name and the heading of their section in the help, in
 * the order the help shows them. */
#define UI_CONTEXTS(X) \
    X(TREE, "树（主界面）") \
    X(EDIT, "输入行（/ 搜索、: 跳转、单位筛选）") \
    X(UNITS, "单位列表（U）") \
    X(OVERVIEW, "总览（Tab）") \
    X(HELP, "帮助") \
    X(NOTE, "进展情况编辑（e）") \
    X(HISTORY, "修改记录（H）") \
    X(CONFIRM, "确认（y/n）") \
    X(SMALL, "窗口太小时")

enum {
#define UI_CTX_ENUM(name, head) UI_CTX_##name,
    UI_CONTEXTS(UI_CTX_ENUM)
#undef UI_CTX_ENUM
    UI_CTX_COUNT
};

#define UI_ACTIONS(X) \
    X(NONE) X(UP) X(DOWN) X(PGUP) X(PGDN) X(FIRST) X(LAST) X(WHEEL_UP) X(WHEEL_DOWN) \
    X(LEFT) X(RIGHT) X(TOGGLE) X(MARK) X(UNDO) X(SEARCH) X(NEXT) X(PREV) X(UNITS) \
    X(CLEAR) X(HIDE_DONE) X(COLLAPSE_ALL) X(EXPAND_ALL) X(JUMP) X(REDRAW) X(HELP) \
    X(QUIT) X(ED_LEFT) X(ED_RIGHT) X(ED_HOME) X(ED_END) X(ED_BS) X(ED_DEL) X(ED_KILL) \
    X(ED_INSERT) X(ACCEPT) X(CANCEL) X(SORT) X(CLOSE) X(YES) X(NO) X(DUE) X(OVERVIEW) \
    X(NOTE) X(HISTORY) X(ED_NEWLINE) X(SAVE)

enum {
#define UI_ACTION_ENUM(name) UI_ACT_##name,
    UI_ACTIONS(UI_ACTION_ENUM)
#undef UI_ACTION_ENUM
};

/* The action of key in the first of the contexts ctx (ending in -1) that
 * binds it: exact keys first, then UI_KEY_TEXT for a printable character,
 * then UI_KEY_ANY; UI_ACT_NONE if none does. */
int ui_key_action(const int *ctx, int key);
/* The help text: one line per action ("  KEYS  TEXT"), a line "#HEAD"
 * before each context's section, the mouse at the end. */
void ui_key_help(strbuf *out);
/* The status-line hints of context ctx (" ? 帮助  空格 标记 ..."). */
void ui_key_hints(strbuf *out, int ctx);
/* The name of the first key the help shows for action in ctx ("y"). */
const char *ui_key_name(int ctx, int action);

#endif
