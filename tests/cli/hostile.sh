#!/bin/sh
# Hostile plans through the program: each is refused with exit status 1 and a
# positioned error (FILE:LINE:COL: error:), quickly (timeout 5: never a hang),
# never a crash (a signal or an abort would give another status).
. "$TOP/tests/lib.sh"
d=$(tmpdir)
cd "$d" || exit 1
o=$d/stdout e=$d/stderr
unset PLANDASH_TEST_SCRIPT

# refused NAME FILE WANT [OPTION]: exit exactly 1, WANT (a prefix with the
# position, then a part of the message) on stderr, nothing on stdout.
refused() {
    timeout 5 "$PLANDASH" "${4:---check}" "$2" >"$o" 2>"$e"
    rc=$?
    is "$1: exit 1 (${4:---check})" 1 "$rc"
    contains "$1: positioned error" "$3" "$(cat "$e")"
    is "$1: nothing on stdout" "" "$(cat "$o")"
}

# Aliases: a cycle, and a self-reference as a value.
printf 'title: t\nx: &a [*a]\n' >cycle.yaml
refused "alias cycle" cycle.yaml "cycle.yaml:2:8: error: aliases (*a) are not supported"
printf 'title: &x\n  - *x\ngoals: []\n' >self.yaml
refused "alias to itself" self.yaml "self.yaml:2:5: error: aliases (*x) are not supported"

# An alias bomb: nine levels of ten (10^9 strings if expanded).
awk 'BEGIN {
    print "title: bomb"
    print "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"
    for (i = 1; i < 9; i++) {
        s = "a" i ": &a" i " ["
        for (k = 0; k < 10; k++) s = s (k ? ", " : "") "*a" (i - 1)
        print s "]"
    }
    print "goals: *a8"
}' >bomb.yaml
refused "alias bomb" bomb.yaml "bomb.yaml:3:10: error: aliases (*a0) are not supported"
refused "alias bomb" bomb.yaml "bomb.yaml:3:10: error: aliases (*a0) are not supported" \
    --report
refused "alias bomb" bomb.yaml "bomb.yaml:3:10: error: aliases (*a0) are not supported" \
    --export=json

# 20,000-deep nesting: flow sequences, flow mappings (unclosed), block style.
awk 'BEGIN { printf "title: t\nx: "; for (i = 0; i < 20000; i++) printf "["
             for (i = 0; i < 20000; i++) printf "]"; print "" }' >flow.yaml
refused "20,000 nested [" flow.yaml "flow.yaml:2:67: error: nesting deeper than 64 levels"
awk 'BEGIN { printf "title: t\ngoals: "; for (i = 0; i < 20000; i++) printf "{a: "
             print "" }' >flowmap.yaml
refused "20,000 nested {a: in goals" flowmap.yaml "flowmap.yaml:2:"
contains "20,000 nested {a: in goals: the depth limit" "nesting deeper than 64 levels" \
    "$(cat "$e")"
awk 'BEGIN { printf "title: t\nx:\n"; for (i = 0; i < 20000; i++) printf "- "
             print "a" }' >block.yaml
refused "20,000 nested block lists" block.yaml \
    "block.yaml:3:127: error: nesting deeper than 64 levels"
awk 'BEGIN { print "title: t"; for (i = 0; i < 100; i++) {
             for (k = 0; k < i; k++) printf " "; print "a:" } }' >blockmap.yaml
refused "100 nested block mappings" blockmap.yaml \
    "blockmap.yaml:66:65: error: nesting deeper than 64 levels"

# An 8 MB scalar: plain, quoted, and as a key.
{ printf 'title: '; head -c 8388608 /dev/zero | tr '\0' a; echo; } >big.yaml
refused "an 8 MB scalar" big.yaml \
    "big.yaml:1:8: error: a value of 8388608 bytes is longer than the limit"
{ printf 'title: "'; head -c 8388608 /dev/zero | tr '\0' a; echo '"'; } >bigq.yaml
refused "an 8 MB quoted scalar" bigq.yaml "bigq.yaml:1:8: error: a value of"
{ head -c 8388608 /dev/zero | tr '\0' k; echo ': v'; } >bigkey.yaml
refused "an 8 MB key" bigkey.yaml "bigkey.yaml:1:1: error: a value of"

# Broken files.
printf 'title: \346\265\213\377\n' >notutf8.yaml
refused "not UTF-8" notutf8.yaml "notutf8.yaml:1:9: error: the file is not valid UTF-8"
printf '\377\376t\000i\000t\000l\000e\000:\000' >utf16.yaml
refused "UTF-16" utf16.yaml "utf16.yaml:1:1: error: the file is UTF-16"
printf 'title: a\000b\n' >nul.yaml
refused "a NUL byte" nul.yaml "nul.yaml:1:9: error: the file contains a NUL byte"
printf 'title: x\033]0;pwned\007\n' >esc.yaml
refused "a raw ESC" esc.yaml "esc.yaml:1:9: error: the file contains a control character"
: >empty.yaml
refused "an empty file" empty.yaml "plandash: error: empty.yaml: the file is empty"
printf 'title: t\ngoals: []\n---\ntitle: u\n' >docs.yaml
refused "two documents" docs.yaml "docs.yaml:3:1: error: a second YAML document"
# A truncated file: cut in the middle of a character and of a flow list.
head -c 100 "$TOP/plan.yaml" >cut.yaml
printf '[\344\270' >>cut.yaml
refused "a cut file" cut.yaml "cut.yaml:"
# Binary garbage.
head -c 65536 /dev/urandom >random.yaml
timeout 5 "$PLANDASH" --check random.yaml >"$o" 2>"$e"
is "random bytes: exit 1" 1 "$?"
ok "random bytes: an error" grep -q 'error:' "$e"
# /dev/zero: endless NULs, refused at the first.
refused "/dev/zero" /dev/zero "/dev/zero:1:1: error: the file contains a NUL byte"

done_testing
