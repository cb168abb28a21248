# SPDX-License-Identifier: MIT
"""The C extension of scope_bpf; the rest is in pyproject.toml."""
import os

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))
# the marker header of the source tree this directory is part of; out of it
# (an sdist), the one `make install` put on the include path
TREE_INCLUDE = os.path.join(HERE, os.pardir, "include")
include_dirs = [TREE_INCLUDE] if os.path.isfile(
    os.path.join(TREE_INCLUDE, "scope_bpf.h")) else []

setup(ext_modules=[
    Extension(
        "scope_bpf._core",
        sources=["scope_bpf/_core.c", "scope_bpf/site.c"],
        depends=["scope_bpf/site.h"],
        include_dirs=include_dirs,
        extra_compile_args=["-std=gnu11"],
    )
])
