#!/bin/sh
# Build the libFuzzer targets (tests/fuzz/fuzz_*.c) with clang, ASan and
# UBSan into build/fuzz/, then run each for FUZZ_SECONDS seconds.
#   FUZZ_SECONDS=60   seconds per target
#   FUZZ_TARGETS="plan status units text import"   which ones (default: all)
#   FUZZ_JOBS=1       fuzzing processes per target (libFuzzer -fork)
#   FUZZ_SEED=N       libFuzzer's -seed (default: a new one each run)
# An input that crashes, breaks an invariant, leaks, runs over 2 s or takes
# more than 512 MB fails the run; it is saved as
# tests/fuzz/regress/<target>/{crash,timeout,oom,leak}-<sha1>, ready to be
# committed once the bug is fixed (tests/fuzz/replay.sh replays it).
# New coverage-increasing inputs go to build/fuzz/corpus/<target>/ (not
# committed; `fuzz_X -merge=1 tests/fuzz/corpus/X build/fuzz/corpus/X`
# adds the useful ones to the seeds).
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
seconds=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-"plan status units text import"}
jobs=${FUZZ_JOBS:-1}
seed=${FUZZ_SEED:+-seed=$FUZZ_SEED}
out=build/fuzz
CC=${FUZZ_CC:-clang}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}

pkg_cflags=$($PKG_CONFIG --cflags yaml-0.1 libcjson xlsxwriter) &&
    pkg_libs=$($PKG_CONFIG --libs yaml-0.1 libcjson xlsxwriter) || {
    echo "run-fuzz: pkg-config cannot find yaml-0.1, libcjson and xlsxwriter" >&2; exit 2; }
warn="-std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 -Wwrite-strings
      -Wmissing-prototypes -Wno-format-nonliteral -Werror"
cflags="-g -O1 -fno-omit-frame-pointer -fno-sanitize-recover=all -D_GNU_SOURCE
        -DPLANDASH_VERSION=\"fuzz\" -Isrc"
san="address,undefined"

# Max input sizes: a plan up to 64 KB (enough for any alias bomb or deep
# nesting to show its cost), a status file as much, short strings for the
# text and unit functions.
max_len() {
    case $1 in plan|status|import) echo 65536 ;; units) echo 4096 ;; *) echo 2048 ;; esac
}

# --- build: the library sources minus main.c and the curses ui*.c ---
mkdir -p "$out/obj"
srcs=$(ls src/*.c | grep -v -e '^src/main\.c$' -e '^src/ui[^/]*\.c$')
newest_h=$(ls -t src/*.h | head -n 1)
objs=""
for s in $srcs; do
    o=$out/obj/$(basename "$s" .c).o
    objs="$objs $o"
    if [ ! -e "$o" ] || [ "$s" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
        echo "  CC   $s"
        # shellcheck disable=SC2086
        $CC $warn $cflags -fsanitize=fuzzer-no-link,$san $pkg_cflags -c -o "$o" "$s" || exit 2
    fi
done
for t in $targets; do
    src=tests/fuzz/fuzz_$t.c
    bin=$out/fuzz_$t
    [ -f "$src" ] || { echo "run-fuzz: no target $src" >&2; exit 2; }
    stale=0
    for dep in "$src" tests/fuzz/fuzz.h $objs; do
        [ "$dep" -nt "$bin" ] && stale=1
    done
    [ -e "$bin" ] && [ "$stale" -eq 0 ] && continue
    echo "  LD   $bin"
    # shellcheck disable=SC2086
    $CC $warn $cflags -fsanitize=fuzzer,$san $pkg_cflags -o "$bin" "$src" $objs \
        $pkg_libs || exit 2
done

# --- seeds: the committed corpus, plus the test fixtures of the right kind ---
seed_fixtures() {   # target dir
    rm -rf "$2"
    mkdir -p "$2"
    case $1 in
    plan)   find tests/fixtures -type f \( -name '*.yaml' -o -name '*.yml' \) ;;
    status) find tests/fixtures -type f -name '*.json' ;;
    text)   find tests/fixtures -type f \( -name '*.txt' -o -name '*.yaml' \) ;;
    import) find tests/fixtures/import tests/fixtures/seed -type f \( -name '*.txt' -o -name '*.csv' \) ;;
    *)      : ;;
    esac | while IFS= read -r f; do
        cp "$f" "$2/$(printf '%s' "$f" | tr '/' '_')"
    done
    [ "$1" = plan ] && cp plan.yaml "$2/plan.yaml"
    return 0
}

# --- run ---
failed=""
summary=""
for t in $targets; do
    bin=$out/fuzz_$t
    work=$out/corpus/$t
    fixtures=$out/seed/$t
    regress=tests/fuzz/regress/$t
    mkdir -p "$work" "$regress"
    seed_fixtures "$t" "$fixtures"
    dict=""
    [ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
    log=$out/$t.log
    fork=""
    [ "$jobs" -gt 1 ] && fork="-fork=$jobs -ignore_crashes=0"
    echo "fuzz_$t: ${seconds}s (log: $log)"
    # The first corpus folder receives new inputs; the others are read only.
    # ASan's quarantine of freed memory (256 MB by default) counts against
    # the 512 MB limit: keep it small so that the limit is about the input.
    # Scratch files (fuzz_status's status file) in a folder of this run's.
    if [ -w /dev/shm ]; then scratch=$(mktemp -d /dev/shm/plandash-fuzz-run.XXXXXX)
    else scratch=$(mktemp -d); fi || exit 2
    # shellcheck disable=SC2086
    FUZZ_TMPDIR=$scratch \
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=0:quarantine_size_mb=64 \
    UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$bin" -max_total_time="$seconds" -timeout=2 -rss_limit_mb=512 \
            -max_len="$(max_len "$t")" -print_final_stats=1 \
            -artifact_prefix="$regress/" $dict $fork $seed \
            "$work" "tests/fuzz/corpus/$t" "$fixtures" >"$log" 2>&1
    rc=$?
    rm -rf "$scratch"
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | sed 's/cov: //')
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | sed 's/ft: //')
    line=$(printf '%-12s %10s execs %7s/s  cov %5s  ft %6s  rss %4s MB' \
        "fuzz_$t" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${rss:-?}")
    if [ "$rc" -ne 0 ]; then
        failed="$failed fuzz_$t"
        line="$line  FAILED (exit $rc)"
        echo "fuzz_$t: failed; the end of $log:" >&2
        tail -n 40 "$log" >&2
        art=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        [ -n "$art" ] && echo "fuzz_$t: reproduce with: $bin $art" >&2
    fi
    echo "$line"
    summary="$summary$line
"
done
echo
printf '%s' "$summary"
if [ -n "$failed" ]; then
    echo "fuzz: FAILED:$failed"
    exit 1
fi
echo "fuzz: no failure in ${seconds}s per target"
