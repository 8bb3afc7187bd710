#!/bin/sh
# The test runner (tests/run.sh) and lib.sh's skip: a skipped test counts as
# skipped, not passed; the closing line is "N passed, N failed, N skipped";
# under CI=true a skip of a test that must run in CI is a failure; reports
# come in order even when the tests run in parallel.  Runs a copy of the
# runner on a small tree of made-up tests.
. "$TOP/tests/lib.sh"
unset CI
d=$(tmpdir)
mkdir -p "$d/tests/a" "$d/tests/b" "$d/tests/bench"
cp "$TOP/tests/run.sh" "$TOP/tests/lib.sh" "$d/tests/"
cat >"$d/tests/a/one.sh" <<'EOF'
. "$TOP/tests/lib.sh"
sleep 0.3    # finishes after two.sh: its report must still come first
pass "a pass"
skip "an optional test" "no such tool here"
skip --ci "a test CI must run" "no such tool here"
done_testing
EOF
cat >"$d/tests/a/two.sh" <<'EOF'
. "$TOP/tests/lib.sh"
pass "another pass"
fail "a failure" "why it failed"
done_testing
EOF
cat >"$d/tests/b/all_skipped.sh" <<'EOF'
echo "1..0 # SKIP nothing to test here"
EOF
cat >"$d/tests/b/crash.sh" <<'EOF'
echo "ok 1 - before the crash"
exit 3
EOF
echo 'echo "not ok 1 - a benchmark is not a test"' >"$d/tests/bench/x.sh"
# A cmocka program's TAP when one of its two tests calls skip().
cat >"$d/cmocka_like" <<'EOF'
#!/bin/sh
printf '1..2\nnot ok 1 # SKIP test_skipped\nok 2 - test_passed\n# ok - tests\n'
EOF
chmod 755 "$d/cmocka_like"

run env TEST_JOBS=4 sh "$d/tests/run.sh" "$d/cmocka_like"
is "the closing line counts passes, failures and skips" \
    "4 passed, 2 failed, 4 skipped" "$(printf '%s\n' "$out" | tail -n 1)"
is "a failure makes the runner exit 1" 1 "$rc"
is "the reports come in the order of the tests" \
    "cmocka_like tests/a/one.sh tests/a/two.sh tests/b/all_skipped.sh tests/b/crash.sh" \
    "$(printf '%s\n' "$out" | grep -E '^[^ ]+ +[0-9]+ passed' | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"
contains "cmocka's skip counts as skipped" "cmocka_like                                 1 passed, 0 failed, 1 skipped" "$out"
contains "a script's SKIP lines count as skipped" "tests/a/one.sh                              1 passed, 0 failed, 2 skipped" "$out"
contains "the SKIP lines are shown with their reasons" "ok 3 - a test CI must run # SKIP no such tool here" "$out"
contains "a plan of 1..0 # SKIP counts as one skip" "tests/b/all_skipped.sh                      0 passed, 0 failed, 1 skipped" "$out"
contains "a script that exits non-zero fails" "tests/b/crash.sh                            1 passed, 1 failed" "$out"
contains "the failed scripts are named" "failed: tests/a/two.sh tests/b/crash.sh" "$out"

run env CI=true TEST_JOBS=1 sh "$d/tests/run.sh" "$d/cmocka_like"
is "CI=true: a skip of a test CI must run is a failure" \
    "4 passed, 3 failed, 3 skipped" "$(printf '%s\n' "$out" | tail -n 1)"
contains "CI=true: the failure says why" \
    "not ok 3 - a test CI must run (must run under CI=true): no such tool here" "$out"

rm "$d/tests/a/two.sh" "$d/tests/b/crash.sh"
run sh "$d/tests/run.sh"
is "no failure: the runner exits 0" 0 "$rc"
is "no failure: the closing line" "1 passed, 0 failed, 3 skipped" "$(printf '%s\n' "$out" | tail -n 1)"
rm "$d/tests/a/one.sh"
run sh "$d/tests/run.sh"
is "nothing passed (all skipped): the runner exits 1" 1 "$rc"
done_testing
