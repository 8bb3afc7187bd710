# 完成时限 in a real terminal (tmux at 80x24): the due column red, amber
# and green; without colour (NO_COLOR) the ! and ~ marks instead; the
# overview (Tab) with its bars, in colour and without.  Every wait is a
# bounded poll for some text.
. "$TOP/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
    echo "ok 1 - tmux tests # SKIP tmux is not installed"
    done_testing
    exit 0
fi

sock=plandash-due-$$
w=$(tmpdir)
cp "$TOP/tests/fixtures/due/due.yaml" "$w/plan.yaml"
cp "$TOP/tests/fixtures/due/due.status.json" "$w/plan.status.json"
cat >"$w/tmux.conf" <<'EOF2'
set -g default-terminal tmux-256color
set -g default-shell /bin/sh
set -g history-limit 100
set -s escape-time 0
EOF2
T() { tmux -L "$sock" -f "$w/tmux.conf" "$@"; }
cleanup() { T kill-server >/dev/null 2>&1; rm -rf "$_tmp_root"; }
trap cleanup EXIT

# the dashboard alone in window NAME, 80x24, with extra environment
start() {
    name=$1; shift
    if T has-session -t t 2>/dev/null; then
        T new-window -d -t t -n "$name" -c "$w" "env $* '$PLANDASH' plan.yaml; sleep 30"
    else
        T new-session -d -s t -n "$name" -x 80 -y 24 -c "$w" \
            "env $* '$PLANDASH' plan.yaml; sleep 30"
    fi
}
# wait_for WINDOW TEXT: poll the pane (plain text) until TEXT shows (10 s)
wait_for() {
    _i=0
    while [ $_i -lt 100 ]; do
        pane=$(T capture-pane -p -t "t:$1" 2>/dev/null)
        case $pane in *"$2"*) return 0 ;; esac
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}
# the pane with its colours (SGR sequences), ESC written as "E"
colours() { T capture-pane -p -e -t "t:$1" | tr '\033' E; }
# the line of the coloured pane holding TEXT
cline() { colours "$1" | grep -m1 -F "$2"; }

env="PLANDASH_TODAY=2019-10-10 LC_ALL=C.UTF-8 TERM=tmux-256color"

# --- colour ---
start c "$env"
ok "the dashboard at 80x24" wait_for c "完成 1/8 (12%)"   # the status line comes last
is "the pane is 80x24" "80x24" "$(T display -p -t t:c '#{pane_width}x#{pane_height}')"
contains "overdue: red" "E[31m09-30" "$(cline c 公开年度预算)"
contains "due soon: amber (yellow)" "E[33m10-15" "$(cline c 意见征集)"
contains "open: green" "E[32m12-31" "$(cline c 网站改版)"
contains "a goal's overdue count: red" "E[31m2!" "$(cline c 一、公开重点领域信息)"
lacks "with colour: no ! beside an item's due" "09-30!" "$(cline c 公开年度预算)"

T send-keys -t t:c Tab
ok "Tab: the overview" wait_for c "Enter 按此单位筛选"
contains "its bars in colour (green)" "[E[0mE[32mE[49m███▎" "$(cline c 合计)"
contains "the overdue count red" "E[31m 逾期 2" "$(cline c 区财政局)"
T send-keys -t t:c Tab
ok "Tab again: the tree" wait_for c "空格 标记"

# --- NO_COLOR ---
start m "$env NO_COLOR=1"
ok "NO_COLOR: the dashboard" wait_for m "完成 1/8 (12%)"
contains "NO_COLOR: overdue is 09-30!" "[ ] 1. 公开年度预算                  09-30!" "$pane"
contains "NO_COLOR: due soon is 10-15~" "[ ] 3. 意见征集                      10-15~" "$pane"
contains "NO_COLOR: the status line counts with the marks" "逾期 2! 临期 1~" "$pane"
lacks "NO_COLOR: no colour on the due" "E[31m" "$(colours m)"
T send-keys -t t:m Tab
ok "NO_COLOR: the overview" wait_for m "Enter 按此单位筛选"
contains "NO_COLOR: the bars read" " 一、公开重点领域信息     [██████▌                   ]       1/4  25% 逾期 2!" "$pane"
contains "NO_COLOR: an empty bar between brackets" " 区数据局                 [                          ]       0/2   0%" "$pane"
lacks "NO_COLOR: no colour in the overview" "E[32m" "$(colours m)"
T send-keys -t t:m Down Enter
ok "Enter on a unit: the tree filtered to it" wait_for m "单位 区财政局：2 项"
done_testing
