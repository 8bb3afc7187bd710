#!/bin/sh
# The command line: --check, --report, --export on fixtures against expected
# files; exit codes and usage errors; --help/--version; locales; no control
# character from a file (or an argument) ever printed raw; the dashboard
# refused without a terminal.
. "$TOP/tests/lib.sh"
fx=$TOP/tests/fixtures/cli
d=$(tmpdir)
cp "$TOP/plan.yaml" "$fx"/*.yaml "$fx"/*.status.json "$d/"
cd "$d" || exit 1
o=$d/stdout e=$d/stderr
unset PLANDASH_TEST_SCRIPT

# runf CMD...: run with stdout in $o, stderr in $e, the exit status in $rc.
runf() { "$@" >"$o" 2>"$e"; rc=$?; }
# same NAME EXPECTED-FILE ACTUAL-FILE: byte for byte.
same() {
    if cmp -s "$2" "$3"; then pass "$1"; else
        fail "$1" "differs from $(basename "$2"):"
        diff "$2" "$3" | head -20 | sed 's/^/#   /'
    fi
}
# clean NAME FILE [crlf]: FILE is valid UTF-8 and holds no C0 control but
# LF (and, with crlf, CR before LF), no DEL, no C1 control, no U+202E.
clean() {
    if [ "${3-}" = crlf ]; then sed 's/\r$//' "$2"; else cat "$2"; fi >"$d/c1"
    tr -d '\000-\011\013-\037\177' <"$d/c1" >"$d/c2"
    if ! cmp -s "$d/c1" "$d/c2"; then
        fail "$1" "a control byte:" "$(od -An -c "$d/c1" | grep -m2 '\\[0-9]\|\\[abefrtv]')"
    elif ! iconv -f UTF-8 -t UTF-8 "$2" >/dev/null 2>&1; then
        fail "$1" "not valid UTF-8"
    elif LC_ALL=C grep -q -e "$(printf '\302[\200-\237]')" -e "$(printf '\342\200\256')" "$2"
    then
        fail "$1" "a C1 control or U+202E"
    else
        pass "$1"
    fi
}

# --- --help, --version ---
for opt in --help -h; do
    runf "$PLANDASH" $opt
    is "$opt exits 0" 0 "$rc"
    is "$opt: usage first" "Usage: plandash [OPTION]... [PLAN]" "$(head -n 1 "$o")"
    contains "$opt names --report" "--report" "$(cat "$o")"
    is "$opt: nothing on stderr" "" "$(cat "$e")"
done
for opt in --version -V; do
    runf "$PLANDASH" $opt
    is "$opt exits 0" 0 "$rc"
    is "$opt prints the version" "plandash 0.2.0" "$(cat "$o")"
    is "$opt: nothing on stderr" "" "$(cat "$e")"
done

# --- --check ---
runf "$PLANDASH" --check small.yaml
is "--check valid: exit 0" 0 "$rc"
is "--check valid: summary" "small.yaml: 2 goals, 2 tasks, 3 items, 4 units; 1/3 done" \
   "$(cat "$o")"
is "--check valid: no warnings" "" "$(cat "$e")"

runf "$PLANDASH" --check plan.yaml
is "--check plan.yaml with its status: exit 0" 0 "$rc"
is "--check plan.yaml with its status: summary" \
   "plan.yaml: 4 goals, 13 tasks, 26 items, 20 units; 2/26 done" "$(cat "$o")"

runf "$PLANDASH" --check warn.yaml
is "--check with an unknown key: exit 0" 0 "$rc"
is "--check with an unknown key: summary" \
   "warn.yaml: 1 goal, 1 task, 1 item, 1 unit; 0/1 done" "$(cat "$o")"
is "--check with an unknown key: a positioned warning" \
   'warn.yaml:2:1: warning: unknown key "备注" in the plan (ignored)' "$(cat "$e")"

runf "$PLANDASH" --check bad.yaml
is "--check invalid: exit 1" 1 "$rc"
is "--check invalid: nothing on stdout" "" "$(cat "$o")"
is "--check invalid: the positioned error on stderr" \
   'bad.yaml:9:17: error: duplicate id "甲": item at line 7, column 17 has it already; ids must be unique' \
   "$(cat "$e")"

runf "$PLANDASH" --check missing.yaml
is "--check a missing file: exit 1" 1 "$rc"
is "--check a missing file: the error" \
   "plandash: error: missing.yaml: cannot open the plan: No such file or directory" "$(cat "$e")"
mkdir folder.yaml
runf "$PLANDASH" --check folder.yaml
is "--check a folder: exit 1" 1 "$rc"
is "--check a folder: the error" "plandash: error: folder.yaml: is a folder, not a plan file" \
   "$(cat "$e")"
# PLAN defaults to plan.yaml in the current folder
runf "$PLANDASH" --check
is "--check without PLAN reads plan.yaml" \
   "plan.yaml: 4 goals, 13 tasks, 26 items, 20 units; 2/26 done" "$(cat "$o")"

# --- usage errors: exit 2 ---
usage() {   # NAME EXPECTED-FIRST-LINE-OF-STDERR ARGS...
    name=$1 want=$2
    shift 2
    runf "$PLANDASH" "$@"
    is "$name: exit 2" 2 "$rc"
    is "$name: message" "$want" "$(head -n 1 "$e")"
    is "$name: nothing on stdout" "" "$(cat "$o")"
}
usage "unknown long option" "plandash: error: unknown option '--bogus'" --bogus small.yaml
usage "unknown short option" "plandash: error: unknown option '-x'" -x small.yaml
usage "--export with a bad format" \
      "plandash: error: --export takes json, csv, md or xlsx, not 'xml'" --export xml small.yaml
usage "--export without its argument" \
      "plandash: error: option '--export' needs an argument" --export
usage "--unit without --report or --export" \
      "plandash: error: --unit goes with --report or --export" --unit 司法 small.yaml
usage "--unit with --check only" \
      "plandash: error: --unit goes with --report or --export" --check --unit 司法 small.yaml
usage "two plans" "plandash: error: more than one plan given ('plan.yaml')" \
      --check small.yaml plan.yaml
usage "--report and --export together" \
      "plandash: error: --report and --export are separate outputs: give one" \
      --report --export json small.yaml
contains "a usage error points to --help" "Try 'plandash --help'" "$(cat "$e")"

# --- --report and --export against expected files ---
runf "$PLANDASH" --report plan.yaml
is "--report plan.yaml: exit 0" 0 "$rc"
same "--report plan.yaml" "$fx/plan.expected.report" "$o"
is "--report plan.yaml: nothing on stderr" "" "$(cat "$e")"
runf "$PLANDASH" --report small.yaml
same "--report small.yaml" "$fx/small.expected.report" "$o"
for fmt in json csv md; do
    runf "$PLANDASH" --export $fmt small.yaml
    is "--export $fmt: exit 0" 0 "$rc"
    same "--export $fmt small.yaml" "$fx/small.expected.$fmt" "$o"
    is "--export $fmt: nothing on stderr" "" "$(cat "$e")"
done
# -s names another status file; an absent one means nothing is done
runf "$PLANDASH" -s none.status.json --export csv small.yaml
contains "-s: another status file" "1.1.2,目标一,任务一," "$(cat "$o")"
lacks "-s: an absent status file means nothing is done" "true" "$(cat "$o")"
ok "-s: reading creates no status file" test ! -e none.status.json
runf "$PLANDASH" --export json --unit 审计 small.yaml
is "--unit with --export: exit 0" 0 "$rc"
contains "--unit with --export: only the matching item" '"done": 1, "total": 1,' "$(cat "$o")"
lacks "--unit with --export: no other item" '"1.1.1"' "$(cat "$o")"

# --- locales: the same bytes whatever LANG/LC_ALL say (ASCII or missing
# locales; an installed GB18030/GBK one is converted: tests/cli/locale.sh) ---
runf "$PLANDASH" --check warn.yaml
cp "$o" utf8.out
cp "$e" utf8.err
for env in "-u LANG -u LC_ALL -u LC_CTYPE" "-u LANG LC_ALL=C" "-u LANG LC_ALL=POSIX" \
           "-u LC_ALL LANG=xx_YY.GBK" "-u LC_ALL LANG=xx_YY.UTF-8"; do
    # shellcheck disable=SC2086
    runf env $env "$PLANDASH" --check warn.yaml
    is "--check (env $env): exit 0" 0 "$rc"
    same "--check (env $env): the same summary" utf8.out "$o"
    same "--check (env $env): the same Chinese warning" utf8.err "$e"
    # shellcheck disable=SC2086
    runf env $env "$PLANDASH" --report plan.yaml
    same "--report (env $env): aligned by display width all the same" \
         "$fx/plan.expected.report" "$o"
done
runf env -u LANG LC_ALL=C "$PLANDASH" --check bad.yaml
is "an error in LC_ALL=C: exit 1" 1 "$rc"
is "an error in LC_ALL=C: Chinese as it is" \
   'bad.yaml:9:17: error: duplicate id "甲": item at line 7, column 17 has it already; ids must be unique' \
   "$(cat "$e")"

# --- no control character from a file or an argument printed raw ---
runf "$PLANDASH" --check hostile.yaml
is "hostile plan: --check exit 0" 0 "$rc"
clean "hostile plan: --check stdout" "$o"
clean "hostile plan: --check stderr" "$e"
runf "$PLANDASH" --report hostile.yaml
is "hostile plan: --report exit 0" 0 "$rc"
clean "hostile plan: --report stdout" "$o"
contains "hostile plan: --report shows ESC as ␛ and BEL as ␇" "␛]0;pwned␇标题␛[2J" "$(cat "$o")"
contains "hostile plan: --report shows CR as ␍" "文号␍覆盖" "$(cat "$o")"
for fmt in md json; do
    runf "$PLANDASH" --export $fmt hostile.yaml
    is "hostile plan: --export $fmt exit 0" 0 "$rc"
    clean "hostile plan: --export $fmt stdout" "$o"
done
contains "hostile plan: JSON escapes the controls" '\u001b]0;pwned\u0007' "$(cat "$o")"
runf "$PLANDASH" --export csv hostile.yaml
is "hostile plan: --export csv exit 0" 0 "$rc"
clean "hostile plan: --export csv stdout (CR only in CRLF)" "$o" crlf
runf "$PLANDASH" --report --unit "$(printf '\033[2J\a\r')" hostile.yaml
clean "a query with controls: --report stdout" "$o"
clean "a query with controls: stderr" "$e"
contains "a query with controls (matching no unit) is shown harmlessly" 'no unit matches "␛[2J␇␍"' "$(cat "$e")"
runf "$PLANDASH" --report --unit "$(printf '\033[2J')" hostile.yaml
clean "a query with controls that matches: --report stdout" "$o"
contains "a query with controls that matches is shown harmlessly" "Unit query: ␛[2J matches" "$(cat "$o")"

runf "$PLANDASH" --mark "$(printf 'x\033]0;pwned\a\033[2J\r')" small.yaml
is "an unknown id with controls: exit 1" 1 "$rc"
clean "an unknown id with controls: stderr" "$e"
is "an unknown id with controls: the error" \
   'plandash: error: no item has the id "x␛]0;pwned␇␛[2J␍" in small.yaml' "$(cat "$e")"
runf "$PLANDASH" --mark "$(printf 'x\377\302\233')" small.yaml
is "an unknown id with bad UTF-8: exit 1" 1 "$rc"
clean "an unknown id with bad UTF-8: stderr is valid UTF-8" "$e"
same "an unknown id changes nothing" "$fx/small.status.json" small.status.json

bad=$(printf 'b\033[2J\ad.yaml')
cp bad.yaml "$bad"
runf "$PLANDASH" --check "$bad"
is "a file name with controls: exit 1" 1 "$rc"
clean "a file name with controls: stderr" "$e"
contains "a file name with controls: shown harmlessly" "b␛[2J␇d.yaml:9:17: error:" "$(cat "$e")"
runf "$PLANDASH" --check --bogus"$(printf '\033[2J')"
is "an unknown option with controls: exit 2" 2 "$rc"
clean "an unknown option with controls: stderr" "$e"

# --- output errors ---
if [ -w /dev/full ]; then
    # shellcheck disable=SC2016
    runf sh -c '"$1" --report plan.yaml >/dev/full' sh "$PLANDASH"
    is "a failed write: exit 1" 1 "$rc"
    contains "a failed write: said so" "cannot write" "$(cat "$e")"
fi

# --- the dashboard needs a terminal ---
runf "$PLANDASH" plan.yaml </dev/null
is "the dashboard without a terminal: exit 2" 2 "$rc"
contains "the dashboard without a terminal: points to --report" "--report" "$(cat "$e")"
is "the dashboard without a terminal: nothing on stdout" "" "$(cat "$o")"
runf "$PLANDASH" bad.yaml </dev/null
is "the dashboard on an invalid plan: exit 1 (the plan first)" 1 "$rc"

done_testing
