/* ui_keys.c - the key table, and the help and hints made from it. */
#include "ui_keys.h"

#include <curses.h>
#include <string.h>

#include "text.h"
#include "ui_view.h"

/* Where a key shows in its context's status-line hints. */
typedef struct {
    unsigned char pos;  /* its place, 1 first; 0: not shown */
    const char *key;    /* the key as the hint names it ("": no key) */
    const char *word;   /* what it does; NULL: another row of the same place says */
} ui_hint;

typedef struct {
    int ctx;
    int key;
    int action;
    const char *name;   /* as the help shows it; NULL: an alias not shown */
    const char *help;   /* NULL: same as the row above */
    ui_hint hint;
} ui_binding;

#define K(k) UI_FKEY(KEY_##k)

static const ui_binding ui_bindings[] = {
    {UI_CTX_TREE, K(UP), UI_ACT_UP, "↑", "上一行", {0}},
    {UI_CTX_TREE, 'k', UI_ACT_UP, "k", NULL, {0}},
    {UI_CTX_TREE, K(DOWN), UI_ACT_DOWN, "↓", "下一行", {0}},
    {UI_CTX_TREE, 'j', UI_ACT_DOWN, "j", NULL, {0}},
    {UI_CTX_TREE, K(PPAGE), UI_ACT_PGUP, "PgUp", "上一屏", {0}},
    {UI_CTX_TREE, UI_CTRL('b'), UI_ACT_PGUP, "Ctrl-B", NULL, {0}},
    {UI_CTX_TREE, K(NPAGE), UI_ACT_PGDN, "PgDn", "下一屏", {0}},
    {UI_CTX_TREE, UI_CTRL('f'), UI_ACT_PGDN, "Ctrl-F", NULL, {0}},
    {UI_CTX_TREE, K(HOME), UI_ACT_FIRST, "Home", "第一行", {0}},
    {UI_CTX_TREE, 'g', UI_ACT_FIRST, "g", NULL, {0}},
    {UI_CTX_TREE, K(END), UI_ACT_LAST, "End", "最后一行", {0}},
    {UI_CTX_TREE, 'G', UI_ACT_LAST, "G", NULL, {0}},
    {UI_CTX_TREE, K(LEFT), UI_ACT_LEFT, "←", "折叠，或回到上一级", {0}},
    {UI_CTX_TREE, 'h', UI_ACT_LEFT, "h", NULL, {0}},
    {UI_CTX_TREE, K(RIGHT), UI_ACT_RIGHT, "→", "展开，或进入第一个下级", {0}},
    {UI_CTX_TREE, 'l', UI_ACT_RIGHT, "l", NULL, {0}},
    {UI_CTX_TREE, '\r', UI_ACT_TOGGLE, "Enter", "折叠 / 展开", {0}},
    {UI_CTX_TREE, '\n', UI_ACT_TOGGLE, NULL, NULL, {0}},
    {UI_CTX_TREE, K(ENTER), UI_ACT_TOGGLE, NULL, NULL, {0}},
    {UI_CTX_TREE, ' ', UI_ACT_MARK, "Space", "标记完成 / 未完成（立即保存）；目标、任务上先询问",
     {2, "空格", "标记"}},
    {UI_CTX_TREE, 'x', UI_ACT_MARK, "x", NULL, {0}},
    {UI_CTX_TREE, 'u', UI_ACT_UNDO, "u", "撤销上一次更改：标记或进展情况（立即保存，可多次）", {3, "u", "撤销"}},
    {UI_CTX_TREE, '/', UI_ACT_SEARCH, "/", "按单位搜索：汉字、拼音或拼音首字母（如 sfj）",
     {4, "/", "搜索"}},
    {UI_CTX_TREE, 'n', UI_ACT_NEXT, "n", "下一个匹配事项", {0}},
    {UI_CTX_TREE, 'N', UI_ACT_PREV, "N", "上一个匹配事项", {0}},
    {UI_CTX_TREE, UI_KEY_ESC, UI_ACT_CLEAR, "Esc", "清除搜索", {0}},
    {UI_CTX_TREE, 'U', UI_ACT_UNITS, "U", "单位列表：各单位的事项和完成情况", {5, "U", "单位"}},
    {UI_CTX_TREE, 'o', UI_ACT_DUE, "o", "只显示逾期和临期（14 天内到期）的事项；Esc 清除", {0}},
    {UI_CTX_TREE, '\t', UI_ACT_OVERVIEW, "Tab", "总览：各目标、各单位的进度条", {0}},
    {UI_CTX_TREE, 'e', UI_ACT_NOTE, "e", "编辑事项的进展情况（Ctrl-S 保存）", {0}},
    {UI_CTX_TREE, 'H', UI_ACT_HISTORY, "H", "事项的修改记录（最新的在前）", {0}},
    {UI_CTX_TREE, 'd', UI_ACT_HIDE_DONE, "d", "隐藏 / 显示已完成事项", {0}},
    {UI_CTX_TREE, '-', UI_ACT_COLLAPSE_ALL, "-", "全部折叠", {0}},
    {UI_CTX_TREE, '+', UI_ACT_EXPAND_ALL, "+", "全部展开", {0}},
    {UI_CTX_TREE, '=', UI_ACT_EXPAND_ALL, "=", NULL, {0}},
    {UI_CTX_TREE, ':', UI_ACT_JUMP, ":", "按编号跳转（如 2.3 或 1.4.2）", {0}},
    {UI_CTX_TREE, UI_CTRL('l'), UI_ACT_REDRAW, "Ctrl-L", "重画屏幕", {0}},
    {UI_CTX_TREE, '?', UI_ACT_HELP, "?", "帮助（本页）", {1, "?", "帮助"}},
    {UI_CTX_TREE, K(F(1)), UI_ACT_HELP, "F1", NULL, {0}},
    {UI_CTX_TREE, 'q', UI_ACT_QUIT, "q", "退出（所有更改都已保存）", {6, "q", "退出"}},
    {UI_CTX_TREE, UI_CTRL('c'), UI_ACT_QUIT, "Ctrl-C", NULL, {0}},

    /* The hints are the search line's (the jump line shows the tree's). */
    {UI_CTX_EDIT, K(LEFT), UI_ACT_ED_LEFT, "←", "光标左移一个字", {0}},
    {UI_CTX_EDIT, K(RIGHT), UI_ACT_ED_RIGHT, "→", "光标右移一个字", {0}},
    {UI_CTX_EDIT, K(HOME), UI_ACT_ED_HOME, "Home", "到行首", {0}},
    {UI_CTX_EDIT, UI_CTRL('a'), UI_ACT_ED_HOME, "Ctrl-A", NULL, {0}},
    {UI_CTX_EDIT, K(END), UI_ACT_ED_END, "End", "到行尾", {0}},
    {UI_CTX_EDIT, UI_CTRL('e'), UI_ACT_ED_END, "Ctrl-E", NULL, {0}},
    {UI_CTX_EDIT, K(BACKSPACE), UI_ACT_ED_BS, "Backspace", "删除前一个字", {0}},
    {UI_CTX_EDIT, 127, UI_ACT_ED_BS, NULL, NULL, {0}},
    {UI_CTX_EDIT, UI_CTRL('h'), UI_ACT_ED_BS, "Ctrl-H", NULL, {0}},
    {UI_CTX_EDIT, K(DC), UI_ACT_ED_DEL, "Del", "删除光标处的字", {0}},
    {UI_CTX_EDIT, UI_CTRL('d'), UI_ACT_ED_DEL, "Ctrl-D", NULL, {0}},
    {UI_CTX_EDIT, UI_CTRL('u'), UI_ACT_ED_KILL, "Ctrl-U", "删除光标前的全部", {0}},
    {UI_CTX_EDIT, K(UP), UI_ACT_UP, "↑", "搜索时：树中上一行", {0}},
    {UI_CTX_EDIT, K(DOWN), UI_ACT_DOWN, "↓", "搜索时：树中下一行", {0}},
    {UI_CTX_EDIT, '\r', UI_ACT_ACCEPT, "Enter", "确定（搜索：保留筛选）", {1, "Enter", "保留"}},
    {UI_CTX_EDIT, '\n', UI_ACT_ACCEPT, NULL, NULL, {0}},
    {UI_CTX_EDIT, K(ENTER), UI_ACT_ACCEPT, NULL, NULL, {0}},
    {UI_CTX_EDIT, UI_KEY_ESC, UI_ACT_CANCEL, "Esc", "取消（搜索：清除筛选）", {2, "Esc", "清除"}},
    {UI_CTX_EDIT, UI_CTRL('c'), UI_ACT_QUIT, "Ctrl-C", "退出", {0}},
    {UI_CTX_EDIT, UI_KEY_TEXT, UI_ACT_ED_INSERT, NULL, NULL, {0}},

    {UI_CTX_UNITS, UI_KEY_TEXT, UI_ACT_ED_INSERT, NULL, NULL, {1, "", "输入筛选"}},
    {UI_CTX_UNITS, K(UP), UI_ACT_UP, "↑", "上一个单位", {0}},
    {UI_CTX_UNITS, UI_CTRL('p'), UI_ACT_UP, "Ctrl-P", NULL, {0}},
    {UI_CTX_UNITS, K(DOWN), UI_ACT_DOWN, "↓", "下一个单位", {0}},
    {UI_CTX_UNITS, UI_CTRL('n'), UI_ACT_DOWN, "Ctrl-N", NULL, {0}},
    {UI_CTX_UNITS, K(PPAGE), UI_ACT_PGUP, "PgUp", "上一屏", {0}},
    {UI_CTX_UNITS, K(NPAGE), UI_ACT_PGDN, "PgDn", "下一屏", {0}},
    {UI_CTX_UNITS, K(HOME), UI_ACT_FIRST, "Home", "第一个", {0}},
    {UI_CTX_UNITS, K(END), UI_ACT_LAST, "End", "最后一个", {0}},
    {UI_CTX_UNITS, '\t', UI_ACT_SORT, "Tab", "按名称 / 按剩余事项数排序", {3, "Tab", "排序"}},
    {UI_CTX_UNITS, '\r', UI_ACT_ACCEPT, "Enter", "只显示这个单位的事项",
     {2, "Enter", "按此单位筛选"}},
    {UI_CTX_UNITS, '\n', UI_ACT_ACCEPT, NULL, NULL, {0}},
    {UI_CTX_UNITS, K(ENTER), UI_ACT_ACCEPT, NULL, NULL, {0}},
    {UI_CTX_UNITS, UI_KEY_ESC, UI_ACT_CLOSE, "Esc", "返回（输入的文字筛选单位列表）",
     {4, "Esc", "返回"}},
    {UI_CTX_UNITS, UI_CTRL('c'), UI_ACT_QUIT, "Ctrl-C", "退出", {0}},

    {UI_CTX_OVERVIEW, K(UP), UI_ACT_UP, "↑", "上一个单位", {0}},
    {UI_CTX_OVERVIEW, 'k', UI_ACT_UP, "k", NULL, {0}},
    {UI_CTX_OVERVIEW, K(DOWN), UI_ACT_DOWN, "↓", "下一个单位", {0}},
    {UI_CTX_OVERVIEW, 'j', UI_ACT_DOWN, "j", NULL, {0}},
    {UI_CTX_OVERVIEW, K(PPAGE), UI_ACT_PGUP, "PgUp", "上一屏", {0}},
    {UI_CTX_OVERVIEW, K(NPAGE), UI_ACT_PGDN, "PgDn", "下一屏", {0}},
    {UI_CTX_OVERVIEW, K(HOME), UI_ACT_FIRST, "Home", "第一个", {0}},
    {UI_CTX_OVERVIEW, K(END), UI_ACT_LAST, "End", "最后一个", {0}},
    {UI_CTX_OVERVIEW, '\r', UI_ACT_ACCEPT, "Enter", "只显示这个单位的事项（同 U）",
     {1, "Enter", "按此单位筛选"}},
    {UI_CTX_OVERVIEW, '\n', UI_ACT_ACCEPT, NULL, NULL, {0}},
    {UI_CTX_OVERVIEW, K(ENTER), UI_ACT_ACCEPT, NULL, NULL, {0}},
    {UI_CTX_OVERVIEW, '\t', UI_ACT_CLOSE, "Tab", "回到树", {2, "Tab", NULL}},
    {UI_CTX_OVERVIEW, UI_KEY_ESC, UI_ACT_CLOSE, "Esc", NULL, {2, "Esc", "返回"}},
    {UI_CTX_OVERVIEW, 'q', UI_ACT_CLOSE, "q", NULL, {0}},
    {UI_CTX_OVERVIEW, '?', UI_ACT_HELP, "?", "帮助", {3, "?", "帮助"}},
    {UI_CTX_OVERVIEW, UI_CTRL('c'), UI_ACT_QUIT, "Ctrl-C", "退出", {0}},

    {UI_CTX_HELP, K(UP), UI_ACT_UP, "↑", "向上滚动", {1, "↑↓", "滚动"}},
    {UI_CTX_HELP, 'k', UI_ACT_UP, "k", NULL, {0}},
    {UI_CTX_HELP, K(DOWN), UI_ACT_DOWN, "↓", "向下滚动", {0}},
    {UI_CTX_HELP, 'j', UI_ACT_DOWN, "j", NULL, {0}},
    {UI_CTX_HELP, K(PPAGE), UI_ACT_PGUP, "PgUp", "上一屏", {0}},
    {UI_CTX_HELP, K(NPAGE), UI_ACT_PGDN, "PgDn", "下一屏", {0}},
    {UI_CTX_HELP, ' ', UI_ACT_PGDN, NULL, NULL, {0}},
    {UI_CTX_HELP, 'q', UI_ACT_CLOSE, "q", "返回（其他键也返回）", {2, "q", NULL}},
    {UI_CTX_HELP, UI_KEY_ESC, UI_ACT_CLOSE, "Esc", NULL, {2, "Esc", "返回"}},
    {UI_CTX_HELP, '?', UI_ACT_CLOSE, "?", NULL, {0}},
    {UI_CTX_HELP, UI_CTRL('c'), UI_ACT_QUIT, NULL, NULL, {0}},
    {UI_CTX_HELP, UI_KEY_ANY, UI_ACT_CLOSE, NULL, NULL, {0}},

    {UI_CTX_CONFIRM, 'y', UI_ACT_YES, "y", "是：全部标记（立即保存），或放弃对进展情况的修改", {0}},
    {UI_CTX_CONFIRM, 'Y', UI_ACT_YES, "Y", NULL, {0}},
    {UI_CTX_CONFIRM, 'n', UI_ACT_NO, "n", "否（其他键也取消）", {0}},
    {UI_CTX_CONFIRM, UI_CTRL('c'), UI_ACT_QUIT, "Ctrl-C", "退出", {0}},
    {UI_CTX_CONFIRM, UI_KEY_ANY, UI_ACT_NO, NULL, NULL, {0}},

    {UI_CTX_NOTE, K(LEFT), UI_ACT_ED_LEFT, "←", "光标左移一个字", {0}},
    {UI_CTX_NOTE, K(RIGHT), UI_ACT_ED_RIGHT, "→", "光标右移一个字", {0}},
    {UI_CTX_NOTE, K(UP), UI_ACT_UP, "↑", "上一行", {0}},
    {UI_CTX_NOTE, K(DOWN), UI_ACT_DOWN, "↓", "下一行", {0}},
    {UI_CTX_NOTE, K(PPAGE), UI_ACT_PGUP, "PgUp", "上一屏", {0}},
    {UI_CTX_NOTE, K(NPAGE), UI_ACT_PGDN, "PgDn", "下一屏", {0}},
    {UI_CTX_NOTE, K(HOME), UI_ACT_ED_HOME, "Home", "到行首", {0}},
    {UI_CTX_NOTE, UI_CTRL('a'), UI_ACT_ED_HOME, "Ctrl-A", NULL, {0}},
    {UI_CTX_NOTE, K(END), UI_ACT_ED_END, "End", "到行尾", {0}},
    {UI_CTX_NOTE, UI_CTRL('e'), UI_ACT_ED_END, "Ctrl-E", NULL, {0}},
    {UI_CTX_NOTE, K(BACKSPACE), UI_ACT_ED_BS, "Backspace", "删除前一个字（行首：与上一行合并）", {0}},
    {UI_CTX_NOTE, 127, UI_ACT_ED_BS, NULL, NULL, {0}},
    {UI_CTX_NOTE, UI_CTRL('h'), UI_ACT_ED_BS, "Ctrl-H", NULL, {0}},
    {UI_CTX_NOTE, K(DC), UI_ACT_ED_DEL, "Del", "删除光标处的字", {0}},
    {UI_CTX_NOTE, UI_CTRL('d'), UI_ACT_ED_DEL, "Ctrl-D", NULL, {0}},
    {UI_CTX_NOTE, '\r', UI_ACT_ED_NEWLINE, "Enter", "换行", {0}},
    {UI_CTX_NOTE, '\n', UI_ACT_ED_NEWLINE, NULL, NULL, {0}},
    {UI_CTX_NOTE, K(ENTER), UI_ACT_ED_NEWLINE, NULL, NULL, {0}},
    {UI_CTX_NOTE, UI_CTRL('s'), UI_ACT_SAVE, "Ctrl-S", "保存（立即写入，留痕）", {1, "Ctrl-S", "保存"}},
    {UI_CTX_NOTE, K(F(2)), UI_ACT_SAVE, "F2", NULL, {1, "F2", NULL}},
    {UI_CTX_NOTE, UI_KEY_ESC, UI_ACT_CANCEL, "Esc", "取消（有修改时先询问）", {2, "Esc", "取消"}},
    {UI_CTX_NOTE, UI_CTRL('c'), UI_ACT_CANCEL, "Ctrl-C", NULL, {0}},
    {UI_CTX_NOTE, UI_KEY_TEXT, UI_ACT_ED_INSERT, NULL, NULL, {0}},

    {UI_CTX_HISTORY, K(UP), UI_ACT_UP, "↑", "向上滚动", {1, "↑↓", "滚动"}},
    {UI_CTX_HISTORY, 'k', UI_ACT_UP, "k", NULL, {0}},
    {UI_CTX_HISTORY, K(DOWN), UI_ACT_DOWN, "↓", "向下滚动", {0}},
    {UI_CTX_HISTORY, 'j', UI_ACT_DOWN, "j", NULL, {0}},
    {UI_CTX_HISTORY, K(PPAGE), UI_ACT_PGUP, "PgUp", "上一屏", {0}},
    {UI_CTX_HISTORY, K(NPAGE), UI_ACT_PGDN, "PgDn", "下一屏", {0}},
    {UI_CTX_HISTORY, ' ', UI_ACT_PGDN, NULL, NULL, {0}},
    {UI_CTX_HISTORY, K(HOME), UI_ACT_FIRST, "Home", "最新", {0}},
    {UI_CTX_HISTORY, 'g', UI_ACT_FIRST, "g", NULL, {0}},
    {UI_CTX_HISTORY, K(END), UI_ACT_LAST, "End", "最早", {0}},
    {UI_CTX_HISTORY, 'G', UI_ACT_LAST, "G", NULL, {0}},
    {UI_CTX_HISTORY, 'q', UI_ACT_CLOSE, "q", "返回", {2, "q", NULL}},
    {UI_CTX_HISTORY, UI_KEY_ESC, UI_ACT_CLOSE, "Esc", NULL, {2, "Esc", "返回"}},
    {UI_CTX_HISTORY, 'H', UI_ACT_CLOSE, "H", NULL, {0}},
    {UI_CTX_HISTORY, UI_CTRL('c'), UI_ACT_QUIT, "Ctrl-C", "退出", {0}},

    {UI_CTX_SMALL, 'q', UI_ACT_QUIT, "q", "退出（其他键都不起作用，以免看不见时误操作）", {0}},
    {UI_CTX_SMALL, UI_CTRL('c'), UI_ACT_QUIT, "Ctrl-C", NULL, {0}},
};

#undef K

#define N_BINDINGS (sizeof ui_bindings / sizeof ui_bindings[0])

static const char *const ui_heads[UI_CTX_COUNT] = {
#define UI_CTX_HEAD(name, head) head,
    UI_CONTEXTS(UI_CTX_HEAD)
#undef UI_CTX_HEAD
};

/* The row binding key in ctx, or NULL. */
static const ui_binding *find(int ctx, int key)
{
    for (size_t k = 0; k < N_BINDINGS; k++)
        if (ui_bindings[k].ctx == ctx && ui_bindings[k].key == key)
            return &ui_bindings[k];
    return NULL;
}

/* A character one can type into a line. */
static bool is_text(int key)
{
    return key >= 0x20 && key < 0x110000 && key != 0x7F &&
           text_visible((uint32_t)key, TEXT_ONELINE) == (uint32_t)key;
}

int ui_key_action(const int *ctx, int key)
{
    const ui_binding *b = NULL;
    for (const int *c = ctx; !b && *c >= 0; c++)
        b = find(*c, key);
    for (const int *c = ctx; !b && is_text(key) && *c >= 0; c++)
        b = find(*c, UI_KEY_TEXT);
    for (const int *c = ctx; !b && *c >= 0; c++)
        b = find(*c, UI_KEY_ANY);
    return b ? b->action : UI_ACT_NONE;
}

const char *ui_key_name(int ctx, int action)
{
    for (size_t k = 0; k < N_BINDINGS; k++)
        if (ui_bindings[k].ctx == ctx && ui_bindings[k].action == action && ui_bindings[k].name)
            return ui_bindings[k].name;
    return "";
}

/* The end of the run of rows from k on with k's context and action. */
static size_t run_end(size_t k)
{
    size_t j = k;
    while (j < N_BINDINGS && ui_bindings[j].ctx == ui_bindings[k].ctx &&
           ui_bindings[j].action == ui_bindings[k].action)
        j++;
    return j;
}

void ui_key_help(strbuf *b)
{
    int keyw = 0;
    /* the widest run of key names decides the column of the help texts */
    for (size_t k = 0; k < N_BINDINGS; k = run_end(k)) {
        int w = 0;
        for (size_t j = k; j < run_end(k); j++)
            if (ui_bindings[j].name) {
                strbuf n = {0};
                sb_adds(&n, ui_bindings[j].name);
                ui_chrome_text(&n);   /* ↑ as Up in ASCII mode */
                w += (int)text_width(n.s) + 1;
                sb_free(&n);
            }
        if (w > keyw)
            keyw = w;
    }
    sb_reset(b);
    int ctx = -1;
    for (size_t k = 0; k < N_BINDINGS; k = run_end(k)) {
        if (ui_bindings[k].ctx != ctx) {
            ctx = ui_bindings[k].ctx;
            if (ctx != UI_CTX_TREE)
                sb_addc(b, '\n');
            sb_addc(b, '#');
            sb_adds(b, ui_heads[ctx]);
            sb_addc(b, '\n');
        }
        strbuf keys = {0};
        for (size_t j = k; j < run_end(k); j++)
            if (ui_bindings[j].name) {
                if (keys.len)
                    sb_addc(&keys, ' ');
                sb_adds(&keys, ui_bindings[j].name);
            }
        ui_chrome_text(&keys);
        if (keys.len) {
            sb_adds(b, "  ");
            text_fit(b, keys.s, (size_t)keyw + 1, true);
            sb_adds(b, ui_bindings[k].help ? ui_bindings[k].help : "");
            sb_addc(b, '\n');
        }
        sb_free(&keys);
    }
    sb_adds(b, "\n#鼠标\n  单击选择一行，单击 ▸/▾ 折叠或展开，滚轮滚动\n");
}

void ui_key_hints(strbuf *out, int ctx)
{
    for (unsigned pos = 1;; pos++) {
        strbuf keys = {0};
        const char *word = NULL;
        bool any = false;
        for (size_t k = 0; k < N_BINDINGS; k++) {
            const ui_binding *r = &ui_bindings[k];
            if (r->ctx != ctx || r->hint.pos != pos)
                continue;
            any = true;
            if (r->hint.key && *r->hint.key) {
                if (keys.len)
                    sb_addc(&keys, ' ');
                sb_adds(&keys, r->hint.key);
            }
            if (!word)
                word = r->hint.word;
        }
        if (!any) {
            sb_free(&keys);
            return;
        }
        sb_adds(out, pos == 1 ? " " : "  ");
        if (keys.len) {
            sb_adds(out, keys.s);
            sb_addc(out, ' ');
        }
        sb_adds(out, word ? word : "");
        sb_free(&keys);
    }
}
