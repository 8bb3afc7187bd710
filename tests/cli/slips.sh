#!/bin/sh
# Typing slips (issue 11): each fixture in tests/fixtures/slips/ loads with
# exactly the messages in its .err file, and fails (exit 1) when they hold
# an error.  Then the unit cells a typist writes, split as they are meant.
. "$TOP/tests/lib.sh"
cd "$TOP/tests/fixtures/slips" || exit 1

for f in *.yaml; do
    name=${f%.yaml}
    run "$PLANDASH" --check "$f"
    is "$name: the messages" "$(cat "$name.err")" "$err"
    if grep -q ': error: ' "$name.err"; then
        is "$name: exit 1" 1 "$rc"
        is "$name: no summary" "" "$out"
    else
        is "$name: exit 0" 0 "$rc"
    fi
done

# A U+3000 indent no longer loses the item's units in silence; fixed, it loads.
d=$(tmpdir)
sed 's/^　　　　lead/      lead/' fullwidth_indent.yaml >"$d/fixed.yaml"
run "$PLANDASH" --check "$d/fixed.yaml"
is "fullwidth_indent fixed: 1 unit, in the singular" \
   "$d/fixed.yaml: 1 goal, 1 task, 1 item, 1 unit; 0/1 done" "$out"
iconv -f GB18030 -t UTF-8 gbk.yaml >"$d/gbk.yaml"
run "$PLANDASH" --check "$d/gbk.yaml"
is "gbk converted as the message says: loads" 0 "$rc"

# Unit cells: brackets keep a name whole, 。 and wrapping brackets go, a
# list entry with 、 is split.
run "$PLANDASH" --check unit_cells.yaml
is "unit_cells: 4 units" "unit_cells.yaml: 1 goal, 1 task, 1 item, 4 units; 0/1 done" "$out"
run "$PLANDASH" --export json unit_cells.yaml
contains "unit_cells: a list entry with 、 is two units, 。 dropped" \
    '"lead": ["区党政办", "区审计局"]' "$out"
contains "unit_cells: wrapping 【】 dropped, （市、区） kept whole" \
    '"responsible": ["各县（市、区）政府", "各镇（街道）"]' "$out"
run "$PLANDASH" --unit gxsqzf --export csv unit_cells.yaml
is "gxsqzf finds 各县（市、区）政府" "1.1.1" "$(printf '%s\n' "$out" | tail -n +2 | cut -d, -f1)"
done_testing
