# Shell test helpers speaking TAP.  Source from a test script:
#   . "$TOP/tests/lib.sh"
# then: run CMD...   (sets $out, $err, $rc)
#       is NAME EXPECTED ACTUAL
#       ok NAME CONDITION-COMMAND...
#       contains NAME NEEDLE HAYSTACK
#       skip [--ci] NAME REASON   (a test that cannot run here; see skip())
: "${TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${PLANDASH:=$TOP/plandash}"
export TZ=Asia/Shanghai LC_ALL=C.UTF-8
# "Today" for due states: fixed, so that reports and exports compare.
export PLANDASH_TODAY=2026-12-01
_n=0
_tmp_root=$(mktemp -d) || exit 2
trap 'rm -rf "$_tmp_root"' EXIT
# A fresh temporary folder for a test.
tmpdir() { d=$(mktemp -d "$_tmp_root/t.XXXXXX") && echo "$d"; }

run() {
    _o=$_tmp_root/out _e=$_tmp_root/err
    "$@" >"$_o" 2>"$_e"
    rc=$?
    out=$(cat "$_o")
    err=$(cat "$_e")
}
pass() { _n=$((_n + 1)); echo "ok $_n - $1"; }
fail() {
    _n=$((_n + 1)); echo "not ok $_n - $1"
    shift
    for l in "$@"; do printf '#   %s\n' "$l"; done
}
is() {
    if [ "$2" = "$3" ]; then pass "$1"; else
        fail "$1" "expected: $2" "actual:   $3"
        printf '%s\n' "$2" >"$_tmp_root/exp"; printf '%s\n' "$3" >"$_tmp_root/act"
        diff "$_tmp_root/exp" "$_tmp_root/act" | sed 's/^/#   /' | head -40
    fi
}
ok() { n=$1; shift; if "$@"; then pass "$n"; else fail "$n" "command failed: $*"; fi; }
contains() {
    case $3 in *"$2"*) pass "$1" ;; *) fail "$1" "missing: $2" "in:      $3" ;; esac
}
lacks() {
    case $3 in *"$2"*) fail "$1" "unexpected: $2" "in:         $3" ;; *) pass "$1" ;; esac
}
# A test that cannot run here: "ok N - NAME # SKIP REASON", which tests/run.sh
# counts as skipped.  With --ci the test must run in CI: under CI=true the
# skip is a failure ("not ok N - NAME (must run under CI=true): REASON").
skip() {
    _ci=false
    [ "$1" = --ci ] && { _ci=true; shift; }
    if $_ci && [ "${CI:-}" = true ]; then
        fail "$1 (must run under CI=true): $2"
    else
        _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"
    fi
}
done_testing() { echo "1..$_n"; }
