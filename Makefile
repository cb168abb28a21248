# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Build, test, demo, bench and install scope-bpf. `make V=1` shows commands.

OUTPUT   ?= .output
CLANG    ?= clang
BPFTOOL  ?= bpftool
CC       ?= gcc
PREFIX   ?= /usr/local
VERSION  := 0.1.0

ARCH     := $(shell uname -m | sed 's/x86_64/x86/;s/aarch64/arm64/')
BTF      := /sys/kernel/btf/vmlinux

PKGCONF  := pkg-config
HDF5_CFLAGS := $(shell $(PKGCONF) --cflags hdf5 2>/dev/null)
HDF5_LIBS   := $(shell $(PKGCONF) --libs hdf5 2>/dev/null)

CFLAGS   ?= -O2 -g
CFLAGS   += -std=gnu11 -Wall -Wextra -Werror -D_GNU_SOURCE \
	    -DSCOPE_BPF_TOOL_VERSION='"$(VERSION)"' \
	    -Iinclude -Iuserspace -I$(OUTPUT) $(HDF5_CFLAGS)
LDLIBS   += -lbpf -lelf -lz -lm $(HDF5_LIBS)

BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -D__TARGET_ARCH_$(ARCH) -Iinclude -I$(OUTPUT)

LIB_SRCS  := $(filter-out userspace/cli/main.c,$(wildcard userspace/*/*.c))
LIB_OBJS  := $(patsubst userspace/%.c,$(OUTPUT)/userspace/%.o,$(LIB_SRCS))
LIB       := $(OUTPUT)/libscope.a
BIN       := scope-bpf
SKEL      := $(OUTPUT)/regions.skel.h

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUTPUT)/tests/%,$(UNIT_SRCS))
PROG_SRCS := $(wildcard tests/progs/*.c)
PROG_BINS := $(patsubst tests/progs/%.c,$(OUTPUT)/tests/progs/%,$(PROG_SRCS)) \
	     $(OUTPUT)/tests/progs/libmarked.so
EXAMPLES  := $(patsubst examples/%.c,$(OUTPUT)/examples/%,$(wildcard examples/*.c))
BENCH_BINS := $(addprefix $(OUTPUT)/bench/,workload workload-off bench-floor maxrss regions1000)

ifeq ($(V),1)
	Q =
	msg =
else
	Q = @
	msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

.DELETE_ON_ERROR:
.SECONDARY:
.PHONY: all deps bench-deps demo test unit integration bench bench-progs install clean format

all: $(BIN) $(EXAMPLES)

# Debian packages the build, the tests and the demo need (idempotent).
deps:
	$(Q)./scripts/install-deps.sh

# What `make bench` compares against (bpftrace), on top of deps.
bench-deps: deps
	$(Q)./scripts/install-deps.sh bench

$(OUTPUT) $(OUTPUT)/tests/progs $(OUTPUT)/examples $(OUTPUT)/bench:
	$(Q)mkdir -p $@

# vmlinux.h from the running kernel's BTF when there is one, else the
# committed x86_64 copy (CO-RE relocates either at load time).
$(OUTPUT)/vmlinux.h: | $(OUTPUT)
	$(call msg,VMLINUX,$@)
	$(Q)if [ -r $(BTF) ]; then $(BPFTOOL) btf dump file $(BTF) format c > $@; \
	else cp vmlinux/x86_64/vmlinux.h $@; fi

$(OUTPUT)/%.bpf.o: bpf/%.bpf.c include/scope_bpf_record.h $(OUTPUT)/vmlinux.h
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $(@:.bpf.o=.tmp.bpf.o)
	$(Q)$(BPFTOOL) gen object $@ $(@:.bpf.o=.tmp.bpf.o)

$(OUTPUT)/bench/%.bpf.o: bench/%.bpf.c $(OUTPUT)/vmlinux.h | $(OUTPUT)/bench
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $(@:.bpf.o=.tmp.bpf.o)
	$(Q)$(BPFTOOL) gen object $@ $(@:.bpf.o=.tmp.bpf.o)

$(OUTPUT)/%.skel.h: $(OUTPUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

$(OUTPUT)/userspace/%.o: userspace/%.c $(SKEL) $(wildcard userspace/*/*.h) include/scope_bpf_record.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJS)
	$(call msg,AR,$@)
	$(Q)$(AR) rcs $@ $^

$(BIN): $(OUTPUT)/userspace/cli/main.o $(LIB)
	$(call msg,BINARY,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

# Target programs: built the way users build theirs (only the header).
$(OUTPUT)/examples/%: examples/%.c include/scope_bpf.h | $(OUTPUT)/examples
	$(call msg,EXAMPLE,$@)
	$(Q)$(CC) -O2 -g -Wall -Wextra -Werror -Iinclude -pthread $< -o $@ -lm

$(OUTPUT)/tests/progs/%: tests/progs/%.c include/scope_bpf.h | $(OUTPUT)/tests/progs
	$(call msg,PROG,$@)
	$(Q)$(CC) -O2 -g -Wall -Wextra -Werror -Iinclude -pthread $< -o $@ -lm

# A target whose regions live in a shared library it links.
$(OUTPUT)/tests/progs/libmarked.so: tests/progs/lib/marked.c include/scope_bpf.h | $(OUTPUT)/tests/progs
	$(call msg,LIB,$@)
	$(Q)$(CC) -O2 -g -fPIC -shared -Wall -Wextra -Werror -Iinclude $< -o $@

$(OUTPUT)/tests/progs/uselib: tests/progs/uselib.c $(OUTPUT)/tests/progs/libmarked.so
	$(call msg,PROG,$@)
	$(Q)$(CC) -O2 -g -Wall -Wextra -Werror -Iinclude $< -L$(OUTPUT)/tests/progs \
		-lmarked -Wl,-rpath,'$$ORIGIN' -o $@

# The benchmark's programs: workloads built like targets, tools like the agent.
$(OUTPUT)/bench/workload: bench/workload.c include/scope_bpf.h | $(OUTPUT)/bench
	$(call msg,BENCH,$@)
	$(Q)$(CC) -O2 -g -Wall -Wextra -Werror -Iinclude -pthread $< -o $@

$(OUTPUT)/bench/workload-off: bench/workload.c include/scope_bpf.h | $(OUTPUT)/bench
	$(call msg,BENCH,$@)
	$(Q)$(CC) -O2 -g -Wall -Wextra -Werror -Iinclude -DSCOPE_BPF_DISABLE -pthread $< -o $@

$(OUTPUT)/bench/regions1000.c: bench/gen-regions.sh | $(OUTPUT)/bench
	$(call msg,GEN,$@)
	$(Q)./bench/gen-regions.sh 1000 > $@

$(OUTPUT)/bench/regions1000: $(OUTPUT)/bench/regions1000.c include/scope_bpf.h
	$(call msg,BENCH,$@)
	$(Q)$(CC) -O1 -Wall -Wextra -Werror -Iinclude $< -o $@

$(OUTPUT)/bench/maxrss: bench/maxrss.c | $(OUTPUT)/bench
	$(call msg,BENCH,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@

$(OUTPUT)/bench/bench-floor: bench/floor.c $(OUTPUT)/bench/floor.skel.h $(LIB)
	$(call msg,BENCH,$@)
	$(Q)$(CC) $(CFLAGS) $< $(LIB) $(LDLIBS) -o $@

bench-progs: $(BENCH_BINS)

$(OUTPUT)/tests/%: tests/unit/%.c $(LIB) tests/unit/testutil.h | $(OUTPUT)/tests/progs
	$(call msg,TEST,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit $< $(LIB) $(LDLIBS) -lcmocka -o $@

demo: deps all
	./scripts/demo.sh

# bench-deps: the suite runs every benchmark figure once, bpftrace's too
test: bench-deps all $(UNIT_BINS) $(PROG_BINS) $(BENCH_BINS)
	$(Q)./tests/run.sh

unit: $(UNIT_BINS) $(PROG_BINS)
	$(Q)./tests/run.sh unit

integration: all $(PROG_BINS) $(BENCH_BINS)
	$(Q)./tests/run.sh integration

bench: bench-deps all $(BENCH_BINS)
	$(Q)./bench/run.sh

install: $(BIN)
	install -D -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/$(BIN)
	install -D -m 0644 include/scope_bpf.h $(DESTDIR)$(PREFIX)/include/scope_bpf.h

format:
	clang-format -i $$(git ls-files '*.c' '*.h' | grep -v '^vmlinux/')

clean:
	rm -rf $(OUTPUT) $(BIN)
