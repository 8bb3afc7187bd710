#!/bin/sh
# --unit QUERY with --export and --report on the shipped plan: exact item ids.
. "$TOP/tests/lib.sh"
d=$(tmpdir)
cp "$TOP/plan.yaml" "$d/plan.yaml"
cd "$d" || exit 1

ids() { "$PLANDASH" --unit "$1" --export csv | tail -n +2 | cut -d, -f1 | tr '\n' ' '; }

is "sfj (initials) finds exactly the items 区司法局 leads" \
   "1.3.1 1.3.2 1.4.2 3.1.2 " "$(ids sfj)"
is "sifa (pinyin) finds the same" "1.3.1 1.3.2 1.4.2 3.1.2 " "$(ids sifa)"
is "upper-case SIFA finds the same" "1.3.1 1.3.2 1.4.2 3.1.2 " "$(ids SIFA)"
is "qusifaju (full pinyin) finds the same" "1.3.1 1.3.2 1.4.2 3.1.2 " "$(ids qusifaju)"
is "a Chinese substring 司法 finds the same" "1.3.1 1.3.2 1.4.2 3.1.2 " "$(ids 司法)"
# Each of these items is the last of its task for 1.3.2 and 1.4.2: a unit
# list must survive the task that follows it (a bug once lost them).
is "区党政办 finds the 13 items it leads" \
   "1.1.1 1.1.2 1.2.1 1.2.2 1.2.3 2.4.1 3.1.1 3.1.3 3.2.1 4.1.1 4.2.1 4.2.2 4.3.1 " \
   "$(ids 区党政办)"
is "财政 finds 区财政局's two items" "2.2.2 2.3.1 " "$(ids 财政)"
is "chunjiang finds 春江镇's items and, through 各镇（街道）, the towns' shared items" \
   "1.1.1 1.1.2 1.2.1 1.2.2 1.2.3 1.3.1 1.3.2 1.4.2 2.1.1 2.1.2 2.2.1 2.2.2 2.2.3 2.3.1 2.3.2 2.4.1 2.4.2 3.1.2 3.1.3 3.2.1 4.1.1 4.2.1 4.2.2 4.3.1 " \
   "$(ids chunjiang)"
# A query matching no unit is an error (a typo in a script must not pass
# as an empty report), with the units a shorter start of it matches.
run "$PLANDASH" --unit zzzzqqq --export csv
is "a query matching no unit: exit 1, nothing on stdout" "1 " "$rc $out"
is "a query matching no unit: said on stderr" 'plandash: error: no unit matches "zzzzqqq"' "$err"
run "$PLANDASH" --unit sfjj --report
is "a typo: exit 1" 1 "$rc"
is "a typo: the likely unit as a hint" 'plandash: error: no unit matches "sfjj"; did you mean 区司法局' "$err"
run "$PLANDASH" --unit 司法所 --export json
is "a Chinese typo: the hint by its shorter start" 'plandash: error: no unit matches "司法所"; did you mean 区司法局' "$err"

run "$PLANDASH" --unit sfj --export json
is "--unit --export json exits 0" 0 "$rc"
contains "the JSON export counts only the matching items" '"done": 0, "total": 4' "$out"
lacks "the JSON export leaves out other items" '"1.1.1"' "$out"

run "$PLANDASH" --unit chunjiang --report
is "--unit --report exits 0" 0 "$rc"
contains "the report names the matched unit" "matches 春江镇" "$out"
contains "the report counts by role" "Items: 0 as lead, 2 as responsible, 22 through a group" "$out"
contains "items found through the group are marked" "(through a group)" "$out"

run "$PLANDASH" --unit sfj
is "--unit alone is a usage error" 2 "$rc"
done_testing
