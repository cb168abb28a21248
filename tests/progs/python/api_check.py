# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""The scope_bpf module's Python-side contract, no agent needed: names,
file:line, wrappers that behave like what they wrap, exceptions through
regions, generators and coroutines, the disabled forms. Prints "ok: ..."
lines; an assertion stops it."""
import asyncio
import os
import sys

import scope_bpf

HERE = os.path.abspath(__file__)


def line_of(text):
    with open(HERE) as f:
        for n, line in enumerate(f, 1):
            if text in line:
                return n
    raise LookupError(text)


def check_disabled():
    assert scope_bpf.disabled

    def f():
        pass

    assert scope_bpf.profile(f) is f
    assert scope_bpf.profile("x")(f) is f
    assert scope_bpf.profile(name="x")(f) is f
    assert scope_bpf.region("a") is scope_bpf.region("b")
    with scope_bpf.region("a") as r:
        assert r is scope_bpf.region("c")
    scope_bpf.begin("a")
    scope_bpf.end("a")
    assert scope_bpf.attached() is False
    assert "_core" not in sys.modules.get("scope_bpf").__dict__
    print("ok: disabled: identity decorator, one shared no-op region")


@scope_bpf.profile
def add(a, b=1):
    """adds"""
    return a + b


class Outer:
    class Inner:
        @scope_bpf.profile
        def method(self, x):
            return (self, x)

        @staticmethod
        @scope_bpf.profile("static_under")
        def st(x):
            return x + 1

        @scope_bpf.profile("static_over")
        @staticmethod
        def st2(x):
            return x + 2

        @classmethod
        @scope_bpf.profile
        def cm(cls):
            return cls


@scope_bpf.profile(name="named.gen")
def gen(n):
    got = []
    for i in range(n):
        got.append((yield i))
    return got


@scope_bpf.profile
async def coro(x):
    await asyncio.sleep(0)
    return x * 3


@scope_bpf.profile
async def agen(n):
    for i in range(n):
        await asyncio.sleep(0)
        yield i


def check_enabled():
    assert not scope_bpf.disabled
    assert add(1) == 2 and add(1, b=5) == 6 and add(a=2, b=2) == 4
    assert add.__name__ == "add" and add.__doc__ == "adds"
    assert add.__qualname__ == "add" and add.__module__ == "__main__"
    assert add.__wrapped__(3) == 4
    assert add.region.name == "__main__.add"
    assert add.region.file == HERE
    assert add.region.line == line_of("def add(a, b=1):") - 1
    print("ok: @profile: region __main__.add at the decorator's line")

    obj = Outer.Inner()
    assert obj.method(5) == (obj, 5)
    assert Outer.Inner.method(obj, 6) == (obj, 6)
    assert Outer.Inner.method.region.name == "__main__.Outer.Inner.method"
    assert Outer.Inner.st(1) == 2 and obj.st(1) == 2
    assert Outer.Inner.st2(1) == 3 and obj.st2(1) == 3
    assert Outer.Inner.cm() is Outer.Inner and obj.cm() is Outer.Inner
    names = set(scope_bpf._regions)
    for n in ("static_under", "static_over", "__main__.Outer.Inner.cm"):
        assert n in names, n
    print("ok: methods, static and class methods, qualified names")

    r = scope_bpf.region("ctx")  # the with statement's line is recorded
    with r as got:
        assert got is r
    assert r.line == line_of('r = scope_bpf.region("ctx")')
    assert scope_bpf.region("ctx") is r
    assert r.site == b"ctx\0scope_bpf.at=" + ("%s:%d" % (HERE, r.line)).encode()
    try:
        with scope_bpf.region("ctx"):
            raise KeyError("k")
    except KeyError:
        pass
    else:
        raise AssertionError("the region swallowed the exception")
    for i in range(3):
        with scope_bpf.region("ctx"):
            if i == 1:
                break
    assert i == 1
    scope_bpf.begin("be")
    scope_bpf.end("be")
    assert scope_bpf._regions["be"].line == line_of('scope_bpf.begin("be")')
    try:
        scope_bpf.region(3)
    except TypeError:
        pass
    else:
        raise AssertionError("a region named 3")
    print("ok: region(): one object per name, file:line of first use, "
          "exceptions pass")

    g = gen(3)
    assert next(g) == 0 and g.send("a") == 1 and g.send("b") == 2
    try:
        g.send("c")
    except StopIteration as e:
        assert e.value == ["a", "b", "c"]
    else:
        raise AssertionError("no StopIteration")
    assert list(gen(4)) == [0, 1, 2, 3]
    g = gen(5)
    next(g)
    try:
        g.throw(ValueError("v"))
    except ValueError:
        pass
    g = gen(5)
    next(g)
    g.close()
    assert gen.__name__ == "gen" and gen.region.name == "named.gen"
    print("ok: generator: next, send, throw, close, return value")

    async def main():
        a = await coro(2)
        b = await asyncio.gather(coro(3), asyncio.create_task(coro(4)))
        c = [i async for i in agen(3)]
        return a, b, c

    c = coro(1)
    assert asyncio.iscoroutine(c)
    c.close()
    assert asyncio.run(main()) == (6, [9, 12], [0, 1, 2])
    print("ok: coroutines and async generators under asyncio")
    assert scope_bpf.attached() is False
    print("ok: attached() is False with no agent")


if __name__ == "__main__":
    if os.environ.get("SCOPE_BPF_DISABLE"):
        check_disabled()
    else:
        check_enabled()
