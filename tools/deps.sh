#!/bin/sh
# Install what plandash needs and is missing, as Debian packages.
#   deps.sh build    compiler, pkg-config, ncursesw, libyaml, cJSON, libxlsxwriter
#   deps.sh test     the above, plus cmocka, tmux, valgrind-free test tools,
#                    python3-pyte (the test terminal), locales (localedef),
#                    python3-openpyxl (reads the xlsx export back)
#   deps.sh pinyin   unicode-data and python3 (regenerating the pinyin table)
#   deps.sh fuzz     clang and its sanitizer runtimes
#   deps.sh lint     cppcheck and clang-tidy
# Says what it installs; does nothing when everything is there.
set -u
want=${1:-build}
missing=""

need_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need_pc() {
    command -v pkg-config >/dev/null 2>&1 && pkg-config --exists "$1" 2>/dev/null ||
        missing="$missing $2"
}

need_cmd cc gcc
need_cmd make make
need_cmd pkg-config pkg-config
[ -e /usr/include/stdio.h ] || missing="$missing libc6-dev"
need_pc ncursesw libncurses-dev
need_pc yaml-0.1 libyaml-dev
need_pc libcjson libcjson-dev
need_pc xlsxwriter libxlsxwriter-dev
case $want in
test|fuzz|lint)
    need_pc cmocka libcmocka-dev
    need_cmd tmux tmux
    need_cmd groff groff-base     # the man page check
    [ -e /usr/share/terminfo/x/xterm-256color ] || [ -e /lib/terminfo/x/xterm-256color ] ||
        missing="$missing ncurses-term"
    need_cmd python3 python3
    # the xlsx export is read back with openpyxl
    /usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || missing="$missing python3-openpyxl"
    # Debian's python3 (another python3 may come first in PATH)
    { python3 -c 'import pyte' || /usr/bin/python3 -c 'import pyte'; } >/dev/null 2>&1 ||
        missing="$missing python3-pyte"
    { command -v localedef >/dev/null 2>&1 && [ -e /usr/share/i18n/locales/zh_CN ] &&
        [ -e /usr/share/i18n/charmaps/GB18030.gz ]; } || missing="$missing locales"
    ;;
esac
case $want in
pinyin) need_cmd python3 python3
        [ -e /usr/share/unicode/Unihan_Readings.txt.bz2 ] || missing="$missing unicode-data" ;;
fuzz)   need_cmd clang clang
        [ -n "$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] ||
            missing="$missing libclang-rt-dev" ;;
lint)   need_cmd cppcheck cppcheck; need_cmd clang-tidy clang-tidy ;;
valgrind) need_cmd valgrind valgrind ;;
esac

[ -z "$missing" ] && exit 0
# de-duplicate
missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
echo "plandash: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "plandash: apt-get not found; please install:$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2 &&
    $sudo apt-get install -y -qq --no-install-recommends $missing >&2 ||
    { echo "plandash: could not install:$missing" >&2; exit 1; }
