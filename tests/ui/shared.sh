#!/bin/sh
# The dashboard on a shared plan (issue 14, cases 6 and 7), headless (see
# headless.sh): it never blocks on another process's lock, and it says
# when the user can only read.
. "$TOP/tests/lib.sh"
LH=$BUILD/tools/lock_hold
chmod 711 "$_tmp_root"

# play DIR [ENV...]: the dashboard in DIR on plan.yaml with the script on
# stdin (ENV: VAR=value given to it, USER=li|zhao runs it as that user);
# sets $rc, $err, $took (seconds) and the screens $w/screen.N.
play() {
    w=$1
    shift
    cat >"$w/keys"
    : >"$w/dump"
    chmod 666 "$w/dump"
    chmod 644 "$w/keys"
    t0=$(date +%s)
    (cd "$w" && env PLANDASH_TEST_SCRIPT="$w/keys" PLANDASH_TEST_DUMP="$w/dump" \
        PLANDASH_TEST_SIZE=100x24 "$@" "$PLANDASH" plan.yaml >"$w/out" 2>"$w/err")
    rc=$?
    took=$(($(date +%s) - t0))
    err=$(cat "$w/err")
    rm -f "$w"/screen.*
    awk -v d="$w" '/^-----$/ { n++; next } { print > (d "/screen." (n + 1)) }' "$w/dump"
}
title() { sed -n 1p "$w/screen.$1"; }
status_line() { sed -n 24p "$w/screen.$1"; }

# 6. Another process holds the lock.
w=$(tmpdir)
cp "$TOP/tests/fixtures/cli/small.yaml" "$w/plan.yaml"
"$LH" "$w/plan.status.json.lock" 30 "$w/held" &
holder=$!
while [ ! -e "$w/held" ]; do sleep 0.05; done
play "$w" <<EOF
jj<Space>
:dump
j
:dump
<Tick>
:dump
:sh kill $holder; sleep 0.3
<Tick>
:dump
EOF
is "lock held: the dashboard exits normally" 0 "$rc"
ok "lock held 30 s: the dashboard did not wait for it ($took s)" test "$took" -le 5
contains "lock held: the mark waits, and says so" "等待另一个 plandash 保存…" "$(status_line 1)"
contains "lock held: the item is not shown marked yet" "[ ] 1. 含有" "$(cat "$w/screen.1")"
contains "lock held: keys still work (the selection moved on)" "┌─ 事项 1.1.2 ─" "$(cat "$w/screen.2")"
contains "lock held: still waiting after a tick" "等待另一个 plandash 保存…" "$(status_line 3)"
contains "lock released: the next tick saves the mark" "1.1.1 已标为完成" "$(status_line 4)"
contains "lock released: the item is shown marked" "[x] 1. 含有" "$(cat "$w/screen.4")"
contains "lock released: the mark is in the file" '"1.1.1": {"done": true' "$(cat "$w/plan.status.json")"
is "lock released: the new file's owner, group and mode (umask 022)" "0:0 644" "$(stat -c '%u:%g %a' "$w/plan.status.json")"
wait "$holder" 2>/dev/null

# The lock is held longer than the dashboard waits (shortened to 0.3 s):
# it says clearly that the change was not saved, and the message stays
# through ticks until a key is pressed; the file is byte-identical.
cp "$w/plan.status.json" "$_tmp_root/before"
"$LH" "$w/plan.status.json.lock" 30 "$w/held2" &
holder=$!
while [ ! -e "$w/held2" ]; do sleep 0.05; done
play "$w" PLANDASH_TEST_LOCK_WAIT_MS=300 <<'EOF'
jjj<Space>
:dump
:sh sleep 0.5
<Tick>
:dump
<Tick>
<Tick>
:dump
j
:dump
EOF
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
contains "given up: waiting first" "等待另一个 plandash 保存…" "$(status_line 1)"
is "given up: the message says the change was not saved" \
    " 没有保存 1.1.2 的标记：另一个 plandash 占用 plan.status.json 超过 1 秒，请稍后再试" \
    "$(status_line 2 | sed 's/  *完成.*//')"
is "given up: the message stays through ticks" "$(status_line 2)" "$(status_line 3)"
lacks "given up: a key clears it" "没有保存" "$(status_line 4)"
ok "given up: the status file is byte-identical" cmp -s "$_tmp_root/before" "$w/plan.status.json"
is "given up: owner, group and mode unchanged" "0:0 644" "$(stat -c '%u:%g %a' "$w/plan.status.json")"
lacks "given up: the item is not shown marked" "[x] 2. 第一行" "$(cat "$w/screen.4")"

# The given-up message is an error: it takes the whole status line (no
# progress counter beside it), and where even that is too narrow the text
# before its last clause is cut, never the advice.
w=$(tmpdir)
cp "$TOP/tests/fixtures/cli/small.yaml" "$w/plan.yaml"
"$LH" "$w/plan.status.json.lock" 30 "$w/held" &
holder=$!
while [ ! -e "$w/held" ]; do sleep 0.05; done
play "$w" PLANDASH_TEST_LOCK_WAIT_MS=100 PLANDASH_TEST_SIZE=90x24 <<'EOF'
jjj<Space>
:sh sleep 0.3
<Tick>
:dump
EOF
play90=$(status_line 1)
play "$w" PLANDASH_TEST_LOCK_WAIT_MS=100 PLANDASH_TEST_SIZE=50x24 <<'EOF'
jjj<Space>
:sh sleep 0.3
<Tick>
:dump
EOF
kill "$holder" 2>/dev/null
wait "$holder" 2>/dev/null
is "given up, 90 columns: the whole message, no counter" \
    " 没有保存 1.1.2 的标记：另一个 plandash 占用 plan.status.json 超过 1 秒，请稍后再试" \
    "$(echo "$play90" | sed 's/ *$//')"
contains "given up, 50 columns: the advice is whole" "…，请稍后再试" "$(status_line 1)"
contains "given up, 50 columns: the start is kept" " 没有保存 1.1.2 的标记：另一个" "$(status_line 1)"

# A note saved in the editor (e, Ctrl-S) while another process holds the
# lock waits the same way: the editor stays open with its text, keys work,
# and the next tick after the lock is free saves it and closes the editor.
w=$(tmpdir)
cp "$TOP/tests/fixtures/cli/small.yaml" "$w/plan.yaml"
"$LH" "$w/plan.status.json.lock" 30 "$w/held" &
holder=$!
while [ ! -e "$w/held" ]; do sleep 0.05; done
play "$w" <<EOF
jj
e
进展<C-s>
:dump
<Left>
<Tick>
:dump
:sh ls '$w' >'$w/ls.2'
:sh kill $holder; sleep 0.3
<Tick>
:dump
EOF
wait "$holder" 2>/dev/null
is "note, lock held: the dashboard exits normally" 0 "$rc"
ok "note, lock held 30 s: the dashboard did not wait for it ($took s)" test "$took" -le 5
contains "note, lock held: the save waits, and says so" "等待另一个 plandash 保存…" "$(status_line 1)"
contains "note, lock held: the editor stays open with its text" "进展情况 · 事项 1.1.1" "$(cat "$w/screen.1")"
contains "note, lock held: keys still work, still waiting after a tick" "等待另一个 plandash 保存…" "$(status_line 2)"
lacks "note, lock held: nothing written yet" "plan.status.json" "$(grep -v lock "$w/ls.2")"
contains "note, lock released: the next tick saves it" "已保存事项 1.1.1 的进展情况" "$(status_line 3)"
lacks "note, lock released: the editor closed" "进展情况 · 事项 1.1.1" "$(cat "$w/screen.3")"
contains "note, lock released: the note is in the file" '"note": "进展"' "$(cat "$w/plan.status.json")"
contains "note, lock released: and in the history" '"id":"1.1.1","note":"进展"' "$(cat "$w/plan.history.jsonl")"

# Cancelling the editor (Esc, y) while its save waits for the lock drops
# that save: the lock freed, the next tick writes nothing.
w=$(tmpdir)
cp "$TOP/tests/fixtures/cli/small.yaml" "$w/plan.yaml"
"$LH" "$w/plan.status.json.lock" 30 "$w/held" &
holder=$!
while [ ! -e "$w/held" ]; do sleep 0.05; done
play "$w" <<EOF
jj
e
进展<C-s>
:dump
<Esc>
y
:dump
:sh kill $holder; sleep 0.3
<Tick>
<Tick>
:dump
EOF
wait "$holder" 2>/dev/null
contains "note cancelled while waiting: it was waiting" "等待另一个 plandash 保存…" "$(status_line 1)"
contains "note cancelled while waiting: the save is dropped, and said" \
    "已放弃对事项 1.1.1 进展情况的修改（等待中的保存已取消）" "$(status_line 2)"
lacks "note cancelled while waiting: no longer waiting" "等待另一个 plandash" "$(status_line 3)"
ok "note cancelled while waiting: nothing saved after the lock is free" \
    test ! -e "$w/plan.status.json"
ok "note cancelled while waiting: no history" test ! -e "$w/plan.history.jsonl"

# 7. Read-only: the title says 只读 and why; change keys say so.
if [ "$(id -u)" != 0 ]; then
    skip "read-only dashboard as another user" "needs root to run as another user (CI runs as root)"
elif ! command -v setpriv >/dev/null 2>&1; then
    skip --ci "read-only dashboard as another user" "setpriv is missing: make deps-test (util-linux)"
else
    as_zhao="setpriv --reuid=2003 --regid=2003 --clear-groups"
    w=$(tmpdir)
    chmod 755 "$w"
    cp "$TOP/tests/fixtures/cli/small.yaml" "$w/plan.yaml"
    printf '{\n  "version": 1,\n  "items": {}\n}\n' >"$w/plan.status.json"
    chmod 644 "$w/plan.yaml" "$w/plan.status.json"
    cp "$w/plan.status.json" "$_tmp_root/before"
    # shellcheck disable=SC2086
    play "$w" $as_zhao <<'EOF'
:dump
jj<Space>
:dump
u
:dump
EOF
    is "read-only file: the dashboard runs" 0 "$rc"
    contains "read-only file: the title says 只读 and why" "只读：没有写 plan.status.json 的权限（root:root 0644）  plan.yaml" "$(title 1)"
    contains "read-only file: a mark says so instead of trying" "只读，不能更改：没有写 plan.status.json 的权限（root:root 0644）" "$(status_line 2)"
    contains "read-only file: so does undo" "只读，不能更改：" "$(status_line 3)"
    ok "read-only file: the file is byte-identical" cmp -s "$_tmp_root/before" "$w/plan.status.json"
    is "read-only file: owner, group and mode unchanged" "0:0 644" "$(stat -c '%u:%g %a' "$w/plan.status.json")"
    ok "read-only file: no lock file was made" test ! -e "$w/plan.status.json.lock"
    # the note editor refuses to save, says why, and keeps the text
    # shellcheck disable=SC2086
    play "$w" $as_zhao <<'EOF'
jj
e
甲<C-s>
:dump
EOF
    contains "read-only file: e's save says so instead of trying" "只读，不能更改：没有写 plan.status.json 的权限（root:root 0644）" "$(status_line 1)"
    contains "read-only file: the editor stays open with its text" "进展情况 · 事项 1.1.1" "$(cat "$w/screen.1")"
    ok "read-only file: e saved nothing" cmp -s "$_tmp_root/before" "$w/plan.status.json"
    ok "read-only file: e wrote no history" test ! -e "$w/plan.history.jsonl"
    rm "$w/plan.status.json"
    # shellcheck disable=SC2086
    play "$w" $as_zhao <<'EOF'
jj<Space>
:dump
EOF
    contains "read-only folder: the title says why" "只读：没有写文件夹 $w 的权限" "$(title 1)"
    contains "read-only folder: a mark says so" "只读，不能更改：" "$(status_line 1)"
    ok "read-only folder: no status file was made" test ! -e "$w/plan.status.json"
    # On refresh: writable at start, read-only after a chmod, seen on the
    # next tick.
    chmod 777 "$w"
    printf '{\n  "version": 1,\n  "items": {}\n}\n' >"$w/plan.status.json"
    chown 2003:2003 "$w/plan.status.json"
    # shellcheck disable=SC2086
    play "$w" $as_zhao <<EOF
:dump
:sh chmod 444 '$w/plan.status.json'
<Tick>
:dump
EOF
    lacks "refresh: writable at start, no 只读" "只读" "$(title 1)"
    contains "refresh: read-only after a chmod, on the next tick" "只读：没有写 plan.status.json 的权限（uid 2003:gid 2003 0444）" "$(title 2)"
    # The history is written by every save: another's 0600 history makes
    # the dashboard read-only too, said in Chinese; at 80 columns the
    # status line keeps 只读，不能更改 (the reason is what gets cut).
    chmod 666 "$w/plan.status.json"
    printf '{"at":"2026-12-01T10:00:00+08:00","by":"root","id":"1.1.1","done":true}\n' >"$w/plan.history.jsonl"
    chmod 600 "$w/plan.history.jsonl"
    cp "$w/plan.status.json" "$_tmp_root/before"
    # shellcheck disable=SC2086
    play "$w" PLANDASH_TEST_SIZE=80x24 $as_zhao <<'EOF'
jj<Space>
:dump
EOF
    contains "another's history: the title says 只读 and why" "只读：没有写历史文件 plan.history.jsonl 的权限（root:root 0600）" "$(title 1)"
    contains "another's history: a mark says so, in Chinese" "只读，不能更改：没有写历史文件" "$(status_line 1)"
    ok "another's history: the status file is byte-identical" cmp -s "$_tmp_root/before" "$w/plan.status.json"
fi
# u after someone else changed the same item since: the undo leaves it
# (with their time and login) and says so; the level is used up.
w=$(tmpdir)
cp "$TOP/tests/fixtures/cli/small.yaml" "$w/plan.yaml"
play "$w" <<EOF
jj<Space>
:dump
:sh sleep 1.1; cd '$w' && '$PLANDASH' --unmark 1.1.1 plan.yaml && '$PLANDASH' --mark 1.1.1 plan.yaml
<Tick>
u
:dump
u
:dump
EOF
contains "undo after another's change: it was marked here" "1.1.1 已标为完成" "$(status_line 1)"
ok "undo after another's change: left alone, and said (who, when)" \
    sh -c "sed -n 24p '$w/screen.2' | grep -Eq '^ 已撤销；1\.1\.1 已被 $(id -un) 于 [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} 更改，未撤销 '"
contains "undo after another's change: still marked on screen" "[x] 1. 含有" "$(cat "$w/screen.2")"
contains "undo after another's change: still marked in the file" '"1.1.1": {"done": true' "$(cat "$w/plan.status.json")"
lacks "undo after another's change: no undo line in the history" '"undo"' "$(cat "$w/plan.history.jsonl")"
contains "undo after another's change: the level is used up" "没有可撤销的更改" "$(status_line 3)"
done_testing
