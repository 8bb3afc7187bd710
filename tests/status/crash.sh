#!/bin/sh
# Writers killed with SIGKILL at any moment never damage the status file:
# after every kill it parses strictly, every mark that was not being saved
# at that moment is intact, entries the writers never touched (orphans and
# unknown fields included) are unchanged, and the temporary file a killed
# writer leaves behind never blocks the next one.  The history beside it
# (s.history.jsonl) agrees with it after every kill, or its last save's
# lines are one save ahead; a line torn by a kill is skipped and never
# blocks the next save.
#
# The writer is tests/tools/status_writer (the library, not the CLI); its
# "loop" mode journals "B id state" before each save and "C id state" after
# it, and its "verify" mode checks a file against that journal.
. "$TOP/tests/lib.sh"
W=$BUILD/tools/status_writer
export STATUS_WRITER_TICK=1   # each save its own time: see status_writer --tick
FIX=$TOP/tests/fixtures/status
d=$(tmpdir)
f=$d/s.json
log=$d/journal
cp "$FIX/initial.json" "$f"
cp "$FIX/initial.json" "$d/initial.json"

orphan='    "9.9.9": {"done": true, "at": "2020-01-01T00:00:00+08:00", "by": "old", "note": "orphan"}'

# verify NAME: the file is sound (prints a reason and fails otherwise)
verify() {
    if ! "$W" verify "$f" "$log" "$d/initial.json" >"$d/verify.out" 2>&1; then
        fail "$1" "$(cat "$d/verify.out")"
        return 1
    fi
    return 0
}

# 1. A kill at each step of a save, the 3rd time the step runs (two saves
#    have been made by then).
for step in lock hopen hwrite hfsync open write fsync close rename dirsync; do
    "$W" --kill-at "$step@3" loop "$f" "$log" 7 2>"$d/err"
    rc=$?
    if [ "$rc" -ne 137 ]; then
        fail "killed at $step: exit status 137" "got $rc: $(cat "$d/err")"
        continue
    fi
    verify "killed at $step: file sound" && pass "killed at $step: file sound"
done

# 2. Killed in the middle of writing the temporary file (short writes of
#    40 bytes, killed at the 5th): a partial temporary file is left ...
rm -f "$f".tmp-*   # those the kills above left
"$W" --short 40 --kill-at write@5 mark "$f" 3.1.1+ 3.1.2+ 3.1.3+ 2>/dev/null
rc=$?
is "killed mid-write: exit status" 137 "$rc"
size=$(cat "$f".tmp-* 2>/dev/null | wc -c)
is "killed mid-write: a partial temporary file is left" 160 "$size"
verify "killed mid-write: file sound" && pass "killed mid-write: file sound"
lacks "killed mid-write: the mark is not there" '"3.1.1"' "$(cat "$f")"
# ... and the next writer does not mind it (a new temporary file, another name).
run "$W" mark "$f" 3.1.1+
is "after a kill: the next writer succeeds" 0 "$rc"
echo "C 3.1.1 1" >>"$log"   # for verify: a committed change
is "after a kill: the killed writer's temporary file is all that is left" 1 "$(ls "$f".tmp-* | wc -l)"
touch -d '2 hours ago' "$f".tmp-*
run "$W" mark "$f" 3.1.2+
echo "C 3.1.2 1" >>"$log"
is "an hour later the next save succeeds" 0 "$rc"
is "and removes the killed writer's temporary file" "" "$(ls "$f".tmp-* 2>/dev/null)"
contains "after a kill: the mark is saved" '"3.1.1": {"done": true' "$(cat "$f")"

# 3. Killed at random moments: 200 writers, always 200, each killed by a
#    timer 0-15 ms after it started (during start-up, loading, or any step
#    of a save).
saved_before=$(grep -c '^C' "$log")
n=0 bad=0 first=""
# The kill window scales with how long this build takes to start and read
# the file (a sanitized or valgrind build is many times slower), so that
# writers are killed at every stage, saves included, on any build.
t0=$(date +%s%N)
"$W" verify "$f" "$log" "$d/initial.json" >/dev/null 2>&1
t1=$(date +%s%N)
window=$(( (t1 - t0) / 1000 * 4 ))
[ "$window" -ge 15000 ] || window=15000
for us in $(awk -v w="$window" 'BEGIN { srand(20261126); for (i = 0; i < 200; i++) print int(rand() * w) }'); do
    n=$((n + 1))
    "$W" --kill-after-us "$us" loop "$f" "$log" "$n" 2>"$d/err"
    rc=$?
    if [ "$rc" -ne 137 ]; then
        bad=$((bad + 1))
        [ -n "$first" ] || first="writer $n (killed after $us us) exited $rc: $(cat "$d/err")"
    elif ! "$W" verify "$f" "$log" "$d/initial.json" >"$d/verify.out" 2>&1; then
        bad=$((bad + 1))
        [ -n "$first" ] || first="after writer $n (killed after $us us): $(cat "$d/verify.out")"
    fi
done
if [ "$bad" -eq 0 ]; then
    pass "$n writers killed at random moments: the file stayed sound"
else
    fail "$n writers killed at random moments: the file stayed sound" "$bad failed; first: $first"
fi
saves=$(($(grep -c '^C' "$log") - saved_before))
ok "the writers did save between kills ($saves saves)" test "$saves" -gt 0

# 4. Killed by another process (SIGKILL from here) after exactly k saves:
#    the writer stops itself (SIGSTOP) once its k-th save is journaled, so
#    the kill lands after k saves, not k-and-a-bit; the journal shows k
#    saves begun and committed, no more.
bad=0 first=""
for k in 1 3 2 5 4 1 6 2 3 1; do
    before=$(wc -l <"$log")
    "$W" --stop-after "$k" loop "$f" "$log" "$((1000 + k))" 2>"$d/err" &
    pid=$!
    tries=0   # until it is stopped (state T), at most about 60 s
    while [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" != T ] && [ "$tries" -lt 6000 ]; do
        tries=$((tries + 1))
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.01
    done
    kill -9 "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    lines=$(($(wc -l <"$log") - before))
    commits=$(tail -n "$lines" "$log" | grep -c '^C')
    if [ "$rc" -ne 137 ]; then
        bad=$((bad + 1))
        [ -n "$first" ] || first="k=$k: exit status $rc: $(cat "$d/err")"
    elif [ "$lines" -ne $((2 * k)) ] || [ "$commits" -ne "$k" ]; then
        bad=$((bad + 1))
        [ -n "$first" ] || first="k=$k: killed after $commits saves ($lines journal lines)"
    elif ! "$W" verify "$f" "$log" "$d/initial.json" >"$d/verify.out" 2>&1; then
        bad=$((bad + 1))
        [ -n "$first" ] || first="k=$k: $(cat "$d/verify.out")"
    fi
done
if [ "$bad" -eq 0 ]; then
    pass "10 writers killed from outside after exactly k saves: the file stayed sound"
else
    fail "10 writers killed from outside after exactly k saves: the file stayed sound" \
        "$bad failed; first: $first"
fi

# 5. Killed in the middle of appending to the history (short writes of 10
#    bytes, killed at the 3rd): a torn last line, which the next writer
#    ends before its own line; the torn line is then skipped.
h=$d/s.history.jsonl
lines_before=$(wc -l <"$h")
"$W" --short 10 --kill-at hwrite@3 mark "$f" 4.2.1+ 2>/dev/null
rc=$?
is "killed mid-append: exit status 137" 137 "$rc"
is "killed mid-append: the history ends in a torn line" 1 \
    "$(tail -c 1 "$h" | od -An -c | grep -vc '\\n')"
verify "killed mid-append: file and history sound" && pass "killed mid-append: file and history sound"
run "$W" mark "$f" 4.2.1+
is "after a torn line: the next writer succeeds" 0 "$rc"
echo "C 4.2.1 1" >>"$log"
is "after a torn line: its line and the torn one, each on its own line" \
    $((lines_before + 2)) "$(wc -l <"$h")"
contains "after a torn line: the last line is whole" '"id":"4.2.1","done":true}' "$(tail -n 1 "$h")"
verify "after a torn line: file and history agree" && pass "after a torn line: file and history agree"

# 6. The check can fail: a history line the status does not show, not in
#    the last save, is found.
cp "$h" "$d/h.saved"
printf '{"at":"2000-01-01T00:00:00+08:00","by":"x","id":"4.2.1","done":false}\n' >>"$h"
printf '{"at":"2000-01-01T00:00:01+08:00","by":"x","id":"4.2.2","done":false}\n' >>"$h"
run "$W" verify "$f" "$log" "$d/initial.json"
contains "a history that disagrees is caught" "4.2.1 is 1, the history says 0 (not its last save)" "$err"
cp "$d/h.saved" "$h"

# What the writers never touched is still there, as it was.
text=$(cat "$f")
contains "the orphan entry is kept byte for byte" "$orphan" "$text"
contains "the unknown top-level field is kept" '"meta": {"kept":true}' "$text"
contains "an untouched entry keeps its unknown field" \
    '"2.1.1": {"done": true, "at": "2026-11-21T10:00:00+08:00", "by": "wang", "note": "见附件"}' "$text"
# Each killed writer may leave its temporary file (never reused: names are
# random); our own older than an hour go with the next save.
tmps=$(ls -a "$d" | grep -c '^s\.json\.tmp-')
ok "at most one temporary file per killed writer ($tmps)" test "$tmps" -le 210
touch -d '2 hours ago' "$f".tmp-* 2>/dev/null
run "$W" mark "$f" 4.1.1+
is "a last writer succeeds" 0 "$rc"
is "and removes every temporary file older than an hour" "" "$(ls "$f".tmp-* 2>/dev/null)"
done_testing
