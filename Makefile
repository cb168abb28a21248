# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Build, test, demo, bench and install scope-bpf. `make V=1` shows commands.
#
# CFLAGS, CPPFLAGS, LDFLAGS, LDLIBS and EXTRA_CFLAGS/EXTRA_LDFLAGS are the
# user's: they are added to the project's own flags (SCOPE_*), after them, so
# `make CFLAGS=-O0` or `make CFLAGS+=-Wno-error` keeps the rest.

OUTPUT     ?= .output
CLANG      ?= clang
BPFTOOL    ?= bpftool
CC         ?= gcc
PKG_CONFIG ?= pkg-config
VERSION    := 0.1.0

PREFIX       ?= /usr/local
BINDIR       ?= $(PREFIX)/bin
INCLUDEDIR   ?= $(PREFIX)/include
DATADIR      ?= $(PREFIX)/share
MANDIR       ?= $(DATADIR)/man
# the header is arch-independent, so its .pc file is too: share/, not lib/
PKGCONFIGDIR ?= $(DATADIR)/pkgconfig
BASHCOMPDIR  ?= $(DATADIR)/bash-completion/completions
LIBDIR       ?= $(PREFIX)/lib
FC           ?= gfortran
# Debian's python3 (python3-dev, h5py), not whatever python3 is first on PATH
PYTHON       ?= /usr/bin/python3
PY_VERSION    = $(eval PY_VERSION := $$(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])'))$(PY_VERSION)
PY_INCLUDES   = $(eval PY_INCLUDES := $$(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["include"])'))$(PY_INCLUDES)
PY_EXT_SUFFIX = $(eval PY_EXT_SUFFIX := $$(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_config_var("EXT_SUFFIX"))'))$(PY_EXT_SUFFIX)
# Debian's path for /usr is lib/python3/dist-packages, for any other prefix
# (/usr/local among them) lib/pythonX.Y/dist-packages: both on its sys.path
PYTHONDIR    ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/lib/python3/dist-packages,$(PREFIX)/lib/python$(PY_VERSION)/dist-packages)

ARCH     := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
BTF      := /sys/kernel/btf/vmlinux
# The committed vmlinux.h, never the running kernel's: same input, same
# object on every machine (CO-RE relocates at load). `make vmlinux` renews it.
VMLINUX_DIR := vmlinux/$(shell uname -m)
VMLINUX_H   := $(VMLINUX_DIR)/vmlinux.h

# Asked of pkg-config the first time a recipe needs them, not when make reads
# this file: `make demo` and `make test` install libhdf5-dev after that.
HDF5_CFLAGS = $(eval HDF5_CFLAGS := $$(shell $(PKG_CONFIG) --cflags hdf5 2>/dev/null))$(HDF5_CFLAGS)
HDF5_LIBS   = $(eval HDF5_LIBS := $$(shell $(PKG_CONFIG) --libs hdf5 2>/dev/null))$(HDF5_LIBS)

# OTF2 (Debian's libopen-trace-format2-dev) is optional: without it the
# build goes on and `export --format otf2` says which package it needs.
# Asked as late as hdf5 is; otf2.flags rebuilds otf2.o when the answer
# changes (the package installed or removed since the last build).
OTF2_FOUND  = $(eval OTF2_FOUND := $$(shell $(PKG_CONFIG) --exists otf2 2>/dev/null && echo yes))$(OTF2_FOUND)
OTF2_CFLAGS = $(if $(OTF2_FOUND),-DSCOPE_HAVE_OTF2 $(shell $(PKG_CONFIG) --cflags otf2))
OTF2_LIBS   = $(eval OTF2_LIBS := $$(if $$(OTF2_FOUND),$$(shell $(PKG_CONFIG) --libs otf2)))$(OTF2_LIBS)
OTF2_O      = $(OUTPUT)/userspace/export/otf2.o
# Perfetto's protobuf export (Debian's protobuf-c-compiler and
# libprotobuf-c-dev) is optional the same way: protoc-c makes its messages'
# code from userspace/export/perfetto_trace.proto into OUTPUT.
PROTOC_C ?= protoc-c
PB_FOUND  = $(eval PB_FOUND := $$(shell command -v $(PROTOC_C) >/dev/null 2>&1 && $(PKG_CONFIG) --exists libprotobuf-c 2>/dev/null && echo yes))$(PB_FOUND)
PB_CFLAGS = $(if $(PB_FOUND),-DSCOPE_HAVE_PROTOBUF_C $(shell $(PKG_CONFIG) --cflags libprotobuf-c))
PB_LIBS   = $(eval PB_LIBS := $$(if $$(PB_FOUND),$$(shell $(PKG_CONFIG) --libs libprotobuf-c)))$(PB_LIBS)
PB_GEN    = $(OUTPUT)/perfetto_trace.pb-c
PB_O      = $(OUTPUT)/userspace/export/perfetto_proto.o

CFLAGS   ?= -O2 -g
SCOPE_CPPFLAGS = -D_GNU_SOURCE -DSCOPE_BPF_TOOL_VERSION='"$(VERSION)"' \
		 -Iinclude -Iuserspace -I$(OUTPUT) $(HDF5_CFLAGS)
SCOPE_CFLAGS   = -std=gnu11 -Wall -Wextra -Werror
SCOPE_LDLIBS   = -lbpf -ldw -lelf -lz -lm -llikwid -lstdc++ $(HDF5_LIBS) $(OTF2_LIBS) $(PB_LIBS)
ALL_CFLAGS  = $(SCOPE_CPPFLAGS) $(CPPFLAGS) $(SCOPE_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(EXTRA_LDFLAGS)
ALL_LDLIBS  = $(SCOPE_LDLIBS) $(LDLIBS)

# Target programs are built the way users build theirs: only the header.
PROG_CFLAGS := -O2 -g -Wall -Wextra -Werror -Iinclude

BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Iinclude \
	      -I$(VMLINUX_DIR)

# Each compile writes $@.d, the headers it read; a header moved or deleted
# leaves a phony target (-MP) rather than a broken build.
DEPFLAGS = -MMD -MP -MT $@ -MF $@.d

MAIN_SRC  := $(wildcard userspace/*/main.c)
MAIN_OBJ  := $(patsubst userspace/%.c,$(OUTPUT)/userspace/%.o,$(MAIN_SRC))
LIB_SRCS  := $(filter-out $(MAIN_SRC),$(wildcard userspace/*/*.c))
LIB_OBJS  := $(patsubst userspace/%.c,$(OUTPUT)/userspace/%.o,$(LIB_SRCS))
LIB       := $(OUTPUT)/libscope.a
BIN       ?= scope-bpf
SKEL      := $(OUTPUT)/regions.skel.h
BPF_OBJS  := $(OUTPUT)/regions.bpf.o $(OUTPUT)/bench/floor.bpf.o
PC        := $(OUTPUT)/scope-bpf.pc
# the Python module, built here as pip builds it from python/ (setup.py)
PY_PKG    := $(OUTPUT)/python/scope_bpf
PY_SRCS   := python/scope_bpf/_core.c python/scope_bpf/site.c
PY_CORE    = $(PY_PKG)/_core$(PY_EXT_SUFFIX)
PY_FILES   = $(PY_CORE) $(PY_PKG)/__init__.py

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(UNIT_SRCS))
PROG_SRCS := $(wildcard tests/progs/*.c)
PROG_BINS := $(patsubst tests/progs/%.c,$(OUTPUT)/tests/progs/%,$(PROG_SRCS)) \
	     $(OUTPUT)/tests/progs/libmarked.so $(OUTPUT)/tests/progs/pymarked.so \
	     $(OUTPUT)/tests/progs/likwid_regions-dropin $(OUTPUT)/tests/progs/cxx_solver \
	     $(OUTPUT)/tests/progs/libplain.so
# The Fortran module's C side, and a Fortran target where gfortran is
# installed (the test skips without it).
FORTRAN_LIB := $(OUTPUT)/fortran/libscope_bpf_fortran.a
HAVE_FC     := $(shell command -v $(FC) 2>/dev/null)
ifneq ($(HAVE_FC),)
PROG_BINS   += $(OUTPUT)/tests/progs/fsolver
endif
EXAMPLES  := $(patsubst examples/%.c,$(OUTPUT)/examples/%,$(wildcard examples/*.c))
BENCH_BINS := $(addprefix $(OUTPUT)/bench/,workload workload-off bench-floor maxrss regions1000 nested_bias \
					     spin_threads trace_write)

DEPS := $(addsuffix .d,$(MAIN_OBJ) $(LIB_OBJS) $(BPF_OBJS) $(UNIT_BINS) \
	  $(PROG_BINS) $(EXAMPLES) $(BENCH_BINS))

SANITIZE    := -fsanitize=address,undefined -fno-sanitize-recover=all \
	       -fno-omit-frame-pointer
ASAN_OUTPUT ?= .output-asan
FORMAT_SRCS  = $(shell git ls-files '*.c' '*.h' | grep -v '^vmlinux/')

ifeq ($(V),1)
	Q =
	msg =
else
	Q = @
	msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps bench-deps demo test test-progs unit integration bench \
	bench-progs install uninstall clean format format-check check-asan \
	vmlinux unit-progs python FORCE

all: $(BIN) $(EXAMPLES) python

# Debian packages the build, the tests and the demo need (idempotent).
deps:
	$(Q)./scripts/install-deps.sh

# What `make bench` compares against (bpftrace), on top of deps.
bench-deps: deps
	$(Q)./scripts/install-deps.sh bench

$(OUTPUT) $(OUTPUT)/tests/progs $(OUTPUT)/examples $(OUTPUT)/bench:
	$(Q)mkdir -p $@

$(VMLINUX_H):
	@echo "no $@ for this machine: 'make vmlinux' writes one from $(BTF)" >&2
	@exit 1

# Renews the committed vmlinux.h from the running kernel (see vmlinux/README.md).
vmlinux:
	$(call msg,VMLINUX,$(VMLINUX_H))
	$(Q)mkdir -p $(VMLINUX_DIR)
	$(Q)$(BPFTOOL) btf dump file $(BTF) format c > $(VMLINUX_H).tmp
	$(Q)mv $(VMLINUX_H).tmp $(VMLINUX_H)

$(OUTPUT)/%.bpf.o: bpf/%.bpf.c $(VMLINUX_H) | $(OUTPUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -c $< -o $(@:.bpf.o=.tmp.bpf.o)
	$(Q)$(BPFTOOL) gen object $@ $(@:.bpf.o=.tmp.bpf.o)

$(OUTPUT)/bench/%.bpf.o: bench/%.bpf.c $(VMLINUX_H) | $(OUTPUT)/bench
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) $(DEPFLAGS) -c $< -o $(@:.bpf.o=.tmp.bpf.o)
	$(Q)$(BPFTOOL) gen object $@ $(@:.bpf.o=.tmp.bpf.o)

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# The skeleton exists before the first compile; later, the .d files say which
# objects read it.
$(OUTPUT)/userspace/%.o: userspace/%.c | $(SKEL)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(OTF2_O): SCOPE_CPPFLAGS += $(OTF2_CFLAGS)
$(OTF2_O): $(OUTPUT)/otf2.flags

$(OUTPUT)/otf2.flags: FORCE | $(OUTPUT)
	$(Q)echo '$(OTF2_CFLAGS) $(OTF2_LIBS)' | cmp -s - $@ || \
		echo '$(OTF2_CFLAGS) $(OTF2_LIBS)' > $@

$(PB_O): SCOPE_CPPFLAGS += $(PB_CFLAGS)
$(PB_O): $(OUTPUT)/protobuf.flags $(if $(PB_FOUND),$(PB_GEN).c $(PB_GEN).h)

$(OUTPUT)/protobuf.flags: FORCE | $(OUTPUT)
	$(Q)echo '$(PB_CFLAGS) $(PB_LIBS)' | cmp -s - $@ || \
		echo '$(PB_CFLAGS) $(PB_LIBS)' > $@

$(PB_GEN).c $(PB_GEN).h &: userspace/export/perfetto_trace.proto | $(OUTPUT)
	$(call msg,PROTOC-C,$(PB_GEN).c)
	$(Q)$(PROTOC_C) --c_out=$(OUTPUT) --proto_path=userspace/export perfetto_trace.proto

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
	$(Q)$(AR) rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) $^ $(ALL_LDLIBS) -o $@

$(OUTPUT)/examples/%: examples/%.c | $(OUTPUT)/examples
	$(call msg,EXAMPLE,$@)
	$(Q)$(CC) $(PROG_CFLAGS) $(DEPFLAGS) -pthread $< -o $@ -lm

$(OUTPUT)/tests/progs/%: tests/progs/%.c | $(OUTPUT)/tests/progs
	$(call msg,PROG,$@)
	$(Q)$(CC) $(PROG_CFLAGS) $(DEPFLAGS) -pthread $< -o $@ -lm

# A code instrumented for LIKWID, linked against Debian's liblikwid, and the
# same source rebuilt on scope-bpf's drop-in header without it.
$(OUTPUT)/tests/progs/likwid_regions: tests/progs/likwid_regions.c | $(OUTPUT)/tests/progs
	$(call msg,PROG,$@)
	$(Q)$(CC) $(PROG_CFLAGS) $(DEPFLAGS) -DLIKWID_PERFMON $< -o $@ -llikwid

$(OUTPUT)/tests/progs/likwid_regions-dropin: tests/progs/likwid_regions.c | $(OUTPUT)/tests/progs
	$(call msg,PROG,$@)
	$(Q)$(CC) $(PROG_CFLAGS) $(DEPFLAGS) -include scope_bpf_likwid.h $< -o $@

$(FORTRAN_LIB): fortran/scope_bpf_fortran.c include/scope_bpf.h
	$(call msg,AR,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(PROG_CFLAGS) -c $< -o $(@:.a=.o)
	$(Q)$(AR) rcs $@ $(@:.a=.o)

# Built as a user builds: the module's source, then the program, -J for the
# .mod file, linked with the C side.
$(OUTPUT)/tests/progs/fsolver: tests/progs/fortran/fsolver.f90 fortran/scope_bpf.f90 $(FORTRAN_LIB) | $(OUTPUT)/tests/progs
	$(call msg,FC,$@)
	$(Q)mkdir -p $(OUTPUT)/fortran/mod
	$(Q)$(FC) -O2 -g -Wall -J$(OUTPUT)/fortran/mod -c fortran/scope_bpf.f90 \
		-o $(OUTPUT)/fortran/scope_bpf.o
	$(Q)$(FC) -O2 -g -Wall -J$(OUTPUT)/fortran/mod $< $(OUTPUT)/fortran/scope_bpf.o \
		-L$(OUTPUT)/fortran -lscope_bpf_fortran -o $@

# A target whose regions live in a shared library it links.
$(OUTPUT)/tests/progs/libmarked.so: tests/progs/lib/marked.c | $(OUTPUT)/tests/progs
	$(call msg,LIB,$@)
	$(Q)$(CC) $(PROG_CFLAGS) $(DEPFLAGS) -fPIC -shared $< -o $@

# A library without markers, for --func in a dlopen'ed library.
$(OUTPUT)/tests/progs/libplain.so: tests/progs/lib/plain.c | $(OUTPUT)/tests/progs
	$(call msg,LIB,$@)
	$(Q)$(CC) $(PROG_CFLAGS) $(DEPFLAGS) -fPIC -shared $< -o $@

$(OUTPUT)/tests/progs/uselib: tests/progs/uselib.c $(OUTPUT)/tests/progs/libmarked.so
	$(call msg,PROG,$@)
	$(Q)$(CC) $(PROG_CFLAGS) $(DEPFLAGS) $< -L$(OUTPUT)/tests/progs \
		-lmarked -Wl,-rpath,'$$ORIGIN' -o $@

# --func's C++ target: a stripped PIE whose functions only .dynsym names.
$(OUTPUT)/tests/progs/cxx_solver: tests/progs/cxx/solver.cpp | $(OUTPUT)/tests/progs
	$(call msg,PROG,$@)
	$(Q)$(CXX) -O2 -Wall -Wextra -Werror $(DEPFLAGS) -fPIE -pie -rdynamic -s $< -o $@

# The Python module, into $(OUTPUT)/python: PYTHONPATH=$(OUTPUT)/python
python: $(PY_FILES)

# (one compile of two sources: its prerequisites are listed, not -MMD's)
$(PY_PKG)/_core%: $(PY_SRCS) python/scope_bpf/site.h include/scope_bpf.h
	$(call msg,PYEXT,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(PROG_CFLAGS) -std=gnu11 -fPIC -shared -I$(PY_INCLUDES) \
		$(PY_SRCS) -o $@

$(PY_PKG)/%.py: python/scope_bpf/%.py
	$(Q)mkdir -p $(@D)
	$(Q)cp $< $@

# A C extension module with a marker region of its own, for the Python tests.
$(OUTPUT)/tests/progs/pymarked.so: tests/progs/python/pymarked.c | $(OUTPUT)/tests/progs
	$(call msg,LIB,$@)
	$(Q)$(CC) $(PROG_CFLAGS) -I$(PY_INCLUDES) $(DEPFLAGS) -fPIC -shared $< -o $@

# The benchmark's programs: workloads built like targets, tools like the agent.
$(OUTPUT)/bench/workload: bench/workload.c | $(OUTPUT)/bench
	$(call msg,BENCH,$@)
	$(Q)$(CC) $(PROG_CFLAGS) $(DEPFLAGS) -pthread $< -o $@

$(OUTPUT)/bench/workload-off: bench/workload.c | $(OUTPUT)/bench
	$(call msg,BENCH,$@)
	$(Q)$(CC) $(PROG_CFLAGS) $(DEPFLAGS) -DSCOPE_BPF_DISABLE -pthread $< -o $@

# scaling: threads producing empty regions as fast as they can
$(OUTPUT)/bench/spin_threads: bench/spin_threads.c | $(OUTPUT)/bench
	$(call msg,BENCH,$@)
	$(Q)$(CC) $(PROG_CFLAGS) $(DEPFLAGS) -pthread $< -o $@

# compensation: the test program whose truths it prints itself
$(OUTPUT)/bench/nested_bias: tests/progs/nested_bias.c | $(OUTPUT)/bench
	$(call msg,BENCH,$@)
	$(Q)$(CC) $(PROG_CFLAGS) $(DEPFLAGS) $< -o $@

$(OUTPUT)/bench/regions1000.c: bench/gen-regions.sh | $(OUTPUT)/bench
	$(call msg,GEN,$@)
	$(Q)./bench/gen-regions.sh 1000 > $@

$(OUTPUT)/bench/regions1000: $(OUTPUT)/bench/regions1000.c
	$(call msg,BENCH,$@)
	$(Q)$(CC) -O1 -Wall -Wextra -Werror -Iinclude $(DEPFLAGS) $< -o $@

$(OUTPUT)/bench/maxrss: bench/maxrss.c | $(OUTPUT)/bench
	$(call msg,BENCH,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(ALL_LDFLAGS) $< -o $@

# the trace writer alone: intervals/s into a trace file
$(OUTPUT)/bench/trace_write: bench/trace_write.c $(LIB) | $(OUTPUT)/bench
	$(call msg,BENCH,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(ALL_LDFLAGS) $< $(LIB) $(ALL_LDLIBS) -o $@

$(OUTPUT)/bench/bench-floor: bench/floor.c $(OUTPUT)/bench/floor.skel.h $(LIB)
	$(call msg,BENCH,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) $(ALL_LDFLAGS) $< $(LIB) $(ALL_LDLIBS) -o $@

bench-progs: $(BENCH_BINS) python $(OUTPUT)/tests/progs/pymarked.so

# Unit tests find the programs they read under the same OUTPUT.
$(OUTPUT)/tests/%: tests/unit/%.c $(LIB) | $(OUTPUT)/tests/progs
	$(call msg,TEST,$@)
	$(Q)$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -DTEST_OUTPUT='"$(OUTPUT)"' -Itests/unit \
		$(ALL_LDFLAGS) $< $(LIB) $(ALL_LDLIBS) -lcmocka -o $@

# Everything `make test` runs.
test-progs: all $(UNIT_BINS) $(PROG_BINS) $(BENCH_BINS)

# demo and test build in a second make, after deps: the first one read this
# file (and ran its $(shell)s) before the packages were there.
demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)./scripts/demo.sh

# bench-deps: the suite runs every benchmark figure once, bpftrace's too
test: bench-deps
	$(Q)$(MAKE) --no-print-directory test-progs
	$(Q)./tests/run.sh

unit: $(UNIT_BINS) $(PROG_BINS)
	$(Q)./tests/run.sh unit

integration: all $(PROG_BINS) $(BENCH_BINS)
	$(Q)./tests/run.sh integration

bench: bench-deps
	$(Q)$(MAKE) --no-print-directory all bench-progs
	$(Q)./bench/run.sh $(BENCH_ONLY)

# The agent and the unit tests with ASan and UBSan, in their own OUTPUT; the
# unit tests, then the integration tests that drive the agent's main paths
# (run, attach, signals, the output file) with the sanitized agent.
ASAN_INTEGRATION ?= test_counts test_attach test_signals test_output_file \
		    test_exit_midregion test_batches test_site_trial
check-asan:
	$(Q)$(MAKE) --no-print-directory OUTPUT=$(ASAN_OUTPUT) \
		BIN=$(ASAN_OUTPUT)/scope-bpf EXTRA_CFLAGS='$(SANITIZE)' \
		EXTRA_LDFLAGS='$(SANITIZE)' $(ASAN_OUTPUT)/scope-bpf unit-progs
	$(Q)OUTPUT=$(ASAN_OUTPUT) ASAN_OPTIONS=detect_stack_use_after_return=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ./tests/run.sh unit
	$(Q)SCOPE=$(ASAN_OUTPUT)/scope-bpf OUTPUT=$(ASAN_OUTPUT) \
		ASAN_OPTIONS=detect_stack_use_after_return=1 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		./tests/run.sh integration $(ASAN_INTEGRATION)

unit-progs: $(UNIT_BINS) $(PROG_BINS)

# Header-only library: its .pc file says where the header is, nothing to link.
$(PC): FORCE | $(OUTPUT)
	$(call msg,GEN,$@)
	$(Q)printf '%s\n' 'prefix=$(PREFIX)' \
		'includedir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))' '' \
		'Name: scope-bpf' \
		'Description: scope-bpf region markers (header-only)' \
		'Version: $(VERSION)' \
		'Cflags: -I$${includedir}' > $@

install: $(BIN) $(PC) $(FORTRAN_LIB) python
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)install -D -m 0644 $(PY_PKG)/__init__.py $(DESTDIR)$(PYTHONDIR)/scope_bpf/__init__.py
	$(Q)install -D -m 0644 $(PY_CORE) $(DESTDIR)$(PYTHONDIR)/scope_bpf/$(notdir $(PY_CORE))
	$(Q)install -D -m 0755 $(BIN) $(DESTDIR)$(BINDIR)/scope-bpf
	$(Q)install -D -m 0644 include/scope_bpf.h $(DESTDIR)$(INCLUDEDIR)/scope_bpf.h
	$(Q)install -D -m 0644 include/scope_bpf_likwid.h \
		$(DESTDIR)$(INCLUDEDIR)/scope_bpf_likwid.h
	$(Q)install -D -m 0644 fortran/scope_bpf.f90 $(DESTDIR)$(INCLUDEDIR)/scope_bpf.f90
	$(Q)install -D -m 0644 $(FORTRAN_LIB) $(DESTDIR)$(LIBDIR)/libscope_bpf_fortran.a
	$(Q)install -D -m 0644 $(PC) $(DESTDIR)$(PKGCONFIGDIR)/scope-bpf.pc
	$(Q)install -D -m 0644 docs/scope-bpf.1 $(DESTDIR)$(MANDIR)/man1/scope-bpf.1
	$(Q)install -D -m 0644 completions/scope-bpf.bash \
		$(DESTDIR)$(BASHCOMPDIR)/scope-bpf

uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(DESTDIR)$(BINDIR)/scope-bpf \
		$(DESTDIR)$(INCLUDEDIR)/scope_bpf.h \
		$(DESTDIR)$(INCLUDEDIR)/scope_bpf_likwid.h \
		$(DESTDIR)$(INCLUDEDIR)/scope_bpf.f90 \
		$(DESTDIR)$(LIBDIR)/libscope_bpf_fortran.a \
		$(DESTDIR)$(PKGCONFIGDIR)/scope-bpf.pc \
		$(DESTDIR)$(MANDIR)/man1/scope-bpf.1 \
		$(DESTDIR)$(BASHCOMPDIR)/scope-bpf \
		$(DESTDIR)$(PYTHONDIR)/scope_bpf/__init__.py \
		$(DESTDIR)$(PYTHONDIR)/scope_bpf/_core$(PY_EXT_SUFFIX)
	$(Q)rm -rf $(DESTDIR)$(PYTHONDIR)/scope_bpf/__pycache__
	$(Q)rmdir $(DESTDIR)$(PYTHONDIR)/scope_bpf 2>/dev/null || true

format:
	clang-format -i $(FORMAT_SRCS)

# Every file that differs from .clang-format, with its count of lines.
format-check:
	$(Q)command -v clang-format >/dev/null || { echo "no clang-format" >&2; exit 1; }
	$(Q)clang-format --dry-run $(FORMAT_SRCS) 2>&1 | awk -F: '/: warning:/ { \
		n[$$1]++; t++ } END { for (f in n) printf "%6d  %s\n", n[f], f | "sort -rn"; \
		close("sort -rn"); if (t) { print t " lines differ from .clang-format: make format"; exit 1 } }'

FORCE:

clean:
	rm -rf $(OUTPUT) $(ASAN_OUTPUT) $(BIN)

-include $(DEPS)
