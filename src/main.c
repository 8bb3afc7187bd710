/* main.c - options, locale, exit codes; dispatches to the CLI modes or
 * the dashboard. */
#include <errno.h>
#include <getopt.h>
#include <libintl.h>
#include <stdarg.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "due.h"
#include "history.h"
#include "import.h"
#include "merge.h"
#include "outenc.h"
#include "plan.h"
#include "report.h"
#include "status.h"
#include "termprobe.h"
#include "text.h"
#include "ui.h"
#include "units.h"
#include "util.h"

enum { EXIT_INVALID = 1, EXIT_USAGE = 2 };
enum { OPT_MERGE_STATUS = 512, OPT_MERGE_HISTORY };

static const char usage_text[] =
    "Usage: plandash [OPTION]... [PLAN]\n"
    "Track the implementation of a work plan (goals, tasks, items and their\n"
    "lead and responsible units).  PLAN defaults to plan.yaml; without an\n"
    "option, open the interactive dashboard.\n"
    "\n"
    "  --check             validate the plan and its status; print a summary\n"
    "  --report            print a progress report by goal, task and unit\n"
    "  --export FMT        print the plan with its status as json, csv or md,\n"
    "                      or write it as a spreadsheet (xlsx, with -o FILE)\n"
    "  -o, --output FILE   with --export: write FILE instead of standard output\n"
    "  --bom               with --export csv: begin with a UTF-8 byte order mark\n"
    "                      (for Excel on Chinese Windows)\n"
    "  --unit QUERY        with --report/--export: only the items of matching\n"
    "                      units (Chinese, pinyin such as sifa, or initials sfj)\n"
    "  --mark ID           mark item ID done (repeatable; saved at once)\n"
    "  --unmark ID         mark item ID not done (repeatable)\n"
    "  --import FILE       write a plan YAML read from a notice's text or a CSV\n"
    "                      (FILE - is standard input) to standard output\n"
    "  -o, --output PLAN   with --import: write it to PLAN instead\n"
    "  --force             with -o: overwrite PLAN if it exists\n"
    "  --note ID TEXT      set item ID's progress note (TEXT - reads standard\n"
    "                      input; \"\" clears it); saved at once\n"
    "  --history[=ID]      print the history of changes (of item ID), newest\n"
    "                      first; --history ID works when ID is not a file\n"
    "  --with-history      with --export json: each item's changes\n"
    "  -s, --status FILE   the status file (default: PLAN with .yaml replaced\n"
    "                      by .status.json)\n"
    "  --merge-status BASE OURS THEIRS\n"
    "                      git merge driver for status files: merge into OURS\n"
    "  --merge-history BASE OURS THEIRS\n"
    "                      git merge driver for history files: the union\n"
    "  -h, --help          show this help and exit\n"
    "  -V, --version       show the version and exit\n"
    "\n"
    "Exit status: 0 success, 1 invalid plan or status or unknown ID, 2 usage.\n"
    "See plandash(1) for the dashboard's keys and the file formats.\n";

/* What people read goes out in the locale's encoding (see outenc.h);
 * exports stay UTF-8 on stdout. */
static FILE *out_f, *err_f;

/* The plan is UTF-8 whatever the environment says: use the user's locale;
 * only when it is plain ASCII (C, POSIX or unset) take a UTF-8 character
 * type instead.  A GB18030 or GBK locale is kept: outenc converts to it. */
static void init_locale(void)
{
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    if (cs && strcmp(cs, "ANSI_X3.4-1968") != 0 && strcmp(cs, "ASCII") != 0) {
        /* strerror() in our messages: UTF-8 like the rest of them. */
        bind_textdomain_codeset("libc", "UTF-8");
        return;
    }
    static const char *const fallbacks[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8", NULL};
    for (int i = 0; fallbacks[i]; i++)
        if (setlocale(LC_CTYPE, fallbacks[i]))
            return;
}

static int usage_error(const char *fmt, ...) PD_PRINTF(1, 2);
static int usage_error(const char *fmt, ...)
{
    fputs("plandash: error: ", err_f);
    strbuf b = {0};
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&b, fmt, ap);
    va_end(ap);
    text_fputs(b.s, TEXT_ONELINE, err_f);
    sb_free(&b);
    fputs("\nTry 'plandash --help' for more information.\n", err_f);
    return EXIT_USAGE;
}

typedef struct {
    bool check, report, dashboard;
    int merge;              /* OPT_MERGE_STATUS or _HISTORY, else 0 */
    char **merge_files;     /* BASE OURS THEIRS */
    const char *export_fmt;
    bool bom;
    const char *unit;
    const char *status_path;
    const char *plan_path;
    const char *import_path, *output;   /* --import FILE; -o PLAN or the export's FILE */
    bool force;
    const char **ids;       /* --mark/--unmark ids in order */
    bool *done;             /* and their new state */
    size_t n_ids, cap_ids, cap_done;
    const char **note_ids, **notes;   /* --note ID TEXT, in order */
    size_t n_notes, cap_note_ids, cap_notes;
    bool history, with_history;
    const char *history_id;           /* NULL: every item */
} options;

static void add_mark(options *o, const char *id, bool done)
{
    xgrow((void **)&o->ids, &o->cap_ids, o->n_ids + 1, sizeof *o->ids);
    xgrow((void **)&o->done, &o->cap_done, o->n_ids + 1, sizeof *o->done);
    o->ids[o->n_ids] = id;
    o->done[o->n_ids] = done;
    o->n_ids++;
}

/* Parse the command line; returns -1 to go on, else an exit status. */
static int parse_options(int argc, char **argv, options *o)
{
    enum {
        OPT_CHECK = 256, OPT_REPORT, OPT_EXPORT, OPT_UNIT, OPT_MARK, OPT_UNMARK, OPT_IMPORT,
        OPT_FORCE, OPT_BOM, OPT_NOTE, OPT_HISTORY, OPT_WITH_HISTORY
    };
    static const struct option longopts[] = {
        {"check", no_argument, NULL, OPT_CHECK},
        {"report", no_argument, NULL, OPT_REPORT},
        {"export", required_argument, NULL, OPT_EXPORT},
        {"unit", required_argument, NULL, OPT_UNIT},
        {"mark", required_argument, NULL, OPT_MARK},
        {"unmark", required_argument, NULL, OPT_UNMARK},
        {"merge-status", no_argument, NULL, OPT_MERGE_STATUS},
        {"merge-history", no_argument, NULL, OPT_MERGE_HISTORY},
        {"note", required_argument, NULL, OPT_NOTE},
        {"history", optional_argument, NULL, OPT_HISTORY},
        {"with-history", no_argument, NULL, OPT_WITH_HISTORY},
        {"status", required_argument, NULL, 's'},
        {"import", required_argument, NULL, OPT_IMPORT},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, OPT_FORCE},
        {"bom", no_argument, NULL, OPT_BOM},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":s:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_CHECK: o->check = true; break;
        case OPT_REPORT: o->report = true; break;
        case OPT_EXPORT:
            if (!optarg || (strcmp(optarg, "json") != 0 && strcmp(optarg, "csv") != 0 &&
                            strcmp(optarg, "md") != 0 && strcmp(optarg, "xlsx") != 0))
                return usage_error("--export takes json, csv, md or xlsx, not '%s'", optarg);
            o->export_fmt = optarg;
            break;
        case OPT_UNIT: o->unit = optarg; break;
        case OPT_MARK: add_mark(o, optarg, true); break;
        case OPT_UNMARK: add_mark(o, optarg, false); break;
        case OPT_MERGE_STATUS:
        case OPT_MERGE_HISTORY: o->merge = c; break;
        case OPT_NOTE:
            /* the text is the next argument, whatever it looks like */
            if (optind >= argc)
                return usage_error("--note needs an id and a text (- reads standard input, "
                                   "\"\" clears the note)");
            xgrow((void **)&o->note_ids, &o->cap_note_ids, o->n_notes + 1, sizeof *o->note_ids);
            xgrow((void **)&o->notes, &o->cap_notes, o->n_notes + 1, sizeof *o->notes);
            o->note_ids[o->n_notes] = optarg;
            o->notes[o->n_notes++] = argv[optind++];
            break;
        case OPT_HISTORY: {
            o->history = true;
            o->history_id = optarg;
            /* "--history ID": the next argument when it is no option and
             * no file (then it is the plan) */
            struct stat st;
            if (!optarg && optind < argc && argv[optind][0] != '-' &&
                stat(argv[optind], &st) < 0 && errno == ENOENT)
                o->history_id = argv[optind++];
            break;
        }
        case OPT_WITH_HISTORY: o->with_history = true; break;
        case 's': o->status_path = optarg; break;
        case OPT_IMPORT: o->import_path = optarg; break;
        case 'o': o->output = optarg; break;
        case OPT_FORCE: o->force = true; break;
        case OPT_BOM: o->bom = true; break;
        case 'h':
            fputs(usage_text, out_f);
            return 0;
        case 'V':
            fprintf(out_f, "plandash %s\n", PLANDASH_VERSION);
            return 0;
        case ':':
            return usage_error("option '%s' needs an argument", argv[optind - 1]);
        default:
            if (optopt)
                return usage_error("unknown option '-%s'", (char[]){(char)optopt, 0});
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (o->merge) {
        const char *name = o->merge == OPT_MERGE_STATUS ? "--merge-status" : "--merge-history";
        if (argc - optind != 3)
            return usage_error("%s takes three files: BASE OURS THEIRS (git's %%O %%A %%B)",
                               name);
        if (o->check || o->report || o->export_fmt || o->n_ids || o->status_path ||
            o->import_path || o->output || o->force || o->n_notes || o->history ||
            o->with_history)
            return usage_error("%s goes alone", name);
        o->merge_files = argv + optind;
        return -1;
    }
    if (argc - optind > 1)
        return usage_error("more than one plan given ('%s')", argv[optind + 1]);
    bool bad_today;
    due_today(&bad_today);
    if (bad_today)
        return usage_error("PLANDASH_TODAY must be a date as YYYY-MM-DD, not '%s'",
                           getenv("PLANDASH_TODAY"));
    o->plan_path = optind < argc ? argv[optind] : "plan.yaml";
    if (o->force && !o->import_path)
        return usage_error("--force goes with --import");
    if (o->output && !o->import_path && !o->export_fmt)
        return usage_error("-o goes with --import or --export");
    if (o->import_path && (optind < argc || o->check || o->report || o->export_fmt ||
                           o->n_ids || o->unit || o->status_path || o->n_notes ||
                           o->history || o->with_history))
        return usage_error("--import takes FILE and optionally -o PLAN and --force, "
                           "nothing else");
    if (o->unit && !o->report && !o->export_fmt)
        return usage_error("--unit goes with --report or --export");
    if (o->report && o->export_fmt)
        return usage_error("--report and --export are separate outputs: give one");
    if (o->bom && (!o->export_fmt || strcmp(o->export_fmt, "csv") != 0))
        return usage_error("--bom goes with --export csv");
    if (o->export_fmt && strcmp(o->export_fmt, "xlsx") == 0 &&
        ((o->output && strcmp(o->output, "-") == 0) || (!o->output && isatty(STDOUT_FILENO))))
        return usage_error("--export xlsx writes a binary file: give -o FILE "
                           "(standard output only when it is not a terminal)");
    if (o->with_history && (!o->export_fmt || strcmp(o->export_fmt, "json") != 0))
        return usage_error("--with-history goes with --export json");
    if (o->history && (o->report || o->export_fmt))
        return usage_error("--history is an output of its own: give it without --report "
                           "or --export");
    o->dashboard = !o->check && !o->report && !o->export_fmt && !o->n_ids && !o->n_notes &&
                   !o->history;
    return -1;
}

/* Apply --mark/--unmark as one save; print one line per change. */
static int do_marks(const options *o, plan *p, status *s, diags *d)
{
    for (size_t i = 0; i < o->n_ids; i++) {
        int kind;
        uint32_t idx;
        if (!plan_find_node(p, o->ids[i], &kind, &idx)) {
            diags_add(d, DIAG_ERROR, NULL, 0, 0, "no item has the id \"%s\" in %s",
                      o->ids[i], o->plan_path);
            return EXIT_INVALID;
        }
        if (kind != PLAN_ITEM) {
            diags_add(d, DIAG_ERROR, NULL, 0, 0,
                      "\"%s\" is a %s, not an item: mark its items one by one", o->ids[i],
                      plan_kind_name(kind));
            return EXIT_INVALID;
        }
    }
    bool *before = xcalloc(o->n_ids, sizeof *before);
    for (size_t i = 0; i < o->n_ids; i++)
        before[i] = plan_find_item(p, o->ids[i])->done;
    if (status_set(s, p, o->ids, o->done, o->n_ids, d) != 0) {
        free(before);
        return EXIT_INVALID;
    }
    strbuf b = {0};
    for (size_t i = 0; i < o->n_ids; i++) {
        /* A later --mark/--unmark of the same id wins: report the last. */
        bool last = true;
        for (size_t j = i + 1; j < o->n_ids; j++)
            last &= strcmp(o->ids[i], o->ids[j]) != 0;
        if (!last)
            continue;
        const char *what = o->done[i] ? "done" : "not done";
        sb_reset(&b);
        if (before[i] == o->done[i])
            sb_addf(&b, "%s: already %s", o->ids[i], what);
        else
            sb_addf(&b, "%s: %s", o->ids[i], o->done[i] ? "marked done" : "marked not done");
        text_fputs(b.s, TEXT_ONELINE, out_f);
        fputc('\n', out_f);
    }
    sb_free(&b);
    free(before);
    return 0;
}

/* Copy file path to standard output. */
static int copy_out(const char *path, diags *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, "%s: %s", path, strerror(errno));
        return -1;
    }
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (fwrite(buf, 1, n, stdout) != n)
            break;
    fclose(f);
    return 0;
}

/* --export: to -o FILE through a temporary file beside it, renamed when
 * complete (a failed export leaves FILE as it was), or to standard output
 * (xlsx through a temporary file, libxlsxwriter writing only to files). */
static int export(const options *o, const plan *p, const uint8_t *filter, const history *h,
                  diags *d)
{
    bool xlsx = strcmp(o->export_fmt, "xlsx") == 0;
    bool to_file = o->output && strcmp(o->output, "-") != 0;
    if (!to_file && !xlsx) {
        if (o->bom)
            fputs("\xEF\xBB\xBF", stdout);
        if (report_export_with(stdout, p, o->export_fmt, filter, h) != 0) {
            diags_add(d, DIAG_ERROR, NULL, 0, 0, "cannot export as '%s'", o->export_fmt);
            return -1;
        }
        return 0;
    }
    strbuf tmp = {0};
    if (to_file) {
        sb_addf(&tmp, "%s.tmpXXXXXX", o->output);
    } else {
        const char *dir = getenv("TMPDIR");
        sb_addf(&tmp, "%s/plandash.xlsx.XXXXXX", dir && *dir ? dir : "/tmp");
    }
    int fd = mkstemp(tmp.s);
    if (fd < 0) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, "%s: cannot write: %s",
                  to_file ? o->output : tmp.s, strerror(errno));
        sb_free(&tmp);
        return -1;
    }
    int rc = 0;
    if (to_file) {   /* a new file's mode, as fopen would give it */
        mode_t mask = umask(0);
        umask(mask);
        (void)fchmod(fd, 0666 & ~mask);
    }
    if (xlsx) {
        close(fd);
        rc = report_xlsx(tmp.s, p, filter, d);
    } else {
        FILE *f = fdopen(fd, "w");
        if (!f) {
            close(fd);
            rc = -1;
        } else {
            if (o->bom)
                fputs("\xEF\xBB\xBF", f);
            rc = report_export_with(f, p, o->export_fmt, filter, h);
            if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
                rc = -1;
            if (fclose(f) != 0)
                rc = -1;
        }
        if (rc)
            diags_add(d, DIAG_ERROR, NULL, 0, 0, "%s: cannot write: %s", o->output,
                      strerror(errno));
    }
    if (rc == 0 && to_file && rename(tmp.s, o->output) != 0) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, "%s: cannot write: %s", o->output,
                  strerror(errno));
        rc = -1;
    }
    if (rc == 0 && !to_file)
        rc = copy_out(tmp.s, d);
    if (rc != 0 || !to_file)
        unlink(tmp.s);
    sb_free(&tmp);
    return rc;
}

/* Standard input as one note, one final line break dropped.  A longer
 * input than a note may hold is read to its end (to say its real size) but
 * not kept.  NULL on error (reported). */
static char *read_note_stdin(diags *d)
{
    strbuf b = {0};
    char chunk[8192];
    size_t r, total = 0;
    while ((r = fread(chunk, 1, sizeof chunk, stdin)) > 0) {
        total += r;
        if (b.len <= STATUS_NOTE_MAX + 2)
            sb_add(&b, chunk, r);
    }
    if (ferror(stdin)) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, "cannot read the note from standard input");
        sb_free(&b);
        return NULL;
    }
    if (total > b.len) {
        status_check_note(NULL, total, d);   /* says "the note is TOTAL bytes" */
        sb_free(&b);
        return NULL;
    }
    if (b.len && b.s[b.len - 1] == '\n')
        b.s[--b.len] = '\0';
    if (b.len && b.s[b.len - 1] == '\r')
        b.s[--b.len] = '\0';
    if (!b.s)
        return xstrdup("");
    return sb_steal(&b);
}

/* Apply the --note options, one save each; print one line per note. */
static int do_notes(const options *o, plan *p, status *s, diags *d)
{
    for (size_t i = 0; i < o->n_notes; i++) {
        int kind;
        uint32_t idx;
        const char *id = o->note_ids[i];
        if (!plan_find_node(p, id, &kind, &idx)) {
            diags_add(d, DIAG_ERROR, NULL, 0, 0, "no item has the id \"%s\" in %s", id,
                      o->plan_path);
            return EXIT_INVALID;
        }
        if (kind != PLAN_ITEM) {
            diags_add(d, DIAG_ERROR, NULL, 0, 0,
                      "\"%s\" is a %s, not an item: notes are kept for items", id,
                      plan_kind_name(kind));
            return EXIT_INVALID;
        }
    }
    for (size_t i = 0; i < o->n_notes; i++) {
        const char *id = o->note_ids[i];
        char *text = strcmp(o->notes[i], "-") == 0 ? read_note_stdin(d) : xstrdup(o->notes[i]);
        if (!text)
            return EXIT_INVALID;
        const char *old = plan_find_item(p, id)->note;
        bool same = strcmp(old ? old : "", text) == 0;
        if (status_set_note(s, p, id, text, NULL, d) != 0) {
            free(text);
            return EXIT_INVALID;
        }
        strbuf b = {0};
        sb_addf(&b, "%s: %s", id, same ? "note unchanged" : *text ? "note saved" : "note cleared");
        text_fputs(b.s, TEXT_ONELINE, out_f);
        fputc('\n', out_f);
        sb_free(&b);
        free(text);
    }
    return 0;
}

/* --history: the changes, newest first, one line each, sanitised. */
static int do_history(const options *o, plan *p, status *s, diags *d)
{
    if (o->history_id && !plan_find_item(p, o->history_id)) {
        diags_add(d, DIAG_ERROR, NULL, 0, 0, "no item has the id \"%s\" in %s", o->history_id,
                  o->plan_path);
        return EXIT_INVALID;
    }
    char *hpath = status_history_file(s);
    history h = {0};
    int rc = history_load(&h, hpath, o->history_id, d) < 0 ? EXIT_INVALID : 0;
    strbuf b = {0};
    for (size_t k = h.n; k-- > 0;) {
        sb_reset(&b);
        history_describe(&b, &h.v[k], !o->history_id, 0);
        text_fputs(b.s, TEXT_ONELINE, out_f);
        fputc('\n', out_f);
    }
    if (!rc && !h.n)
        fputs(o->history_id ? "no changes recorded for this item\n" : "no changes recorded\n",
              out_f);
    sb_free(&b);
    history_free(&h);
    free(hpath);
    return rc;
}

/* --unit QUERY matches no unit: an error, with up to three units whose
 * names match the longest shorter start of QUERY (a typo's likely fix). */
static void unit_miss(const plan *p, const units_index *ix, const char *q, diags *d)
{
    strbuf hint = {0};
    size_t len = strlen(q);
    uint8_t *hit = xmalloc(p->n_units ? p->n_units : 1);
    while (len > 1 && !hint.len) {
        do   /* drop the last character (whole, in UTF-8) */
            len--;
        while (len > 0 && ((unsigned char)q[len] & 0xC0) == 0x80);
        char *start = xstrndup(q, len);
        bool wide = (unsigned char)start[0] >= 0x80;
        if ((wide || len >= 2) && units_index_match(ix, start, hit)) {
            uint32_t *order = xmalloc((p->n_units ? p->n_units : 1) * sizeof *order);
            units_index_order(ix, order);
            size_t shown = 0;
            for (size_t k = 0; k < p->n_units && shown < 3; k++)
                if (hit[order[k]]) {
                    sb_adds(&hint, shown++ ? "、" : "; did you mean ");
                    sb_adds(&hint, p->units[order[k]].name);
                }
            free(order);
        }
        free(start);
    }
    free(hit);
    diags_add(d, DIAG_ERROR, NULL, 0, 0, "no unit matches \"%s\"%s", q,
              hint.s ? hint.s : "");
    sb_free(&hint);
}

static int run(const options *o, diags *d)
{
    if (o->merge) {
        char **f = o->merge_files;
        int r = o->merge == OPT_MERGE_STATUS ? merge_status(f[0], f[1], f[2], d)
                                             : merge_history(f[0], f[1], f[2], d);
        return r < 0 ? EXIT_INVALID : 0;
    }
    plan *p = plan_load(o->plan_path, d);
    if (!p)
        return EXIT_INVALID;
    char *spath = o->status_path ? xstrdup(o->status_path) : status_default_path(o->plan_path);
    status *s = status_load(spath, d);
    int rc = 0;
    if (!s) {
        rc = EXIT_INVALID;
        goto out;
    }
    status_apply(s, p);
    if (o->n_ids && (rc = do_marks(o, p, s, d)) != 0)
        goto out;
    if (o->n_notes && (rc = do_notes(o, p, s, d)) != 0)
        goto out;
    if (o->history && (rc = do_history(o, p, s, d)) != 0)
        goto out;
    if (o->check) {
        status_warn_orphans(s, p, d);
        char *hpath = status_history_file(s);
        history h = {0};
        if (history_load(&h, hpath, NULL, d) < 0)
            rc = EXIT_INVALID;
        history_free(&h);
        free(hpath);
        strbuf b = {0};
        size_t nt = plan_task_count(p);
        sb_addf(&b, "%s: %zu goal%s, %zu task%s, %zu item%s, %zu unit%s; %zu/%zu done",
                o->plan_path, p->n_goals, p->n_goals == 1 ? "" : "s", nt,
                nt == 1 ? "" : "s", p->n_items, p->n_items == 1 ? "" : "s",
                p->n_item_units, p->n_item_units == 1 ? "" : "s", p->done, p->n_items);
        text_fputs(b.s, TEXT_ONELINE, out_f);
        fputc('\n', out_f);
        sb_free(&b);
    }
    if (o->report || o->export_fmt) {
        units_index *ix = NULL;
        units_result r = {0};
        if (o->unit) {
            ix = units_index_new(p);
            units_search(ix, o->unit, &r);
            if (!r.n_units) {   /* a typo: say so, not an empty report */
                unit_miss(p, ix, o->unit, d);
                units_result_free(&r);
                units_index_free(ix);
                rc = EXIT_INVALID;
                goto out;
            }
        }
        if (o->report) {
            report_text(out_f, p, o->unit ? &r : NULL, o->unit);
        } else {
            fflush(out_f);   /* the --mark lines first; the export is UTF-8 */
            history h = {0};
            char *hpath = o->with_history ? status_history_file(s) : NULL;
            if (hpath && history_load(&h, hpath, NULL, d) < 0)
                rc = EXIT_INVALID;
            free(hpath);
            int erc = export(o, p, o->unit ? r.item_hit : NULL, o->with_history ? &h : NULL, d);
            history_free(&h);
            if (erc != 0)
                rc = EXIT_INVALID;
        }
        units_result_free(&r);
        units_index_free(ix);
    }
    if (o->dashboard) {
        if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
            if (!getenv("PLANDASH_TEST_SCRIPT")) {
                diags_add(d, DIAG_ERROR, NULL, 0, 0,
                          "the dashboard needs a terminal; for output to a file or a pipe "
                          "use --report or --export json|csv|md");
                rc = EXIT_USAGE;
                goto out;
            }
        }
        diags_print(d, err_f);   /* warnings, before the screen takes over */
        diags_clear(d);
        fflush(out_f);
        rc = ui_run(p, s, o->plan_path, d);
    }
out:
    status_free(s);
    plan_free(p);
    free(spath);
    return rc;
}

int main(int argc, char **argv)
{
    init_locale();
    out_f = outenc_open(stdout, false);
    err_f = outenc_open(stderr, true);
    outenc_work_in_utf8(true);   /* the same text as under UTF-8, then converted */
    /* --report aligns by display width: PLANDASH_AMBIGUOUS=wide counts
     * Ambiguous characters as two columns there too (no probe: the report
     * may go to a file or a pipe; the dashboard probes its terminal). */
    text_set_ambiguous_wide(termprobe_policy(getenv("PLANDASH_AMBIGUOUS"), TERMPROBE_UNKNOWN).wide);
    options o = {0};
    int rc = parse_options(argc, argv, &o);
    if (rc < 0) {
        diags d = {0};
        /* --import writes its YAML to stdout as UTF-8, like the exports */
        rc = o.import_path ? import_main(o.import_path, o.output, o.force, &d) : run(&o, &d);
        diags_print(&d, err_f);
        diags_free(&d);
    }
    if (outenc_close(out_f, stdout) != 0 || fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(err_f, "plandash: error: cannot write the output\n");
        rc = rc ? rc : EXIT_INVALID;
    }
    outenc_close(err_f, stderr);
    free(o.ids);
    free(o.done);
    free(o.note_ids);
    free(o.notes);
    return rc;
}
