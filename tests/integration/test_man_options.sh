#!/bin/bash
# The manual page and the bash completion cannot drift from the binary: each
# command that `scope-bpf --help` lists, and each long option that a
# command's --help prints, appears in both.
# Needs no root.
source "$(dirname "$0")/lib.sh"

MAN=docs/scope-bpf.1
COMPLETION=completions/scope-bpf.bash
# the page's text with roff's escapes undone (\- is -, \fB is a font)
page=$(sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' "$MAN")

long_options() { # text: the --options it names, once each
	grep -oE -- '--[a-z][a-z0-9-]*' | sort -u
}

commands=$($SCOPE --help | awk '/^Commands:/ { on = 1; next } on && NF == 0 { exit } on { print $1 }')
[ -n "$commands" ] || fail "scope-bpf --help lists no command"
for cmd in $commands; do
	grep -qE "^\.B $cmd\$" "$MAN" || fail "$MAN does not describe the command $cmd"
	grep -qw -- "$cmd" "$COMPLETION" || fail "$COMPLETION does not complete the command $cmd"
	opts=$($SCOPE "$cmd" --help | long_options)
	[ -n "$opts" ] || fail "scope-bpf $cmd --help prints no option"
	for o in $opts; do
		grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" <<<"$page" ||
			fail "$MAN does not mention $o of scope-bpf $cmd"
		grep -qE -- "(^|[^a-z-])$o([^a-z-]|\$)" "$COMPLETION" ||
			fail "$COMPLETION does not complete $o of scope-bpf $cmd"
	done
	echo "ok: $cmd: $(echo $opts) in the manual page and the completion"
done
