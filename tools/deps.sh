#!/bin/sh
# Install what plandash needs and is missing, as Debian packages.
#   deps.sh build    compiler, pkg-config, ncursesw, libyaml, cJSON, libxlsxwriter
#   deps.sh test     the above, plus cmocka, tmux, groff, mandoc, git, python3
#                    with openpyxl and pyte, locales, util-linux (setpriv)
#   deps.sh pinyin   unicode-data and python3 (regenerating the generated
#   deps.sh eaw      tables: src/pinyin_data.c, src/eaw_data.c)
#   deps.sh fuzz     clang and its sanitizer runtimes
#   deps.sh lint     cppcheck and clang-tidy
#   deps.sh valgrind valgrind
# Says what it installs; does nothing when everything is there.
#
#   deps.sh check MODULE...
# Installs nothing: when the C compiler ($CC), pkg-config ($PKG_CONFIG) or
# one of the pkg-config MODULEs is missing, prints ONE line naming them and
# how to get them, and exits 1; otherwise prints nothing and exits 0.  The
# Makefile stops with that line before compiling anything.
set -u
want=${1:-build}
missing=""
PKG_CONFIG=${PKG_CONFIG:-pkg-config}

need_cmd() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need_pc() {
    command -v "${PKG_CONFIG%% *}" >/dev/null 2>&1 && $PKG_CONFIG --exists "$1" 2>/dev/null ||
        missing="$missing $2"
}
# Debian's python3 (/usr/bin: a python3 earlier in PATH, pyenv's say, does
# not see the python3-* packages); the tests that need the modules use it.
need_py() { /usr/bin/python3 -c "import $1" >/dev/null 2>&1 || missing="$missing $2"; }
# The Debian package that ships a pkg-config module.
pc_package() {
    case $1 in
    ncursesw)   echo libncurses-dev ;;
    yaml-0.1)   echo libyaml-dev ;;
    libcjson)   echo libcjson-dev ;;
    xlsxwriter) echo libxlsxwriter-dev ;;
    cmocka)     echo libcmocka-dev ;;
    *)          echo "$1" ;;
    esac
}

if [ "$want" = check ]; then
    shift
    what=""
    cc=${CC:-cc}
    command -v "${cc%% *}" >/dev/null 2>&1 || { what="$what, ${cc%% *}"; missing="$missing gcc"; }
    [ -e /usr/include/stdio.h ] || { what="$what, the C library headers"; missing="$missing libc6-dev"; }
    if ! command -v "${PKG_CONFIG%% *}" >/dev/null 2>&1; then
        what="$what, ${PKG_CONFIG%% *}"
        missing="$missing pkg-config"
    fi
    if ! { command -v "${PKG_CONFIG%% *}" >/dev/null 2>&1 && $PKG_CONFIG --exists "$@" 2>/dev/null; }; then
        for m in "$@"; do
            command -v "${PKG_CONFIG%% *}" >/dev/null 2>&1 && $PKG_CONFIG --exists "$m" 2>/dev/null &&
                continue
            what="$what, $m"
            missing="$missing $(pc_package "$m")"
        done
    fi
    [ -z "$what" ] && exit 0
    if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo "; fi
    echo "plandash cannot be built, missing:${what#,}; run 'make deps' (or: ${sudo}apt-get install$missing)"
    exit 1
fi

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
    need_cmd mandoc mandoc        # the man page check
    [ -e /usr/share/terminfo/x/xterm-256color ] || [ -e /lib/terminfo/x/xterm-256color ] ||
        missing="$missing ncurses-term"
    need_cmd git git
    [ -x /usr/bin/python3 ] || missing="$missing python3"
    need_py openpyxl python3-openpyxl
    need_py pyte python3-pyte
    need_cmd localedef libc-bin
    [ -e /usr/share/i18n/charmaps/GB18030.gz ] || missing="$missing locales"
    need_cmd setpriv util-linux
    ;;
esac
case $want in
pinyin|eaw)
    need_cmd python3 python3
    [ -e /usr/share/unicode/Unihan_Readings.txt.bz2 ] && [ -e /usr/share/unicode/EastAsianWidth.txt ] ||
        missing="$missing unicode-data" ;;
fuzz)   need_cmd clang clang
        [ -n "$(ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a 2>/dev/null)" ] ||
            missing="$missing libclang-rt-dev" ;;
lint)   need_cmd cppcheck cppcheck; need_cmd clang-tidy clang-tidy ;;
valgrind) need_cmd valgrind valgrind ;;
esac

[ -z "$missing" ] && exit 0
# de-duplicate
missing=$(printf '%s\n' $missing | sort -u | tr '\n' ' ')
echo "plandash: installing missing Debian packages: $missing" >&2
if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "plandash: apt-get not found; please install: $missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# Wait (up to 5 minutes) for another apt or dpkg run to finish.
lock="-o DPkg::Lock::Timeout=300"
$sudo apt-get update -qq $lock >&2 &&
    $sudo apt-get install -y -qq --no-install-recommends $lock $missing >&2 ||
    { echo "plandash: could not install: $missing" >&2; exit 1; }
