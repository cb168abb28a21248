#!/bin/bash
# make install / make uninstall into a DESTDIR with PREFIX=/usr: every file
# lands where it should, the .pc file lets a marked program build against the
# installed header, the manual page renders without a warning, the completion
# registers; the Python module imports from Debian's path for /usr and for
# /usr/local; uninstall removes every file.
source "$(dirname "$0")/lib.sh"

dest=$TMP/dest
PYTHON=/usr/bin/python3
ext=$($PYTHON -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))')
files="/usr/bin/scope-bpf /usr/include/scope_bpf.h /usr/share/pkgconfig/scope-bpf.pc
/usr/share/man/man1/scope-bpf.1 /usr/share/bash-completion/completions/scope-bpf
/usr/include/scope_bpf_likwid.h /usr/include/scope_bpf.f90 /usr/lib/libscope_bpf_fortran.a
/usr/lib/python3/dist-packages/scope_bpf/__init__.py
/usr/lib/python3/dist-packages/scope_bpf/_core$ext"

make -s install DESTDIR="$dest" PREFIX=/usr >"$TMP/install.log" 2>&1 || {
	cat "$TMP/install.log" >&2
	fail "make install"
}
for f in $files; do
	[ -f "$dest$f" ] || fail "make install did not install $f"
done
[ -x "$dest/usr/bin/scope-bpf" ] || fail "the installed binary is not executable"
expect_eq "installed files" "$(find "$dest" -type f | wc -l)" "$(echo $files | wc -w)"
"$dest/usr/bin/scope-bpf" --version >/dev/null || fail "the installed binary does not run"
grep -qx 'prefix=/usr' "$dest/usr/share/pkgconfig/scope-bpf.pc" ||
	fail "scope-bpf.pc does not say prefix=/usr"

# a marked program built with pkg-config's flags reads the installed header
export PKG_CONFIG_PATH=$dest/usr/share/pkgconfig
cflags=$(pkg-config --define-prefix --cflags scope-bpf) || fail "pkg-config scope-bpf"
expect_eq "pkg-config --cflags" "$(echo $cflags)" "-I$dest/usr/include"
expect_eq "pkg-config --libs" "$(echo $(pkg-config --define-prefix --libs scope-bpf))" ""
cat >"$TMP/marked.c" <<'PROG'
#include <scope_bpf.h>
int main(void)
{
	SCOPE_BPF_BEGIN(work);
	SCOPE_BPF_END(work);
	return 0;
}
PROG
# shellcheck disable=SC2086
(cd "$TMP" && cc $cflags -Wall -Wextra -Werror -H marked.c -o marked 2>"$TMP/headers") ||
	fail "a marked program does not build with pkg-config's flags"
grep -q "^\. $dest/usr/include/scope_bpf.h" "$TMP/headers" ||
	fail "the program did not read the installed header: $(head -1 "$TMP/headers")"
"$dest/usr/bin/scope-bpf" list "$TMP/marked" | grep -qw work ||
	fail "scope-bpf list does not see the region of the installed header"
echo "ok: a program built with pkg-config --cflags scope-bpf has its region"

# a Fortran program builds on the installed module and its C side
if command -v gfortran >/dev/null; then
	cat >"$TMP/marked.f90" <<'PROG'
program marked
  use scope_bpf
  call scope_bpf_begin("work")
  call scope_bpf_end("work")
end program marked
PROG
	(cd "$TMP" && gfortran -c "$dest/usr/include/scope_bpf.f90" -o scope_bpf.o &&
		gfortran marked.f90 scope_bpf.o -L"$dest/usr/lib" -lscope_bpf_fortran -o fmarked) ||
		fail "a Fortran program does not build on the installed module"
	"$TMP/fmarked" || fail "the Fortran program does not run"
	"$dest/usr/bin/scope-bpf" list "$TMP/fmarked" | grep -q "named at run time" ||
		fail "scope-bpf list does not see the Fortran program's sites"
	rm -f "$TMP"/*.mod
	echo "ok: a Fortran program builds on the installed module"
fi

# the manual page renders without a warning
warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$dest/usr/share/man/man1/scope-bpf.1" 2>&1 >/dev/null)
expect_eq "man -l warnings" "$warnings" ""
man -l "$dest/usr/share/man/man1/scope-bpf.1" 2>/dev/null | grep -q "EXIT STATUS" ||
	fail "man -l does not render the page"

# the completion registers and completes
out=$(bash -c 'source "$1" && complete -p scope-bpf &&
	COMP_WORDS=(scope-bpf re) COMP_CWORD=1 && _scope_bpf && echo "${COMPREPLY[*]}"' \
	_ "$dest/usr/share/bash-completion/completions/scope-bpf") ||
	fail "the completion does not load"
expect_eq "complete -p and 'scope-bpf re<TAB>'" "$(echo $out)" "complete -F _scope_bpf scope-bpf report"

# the Python module, where Debian's python3 looks for it: the DESTDIR's copy
# of /usr/lib/python3/dist-packages imports (from another directory, so the
# source tree's python/ is not what imports)
# py_import ROOT: where scope_bpf imports from, its path under ROOT
py_import() {
	(cd "$TMP" && $PYTHON -c 'import sys; root = sys.argv[1]
sys.path[:] = [root + p if p.startswith("/usr/") else p for p in sys.path]
import scope_bpf
print(scope_bpf._core.__file__[len(root):])' "$1")
}
expect_eq "scope_bpf imports from DESTDIR (PREFIX=/usr)" "$(py_import "$dest")" \
	"/usr/lib/python3/dist-packages/scope_bpf/_core$ext"

make -s uninstall DESTDIR="$dest" PREFIX=/usr || fail "make uninstall"
expect_eq "files left after uninstall" "$(find "$dest" -type f | wc -l)" 0
expect_eq "directories left in dist-packages" \
	"$(find "$dest/usr/lib/python3/dist-packages" -mindepth 1 | wc -l)" 0

# PREFIX=/usr/local: Debian's python3 looks in /usr/local/lib/python3.X
local_dest=$TMP/local
make -s install DESTDIR="$local_dest" PREFIX=/usr/local >"$TMP/install.log" 2>&1 || {
	cat "$TMP/install.log" >&2
	fail "make install PREFIX=/usr/local"
}
pyver=$($PYTHON -c 'import sys; print("%d.%d" % sys.version_info[:2])')
expect_eq "scope_bpf imports from DESTDIR (PREFIX=/usr/local)" "$(py_import "$local_dest")" \
	"/usr/local/lib/python$pyver/dist-packages/scope_bpf/_core$ext"
