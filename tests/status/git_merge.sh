#!/bin/sh
# Many machines (issue 14): two clones of one git repository mark items and
# merge through plandash's merge drivers, with real git.
#   .gitattributes: *.status.json merge=plandash
#                   *.history.jsonl merge=plandash-history
#   git config merge.plandash.driver "plandash --merge-status %O %A %B"
#   git config merge.plandash-history.driver "plandash --merge-history %O %A %B"
. "$TOP/tests/lib.sh"

if ! command -v git >/dev/null 2>&1; then
    skip --ci "git merges" "git is missing: make deps-test"
    
# 6. make install sets up no driver: git configuration is the user's.
if command -v make >/dev/null 2>&1; then
    cmds=$(make -s -n -C "$TOP" install DESTDIR="$r/dest" 2>&1)
    contains "make install: installs the program" "plandash" "$cmds"
    lacks "make install: runs no git command" "git " "$cmds"
fi
done_testing
    exit 0
fi
export GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org GIT_COMMITTER_NAME=t \
    GIT_COMMITTER_EMAIL=t@example.org GIT_CONFIG_NOSYSTEM=1 HOME=$_tmp_root
r=$(tmpdir)
git -c init.defaultBranch=main init -q --bare "$r/origin.git"
git -c init.defaultBranch=main init -q "$r/a"
cp "$TOP/tests/fixtures/cli/small.yaml" "$r/a/plan.yaml"
printf '*.status.json merge=plandash\n*.history.jsonl merge=plandash-history\n' >"$r/a/.gitattributes"
drivers() {
    git -C "$1" config merge.plandash.driver "\"$PLANDASH\" --merge-status %O %A %B"
    git -C "$1" config merge.plandash-history.driver "\"$PLANDASH\" --merge-history %O %A %B"
}
drivers "$r/a"
"$PLANDASH" --mark 2.1.1 "$r/a/plan.yaml" >/dev/null
: >"$r/a/plan.history.jsonl"
git -C "$r/a" add -A
git -C "$r/a" commit -qm start
git -C "$r/a" remote add origin "$r/origin.git"
git -C "$r/a" push -q origin main 2>/dev/null
git clone -q "$r/origin.git" "$r/b" 2>/dev/null
drivers "$r/b"
# in CLONE, commit everything and push
push() {
    git -C "$1" add -A
    git -C "$1" commit -qm "$2" >/dev/null   # nothing to commit after a merge: fine
    git -C "$1" push -q origin main 2>/dev/null
}
# in CLONE, fetch and merge origin/main: $rc, $out (git's output)
pull() {
    git -C "$1" fetch -q origin 2>/dev/null
    run git -C "$1" merge --no-edit origin/main
    out="$out$err"
}
marks() { "$PLANDASH" --export csv "$1/plan.yaml" | awk -F, 'NR > 1 { printf "%s ", $NF }'; }

# 1. Different items on each side: merged without a conflict.
"$PLANDASH" --mark 1.1.1 "$r/a/plan.yaml" >/dev/null
push "$r/a" "a marks 1.1.1"
"$PLANDASH" --mark 1.1.2 "$r/b/plan.yaml" >/dev/null
git -C "$r/b" commit -qam "b marks 1.1.2"
pull "$r/b"
is "different items: git merges without a conflict" 0 "$rc"
lacks "different items: no conflict reported" "CONFLICT" "$out"
run "$PLANDASH" --check "$r/b/plan.yaml"
contains "different items: both marks are there (3/3 done)" "3/3 done" "$out"
ok "different items: no conflict markers" sh -c "! grep -q '<<<<<<<' '$r/b/plan.status.json'"
is "different items: the usual layout, one entry per line" 3 "$(grep -c '^    "[0-9.]*": {"done": true, "at": ' "$r/b/plan.status.json")"
push "$r/b" "merged"
pull "$r/a"

# 2. The same item on both sides: the later change wins, and the merge
#    says which item was decided that way.
"$PLANDASH" --unmark 1.1.1 "$r/a/plan.yaml" >/dev/null
push "$r/a" "a unmarks 1.1.1"
sleep 1.1
"$PLANDASH" --unmark 1.1.1 "$r/b/plan.yaml" >/dev/null
"$PLANDASH" --mark 1.1.1 "$r/b/plan.yaml" >/dev/null   # later: done again
git -C "$r/b" commit -qam "b marks 1.1.1 again, later"
pull "$r/b"
is "same item: git merges without a conflict" 0 "$rc"
contains "same item: the merge names the item decided by time" "changed on both sides, the later change kept: 1.1.1" "$out"
run "$PLANDASH" --check "$r/b/plan.yaml"
contains "same item: ours, the later change, wins (3/3 done)" "3/3 done" "$out"
push "$r/b" "merged again"
pull "$r/a"
# ... and the other way round: theirs is later.
"$PLANDASH" --unmark 1.1.2 "$r/b/plan.yaml" >/dev/null
git -C "$r/b" commit -qam "b unmarks 1.1.2"
sleep 1.1
"$PLANDASH" --unmark 1.1.2 "$r/a/plan.yaml" >/dev/null
"$PLANDASH" --mark 1.1.2 "$r/a/plan.yaml" >/dev/null
push "$r/a" "a marks 1.1.2 again, later"
pull "$r/b"
is "same item, theirs later: merged" 0 "$rc"
run "$PLANDASH" --check "$r/b/plan.yaml"
contains "same item, theirs later: theirs wins (3/3 done)" "3/3 done" "$out"
push "$r/b" "merged a third time"
pull "$r/a"

# 3. A broken side: the driver refuses, git reports a conflict, and ours
#    is left as it was (nothing is lost).
printf '{"version": 1, "items": {' >"$r/a/plan.status.json"
push "$r/a" "a breaks the status file"
"$PLANDASH" --unmark 2.1.1 "$r/b/plan.yaml" >/dev/null
git -C "$r/b" commit -qam "b unmarks 2.1.1"
cp "$r/b/plan.status.json" "$_tmp_root/ours"
pull "$r/b"
ok "a broken side: git fails ($rc)" test "$rc" -ne 0
contains "a broken side: git reports a conflict" "CONFLICT (content): Merge conflict in plan.status.json" "$out"
contains "a broken side: plandash says which side is not a status file" "is not a valid status file; git keeps both versions" "$out"
ok "a broken side: ours is left as it was" cmp -s "$_tmp_root/ours" "$r/b/plan.status.json"
git -C "$r/b" merge --abort
git -C "$r/a" reset -q --hard HEAD~1
git -C "$r/a" push -q -f origin main 2>/dev/null

# 4. The history: the union of both sides' lines, sorted by "at", each once.
h1='{"at":"2026-12-02T09:00:00+08:00","by":"li","id":"1.1.1","done":true}'
h2='{"at":"2026-12-02T10:00:00+08:00","by":"li","id":"1.1.2","done":true}'
h3='{"at":"2026-12-02T02:30:00Z","by":"wang","id":"2.1.1","done":false}'
h4='{"at":"2026-12-02T11:00:00+08:00","by":"wang","id":"1.1.1","done":false,"undo":true}'
printf '%s\n' "$h1" >"$r/a/plan.history.jsonl"
push "$r/a" "history 1"
git -C "$r/b" fetch -q origin 2>/dev/null
git -C "$r/b" reset -q --hard origin/main
printf '%s\n' "$h2" "$h4" >>"$r/a/plan.history.jsonl"
push "$r/a" "history a"
printf '%s\n' "$h3" "$h4" >>"$r/b/plan.history.jsonl"
git -C "$r/b" commit -qam "history b"
pull "$r/b"
is "history: merged without a conflict" 0 "$rc"
is "history: every line once, sorted by time" "$(printf '%s\n' "$h1" "$h2" "$h3" "$h4")" "$(cat "$r/b/plan.history.jsonl")"

# 5. A merge while the dashboard runs: it shows the new status on its next
#    one-second tick.
if [ -x "$PLANDASH" ]; then
    push "$r/b" "merged history"
    pull "$r/a"
    "$PLANDASH" --mark 1.1.1 --mark 1.1.2 --mark 2.1.1 "$r/b/plan.yaml" >/dev/null
    push "$r/b" "b marks all"
    pull "$r/a"
    sleep 1.1
    "$PLANDASH" --unmark 1.1.2 "$r/a/plan.yaml" >/dev/null
    push "$r/a" "a unmarks 1.1.2"
    printf '%s\n' ':dump' ":sh git -C '$r/b' fetch -q origin 2>/dev/null && git -C '$r/b' merge -q --no-edit origin/main" '<Tick>' ':dump' >"$r/keys"
    (cd "$r/b" && PLANDASH_TEST_SCRIPT="$r/keys" PLANDASH_TEST_DUMP="$r/dump" \
        PLANDASH_TEST_SIZE=100x24 "$PLANDASH" plan.yaml >/dev/null 2>&1)
    contains "dashboard: 3/3 done before the merge" "完成 3/3" "$(sed -n '1,24p' "$r/dump")"
    contains "dashboard: 2/3 done on the tick after it" "完成 2/3" "$(sed -n '26,49p' "$r/dump")"
fi

# 6. make install sets up no driver: git configuration is the user's.
if command -v make >/dev/null 2>&1; then
    cmds=$(make -s -n -C "$TOP" install DESTDIR="$r/dest" 2>&1)
    contains "make install: installs the program" "plandash" "$cmds"
    lacks "make install: runs no git command" "git " "$cmds"
fi
done_testing
