#!/bin/sh
# The manual page renders without warnings; README and man page name the
# commands and options the program has.
. "$TOP/tests/lib.sh"
man="$TOP/man/plandash.1"
if command -v groff >/dev/null 2>&1; then
    run groff -man -ww -z "$man"
    is "groff -man -ww -z renders plandash.1 without warnings" "" "$err"
else
    skip --ci "groff -man -ww -z renders plandash.1 without warnings" "groff is not installed (make deps-test)"
fi
if command -v mandoc >/dev/null 2>&1; then
    run mandoc -T lint "$man"
    is "mandoc -T lint finds nothing in plandash.1" "" "$out$err"
else
    skip --ci "mandoc -T lint finds nothing in plandash.1" "mandoc is not installed (make deps-test)"
fi
for s in NAME SYNOPSIS DESCRIPTION OPTIONS "PLAN FILE" "STATUS FILE" KEYS "UNIT SEARCH" \
         FILES "EXIT STATUS" EXAMPLES; do
    ok "plandash.1 has a $s section" grep -q "^\.SH \"*$s\"*\$" "$man"
done
readme=$(cat "$TOP/README.md")
contains "README gives make run" "make run" "$readme"
contains "README gives make check" "make check" "$readme"
# Every long option in --help is documented in both.
for o in $("$PLANDASH" --help | grep -o -- '--[a-z]*' | sort -u); do
    contains "README documents $o" "$o" "$readme"
    ok "plandash.1 documents $o" grep -q -- "$(echo "$o" | sed 's/-/\\\\-/g')" "$man"
done
# The Terminals section and the two variables (issue 15).
contains "README has a Terminals section" "## Terminals" "$readme"
for v in PLANDASH_AMBIGUOUS PLANDASH_ASCII; do
    contains "README documents $v" "$v" "$readme"
    ok "plandash.1 documents $v in ENVIRONMENT" \
        sh -c "sed -n '/^\\.SH ENVIRONMENT/,/^\\.SH /p' \"\$1\" | grep -q '^\\.B $v\$'" sh "$man"
done
done_testing
