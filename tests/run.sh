#!/bin/sh
# Run every test and print one closing line "N passed, N failed, N skipped".
# Arguments: the cmocka unit test programs.  Then every tests/*/*.sh script.
# Each program or script speaks TAP ("ok N - name" / "not ok N - name"); a
# test with a SKIP directive ("ok N - name # SKIP reason", cmocka's
# "not ok N # SKIP name", a plan "1..0 # SKIP reason") counts as skipped.
# Up to TEST_JOBS (default: twice the number of CPUs, as most tests wait
# on processes and terminals more than they compute) programs and scripts
# run at once; their reports are printed in the order above.
# Environment: PLANDASH (the program under test), BUILD (build folder).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
: "${PLANDASH:=$top/plandash}"
: "${BUILD:=$top/build}"
: "${TEST_JOBS:=$((2 * $(nproc 2>/dev/null || echo 1)))}"
export PLANDASH BUILD TOP="$top"
export TZ=Asia/Shanghai LC_ALL=C.UTF-8 PLANDASH_TODAY=2026-12-01
export CMOCKA_MESSAGE_OUTPUT=TAP
unset NO_COLOR
pass=0 fail=0 skip=0 failed=""
logs=$(mktemp -d) || exit 2
trap 'rm -rf "$logs"' EXIT

count() {   # name, log, exit status
    name=$1 log=$2 rc=$3
    s=$(grep -c -i -E '^(not )?ok\b[^#]*#[[:space:]]*skip' "$log")
    p=$(($(grep -c '^ok\b' "$log") - $(grep -c -i -E '^ok\b[^#]*#[[:space:]]*skip' "$log")))
    f=$(($(grep -c '^not ok\b' "$log") - $(grep -c -i -E '^not ok\b[^#]*#[[:space:]]*skip' "$log")))
    # A whole file skipped: "1..0 # SKIP reason".
    grep -q -i -E '^1\.\.0[[:space:]]*#[[:space:]]*skip' "$log" && s=$((s + 1))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1   # a crash or an early exit counts as a failure
        echo "not ok - $name exited with status $rc" >>"$log"
    fi
    pass=$((pass + p)) fail=$((fail + f)) skip=$((skip + s))
    [ "$f" -gt 0 ] && failed="$failed $name"
    # Failures, skips and their diagnostics; not the passes.
    if [ "$f" -gt 0 ]; then
        grep -v '^ok\b' "$log"
    elif [ "$s" -gt 0 ]; then
        grep -i -E '^(not )?ok\b[^#]*#[[:space:]]*skip|^1\.\.0' "$log"
    fi
    if [ "$s" -gt 0 ]; then
        printf '%-40s %4d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$s"
    else
        printf '%-40s %4d passed, %d failed\n' "$name" "$p" "$f"
    fi
}

# The list, in the order of the report: programs, then scripts.  Scripts
# named run*.sh and everything under tests/bench/ are tools, not tests.
list=$logs/list
: >"$list"
for t in "$@"; do printf 'prog %s\n' "$t" >>"$list"; done
for t in tests/*/*.sh; do
    case $t in tests/bench/*|*/run*.sh) continue ;; esac
    [ -f "$t" ] && printf 'sh %s\n' "$t" >>"$list"
done

# Run test number $1 ("prog PATH" or "sh PATH"): its TAP to $logs/$1.log,
# then its exit status to $logs/$1.rc (written last: it means "done").
one() {
    i=$1 how=$2 t=$3
    if [ "$how" = prog ]; then "$t"; else sh "$t"; fi >"$logs/$i.log" 2>&1 </dev/null
    echo $? >"$logs/$i.rc.tmp" && mv "$logs/$i.rc.tmp" "$logs/$i.rc"
}

# A small job pool: never more than TEST_JOBS at once, started from the end
# of the list (the long dashboard and status scripts are there), reported
# from its start, each as soon as it and those before it are done.
n=$(wc -l <"$list")
started=0 reported=0
while [ "$reported" -lt "$n" ]; do
    # Jobs started and not done yet: numbers n-started+1 .. n.
    running=0 i=$((n - started + 1))
    while [ "$i" -le "$n" ]; do
        [ -e "$logs/$i.rc" ] || running=$((running + 1))
        i=$((i + 1))
    done
    if [ "$started" -lt "$n" ] && [ "$running" -lt "$TEST_JOBS" ]; then
        i=$((n - started))
        started=$((started + 1))
        set -- $(sed -n "${i}p" "$list")
        one "$i" "$1" "$2" &
        continue
    fi
    next=$((reported + 1))
    if [ -e "$logs/$next.rc" ]; then
        set -- $(sed -n "${next}p" "$list")
        t=$2
        [ "$1" = prog ] && t=$(basename "$t")
        count "$t" "$logs/$next.log" "$(cat "$logs/$next.rc")"
        reported=$next
        continue
    fi
    sleep 0.05
done
wait
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
