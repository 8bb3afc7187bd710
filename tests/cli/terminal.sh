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

unset PLANDASH_AMBIGUOUS
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

# The dashboard in the test terminal: in a narrow terminal the pane's
# borders sit in the same columns on every row between the title and the
# key line.  (Wide mode is checked the same way once the dashboard draws
# for it: `columns` prints "ROW: COL..." per row.)
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
w=$(tmpdir)
cp "$TOP/plan.yaml" "$w/"
printf 'wait 一站式\ncolumns │┌┐└┘├┤\nkeys q\nexit\n' >"$w/script"
for size in 100x30 80x24; do
    vt --size $size --ambiguous narrow --script "$w/script" -- "$PLANDASH" "$w/plan.yaml"
    is "dashboard $size, narrow terminal: exit 0" 0 "$rc"
    aligned "dashboard $size, narrow terminal: borders aligned on every row" "$out" \
        "${size#*x}"
done

done_testing
