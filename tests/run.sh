#!/bin/sh
# Run every test and print one closing line "N passed, N failed".
# Arguments: the cmocka unit test programs.  Then every tests/*/*.sh script.
# Each program or script speaks TAP ("ok N - name" / "not ok N - name").
# Environment: PLANDASH (the program under test), BUILD (build folder).
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
: "${PLANDASH:=$top/plandash}"
: "${BUILD:=$top/build}"
export PLANDASH BUILD TOP="$top"
export TZ=Asia/Shanghai LC_ALL=C.UTF-8 PLANDASH_TODAY=2026-12-01
export CMOCKA_MESSAGE_OUTPUT=TAP
unset NO_COLOR
pass=0 fail=0 failed=""
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT

count() {   # name, exit status; reads the TAP in $log
    name=$1 rc=$2
    p=$(grep -c '^ok ' "$log")
    f=$(grep -c '^not ok ' "$log")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1   # a crash or an early exit counts as a failure
        echo "not ok - $name exited with status $rc" >>"$log"
    fi
    pass=$((pass + p)) fail=$((fail + f))
    if [ "$f" -gt 0 ]; then
        failed="$failed $name"
        grep -v '^ok ' "$log"
    fi
    printf '%-40s %4d passed, %d failed\n' "$name" "$p" "$f"
}

for t in "$@"; do
    "$t" >"$log" 2>&1
    count "$(basename "$t")" $?
done
# Scripts named run*.sh and everything under tests/bench/ are tools, not tests.
for t in tests/*/*.sh; do
    case $t in tests/bench/*|*/run*.sh) continue ;; esac
    [ -f "$t" ] || continue
    sh "$t" >"$log" 2>&1
    count "$t" $?
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] && [ "$pass" -gt 0 ]
