#!/bin/bash
# The profile belongs to the user behind sudo, and a symlink planted at the
# output path is replaced, never followed.
source "$(dirname "$0")/lib.sh"

# (--as-root: the checkout may be out of the reach of uid 65534)
SUDO_UID=65534 SUDO_GID=65534 $SCOPE run -q --as-root -o "$TMP/own.h5" -- $PROGS/counts 1 5 1 >/dev/null
expect_eq "owner" "$(stat -c %u:%g "$TMP/own.h5")" 65534:65534

echo "precious" >"$TMP/victim"
ln -s "$TMP/victim" "$TMP/link.h5"
$SCOPE run -q -o "$TMP/link.h5" -- $PROGS/counts 1 5 1 >/dev/null
expect_eq "victim untouched" "$(cat "$TMP/victim")" precious
[ -L "$TMP/link.h5" ] && fail "output is still a symlink"
expect_eq "outer calls in the replaced file" "$(column "$(csv "$TMP/link.h5")" outer calls)" 5
ls -la "$TMP" | grep -q '\.link\.h5\.' && fail "a temporary file was left behind"
echo "ok: no temporary left"

# under sudo the command runs as the user who ran sudo, unless --as-root
chmod 755 "$TMP"
cp $PROGS/ident "$TMP/ident"
out=$(SUDO_UID=65534 SUDO_GID=65534 $SCOPE run -q -o "$TMP/id.h5" -- "$TMP/ident")
expect_eq "command's identity under sudo" "$out" "uid=65534 gid=65534"
expect_eq "ident calls" "$(column "$(csv "$TMP/id.h5")" ident calls)" 1
out=$(SUDO_UID=65534 SUDO_GID=65534 $SCOPE run -q --as-root -o "$TMP/id.h5" -- "$TMP/ident")
expect_eq "command's identity with --as-root" "$out" "uid=0 gid=0"
