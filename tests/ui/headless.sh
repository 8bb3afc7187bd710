# Dashboard tests without a terminal, tig-style: the keys come from a script
# (PLANDASH_TEST_SCRIPT), curses draws into a virtual terminal, and `:dump`
# lines write the screen as text into PLANDASH_TEST_DUMP, which is compared
# with tests/ui/expected/NAME.txt.  After a deliberate change of the screen,
# regenerate with `UPDATE=1 sh tests/ui/headless.sh` and review the diff of
# tests/ui/expected by eye before committing it.
. "$TOP/tests/lib.sh"
exp=$TOP/tests/ui/expected
fix=$TOP/tests/fixtures/ui

# fresh [PLAN]: a new folder $w holding plan.yaml (default: the shipped plan)
fresh() {
    w=$(tmpdir)
    cp "${1:-$TOP/plan.yaml}" "$w/plan.yaml"
}

# Done times and the login change from run to run: keep their place.
normalise() {
    sed -e 's/[0-9]\{4\}-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]/YYYY-MM-DD hh:mm/g' \
        -e 's/\(YYYY-MM-DD hh:mm\) [^│]*│/\1 USER│/'
}

# play [SIZE]: run the dashboard in $w on plan.yaml with the script on stdin;
# sets $rc, $dump (all screens, normalised), $err.  Extra environment can
# be given before the call as usual (FOO=1 play ...).
play() {
    cat >"$w/keys"
    : >"$w/dump"
    (cd "$w" && PLANDASH_TEST_SCRIPT="$w/keys" PLANDASH_TEST_DUMP="$w/dump" \
        PLANDASH_TEST_SIZE="${1:-80x24}" "$PLANDASH" plan.yaml >"$w/out" 2>"$w/err")
    rc=$?
    normalise <"$w/dump" >"$w/dump.n"
    dump=$(cat "$w/dump.n")
    err=$(cat "$w/err")
    # one file per screen, for screen and line below
    rm -f "$w"/screen.*
    awk -v d="$w" '/^-----$/ { n++; next } { print > (d "/screen." (n + 1)) }' "$w/dump.n"
}

# expect NAME: $dump is tests/ui/expected/NAME.txt
expect() {
    if [ -n "${UPDATE:-}" ]; then printf '%s\n' "$dump" >"$exp/$1.txt"; fi
    is "$1: the screen as expected" "$(cat "$exp/$1.txt" 2>/dev/null)" "$dump"
}

# The titles of the details box in each dump ("事项 1.1.2" ...), one line.
titles() {
    printf '%s\n' "$dump" | sed -n 's/.*┌─ \([^ ]* [^ ]*\) ─.*/\1/p' | tr '\n' ' ' | sed 's/ $//'
}
# Screen number N (1-based) of $dump.
screen() {
    cat "$w/screen.$1" 2>/dev/null
}
# Line L (0-based) of screen N.
line() {
    screen "$1" | sed -n "$(($2 + 1))p"
}
# The status line of screen N at the default 24 rows.
status_line() {
    line "$1" 23
}
# The entry of ID in the status file, or nothing.
entry() {
    grep "\"$1\"" "$w/plan.status.json" 2>/dev/null
}
done_count() {
    grep -c '"done": *true' "$w/plan.status.json" 2>/dev/null
}

# --- start-up and layout ---

fresh
play <<'EOF'
:dump
:dumpattr
:dumpcolor
EOF
is "start: exit status 0" 0 "$rc"
is "start: nothing on stderr" "" "$err"
expect start-80x24
# 3 = reverse + bold: the first row, a goal, is selected
contains "start: the first row is selected (reverse video)" "33333333333333" "$(line 2 1)"
lacks "start: only the first row is reverse" "1111" "$(line 2 2)"
ok "start: no status file is written by looking" test ! -e "$w/plan.status.json"

fresh
play 120x40 <<'EOF'
:dump
EOF
expect start-120x40

fresh
play 100x30 <<'EOF'
jjj
:dump
EOF
expect readme-100x30

fresh
play 40x10 <<'EOF'
:dump
jjj
:dump
EOF
expect small-40x10

fresh
play 20x5 <<'EOF'
:dump
j<Space>
<Resize 80x24>
:dump
<Resize 39x24>
:dump
<Resize 40x9>
:dump
<Resize 40x10>
:dump
EOF
is "tiny: exit status 0" 0 "$rc"
expect tiny-and-resize
contains "resize: drawn again when big enough" "┌─ 目标 1 " "$(screen 2)"
ok "too small: keys are not acted on unseen" test ! -e "$w/plan.status.json"
fresh
play 20x5 <<'EOF'
q
<Resize 80x24>
:dump
EOF
is "too small: q still quits" "" "$dump"

# --- moving ---

fresh
play <<'EOF'
j
:dump
<Down>
:dump
k
:dump
<Up>
:dump
G
:dump
g
:dump
<End>
:dump
<Home>
:dump
<PgDn>
:dump
<PgDn>
:dump
<PgUp>
:dump
<C-f>
:dump
<C-b>
:dump
k
:dump
EOF
is "moving: j ↓ k ↑ G g End Home PgDn PgDn PgUp C-f C-b, k at the top" \
    "任务 1.1 事项 1.1.1 任务 1.1 目标 1 事项 4.3.1 目标 1 事项 4.3.1 目标 1 任务 2.3 事项 4.3.1 事项 2.2.2 事项 4.3.1 事项 2.2.2 事项 2.2.1" \
    "$(titles)"
expect page-down
# the second dump after PgDn: the tree scrolled by a screen
contains "PgDn scrolls the tree" "（三）加大政策宣传解读回应力度" "$(screen 10)"

# --- folding ---

fresh
play <<'EOF'
jj
h
:dump
h
:dump
h
:dump
h
:dump
l
:dump
l
:dump
l
:dump
l
:dump
<Left><Left>
:dump
<Right><Right>
:dump
k<Enter>
:dump
<Enter>
:dump
-
:dump
j<Enter>
:dump
+
:dump
-=j
:dump
EOF
is "folding: h to parent, h collapses, l expands, l to child, ←→, Enter, - + =" \
    "任务 1.1 任务 1.1 目标 1 目标 1 目标 1 任务 1.1 任务 1.1 事项 1.1.1 任务 1.1 事项 1.1.1 任务 1.1 任务 1.1 目标 1 目标 2 目标 2 任务 2.1" \
    "$(titles)"
expect folding
contains "h on an item: to its task" "▾ （一）推进重要决策公开" "$(screen 1)"
contains "h on an open task collapses it" "▸ （一）推进重要决策公开" "$(screen 2)"
lacks "h on an open task: its items hidden" "进一步推进重大决策预公开" "$(screen 2)"
contains "h on a goal collapses it" "▸ 一、推进政务公开透明运行" "$(screen 4)"
lacks "h on a goal: its tasks hidden" "▾ （二）推进重要部署执行公开" "$(screen 4)"
contains "l on a closed goal expands it" "▾ 一、推进政务公开透明运行" "$(screen 5)"
contains "l on a closed task expands it" "▾ （一）推进重要决策公开" "$(screen 7)"
contains "Enter collapses" "▸ （一）推进重要决策公开" "$(screen 11)"
contains "Enter expands" "▾ （一）推进重要决策公开" "$(screen 12)"
contains "collapse all shows goals only" "▸ 四、完善政务公开制度规范" "$(screen 13)"
lacks "collapse all hides tasks" "▾ （一）推进重要决策公开" "$(screen 13)"
contains "Enter expands a goal" "▾ 二、提升政策发布解读回应质效" "$(screen 14)"
contains "+ expands all" "▾ （一）推进重要决策公开" "$(screen 15)"

# --- marking, undo, status file ---

fresh
play <<'EOF'
jj
<Space>
:dump
x
:dump
x
j
<Space>
:dump
u
:dump
u
:dump
u
:dump
u
:dump
EOF
is "mark: exit status 0" 0 "$rc"
contains "Space marks the item" "[x] 1. 进一步推进重大决策预公开" "$(screen 1)"
contains "the status line says so" "1.1.1 已标为完成" "$(status_line 1)"
contains "the counts follow" "完成 1/26 (3%)" "$(status_line 1)"
contains "the task's count follows" "（一）推进重要决策公开                 1/2" "$(screen 1)"
contains "the details show the done time" "[x] 已完成 YYYY-MM-DD hh:mm" "$(screen 1)"
contains "x unmarks" "[ ] 1. 进一步推进重大决策预公开" "$(screen 2)"
contains "x unmarks: status line" "1.1.1 已改为未完成" "$(status_line 2)"
contains "two marked" "完成 2/26" "$(status_line 3)"
contains "u undoes the last" "已撤销（还可撤销 3 次）" "$(status_line 4)"
contains "u undoes again" "完成 0/26" "$(status_line 5)"
contains "u undoes several levels" "完成 1/26" "$(status_line 6)"
contains "u with nothing left" "完成 0/26" "$(status_line 7)"
is "undo saved: 1.1.1 not done" "" "$(entry 1.1.1 | grep '"done": *true')"
is "undo saved: 1.1.2 not done" "" "$(entry 1.1.2 | grep '"done": *true')"
is "status file valid and nothing done" 0 "$(done_count)"

fresh
play <<'EOF'
jj
<Space>
j
x
EOF
contains "Space is saved at once: 1.1.1" '"done": true' "$(entry 1.1.1)"
contains "x is saved at once: 1.1.2" '"done": true' "$(entry 1.1.2)"
run "$PLANDASH" --check "$w/plan.yaml"
contains "--check sees the marks" "2/26 done" "$out"

# a goal or a task asks first
fresh
play <<'EOF'
<Space>
:dump
n
:dump
<Space>
y
:dump
j
<Space>
y
:dump
k
<Space>
y
:dump
u
:dump
EOF
expect confirm
contains "Space on a goal asks" "把「一、推进政务公开透明运行」的 9 项全部标为完成？(y/n)" "$(line 1 23)"
contains "n cancels" "已取消" "$(status_line 2)"
contains "y marks all 9 items" "完成 9/26 (34%)" "$(status_line 3)"
contains "a task whose items are all done: Space y unmarks them" "完成 7/26" "$(status_line 4)"
contains "a goal with some done: Space y marks all" "完成 9/26" "$(status_line 5)"
contains "undo of a whole goal" "完成 7/26" "$(status_line 6)"
is "the status file holds 7 done" 7 "$(done_count)"

# hide done items
fresh
play <<'EOF'
jj<Space>j<Space>
d
:dump
d
:dump
EOF
expect hide-done
lacks "d hides done items" "进一步推进重大决策预公开" "$(screen 1)"
lacks "d hides a task all done" "▾ （一）推进重要决策公开" "$(screen 1)"
contains "d says so in the status line" "[隐藏已完成]" "$(status_line 1)"
contains "d again shows them" "[x] 1. 进一步推进重大决策预公开" "$(screen 2)"

fresh
play <<'EOF'
d:1.2.2<Enter>
<Space>
:dump
<Space>
:dump
<Space>
:dump
EOF
is "hidden done: marking moves to the next item, else the previous, else on" \
    "事项 1.2.3 事项 1.2.1 任务 1.3" "$(titles)"

# --- jumping by number ---

fresh
play <<'EOF'
-
:2.3<Enter>
:dump
:1.4.2<Enter>
:dump
:9.9<Enter>
:dump
:3<Esc>
:dump
EOF
is "jump: 2.3, 1.4.2 (opening its goal and task), unknown, Esc" \
    "任务 2.3 事项 1.4.2 事项 1.4.2 事项 1.4.2" "$(titles)"
contains "jump: unknown number" "没有编号为 9.9 的目标、任务或事项" "$(status_line 3)"
contains "jump opens the parents" "[ ] 2. 进一步加大各类证明事项清理减并力度" "$(screen 2)"

# --- search by unit ---

fresh
play <<'EOF'
/sfj
:dump
<Enter>
:dump
n
:dump
n
:dump
N
:dump
<Esc>
:dump
EOF
expect search-sfj
contains "/sfj finds 区司法局 and its 4 items" "/sfj → 区司法局：4 项（牵头 4，责任 0，经组 0）" "$(line 1 22)"
contains "the query line" "/sfj" "$(line 1 23)"
lacks "/sfj hides other items" "进一步推进重大决策预公开" "$(screen 1)"
contains "the tree keeps goals and tasks of matches" "（三）推进行政执法信息公开             0/2" "$(screen 1)"
contains "Enter keeps the filter" "/sfj → 区司法局：4 项" "$(status_line 2)"
contains "n: next match" "匹配事项 2/4：1.3.2" "$(status_line 3)"
contains "n: next match again" "匹配事项 3/4：1.4.2" "$(status_line 4)"
contains "N: previous match" "匹配事项 2/4：1.3.2" "$(status_line 5)"
contains "Esc clears the filter" "进一步推进重大决策预公开" "$(screen 6)"
is "n/N move the selection" "事项 1.3.1 事项 1.3.1 事项 1.3.2 事项 1.4.2 事项 1.3.2 事项 1.3.2" "$(titles)"

fresh
play <<'EOF'
/sfj<Down>
:dump
<Down><Down><Up>
:dump
EOF
is "↑↓ move in the tree while typing a query" "事项 1.3.2 任务 1.4" "$(titles)"
is "↑↓ while typing: the query line stays" "/sfj" "$(line 2 23 | sed 's/  *Enter.*//')"

fresh
play <<'EOF'
/司法
:dump
<Esc>
/区审计局
:dump
<Esc>
/sifa
:dump
<Esc>
/SFJ
:dump
<Esc>
/qqq
:dump
<Enter>
:dump
<Esc>
n
:dump
EOF
contains "a Chinese query" "/司法 → 区司法局：4 项" "$(line 1 22)"
contains "a whole unit name" "/区审计局 → 区审计局：1 项（牵头 1，责任 0，经组 0）" "$(line 2 22)"
contains "toneless pinyin" "/sifa → 区司法局：4 项" "$(line 3 22)"
contains "case does not matter" "/SFJ → 区司法局：4 项" "$(line 4 22)"
contains "no match" "/qqq → 没有匹配的单位" "$(line 5 22)"
contains "no match: the tree says so" "（没有匹配的事项）" "$(screen 5)"
contains "no match kept with Enter" "/qqq → 没有匹配的单位" "$(status_line 6)"
contains "n without a search" "没有进行中的搜索" "$(status_line 7)"

# a member of a group finds the group's items, marked as such
fresh
play <<'EOF'
/西夏墅
:dump
<Enter>
j
:dump
<Esc>
/chunjiang
:dump
EOF
expect search-group
contains "a member finds its group's items" "/西夏墅 → 西夏墅镇：22 项（牵头 0，责任 0，经组 22）" "$(line 1 22)"
contains "items found through a group are marked" "(组)" "$(screen 1)"
contains "the group in the details says through whom" "各镇（街道） ← 西夏墅镇" "$(screen 2)"
contains "春江镇: named and through its group" "/chunjiang → 春江镇：24 项（牵头 0，责任 2，经组 22）" "$(line 3 22)"

# editing the query: whole characters, wide characters, Backspace, C-u
fresh
play <<'EOF'
/区审计局
<Backspace><Backspace>
:dump
<Left><Left>x
:dump
<Backspace>司<Right>
:dump
<Home>司
:dump
<End><Backspace><Backspace>
:dump
<Del>
:dump
<C-a><Del>
:dump
<End><C-u>
:dump
司法<Left><C-e>局
:dump
<Enter>
:dump
/
:dump
EOF
expect search-edit
is "edit: Backspace deletes whole characters" "/区审" "$(line 1 23 | sed 's/  *Enter.*//')"
is "edit: Left moves by characters, insert in the middle" "/x区审" "$(line 2 23 | sed 's/  *Enter.*//')"
is "edit: Backspace in the middle, Right" "/司区审" "$(line 3 23 | sed 's/  *Enter.*//')"
is "edit: Home" "/司司区审" "$(line 4 23 | sed 's/  *Enter.*//')"
is "edit: End, Backspace" "/司司" "$(line 5 23 | sed 's/  *Enter.*//')"
is "edit: Del at the end does nothing" "/司司" "$(line 6 23 | sed 's/  *Enter.*//')"
is "edit: C-a, Del" "/司" "$(line 7 23 | sed 's/  *Enter.*//')"
is "edit: C-u clears" "/" "$(line 8 23 | sed 's/  *Enter.*//')"
lacks "edit: C-u clears the filter too" "→" "$(line 8 22)"
is "edit: C-e" "/司法局" "$(line 9 23 | sed 's/  *Enter.*//')"
contains "/ again edits the kept query" "/司法局" "$(line 11 23)"

# --- the unit list ---

# one unit row of screen N with its spaces squeezed
unit_row() {
    screen "$1" | sed 's/  */ /g' | grep "^ $2 "
}

fresh
play <<'EOF'
U
:dump
<Tab><Home>
:dump
<Home><Down><Down>
:dump
<Enter>
:dump
U
<Enter>
:dump
U
sfj
:dump
<Backspace><Backspace><Backspace>zzz
:dump
<C-u>西夏
<Enter>
:dump
U
<End>
:dump
<Home><PgDn>
:dump
<PgUp><C-n><C-n><C-p>
:dump
<Esc>
:dump
EOF
expect units
is "U lists every unit with its counts" " 区党政办 13 0 0/13 13" "$(unit_row 1 区党政办)"
is "U: a unit leading and responsible" " 各镇（街道） 1 21 0/22 22" "$(unit_row 1 各镇（街道）)"
# a member owes its group's items: counted as / finds them (issue 11)
is "U lists members of groups named nowhere, with the group's items" " 西夏墅镇 0 0 0/22 22" "$(unit_row 9 西夏墅镇)"
contains "Tab sorts by what is left" "单位（按剩余排序）" "$(screen 2)"
is "sorted by what is left: the most first (a member: its own and its group's)" " 春江镇 0 2 0/24 24" "$(line 2 3 | sed 's/  */ /g')"
contains "Enter filters the tree by the unit: as many items as U counts" "单位 奔牛镇：22 项（牵头 0，责任 0，经组 22）" "$(status_line 4)"
contains "U starts on the unit shown" "单位 奔牛镇：22 项" "$(status_line 5)"
is "typing filters the unit list (pinyin initials)" " 区司法局 4 0 0/4 4" "$(screen 6 | sed 's/  */ /g' | sed -n 4,5p)"
contains "a filter matching no unit" "（没有匹配的单位）" "$(screen 7)"
contains "Enter on a member: its group's items" "单位 西夏墅镇：22 项（牵头 0，责任 0，经组 22）" "$(status_line 8)"
contains "Esc leaves the unit list" "▾ 一、推进政务公开透明运行" "$(screen 12)"

# --- help ---

fresh
play <<'EOF'
?
:dump
<PgDn>
:dump
j
k
<PgUp>
q
:dump
<F1>
x
:dump
EOF
expect help
contains "? shows the keys" "上一行" "$(screen 1)"
contains "help: PgDn scrolls to the unit list keys" "单位列表（U）" "$(screen 2)"
contains "help: q goes back" "▾ 一、推进政务公开透明运行" "$(screen 3)"
contains "F1 and any key go back" "▾ 一、推进政务公开透明运行" "$(screen 4)"

# the help is made from the key table: every context is there, the y/n
# question's and the too-small screen's keys too
fresh
play <<'EOF'
?
<PgDn>
:dump
<PgDn>
:dump
<PgDn>
:dump
<PgDn>
:dump
<PgDn>
:dump
EOF
contains "help: the y/n keys are listed" "确认（y/n）" "$dump"
contains "help: y confirms" "y Y" "$dump"
contains "help: the too-small screen's keys are listed" "窗口太小时" "$dump"
contains "help: the note editor's keys are listed" "进展情况编辑（e）" "$dump"
contains "help: the history's keys are listed" "修改记录（H）" "$dump"
contains "help: the mouse comes last" "滚轮滚动" "$(screen 5)"

# the y/n prompt names its keys from the table; any other key cancels,
# a mouse event does not
fresh
play <<'EOF'
<Space>
<Click 10 5>
:dump
<Down>
:dump
EOF
contains "confirm: the question names y and n" "？(y/n)" "$(line 1 23)"
contains "confirm: a click leaves the question open" "(y/n)" "$(line 1 23)"
contains "confirm: another key cancels" "已取消" "$(status_line 2)"
is "confirm: the key that cancels does nothing else" "目标 1 目标 1" "$(titles)"

# --- colours and attributes ---

fresh
play <<'EOF'
jj<Space>j
:dumpattr
:dumpcolor
EOF
expect colour
contains "colour: pairs are used" "2222" "$(screen 2)"

fresh
NO_COLOR=1 play <<'EOF'
jj<Space>j
:dumpattr
:dumpcolor
EOF
expect no-color
is "NO_COLOR: no colour pair anywhere" "" "$(screen 2 | tr -d '.\n')"
contains "NO_COLOR: the selection is reverse" "1111111111" "$(line 1 4)"
contains "NO_COLOR: done items are dim" "4444444444" "$(line 1 3)"

fresh
PLANDASH_TEST_TERM=xterm-mono play <<'EOF'
jj<Space>j
:dumpattr
:dumpcolor
EOF
is "monochrome: no colour pair" "" "$(screen 2 | tr -d '.\n')"
contains "monochrome: the selection is reverse" "1111111111" "$(line 1 4)"

fresh
PLANDASH_TEST_TERM=linux play <<'EOF'
jj<Space>j
:dump
:dumpcolor
EOF
is "TERM=linux: exit status 0" 0 "$rc"
contains "TERM=linux: borders drawn, in ASCII" "+- 牵头单位 (1) " "$(screen 1)"
contains "TERM=linux: 8 colours used" "2222" "$(screen 2)"
fresh
PLANDASH_ASCII=0 PLANDASH_TEST_TERM=linux play <<'EOF'
jj<Space>j
:dump
EOF
contains "TERM=linux, PLANDASH_ASCII=0: box drawing" "├─ 牵头单位 (1) " "$(screen 1)"
fresh
(cd "$w" && "$PLANDASH" --note 1.1.1 "甲" >/dev/null)
PLANDASH_ASCII=1 play <<'EOF'
:dump
EOF
contains "ASCII: an item with a note is marked *" "[ ] 1. 进一步推进重大决策预公开，涉及... * |" "$(screen 1)"
lacks "ASCII: no ✎" "✎" "$(screen 1)"
# The note editor's and the history's titles: no non-ASCII chrome (only
# the plan's own Chinese text: CJK, U+3000 and above, and its quotes “”).
PLANDASH_ASCII=1 play <<'EOF'
jj
e
:dump
<Esc>
H
:dump
EOF
contains "ASCII: the note editor's title" "进展情况 - 事项 1.1.1" "$(screen 1)"
contains "ASCII: the history's title" "修改记录 - 事项 1.1.1" "$(screen 2)"
is "ASCII: no non-ASCII chrome in the editor or the history" "" \
    "$(cat "$w/screen.1" "$w/screen.2" | LC_ALL=C.UTF-8 grep -P '[\x{80}-\x{2017}\x{2020}-\x{2FFF}]')"

# --- odd text: wide, ambiguous, emoji, controls, wrapping ---

fresh "$fix/odd.yaml"
play <<'EOF'
:dump
jj
:dump
j
:dump
jj
:dump
EOF
expect odd-text
lacks "no escape character reaches the screen" "$(printf '\033')" "$dump"
contains "ESC shown as a visible substitute" "序列␛[2J" "$(screen 2)"
contains "TAB and BS shown as substitutes" "制表符␉以及退格␈" "$(screen 2)"
# the long text wraps at 30 columns, never a line starting with ，。
lacks "no wrapped line starts with closing punctuation" "│，" "$(screen 3)"
lacks "no wrapped line starts with a full stop" "│。" "$(screen 3)"
contains "the 等 of a unit cell" "等" "$(screen 4)"

fresh "$fix/odd.yaml"
play 40x10 <<'EOF'
jjj
:dump
jj
:dump
EOF
expect odd-text-40x10

# --- mouse ---

fresh
play <<'EOF'
<Click 10 3>
:dump
<Click 3 2>
:dump
<Click 3 2>
<WheelDown 5 5>
:dump
<WheelUp 5 5>
:dump
<Click 60 5>
:dump
EOF
is "mouse: click selects, click on ▾ folds, wheel scrolls" \
    "事项 1.1.1 任务 1.1 事项 1.1.2 事项 1.1.2 事项 1.1.2" "$(titles)"
lacks "mouse: click on the marker folds" "进一步推进重大决策预公开" "$(screen 2)"

# --- signals, Ctrl-C, end of script ---

fresh
play <<'EOF'
<C-c>
EOF
is "Ctrl-C as a key quits with 0" 0 "$rc"
fresh
play <<'EOF'
<Signal INT>
EOF
is "SIGINT quits with 0" 0 "$rc"
fresh
play <<'EOF'
<Signal TERM>
EOF
is "SIGTERM quits with 143" 143 "$rc"
fresh
play <<'EOF'
<Signal HUP>
EOF
is "SIGHUP quits with 129" 129 "$rc"
fresh
play <<'EOF'
jj<Space>
q
j<Space>
EOF
is "q quits" 0 "$rc"
is "q quits: the key after it never ran" 1 "$(done_count)"

# --- always saved, always fresh ---

# another process marks: a second without input shows it
fresh
play <<EOF
:sh "$PLANDASH" --mark 1.1.2 plan.yaml >/dev/null
:dump
<Tick>
:dump
EOF
contains "before the refresh" "完成 0/26" "$(status_line 1)"
contains "a mark from outside appears after a tick" "[x] 2. 建立健全利益相关方" "$(screen 2)"
contains "a mark from outside: counts" "完成 1/26" "$(status_line 2)"

# our change applies only itself to what is on disk
fresh
play <<EOF
jj
:sh "$PLANDASH" --mark 4.3.1 plan.yaml >/dev/null
<Space>
:dump
EOF
contains "a change re-reads the file first" "完成 2/26" "$(status_line 1)"
contains "both marks are saved" '"done": true' "$(entry 4.3.1)"
contains "both marks are saved (ours)" '"done": true' "$(entry 1.1.1)"

# a broken status file: an error in the status line, never overwritten
fresh
play <<'EOF'
jj
:sh printf '{"version": 1, "items": {' > plan.status.json
<Space>
:dump
<Tick>
q
EOF
is "broken status: not fatal" 0 "$rc"
contains "broken status: the error is shown" "error" "$(status_line 1)"
is "broken status: the file is left alone" '{"version": 1, "items": {' "$(cat "$w/plan.status.json")"

# several errors at once: the status line shows the first, as --check
# lists it first (here: no "version", then no "items")
fresh
play <<'EOF'
jj
:sh printf '{}' > plan.status.json
<Space>
:dump
EOF
first=$(cd "$w" && "$PLANDASH" --check plan.yaml 2>&1 | grep -m 1 'error:' | cut -c 1-40)
ok "several errors: --check lists an error" test -n "$first"
contains "several errors: the dashboard shows the first --check lists" "$first" "$(status_line 1)"
lacks "several errors: not the last" 'no "items"' "$(status_line 1)"

# the plan file changes: it is loaded again
fresh
sed 's/^title: .*/title: 新的标题/' "$TOP/plan.yaml" >"$w/new.yaml"
play <<'EOF'
jj
:sh mv new.yaml plan.yaml
<Tick>
:dump
EOF
contains "a changed plan is reloaded" "新的标题" "$(line 1 0)"
contains "a reload says so" "已重新载入 plan.yaml" "$(status_line 1)"
contains "a reload keeps the selection" "事项 1.1.1" "$(titles)"

# --- more keys: Ctrl-L, Ctrl-D, Ctrl-H, DEL (127), overlays on resize, mouse
# in the overlays ---

fresh
{
    printf '%s\n' 'jj<C-l>' ':dump' '/abcd<Left><Left><C-d><C-h>' ':dump' '<End>'
    printf '\177\n'      # DEL, as many terminals send Backspace
    printf '%s\n' ':dump' '<Esc>?' '<Resize 40x10>' ':dump' '<Esc>U' '<Resize 50x12>' \
        ':dump' '<Click 5 6>' ':dump' '<WheelDown 5 6>' ':dump' '<Enter>' ':dump' \
        '?' '<WheelDown 5 5>' ':dump'
} >"$w/more.keys"
play <"$w/more.keys"
expect keys-more
contains "Ctrl-L redraws" "事项 1.1.1" "$(titles)"
is "edit: Ctrl-D deletes at the cursor, Ctrl-H before it" "/ad" "$(line 2 23 | sed 's/  *Enter.*//')"
is "edit: DEL (127) deletes before the cursor" "/a" "$(line 3 23 | sed 's/  *Enter.*//')"
contains "help at 40x10" "上一行" "$(screen 4)"
contains "unit list at 50x12" "单位（按名称排序）" "$(screen 5)"
# a click on the fourth unit (河海街道, in pinyin order), the wheel three further down
contains "a click and the wheel select in the unit list" "单位 孟河镇" "$(line 8 11)"
lacks "the wheel scrolls help" "上一行" "$(screen 9)"

# a plan that no longer loads: the error is shown, the old plan kept
fresh
play <<'EOF'
jj
:sh printf 'title: x\ngoals: []\n' > plan.yaml
<Tick>
:dump
EOF
contains "a broken plan on disk: the error shown" "error" "$(status_line 1)"
contains "a broken plan on disk: the old plan kept" "推进政务公开透明运行" "$(screen 1)"

# a plan that vanishes: the dashboard stays up, says so, and still saves
fresh
cp "$w/plan.yaml" "$w/plan.yaml.orig"
play <<'EOF'
:sh rm plan.yaml
<Tick>
:dump
jj
<Space>
:dump
:sh cp plan.yaml.orig plan.yaml
<Tick>
:dump
EOF
is "a vanished plan: the dashboard keeps running" 0 "$rc"
contains "a vanished plan: the status line says the file is gone" "the plan file is gone" "$(status_line 1)"
contains "a vanished plan: the tree is still shown" "推进政务公开透明运行" "$(screen 1)"
contains "a vanished plan: a mark is still saved" '"1.1.1": {"done": true' "$(cat "$w/plan.status.json")"
contains "a plan that comes back is loaded again" "已重新载入" "$(status_line 3)"

# PLANDASH_TEST_TIMING (for make bench): the first frame, then a line per key
fresh
: >"$w/timing"
PLANDASH_TEST_TIMING="$w/timing" play <<'EOF'
j
j
EOF
is "timing: the first line is the first frame" "first_frame" "$(head -n 1 "$w/timing" | cut -f1)"
is "timing: one line per key after it" 2 "$(tail -n +2 "$w/timing" | grep -c '^[0-9]*	[0-9]*	[0-9]*$')"

# --- a plan of 100,000 items stays fast ---

w=$(tmpdir)
awk 'BEGIN {
    print "title: 大计划"; print "goals:"
    for (g = 1; g <= 10; g++) {
        print "  - title: 目标" g; print "    tasks:"
        for (t = 1; t <= 100; t++) {
            print "      - title: 任务" t; print "        items:"
            for (i = 1; i <= 100; i++) {
                print "          - text: 事项" i
                print "            lead: [区司法局]"
                print "            responsible: 区党政办、各镇（街道）"
            }
        }
    }
}' >"$w/plan.yaml"
{
    echo '<End>'
    i=0; while [ $i -lt 200 ]; do echo '<PgUp>'; echo k; i=$((i + 1)); done
    echo '<Home>'
    i=0; while [ $i -lt 300 ]; do echo j; i=$((i + 1)); done
    echo '/sfj'; echo '<Enter>'
    i=0; while [ $i -lt 20 ]; do echo n; i=$((i + 1)); done
    echo '-'; echo '+'; echo 'd'; echo '<Space>'; echo 'u'; echo 'U'; echo '<Enter>'
    echo ':dump'
} >"$w/big.keys"
t0=$(date +%s)
play <"$w/big.keys"
t1=$(date +%s)
is "100,000 items: exit status 0" 0 "$rc"
contains "100,000 items: the filter by unit" "单位 各镇（街道）：100000 项" "$(status_line 1)"
ok "100,000 items: 1,000 keys in under 15 s (load included)" test $((t1 - t0)) -lt 15

# --- plan shapes (issue 11): 配合单位, （分别牵头）, two levels, numbering ---
shapes=$TOP/tests/fixtures/shapes

fresh
play <<'EOF'
:dump
EOF
lacks "a plan without support units has no 配合单位 pane" "配合单位" "$dump"

fresh "$shapes/support.yaml"
play <<'EOF'
:1.1.2<Enter>
:dump
:1.2.1<Enter>
:dump
/sfj
:dump
<Esc>
U
:dump
EOF
expect shapes-support
contains "support: the third pane, with its count" "├─ 配合单位 (2) " "$(screen 1)"
contains "support: the item's own and its goal's units, then 等" "│等" "$(screen 1)"
contains "support: the plan's responsible unit is the item's" "│各镇（街道）" "$(screen 1)"
contains "each: （分别牵头） after the lead units" "│（分别牵头）" "$(screen 2)"
contains "/ finds support units: counted as 配合" "3 项（牵头 0，责任 0，配合 3，经组 0）" "$(line 3 22)"
contains "U has a 配合 column" "牵头  责任  配合" "$(screen 4)"
is "U counts a group's items for its members" " 春江镇 0 0 0 0/3 3" "$(unit_row 4 春江镇)"
is "U counts support" " 市司法局 0 0 3 0/3 3" "$(unit_row 4 市司法局)"

fresh "$shapes/two_level.yaml"
play <<'EOF'
:dump
:1.3<Enter>
:dump
<Left>
:dump
:2.1.1<Enter>
:dump
EOF
expect shapes-two-level
lacks "two levels: no task row for a goal's own items" "（一）深化" "$(screen 1)"
contains "two levels: items right under the goal" "   [ ] 1. 做好财政预决算公开" "$(screen 1)"
is "two levels: :1.3 by number, Left to the goal, :2.1.1" \
    "目标 1 事项 jianyi 目标 1 事项 2.1.1" "$(titles)"
contains "two levels: the goal lists its items" "│[ ] 1. 做好财政预决算公开" "$(screen 1)"

fresh "$shapes/goal_numbering.yaml"
play <<'EOF'
:dump
:1.2.4<Enter>
:dump
:2.1.1<Enter>
:dump
:1.2.1<Enter>
:dump
EOF
expect shapes-goal-numbering
contains "numbering: goal: items run on through the goal" "[ ] 3. 事项丙" "$(screen 1)"
contains "numbering: goal: a new goal starts again" "[ ] 1. 事项戊" "$(screen 1)"
is "numbering: goal: :1.2.4 by the number shown, :2.1.1, :1.2.1 by id" \
    "目标 1 事项 1.2.2 事项 2.1.1 事项 1.2.1" "$(titles)"

fresh "$shapes/plan_numbering.yaml"
play <<'EOF'
:2.1.5<Enter>
:dump
EOF
contains "numbering: plan: one run through the plan" "[ ] 5. 事项戊" "$(screen 1)"
is "numbering: plan: :2.1.5 jumps to the fifth item" "事项 2.1.1" "$(titles)"

# --- e: the note editor; H: the history ---
fresh
play <<'EOF'
jj
e
:dump
进展良好<Enter>第二行abc<Left><Left><Backspace>
:dump
<C-s>
:dump
H
:dump
q
:dump
EOF
is "e: exit status 0" 0 "$rc"
contains "e opens the editor on the selected item" "进展情况 · 事项 1.1.1" "$(screen 1)"
is "e: typed CJK, a new line, moved and deleted by characters" "进展良好|第二行bc" \
    "$(line 2 2)|$(line 2 3)"
contains "e: the editor counts lines and bytes" "第 2/2 行  24/65536 字节  已修改" "$(screen 2)"
contains "Ctrl-S saves the note in the status entry" \
    '"1.1.1": {"done": false, "note": "进展良好\n第二行bc", "note_at": ' "$(cat "$w/plan.status.json")"
contains "Ctrl-S: and a history line" '"id":"1.1.1","note":"进展良好\n第二行bc"}' \
    "$(cat "$w/plan.history.jsonl")"
contains "after saving: the status line says so" "已保存事项 1.1.1 的进展情况" "$(status_line 3)"
contains "the tree marks an item with a note" "✎" "$(line 3 3)"
contains "the details show the note under the item text" "【进展情况】" "$(screen 3)"
contains "the details: the note's lines" "第二行bc" "$(screen 3)"
contains "H shows the item's history" "修改记录 · 事项 1.1.1（1 条，最新的在前）" "$(screen 4)"
contains "H: the note's text under its line" "  第二行bc" "$(screen 4)"
contains "H: q goes back to the tree" "▾ 一、推进政务公开透明运行" "$(screen 5)"

# another saves the note while e is open: Ctrl-S does not overwrite it,
# says who and when; a second Ctrl-S overwrites knowingly
fresh
play <<EOF
:1.2.1<Enter>
e
甲写的
:sh "$PLANDASH" --note 1.2.1 "乙写的重要进展" plan.yaml >/dev/null
<C-s>
:dump
:sh cp plan.status.json mid.json
<C-s>
:dump
EOF
contains "another's note meanwhile: Ctrl-S says who and when" "进展情况已被 $(id -un) 于 " "$(status_line 1)"
contains "and what to do" "修改：再按 Ctrl-S 覆盖，Esc 取消" "$(status_line 1)"
contains "the editor stays open with the text" "甲写的" "$(screen 1)"
contains "the other's note is kept" '"note": "乙写的重要进展"' "$(grep 1.2.1 "$w/mid.json")"
contains "a second Ctrl-S overwrites knowingly" '"note": "甲写的"' "$(grep 1.2.1 "$w/plan.status.json")"
contains "and says it saved" "已保存事项 1.2.1 的进展情况" "$(status_line 2)"
contains "both are in the history" '"note":"乙写的重要进展"' "$(cat "$w/plan.history.jsonl")"

# a note of one 64,000-byte line (and one of 5,000 CJK characters): the end
# of the line is in view and edits land there (the cost per key, 0.7 s per
# Backspace before the edit line scrolled back from the cursor, is measured
# with PLANDASH_TEST_TIMING by hand and in the benchmark, never asserted here)
fresh
for kind in ascii cjk; do
    if [ $kind = ascii ]; then
        awk 'BEGIN { while (n++ < 64000) printf "a"; printf "Z\n" }' >"$w/long.txt"
    else
        awk 'BEGIN { while (n++ < 5000) printf "中"; printf "Z\n" }' >"$w/long.txt"
    fi
    (cd "$w" && rm -f plan.status.json plan.history.jsonl &&
        "$PLANDASH" --note 1.1.1 - plan.yaml <long.txt >/dev/null)
    {
        echo ':1.1.1<Enter>'
        echo e
        echo ':dump'
        i=0
        while [ $i -lt 10 ]; do echo '<Backspace>'; echo x; i=$((i + 1)); done
        echo ':dump'
    } >"$w/long.keys"
    play 100x30 <"$w/long.keys"
    contains "$kind long line in e: the cursor's end is in view" "Z" "$(line 1 2)"
    contains "$kind long line in e: typed at its end" "x" "$(line 2 2)"
done

# Esc without a change closes at once; with one it asks, n goes on, y drops
fresh
play <<'EOF'
jj
e
<Esc>
:dump
e
甲
<Esc>
:dump
n
:dump
乙<Esc>
y
:dump
EOF
contains "Esc without a change: closed, nothing asked" "进展情况未修改" "$(status_line 1)"
contains "Esc after a change: asks" "进展情况已修改，放弃修改？(y/n)" "$(screen 2)"
contains "n: back in the editor, the text kept" "甲" "$(line 3 2)"
contains "n: says so" "继续编辑" "$(screen 3)"
contains "y: the change is dropped" "已放弃对事项 1.1.1 进展情况的修改" "$(status_line 4)"
ok "nothing was saved" test ! -e "$w/plan.status.json"
ok "and no history written" test ! -e "$w/plan.history.jsonl"

# display columns: ↑ keeps the column across CJK characters; F2 saves;
# Home/End by line; Del by character
fresh
play <<'EOF'
jj
e
甲乙丙<Enter>abcde<Up>X<Down><Home>Y<End><Left><Del>
<F2>
:dump
EOF
contains "↑ from column 5 lands after 乙 (column 4); Home/End/Del by line and character; F2 saves" \
    '"note": "甲乙X丙\nYabcd"' "$(cat "$w/plan.status.json")"

# u undoes a saved note like a mark; the history records the undo
fresh
play <<'EOF'
jj
e
甲<C-s>
u
:dump
EOF
lacks "u after a note: the note is gone" '"note"' "$(cat "$w/plan.status.json")"
contains "u after a note: the history says so" '"id":"1.1.1","note":"","undo":true}' \
    "$(tail -n 1 "$w/plan.history.jsonl")"
lacks "u after a note: no mark in the tree" "✎" "$(line 1 3)"

# e on a task: a message, no editor; H on an item without changes
fresh
play <<'EOF'
j
e
:dump
j
H
:dump
EOF
contains "e on a task: notes are for items" "进展情况记在事项上" "$(status_line 1)"
contains "H without changes: says so" "（没有修改记录）" "$(screen 2)"

# a note written elsewhere, with controls: shown harmless, H newest first
fresh
(cd "$w" && "$PLANDASH" --note 1.1.1 "$(printf 'a\033[2Jb')" >/dev/null &&
    "$PLANDASH" --mark 1.1.1 >/dev/null)
play <<'EOF'
jj
:dump
H
:dump
e
:dump
EOF
contains "the details show controls as pictures" "a␛[2Jb" "$(screen 1)"
contains "H: newest first (the mark)" "标为完成" "$(line 2 2)"
contains "H: then the note" "进展情况：" "$(line 2 3)"
contains "e: the editor shows controls as pictures" "a␛[2Jb" "$(screen 3)"

# the same in the ASCII chrome: the substitutes are ASCII too, one column
# each (^ for a control, | for a line break in a one-line field, ? for a
# bad byte), so the borders stay where they are
fresh
(cd "$w" && "$PLANDASH" --note 1.1.1 "$(printf 'a\033[2J\007b\nc')" >/dev/null)
PLANDASH_ASCII=1 play <<'EOF'
jj
:dump
H
:dump
e
:dump
EOF
for k in 1 2 3; do
    lacks "ASCII screen $k: no Control Pictures" "␛" "$(screen $k)"
    ok "ASCII screen $k: no ␇ ␤" sh -c '! grep -q -e ␇ -e ␤ "$1"' sh "$w/screen.$k"
done
contains "ASCII: the details show ^ for ESC and BEL" "a^[2J^b" "$(screen 1)"
contains "ASCII: H shows ^ too" "  a^[2J^b" "$(screen 2)"
contains "ASCII: e shows ^ too" "a^[2J^b" "$(screen 3)"

done_testing
