#!/bin/sh
# A save that cannot be made fails cleanly: exit status 1, a message that
# says what went wrong and what to do, the old status file byte-identical,
# no temporary file left.  Real failures where this machine allows them:
#   - a full disk: a 64 KiB tmpfs, filled up (needs root and mount);
#   - a read-only folder: that tmpfs remounted read-only (EROFS), and a
#     folder without write permission for the writer (run as "nobody" with
#     setpriv when we are root: root ignores permissions);
# and injected ones (status_set_fault_hook, through status_writer --fault)
# for every step of a save, which run everywhere.  Mount tests run in a
# private mount namespace (unshare -m), so nothing stays mounted if this
# script dies.
if [ -z "${PLANDASH_UNSHARED:-}" ] && [ "$(id -u)" = 0 ] &&
    unshare -m true 2>/dev/null; then
    PLANDASH_UNSHARED=1 exec unshare -m sh "$0" "$@"
fi
. "$TOP/tests/lib.sh"
W=$BUILD/tools/status_writer
FIX=$TOP/tests/fixtures/status
d=$(tmpdir)
mnt=""
trap 'if [ -n "$mnt" ]; then umount "$mnt" 2>/dev/null; fi; rm -rf "$_tmp_root"' EXIT

# refused NAME FILE WANT CMD...: CMD exits 1, says WANT on stderr, FILE (if
# it existed) is byte-identical afterwards and FILE.tmp does not exist.
refused() {
    name=$1 file=$2 want=$3
    shift 3
    rm -f "$_tmp_root/before"
    [ -f "$file" ] && cp "$file" "$_tmp_root/before"
    run "$@"
    is "$name: exit status" 1 "$rc"
    contains "$name: message" "$want" "$err"
    if [ -f "$_tmp_root/before" ]; then
        ok "$name: the old file is unchanged" cmp -s "$_tmp_root/before" "$file"
    fi
    ok "$name: no temporary file is left" test ! -e "$file.tmp"
}

f=$d/s.json
cp "$FIX/initial.json" "$f"
"$W" mark "$f" 1.1.3+ || fail "a first save"

# 1. Injected failures at every step of a save.
refused "injected ENOSPC on write" "$f" \
    "cannot save: cannot write $f.tmp: No space left on device; free some disk space and try again (nothing was saved)" \
    "$W" --fault write=ENOSPC mark "$f" 1.1.4+
refused "injected ENOSPC on the 2nd write (short writes)" "$f" "No space left on device" \
    "$W" --short 100 --fault write=ENOSPC@2 mark "$f" 1.1.4+
refused "a write that makes no progress" "$f" "made no progress (the system wrote 0 bytes)" \
    "$W" --short 0 mark "$f" 1.1.4+
refused "injected EIO on fsync" "$f" "cannot flush $f.tmp to the disk (fsync): Input/output error" \
    "$W" --fault fsync=EIO mark "$f" 1.1.4+
refused "injected EIO on close" "$f" "cannot close $f.tmp: Input/output error" \
    "$W" --fault close=EIO mark "$f" 1.1.4+
refused "injected EACCES on rename" "$f" "cannot rename $f.tmp over the status file: Permission denied" \
    "$W" --fault rename=EACCES mark "$f" 1.1.4+
refused "injected EACCES on the lock file" "$f" \
    "cannot create the lock file $f.lock: Permission denied; check the permissions" \
    "$W" --fault lock=EACCES mark "$f" 1.1.4+
refused "injected EROFS creating the temporary file" "$f" "Read-only file system" \
    "$W" --fault open=EROFS mark "$f" 1.1.4+
run "$W" --fault dirsync=EIO mark "$f" 1.1.4+
is "a failed folder sync: the save stands" 0 "$rc"
contains "a failed folder sync: a warning" "plandash: warning: $f: saved, but the folder" "$err"
contains "a failed folder sync: the mark is saved" '"1.1.4": {"done": true' "$(cat "$f")"
run "$W" --short 7 mark "$f" 1.1.5+
is "short writes: the save succeeds" 0 "$rc"
run "$W" verify "$f" /dev/null "$f"
is "short writes: the file is whole" 0 "$rc"

# 2. A missing folder.
refused "a missing folder" "$d/nofolder/s.json" \
    "cannot create the lock file $d/nofolder/s.json.lock: No such file or directory; check that the folder exists" \
    "$W" mark "$d/nofolder/s.json" 1.1.1+
ok "a missing folder: it is not created" test ! -e "$d/nofolder"

# 3. The status file replaced by a folder.
mkdir "$d/dir.json"
refused "a folder in the file's place" "$d/dir.json" "plandash: error: $d/dir.json: is a folder, not a status file; remove it or use -s" \
    "$W" mark "$d/dir.json" 1.1.1+
is "a folder in the file's place: the folder is untouched" "" "$(ls -A "$d/dir.json")"

# 4. A dangling symbolic link.
ln -s missing.json "$d/link.json"
refused "a dangling symlink" "$d/link.json" \
    "plandash: error: $d/link.json: is a symbolic link to \"$d/missing.json\", which does not exist" \
    "$W" mark "$d/link.json" 1.1.1+
ok "a dangling symlink: the link is still a link" test -L "$d/link.json"
ok "a dangling symlink: its target is not created" test ! -e "$d/missing.json"

# 5. A broken status file is never overwritten (also through the CLI).
printf '{"version": 1, "items": {"1.1.1": {"done": true}}, "x": [1, 2,]}\n' >"$d/bad.json"
refused "a broken file" "$d/bad.json" "bad.json:1:63: error: a ',' before ']'" \
    "$W" mark "$d/bad.json" 1.1.2+
plan=$d/plan.yaml
cat >"$plan" <<'EOF'
title: 故障测试
goals:
  - id: "1"
    title: 目标
    tasks:
      - id: "1.1"
        title: 任务
        items:
          - id: "1.1.1"
            text: 内容一
            lead: 区党政办
          - id: "1.1.2"
            text: 内容二
            lead: 区党政办
EOF
if [ -x "$PLANDASH" ]; then
    refused "plandash --mark on a broken file" "$d/bad.json" "bad.json:1:63: error: a ',' before ']'" \
        "$PLANDASH" --mark 1.1.2 -s "$d/bad.json" "$plan"
else
    skip "plandash --mark on a broken file" "$PLANDASH is not built"
fi

# 6. Read-only folder, as a user without write permission.  Root ignores
#    permissions, so root runs the writer as "nobody" (a copy of it, in a
#    folder nobody can reach).
ro=$d/ro
mkdir "$ro"
cp "$FIX/initial.json" "$ro/s.json"
chmod 644 "$ro/s.json"
chmod 555 "$ro"
if [ "$(id -u)" != 0 ]; then
    refused "a read-only folder (permissions)" "$ro/s.json" "Permission denied; check the permissions" \
        "$W" mark "$ro/s.json" 1.1.1+
elif command -v setpriv >/dev/null 2>&1 &&
    setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    cp "$W" "$d/writer"
    chmod 755 "$d/writer" "$d"
    chmod 711 "$_tmp_root"
    refused "a read-only folder (permissions, as nobody)" "$ro/s.json" \
        "cannot create the lock file $ro/s.json.lock: Permission denied; check the permissions" \
        setpriv --reuid=65534 --regid=65534 --clear-groups "$d/writer" mark "$ro/s.json" 1.1.1+
    ok "a read-only folder: no lock file was made" test ! -e "$ro/s.json.lock"
else
    skip "a read-only folder (permissions, as nobody)" "cannot run as another user (injected EACCES above)"
fi
chmod 755 "$ro"

# 7. A full disk and a read-only file system, for real: a small tmpfs.
m=$d/mnt
mkdir "$m"
if [ "$(id -u)" = 0 ] && mount -t tmpfs -o size=64k,mode=755 tmpfs "$m" 2>/dev/null; then
    mnt=$m
    cp "$FIX/initial.json" "$m/s.json"
    cp "$plan" "$m/plan.yaml"
    "$W" mark "$m/s.json" 1.1.1- >/dev/null   # the lock file exists from now on
    dd if=/dev/zero of="$m/filler" bs=4096 2>/dev/null   # until the disk is full
    refused "a full disk (tmpfs)" "$m/s.json" \
        "cannot save: cannot write $m/s.json.tmp: No space left on device; free some disk space and try again" \
        "$W" mark "$m/s.json" 1.1.2+
    if [ -x "$PLANDASH" ]; then
        refused "plandash --mark on a full disk" "$m/s.json" "No space left on device" \
            "$PLANDASH" --mark 1.1.2 -s "$m/s.json" "$m/plan.yaml"
    else
        skip "plandash --mark on a full disk" "$PLANDASH is not built"
    fi
    rm -f "$m/filler"
    run "$W" mark "$m/s.json" 1.1.2+
    is "with space again: the save succeeds" 0 "$rc"
    if mount -o remount,ro "$m" 2>/dev/null; then
        refused "a read-only file system" "$m/s.json" \
            "plandash: error: $m/s.json: cannot save: cannot create the lock file $m/s.json.lock: Read-only file system; the file system is read-only" \
            "$W" mark "$m/s.json" 1.1.3+
    else
        skip "a read-only file system" "cannot remount the tmpfs read-only"
    fi
    umount "$m"
    mnt=""
else
    skip "a full disk and a read-only file system (tmpfs)" "cannot mount a tmpfs (injected ENOSPC and EROFS above)"
fi
done_testing
