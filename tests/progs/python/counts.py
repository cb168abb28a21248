# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Known counts from Python regions, for the test suite.

counts.py N THREADS SLEEP_MS [--signal | --wait-probes | --late-import]

THREADS threads each run N rounds of: outer (py.outer > py.inner > leaf x2),
rec(3) (4 nested calls), a region left by an exception (py.raises), a
generator of 3 items (4 resumptions), a region left by return (py.early),
a loop of regions left by break (3 of py.brk), begin/end (py.be) and a
region around a C extension call with its own marker region (py.cwork >
cwork). The main thread runs py.main around all of it, then three naps of
SLEEP_MS in py.sleep, then 5 runs of a coroutine that awaits twice (3
resumptions each: 15 calls of __main__.coro).

--signal: first runs one round uncounted (so the module is imported and
used), prints "ready" and waits for SIGUSR1 (a test attaches then).
--wait-probes: waits until scope_bpf.attached() and pymarked.probed() (the
agent probes libraries mapped after it started).
--late-import: prints "ready" and waits for SIGUSR1 before it imports
scope_bpf and pymarked (a test attaches then), then as --wait-probes.
Prints "done attached=..." at the end. Imports pymarked from $PYMARKED_DIR.
"""
import asyncio
import os
import signal
import sys
import threading
import time

if "--late-import" in sys.argv:
    assert "scope_bpf" not in sys.modules
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
    print("ready", flush=True)
    signal.sigwait([signal.SIGUSR1])

import scope_bpf  # noqa: E402

sys.path.insert(0, os.environ["PYMARKED_DIR"])
import pymarked  # noqa: E402


@scope_bpf.profile
def leaf():
    return 1


@scope_bpf.profile("py.outer")
def outer(i):
    with scope_bpf.region("py.inner"):
        return leaf() + leaf() + i


@scope_bpf.profile
def rec(depth):
    return rec(depth - 1) + 1 if depth else 0


def raises():
    with scope_bpf.region("py.raises"):
        raise ValueError("left by an exception")


@scope_bpf.profile
def gen(n):
    for i in range(n):
        yield i


def early(i):
    with scope_bpf.region("py.early"):
        return i


def breaks():
    for j in range(5):
        with scope_bpf.region("py.brk"):
            if j == 2:
                break


def begin_end():
    scope_bpf.begin("py.be")
    scope_bpf.end("py.be")


def cwrap():
    with scope_bpf.region("py.cwork"):
        pymarked.work(100)


@scope_bpf.profile
async def coro():
    await asyncio.sleep(0)
    await asyncio.sleep(0)


@scope_bpf.profile("py.sleep")
def nap(ms):
    time.sleep(ms / 1000.0)


def round_(i):
    outer(i)
    rec(3)
    try:
        raises()
    except ValueError:
        pass
    assert sum(gen(3)) == 3
    early(i)
    breaks()
    begin_end()
    cwrap()


def worker(n):
    for i in range(n):
        round_(i)


def main():
    n, nthreads, sleep_ms = (int(a) for a in sys.argv[1:4])
    mode = sys.argv[4] if len(sys.argv) > 4 else ""
    if mode == "--signal":
        signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
        round_(0)
        print("ready", flush=True)
        signal.sigwait([signal.SIGUSR1])
    elif mode in ("--wait-probes", "--late-import"):
        t0 = time.monotonic()
        while not (scope_bpf.attached() and pymarked.probed()):
            if time.monotonic() - t0 > 30:
                print("no probes after 30 s", file=sys.stderr)
                return 1
            time.sleep(0.001)
    with scope_bpf.region("py.main"):
        threads = [threading.Thread(target=worker, args=(n,))
                   for _ in range(nthreads)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for _ in range(3):
        nap(sleep_ms)
    for _ in range(5):
        asyncio.run(coro())
    print("done attached=%s" % scope_bpf.attached(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
