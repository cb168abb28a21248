#!/bin/bash
# The scope_bpf Python module without an agent: names and file:line of
# decorated functions, methods and with statements, wrappers that behave like
# what they wrap (generators, coroutines, async generators, exceptions), and
# SCOPE_BPF_DISABLE=1 (the identity, one shared no-op region).
source "$(dirname "$0")/lib.sh"

PY=(env PYTHONPATH="$PWD/$OUTPUT/python" /usr/bin/python3)
check=$PWD/tests/progs/python/api_check.py
out=$(cd "$TMP" && "${PY[@]}" "$check") || fail "api_check: $out"
echo "$out"
expect_eq "enabled checks" "$(grep -c '^ok: ' <<<"$out")" 6
out=$(cd "$TMP" && SCOPE_BPF_DISABLE=1 "${PY[@]}" "$check") || fail "api_check disabled: $out"
echo "$out"
expect_eq "disabled checks" "$(grep -c '^ok: ' <<<"$out")" 1
# read once at import: set later, it changes nothing
out=$(cd "$TMP" && "${PY[@]}" -c 'import os, scope_bpf
os.environ["SCOPE_BPF_DISABLE"] = "1"
f = lambda: 0
print(scope_bpf.profile(f) is f, scope_bpf.disabled)')
expect_eq "SCOPE_BPF_DISABLE set after import" "$out" "False False"
