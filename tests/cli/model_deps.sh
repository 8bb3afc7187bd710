#!/bin/sh
# The model (plan.o, plan_yaml.o and what they call) links without the
# search side: no units.o, no pinyin_data.o (a 4,220-line table);
# the width table eaw_data.o is part of the text module.
. "$TOP/tests/lib.sh"
B=${BUILD:-$TOP/build}/src
MODEL="plan plan_yaml due unitname text eaw_data util"
d=$(tmpdir)

# Every plandash symbol the model's objects need is defined by one of them.
for o in $MODEL; do nm -u "$B/$o.o"; done | awk '{print $NF}' | sort -u >"$d/need"
for o in $MODEL; do nm --defined-only "$B/$o.o"; done | awk '{print $NF}' | sort -u >"$d/have"
for f in "$B"/*.o; do
    case " $MODEL main " in *" $(basename "$f" .o) "*) continue ;; esac
    nm --defined-only "$f" | awk '$2 ~ /[TDRB]/ {print $NF}'
done | sort -u >"$d/others"
is "the model needs nothing from units.o, pinyin_data.o or other files" "" \
   "$(comm -23 "$d/need" "$d/have" | comm -12 - "$d/others" | tr '\n' ' ')"

# And a program of the model alone links and loads the shipped plan (not
# under the sanitizers, whose runtime the objects would need).
if nm "$B/plan.o" | grep -q __asan; then
    _n=$((_n + 1)); echo "ok $_n # SKIP link: sanitizer build"
else
    cat >"$d/m.c" <<'EOC'
#include <stdio.h>
#include "plan.h"
int main(int argc, char **argv)
{
    diags d = {0};
    plan *p = argc > 1 ? plan_load(argv[1], &d) : NULL;
    if (!p)
        return 1;
    printf("%zu goals, %zu items\n", p->n_goals, p->n_items);
    plan_free(p);
    diags_free(&d);
    return 0;
}
EOC
    # shellcheck disable=SC2046
    run ${CC:-cc} -std=c11 -D_GNU_SOURCE -I"$TOP/src" -o "$d/m" "$d/m.c" \
        $(for o in $MODEL; do echo "$B/$o.o"; done) $(pkg-config --libs yaml-0.1)
    is "a program of the model alone links" 0 "$rc"
    run "$d/m" "$TOP/plan.yaml"
    is "and loads the shipped plan" "4 goals, 26 items" "$out"
fi
done_testing
