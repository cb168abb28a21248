# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# For the build tests (source after lib.sh): a fresh copy of this tree as CI
# sees it, a `git clone` plus the changes not yet committed, without any of
# the ignored build outputs.

# clone_tree DIR
clone_tree() {
	local dir=$1 f
	git clone -q "$PWD" "$dir"
	git diff --binary HEAD | git -C "$dir" apply --allow-empty
	git ls-files -z -o --exclude-standard | while IFS= read -r -d '' f; do
		mkdir -p "$dir/$(dirname "$f")"
		cp -p "$f" "$dir/$f"
	done
}
