#!/usr/bin/python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The medians of a trace of tests/progs/nested_bias (`run --trace`), as
# measured: nested_medians.py FILE PARENT CHILD prints
#   child=NS parent_self=NS parents=N
# (nothing for a profile without /trace)
# the median of CHILD's durations, and the median over PARENT's instances
# of its duration minus the durations of the CHILD instances inside it.
# Medians, as the program's truths are: one preemption must not move them.
import sys

import h5py
import numpy as np


def main(path, parent, child):
    with h5py.File(path, "r") as f:
        if "trace" not in f:
            return  # a profile without a trace: no medians
        ids = {r["name"].decode(): int(r["id"]) for r in f["regions"][:]}
        iv = f["trace/intervals"][:]
    dur = (iv["end_ns"] - iv["start_ns"]).astype(np.int64)
    is_p = iv["region"] == ids[parent]
    is_c = (iv["region"] == ids[child]) & (iv["parent"] == ids[parent])
    if not is_p.any() or not is_c.any():
        sys.exit(f"{path}: no {parent} or {child} intervals")
    self_ns = []
    for tid in np.unique(iv["tid"][is_p]):
        p = is_p & (iv["tid"] == tid)
        c = is_c & (iv["tid"] == tid)
        order = np.argsort(iv["end_ns"][c])
        c_end = iv["end_ns"][c][order]
        c_sum = np.concatenate(([0], np.cumsum(dur[c][order])))
        lo = np.searchsorted(c_end, iv["start_ns"][p], side="left")
        hi = np.searchsorted(c_end, iv["end_ns"][p], side="right")
        self_ns.append(dur[p] - (c_sum[hi] - c_sum[lo]))
    self_ns = np.concatenate(self_ns)
    print(f"child={np.median(dur[is_c]):.1f} "
          f"parent_self={np.median(self_ns):.1f} parents={len(self_ns)}")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: nested_medians.py FILE PARENT CHILD")
    main(*sys.argv[1:])
