# The shipped plan.yaml is the seed notice's table, word for word: its shape
# (4 goals, 13 tasks, 26 items), its titles without numbering, every item text
# byte-exact against the notice (tests/fixtures/seed/notice.txt, a copy of
# 常开委办〔2019〕127号), and the unit cells as the notice prints them.
. "$TOP/tests/lib.sh"
notice=$TOP/tests/fixtures/seed/notice.txt

# --check in the plan's folder, on a copy so that no status file interferes.
d=$(tmpdir)
cp "$TOP/plan.yaml" "$d/plan.yaml"
run sh -c 'cd "$1" && "$2" --check' sh "$d" "$PLANDASH"
is "--check exits 0" 0 "$rc"
is "--check summary" "plan.yaml: 4 goals, 13 tasks, 26 items, 20 units; 0/26 done" "$out"
is "--check warns about nothing" "" "$err"
ok "--check creates no status file" test ! -e "$d/plan.status.json"

run "$PLANDASH" -s "$d/none.status.json" --export json "$d/plan.yaml"
is "--export json exits 0" 0 "$rc"
json=$out
# No string in this plan holds ASCII white space, so deleting it all leaves
# compact JSON; one line per object (the part before its first nested
# object), each ending in "," so that a key can be matched with its value.
flat=$(printf '%s' "$json" | tr -d ' \t\r\n')
objs=$(printf '%s\n' "$flat" | tr '{' '\n' | sed 's/}.*//; s/$/,/')
item() { printf '%s\n' "$objs" | grep -F "\"id\":\"$1\","; }
# The value of KEY (a string) in each of the lines on stdin.
vals() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

contains "title" '"title":"常州市新北区2019年政务公开工作要点实施方案"' "$flat"
contains "issuer" '"issuer":"常州国家高新区（新北区）党政办公室"' "$flat"
contains "document" '"document":"常开委办〔2019〕127号"' "$flat"
contains "date" '"date":"2019-07-26"' "$flat"
contains "nothing done" '"done":0,"total":26' "$flat"

goals=$(printf '%s\n' "$objs" | grep -F '"tasks":[')
tasks=$(printf '%s\n' "$objs" | grep -F '"items":[')
items=$(printf '%s\n' "$objs" | grep -F '"text":')
is "4 goals" 4 "$(printf '%s\n' "$goals" | grep -c .)"
is "13 tasks" 13 "$(printf '%s\n' "$tasks" | grep -c .)"
is "26 items" 26 "$(printf '%s\n' "$items" | grep -c .)"
is "items per goal" "9 9 4 4" "$(printf '%s\n' "$goals" |
    sed -n 's/.*"total":\([0-9]*\),.*/\1/p' | tr '\n' ' ' | sed 's/ $//')"

is "goal ids and titles, without numbering" "1 推进政务公开透明运行
2 提升政策发布解读回应质效
3 加强政务公开平台建设
4 完善政务公开制度规范" "$(printf '%s\n' "$goals" |
    sed 's/.*"id":"\([^"]*\)".*"title":"\([^"]*\)".*/\1 \2/')"
is "task ids and titles, without numbering" "1.1 推进重要决策公开
1.2 推进重要部署执行公开
1.3 推进行政执法信息公开
1.4 推进办事服务信息公开
2.1 推动建设公开透明营商环境
2.2 深化拓展重点领域信息公开
2.3 加大政策宣传解读回应力度
2.4 扩大政务开放和公众参与渠道
3.1 提升政务网站服务管理水平
3.2 推进政务新媒体健康有序发展
4.1 强化组织领导和监督保障
4.2 贯彻落实好新修订的《政府信息公开条例》
4.3 扎实做好机构改革后政务公开基础工作" "$(printf '%s\n' "$tasks" |
    sed 's/.*"id":"\([^"]*\)".*"title":"\([^"]*\)".*/\1 \2/')"
is "item ids" "1.1.1 1.1.2 1.2.1 1.2.2 1.2.3 1.3.1 1.3.2 1.4.1 1.4.2 2.1.1 2.1.2 \
2.2.1 2.2.2 2.2.3 2.3.1 2.3.2 2.4.1 2.4.2 3.1.1 3.1.2 3.1.3 3.2.1 4.1.1 4.2.1 \
4.2.2 4.3.1" "$(printf '%s\n' "$items" | vals id | tr '\n' ' ' | sed 's/ $//')"

# Every item text is, byte for byte, a cell (a tab-indented line) of the
# notice, and appears so in the export, white space included.
bad=""
texts=$(printf '%s\n' "$items" | vals text)
n=0
while IFS= read -r t; do
    n=$((n + 1))
    grep -qxF "$(printf '\t%s' "$t")" "$notice" || bad="$bad
notice lacks: $t"
    case $json in *"\"$t\""*) ;; *) bad="$bad
export lacks: \"$t\"" ;; esac
done <<EOF
$texts
EOF
is "26 texts read" 26 "$n"
is "every item text is a cell of the notice" "" "$bad"

check_item() {   # ID NAME EXPECTED-FIELD...
    id=$1 name=$2; shift 2
    line=$(item "$id")
    for f in "$@"; do contains "$id $name: $f" "$f" "$line"; done
}
check_item 1.1.1 "first item" \
    '"text":"进一步推进重大决策预公开，涉及公共利益和重大事项，除依法应当保密的外，要主动向社会公布决策草案、决策依据等，通过听证座谈、网络征集、咨询协商、媒体沟通等多种形式，广泛听取公众意见，及时公布征求意见采纳情况，相对集中的意见建议不予采纳的，公布时要说明理由。",' \
    '"lead":["区党政办"],' '"lead_more":false,' \
    '"responsible":["各镇（街道）","区各有关部门"],' '"responsible_more":false,' \
    '"done":false,' '"done_at":null,'
check_item 1.2.1 "one cell, three lead units" \
    '"text":"重点围绕政府工作报告、年度重点工作、民生实事项目等重大决策部署，各级政府部门按照职责分工，提出行之有效的公开内容、措施、方式、时限等，重点公布进展情况、取得成效、后续举措。",' \
    '"lead":["区党政办","各镇（街道）","区各有关部门"],' '"lead_more":false,' \
    '"responsible":[],'
check_item 1.3.1 "towns named" '"responsible":["春江镇","孟河镇","区各有关部门"],'
check_item 1.4.1 "“” quotes" \
    '"text":"进一步整合优化实体政务大厅“一站式”功能，加快实现“一个窗口”“一次办理”，推动更多服务事项“一网通办”。推进企业群众办事服务在线“快递式”公开。",' \
    '"lead":["区行政审批局"],' '"responsible":["区各有关部门"],'
check_item 2.1.2 "quotes around brackets" \
    '"text":"建立以信用承诺、信息公示为特点的事中事后监管机制，持续加强“双随机、一公开”，推动检查处置结果全部向统一的市场监管信息平台归集，通过国家企业信用信息系统和“信用中国（江苏常州）”网站公开。",'
check_item 2.2.1 "lead ends in 等" \
    '"text":"认真抓好重大建设项目批准和实施、公共资源配置、社会公益事业建设等重点领域信息公开实施意见的落实。",' \
    '"lead":["区经发局","区人社局","区行政审批局"],' '"lead_more":true,' \
    '"responsible":["各镇（街道）","区各有关部门"],' '"responsible_more":false,'
check_item 2.3.2 "seven lead units" \
    '"lead":["区生态环境局","区农业农村局","区卫健局","区市场监管局","区人社局","区公安分局","区住建局"],' \
    '"responsible":["各镇（街道）"],'
check_item 2.4.2 "quoted digits" \
    '"text":"优化提升“12345”等平台服务体系，畅通企业群众建言评价通道。",'
check_item 3.1.1 "no responsible units" \
    '"text":"强化政府网站内容建设和信息发布审核，抓紧完成政府网站域名集中清理，及早部署区政府门户网站IPv6改造工作。",' \
    '"lead":["区党政办"],' '"responsible":[],' '"responsible_more":false,'
check_item 4.3.1 "last item" \
    '"text":"依法公开机构改革后各级政府部门机构职能、内设机构等信息。落实好对本单位制作的信息公开属性全面审查机制，扎实开展本单位政府信息公开情况统计工作。",' \
    '"lead":["区党政办"],' '"responsible":["各镇（街道）","区各有关部门"],'
contains "《》 kept in a task title" '"title":"贯彻落实好新修订的《政府信息公开条例》"' "$flat"
is "only 2.2.1 has lead_more" "2.2.1" \
    "$(printf '%s\n' "$items" | grep -F '"lead_more":true,' | vals id)"
is "only 1.2.1 and 3.1.1 have no responsible units" "1.2.1 3.1.1" \
    "$(printf '%s\n' "$items" | grep -F '"responsible":[],' | vals id | tr '\n' ' ' | sed 's/ $//')"

# groups: a member of 各镇（街道） finds that group's items (22), and 春江镇
# also the two it is named in.
count_unit() {
    run "$PLANDASH" -s "$d/none.status.json" --export json --unit "$1" "$d/plan.yaml"
    printf '%s' "$out" | tr -d ' \t\r\n' | tr '{' '\n' | grep -c '"text":'
}
is "西夏墅镇 is in 各镇（街道）" 22 "$(count_unit 西夏墅镇)"
is "春江镇 is in 各镇（街道） and named in 1.3" 24 "$(count_unit 春江镇)"
ok "no status file written by exports" test ! -e "$d/none.status.json"
done_testing
