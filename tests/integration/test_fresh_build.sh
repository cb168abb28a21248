#!/bin/bash
# The README's commands on a fresh clone of a fresh machine: `make demo` and
# `make test` work the first time, although libhdf5-dev (and so pkg-config's
# answer for hdf5) only arrives with their deps step. A pkg-config stub knows
# no hdf5 until the stubbed deps step has run.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/clone.sh"

real_pkg_config=$(command -v pkg-config) || fail "pkg-config is not installed"
mkdir -p "$TMP/bin"
cat >"$TMP/bin/pkg-config" <<STUB
#!/bin/sh
if [ ! -e "$TMP/deps-ran" ]; then
	for a; do
		case \$a in hdf5*) echo "Package hdf5 was not found" >&2; exit 1 ;; esac
	done
fi
exec "$real_pkg_config" "\$@"
STUB
chmod +x "$TMP/bin/pkg-config"

tree=$TMP/tree
clone_tree "$tree"
# deps: the real script (a no-op where everything is installed), then hdf5
# "appears"; the suite itself is not run from inside the suite
cp scripts/install-deps.sh "$TMP/install-deps.real.sh"
printf '#!/bin/sh\nset -e\n%s "$@"\ntouch %s\n' \
	"$TMP/install-deps.real.sh" "$TMP/deps-ran" >"$tree/scripts/install-deps.sh"
printf '#!/bin/sh\necho "tests/run.sh: stub"\n' >"$tree/tests/run.sh"
chmod +x "$tree/scripts/install-deps.sh" "$tree/tests/run.sh"

fresh_make() { # target: on a tree without build outputs, before deps ran
	rm -f "$TMP/deps-ran"
	git -C "$tree" clean -fdxq
	(cd "$tree" && PATH="$TMP/bin:$PATH" PKG_CONFIG="$TMP/bin/pkg-config" \
		make -j2 "$1") >"$TMP/$1.log" 2>&1 || {
		tail -n 20 "$TMP/$1.log" >&2
		fail "make $1 on a fresh clone failed the first time"
	}
	echo "ok: make $1 on a fresh clone"
}

fresh_make demo
grep -q "every region count matches" "$TMP/demo.log" || fail "the demo did not check its counts"
fresh_make test
for f in scope-bpf .output/tests/test_report .output/tests/progs/counts \
	.output/bench/bench-floor .output/examples/heat; do
	[ -x "$tree/$f" ] || fail "make test did not build $f"
done
grep -q "tests/run.sh: stub" "$TMP/test.log" || fail "make test did not run tests/run.sh"
echo "ok: make test built everything, then ran the suite"
