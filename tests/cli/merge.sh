#!/bin/sh
# plandash --merge-status and --merge-history as git calls them (BASE OURS
# THEIRS, the result in OURS), without git (tests/status/git_merge.sh has
# real git).  Fixtures: tests/fixtures/merge.
. "$TOP/tests/lib.sh"
fix=$TOP/tests/fixtures/merge
d=$(tmpdir)

# Every rule at once: one side only (an entry gone on one side included),
# both sides (later at, then greater by, then done true), the done and the
# note parts apart, unknown fields (byte for byte), orphans, top level.
cp "$fix/ours.json" "$d/ours.json"
run "$PLANDASH" --merge-status "$fix/base.json" "$d/ours.json" "$fix/theirs.json"
is "merge-status: exit status" 0 "$rc"
is "merge-status: the merged file, in the usual layout" "$(cat "$fix/expected.json")" "$(cat "$d/ours.json")"
is "merge-status: the items decided by time are named" \
    "plandash: warning: $d/ours.json: changed on both sides, the later change kept: 1.1.1, 1.1.3, 1.1.5, 1.1.6" "$err"
is "merge-status: no temporary file is left" "" "$(ls "$d"/ours.json.tmp* 2>/dev/null)"
# The same merge from the other side gives the same entries.
cp "$fix/theirs.json" "$d/theirs.json"
run "$PLANDASH" --merge-status "$fix/base.json" "$d/theirs.json" "$fix/ours.json"
is "merge-status: from the other side, the same result" "$(cat "$fix/expected.json")" "$(cat "$d/theirs.json")"

# Real notes, written by plandash itself on two copies, round-trip: the
# merged file reads back with both notes (line breaks, quotes, CJK), the
# other side's mark, and their times and logins.
n=$(tmpdir)
mkdir "$n/a" "$n/b"
cp "$TOP/tests/fixtures/cli/small.yaml" "$n/a/plan.yaml"
cp "$TOP/tests/fixtures/cli/small.yaml" "$n/b/plan.yaml"
(cd "$n/a" && "$PLANDASH" --mark 1.1.1 >/dev/null && cp plan.status.json "$n/base.json" &&
    cp plan.status.json ../b/ &&
    "$PLANDASH" --note 1.1.1 "$(printf '已召开"座谈会"\n下一步：公开')" >/dev/null)
(cd "$n/b" && "$PLANDASH" --mark 2.1.1 >/dev/null && "$PLANDASH" --note 1.1.2 "乙" >/dev/null)
run "$PLANDASH" --merge-status "$n/base.json" "$n/a/plan.status.json" "$n/b/plan.status.json"
is "real notes: merged: exit status" "0 " "$rc $err"
run sh -c "cd '$n/a' && '$PLANDASH' --export json"
contains "real notes: ours' note reads back, line break and quotes kept" \
    '"note": "已召开\"座谈会\"\n下一步：公开", "note_at": "' "$out"
contains "real notes: theirs' note reads back" '"note": "乙", "note_at": "' "$out"
is "real notes: both marks" "2" "$(printf '%s\n' "$out" | grep -c '"done": true, "done_at"')"
run sh -c "cd '$n/a' && '$PLANDASH' --check"
is "real notes: the merged file passes --check" "0 plan.yaml: 2 goals, 2 tasks, 3 items, 4 units; 2/3 done" "$rc $out"
contains "real notes: note_by kept" '"note_by": "' "$(grep 1.1.2 "$n/a/plan.status.json")"

# An empty base (the file added on both sides).
: >"$d/empty"
cp "$fix/ours.json" "$d/ours.json"
run "$PLANDASH" --merge-status "$d/empty" "$d/ours.json" "$fix/ours.json"
is "merge-status: an empty base, the same file on both sides: exit status" 0 "$rc"
is "merge-status: an empty base: nothing decided by time" "" "$err"

# A side that is not a valid status file: exit 1, the reason, ours untouched.
printf '{"version": 1, "items": {' >"$d/broken.json"
cp "$fix/ours.json" "$d/ours.json"
run "$PLANDASH" --merge-status "$fix/base.json" "$d/ours.json" "$d/broken.json"
is "merge-status: a broken side: exit status" 1 "$rc"
is "merge-status: a broken side: the messages" "$d/broken.json:1:26: error: expected a key in double quotes, found the end of the file
plandash: error: cannot merge $d/ours.json: $d/broken.json is not a valid status file; git keeps both versions: fix it, then merge again or resolve the conflict by hand" "$err"
ok "merge-status: a broken side: ours is byte-identical" cmp -s "$fix/ours.json" "$d/ours.json"
printf '{"version": 2, "items": {}}\n' >"$d/v2.json"
run "$PLANDASH" --merge-status "$fix/base.json" "$d/v2.json" "$fix/theirs.json"
is "merge-status: ours of a newer version: exit status" 1 "$rc"
contains "merge-status: ours of a newer version: why" "version 2 is not supported" "$err"

# Usage.
run "$PLANDASH" --merge-status a b
is "merge-status: two files: usage error" "2 plandash: error: --merge-status takes three files: BASE OURS THEIRS (git's %O %A %B)" "$rc $(echo "$err" | head -1)"
run "$PLANDASH" --merge-history a b c --check
is "merge-history with --check: usage error" "2 plandash: error: --merge-history goes alone" "$rc $(echo "$err" | head -1)"

# History: the union, sorted by time (offsets compared as times), each
# line once; a torn last line left out with a warning.
h1='{"at":"2026-12-02T09:00:00+08:00","by":"li","id":"1.1.1","done":true}'
h2='{"at":"2026-12-02T10:00:00+08:00","by":"li","id":"1.1.2","note":"见附件"}'
h3='{"at":"2026-12-02T02:30:00Z","by":"wang","id":"2.1.1","done":false}'
h4='{"at":"2026-12-02T11:00:00+08:00","by":"wang","id":"1.1.1","done":false,"undo":true}'
printf '%s\n' "$h1" "$h2" "$h4" >"$d/ho"
printf '%s\n' "$h1" "$h3" "$h4" >"$d/ht"
printf '{"at":"2026-12-02T12:00' >>"$d/ht"
run "$PLANDASH" --merge-history "$d/empty" "$d/ho" "$d/ht"
is "merge-history: exit status" 0 "$rc"
is "merge-history: every line once, sorted by time" "$(printf '%s\n' "$h1" "$h2" "$h3" "$h4")" "$(cat "$d/ho")"
is "merge-history: the torn line is left out, with a warning" \
    "$d/ht:4:1: warning: not a history line (a JSON object with \"at\"): left out of the merge (a torn last line?)" "$err"
# The same record written with other spacing or escapes is one record:
# compared by content (printed again compactly), the first form kept.
h2s='{"at": "2026-12-02T10:00:00+08:00", "by": "li", "id": "1.1.2", "note": "\u89c1\u9644\u4ef6"}'
printf '%s\n' "$h1" "$h2" >"$d/ho"
printf '%s\n' "$h1" "$h2s" "$h3" >"$d/ht"
run "$PLANDASH" --merge-history "$d/empty" "$d/ho" "$d/ht"
is "merge-history: other spacing and escapes are the same line" 0 "$rc"
is "merge-history: kept once, in the first form's bytes" "$(printf '%s\n' "$h1" "$h2" "$h3")" "$(cat "$d/ho")"
done_testing
