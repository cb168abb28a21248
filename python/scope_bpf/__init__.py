# SPDX-License-Identifier: MIT
"""Regions of Python code for scope-bpf.

    import scope_bpf

    @scope_bpf.profile                 # region "module.Class.method"
    def step(): ...

    @scope_bpf.profile("solve")        # a name of one's own
    def solve(grid): ...

    with scope_bpf.region("halo"):     # ends on any exit of the block
        exchange(grid)

    scope_bpf.begin("io"); write(); scope_bpf.end("io")

    if scope_bpf.attached():           # an agent is profiling this process
        prepare_expensive_labels()

A region is one name: its file and line are those of the first place the
name was seen (the decorated function, the `with` statement, the begin()
call). Generators, coroutines and async generators get one region per
resumption (next, send, throw), never one across a suspension. With
SCOPE_BPF_DISABLE=1 in the environment at import, profile is the identity
and region() returns one shared object that does nothing. See docs/python.md.
"""

import os as _os
import sys as _sys

__all__ = ["profile", "region", "begin", "end", "attached", "disabled"]

disabled = _os.environ.get("SCOPE_BPF_DISABLE", "") not in ("", "0")

# code flags (Include/cpython/code.h), so that importing inspect is not the
# price of `import scope_bpf`
_CO_GENERATOR = 0x20
_CO_COROUTINE = 0x80
_CO_ITERABLE_COROUTINE = 0x100
_CO_ASYNC_GENERATOR = 0x200

_WRAPPER_ASSIGNMENTS = ("__module__", "__name__", "__qualname__", "__doc__")


class _NoRegion:
    """What region() returns with SCOPE_BPF_DISABLE=1: one shared object."""

    __slots__ = ()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def begin(self):
        pass

    def end(self):
        pass


_NO_REGION = _NoRegion()

if not disabled:
    from . import _core

    _regions = {}

    def _intern(name, file, line):
        reg = _regions.get(name)
        if reg is None:
            if not isinstance(name, str):
                raise TypeError("a region name is a str, not %s"
                                % type(name).__name__)
            reg = _regions.setdefault(name, _core.Region(name, file, line))
        return reg

    def _first_use(name):
        # called by the C lookups below, straight from the user's frame
        frame = _sys._getframe(1)
        return _intern(name, frame.f_code.co_filename, frame.f_lineno)

    # region(name): the region NAME as a context manager, one object per
    # name; begin(name), end(name): begins, ends it on this thread
    region = _core.Lookup(_regions, _first_use, 0)
    begin = _core.Lookup(_regions, _first_use, 1)
    end = _core.Lookup(_regions, _first_use, 2)

    attached = _core.attached

else:

    def region(name):
        """The region NAME as a context manager (disabled: does nothing)."""
        return _NO_REGION

    def begin(name):
        """Begins the region NAME (disabled: does nothing)."""

    def end(name):
        """Ends the region NAME (disabled: does nothing)."""

    def attached():
        """Whether an agent profiles this process (disabled: never)."""
        return False


class _GeneratorSteps:
    """A generator with a region around each resumption."""

    __slots__ = ("_it", "_region", "__weakref__")

    def __init__(self, it, reg):
        self._it = it
        self._region = reg

    def __iter__(self):
        return self

    def __next__(self):
        reg = self._region
        reg.begin()
        try:
            return self._it.send(None)
        finally:
            reg.end()

    def send(self, value):
        reg = self._region
        reg.begin()
        try:
            return self._it.send(value)
        finally:
            reg.end()

    def throw(self, *exc):
        reg = self._region
        reg.begin()
        try:
            return self._it.throw(*exc)
        finally:
            reg.end()

    def close(self):
        """Runs the generator's cleanup, outside any region."""
        return self._it.close()

    def __getattr__(self, attr):
        return getattr(self._it, attr)


class _CoroutineSteps(_GeneratorSteps):
    """A coroutine (or an awaitable step of an async generator) with a region
    around each resumption; a Coroutine to asyncio."""

    __slots__ = ()

    def __await__(self):
        return self


class _AsyncGeneratorSteps:
    """An async generator whose every awaited step is a _CoroutineSteps."""

    __slots__ = ("_ag", "_region", "__weakref__")

    def __init__(self, ag, reg):
        self._ag = ag
        self._region = reg

    def __aiter__(self):
        return self

    def __anext__(self):
        return _CoroutineSteps(self._ag.__anext__(), self._region)

    def asend(self, value):
        return _CoroutineSteps(self._ag.asend(value), self._region)

    def athrow(self, *exc):
        return _CoroutineSteps(self._ag.athrow(*exc), self._region)

    def aclose(self):
        return self._ag.aclose()

    def __getattr__(self, attr):
        return getattr(self._ag, attr)


def _copy_names(wrapper, func):
    for attr in _WRAPPER_ASSIGNMENTS:
        try:
            setattr(wrapper, attr, getattr(func, attr))
        except AttributeError:
            pass
    wrapper.__dict__.update(getattr(func, "__dict__", {}))
    if getattr(wrapper, "__wrapped__", None) is not func:
        wrapper.__wrapped__ = func
    return wrapper


def _steps_wrapper(func, reg, steps):
    def profiled(*args, **kwargs):
        return steps(func(*args, **kwargs), reg)

    profiled.region = reg
    return _copy_names(profiled, func)


def _default_name(func):
    qualname = getattr(func, "__qualname__", None) or getattr(
        func, "__name__", None) or type(func).__name__
    module = getattr(func, "__module__", None)
    return "%s.%s" % (module, qualname) if module else qualname


def _where(func):
    code = getattr(func, "__code__", None)
    if code is not None:
        return code.co_filename, code.co_firstlineno
    # a callable without code (a builtin, a callable object): its module
    module = _sys.modules.get(getattr(func, "__module__", None) or "")
    return getattr(module, "__file__", None) or "", 0


def _decorate(func, name):
    if isinstance(func, (staticmethod, classmethod)):
        return type(func)(_decorate(func.__func__, name))
    if not callable(func):
        raise TypeError("scope_bpf.profile needs a function, not %s"
                        % type(func).__name__)
    if name is None:
        name = _default_name(func)
    reg = _intern(name, *_where(func))
    flags = getattr(getattr(func, "__code__", None), "co_flags", 0)
    if flags & _CO_ASYNC_GENERATOR:
        return _steps_wrapper(func, reg, _AsyncGeneratorSteps)
    if flags & (_CO_COROUTINE | _CO_ITERABLE_COROUTINE):
        return _steps_wrapper(func, reg, _CoroutineSteps)
    if flags & _CO_GENERATOR:
        return _steps_wrapper(func, reg, _GeneratorSteps)
    return _copy_names(_core.Profiled(func, reg), func)


def profile(func=None, name=None):
    """A region around each call of the function it decorates.

    @profile names the region module.qualname; @profile("name") or
    @profile(name="name") names it. Generators and coroutines get a region
    per resumption."""
    if isinstance(func, str):
        func, name = None, func
    if disabled:
        return func if func is not None else _identity
    if func is None:
        return lambda f: _decorate(f, name)
    return _decorate(func, name)


def _identity(func):
    return func
