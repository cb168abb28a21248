# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""What a Python region costs: the benchmark's Python workload.

python_cost.py detached --count N
    N calls of an empty function decorated by a no-op pure-Python decorator
    and N of one decorated by scope_bpf.profile, alternating in slices of
    N/20; prints noop_ns=, profiled_ns=, ratio=, with_ns= (a `with
    scope_bpf.region(...)` around nothing) and plain_ns= (the undecorated
    call), each per call.
python_cost.py attached --count N --warmup W
    prints "ready", waits for SIGUSR1 (sent once the agent says it has
    attached), makes W then N calls of the profiled function (the region
    "bench.py_region") and prints ns_per_region= for the N, and attached=
    (scope_bpf.attached() then).
"""
import argparse
import functools
import signal
import sys
import time

import scope_bpf


def noop_decorator(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return func(*args, **kwargs)

    return wrapper


def plain():
    pass


@noop_decorator
def noop():
    pass


@scope_bpf.profile("bench.py_region")
def profiled():
    pass


def loop(func, n):
    t0 = time.perf_counter_ns()
    for _ in range(n):
        func()
    return time.perf_counter_ns() - t0


def loop_with(n):
    reg = scope_bpf.region
    t0 = time.perf_counter_ns()
    for _ in range(n):
        with reg("bench.py_with"):
            pass
    return time.perf_counter_ns() - t0


def detached(n):
    slices = 20
    per = max(n // slices, 1)
    ns = {"plain": 0, "noop": 0, "profiled": 0, "with": 0}
    loop(noop, per)
    loop(profiled, per)
    for _ in range(slices):
        ns["plain"] += loop(plain, per)
        ns["noop"] += loop(noop, per)
        ns["profiled"] += loop(profiled, per)
        ns["with"] += loop_with(per)
    total = per * slices
    out = {k + "_ns": v / total for k, v in ns.items()}
    out["ratio"] = ns["profiled"] / ns["noop"]
    print(" ".join("%s=%.3f" % kv for kv in out.items()))


def attached(n, warmup, cmarker):
    work = None
    if cmarker:
        sys.path.insert(0, cmarker)
        import pymarked

        work = pymarked.work
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    print("ready", flush=True)
    signal.sigwait([signal.SIGUSR1])
    loop(profiled, warmup)
    ns = loop(profiled, n) / n
    line = "ns_per_region=%.1f attached=%s" % (ns, scope_bpf.attached())
    if work:
        t0 = time.perf_counter_ns()
        for _ in range(n):
            work(0)
        line += " cmarker_ns=%.1f" % ((time.perf_counter_ns() - t0) / n)
    print(line, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["detached", "attached"])
    ap.add_argument("--count", type=int, default=2000000)
    ap.add_argument("--warmup", type=int, default=1000)
    ap.add_argument("--cmarker", default="")
    args = ap.parse_args()
    if args.mode == "detached":
        detached(args.count)
    else:
        attached(args.count, args.warmup, args.cmarker)
    return 0


if __name__ == "__main__":
    sys.exit(main())
