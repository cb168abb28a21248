// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* One perf event: its name parsed into a perf_event_attr, and its per-CPU
 * fds (the evlist of several is in evlist.c). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/log.h"
#include "counters/evsel.h"

struct evsel {
	char name[EVSEL_NAME_MAX];
	struct perf_event_attr attr;
	const char *note;
	int ncpus;
	int *fds; /* [ncpus], -1 where none */
};

struct name_cfg {
	const char *name;
	uint32_t type;
	uint64_t config;
};

/* perf's generic names (tools/perf/util/parse-events.c), aliases after
 * their main name. */
static const struct name_cfg generic[] = {
	{ "cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "cpu-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CPU_CYCLES },
	{ "instructions", PERF_TYPE_HARDWARE, PERF_COUNT_HW_INSTRUCTIONS },
	{ "cache-references", PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_CACHE_REFERENCES },
	{ "cache-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_CACHE_MISSES },
	{ "branches", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-instructions", PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_BRANCH_INSTRUCTIONS },
	{ "branch-misses", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BRANCH_MISSES },
	{ "bus-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_BUS_CYCLES },
	{ "stalled-cycles-frontend", PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
	{ "idle-cycles-frontend", PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_STALLED_CYCLES_FRONTEND },
	{ "stalled-cycles-backend", PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
	{ "idle-cycles-backend", PERF_TYPE_HARDWARE,
	  PERF_COUNT_HW_STALLED_CYCLES_BACKEND },
	{ "ref-cycles", PERF_TYPE_HARDWARE, PERF_COUNT_HW_REF_CPU_CYCLES },
	{ "cpu-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_CLOCK },
	{ "task-clock", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_TASK_CLOCK },
	{ "page-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS },
	{ "minor-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MIN },
	{ "major-faults", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_PAGE_FAULTS_MAJ },
	{ "context-switches", PERF_TYPE_SOFTWARE,
	  PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cs", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CONTEXT_SWITCHES },
	{ "cpu-migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "migrations", PERF_TYPE_SOFTWARE, PERF_COUNT_SW_CPU_MIGRATIONS },
	{ "alignment-faults", PERF_TYPE_SOFTWARE,
	  PERF_COUNT_SW_ALIGNMENT_FAULTS },
	{ "emulation-faults", PERF_TYPE_SOFTWARE,
	  PERF_COUNT_SW_EMULATION_FAULTS },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

const char *const evsel__generic_names[] = {
	"task-clock",
	"cpu-clock",
	"page-faults",
	"minor-faults",
	"major-faults",
	"context-switches",
	"cpu-migrations",
	"alignment-faults",
	"emulation-faults",
	"cycles",
	"instructions",
	"cache-references",
	"cache-misses",
	"branches",
	"branch-misses",
	"bus-cycles",
	"ref-cycles",
	"stalled-cycles-frontend",
	"stalled-cycles-backend",
	"L1-dcache-loads",
	"L1-dcache-load-misses",
	"LLC-loads",
	"LLC-load-misses",
	"dTLB-load-misses",
	NULL,
};

static const char *const cache_names[] = {
	[PERF_COUNT_HW_CACHE_L1D] = "L1-dcache",
	[PERF_COUNT_HW_CACHE_L1I] = "L1-icache",
	[PERF_COUNT_HW_CACHE_LL] = "LLC",
	[PERF_COUNT_HW_CACHE_DTLB] = "dTLB",
	[PERF_COUNT_HW_CACHE_ITLB] = "iTLB",
	[PERF_COUNT_HW_CACHE_BPU] = "branch",
	[PERF_COUNT_HW_CACHE_NODE] = "node",
};

struct cache_op {
	const char *suffix;
	uint64_t op, result;
};

static const struct cache_op cache_ops[] = {
	{ "-loads", PERF_COUNT_HW_CACHE_OP_READ,
	  PERF_COUNT_HW_CACHE_RESULT_ACCESS },
	{ "-load-misses", PERF_COUNT_HW_CACHE_OP_READ,
	  PERF_COUNT_HW_CACHE_RESULT_MISS },
	{ "-stores", PERF_COUNT_HW_CACHE_OP_WRITE,
	  PERF_COUNT_HW_CACHE_RESULT_ACCESS },
	{ "-store-misses", PERF_COUNT_HW_CACHE_OP_WRITE,
	  PERF_COUNT_HW_CACHE_RESULT_MISS },
	{ "-prefetches", PERF_COUNT_HW_CACHE_OP_PREFETCH,
	  PERF_COUNT_HW_CACHE_RESULT_ACCESS },
	{ "-prefetch-misses", PERF_COUNT_HW_CACHE_OP_PREFETCH,
	  PERF_COUNT_HW_CACHE_RESULT_MISS },
};

static int parse_generic(const char *name, struct perf_event_attr *attr,
			 const char **note)
{
	for (size_t i = 0; i < ARRAY_LEN(generic); i++) {
		if (strcmp(name, generic[i].name))
			continue;
		attr->type = generic[i].type;
		attr->config = generic[i].config;
		/* A task-clock event counts one task; per CPU the kernel
		 * gives only cpu-clock. Per thread they agree once the BPF
		 * side charges a CPU's time to the thread on it. */
		if (attr->type == PERF_TYPE_SOFTWARE &&
		    attr->config == PERF_COUNT_SW_TASK_CLOCK) {
			attr->config = PERF_COUNT_SW_CPU_CLOCK;
			*note = "counted as cpu-clock per CPU, charged to the thread on the CPU";
		}
		return 0;
	}
	return -EINVAL;
}

static int parse_cache(const char *name, struct perf_event_attr *attr)
{
	for (size_t c = 0; c < ARRAY_LEN(cache_names); c++) {
		size_t n = strlen(cache_names[c]);

		if (strncmp(name, cache_names[c], n))
			continue;
		for (size_t o = 0; o < ARRAY_LEN(cache_ops); o++) {
			if (strcmp(name + n, cache_ops[o].suffix))
				continue;
			attr->type = PERF_TYPE_HW_CACHE;
			attr->config = c | cache_ops[o].op << 8 |
				       cache_ops[o].result << 16;
			return 0;
		}
	}
	return -EINVAL;
}

/* rNNNN: the PMU's own encoding, in hex, as perf takes it. */
static int parse_raw(const char *name, struct perf_event_attr *attr)
{
	char *end;
	unsigned long long v;

	if (name[0] != 'r' || !name[1] ||
	    strspn(name + 1, "0123456789abcdefABCDEF") != strlen(name + 1))
		return -EINVAL;
	errno = 0;
	v = strtoull(name + 1, &end, 16);
	if (errno || *end)
		return -ERANGE;
	attr->type = PERF_TYPE_RAW;
	attr->config = v;
	return 0;
}

/* The first line of a sysfs file, without its newline. */
static int read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	int err = 0;

	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		err = -ENODATA;
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return err;
}

static uint64_t *config_field(struct perf_event_attr *attr, const char *f)
{
	if (!strcmp(f, "config"))
		return (uint64_t *)&attr->config;
	if (!strcmp(f, "config1"))
		return (uint64_t *)&attr->config1;
	if (!strcmp(f, "config2"))
		return (uint64_t *)&attr->config2;
	return NULL;
}

/* @v into the bits a format file names ("config:0-7,32-35"), low bits
 * first, as perf does. */
static int put_bits(struct perf_event_attr *attr, const char *fmt, uint64_t v)
{
	char field[16];
	const char *p = strchr(fmt, ':');
	uint64_t *dst;
	int lo, hi, n;

	if (!p || (size_t)(p - fmt) >= sizeof(field))
		return -EINVAL;
	memcpy(field, fmt, p - fmt);
	field[p - fmt] = '\0';
	dst = config_field(attr, field);
	if (!dst)
		return -EINVAL;
	for (p++; *p; p += n + (p[n] == ',')) {
		hi = -1;
		if (sscanf(p, "%d%n-%d%n", &lo, &n, &hi, &n) < 1)
			return -EINVAL;
		if (hi < 0)
			hi = lo;
		for (int b = lo; b <= hi && b < 64; b++, v >>= 1)
			*dst |= (v & 1) << b;
	}
	return v ? -ERANGE : 0;
}

static int parse_terms(const char *pmu, char *terms, const char *sysfs,
		       struct perf_event_attr *attr, int depth);

/* A term with no value: a flag of the format, or an event alias of the PMU
 * (sysfs events/NAME holds its own terms). */
static int parse_alias(const char *pmu, const char *term, const char *sysfs,
		       struct perf_event_attr *attr, int depth)
{
	char path[PATH_MAX], buf[256];

	snprintf(path, sizeof(path), "%s/%s/format/%s", sysfs, pmu, term);
	if (!read_line(path, buf, sizeof(buf)))
		return put_bits(attr, buf, 1);
	snprintf(path, sizeof(path), "%s/%s/events/%s", sysfs, pmu, term);
	if (depth > 0 || read_line(path, buf, sizeof(buf)))
		return -ENOENT;
	return parse_terms(pmu, buf, sysfs, attr, depth + 1);
}

static int parse_term(const char *pmu, char *term, const char *sysfs,
		      struct perf_event_attr *attr, int depth)
{
	char path[PATH_MAX], fmt[256], *eq = strchr(term, '='), *end;
	unsigned long long v;
	uint64_t *dst;

	if (!eq)
		return parse_alias(pmu, term, sysfs, attr, depth);
	*eq = '\0';
	errno = 0;
	v = strtoull(eq + 1, &end, 0);
	if (errno || end == eq + 1 || *end)
		return -EINVAL;
	dst = config_field(attr, term);
	if (dst) {
		*dst = v;
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s/format/%s", sysfs, pmu, term);
	if (read_line(path, fmt, sizeof(fmt)))
		return -ENOENT;
	return put_bits(attr, fmt, v);
}

static int parse_terms(const char *pmu, char *terms, const char *sysfs,
		       struct perf_event_attr *attr, int depth)
{
	char *save = NULL, *t;
	int err;

	for (t = strtok_r(terms, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		err = parse_term(pmu, t, sysfs, attr, depth);
		if (err)
			return err;
	}
	return 0;
}

/* PMU/term=value,.../ with the PMU's type and format from sysfs. */
static int parse_pmu(const char *name, const char *sysfs,
		     struct perf_event_attr *attr)
{
	char buf[EVSEL_NAME_MAX], path[PATH_MAX], type[32], *slash, *end;
	size_t len = strlen(name);
	unsigned long t;

	if (len < 3 || len >= sizeof(buf) || name[len - 1] != '/')
		return -EINVAL;
	memcpy(buf, name, len - 1);
	buf[len - 1] = '\0';
	slash = strchr(buf, '/');
	if (!slash || slash == buf || strchr(buf, '.'))
		return -EINVAL;
	*slash = '\0';
	snprintf(path, sizeof(path), "%s/%s/type", sysfs, buf);
	if (read_line(path, type, sizeof(type)))
		return -ENOENT;
	t = strtoul(type, &end, 10);
	if (*end || t > UINT32_MAX)
		return -EINVAL;
	attr->type = t;
	return parse_terms(buf, slash + 1, sysfs, attr, 0);
}

int evsel__parse(const char *name, const char *sysfs,
		 struct perf_event_attr *attr, const char **note)
{
	const char *dummy;
	int err;

	note = note ? note : &dummy;
	*note = "";
	memset(attr, 0, sizeof(*attr));
	attr->size = sizeof(*attr);
	attr->read_format =
		PERF_FORMAT_TOTAL_TIME_ENABLED | PERF_FORMAT_TOTAL_TIME_RUNNING;
	if (!name || !*name || strlen(name) >= EVSEL_NAME_MAX)
		return -EINVAL;
	if (strchr(name, '/'))
		return parse_pmu(name, sysfs ? sysfs : EVSEL_SYSFS_PMUS, attr);
	err = parse_generic(name, attr, note);
	if (err)
		err = parse_cache(name, attr);
	if (err)
		err = parse_raw(name, attr);
	return err;
}

struct evsel *evsel__new(const char *name, const char *sysfs)
{
	struct evsel *e = calloc(1, sizeof(*e));
	int err;

	if (!e)
		return NULL;
	err = evsel__parse(name, sysfs, &e->attr, &e->note);
	if (err) {
		free(e);
		errno = -err;
		return NULL;
	}
	snprintf(e->name, sizeof(e->name), "%s", name);
	return e;
}

void evsel__free(struct evsel *e)
{
	if (!e)
		return;
	evsel__close(e);
	free(e);
}

const char *evsel__name(const struct evsel *e)
{
	return e->name;
}

const struct perf_event_attr *evsel__attr(const struct evsel *e)
{
	return &e->attr;
}

const char *evsel__note(const struct evsel *e)
{
	return e->note;
}

bool evsel__is_hardware(const struct evsel *e)
{
	switch (e->attr.type) {
	case PERF_TYPE_HARDWARE:
	case PERF_TYPE_HW_CACHE:
	case PERF_TYPE_RAW:
		return true;
	case PERF_TYPE_SOFTWARE:
	case PERF_TYPE_TRACEPOINT:
	case PERF_TYPE_BREAKPOINT:
		return false;
	}
	/* a dynamic PMU: only the core PMU's counters are scarce */
	return !strncmp(e->name, "cpu/", 4) || !strncmp(e->name, "cpu_", 4);
}

static int perf_event_open(const struct perf_event_attr *attr, int cpu,
			   int group_fd)
{
	return syscall(SYS_perf_event_open, attr, -1, cpu, group_fd,
		       PERF_FLAG_FD_CLOEXEC);
}

int evsel__open(struct evsel *e, int ncpus)
{
	int cpu, opened = 0, err = 0;

	evsel__close(e);
	e->fds = malloc(sizeof(*e->fds) * (ncpus > 0 ? ncpus : 1));
	if (!e->fds)
		return -ENOMEM;
	e->ncpus = ncpus;
	for (cpu = 0; cpu < ncpus; cpu++) {
		e->fds[cpu] = perf_event_open(&e->attr, cpu, -1);
		if (e->fds[cpu] >= 0) {
			opened++;
			continue;
		}
		/* an offline CPU has no counters, and runs no thread */
		if (errno == ENODEV && cpu > 0)
			continue;
		err = -errno;
		break;
	}
	if (!err && !opened)
		err = -ENODEV;
	if (err)
		evsel__close(e);
	return err;
}

int evsel__fd(const struct evsel *e, int cpu)
{
	return e->fds && cpu >= 0 && cpu < e->ncpus ? e->fds[cpu] : -1;
}

int evsel__read(const struct evsel *e, int cpu, struct evsel_counts *c)
{
	int fd = evsel__fd(e, cpu);
	ssize_t n;

	if (fd < 0)
		return -EBADF;
	n = read(fd, c, sizeof(*c));
	if (n < 0)
		return -errno;
	return n == sizeof(*c) ? 0 : -EIO;
}

void evsel__close(struct evsel *e)
{
	for (int cpu = 0; e->fds && cpu < e->ncpus; cpu++) {
		if (e->fds[cpu] >= 0)
			close(e->fds[cpu]);
	}
	free(e->fds);
	e->fds = NULL;
	e->ncpus = 0;
}

int evsel_counts__scale(struct evsel_counts *c)
{
	if (!c->run) {
		c->val = 0;
		return -1;
	}
	if (c->run >= c->ena)
		return 0;
	c->val = (uint64_t)((double)c->val * c->ena / c->run + 0.5);
	return 1;
}

/* A host whose core PMU the kernel does not list counts no hardware
 * event: a VM without a virtual PMU. */
static bool host_has_core_pmu(void)
{
	static const char *const pmus[] = { "cpu", "cpu_core", "armv8_pmuv3",
					    "armv8_pmuv3_0" };
	char path[PATH_MAX];

	for (size_t i = 0; i < ARRAY_LEN(pmus); i++) {
		snprintf(path, sizeof(path), "%s/%s", EVSEL_SYSFS_PMUS,
			 pmus[i]);
		if (!access(path, F_OK))
			return true;
	}
	return false;
}

const char *evsel__strerror(const struct evsel *e, int err)
{
	bool hw = evsel__is_hardware(e);

	switch (-err) {
	case ENOENT:
	case EOPNOTSUPP:
		if (hw && !host_has_core_pmu())
			return "this host has no hardware PMU (a VM without a virtual PMU counts software events only)";
		return hw ? "this CPU's PMU has no such event" :
			    "the kernel does not know this event";
	case EACCES:
	case EPERM:
		return "not permitted (root or CAP_PERFMON, or a lower kernel.perf_event_paranoid)";
	case EINVAL:
		return "the kernel refused its attributes (a value out of range for this PMU?)";
	case ENODEV:
		return "no CPU could count it";
	case EMFILE:
	case ENFILE:
		return "too many open files";
	}
	return strerror(-err);
}
