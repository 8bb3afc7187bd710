#!/bin/sh
# plandash --import: the seed notice gives the shipped plan; each fixture of
# tests/fixtures/import/ (NAME.txt or NAME.csv) gives NAME.expected.yaml byte
# for byte; encodings; the CSV round trip; -o and --force; warnings; bad
# input refused with exit 1 and no file left behind, never a hang.
. "$TOP/tests/lib.sh"
fx=$TOP/tests/fixtures/import
d=$(tmpdir)
cd "$d" || exit 1
o=$d/stdout e=$d/stderr
unset PLANDASH_TEST_SCRIPT

runf() { timeout 30 "$@" >"$o" 2>"$e"; rc=$?; }
same() {
    if cmp -s "$2" "$3"; then pass "$1"; else
        fail "$1" "differs from $(basename "$2"):"
        diff "$2" "$3" | head -20 | sed 's/^/#   /'
    fi
}

# --- the seed: 常开委办〔2019〕127号 gives the shipped plan.yaml ---
runf "$PLANDASH" --import "$TOP/tests/fixtures/seed/notice.txt"
is "seed: exit 0" 0 "$rc"
is "seed: no warning" "" "$(cat "$e")"
same "seed: the expected YAML" "$fx/seed-notice.expected.yaml" "$o"
cp "$o" seed.yaml
runf "$PLANDASH" -s none.json --check seed.yaml
is "seed: --check" "seed.yaml: 4 goals, 13 tasks, 26 items, 20 units; 0/26 done" "$(cat "$o")"
is "seed: --check warns about nothing" "" "$(cat "$e")"
# Every title, text, unit, *_more flag and id as in plan.yaml (the notice
# does not list the towns of 各镇（街道）, so groups may differ).
"$PLANDASH" -s none.json --export json seed.yaml | grep -v '"groups":' >seed.json
"$PLANDASH" -s none.json --export json "$TOP/plan.yaml" | grep -v '"groups":' >plan.json
same "seed: --export json equals plan.yaml's" plan.json seed.json
"$PLANDASH" -s none.json --export csv seed.yaml >seed.csv
"$PLANDASH" -s none.json --export csv "$TOP/plan.yaml" >plan.csv
same "seed: --export csv equals plan.yaml's" plan.csv seed.csv

# The same table as a Word table converted to text (a row a line, cells
# split by tabs, merged cells empty), as copied from a web page (merged
# cells absent: shorter rows), and as | rows: the same plan.
awk 'f == 0 && $0 == "\t目标" { f = 1; first = 1 }
     f == 0 { print; next }
     /^$/ { print row; row = ""; first = 1; next }
     { sub(/^\t/, ""); row = first ? $0 : row "\t" $0; first = 0 }
     END { if (!first) print row }' "$TOP/tests/fixtures/seed/notice.txt" >seed-tabs.txt
sed 's/^\t*//' seed-tabs.txt >seed-short.txt
sed '/^目标/,$ { s/\t/ | /g; s/^/| /; s/$/ |/; }' seed-tabs.txt >seed-pipe.txt
for v in tabs short pipe; do
    runf "$PLANDASH" --import seed-$v.txt
    is "seed as $v rows: exit 0, no warning" "0 " "$rc $(cat "$e")"
    cp "$o" seed-$v.yaml
    "$PLANDASH" -s none.json --export json seed-$v.yaml | grep -v '"groups":' >seed-$v.json
    same "seed as $v rows: --export json equals plan.yaml's" plan.json seed-$v.json
done

# --- fixtures: each gives its expected plan, exit 0 ---
for f in "$fx"/*.expected.yaml; do
    name=$(basename "$f" .expected.yaml)
    [ "$name" = seed-notice ] && continue
    src=$fx/$name.txt
    [ -f "$src" ] || src=$fx/$name.csv
    runf "$PLANDASH" --import "$src"
    is "$name: exit 0" 0 "$rc"
    same "$name: the expected YAML" "$f" "$o"
done

# --- every imported plan loads with no error and no warning ---
for f in "$fx"/*.expected.yaml; do
    name=$(basename "$f" .expected.yaml)
    [ "$name" = seed-notice ] && continue
    runf "$PLANDASH" -s none.json --check "$f"
    is "$name: --check exits 0" 0 "$rc"
    is "$name: --check warns about nothing" "" "$(cat "$e")"
done

# --- what the fixtures' warnings say ---
"$PLANDASH" --import "$fx/paragraphs.txt" 2>"$e" >/dev/null
contains "the inherited phrase, named, with its line" \
    "paragraphs.txt:16: warning: 「以下均需各街道办事处落实，不再逐…」 read as responsible: 各街道办事处 for the whole plan: check it" \
    "$(cat "$e")"
contains "a section without units left out" \
    "paragraphs.txt:30: warning: 「保障措施」: none of its paragraphs names a unit" "$(cat "$e")"
"$PLANDASH" --import "$fx/one-cell.txt" 2>"$e" >/dev/null
contains "a phrase in a table applies to its goal" \
    "one-cell.txt:16: warning: 「以下均需各镇（街道）落实，不再逐…」 read as responsible: 各镇（街道） for this goal: check it" \
    "$(cat "$e")"
printf '一、目标甲\n（一）任务甲\n1．第一项。（A局牵头）\n\n这一行不属于任何一段。\n2．第二项。（B局负责）\n' >stray.txt
runf "$PLANDASH" --import - <stray.txt
is "a stray line: still exit 0" 0 "$rc"
contains "a stray line: FILE:LINE: warning naming its first characters" \
    "(stdin):5: warning: 「这一行不属于任何一段。」 could not be placed (not numbered, not a row, not the continuation of the paragraph above): left out" \
    "$(cat "$e")"
contains "a stray line: the items around it kept" "text: 第二项。" "$(cat "$o")"

# --- shapes in small: role words, ASCII punctuation, brackets ---
printf '一、目标\n1. 甲项(市发改委牵头,市财政局、各县(市、区)配合)\n2. 乙项（A、B、C分别牵头落实）\n3. 丙项（市政府各有关部门，各县市区人民政府负责落实）\n4. 丁项（A牵头，B等配合）\n' >roles.txt
runf "$PLANDASH" --import roles.txt
is "role words: exit 0" 0 "$rc"
contains "牵头 with ASCII punctuation" "lead: [市发改委]" "$(cat "$o")"
contains "配合, brackets never split" "support: [市财政局, 各县（市、区）]" "$(cat "$o")"
contains "分别牵头落实" "lead: [A, B, C]
        each: true" "$(cat "$o")"
contains "负责落实 over two units" "responsible: [市政府各有关部门, 各县市区人民政府]" "$(cat "$o")"
contains "B等配合" "support: [B]
        support_more: true" "$(cat "$o")"

printf '1. 决策公开\n1.1 预公开\n1.1.1 重大决策出台前公开征求意见（市司法局牵头）\n1.2 执行公开\n1.2.1 公开进展（市发改委负责）\n' >outline.txt
runf "$PLANDASH" --import outline.txt
contains "outline numbers 1. 1.1 1.1.1: goal, task, item" '  - id: "1"
    title: 决策公开
    tasks:
      - id: "1.1"
        title: 预公开
        items:
          - id: "1.1.1"
            text: 重大决策出台前公开征求意见
            lead: [市司法局]' "$(cat "$o")"
printf '各县（市、区）均需负责落实，不再逐一列出。\n一、甲\n1. 乙（A局牵头）\n2. 丙。\n' >before.txt
runf "$PLANDASH" --import before.txt
contains "a phrase naming its units before 均需" "responsible: [各县（市、区）]" "$(cat "$o")"
printf '一、甲\n1. 乙。\n2. 丙（A局牵头）\n' >unowned.txt
runf "$PLANDASH" --import unowned.txt
contains "an item no unit owes: warned" "unowned.txt:2: warning: 「乙。」 names no unit: add lead: or responsible: by hand" "$(cat "$e")"
lacks "an item a unit owes: not warned" "「丙" "$(cat "$e")"

# a table copied across pages: the header again, a goal cell repeated
{ sed -n '1,8p' "$fx/table-tabs.txt"; sed -n '9,11p' "$fx/table-tabs.txt"
  sed -n '8p' "$fx/table-tabs.txt"; sed -n '12,$p' "$fx/table-tabs.txt"; } >pages.txt
runf "$PLANDASH" --import pages.txt
same "a header repeated at a page break is skipped" "$fx/table-tabs.expected.yaml" "$o"

# cells with line breaks, quoted as Excel copies them (tabs) or saves them (CSV)
printf '目标\t主要内容\t牵头单位\t责任单位\n一、甲\t"第一段。\n第二段，含""引号""。"\tA局\tB局\n\t丙项。\tC局\tD局\n' >excel.txt
runf "$PLANDASH" --import excel.txt
contains "Excel's quoted cell over two lines" '      - id: "1.1"
        text: 第一段。第二段，含"引号"。
        lead: [A局]
        responsible: [B局]
      - id: "1.2"
        text: 丙项。' "$(cat "$o")"
printf '目标,主要内容,牵头单位\n甲,"第一段。\n第二段。",A局\n甲,"含""引号""。",B局\n' >excel.csv
runf "$PLANDASH" --import excel.csv
contains "a CSV cell over two lines" "text: 第一段。第二段。" "$(cat "$o")"
contains "a CSV cell with doubled quotes" 'text: 含"引号"。' "$(cat "$o")"

printf '一、甲\n1. 乙项。【责任单位：市政府办公室；完成时限：2020年底前】\n2. 丙项。\n【市发改委牵头】\n' >square.txt
runf "$PLANDASH" --import square.txt
contains "roles in 【】, on the item's line and on a line of their own" '      - id: "1.1"
        text: 乙项。
        responsible: [市政府办公室]
        due: 2020年底前
      - id: "1.2"
        text: 丙项。
        lead: [市发改委]' "$(cat "$o")"

# --- encodings: the GBK fixture as UTF-16 (BOM or not), UTF-8 with a BOM and CRLF ---
iconv -f GBK -t UTF-8 "$fx/gbk.txt" >gbk-utf8.txt
iconv -f GBK -t UTF-16LE "$fx/gbk.txt" >u16le.txt
iconv -f GBK -t UTF-16BE "$fx/gbk.txt" >u16be.txt
{ printf '\377\376'; cat u16le.txt; } >u16le-bom.txt
{ printf '\376\377'; cat u16be.txt; } >u16be-bom.txt
{ printf '\357\273\277'; sed 's/$/\r/' gbk-utf8.txt; } >bom-crlf.txt
for f in gbk-utf8 u16le u16be u16le-bom u16be-bom bom-crlf; do
    runf "$PLANDASH" --import $f.txt
    is "$f: exit 0" 0 "$rc"
    sed "s|^$f.txt:|gbk.txt:|" "$e" >e2
    same "$f: the same plan as the GBK file" "$fx/gbk.expected.yaml" "$o"
done
printf '\377\376a\000\000\330' >bad16.txt
runf "$PLANDASH" --import bad16.txt
is "broken UTF-16: exit 1" 1 "$rc"
contains "broken UTF-16: said so" "bad16.txt: error: not valid UTF-16LE text" "$(cat "$e")"

# --- the CSV round trip ---
for p in "$TOP/plan.yaml" "$TOP/tests/fixtures/cli/small.yaml"; do
    n=$(basename "$p" .yaml)
    "$PLANDASH" -s none.json --export csv "$p" >$n.csv
    "$PLANDASH" --import - <$n.csv >$n.rt.yaml 2>$n.err
    is "$n: --export csv | --import - exits 0" 0 "$?"
    "$PLANDASH" -s none.json --export csv $n.rt.yaml >$n.rt.csv 2>&1
    same "$n: the CSV round-trips" $n.csv $n.rt.csv
done
contains "the CSV's missing title said" \
    '(stdin): warning: a CSV holds no plan title: wrote "title: 导入的计划"; edit it' "$(cat plan.err)"
# a BOM, columns in another order, an extra column
{ printf '\357\273\277'; printf 'text,备注,id,responsible,goal,task,lead\n'
  printf '"甲,乙",x,G.1.1,"丙、丁等",目标,任务,戊\n'; } >reordered.csv
runf "$PLANDASH" --import reordered.csv
is "CSV in another order: exit 0" 0 "$rc"
contains "CSV in another order: read by name" '  - id: "G"
    title: 目标
    tasks:
      - id: "G.1"
        title: 任务
        items:
          - id: "G.1.1"
            text: 甲,乙
            lead: [戊]
            responsible: [丙, 丁]
            responsible_more: true' "$(cat "$o")"

# --- the CSV of today's and tomorrow's --export csv: support and due read by
# name; done, done_at, note, due_state ignored with one warning naming the
# ids marked done ---
runf "$PLANDASH" --import "$fx/spreadsheet-status.csv"
is "CSV with status columns: the done ids named in one warning" \
    "spreadsheet-status.csv: warning: 3 items are marked done in the CSV (1.1.1, 1.2.1, 2.1.1): the status is not imported; mark them with --mark ID
spreadsheet-status.csv: warning: a CSV holds no plan title: wrote \"title: spreadsheet-status\"; edit it" \
    "$(sed "s|^$fx/||" "$e")"
{ printf 'id,goal,task,text,lead,responsible,done,done_at,support,note,due,due_state\n'
  for i in 1 2 3 4 5 6 7; do printf '1.1.%s,甲,乙,第%s项。,A局,,true,2023-01-0%s,,,,done\n' $i $i $i; done
} >done7.csv
runf "$PLANDASH" --import done7.csv
contains "CSV: more than five done ids: the first five, then …" \
    "done7.csv: warning: 7 items are marked done in the CSV (1.1.1, 1.1.2, 1.1.3, 1.1.4, 1.1.5, …): the status is not imported" "$(cat "$e")"
is "CSV: the done warning given once" 1 "$(grep -c 'marked done' "$e")"

# --- roles on lines of their own, labels in mid-line, parentheses broken
# over lines (issue 12 review: p4, para2, p5): no warning, nothing glued ---
for n in role-lines paren-break roles-above-items each-words; do
    runf "$PLANDASH" --import "$fx/$n.txt"
    is "$n: no warning" "" "$(cat "$e")"
    is "$n: no role label or colon left in a unit" "" "$(grep -E '^ *(lead|responsible|support): ' "$o" | grep -E '单位|：|（[^）]*$')"
done
printf '甲县要点\n一、公开\n1.完善机制。\n牵头单位：县政府办\n责任单位：各乡镇\n' >p4.txt
runf "$PLANDASH" --import p4.txt
is "a role line after an item is not a table header: exit 0" 0 "$rc"
contains "a role line after an item: its units on the item" "        text: 完善机制。
        lead: [县政府办]
        responsible: [各乡镇]" "$(cat "$o")"
for sep in '  ' '　' '\t' '。' '，'; do
    printf "甲县要点\n一、公开\n1.完善机制。\n牵头单位：县政府办${sep}责任单位：各乡镇\n2.做好。（县政府办负责）\n" >sep.txt
    runf "$PLANDASH" --import sep.txt
    contains "two labels on a line split at the second (after '$sep')" "        lead: [县政府办]
        responsible: [各乡镇]" "$(cat "$o")"
done
# 分别 is about lead units: 分别负责 / 按职责分工负责 keep them responsible
runf "$PLANDASH" --import "$fx/each-words.txt"
contains "按职责分工负责: responsible, no each" "        text: 规范政务新媒体。
        responsible: [市委网信办, 市政府办公室]
      - id" "$(cat "$o")"
contains "分别负责: responsible, no each" "        text: 整合政府网站。
        responsible: [市大数据局, 市政府办公室]
      - id" "$(cat "$o")"
contains "分别牵头落实: lead, each" "        lead: [市政府办公室, 市民政局]
        each: true" "$(cat "$o")"
# a unit name that still holds a label, a colon or a bracket left open: warned
printf '甲县要点\n一、公开\n1.完善机制。（牵头单位：县政府办：综合科）\n2.做好。（责任单位：县财政局（预算科）\n' >doubt.txt
runf "$PLANDASH" --import doubt.txt
contains "a colon left in a unit: warned with its line" \
    "doubt.txt:3: warning: the lead unit 「县政府办：综合科」 of an item holds a colon: written as it is; check it against the notice" "$(cat "$e")"
printf 'id,goal,text,lead\n1.1,甲,第一项。,"牵头单位：A局（综合科"\n' >doubt.csv
runf "$PLANDASH" --import doubt.csv
contains "a label left in a CSV unit: warned" \
    "doubt.csv:2: warning: the lead unit 「牵头单位：A局（综合科」 of an item holds a role label" "$(cat "$e")"
printf 'id,goal,text,lead\n1.1,甲,第一项。,A局（综合科\n' >open.csv
runf "$PLANDASH" --import open.csv
contains "an unbalanced bracket in a unit: warned" \
    "open.csv:2: warning: the lead unit 「A局（综合科」 of an item has an unbalanced bracket" "$(cat "$e")"
# headings rank as GB/T 9704 orders them (一、 （一） 1. （1）), not as they
# first appear: a goal with its items directly, the next with tasks
printf '甲县要点\n一、公开\n1.完善机制。（牵头单位：县政府办）\n二、平台\n（一）办好网站\n责任单位：各乡镇\n2.完善栏目。（牵头单位：县大数据中心）\n' >deep.txt
runf "$PLANDASH" --import deep.txt
contains "（一） after 1.: still a task, with its units" '      - id: "2.1"
        title: 办好网站
        responsible: [各乡镇]
        items:
          - id: "2.1.1"
            text: 完善栏目。' "$(cat "$o")"
contains "（一） after 1.: the goal without tasks said" \
    "deep.txt:3: warning: an item before any task of its goal: put under a task named after the goal" "$(cat "$e")"
# a paragraph deeper than the items with no item above it: said, not dropped
printf '甲县要点\n一、公开\n（1）先做调研\n1.完善机制。（牵头单位：县政府办）\n2.完善栏目。（牵头单位：县大数据中心）\n' >deep2.txt
runf "$PLANDASH" --import deep2.txt
contains "a sub-item before any item is warned about" "deep2.txt:3: warning: 「（1）先做调研」 could not be placed" "$(cat "$e")"

# --- -o and --force ---
runf "$PLANDASH" --import "$fx/table-tabs.txt" -o out.yaml
is "-o: exit 0" 0 "$rc"
is "-o: nothing on stdout" "" "$(cat "$o")"
same "-o: the plan in the file" "$fx/table-tabs.expected.yaml" out.yaml
runf "$PLANDASH" --import "$fx/gbk.txt" -o out.yaml
is "-o refuses to overwrite: exit 1" 1 "$rc"
is "-o refuses to overwrite: says how" \
    "out.yaml: error: the file exists: give --force to overwrite it, or another -o" "$(cat "$e")"
same "-o refuses to overwrite: file unchanged" "$fx/table-tabs.expected.yaml" out.yaml
runf "$PLANDASH" --import "$fx/gbk.txt" -o out.yaml --force
is "--force: exit 0" 0 "$rc"
same "--force: overwritten" "$fx/gbk.expected.yaml" out.yaml
runf "$PLANDASH" --import "$fx/gbk.txt" -o nodir/out.yaml
is "-o into a missing folder: exit 1" 1 "$rc"
contains "-o into a missing folder: said" "nodir/out.yaml: error: cannot create" "$(cat "$e")"
runf "$PLANDASH" -o x.yaml
is "-o without --import: usage error" 2 "$rc"
runf "$PLANDASH" --import "$fx/gbk.txt" plan.yaml
is "--import with a PLAN argument: usage error" 2 "$rc"
runf "$PLANDASH" --import missing.txt
is "a missing file: exit 1" 1 "$rc"
contains "a missing file: said" "missing.txt: error: cannot open it" "$(cat "$e")"

# --- bad input: exit 1, a clear message, no output file, nothing left over ---
bad() {   # NAME FILE WANT
    mkdir -p bad && rm -f bad/*
    runf "$PLANDASH" --import "$2" -o bad/plan.yaml
    is "$1: exit 1" 1 "$rc"
    contains "$1: says what" "$3" "$(cat "$e")"
    is "$1: no file left behind" "" "$(ls -A bad)"
}
: >empty.txt
bad "empty file" empty.txt "empty.txt: error: the file is empty"
printf '\n  \n\t\n' >blank.txt
bad "blank lines only" blank.txt "blank.txt: error: the file holds only blank lines"
printf '\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000>\000\001\000\000\000' >binary.bin
bad "binary" binary.bin "binary.bin: error: not a text file"
printf 'abc\001\002def\n' >ctrl.txt
bad "control bytes" ctrl.txt "ctrl.txt: error: not a text file (it holds control bytes)"
printf 'abc\200\377def\n' >latin.txt
bad "neither UTF-8 nor GB18030" latin.txt "latin.txt: error: not a text file in UTF-8, GB18030/GBK or UTF-16"
bad "prose without numbering" "$fx/prose.txt" \
    "prose.txt: error: found no table header and no numbered paragraphs: nothing to import; --import understands a table copied as text"
bad "a header naming no known column" "$fx/unknown-header.txt" \
    "unknown-header.txt:1: error: this looks like a table, but no row names its columns: its first row 「名称 说明 备注」 names none of 目标"
bad "a table without a header row" "$fx/headerless.txt" \
    "headerless.txt:1: error: this looks like a table, but no row names its columns"
bad "a CSV without id" "$fx/csv-no-id.csv" \
    'csv-no-id.csv:1: error: the CSV header has no "id" column (it has: goal, task, text, lead, responsible)'
bad "a CSV without text" "$fx/csv-no-text.csv" \
    'csv-no-text.csv:1: error: the CSV header has no "text" column'
printf '牵头单位\t责任单位\n市财政局\t各县市区\n' >notext.txt
bad "a header without a text column" notext.txt \
    "notext.txt:1: error: the table's header 「牵头单位 责任单位」 names no column for the items' text"
# 50 MB: refused by its size, memory bounded, from a file and from a pipe
awk 'BEGIN { s = "1．重点工作推进落实（市政府办公室牵头，各县市区负责）"; for (i = 0; i < 7; i++) s = s s; for (i = 0; i < 8200; i++) print s }' >big.txt
ok "the big file is 50 MB or more" test "$(wc -c <big.txt)" -ge 52428800
bad "a 50 MB file" big.txt "big.txt: error: more than 16 MB: too big"
mkdir -p bad && rm -f bad/*
timeout 30 "$PLANDASH" --import - -o bad/plan.yaml <big.txt >"$o" 2>"$e"
is "a 50 MB pipe: exit 1" 1 "$?"
contains "a 50 MB pipe: says what" "(stdin): error: more than 16 MB" "$(cat "$e")"
is "a 50 MB pipe: no file left behind" "" "$(ls -A bad)"
# hostile shapes: long, deep, wide; each finishes (timeout) without a crash
head -n 1400 big.txt >nine.txt
runf "$PLANDASH" --import nine.txt
ok "9 MB of numbered items: done in time, exit 0" test "$rc" -eq 0
awk 'BEGIN { printf "一、目标\n1. 内容（"; for (i = 0; i < 100000; i++) printf "单位%d、", i; print "牵头）" }' >wide.txt
runf "$PLANDASH" --import wide.txt
ok "a cell of 100000 units: done in time, exit 0" test "$rc" -eq 0
awk 'BEGIN { for (i = 0; i < 200000; i++) print "一、" i; print "1. 内容（A局牵头）" }' >goals.txt
runf "$PLANDASH" --import goals.txt
ok "200000 empty goals: done in time, exit 0" test "$rc" -eq 0
contains "200000 empty goals: warnings capped" "more warnings not shown" "$(cat "$e")"
done_testing
