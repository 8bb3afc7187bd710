# The dashboard and 完成时限 (headless, as tests/ui/headless.sh): the due
# column with its colours and, without colour, its characters; the
# overdue counts of goals and tasks; `o` (overdue and due soon only, Esc
# clears); the overview on Tab (bars, units sorted by items left then
# overdue, Enter filters the tree to a unit) at 80x24, larger, NO_COLOR.
. "$TOP/tests/lib.sh"
fx=$TOP/tests/fixtures/due
export PLANDASH_TODAY=2019-10-10
unset NO_COLOR

fresh() {
    w=$(tmpdir)
    cp "${1:-$fx/due.yaml}" "$w/plan.yaml"
    [ -n "${1:-}" ] || cp "$fx/due.status.json" "$w/plan.status.json"
}
play() {
    cat >"$w/keys"
    : >"$w/dump"
    (cd "$w" && PLANDASH_TEST_SCRIPT="$w/keys" PLANDASH_TEST_DUMP="$w/dump" \
        PLANDASH_TEST_SIZE="${1:-80x24}" "$PLANDASH" plan.yaml >"$w/out" 2>"$w/err")
    rc=$?
    rm -f "$w"/screen.*
    awk -v d="$w" '/^-----$/ { n++; next } { print > (d "/screen." (n + 1)) }' "$w/dump"
}
screen() { cat "$w/screen.$1" 2>/dev/null; }
line() { screen "$1" | sed -n "$(($2 + 1))p"; }
# the row of screen N holding TEXT
row_of() { screen "$1" | grep -n -m1 -F "$2" | cut -d: -f1; }

# --- the tree's due column, without colour ---
fresh
NO_COLOR=1 play <<'EOF2'
:dump
EOF2
is "dashboard: exit 0" 0 "$rc"
contains "an overdue item: its due shortened and !" "[ ] 1. 公开年度预算                  09-30!" "$(screen 1)"
contains "a month end of the plan's year" "[ ] 2. 公开决算                      06-30!" "$(screen 1)"
contains "due soon: ~" "[ ] 3. 意见征集                      10-15~" "$(screen 1)"
contains "a later date: no mark" "[ ] 1. 网站改版                      12-31 " "$(screen 1)"
contains "ongoing: 持续" "[ ] 1. 解读重要政策                   持续 " "$(screen 1)"
contains "a goal counts its overdue items" "▾ 一、公开重点领域信息              1/4      2!" "$(screen 1)"
contains "so does a task" "▾ （一）财政信息公开              0/2      2!" "$(screen 1)"
contains "the status line counts them" "逾期 2! 临期 1~  完成 1/8 (12%)" "$(line 1 23)"

# --- past midnight: the next tick moves to the new day (a test file
# stands for the clock) and the due states follow ---
fresh
echo 2019-10-10 >"$w/today"
NO_COLOR=1 PLANDASH_TEST_TODAY_FILE="$w/today" play <<EOF2
<Tick>
:dump
:sh echo 2019-10-16 >'$w/today'
:dump
<Tick>
:dump
EOF2
contains "the same day: as loaded" "逾期 2! 临期 1~" "$(line 1 23)"
contains "the new day, before a tick: still as loaded" "逾期 2! 临期 1~" "$(line 2 23)"
contains "the new day, after a tick: 10-15 is overdue now" "逾期 3!" "$(line 3 23)"
contains "the new day, after a tick: the item shows it" "[ ] 3. 意见征集                      10-15!" "$(screen 3)"

# --- a narrow tree: the due column on every row or on none ---
fresh
NO_COLOR=1 play 40x10 <<'EOF2'
:dump
<Resize 64x12>
:dump
EOF2
lacks "40 columns: no goal's count without its items' dues" "2!" "$(screen 1 | sed -n 2,9p)"
contains "64 columns: the column again" "[ ] 1. 公开年度预算         09-30!" "$(screen 2)"

# --- the details show an item's effective due and its state ---
fresh
NO_COLOR=1 play <<'EOF2'
<Down><Down>
:dump
<Down><Down><Down>
:dump
EOF2
contains "details: the due words and 逾期" "│完成时限 2019年9月底前 逾期   │" "$(screen 1)"
contains "details: an inherited ongoing due" "│完成时限 持续推进             │" "$(screen 2)"

# --- with colour: red, amber, green; no characters ---
fresh
play <<'EOF2'
:dump
:dumpcolor
EOF2
contains "with colour: no ! beside the due" "[ ] 1. 公开年度预算                   09-30│" "$(screen 1)"
# colour pairs: the due column is columns 42..46 of each row
pair() { line 2 "$(($(row_of 1 "$1") - 1))" | cut -c43-47; }
od=$(pair 公开年度预算) soon=$(pair 意见征集) open=$(pair 网站改版)
ok "overdue, due soon and open have three colours" \
    sh -c "[ '$od' != '$soon' ] && [ '$soon' != '$open' ] && [ '$od' != '$open' ] && [ '$od' != '.....' ]"
lacks "with colour: the status line has no marks" "逾期 2!" "$(line 1 23)"

# --- o: only overdue and due soon; Esc clears ---
fresh
NO_COLOR=1 play <<'EOF2'
o
:dump
<Esc>
:dump
EOF2
s=$(screen 1)
contains "o: the overdue items" "公开年度预算" "$s"
contains "o: and the one due soon" "意见征集" "$s"
lacks "o: not an open one" "网站改版" "$s"
lacks "o: not a done one" "回应关切" "$s"
lacks "o: not an ongoing one" "解读重要政策" "$s"
contains "o: the status line counts them" "o 逾期和临期：逾期 2 项，临期 1 项（Esc 清除）" "$(line 1 23)"
contains "Esc: every item again" "网站改版" "$(screen 2)"

# --- o, then marking an overdue item done: it stays, counted no more ---
fresh
NO_COLOR=1 play <<'EOF2'
o
<Space>
j
:dump
EOF2
contains "o then Space: the item stays, done" "[x] 1. 公开年度预算" "$(screen 1)"
contains "o then Space: one overdue left" "逾期 1 项，临期 1 项" "$(line 1 23)"
lacks "Esc: the filter gone" "逾期和临期：" "$(line 2 23)"

# --- o on a plan with nothing late ---
fresh "$TOP/plan.yaml"
play <<'EOF2'
:dump
o
:dump
EOF2
lacks "the shipped plan: no due column" "持续" "$(screen 1)"
contains "o with nothing late says so" "没有逾期或临期的事项" "$(line 2 23)"

# --- Tab: the overview at 80x24 without colour ---
fresh
NO_COLOR=1 play <<'EOF2'
<Tab>
:dump
<Down>
<Enter>
:dump
<Tab>
<Tab>
:dump
EOF2
s=$(screen 1)
contains "overview: the totals, as of" " 合计  截至 2019-10-10    [███▎                      ]       1/8  12% 逾期 2!" "$s"
contains "overview: a goal's bar in eighths" " 一、公开重点领域信息     [██████▌                   ]       1/4  25% 逾期 2!" "$s"
contains "overview: an empty bar still reads" " 二、平台建设             [                          ]       0/4   0%" "$s"
# units: most items left first, then most overdue
is "overview: units sorted by items left, then overdue" \
    "区司法局 区财政局 区政府办 区数据局" \
    "$(screen 1 | sed -n '9,12p' | awk '{print $1}' | tr '\n' ' ' | sed 's/ $//')"
contains "overview: a unit's overdue items" " 区财政局                 [                          ]       0/2   0% 逾期 2!" "$s"
contains "overview: its hints" "Enter 按此单位筛选  Tab Esc 返回" "$(line 1 23)"
contains "overview: the units' heading names the roles counted" "单位（4，按剩余事项、逾期排序；含牵头、责任、经组）" "$s"
widest() {
    /usr/bin/python3 -c 'import sys, unicodedata as u
print(max(sum(2 if u.east_asian_width(c) in "WF" else 1 for c in l.rstrip("\n")) for l in sys.stdin))'
}
ok "overview: fits 80 columns" [ "$(screen 1 | widest)" -le 80 ]
contains "Enter on a unit filters the tree to it" "单位 区财政局：2 项" "$(line 2 23)"
contains "and the tree shows its items" "公开决算" "$(screen 2)"
lacks "and not the others" "网站改版" "$(screen 2)"
contains "Tab twice: back in the tree" "▾ 一、公开重点领域信息" "$(screen 3)"

# --- the bars in the ASCII chrome, and where Ambiguous characters are wide ---
fresh
NO_COLOR=1 PLANDASH_ASCII=1 play <<'EOF2'
<Tab>
:dump
EOF2
contains "ASCII: # for full cells, = for half or more" " 一、公开重点领域信息     [######=                   ]       1/4  25% 逾期 2!" "$(screen 1)"
fresh
NO_COLOR=1 PLANDASH_AMBIGUOUS=wide play <<'EOF2'
<Tab>
:dump
EOF2
# 13 cells of two columns: 3 full, 2/8 of one, 9 empty (18 spaces): 26 columns
contains "wide Ambiguous: two columns a cell, the bar as long" " 一、公开重点领域信息     [███▎                  ]       1/4  25% 逾期 2!" "$(screen 1)"

# --- under a unit filter, goals and tasks count overdue items of the unit ---
fresh
NO_COLOR=1 play <<'EOF2'
<Tab>
<Enter>
:dump
EOF2
contains "filtered to 区司法局: 一、 counts its 1 item, none overdue" "▾ 一、公开重点领域信息              0/1        ┌" "$(screen 1)"
contains "and so does its task" "▾ （二）政策解读                  0/1        │" "$(screen 1)"

# --- a plan with support units: the heading says 配合 too ---
fresh "$TOP/tests/fixtures/shapes/support.yaml"
NO_COLOR=1 play <<'EOF2'
<Tab>
:dump
EOF2
contains "overview: support units are counted and named in the heading" "；含牵头、责任、配合、经组）" "$(screen 1)"

# --- a larger terminal: longer bars ---
fresh
NO_COLOR=1 play 120x30 <<'EOF2'
<Tab>
:dump
EOF2
contains "120 columns: longer bars" "[█████████████▌                                        ]       1/4  25%" "$(screen 1)"

# --- the overview with colour: bars coloured, no ! ---
fresh
play <<'EOF2'
<Tab>
:dump
EOF2
contains "with colour: overdue without !" "1/4  25% 逾期 2" "$(screen 1)"
lacks "with colour: no ! in the overview" "逾期 2!" "$(screen 1)"

# --- the group counts: a member owes its group's items ---
fresh
cat >"$w/plan.yaml" <<'EOY'
title: 组
date: 2019-01-01
groups:
  各镇: [甲镇, 乙镇]
goals:
  - title: 目标
    tasks:
      - title: 任务
        items:
          - text: 一
            lead: 区甲局
            responsible: 各镇
            due: 3月底前
          - text: 二
            lead: 甲镇
EOY
NO_COLOR=1 play <<'EOF2'
<Tab>
:dump
EOF2
contains "a member counts its own and its group's items" " 甲镇                     [                          ]       0/2   0% 逾期 1!" "$(screen 1)"
contains "the other member its group's" " 乙镇                     [                          ]       0/1   0% 逾期 1!" "$(screen 1)"
done_testing
