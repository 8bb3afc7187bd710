#!/bin/sh
# 完成时限 and due states: due words at every level (the nearest wins),
# --check's warning with its position, the states as of PLANDASH_TODAY in
# --report (逾期事项, the unit table's overdue column) and every export.
. "$TOP/tests/lib.sh"
fx=$TOP/tests/fixtures/due
d=$(tmpdir)
cp "$fx"/due.yaml "$fx"/due.status.json "$d/"
cd "$d" || exit 1
o=$d/stdout e=$d/stderr
runf() { "$@" >"$o" 2>"$e"; rc=$?; }
same() {
    if cmp -s "$2" "$3"; then pass "$1"; else
        fail "$1" "differs from $(basename "$2"):"
        diff "$2" "$3" | head -20 | sed 's/^/#   /'
    fi
}
warn='due.yaml:39:18: warning: due "尽快" is neither a date (such as 2019年9月底前, 10月15日前, 2019-10-31) nor ongoing (持续推进, 长期坚持, 每季度): it has no due date'

export PLANDASH_TODAY=2019-10-10
runf "$PLANDASH" --check due.yaml
is "--check: exit 0 with a warning" 0 "$rc"
is "--check warns about unreadable due words, with the position" "$warn" "$(cat "$e")"
runf "$PLANDASH" --report due.yaml
same "--report: 逾期事项, overdue column, as of" "$fx/due.expected.report" "$o"
for fmt in json csv md; do
    runf "$PLANDASH" --export $fmt due.yaml
    is "--export $fmt: exit 0" 0 "$rc"
    same "--export $fmt: due, due_date, due_state" "$fx/due.expected.$fmt" "$o"
done

# The states move with the date
PLANDASH_TODAY=2019-06-01 runf "$PLANDASH" --export csv due.yaml
contains "before every date: 6月底前 is open" "公开决算,区财政局,,false,,,6月底前,2019-06-30,open" "$(cat "$o")"
PLANDASH_TODAY=2019-06-16 runf "$PLANDASH" --export csv due.yaml
contains "14 days before: due soon" "6月底前,2019-06-30,due_soon" "$(cat "$o")"
PLANDASH_TODAY=2019-06-30 runf "$PLANDASH" --export csv due.yaml
contains "on the day: due soon" "6月底前,2019-06-30,due_soon" "$(cat "$o")"
PLANDASH_TODAY=2019-07-01 runf "$PLANDASH" --export csv due.yaml
contains "the day after: overdue" "6月底前,2019-06-30,overdue" "$(cat "$o")"
PLANDASH_TODAY=2019-07-01 runf "$PLANDASH" --report due.yaml
contains "the report is as of PLANDASH_TODAY" "As of 截至: 2019-07-01" "$(cat "$o")"
contains "the progress line counts them" "; 1 overdue, 0 due soon" "$(cat "$o")"

# --unit narrows 逾期事项 too
runf "$PLANDASH" --report --unit 区司法局 due.yaml
contains "--unit: no overdue item of 区司法局" "逾期事项 Overdue: 0" "$(cat "$o")"
runf "$PLANDASH" --report --unit czj due.yaml
contains "--unit czj: its two overdue items" "逾期事项 Overdue: 2" "$(cat "$o")"

# A bad PLANDASH_TODAY is a usage error
PLANDASH_TODAY=2019-02-30 runf "$PLANDASH" --report due.yaml
is "PLANDASH_TODAY not a date: exit 2" 2 "$rc"
contains "and says what it wants" "PLANDASH_TODAY must be a date as YYYY-MM-DD, not '2019-02-30'" "$(cat "$e")"

# Without PLANDASH_TODAY: the local date
unset PLANDASH_TODAY
runf "$PLANDASH" --report due.yaml
contains "without PLANDASH_TODAY: as of today" "As of 截至: $(date +%Y-%m-%d)" "$(cat "$o")"

# Without a year anywhere: a warning, and the item is ongoing
cat >noyear.yaml <<'EOY'
title: 无年份
goals:
  - title: 目标
    tasks:
      - title: 任务
        items:
          - text: 事项
            due: 9月底前
EOY
runf "$PLANDASH" --export csv noyear.yaml
contains "a month without a year or date: warned" 'noyear.yaml:8:18: warning: due "9月底前" has no year and the plan has no date' "$(cat "$e")"
contains "and it has no date" ",9月底前,,ongoing" "$(cat "$o")"

# The shipped plan has no due words: its report gains only the date
ok "the shipped plan.yaml has no due" sh -c "! grep -q 'due:' '$TOP/plan.yaml'"
# the overdue list names every role, and 分别牵头, on a line of its own
cp "$fx/support_each.yaml" "$d/"
runf "$PLANDASH" --report support_each.yaml
contains "逾期事项: support units labelled 配合, each after the leads" \
    "    牵头 区财政局、区审计局（分别牵头）  配合 区司法局" "$(cat "$o")"
done_testing
