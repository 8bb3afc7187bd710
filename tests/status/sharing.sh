#!/bin/sh
# One server, many users (issue 14, cases 1-5): the status file, its lock
# and its temporary files in a 2775 setgid group folder, a 0775 folder
# without setgid and a 1777 sticky folder, written by users with other
# uids, gids and umasks.  No accounts: setpriv runs plandash as
#   li    uid 2001, gid 2001, in the group 3000 (gongkai)
#   wang  uid 2002, gid 2002, in the group 3000
#   zhao  uid 2003, gid 2003, in no other group (outside the office)
# Owners and groups are checked numerically with stat (no names exist).
. "$TOP/tests/lib.sh"

if [ "$(id -u)" != 0 ]; then
    skip "sharing between users" "needs root to run as other users (CI runs as root)"
    done_testing
    exit 0
fi
if ! command -v setpriv >/dev/null 2>&1; then
    skip --ci "sharing between users" "setpriv is missing: make deps-test (util-linux)"
    done_testing
    exit 0
fi
chmod 711 "$_tmp_root"
LH=$BUILD/tools/lock_hold
plan=$_tmp_root/plan.yaml
cp "$TOP/tests/fixtures/cli/small.yaml" "$plan"
chmod 644 "$plan"

# as USER [UMASK] CMD...: run CMD as USER (li, wang, zhao) with UMASK (022)
as() {
    who=$1
    shift
    um=022
    case $1 in 0[0-7][0-7] | 0[0-7][0-7][0-7]) um=$1; shift ;; esac
    case $who in
    li) ids="--reuid=2001 --regid=2001 --groups=3000" ;;
    wang) ids="--reuid=2002 --regid=2002 --groups=3000" ;;
    zhao) ids="--reuid=2003 --regid=2003 --clear-groups" ;;
    esac
    # shellcheck disable=SC2086
    setpriv $ids sh -c 'umask "$1"; shift; exec "$@"' sh "$um" "$@"
}
# mark USER [UMASK] ID FILE: plandash --mark ID -s FILE, as USER
mark() {
    who=$1
    shift
    um=022
    case $1 in 0[0-7][0-7] | 0[0-7][0-7][0-7]) um=$1; shift ;; esac
    run as "$who" "$um" "$PLANDASH" --mark "$1" -s "$2" "$plan"
}
# owner:group mode of FILE, numerically ("2001:3000 664")
mode() { stat -c '%u:%g %a' "$1"; }
# a new folder of the kind given: setgid (2775), plain (0775), sticky (1777)
folder() {
    f=$(tmpdir)
    case $1 in
    setgid) chgrp 3000 "$f"; chmod 2775 "$f" ;;
    plain) chgrp 3000 "$f"; chmod 0775 "$f" ;;
    sticky) chmod 1777 "$f" ;;
    esac
    echo "$f"
}

for kind in setgid plain sticky; do
    # 1. A user with umask 077 makes the status file and its lock: they get
    #    what the folder implies (its group, 0664; in the sticky folder,
    #    whose group is root's, the user's own group), whatever the umask.
    d=$(folder $kind)
    s=$d/plan.status.json
    mark li 077 1.1.1 "$s"
    is "$kind: umask 077: li's first mark succeeds" "0 1.1.1: marked done" "$rc $out"
    if [ $kind = sticky ]; then g=2001; else g=3000; fi
    is "$kind: the new status file: li's, group $g, 0664" "2001:$g 664" "$(mode "$s")"
    is "$kind: the new lock file: li's, group $g, 0664" "2001:$g 664" "$(mode "$s.lock")"
    is "$kind: no temporary file is left" "" "$(ls "$s".tmp* 2>/dev/null)"
    is "$kind: the new history: li's, the status file's group $g and 0664" "2001:$g 664" \
        "$(mode "$d/plan.history.jsonl")"
    if [ $kind = sticky ]; then
        # Renaming over another user's file is not possible here, even one
        # wang may write: wang is told why, and the file stays as it was.
        as li chmod 0666 "$s" "$s.lock"
        cp "$s" "$_tmp_root/before"
        mark wang 1.1.2 "$s"
        is "sticky: wang cannot replace li's file: exit status" 1 "$rc"
        is "sticky: wang is told why" "plandash: error: $s: cannot save: it belongs to uid 2001, in the folder $d whose sticky bit lets only a file's owner replace it; keep a shared plan in a group folder (see README, Sharing a plan) (nothing was saved)" "$err"
        ok "sticky: li's file is byte-identical" cmp -s "$_tmp_root/before" "$s"
    else
        mark wang 077 1.1.2 "$s"
        is "$kind: wang (umask 077) marks next: exit status" 0 "$rc"
        is "$kind: after wang's save: wang's, group 3000, still 0664" "2002:3000 664" "$(mode "$s")"
        contains "$kind: both marks are there" '"1.1.2": {"done": true' "$(grep 1.1.1 "$s")$(grep 1.1.2 "$s")"
        is "$kind: the lock file is unchanged" "2001:3000 664" "$(mode "$s.lock")"
        contains "$kind: wang (umask 077) appended to li's history" '"id":"1.1.2","done":true' "$(cat "$d/plan.history.jsonl")"
        contains "$kind: wang has no passwd entry: the history says uid 2002" \
            '"by":"uid 2002","id":"1.1.2","done":true' "$(cat "$d/plan.history.jsonl")"
        contains "$kind: and so does the status file" '"by": "uid 2002"' "$(grep 1.1.2 "$s")"
        is "$kind: the history is still li's, group 3000, 0664" "2001:3000 664" \
            "$(mode "$d/plan.history.jsonl")"
    fi

    # 1b. An existing status file 0660 root:3000 without a lock: the lock and
    #     the temporary file take its group and mode, not li's umask.
    d=$(folder $kind)
    s=$d/plan.status.json
    printf '{\n  "version": 1,\n  "items": {}\n}\n' >"$s"
    chgrp 3000 "$s"
    chmod 0660 "$s"
    [ $kind = sticky ] && chmod 0666 "$s" && chown 2001 "$s"
    want=$(stat -c '%a' "$s")
    mark li 077 2.1.1 "$s"
    is "$kind: a 0$want root:3000 file, umask 077: li's mark succeeds" 0 "$rc"
    is "$kind: the new lock file has the status file's group and mode" "2001:3000 $want" "$(mode "$s.lock")"
    is "$kind: the saved file keeps group 3000 and mode 0$want" "2001:3000 $want" "$(mode "$s")"
done

# 2. The group of the replaced file is kept in a folder without setgid
#    (fchown to its gid, fchmod to its mode) ...
d=$(folder plain)
s=$d/plan.status.json
printf '{\n  "version": 1,\n  "items": {}\n}\n' >"$s"
chgrp 3000 "$s"
chmod 0660 "$s"
mark li 1.1.1 "$s"
is "no setgid: li saves a 0660 root:3000 file" 0 "$rc"
is "no setgid: it stays group 3000, 0660 (li's gid is 2001)" "2001:3000 660" "$(mode "$s")"
mark wang 1.1.2 "$s"
is "no setgid: so wang can still read and save it" "0 1.1.2: marked done" "$rc $out"
is "no setgid: still group 3000, 0660" "2002:3000 660" "$(mode "$s")"
mark zhao 1.1.1 "$s"
is "no setgid: zhao, outside the group, cannot read it: exit status" 1 "$rc"
# ... and a save warns when it cannot keep the group: zhao may write the
# 0666 file (in a 0777 folder) but is not in its group.
chmod 0777 "$d"
chmod 0666 "$s" "$s.lock" "$d/plan.history.jsonl"   # the history got the status file's 0660
mark zhao 2.1.1 "$s"
is "a group zhao is not in: the save succeeds" "0 2.1.1: marked done" "$rc $out"
is "a group zhao is not in: the warning" "plandash: warning: $s: the group gid 3000 could not be kept (Operation not permitted): the file now belongs to the group gid 2003; ask its owner to run chgrp" "$err"
is "a group zhao is not in: the mode is kept" "2003:2003 666" "$(mode "$s")"

# 3. A read-only user cannot hold the lock: the lock is an OFD write lock
#    on the lock file opened read-write.  zhao can read the lock file and
#    flock(1) it; writers do not wait for that.
d=$(folder setgid)
s=$d/plan.status.json
mark li 1.1.1 "$s"
chmod 0664 "$s" "$s.lock"
as zhao flock -x "$s.lock" sleep 14 &
flock_pid=$!
sleep 0.3
t0=$(date +%s)
mark wang 1.1.2 "$s"
t1=$(date +%s)
is "zhao holds flock on the lock file: wang's mark still succeeds" "0 1.1.2: marked done" "$rc $out"
ok "and at once (in $((t1 - t0)) s, not after 10)" test $((t1 - t0)) -le 2
is "wang's save: wang's, group 3000, 0664" "2002:3000 664" "$(mode "$s")"
is "the lock file zhao flocked: unchanged" "2001:3000 664" "$(mode "$s.lock")"
kill "$flock_pid" 2>/dev/null
wait "$flock_pid" 2>/dev/null
run as zhao "$LH" "$s.lock" 5
is "zhao cannot take the write lock: it needs write access" "2 lock_hold: $s.lock: Permission denied" "$rc $err"
cp "$s" "$_tmp_root/before"
mark zhao 2.1.1 "$s"
is "zhao's mark: exit status" 1 "$rc"
is "zhao's mark: why" "plandash: error: $s: cannot save: you may not write to it (mode 0664, owner uid 2002, group gid 3000); ask its owner for write access (nothing was saved)" "$err"
ok "zhao's mark: the file is byte-identical" cmp -s "$_tmp_root/before" "$s"
is "zhao's mark: owner, group and mode unchanged" "2002:3000 664" "$(mode "$s")"
# A writer holding the lock does make others wait (10 s for --mark); a
# lock file not writable by the saver is refused with its owner, no
# read-only fallback.
chmod 0666 "$s"
chown 2002:2002 "$s.lock"
chmod 0644 "$s.lock"
mark zhao 2.1.1 "$s"
is "a lock file zhao may not write: exit status" 1 "$rc"
is "a lock file zhao may not write: why" "plandash: error: $s: cannot save: cannot open the lock file $s.lock for writing: Permission denied (mode 0644, owner uid 2002, group gid 2002); only those who may write the status file may lock it (nothing was saved)" "$err"
ok "a lock file zhao may not write: the file is byte-identical" cmp -s "$_tmp_root/before" "$s"

# 4. Temporary files: unpredictable names in the same folder, created
#    O_EXCL|O_NOFOLLOW; what another user planted in a sticky folder
#    blocks nothing; only our own older than an hour are removed.
d=$(folder sticky)
s=$d/plan.status.json
mark li 1.1.1 "$s"
as zhao sh -c "echo planted >'$s.tmp'; echo planted >'$s.tmp-AAAAAA'; ln -s /etc/passwd '$s.tmp-BBBBBB'"
touch -h -d '2 hours ago' "$s.tmp" "$s.tmp-AAAAAA" "$s.tmp-BBBBBB"
as li sh -c "echo stale >'$s.tmp-Stale1'; echo fresh >'$s.tmp-Fresh1'"
touch -d '2 hours ago' "$s.tmp-Stale1"
mark li 1.1.2 "$s"
is "sticky: files planted by zhao block no save" "0 1.1.2: marked done" "$rc $out"
is "sticky: zhao's files are left alone; li's stale one is removed, the fresh one kept" \
    "$s.tmp $s.tmp-AAAAAA $s.tmp-BBBBBB $s.tmp-Fresh1" "$(echo $(ls -d "$s".tmp*))"
is "sticky: the file is li's, 0664" "2001:2001 664" "$(mode "$s")"
is "sticky: zhao's planted file is still zhao's" "2003:2003 644" "$(mode "$s.tmp-AAAAAA")"
# Two writers killed while writing leave two differently named files.
W=$BUILD/tools/status_writer
d=$(tmpdir)
chmod 755 "$d"
"$W" --kill-at write mark "$d/s.json" 1.1.1+ 2>/dev/null
"$W" --kill-at write mark "$d/s.json" 1.1.1+ 2>/dev/null
names=$(cd "$d" && ls s.json.tmp-* | grep -c '^s\.json\.tmp-[A-Za-z0-9]\{6\}$')
is "killed writers: two temporary files with random names" 2 "$names"
is "killed writers: the names differ" 2 "$(cd "$d" && ls s.json.tmp-* | sort -u | wc -l)"

# 5. A status-file symlink is followed only when it belongs to the user or
#    root, or when nobody else can write to its folder.
home=$(tmpdir)
chown 2001:2001 "$home"
chmod 0700 "$home"
as li sh -c "printf '{\"version\": 1, \"items\": {}}\n' >'$home/private.status.json'"
cp "$home/private.status.json" "$_tmp_root/before"
d=$(folder setgid)
s=$d/plan.status.json
as wang ln -s "$home/private.status.json" "$s"
mark li 1.1.1 "$s"
is "wang's link in the group folder: exit status" 1 "$rc"
is "wang's link in the group folder: refused, naming the link and its owner" "plandash: error: $s: refusing to follow the symbolic link $s: it belongs to uid 2002, and others can write to its folder $d (the link may have been planted); remove it, or give the file it should name with -s" "$err"
ok "li's private file is byte-identical" cmp -s "$_tmp_root/before" "$home/private.status.json"
is "li's private file: owner, group and mode unchanged" "2001:2001 644" "$(mode "$home/private.status.json")"
is "the link is still wang's (group 3000: the setgid folder)" "2002:3000" "$(stat -c '%u:%g' "$s")"
rm "$s"
as li ln -s "$home/private.status.json" "$s"
mark li 1.1.1 "$s"
is "li's own link is followed" "0 1.1.1: marked done" "$rc $out"
contains "li's own link: the mark went into the file it names" '"1.1.1": {"done": true' "$(cat "$home/private.status.json")"
ok "li's own link: the link is kept" test -L "$s"
is "li's own link: the file it names keeps its owner, group and mode" "2001:2001 644" "$(mode "$home/private.status.json")"
rm "$s"
ln -s "$home/private.status.json" "$s"
mark li 1.1.2 "$s"
is "root's link is followed" "0 1.1.2: marked done" "$rc $out"
rm "$s"
own=$(tmpdir)
chown 2002:2002 "$own"
chmod 0755 "$own"
as wang ln -s "$home/private.status.json" "$own/plan.status.json"
mark li 2.1.1 "$own/plan.status.json"
is "wang's link in wang's own 0755 folder (nobody else can write there) is followed" "0 2.1.1: marked done" "$rc $out"

# 5b. The history beside the status file follows the same rule: a link
#     planted by another user in a group folder is refused, naming the link
#     and its owner (the status file stays as it was); the user's own link
#     is followed.
as li sh -c ": >'$home/private.history.jsonl'"
cp "$home/private.history.jsonl" "$_tmp_root/hbefore"
d=$(folder setgid)
s=$d/plan.status.json
h=$d/plan.history.jsonl
mark li 1.1.1 "$s"
as wang ln -sf "$home/private.history.jsonl" "$h"
cp "$s" "$_tmp_root/before"
mark li 1.1.2 "$s"
is "wang's history link in the group folder: exit status" 1 "$rc"
is "wang's history link: refused, naming the link and its owner" "plandash: error: $s: refusing to follow the symbolic link $h, the history file beside it: the link belongs to uid 2002, and others can write to its folder $d (the link may have been planted); remove the link (the next save starts a new history there) or ask uid 2002 why it is there" "$err"
run as li 022 sh -c 'cd "$1" && exec "$2" --mark 1.1.2 -s plan.status.json "$3"' sh "$d" "$PLANDASH" "$plan"
is "a relative -s: the folder is named by its path, not ." "plandash: error: plan.status.json: refusing to follow the symbolic link plan.history.jsonl, the history file beside it: the link belongs to uid 2002, and others can write to its folder $(realpath "$d") (the link may have been planted); remove the link (the next save starts a new history there) or ask uid 2002 why it is there" "$err"
ok "wang's history link: the status file is byte-identical" cmp -s "$_tmp_root/before" "$s"
ok "wang's history link: li's private file is untouched" cmp -s "$_tmp_root/hbefore" "$home/private.history.jsonl"
rm "$h"
as li ln -s "$home/private.history.jsonl" "$h"
mark li 1.1.2 "$s"
is "li's own history link is followed" "0 1.1.2: marked done" "$rc $out"
contains "li's own history link: the line went into the file it names" '"id":"1.1.2","done":true' "$(cat "$home/private.history.jsonl")"
ok "li's own history link: the link is kept" test -L "$h"
done_testing
