#!/bin/sh
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Installs the Debian packages scope-bpf needs to build, test and run; does
# nothing when they are all present, so `make demo` and `make test` can call it.
# With "bench": also what the benchmark compares against (bpftrace), and
# the real programs the --func tests profile (sqlite3, zstd).
set -eu

PKGS="make gcc g++ libc6-dev binutils clang llvm libbpf-dev bpftool libelf-dev libdw-dev zlib1g-dev
libhdf5-dev hdf5-tools libcmocka-dev pkg-config likwid lua5.3 linux-perf python3-h5py util-linux
man-db groff-base clang-format librsvg2-bin libopen-trace-format2-dev otf2-tools
libprotobuf-c-dev protobuf-c-compiler protobuf-compiler gfortran
python3-dev python3-venv python3-pip python3-setuptools python3-wheel python3-pandas"
[ "${1:-}" = bench ] && PKGS="$PKGS bpftrace sqlite3 zstd"

missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "scope-bpf: missing Debian packages:$missing" >&2
	echo "scope-bpf: run this as root (or: sudo $0)" >&2
	exit 1
fi
echo "scope-bpf: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
