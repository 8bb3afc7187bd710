#!/bin/sh
# --export xlsx (进展情况表 and 单位汇总) read back with openpyxl: sheet
# names, merged ranges, every cell of the seed plan, the frozen pane, print
# set-up, the overdue fill; -o and standard output; --bom for csv.
. "$TOP/tests/lib.sh"
if ! /usr/bin/python3 -c 'import openpyxl' 2>/dev/null; then
    skip --ci "xlsx tests" "python3-openpyxl is not installed (make deps-test)"
    done_testing
    exit 0
fi
fx=$TOP/tests/fixtures
d=$(tmpdir)
cp "$TOP/plan.yaml" "$fx/cli/plan.status.json" "$fx/due/due.yaml" "$fx/due/due.status.json" "$d/"
cd "$d" || exit 1
o=$d/stdout e=$d/stderr
runf() { "$@" >"$o" 2>"$e"; rc=$?; }
dump() { /usr/bin/python3 "$TOP/tests/tools/xlsx_dump.py" "$1"; }
same() {
    if cmp -s "$2" "$3"; then pass "$1"; else
        fail "$1" "differs from $(basename "$2"):"
        diff "$2" "$3" | head -20 | sed 's/^/#   /'
    fi
}

# --- the seed plan: every cell ---
runf "$PLANDASH" --export xlsx -o plan.xlsx plan.yaml
is "--export xlsx -o: exit 0" 0 "$rc"
is "--export xlsx -o: nothing on stdout or stderr" "" "$(cat "$o" "$e")"
dump plan.xlsx >plan.txt
same "the seed plan's workbook, cell by cell" "$fx/xlsx/plan.expected.txt" plan.txt
contains "sheets 进展情况表 and 单位汇总" "sheet 进展情况表" "$(cat plan.txt)"
contains "the header frozen under the title rows" "frozen A4" "$(cat plan.txt)"
contains "the header repeated on every printed page" 'print_titles $3:$3' "$(cat plan.txt)"
contains "A4 landscape, one page wide" "page landscape paper 9 fit True wide 1 tall 0" "$(cat plan.txt)"
contains "goal cells merged down their items" "A4:A12" "$(cat plan.txt)"
contains "the title row" "A2	截至 2026年12月1日" "$(cat plan.txt)"
lacks "no overdue fill without due words" "[fill" "$(cat plan.txt)"
lacks "every cell wraps" "[nowrap]" "$(cat plan.txt)"
ok "the file is readable by others, as a new file" sh -c "ls -l plan.xlsx | grep -q '^-rw-r--r--'"

# --- due words: overdue rows filled ---
PLANDASH_TODAY=2019-10-10 runf "$PLANDASH" --export xlsx -o due.xlsx due.yaml
dump due.xlsx >due.txt
same "the due plan's workbook" "$fx/xlsx/due.expected.txt" due.txt
contains "an overdue row is filled" "C4	1. 公开年度预算 [fill FFC7CE]" "$(cat due.txt)"
contains "完成情况 says 逾期" "G4	逾期 [fill FFC7CE]" "$(cat due.txt)"
contains "a done item: 已完成 and its time" "I7	2019-10-01 09:00" "$(cat due.txt)"
contains "单位汇总: overdue and items left" "E4	2" "$(cat due.txt)"

# --- the note (进展情况) and the time of the last change (更新时间) ---
cp plan.yaml noted.yaml
"$PLANDASH" --note 1.1.2 "已召开座谈会，下一步公布采纳情况" noted.yaml >/dev/null
runf "$PLANDASH" --export xlsx -o noted.xlsx noted.yaml
dump noted.xlsx >noted.txt
contains "进展情况 holds the item's note" "H5	已召开座谈会，下一步公布采纳情况" "$(cat noted.txt)"
contains "更新时间 is the note's time" "I5	$(date +%Y-%m-%d) " "$(cat noted.txt)"

# a note longer than a cell holds (32,767 characters) is cut with a word,
# never dropped (libxlsxwriter writes nothing for a longer string)
head -c 40000 /dev/zero | tr '\0' a | "$PLANDASH" --note 1.1.2 - noted.yaml >/dev/null
runf "$PLANDASH" --export xlsx -o long.xlsx noted.yaml
/usr/bin/python3 -c '
import openpyxl, sys
v = openpyxl.load_workbook(sys.argv[1])["进展情况表"]["H5"].value or ""
print(len(v), v.endswith("（超过单元格容量，以下从略）"))' long.xlsx >long.txt
is "a note over 32,767 characters: cut to fit, and says so" "32763 True" "$(cat long.txt)"

# 分别牵头 after the lead units, as in the notice
cp "$fx/shapes/support.yaml" "$d/"
runf "$PLANDASH" --export xlsx -o support.xlsx support.yaml
dump support.xlsx >support.txt
contains "（分别牵头） after the lead units" "市发改委（分别牵头）" "$(cat support.txt)"

# --- control characters from the plan: shown, never raw ---
cp "$fx/cli/hostile.yaml" "$d/"
runf "$PLANDASH" --export xlsx -o hostile.xlsx hostile.yaml
is "a hostile plan: exit 0" 0 "$rc"
dump hostile.xlsx >hostile.txt
is "and the workbook reads back" 0 "$?"
contains "an escape sequence made visible" "C4	1. ␛]0;pwned␇" "$(cat hostile.txt)"
tr -d '\t\n' <hostile.txt >hostile.flat
ok "no control character in any cell" sh -c "! LC_ALL=C grep -q '[[:cntrl:]]' hostile.flat"

# --- --unit narrows it ---
PLANDASH_TODAY=2019-10-10 runf "$PLANDASH" --export xlsx --unit czj -o unit.xlsx due.yaml
dump unit.xlsx >unit.txt
contains "--unit: its items" "C5	2. 公开决算" "$(cat unit.txt)"
lacks "--unit: not the others" "网站改版" "$(cat unit.txt)"
contains "--unit: the goal merged over its two rows" "A4:A5" "$(cat unit.txt)"
lacks "--unit: 单位汇总 only names units of those items" "区数据局" "$(cat unit.txt)"

# --- standard output: a pipe yes, a terminal or -o - no ---
runf "$PLANDASH" --export xlsx plan.yaml
is "to a pipe: exit 0" 0 "$rc"
is "to a pipe: a zip file" "PK" "$(head -c 2 "$o")"
cp "$o" piped.xlsx
is "to a pipe: the same workbook" "$(cat plan.txt)" "$(dump piped.xlsx)"
runf "$PLANDASH" --export xlsx -o - plan.yaml
is "-o -: refused" 2 "$rc"
contains "-o -: says why" "--export xlsx writes a binary file: give -o FILE" "$(cat "$e")"
if command -v script >/dev/null 2>&1; then
    script -qec "'$PLANDASH' --export xlsx plan.yaml" /dev/null >tty.out 2>&1
    is "to a terminal: refused (exit 2)" 2 "$?"
    contains "to a terminal: says why" "give -o FILE" "$(cat tty.out)"
else
    _n=$((_n + 1)); echo "ok $_n # SKIP script(1) is not installed"
fi

# --- a failed export leaves the file as it was ---
echo old >kept.xlsx
chmod 500 "$d" 2>/dev/null
if [ "$(id -u)" != 0 ]; then
    runf "$PLANDASH" --export xlsx -o kept.xlsx plan.yaml
    is "an unwritable folder: exit 1" 1 "$rc"
    is "and the old file kept" old "$(cat kept.xlsx)"
fi
chmod 700 "$d"
runf "$PLANDASH" --export xlsx -o no/such/dir/x.xlsx plan.yaml
is "-o into a missing folder: exit 1" 1 "$rc"
contains "and says where" "no/such/dir/x.xlsx" "$(cat "$e")"

# --- -o for text exports, --bom ---
runf "$PLANDASH" --export csv plan.yaml
cp "$o" plain.csv
runf "$PLANDASH" --export csv -o out.csv plan.yaml
ok "--export csv -o: the same as on stdout" cmp -s plain.csv out.csv
runf "$PLANDASH" --export csv --bom plan.yaml
is "--bom: a UTF-8 byte order mark first" "efbbbf" "$(head -c 3 "$o" | od -An -tx1 | tr -d ' \n')"
ok "--bom: then the same CSV" sh -c "tail -c +4 '$o' | cmp -s - plain.csv"
runf "$PLANDASH" --export csv --bom -o bom.csv plan.yaml
is "--bom -o: in the file too" "efbbbf" "$(head -c 3 bom.csv | od -An -tx1 | tr -d ' \n')"
runf "$PLANDASH" --export json --bom plan.yaml
is "--bom with json: refused" 2 "$rc"
contains "--bom with json: says with what" "--bom goes with --export csv" "$(cat "$e")"
runf "$PLANDASH" --report -o x.txt plan.yaml
is "-o without --export: refused" 2 "$rc"
done_testing
