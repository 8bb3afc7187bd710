#!/bin/sh
# Plan shapes of published plans (issue 11): 配合单位 (support:) and units
# set on the plan, a goal or a task; each: true (分别牵头); goals holding
# their items (two levels); numbering: goal | plan.  --check, --report,
# --report --unit and every export against expected files.
. "$TOP/tests/lib.sh"
fx=$TOP/tests/fixtures/shapes
d=$(tmpdir)
cp "$TOP/plan.yaml" "$fx"/*.yaml "$d/"
cd "$d" || exit 1
o=$d/stdout e=$d/stderr

runf() { "$@" >"$o" 2>"$e"; rc=$?; }
same() {
    if cmp -s "$2" "$3"; then pass "$1"; else
        fail "$1" "differs from $(basename "$2"):"
        diff "$2" "$3" | head -20 | sed 's/^/#   /'
    fi
}

for f in support two_level goal_numbering plan_numbering; do
    runf "$PLANDASH" --check $f.yaml
    is "--check $f: exit 0, nothing on stderr" "0:" "$rc:$(cat "$e")"
    runf "$PLANDASH" --report $f.yaml
    same "--report $f.yaml" "$fx/$f.expected.report" "$o"
    for fmt in json csv md; do
        runf "$PLANDASH" --export $fmt $f.yaml
        same "--export $fmt $f.yaml" "$fx/$f.expected.$fmt" "$o"
    done
done

runf "$PLANDASH" --check two_level.yaml
is "--check: a goal's own items make no task" \
    "two_level.yaml: 2 goals, 1 task, 4 items, 5 units; 0/4 done" "$(cat "$o")"
runf "$PLANDASH" --check support.yaml
is "--check: units set above count once" \
    "support.yaml: 1 goal, 2 tasks, 3 items, 6 units; 0/3 done" "$(cat "$o")"

# --- 配合单位 and inheritance ---
runf "$PLANDASH" --export json support.yaml
contains "json: an item's own support, then its goal's" \
    '"support": ["市信访局", "市司法局"], "support_more": false, "each": false' "$(cat "$o")"
contains "json: the plan's responsible unit on every item; each: true" \
    '"responsible": ["各镇（街道）"], "responsible_more": false,
       "support": ["市司法局"], "support_more": false, "each": true' "$(cat "$o")"
contains "json: the task's lead after the item's own" '"lead": ["市政府办", "市发改委"]' "$(cat "$o")"
runf "$PLANDASH" --export csv support.yaml
is "csv: support appended after done_at (then due and note)" \
    "id,goal,task,text,lead,responsible,done,done_at,support,due,due_date,due_state,note" \
    "$(head -n 1 "$o" | tr -d '\r')"
runf "$PLANDASH" --export md support.yaml
contains "md: a 配合单位 column and （分别牵头）" \
    "| [ ] | 1.2.1 | 政策解读与文件同步 | 市委宣传部、市政府办、市发改委（分别牵头） | 各镇（街道） | 市司法局 |  |" \
    "$(cat "$o")"
runf "$PLANDASH" --report support.yaml
contains "report: a 配合 column" "单位 Unit     牵头 Lead     责任 Responsible  配合 Support" "$(cat "$o")"
contains "report: support counted" "市司法局      -             -                 0/3" "$(cat "$o")"
runf "$PLANDASH" --report --unit sfj support.yaml
contains "--unit finds support units" "Items: 0 as lead, 0 as responsible, 3 as support, 0 through a group" \
    "$(cat "$o")"
runf "$PLANDASH" --report --unit 春江镇 support.yaml
same "--report --unit 春江镇 support.yaml" "$fx/support.unit.expected.report" "$o"
runf "$PLANDASH" --report plan.yaml
lacks "the shipped plan: no 配合 column" "配合" "$(cat "$o")"

# --- (through a group) keeps the report's width ---
runf "$PLANDASH" --report --unit 春江镇 plan.yaml
contains "--unit: items through a group are marked" "(through a group)" "$(cat "$o")"
is "--unit: no line wider than the report's 78 columns" "78" "$(wc -L <"$o" | tr -d ' ')"

# --- two levels ---
runf "$PLANDASH" --export csv two_level.yaml
contains "csv: a goal's own item has no task" "1.2,深化重点领域信息公开,,做好重大建设项目公开," "$(cat "$o")"
runf "$PLANDASH" --export json two_level.yaml
contains "json: a goal's own items, no task" '"total": 3,
   "items": [' "$(cat "$o")"

# --- numbering ---
runf "$PLANDASH" --report goal_numbering.yaml
contains "report: numbering goal runs on" "    [ ] 3. 事项丙" "$(cat "$o")"
runf "$PLANDASH" --report plan_numbering.yaml
contains "report: numbering plan runs through" "    [ ] 5. 事项戊" "$(cat "$o")"

# --- errors ---
printf 'title: t\ngoals:\n  - title: g\n    tasks:\n      - title: k\n        items:\n          - text: a\n    items:\n      - text: b\n' >both.yaml
runf "$PLANDASH" --check both.yaml
is "a goal with tasks and items: an error with its place" \
    "1:both.yaml:8:5: error: a goal holds either tasks or items, not both: move these items into a task (line 4 has the goal's tasks)" \
    "$rc:$(cat "$e")"
printf 'title: t\nnumbering: [goal]\ngoals:\n  - title: g\n    items:\n      - text: a\n' >num.yaml
runf "$PLANDASH" --check num.yaml
is "numbering: not task, goal or plan" "1:num.yaml:2:12: error: numbering must be task, goal or plan" \
    "$rc:$(cat "$e")"

done_testing
