#!/bin/sh
# Plain `make` on a machine without the libraries stops at once, before
# compiling anything, with one line naming what is missing and how to get
# it.  pkg-config is made to find nothing (an empty search path) or is
# replaced by a stub; each run builds into a fresh folder.
. "$TOP/tests/lib.sh"
cd "$TOP" || exit 1
# A make of its own, not a job of the `make check` around this script.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
d=$(tmpdir)
libs="missing: ncursesw, yaml-0.1, libcjson, xlsxwriter; run 'make deps' (or: "

lines() { [ -z "$1" ] && echo 0 || printf '%s\n' "$1" | wc -l | tr -d ' '; }

run env PKG_CONFIG_PATH= PKG_CONFIG_LIBDIR=/nonexistent make BUILD="$d/b1" BIN="$d/b1/plandash"
is "no libraries: make exits 2" 2 "$rc"
is "no libraries: nothing on stdout" "" "$out"
is "no libraries: exactly one line on stderr" 1 "$(lines "$err")"
contains "no libraries: the line names the four libraries and make deps" "$libs" "$err"
contains "no libraries: the line gives the apt-get line" \
    "apt-get install libncurses-dev libyaml-dev libcjson-dev libxlsxwriter-dev)" "$err"
ok "no libraries: nothing was compiled" test ! -e "$d/b1"

run make PKG_CONFIG="$d/no-such-pkg-config" BUILD="$d/b2" BIN="$d/b2/plandash"
is "no pkg-config: make exits 2" 2 "$rc"
is "no pkg-config: exactly one line on stderr" 1 "$(lines "$err")"
contains "no pkg-config: the line names pkg-config first" \
    "missing: $d/no-such-pkg-config, ncursesw, yaml-0.1, libcjson, xlsxwriter;" "$err"
contains "no pkg-config: the apt-get line installs it" \
    "apt-get install pkg-config libncurses-dev libyaml-dev libcjson-dev libxlsxwriter-dev)" "$err"

# A pkg-config that knows every module but libcjson.
cat >"$d/pkg-config" <<'EOF'
#!/bin/sh
for a in "$@"; do [ "$a" = libcjson ] && exit 1; done
exec pkg-config "$@"
EOF
chmod 755 "$d/pkg-config"
run make PKG_CONFIG="$d/pkg-config" BUILD="$d/b3" BIN="$d/b3/plandash"
is "only cJSON missing: make exits 2" 2 "$rc"
contains "only cJSON missing: the line names just libcjson" \
    "missing: libcjson; run 'make deps' (or: " "$err"
contains "only cJSON missing: the apt-get line installs just libcjson-dev" \
    "apt-get install libcjson-dev)" "$err"
ok "only cJSON missing: nothing was compiled" test ! -e "$d/b3"

run make CC="$d/no-such-cc" BUILD="$d/b4" BIN="$d/b4/plandash"
is "no compiler: make exits 2" 2 "$rc"
contains "no compiler: the line names it and installs gcc" "missing: $d/no-such-cc; " "$err"
contains "no compiler: the apt-get line installs gcc" "apt-get install gcc)" "$err"

# With everything there the check is silent and make goes on to compile.
run sh tools/deps.sh check ncursesw yaml-0.1 libcjson
is "everything there: the check prints nothing" "" "$out$err"
is "everything there: the check exits 0" 0 "$rc"
run make -n BUILD="$d/b5" BIN="$d/b5/plandash"
is "everything there: make -n plans the build" 0 "$rc"
contains "everything there: make -n compiles main.c" "-c -o $d/b5/src/main.o src/main.c" "$out"
done_testing
