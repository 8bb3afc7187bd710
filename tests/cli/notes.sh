#!/bin/sh
# Progress notes and the history from the command line: --note (text,
# standard input, clearing, 64 KiB, bad UTF-8, controls), --history [ID],
# the exports' note fields and --with-history, --check on a torn history.
. "$TOP/tests/lib.sh"
d=$(tmpdir)
cp "$TOP/plan.yaml" "$d/plan.yaml"
cd "$d" || exit 1
export TZ=Asia/Shanghai

run "$PLANDASH" --note 1.1.2 "已召开座谈会
下一步：公布采纳情况"
is "--note: exit 0" 0 "$rc"
is "--note: says what it did" "1.1.2: note saved" "$out"
contains "the note is in the status entry" \
    '"1.1.2": {"done": false, "note": "已召开座谈会\n下一步：公布采纳情况", "note_at": "' \
    "$(cat plan.status.json)"
contains "with who wrote it" '"note_by": "' "$(cat plan.status.json)"
ok "a history file appears beside the status file" test -s plan.history.jsonl
line=$(tail -n 1 plan.history.jsonl)
case $line in
'{"at":"'*'","by":"'*'","id":"1.1.2","note":"已召开座谈会\n下一步：公布采纳情况"}') pass "the history line: at, by, id, note, compact" ;;
*) fail "the history line: at, by, id, note, compact" "got: $line" ;;
esac

run "$PLANDASH" --note 1.1.2 "已召开座谈会
下一步：公布采纳情况"
is "the same note again: unchanged" "1.1.2: note unchanged" "$out"
is "and no history line" 1 "$(wc -l <plan.history.jsonl)"

printf '来自标准输入\n' | "$PLANDASH" --note 2.1.1 - >"$d/o" 2>"$d/e"
is "--note ID -: reads standard input" "2.1.1: note saved" "$(cat "$d/o")"
contains "its final line break dropped" '"note": "来自标准输入", "note_at"' "$(cat plan.status.json)"

run "$PLANDASH" --mark 2.1.1 --note 2.1.2 "带,逗号"
is "--mark and --note together: exit 0" 0 "$rc"

# exports
run "$PLANDASH" --export json
contains "JSON carries the note" '"note": "已召开座谈会\n下一步：公布采纳情况", "note_at": "' "$out"
contains "JSON: null when there is none" '"note": null, "note_at": null' "$out"
lacks "JSON: no history unless asked" '"history"' "$out"
run "$PLANDASH" --export csv
is "CSV: note comes last, after support and the due columns" "id,goal,task,text,lead,responsible,done,done_at,support,due,due_date,due_state,note" \
    "$(printf '%s\n' "$out" | head -n 1 | tr -d '\r')"
contains "CSV: a note with a comma is quoted" ',"带,逗号"' "$out"
run "$PLANDASH" --export json --with-history
is "--with-history: exit 0" 0 "$rc"
contains "--with-history: the item's changes, oldest first" \
    '"history": [{"at": ' "$out"
contains "--with-history: a mark is there" '"done": true}]' "$out"
contains "--with-history: an item without changes has []" '"history": []' "$out"
run "$PLANDASH" --export csv --with-history
is "--with-history goes with --export json only" 2 "$rc"

# --history
run "$PLANDASH" --history
is "--history: exit 0" 0 "$rc"
is "--history: one line per change" 4 "$(printf '%s\n' "$out" | wc -l)"
first=$(printf '%s\n' "$out" | head -n 1)
contains "--history: newest first" "2.1.2 进展情况：带,逗号" "$first"
contains "--history: a note's line breaks shown as ␤" "已召开座谈会␤下一步" "$out"
run "$PLANDASH" --history 2.1.1
is "--history ID: exit 0" 0 "$rc"
is "--history ID: only that item, newest first" "标为完成|进展情况：来自标准输入" \
    "$(printf '%s\n' "$out" | sed 's/^[^ ]* [^ ]* [^ ]* //' | tr '\n' '|' | sed 's/|$//')"
run "$PLANDASH" --history=1.1.1
is "--history=ID: an item without changes" "no changes recorded for this item" "$out"
run "$PLANDASH" --history 9.9.9
is "--history of an unknown id: exit 1" 1 "$rc"
contains "--history of an unknown id: says so" 'no item has the id "9.9.9"' "$err"

# clearing
run "$PLANDASH" --note 1.1.2 ""
is "--note ID \"\": cleared" "1.1.2: note cleared" "$out"
lacks "the note is gone from the status file" "座谈会" "$(cat plan.status.json)"
is "and the history says so" '"note":""}' "$(tail -n 1 plan.history.jsonl | sed 's/.*,//')"

# refused notes: nothing saved
cp plan.status.json before.json
cp plan.history.jsonl before.jsonl
head -c 65537 /dev/zero | tr '\0' 'a' >big
run "$PLANDASH" --note 1.1.1 - <big
is "a note over 64 KiB: exit 1" 1 "$rc"
contains "a note over 64 KiB: a clear message" \
    "the note is 65537 bytes; a note is at most 65536 bytes (64 KiB)" "$err"
head -c 1000000 /dev/zero | tr '\0' 'a' >huge
run "$PLANDASH" --note 1.1.1 - <huge
contains "a much longer note: its real size, not what was read of it" \
    "the note is 1000000 bytes; a note is at most 65536 bytes (64 KiB)" "$err"
head -c 65536 /dev/zero | tr '\0' 'b' >max
printf 'x\n' >>max   # 64 KiB and a final line break, which is dropped
printf '\377\376\n' >bad
run "$PLANDASH" --note 1.1.1 - <bad
is "a note that is not UTF-8: exit 1" 1 "$rc"
contains "a note that is not UTF-8: says so" "not valid UTF-8" "$err"
ok "refused notes leave the status file as it was" cmp -s before.json plan.status.json
ok "and the history" cmp -s before.jsonl plan.history.jsonl
head -c 65536 /dev/zero | tr '\0' 'b' >max
run "$PLANDASH" --note 1.1.1 - <max
is "a note of exactly 64 KiB is saved" "1.1.1: note saved" "$out"
run "$PLANDASH" --note 1.1 "x"
is "a note on a task: exit 1" 1 "$rc"
contains "a note on a task: notes are kept for items" "notes are kept for items" "$err"
run "$PLANDASH" --note 1.1.1
is "--note without a text: usage error" 2 "$rc"

# controls in a note: kept in the file, harmless on every output
esc=$(printf '\033')
run "$PLANDASH" --note 1.2.1 "$(printf 'a\033[2Jb\033]0;x\007c\342\200\256d')"
is "a note with controls is saved" 0 "$rc"
run "$PLANDASH" --history 1.2.1
lacks "--history: no escape character on the terminal" "$esc" "$out"
contains "--history: controls shown as pictures" "a␛[2Jb␛]0;x␇c" "$out"
run "$PLANDASH" --export csv
lacks "CSV: no escape character" "$esc" "$out"
run "$PLANDASH" --export json --with-history
lacks "JSON: no escape character" "$esc" "$out"
contains "JSON: controls escaped" 'a\u001b[2Jb\u001b]0;x\u0007c\u202ed' "$out"

# a torn last line (a writer killed while appending)
printf '{"at":"2026-12-02T10:00:00+08:00","by":"x","id":"1.1' >>plan.history.jsonl
n=$(wc -l <plan.history.jsonl)
run "$PLANDASH" --check
is "--check with a torn history line: exit 0" 0 "$rc"
contains "--check warns about the torn last line" \
    "plan.history.jsonl:$((n + 1)):1: warning: the last line is cut short" "$err"
run "$PLANDASH" --mark 1.3.1
is "a torn last line never blocks the next save" 0 "$rc"
tail -n 1 plan.history.jsonl >last
contains "the next line starts on a line of its own" '{"at":"' "$(head -c 7 last)"
run "$PLANDASH" --check
contains "--check: the torn line is now an ignored bad line" \
    "plan.history.jsonl:$((n + 1)):1: warning: not a change" "$err"

# -s elsewhere: the history goes beside it
run "$PLANDASH" -s other.json --mark 1.1.1
ok "-s other.json: history in other.history.jsonl" test -s other.history.jsonl
done_testing
