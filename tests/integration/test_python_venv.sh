#!/bin/bash
# The Python module installs into a venv from the source tree with no
# network (pip --no-index --no-build-isolation, Debian's setuptools and
# wheel through --system-site-packages) and works there: it imports from the
# venv, not from the tree, and a decorated function runs.
source "$(dirname "$0")/lib.sh"

PYTHON=/usr/bin/python3
$PYTHON -c 'import ensurepip, setuptools, wheel' 2>/dev/null ||
	skip "needs python3-venv, python3-setuptools and python3-wheel"

# a copy of the tree's two parts the build reads, so the build's leftovers
# (python/build) land in $TMP
mkdir -p "$TMP/src"
cp -r python include "$TMP/src/"
rm -rf "$TMP/src/python/build"
$PYTHON -m venv --system-site-packages "$TMP/venv" || fail "python3 -m venv"
# no network at all: a new network namespace has only a down loopback
net=()
unshare --net true 2>/dev/null && net=(unshare --net)
PIP_CONFIG_FILE=/dev/null "${net[@]}" "$TMP/venv/bin/pip" install --no-index \
	--no-build-isolation "$TMP/src/python" >"$TMP/pip.log" 2>&1 || {
	cat "$TMP/pip.log" >&2
	fail "pip install --no-index --no-build-isolation ./python"
}
echo "ok: pip installed the module offline${net:+ (no network namespace)}"

cat >"$TMP/app.py" <<'PY'
import scope_bpf

@scope_bpf.profile
def add(a, b):
    return a + b

class K:
    @scope_bpf.profile("k.twice")
    def twice(self, x):
        return 2 * x

with scope_bpf.region("block"):
    total = sum(add(i, 1) for i in range(10)) + K().twice(5)
print(scope_bpf.__file__, add.region.name, K.twice.region.name, total,
      scope_bpf.attached())
PY
out=$(cd "$TMP" && "$TMP/venv/bin/python" app.py) || fail "the app does not run in the venv"
read -r file name kname total att <<<"$out"
[[ $file == "$TMP/venv/lib/python"*"/site-packages/scope_bpf/__init__.py" ]] ||
	fail "scope_bpf imported from $file, not from the venv"
echo "ok: scope_bpf imports from the venv"
expect_eq "region names, result, attached()" "$name $kname $total $att" \
	"__main__.add k.twice 65 False"
