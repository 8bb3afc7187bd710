/* report_xlsx.c - --export xlsx: the progress table as the notice prints
 * it (进展情况表) and a summary by unit (单位汇总), with libxlsxwriter. */
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "text.h"

static bool keep(const uint8_t *filter, size_t i)
{
    return !filter || filter[i];
}

/* A role's name in a column heading: 牵头, 责任, 配合 (another: its key). */
static const char *role_label(int role)
{
    const char *k = plan_role_key(role);
    return strcmp(k, "lead") == 0 ? "牵头" : strcmp(k, "responsible") == 0 ? "责任"
         : strcmp(k, "support") == 0 ? "配合" : k;
}

/* Does any item the filter keeps name a unit in role w? */
static bool role_used(const plan *p, const uint8_t *filter, int w)
{
    for (size_t i = 0; i < p->n_items; i++)
        if (keep(filter, i) && (p->items[i].who[w].n || p->items[i].who[w].more))
            return true;
    return false;
}

/* s sanitised for a cell (line breaks kept), in scratch buffer b. */
/* A cell holds at most 32,767 characters (Excel's limit, which
 * libxlsxwriter enforces by writing nothing): a longer text is cut, on a
 * character boundary, with a note that says so. */
enum { CELL_MAX_CHARS = 32767 };
static const char cell_cut[] = "……（超过单元格容量，以下从略）";

static const char *cell(strbuf *b, const char *s)
{
    sb_reset(b);
    text_sanitize(b, s ? s : "", strlen(s ? s : ""), TEXT_MULTILINE);
    if (!b->s)
        return "";
    size_t chars = 0, i = 0;
    for (; i < b->len; i++)
        if (((unsigned char)b->s[i] & 0xC0) != 0x80 && ++chars > CELL_MAX_CHARS - 20)
            break;
    if (i < b->len) {
        b->len = i;
        b->s[i] = '\0';
        sb_adds(b, cell_cut);
    }
    return b->s;
}

typedef struct {
    lxw_workbook *wb;
    lxw_format *title, *asof, *head, *text, *text_od, *center, *center_od, *group;
    strbuf tmp, tmp2;
} book;

static lxw_format *fmt(lxw_workbook *wb, bool wrap, bool border, int align)
{
    lxw_format *f = workbook_add_format(wb);
    if (wrap)
        format_set_text_wrap(f);
    if (border)
        format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (align)
        format_set_align(f, (uint8_t)align);
    format_set_font_name(f, "宋体");
    format_set_font_size(f, 11);
    return f;
}

#define OVERDUE_FILL 0xFFC7CE   /* Excel's light red */

static void formats(book *bk)
{
    lxw_workbook *wb = bk->wb;
    bk->title = fmt(wb, false, false, LXW_ALIGN_CENTER);
    format_set_bold(bk->title);
    format_set_font_size(bk->title, 16);
    bk->asof = fmt(wb, false, false, LXW_ALIGN_RIGHT);
    bk->head = fmt(wb, true, true, LXW_ALIGN_CENTER);
    format_set_bold(bk->head);
    format_set_bg_color(bk->head, 0xD9D9D9);
    bk->text = fmt(wb, true, true, 0);
    bk->text_od = fmt(wb, true, true, 0);
    format_set_bg_color(bk->text_od, OVERDUE_FILL);
    bk->center = fmt(wb, true, true, LXW_ALIGN_CENTER);
    bk->center_od = fmt(wb, true, true, LXW_ALIGN_CENTER);
    format_set_bg_color(bk->center_od, OVERDUE_FILL);
    bk->group = fmt(wb, true, true, 0);
}

/* A title row merged over columns 0..last. */
static void title_rows(book *bk, lxw_worksheet *ws, const plan *p, uint16_t last)
{
    worksheet_merge_range(ws, 0, 0, 0, last, cell(&bk->tmp, p->title), bk->title);
    worksheet_set_row(ws, 0, 30, NULL);
    sb_reset(&bk->tmp2);
    sb_addf(&bk->tmp2, "截至 %u年%u月%u日", p->today / 10000, p->today / 100 % 100,
            p->today % 100);
    worksheet_merge_range(ws, 1, 0, 1, last, bk->tmp2.s, bk->asof);
}

/* Print set-up: A4 landscape, fitted to the page width, the heading row
 * repeated on every page. */
static void page(lxw_worksheet *ws, uint32_t head_row)
{
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9);               /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);         /* one page wide, as many long */
    worksheet_repeat_rows(ws, head_row, head_row);
    worksheet_set_margins(ws, 0.4, 0.4, 0.6, 0.6);
    worksheet_freeze_panes(ws, head_row + 1, 0);
}

enum { COL_MAX = 16 };

/* The goal's or task's cell of column kind on row: its number and title on
 * its first row, blank below, merged from first_row on its last row. */
static void node_cell(book *bk, lxw_worksheet *ws, const plan *p, int kind, uint32_t index,
                      uint32_t first_row, uint32_t row, bool first, bool last, strbuf *tmp)
{
    uint16_t col = kind == PLAN_GOAL ? 0 : 1;
    if (!first && !last) {
        worksheet_write_blank(ws, row, col, bk->group);
        return;
    }
    sb_reset(tmp);
    plan_node_number(p, kind, index, tmp);
    sb_adds(tmp, plan_node_title(p, kind, index));
    const char *s = cell(&bk->tmp, tmp->s);
    if (first)
        worksheet_write_string(ws, row, col, s, bk->group);
    else
        worksheet_write_blank(ws, row, col, bk->group);
    if (last && row > first_row)
        worksheet_merge_range(ws, first_row, col, row, col, s, bk->group);
}

/* Sheet 1: 目标 | 任务 | 主要内容 | 牵头单位 | 责任单位 | (配合单位) | 完成时限 |
 * 完成情况 | 进展情况 | 更新时间. */
static void progress_sheet(book *bk, const plan *p, const uint8_t *filter)
{
    lxw_worksheet *ws = workbook_add_worksheet(bk->wb, "进展情况表");
    const char *heads[COL_MAX];
    double widths[COL_MAX];
    int roles[PLAN_ROLES];
    uint16_t nc = 0, n_roles = 0;
    heads[nc] = "目标", widths[nc++] = 18;
    heads[nc] = "任务", widths[nc++] = 20;
    heads[nc] = "主要内容", widths[nc++] = 56;
    char role_head[PLAN_ROLES][32];
    for (int w = 0; w < PLAN_ROLES; w++) {
        if (w > PLAN_RESP && !role_used(p, filter, w))
            continue;      /* a third role's column only when the plan uses it */
        snprintf(role_head[w], sizeof role_head[w], "%s单位", role_label(w));
        roles[n_roles++] = w;
        heads[nc] = role_head[w], widths[nc++] = 18;
    }
    uint16_t c_due = nc;
    heads[nc] = "完成时限", widths[nc++] = 14;
    heads[nc] = "完成情况", widths[nc++] = 10;
    heads[nc] = "进展情况", widths[nc++] = 30;
    heads[nc] = "更新时间", widths[nc++] = 17;
    title_rows(bk, ws, p, (uint16_t)(nc - 1));
    for (uint16_t c = 0; c < nc; c++) {
        worksheet_set_column(ws, c, c, widths[c], NULL);
        worksheet_write_string(ws, 2, c, heads[c], bk->head);
    }
    page(ws, 2);

    /* Rows are written in order (the workbook streams them: constant
     * memory).  A goal's or task's cell is written on its first row and
     * blank below; the merge is declared on its last row, when the rows
     * it spans are written (a merge may not reach rows still to come). */
    uint32_t row = 3, goal_row = 3, task_row = 3;
    strbuf num = {0};
    size_t i = 0, prev = SIZE_MAX;
    while (i < p->n_items && !keep(filter, i))
        i++;
    while (i < p->n_items) {
        size_t next = i + 1;
        while (next < p->n_items && !keep(filter, next))
            next++;
        const plan_item *it = &p->items[i];
        uint32_t t = it->task, g = p->tasks[t].goal;
        bool first_t = prev == SIZE_MAX || p->items[prev].task != t;
        bool first_g = prev == SIZE_MAX || p->tasks[p->items[prev].task].goal != g;
        bool last_t = next >= p->n_items || p->items[next].task != t;
        bool last_g = next >= p->n_items || p->tasks[p->items[next].task].goal != g;
        if (first_t)
            task_row = row;
        if (first_g)
            goal_row = row;
        node_cell(bk, ws, p, PLAN_GOAL, g, goal_row, row, first_g, last_g, &num);
        node_cell(bk, ws, p, PLAN_TASK, t, task_row, row, first_t, last_t, &num);
        bool od = it->due_state == DUE_S_OVERDUE;
        lxw_format *f = od ? bk->text_od : bk->text, *fc = od ? bk->center_od : bk->center;
        uint16_t c = 2;
        sb_reset(&num);
        plan_node_number(p, PLAN_ITEM, (uint32_t)i, &num);
        sb_addc(&num, ' ');
        sb_adds(&num, it->text);
        worksheet_write_string(ws, row, c++, cell(&bk->tmp, num.s), f);
        for (uint16_t k = 0; k < n_roles; k++) {
            const plan_units *pu = &it->who[roles[k]];
            sb_reset(&num);
            for (uint32_t u = 0; u < pu->n; u++) {
                if (u)
                    sb_adds(&num, "、");
                sb_adds(&num, p->units[pu->unit[u]].name);
            }
            if (pu->more)
                sb_adds(&num, "等");
            if (roles[k] == PLAN_LEAD && it->each && pu->n)
                sb_adds(&num, "（分别牵头）");
            worksheet_write_string(ws, row, c++, cell(&bk->tmp, num.s), f);
        }
        worksheet_write_string(ws, row, c_due, cell(&bk->tmp, it->due), fc);
        worksheet_write_string(ws, row, (uint16_t)(c_due + 1),
                               it->done ? "已完成" : od ? "逾期" : "未完成", fc);
        worksheet_write_string(ws, row, (uint16_t)(c_due + 2),
                               cell(&bk->tmp, it->note), f);
        /* 更新时间: the later of the done time and the note's time */
        const char *upd = it->done ? it->done_at : NULL;
        if (it->note && it->note_at && (!upd || strcmp(it->note_at, upd) > 0))
            upd = it->note_at;
        sb_reset(&num);
        if (upd)
            plan_done_time(&num, upd);
        worksheet_write_string(ws, row, (uint16_t)(c_due + 3), cell(&bk->tmp, num.s), fc);
        row++;
        prev = i;
        i = next;
    }
    sb_free(&num);
}

/* Sheet 2: unit | per role done/total | 逾期 | 剩余事项, over the items the
 * filter keeps; units in the order the plan first names them. */
static void unit_sheet(book *bk, const plan *p, const uint8_t *filter)
{
    lxw_worksheet *ws = workbook_add_worksheet(bk->wb, "单位汇总");
    size_t n = p->n_units;
    uint32_t *tot = xcalloc(n * PLAN_ROLES + 1, sizeof *tot);
    uint32_t *done = xcalloc(n * PLAN_ROLES + 1, sizeof *done);
    uint32_t *od = xcalloc(n + 1, sizeof *od), *left = xcalloc(n + 1, sizeof *left);
    uint32_t *stamp = xcalloc(n + 1, sizeof *stamp);
    for (size_t i = 0; i < p->n_items; i++) {
        if (!keep(filter, i))
            continue;
        const plan_item *it = &p->items[i];
        for (int w = 0; w < PLAN_ROLES; w++)
            for (uint32_t k = 0; k < it->who[w].n; k++) {
                uint32_t u = it->who[w].unit[k];
                size_t x = (size_t)u * PLAN_ROLES + (size_t)w;
                tot[x]++;
                done[x] += it->done;
                if (stamp[u] == i + 1)
                    continue;     /* an item counts once for a unit */
                stamp[u] = (uint32_t)i + 1;
                od[u] += it->due_state == DUE_S_OVERDUE;
                left[u] += !it->done;
            }
    }
    int roles[PLAN_ROLES];
    uint16_t n_roles = 0, nc = 0;
    for (int w = 0; w < PLAN_ROLES; w++)
        if (w <= PLAN_RESP || role_used(p, filter, w))
            roles[n_roles++] = w;
    title_rows(bk, ws, p, (uint16_t)(n_roles + 2));
    worksheet_set_column(ws, 0, 0, 30, NULL);
    worksheet_set_column(ws, 1, (uint16_t)(n_roles + 2), 12, NULL);
    worksheet_write_string(ws, 2, nc++, "单位", bk->head);
    for (uint16_t k = 0; k < n_roles; k++) {
        sb_reset(&bk->tmp2);
        sb_addf(&bk->tmp2, "%s（完成/总数）", role_label(roles[k]));
        worksheet_write_string(ws, 2, nc++, bk->tmp2.s, bk->head);
    }
    worksheet_write_string(ws, 2, nc++, "逾期", bk->head);
    worksheet_write_string(ws, 2, nc++, "剩余事项", bk->head);
    page(ws, 2);
    uint32_t row = 3;
    for (size_t u = 0; u < n; u++) {
        if (!stamp[u])
            continue;
        lxw_format *f = od[u] ? bk->text_od : bk->text, *fc = od[u] ? bk->center_od : bk->center;
        uint16_t c = 0;
        worksheet_write_string(ws, row, c++, cell(&bk->tmp, p->units[u].name), f);
        for (uint16_t k = 0; k < n_roles; k++) {
            size_t x = u * PLAN_ROLES + (size_t)roles[k];
            sb_reset(&bk->tmp2);
            if (tot[x])
                sb_addf(&bk->tmp2, "%u/%u", done[x], tot[x]);
            else
                sb_adds(&bk->tmp2, "-");
            worksheet_write_string(ws, row, c++, bk->tmp2.s, fc);
        }
        worksheet_write_number(ws, row, c++, od[u], fc);
        worksheet_write_number(ws, row, c++, left[u], fc);
        row++;
    }
    free(tot);
    free(done);
    free(od);
    free(left);
    free(stamp);
}

int report_xlsx(const char *path, const plan *p, const uint8_t *filter, diags *d)
{
    /* constant memory: rows stream to a temporary file, strings inline */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
    book bk = {0};
    bk.wb = workbook_new_opt(path, &opt);
    if (!bk.wb) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, "%s: cannot create the workbook", path);
        return -1;
    }
    lxw_doc_properties props = {0};
    strbuf title = {0};
    text_sanitize(&title, p->title ? p->title : "", strlen(p->title ? p->title : ""),
                  TEXT_ONELINE);
    props.title = title.s;
    static char comments[] = "plandash " PLANDASH_VERSION;
    props.comments = comments;
    workbook_set_properties(bk.wb, &props);
    formats(&bk);
    progress_sheet(&bk, p, filter);
    unit_sheet(&bk, p, filter);
    lxw_error e = workbook_close(bk.wb);
    sb_free(&bk.tmp);
    sb_free(&bk.tmp2);
    sb_free(&title);
    if (e != LXW_NO_ERROR) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, "%s: cannot write the workbook: %s%s%s", path,
                  lxw_strerror(e), errno ? ": " : "", errno ? strerror(errno) : "");
        return -1;
    }
    return 0;
}
