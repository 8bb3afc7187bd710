#!/bin/sh
# Several processes changing one status file at the same time lose nothing:
# each change is a locked read-modify-write that applies only itself to
# what is on disk.  Uses tests/tools/status_writer (the library), then the
# command line (plandash --mark) for the same guarantee end to end.
. "$TOP/tests/lib.sh"
W=$BUILD/tools/status_writer
FIX=$TOP/tests/fixtures/status
d=$(tmpdir)
f=$d/s.json
cp "$FIX/initial.json" "$f"

# ids K.T.I+ for goal K, tasks 1-5, items 1-10: 50 ids
ids() {
    for t in 1 2 3 4 5; do
        for i in 1 2 3 4 5 6 7 8 9 10; do printf '%s.%s.%s+ ' "$1" "$t" "$i"; done
    done
}

# wait_all NAME PID...: every process exited 0
wait_all() {
    name=$1
    shift
    bad=""
    for pid in "$@"; do
        wait "$pid" || bad="$bad $pid"
    done
    if [ -z "$bad" ]; then pass "$name"; else fail "$name" "failed:$bad" "$(cat "$d"/err.* 2>/dev/null)"; fi
}

# 1. Four processes, each saving 50 marks one at a time, all at once (they
#    wait for the same file to appear before starting).
pids=""
for k in 1 2 3 4; do
    # shellcheck disable=SC2046
    "$W" --wait-for "$d/go" each "$f" $(ids "$k") 2>"$d/err.$k" &
    pids="$pids $!"
done
: >"$d/go"
# shellcheck disable=SC2086
wait_all "4 writers x 50 saves: every writer succeeded" $pids
"$W" dump "$f" >"$d/dump"
n=$(grep -cE '^[1-4]\.[1-5]\.([0-9]|10) done ' "$d/dump")
is "all 200 marks are there" 200 "$n"
text=$(cat "$f")
contains "the orphan entry is kept" '"9.9.9": {"done": true, "at": "2020-01-01T00:00:00+08:00", "by": "old", "note": "orphan"}' "$text"
contains "the unknown top-level field is kept" '"meta": {"kept":true}' "$text"
ok "no temporary file is left" test ! -e "$f.tmp"

# 2. Undo under contention: two processes mark 20 ids of goal 1 and 3 and
#    undo all of that, while two others unmark all of goals 2 and 4.  Each
#    undo restores only its own entries; the others' changes survive.
tasks67() { for t in 6 7; do for i in 1 2 3 4 5 6 7 8 9 10; do printf '%s.%s.%s+ ' "$1" "$t" "$i"; done; done; }
rm -f "$d/go"
"$W" --wait-for "$d/go" undo "$f" 20 $(tasks67 1) 2>"$d/err.u1" &
p1=$!
"$W" --wait-for "$d/go" undo "$f" 20 $(tasks67 3) 2>"$d/err.u3" &
p3=$!
"$W" --wait-for "$d/go" each "$f" $(ids 2 | tr + -) 2>"$d/err.m2" &
p2=$!
"$W" --wait-for "$d/go" each "$f" $(ids 4 | tr + -) 2>"$d/err.m4" &
p4=$!
: >"$d/go"
wait_all "marking, unmarking and undoing at once: every writer succeeded" $p1 $p3 $p2 $p4
"$W" dump "$f" >"$d/dump"
is "the undone marks are gone" 0 "$(grep -cE '^[13]\.[67]\.' "$d/dump")"
is "goals 1 and 3 keep their 100 marks" 100 "$(grep -cE '^[13]\.[1-5]\.([0-9]|10) done ' "$d/dump")"
is "goals 2 and 4 are unmarked" 100 "$(grep -cE '^[24]\.[1-5]\.([0-9]|10) not-done ' "$d/dump")"

# 3. The same through the command line: four plandash processes, each
#    marking its 10 items one --mark at a time.
if [ -x "$PLANDASH" ]; then
    plan=$d/plan.yaml
    {
        echo "title: 并发测试"
        echo "goals:"
        for g in 1 2 3 4; do
            echo "  - id: \"$g\""
            echo "    title: 目标$g"
            echo "    tasks:"
            echo "      - id: \"$g.1\""
            echo "        title: 任务$g"
            echo "        items:"
            for i in 1 2 3 4 5 6 7 8 9 10; do
                echo "          - id: \"$g.1.$i\""
                echo "            text: 内容$g.$i"
                echo "            lead: 单位$g"
            done
        done
    } >"$plan"
    rm -f "$d/go"
    pids=""
    for g in 1 2 3 4; do
        (
            "$W" --wait-for "$d/go" dump "$d/none.json" || exit 1
            for i in 1 2 3 4 5 6 7 8 9 10; do
                "$PLANDASH" --mark "$g.1.$i" "$plan" >/dev/null || exit 1
            done
        ) 2>"$d/err.cli$g" &
        pids="$pids $!"
    done
    : >"$d/go"
    # shellcheck disable=SC2086
    wait_all "4 plandash --mark loops at once: every call succeeded" $pids
    run "$PLANDASH" --check "$plan"
    is "plandash --check: exit status" 0 "$rc"
    contains "plandash --check: all 40 marks are there" "40/40 done" "$out"
    ok "plandash: the status file is plan.status.json" test -f "$d/plan.status.json"
else
    skip "4 plandash --mark loops at once" "$PLANDASH is not built"
fi
done_testing
