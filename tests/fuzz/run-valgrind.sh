#!/bin/sh
# The command-line paths, a scripted dashboard session, the cmocka unit test
# programs and the fuzz replay programs under valgrind's memcheck.  Run by
# `make valgrind` (PLANDASH and BUILD as for tests/run.sh).  Any memcheck
# error, or a leak valgrind calls "definitely lost", fails a run (valgrind
# exits 99); so does an unexpected exit status.  Prints one line per run and
# "N passed, N failed"; exits 1 if any failed.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
: "${PLANDASH:=$top/plandash}"
: "${BUILD:=$top/build}"
export TZ=Asia/Shanghai LC_ALL=C.UTF-8 TOP="$top" CMOCKA_MESSAGE_OUTPUT=TAP
unset NO_COLOR
vg="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99
    --track-origins=yes --num-callers=30"
pass=0 fail=0 failed=""
w=$(mktemp -d) || exit 2
trap 'rm -rf "$w"' EXIT
export FUZZ_TMPDIR="$w"   # the status replay's scratch files
fix=tests/fixtures

# check NAME EXPECTED-STATUS CMD...: run CMD under memcheck in $w.
# EXPECTED-STATUS may list several: "0|1".
check() {
    name=$1 want=$2
    shift 2
    # shellcheck disable=SC2086
    (cd "$w" && $vg --log-file="$w/vg.log" "$@" >"$w/out" 2>"$w/err" </dev/null)
    rc=$?
    case "|$want|" in *"|$rc|"*) good=1 ;; *) good=0 ;; esac
    if [ "$good" -eq 1 ] && ! [ -s "$w/vg.log" ]; then
        pass=$((pass + 1))
        printf 'ok   %s\n' "$name"
    else
        fail=$((fail + 1))
        failed="$failed
  $name"
        if [ "$rc" -eq 99 ] || [ -s "$w/vg.log" ]; then
            printf 'FAIL %s: memcheck errors (exit %d)\n' "$name" "$rc"
            sed 's/^/    /' "$w/vg.log" | head -n 60
        else
            printf 'FAIL %s: exit %d, expected %s\n' "$name" "$rc" "$want"
        fi
        # what the program said (a failed test's TAP lines, an error)
        grep -h -v '^ok ' "$w/out" "$w/err" | sed 's/^/    /' | head -n 20
    fi
}

# A fresh copy of the shipped plan, with no status file.
fresh() {
    rm -f "$w"/plan.* "$w"/*.json "$w"/*.lock "$w"/*.tmp
    cp plan.yaml "$w/plan.yaml"
}

P=$PLANDASH
fresh
check "--help" 0 "$P" --help
check "--version" 0 "$P" --version
check "usage: unknown option" 2 "$P" --bogus
check "usage: bad --export format" 2 "$P" --export xml
check "usage: two plans" 2 "$P" a.yaml b.yaml
check "dashboard without a terminal" 2 "$P" plan.yaml
check "--check" 0 "$P" --check
check "--report" 0 "$P" --report plan.yaml
for fmt in json csv md; do
    check "--export $fmt" 0 "$P" --export "$fmt" plan.yaml
done
check "--unit (Chinese) --report" 0 "$P" --unit 区党政办 --report plan.yaml
check "--unit (pinyin) --export json" 0 "$P" --unit sifa --export json plan.yaml
check "--unit (initials, a group member) --export csv" 0 "$P" --unit cjz --export csv plan.yaml
check "--unit (no match) --report" 1 "$P" --unit zzzz --report plan.yaml
check "--mark two items" 0 "$P" --mark 1.1.1 --mark 2.2.1 plan.yaml
check "--check with a status" 0 "$P" --check plan.yaml
check "--report with done items" 0 "$P" --report plan.yaml
check "--export md with done items" 0 "$P" --export md plan.yaml
check "--unmark" 0 "$P" --unmark 1.1.1 plan.yaml
check "--mark an unknown id" 1 "$P" --mark 9.9.9 plan.yaml
check "-s another status file" 0 "$P" -s other.json --mark 1.1.2 plan.yaml

# Error paths: plans and status files that do not load.
for f in dup_key not_utf8 nul alias two_docs tab_indent missing_title empty utf16; do
    [ -f "$fix/plan/$f.yaml" ] || continue
    cp "$fix/plan/$f.yaml" "$w/bad.yaml"
    check "bad plan: $f" 1 "$P" --check bad.yaml
done
check "missing plan" 1 "$P" --check nothing.yaml
fresh
printf '{"version": 1, "items": {"1.1.1": {"done": tru}}}\n' >"$w/plan.status.json"
check "bad status: syntax" 1 "$P" --check plan.yaml
check "bad status: --mark leaves it alone" 1 "$P" --mark 1.1.1 plan.yaml
printf '{"version": 1, "items": {"1.1.1": {"done": "yes"}, "x": {"done": true}}}\n' \
    >"$w/plan.status.json"
check "bad status: wrong type" 1 "$P" --check plan.yaml
for f in "$fix"/status/*.json; do
    [ -f "$f" ] || continue
    fresh
    cp "$f" "$w/plan.status.json"
    # valid or not (their own tests say which), memcheck-clean
    check "status fixture $(basename "$f") --check" "0|1" "$P" --check plan.yaml
done

# The dashboard, headless (PLANDASH_TEST_SCRIPT: keys from a file, the
# screen drawn into a virtual terminal): moving, folding, searching,
# marking and undoing, the units list, help, resizing.
fresh
cat >"$w/keys" <<'KEYS'
:dump
jjjl
<Enter>
<Enter>
x
u
/sifa
<Enter>
n
N
<Esc>
U
j
<Enter>
?
<Esc>
<Resize 40x10>
:dump
<Resize 120x40>
G
g
x
q
KEYS
export PLANDASH_TEST_SCRIPT="$w/keys" PLANDASH_TEST_DUMP="$w/dump" PLANDASH_TEST_SIZE=80x24
check "dashboard (scripted)" 0 "$P" plan.yaml
unset PLANDASH_TEST_SCRIPT PLANDASH_TEST_DUMP PLANDASH_TEST_SIZE

# The cmocka unit test programs.
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    check "unit tests: $(basename "$t")" 0 "$t"
done

# The fuzz targets' saved inputs, through the replay programs.
export REPLAY_TIMEOUT=120
for t in plan status units text; do
    bin=$BUILD/tools/replay_$t
    [ -x "$bin" ] || continue
    set -- "$top"/tests/fuzz/corpus/"$t"/* "$top"/tests/fuzz/regress/"$t"/*
    files=""
    for f in "$@"; do [ -f "$f" ] && files="$files $f"; done
    [ -n "$files" ] || continue
    # shellcheck disable=SC2086
    check "fuzz replay: $t" 0 "$bin" $files
done

echo
[ -n "$failed" ] && echo "failed:$failed"
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
