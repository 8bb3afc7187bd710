# Replay every saved fuzz input through the regular build, without
# libFuzzer: the seeds (tests/fuzz/corpus/<target>/), the inputs that once
# failed (tests/fuzz/regress/<target>/, written there by `make fuzz`), and
# the test fixtures of the right kind (plans through fuzz_plan, status
# files through fuzz_status).  Each goes through the same
# LLVMFuzzerTestOneInput with its invariant checks (tests/tools/replay_*.c);
# a crash, a broken invariant, more than REPLAY_TIMEOUT seconds or 512 MB
# fails.  Under `make sanitize` the replay programs are ASan/UBSan builds.
. "$TOP/tests/lib.sh"
FUZZ_TMPDIR=$(tmpdir)   # fuzz_status's scratch files, removed with the rest
export FUZZ_TMPDIR

replay() {   # target file label
    bin=$BUILD/tools/replay_$1
    run "$bin" "$2"
    if [ "$rc" -eq 0 ]; then
        pass "$1: $3"
    else
        fail "$1: $3 (exit $rc)" "reproduce: $bin $2" "$(printf '%s\n' "$err" | tail -n 15)"
    fi
}

for t in plan status units text import; do
    if [ ! -x "$BUILD/tools/replay_$t" ]; then
        fail "replay_$t is built" "missing: $BUILD/tools/replay_$t"
        continue
    fi
    n=0
    for f in "$TOP/tests/fuzz/corpus/$t"/* "$TOP/tests/fuzz/regress/$t"/*; do
        [ -f "$f" ] || continue
        replay "$t" "$f" "${f#"$TOP/tests/fuzz/"}"
        n=$((n + 1))
    done
    ok "$t: some inputs replayed" test "$n" -gt 0
done

# Fixtures (a plan's and a status file's invariants hold for each).
lists=$(tmpdir)
find "$TOP/tests/fixtures" -type f \( -name '*.yaml' -o -name '*.yml' \) | sort >"$lists/plans"
while IFS= read -r f; do
    replay plan "$f" "${f#"$TOP/tests/"}"
done <"$lists/plans"
replay plan "$TOP/plan.yaml" plan.yaml
find "$TOP/tests/fixtures" -type f -name '*.json' | sort >"$lists/status"
while IFS= read -r f; do
    replay status "$f" "${f#"$TOP/tests/"}"
done <"$lists/status"
# Notices and CSV files: the import fixtures and the seed.
find "$TOP/tests/fixtures/import" "$TOP/tests/fixtures/seed" -type f \( -name '*.txt' -o -name '*.csv' \) |
    sort >"$lists/import"
while IFS= read -r f; do
    replay import "$f" "${f#"$TOP/tests/"}"
done <"$lists/import"
done_testing
