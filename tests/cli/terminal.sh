# The Ambiguous-width probe in the test terminal (tests/tools/vt.py, on
# python3-pyte): a terminal that draws Ambiguous characters wide, one that
# draws them narrow, one that never answers ESC [6n, one that answers late;
# PLANDASH_AMBIGUOUS; typeahead kept; the probe erased.
. "$TOP/tests/lib.sh"
: "${BUILD:=$TOP/build}"
probe=$BUILD/tools/probe_main
vt=$TOP/tests/tools/vt.py

# The Python that has pyte (Debian's, when another python3 comes first).
py=""
for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import pyte' 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    if [ -n "${CI:-}" ]; then
        fail "python3-pyte is installed (make deps-test)"
    else
        echo "ok 1 - terminal tests # SKIP python3-pyte is not installed (make deps-test)"
        _n=1
    fi
    done_testing
    exit 0
fi

# vt ARGS... -- CMD: run in the test terminal; $out is the screen, $rc the status.
vt() { run "$py" "$vt" "$@"; }
# field NAME: NAME's value in the probe's result line.
field() { printf '%s\n' "$out" | sed -n "s/.*[ ^]*\<$1=\([^ ]*\).*/\1/p" | head -1; }

unset PLANDASH_AMBIGUOUS PLANDASH_ASCII
vt --ambiguous wide -- "$probe"
is "wide terminal: exit status" 0 "$rc"
is "wide terminal: detected wide" "wide detected" "$(field mode) $(field reason)"
contains "wide terminal: the help label says so" "Ambiguous width: wide (detected)" "$out"
is "wide terminal: the probe's row is erased" "" "$(printf '%s\n' "$out" | sed -n 1p)"

vt --ambiguous narrow -- "$probe"
is "narrow terminal: detected narrow" "narrow detected" "$(field mode) $(field reason)"
is "narrow terminal: the probe's row is erased" "" "$(printf '%s\n' "$out" | sed -n 1p)"
ms=$(field ms)
ok "narrow terminal: the answer comes at once ($ms ms)" test "${ms:-999}" -lt 90

vt --no-reply --count-queries -- "$probe"
is "no reply: narrow by default" "narrow default" "$(field mode) $(field reason)"
contains "no reply: the help label says so" "narrow (default)" "$out"
contains "no reply: the terminal was asked once" "queries=1" "$out"
ms=$(field ms)
ok "no reply: waits the 100 ms timeout, not longer ($ms ms)" \
    test "${ms:-0}" -ge 95 -a "${ms:-999}" -le 180
is "no reply: the probe's row is erased" "" "$(printf '%s\n' "$out" | sed -n 1p)"

vt --ambiguous wide --reply-delay 400 -- "$probe"
is "late reply (400 ms): narrow by default" "narrow default" "$(field mode) $(field reason)"
ms=$(field ms)
ok "late reply: does not wait for it ($ms ms)" test "${ms:-999}" -le 180

# Keys typed while the probe waits are handed back, not lost.
vt --ambiguous wide --typeahead 'jk\e[B' -- "$probe"
is "typeahead: still detected wide" "wide detected" "$(field mode) $(field reason)"
is "typeahead: the keys are kept, the reply is not" "6a6b1b5b42" "$(field stray)"
vt --no-reply --typeahead 'q' -- "$probe"
is "typeahead without a reply: kept" "71" "$(field stray)"

# PLANDASH_AMBIGUOUS overrides, and then nothing is asked.
PLANDASH_AMBIGUOUS=wide vt --ambiguous narrow --count-queries -- env PLANDASH_AMBIGUOUS=wide "$probe"
is "PLANDASH_AMBIGUOUS=wide in a narrow terminal: wide, set" "wide set" "$(field mode) $(field reason)"
contains "PLANDASH_AMBIGUOUS=wide: not asked" "queries=0" "$out"
contains "PLANDASH_AMBIGUOUS=wide: the help label says so" "wide (set)" "$out"
vt --ambiguous wide -- env PLANDASH_AMBIGUOUS=narrow "$probe"
is "PLANDASH_AMBIGUOUS=narrow in a wide terminal: narrow, set" "narrow set" "$(field mode) $(field reason)"
vt --ambiguous wide -- env PLANDASH_AMBIGUOUS=big "$probe"
is "PLANDASH_AMBIGUOUS=big: ignored, detected" "wide detected" "$(field mode) $(field reason)"
contains "PLANDASH_AMBIGUOUS=big: reported as a bad setting" "bad-setting" "$out"

# The probe leaves the cursor where it was: text printed before it stays.
vt --ambiguous wide -- sh -c 'printf "\n\nabove\n"; "$0"' "$probe"
is "the cursor is restored after the probe" "above" "$(printf '%s\n' "$out" | sed -n 3p)"
is "and the probe's row is erased" "" "$(printf '%s\n' "$out" | sed -n 4p)"
is "and the result follows on the next row" "wide detected" "$(field mode) $(field reason)"

# Not a terminal: no probe, no wait.
run "$probe" </dev/null
is "not a terminal: narrow by default at once" "narrow default" "$(field mode) $(field reason)"

# The test terminal itself: wide mode draws “ in two cells, narrow in one.
vt --ambiguous wide --dump cells -- printf '“x\n'
is "vt.py wide: “ takes two cells" "0: 0:“ 2:x" "$(printf '%s\n' "$out" | sed -n 1p)"
vt --ambiguous narrow --dump cells -- printf '“x\n'
is "vt.py narrow: “ takes one cell" "0: 0:“ 1:x" "$(printf '%s\n' "$out" | sed -n 1p)"
vt --ambiguous wide --dump cells -- printf '一x\n'
is "vt.py wide: 一 is wide as ever" "0: 0:一 2:x" "$(printf '%s\n' "$out" | sed -n 1p)"
vt --ambiguous wide --size 10x3 --dump cells -- printf '123456789“x'
is "vt.py wide: “ in the last column wraps, as in xterm" "0: 0:1 1:2 2:3 3:4 4:5 5:6 6:7 7:8 8:9
1: 0:“ 2:x" "$(printf '%s\n' "$out" | sed -n 1,2p)"
printf 'wait ready\nkeys hello\\r\nwait got hello\ncolumns |\n' >"$_tmp_root/script"
vt --script "$_tmp_root/script" -- sh -c 'echo ready; read l; echo "got $l |x|"'
is "vt.py script: keys, waits and border columns" "2: 10 12
--" "$(printf '%s\n' "$out" | sed -n '1,2p')"
printf 'wait never\n' >"$_tmp_root/script"
vt --script "$_tmp_root/script" --timeout 1 -- sh -c 'sleep 3'
is "vt.py: a wait that times out fails (125)" 125 "$rc"

# The dashboard in the test terminal: on every row between the title and
# the key line the pane's borders sit in the same columns (`columns`
# prints "ROW: COL..." per row), whatever the terminal does with
# Ambiguous characters: detected wide or narrow, set wide, ASCII chrome.
# aligned NAME COLUMNS-OUTPUT ROWS: every row 1..ROWS-2 has the same columns.
aligned() {
    _rows=$(printf '%s\n' "$2" | grep -c '^[0-9]*: ')
    _sets=$(printf '%s\n' "$2" | grep '^[0-9]*: ' | sed 's/^[0-9]*: //' | sort -u)
    if [ "$_rows" -eq $(($3 - 2)) ] && [ "$(printf '%s\n' "$_sets" | wc -l)" -eq 1 ]; then
        pass "$1"
    else
        fail "$1" "rows with borders: $_rows of $(($3 - 2)); column sets:" $_sets
    fi
}
# section N: the Nth part of $out (parts end in "--").
section() { printf '%s\n' "$out" | awk -v n="$1" '/^--$/ { k++; next } k == n - 1'; }
# statuscol PART ROWS: the column of the last ")" on the status line.
statuscol() { printf '%s\n' "$1" | sed -n "s/^$(($2 - 1)): \(.* \)*\([0-9]*\)\$/\2/p"; }
w=$(tmpdir)
cp "$TOP/plan.yaml" "$w/"
borders='│┌┐└┘├┤|+'
# the tree; a unit chosen in the unit list (U, Enter); the help at its end
{
    printf 'wait 0/26\ncolumns %s\ncolumns )\n' "$borders"
    printf 'keys U\nwait 单位筛选\nkeys \\r\nwait 经组\ncolumns %s\n' "$borders"
    printf 'keys ?\nwait 滚动\nkeys \\x20\\x20\\x20\\x20\\x20\nwait Ambiguous width\n'
    printf 'columns )\ndump\nkeys q\nkeys q\nexit\n'
} >"$w/script"
printf 'wait 0/26\ndump\nkeys q\nexit\n' >"$w/plain"
# dash NAME SIZE LABEL VT-ARGS... -- CMD...: the checks for one terminal.
dash() {
    _name=$1 _size=$2 _label=$3
    shift 3
    _h=${_size#*x} _cols=${_size%x*}
    vt --size "$_size" --script "$w/script" "$@"
    is "$_name $_size: exit 0" 0 "$rc"
    aligned "$_name $_size: borders aligned on every row (tree)" "$(section 1)" "$_h"
    aligned "$_name $_size: borders aligned on every row (a unit chosen)" "$(section 3)" "$_h"
    is "$_name $_size: the status line ends in its last column but one (tree)" \
        $((_cols - 2)) "$(statuscol "$(section 2)" "$_h")"
    is "$_name $_size: the status line ends in its last column but one (help)" \
        $((_cols - 2)) "$(statuscol "$(section 4)" "$_h")"
    contains "$_name $_size: the help says $_label" "$_label" "$(section 5)"
}
for size in 100x30 80x24; do
    dash "narrow terminal" $size "Ambiguous width: narrow (detected)" \
        --ambiguous narrow -- "$PLANDASH" "$w/plan.yaml"
    dash "wide terminal" $size "Ambiguous width: wide (detected)" \
        --ambiguous wide -- "$PLANDASH" "$w/plan.yaml"
    dash "PLANDASH_AMBIGUOUS=wide" $size "Ambiguous width: wide (set)" \
        --ambiguous wide -- env PLANDASH_AMBIGUOUS=wide "$PLANDASH" "$w/plan.yaml"
    dash "PLANDASH_ASCII=1, wide terminal" $size "wide (detected)；ASCII" \
        --ambiguous wide -- env PLANDASH_ASCII=1 "$PLANDASH" "$w/plan.yaml"
    dash "PLANDASH_ASCII=1, narrow terminal" $size "narrow (detected)；ASCII" \
        --ambiguous narrow -- env PLANDASH_ASCII=1 "$PLANDASH" "$w/plan.yaml"
    # wide mode: the borders are two columns wide, the right one ends the row
    vt --size $size --ambiguous wide --script "$w/script" -- "$PLANDASH" "$w/plan.yaml"
    is "wide terminal $size: the right border takes the last two columns" \
        "$((${size%x*} - 2))" "$(section 1 | sed -n '3s/.* //p')"
    # ASCII: no box drawing, no fold marks other than v and >
    vt --size $size --script "$w/plain" -- env PLANDASH_ASCII=1 "$PLANDASH" "$w/plan.yaml"
    ok "PLANDASH_ASCII=1 $size: no box drawing, ▾ ▸ or …" \
        sh -c '! printf "%s\n" "$1" | grep -q "[─│┌┐└┘├┤▾▸…]"' _ "$out"
    contains "PLANDASH_ASCII=1 $size: + - | borders" "+- 目标 1 -" "$out"
    contains "PLANDASH_ASCII=1 $size: v fold marks" " v 一、推进政务公开透明运行" "$out"
    contains "PLANDASH_ASCII=1 $size: ... for cut text" "..." "$out"
done
# The TERMs whose consoles lack the glyphs: ASCII unless PLANDASH_ASCII=0.
vt --term vt220 --script "$w/plain" -- "$PLANDASH" "$w/plan.yaml"
contains "TERM=vt220: ASCII chrome" "+- 目标 1 -" "$out"
vt --term vt220 --script "$w/plain" -- env PLANDASH_ASCII=0 "$PLANDASH" "$w/plan.yaml"
contains "TERM=vt220, PLANDASH_ASCII=0: box drawing" "┌─ 目标 1 ─" "$out"

# A terminal that never answers ESC [6n: the dashboard starts after the
# 100 ms timeout, narrow.
{
    printf 'wait 0/26\ncolumns │┌┐└┘├┤\nkeys ?\nwait 滚动\n'
    printf 'keys \\x20\\x20\\x20\\x20\\x20\nwait Ambiguous\ndump\nkeys qq\nexit\n'
} >"$w/noreply"
t0=$(date +%s%N)
vt --no-reply --script "$w/noreply" -- "$PLANDASH" "$w/plan.yaml"
ms=$((($(date +%s%N) - t0) / 1000000))
is "no reply: exit 0" 0 "$rc"
aligned "no reply: narrow, so the borders of a narrow layout" "$(section 1)" 24
contains "no reply: narrow (default)" "Ambiguous width: narrow (default)" "$(section 2)"
ok "no reply: the whole run takes less than 3 s ($ms ms)" test "$ms" -lt 3000
# A reply that comes after the timeout is not read as keys (its ESC would
# clear the unit filter).
{
    printf 'wait 0/26\nkeys U\nwait 单位筛选\nkeys \\r\nwait 经组\n'
    printf 'sleep 1200\ndump\nkeys q\nexit\n'
} >"$w/late"
vt --reply-delay 800 --ambiguous wide --script "$w/late" -- "$PLANDASH" "$w/plan.yaml"
contains "late reply: dropped, not read as keys (the filter stays)" "经组" "$(section 1)"
# Keys typed while the probe waits reach the dashboard (U: the unit list).
printf 'wait 单位筛选\nkeys \\e\nkeys q\nexit\n' >"$w/typed"
vt --ambiguous wide --typeahead U --script "$w/typed" -- "$PLANDASH" "$w/plan.yaml"
is "typeahead during the probe: the dashboard gets it (U opens the unit list)" 0 "$rc"
# A bad setting is said in the status line (an error: the counter gives
# way to it).
printf 'wait PLANDASH_AMBIGUOUS\ndump\nkeys q\nexit\n' >"$w/bad"
vt --script "$w/bad" -- env PLANDASH_AMBIGUOUS=big "$PLANDASH" "$w/plan.yaml"
contains "PLANDASH_AMBIGUOUS=big: the status line says so" \
    "PLANDASH_AMBIGUOUS 应为 narrow 或 wide" "$out"

# --report follows PLANDASH_AMBIGUOUS: its lines are cut to 78 columns,
# and in a wide terminal they stay in them only when it is set wide.
# lastell: the last column a row-ending … takes in $out (a cells dump),
# the … taking W columns.
lastell() {
    printf '%s\n' "$out" | sed -n 's/.* \([0-9]*\):…$/\1/p' | sort -n | tail -1 |
        awk -v w="$1" '{ print $1 + w - 1 }'
}
vt --ambiguous wide --size 100x100 --dump cells -- env PLANDASH_AMBIGUOUS=wide \
    "$PLANDASH" --report "$w/plan.yaml"
e=$(lastell 2)
ok "--report, PLANDASH_AMBIGUOUS=wide, wide terminal: within 78 columns ($e)" test "${e:-99}" -le 77
vt --ambiguous narrow --size 100x100 --dump cells -- "$PLANDASH" --report "$w/plan.yaml"
e=$(lastell 1)
ok "--report, narrow terminal: within 78 columns ($e)" test "${e:-99}" -le 77

done_testing
