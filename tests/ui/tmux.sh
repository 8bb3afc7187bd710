# Dashboard tests in a real terminal: tmux on a private socket, keys sent
# with send-keys, the screen read with capture-pane, every wait a bounded
# poll for some text (never a blind sleep).
. "$TOP/tests/lib.sh"

if ! command -v tmux >/dev/null 2>&1; then
    skip --ci "the dashboard in tmux" "tmux is not installed (make deps-test)"
    done_testing
    exit 0
fi

sock=plandash-test-$$
w=$(tmpdir)
cp "$TOP/plan.yaml" "$w/plan.yaml"
cat >"$w/tmux.conf" <<'EOF'
set -g default-terminal tmux-256color
set -g default-shell /bin/sh
set -g history-limit 100
set -s escape-time 0
EOF
T() { tmux -L "$sock" -f "$w/tmux.conf" "$@"; }
cleanup() { T kill-server >/dev/null 2>&1; rm -rf "$_tmp_root"; }
trap cleanup EXIT

# A shell in a pane (window NAME), in $w, with a plain prompt.
shell() {
    if T has-session -t t 2>/dev/null; then
        T new-window -d -t t -n "$1" -c "$w" "env PS1='$ ' /bin/sh"
    else
        T new-session -d -s t -n "$1" -x 120 -y 40 -c "$w" "env PS1='$ ' /bin/sh"
    fi
}
# wait_for WINDOW TEXT [TENTHS]: poll the pane until TEXT shows (default 10 s)
wait_for() {
    _i=0
    while [ $_i -lt "${3:-100}" ]; do
        pane=$(T capture-pane -p -t "t:$1" 2>/dev/null)
        case $pane in *"$2"*) return 0 ;; esac
        sleep 0.1
        _i=$((_i + 1))
    done
    return 1
}
# the dashboard in WINDOW: its pid goes to $w/pid.WINDOW, its exit status
# to the shell's output as "exit=N"
start() {
    win=$1; shift
    T send-keys -t "t:$win" "sh -c 'echo \$\$ >pid.$win; exec \"\$0\" \"\$@\"' $* plan.yaml; echo exit=\$?" Enter
}
entry() { grep "\"$1\"" "$w/plan.status.json" 2>/dev/null; }

# --- start-up without a UTF-8 locale in the environment ---
shell a
wait_for a '$' 50
start a env -u LANG -u LC_ALL -u LC_CTYPE -u LANGUAGE "$PLANDASH"
ok "start-up with LANG and LC_ALL unset shows Chinese" wait_for a "一、推进政务公开透明运行"
contains "the title line" "常开委办〔2019〕127号  常州市新北区2019年政务公开工作要点实施方案" "$pane"
# 46 columns inside the box: 12 Chinese characters and 22 spaces
contains "the details box, its border straight after Chinese text" \
    "│一、推进政务公开透明运行$(printf '%22s' '')│" "$pane"
ok "the unit panes (waited for: a slow build draws them later)" wait_for a "├─ 牵头单位 (6) "
is "the alternate screen is in use" 1 "$(T display -p -t t:a '#{alternate_on}')"

# --- marking with Space, saved at once ---
T send-keys -t t:a j j Space
ok "Space marks the item" wait_for a "1.1.1 已标为完成"
contains "the screen shows it done" "[x] 1. 进一步推进重大决策预公开" "$pane"
ok "the status file has it" sh -c "grep -q '\"1.1.1\": *{\"done\": *true' '$w/plan.status.json'"

# --- resize down to tiny and back ---
T resize-window -t t:a -x 30 -y 8
ok "resized to 30x8: it says it is too small" wait_for a "窗口太小 30x8"
lacks "too small: no tree drawn" "推进政务公开" "$pane"
T resize-window -t t:a -x 120 -y 40
ok "resized back to 120x40: drawn again" wait_for a "完善政务公开制度规范"
contains "resized back: the selection kept" "┌─ 事项 1.1.1 " "$pane"

# --- typing Chinese into the search (wide characters through get_wch) ---
T send-keys -t t:a / 司法
ok "a Chinese query typed in the terminal" wait_for a "/司法 → 区司法局：4 项"
T send-keys -t t:a BSpace
ok "Backspace deletes one whole character" wait_for a "/司 → "
T send-keys -t t:a Escape
ok "Esc clears the search" wait_for a "? 帮助"

# --- a mark from outside appears within about a second ---
run "$PLANDASH" --mark 4.3.1 "$w/plan.yaml"
is "--mark from outside" 0 "$rc"
ok "an outside mark shows within 3 s" wait_for a "完成 2/26 (7%)" 30

# --- a second dashboard on the same files; each marks another item ---
shell b
wait_for b '$' 50
start b "$PLANDASH"
ok "a second dashboard starts" wait_for b "完成 2/26"
T send-keys -t t:b : 1.1.2 Enter Space
T send-keys -t t:a : 1.2.1 Enter Space
ok "second dashboard: its mark saved" wait_for b "1.1.2 已标为完成"
ok "first dashboard: its mark saved" wait_for a "1.2.1 已标为完成"
ok "first dashboard sees the second's mark" wait_for a "完成 4/26" 30
ok "second dashboard sees the first's mark" wait_for b "完成 4/26" 30
for id in 1.1.1 1.1.2 1.2.1 4.3.1; do
    contains "two dashboards: $id saved" '"done": true' "$(entry "$id")"
done
T send-keys -t t:b q
ok "q quits the second dashboard with status 0" wait_for b "exit=0"

# --- another process holds the lock: the dashboard does not freeze, says
# it is waiting, keeps answering keys, and saves once the lock is free,
# without another key (retried on its own short ticks) ---
"$BUILD/tools/lock_hold" "$w/plan.status.json.lock" 3 "$w/held" &
holder=$!
i=0
while [ ! -e "$w/held" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
T send-keys -t t:a : 1.2.2 Enter Space
ok "lock held: the mark waits and says so" wait_for a "等待另一个 plandash 保存…" 20
contains "lock held: not counted done yet" "完成 4/26" "$pane"
T send-keys -t t:a k
ok "lock held: keys still work (k moves up)" wait_for a "┌─ 事项 1.2.1 " 20
contains "lock held: still waiting" "等待另一个 plandash 保存…" "$pane"
ok "lock freed: saved with no key pressed" wait_for a "1.2.2 已标为完成" 60
wait "$holder"
contains "lock freed: the mark is in the file" '"done": true' "$(entry 1.2.2)"
contains "lock freed: counted" "完成 5/26" "$pane"

# --- NO_COLOR: attributes only ---
shell c
wait_for c '$' 50
start c env NO_COLOR=1 "$PLANDASH"
ok "NO_COLOR: starts" wait_for c "一、推进政务公开透明运行"
T capture-pane -p -e -t t:c >"$w/esc"
e=$(printf '\033')
# SGR parameters 30-37/40-47 (not 39/49, the defaults) or 38;/48; are colours
ok "NO_COLOR: no colour at all" sh -c "! grep -Eq '$e\\[([0-9;]*;)?([34][0-7]|[34]8;)' '$w/esc'"
ok "NO_COLOR: reverse video (the selection, the bars)" grep -Eq "$e\\[([0-9;]*;)?7m" "$w/esc"
ok "NO_COLOR: dim for done items" grep -Eq "$e\\[([0-9;]*;)?2m" "$w/esc"
# without NO_COLOR the same screen has colours (the test would see them)
T capture-pane -p -e -t t:a >"$w/esc.a"
ok "with colours: colour codes are there" grep -Eq "$e\\[([0-9;]*;)?([34][0-7]|[34]8;)" "$w/esc.a"
T send-keys -t t:c C-c
ok "NO_COLOR: Ctrl-C quits" wait_for c "exit=0"

# --- the note editor (e): Chinese typed in a real terminal, Ctrl-S, F2, Esc ---
T send-keys -t t:a : 1.2.1 Enter e
ok "e opens the note editor" wait_for a "进展情况 · 事项 1.2.1"
T send-keys -t t:a 已完成自查 Enter 下一步 Left BSpace
ok "typed Chinese, a new line, Left and Backspace by characters" wait_for a "下步"
contains "the first line kept" "已完成自查" "$pane"
T send-keys -t t:a C-s
ok "Ctrl-S saves" wait_for a "已保存事项 1.2.1 的进展情况"
ok "the note is in the status file" sh -c "grep -q '\"note\": \"已完成自查\\\\n下步\"' '$w/plan.status.json'"
contains "the tree marks the item" "✎" "$pane"
contains "the details show the note" "【进展情况】" "$pane"
T send-keys -t t:a e End 。
ok "e again: the editor shows the note with the new character" wait_for a "下步。"
T send-keys -t t:a F2
ok "F2 saves too" wait_for a "已保存事项 1.2.1 的进展情况"
ok "with the change" sh -c "grep -q '下步。' '$w/plan.status.json'"
T send-keys -t t:a e x Escape
ok "Esc after a change asks" wait_for a "放弃修改？(y/n)"
T send-keys -t t:a y
ok "y drops the change" wait_for a "已放弃对事项 1.2.1 进展情况的修改"
lacks "nothing saved" "下步。x" "$(cat "$w/plan.status.json")"
T send-keys -t t:a H
ok "H shows the history" wait_for a "修改记录 · 事项 1.2.1（3 条，最新的在前）"
contains "H: the mark made earlier is there" "标为完成" "$pane"
T send-keys -t t:a q

# --- Ctrl-C in the note editor (a SIGINT from the terminal) asks as Esc
#     does; n goes back to the text, y drops it; the dashboard runs on ---
T send-keys -t t:a e 乙
ok "Ctrl-C in e: the text typed" wait_for a "下步。乙"
T send-keys -t t:a C-c
ok "Ctrl-C in e after a change asks" wait_for a "放弃修改？(y/n)"
lacks "Ctrl-C in e: the dashboard did not quit" "exit=" "$pane"
T send-keys -t t:a n 丙
ok "n: back in the editor, the text kept" wait_for a "下步。乙丙"
T send-keys -t t:a C-c
ok "Ctrl-C again asks again" wait_for a "放弃修改？(y/n)"
T send-keys -t t:a y
ok "y drops the change, the dashboard still runs" wait_for a "已放弃对事项 1.2.1 进展情况的修改"
lacks "nothing of it saved" "乙" "$(cat "$w/plan.status.json")"
contains "the tree is back" "一、推进政务公开透明运行" "$pane"
lacks "still running" "exit=" "$pane"

# --- Ctrl-C restores the terminal ---
T send-keys -t t:a C-c
ok "Ctrl-C quits with status 0" wait_for a "exit=0"
is "Ctrl-C: the alternate screen is left" 0 "$(T display -p -t t:a '#{alternate_on}')"
T send-keys -t t:a "stty -a | grep -o ' -icanon\\| icanon' | head -1; echo echo-\$((6 * 7))" Enter
ok "Ctrl-C: the shell works again and echoes" wait_for a "echo-42"
contains "Ctrl-C: the terminal is back in canonical mode" " icanon" "$pane"

# --- SIGTERM restores the terminal too, exit status 143 ---
start a "$PLANDASH"
wait_for a "一、推进政务公开透明运行"
i=0
while [ ! -s "$w/pid.a" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -TERM "$(cat "$w/pid.a")"
ok "SIGTERM: exit status 143" wait_for a "exit=143"
is "SIGTERM: the alternate screen is left" 0 "$(T display -p -t t:a '#{alternate_on}')"

# --- a fatal error (out of memory, forced by a test-only variable)
# restores the terminal before the message and the abort ---
shell d
wait_for d '$' 50
start d env PLANDASH_TEST_OOM=1 "$PLANDASH"
ok "out of memory: dies with SIGABRT (exit 134)" wait_for d "exit=134"
contains "out of memory: the message is on the normal screen" \
    "plandash: error: out of memory" "$pane"
is "out of memory: the alternate screen is left" 0 "$(T display -p -t t:d '#{alternate_on}')"
T send-keys -t t:d "stty -a | grep -o ' -icanon\\| icanon' | head -1; echo echo-\$((6 * 7))" Enter
ok "out of memory: the shell works again and echoes" wait_for d "echo-42"
contains "out of memory: the terminal is back in canonical mode" " icanon" "$pane"

done_testing
