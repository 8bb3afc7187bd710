#!/bin/sh
# Static analysis of src/: cppcheck and clang-tidy (.clang-tidy), both with
# every finding an error.  Run by `make lint`; exits 1 if either finds
# anything.  LINT_JOBS (default: the number of CPUs) clang-tidy processes
# run at once.
#   cppcheck skips src/pinyin_data.c: it is a generated table (see
#   tools/gen_pinyin.py) whose 75,000-entry arrays take cppcheck's value
#   flow minutes; clang-tidy still checks it.
# Silence a reviewed false positive where it is, with a reason:
#   cppcheck:   // cppcheck-suppress ID
#   clang-tidy: // NOLINT(check-name)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
jobs=${LINT_JOBS:-$(nproc 2>/dev/null || echo 2)}
pkg=$($PKG_CONFIG --cflags ncursesw yaml-0.1 libcjson xlsxwriter) || {
    echo "lint: pkg-config cannot find ncursesw, yaml-0.1, libcjson and xlsxwriter" >&2; exit 2; }
# The flags the Makefile compiles with (the feature macros matter: they
# decide which declarations the headers have).
defs="-D_GNU_SOURCE -DPLANDASH_VERSION=\"lint\""
rc=0

echo "cppcheck $(cppcheck --version | sed 's/^Cppcheck //')"
# Only -I and -D reach cppcheck: it does not take the other compiler flags.
incs=$(printf '%s\n' $pkg | grep -e '^-I' -e '^-D' | tr '\n' ' ')
# shellcheck disable=SC2086
if ! cppcheck --enable=warning,portability,performance --error-exitcode=1 \
        --inline-suppr --std=c11 --quiet --template=gcc \
        -D_GNU_SOURCE -DPLANDASH_VERSION='"lint"' -Isrc $incs \
        --suppress=missingIncludeSystem -i src/pinyin_data.c src/; then
    echo "lint: cppcheck found problems" >&2
    rc=1
fi

echo "clang-tidy $(clang-tidy --version | sed -n 's/.*LLVM version //p')"
log=$(mktemp) || exit 2
trap 'rm -f "$log"' EXIT
# One process per file, LINT_JOBS at a time; the findings go to the log.
# shellcheck disable=SC2086
ls src/*.c | xargs -P "$jobs" -I{} sh -c \
    'clang-tidy --quiet "$1" -- -std=c11 $2 -Isrc $3 >"$4.$(basename "$1")" 2>&1 ||
     echo "$1" >>"$4.failed"' sh {} "$defs" "$pkg" "$log"
for f in src/*.c; do
    out=$log.$(basename "$f")
    # "N warnings generated." counts warnings in system headers too: noise.
    grep -v -e '^[0-9]* warnings\? generated\.$' -e '^Suppressed [0-9]* warnings' \
        -e '^Use -header-filter' "$out" || true
    rm -f "$out"
done
if [ -s "$log.failed" ]; then
    echo "lint: clang-tidy found problems in:" $(sort "$log.failed") >&2
    rc=1
fi
rm -f "$log.failed"
[ "$rc" -eq 0 ] && echo "lint: cppcheck and clang-tidy found nothing"
exit "$rc"
