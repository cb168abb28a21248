// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the trace file (userspace/hdf5/trace_file.c and
 * trace_reader.c): exact round trips, a SWMR reader in another process, a
 * writer killed by SIGKILL, and the writer's memory bound. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "hdf5/profile_file.h"
#include "hdf5/trace_file.h"

#define CHUNK 1000

struct fixture {
	char dir[64];
	char path[PATH_MAX];
};

static const char *const counter_names[] = { "task-clock", "page-faults" };
static const char *const counter_units[] = { "ns", "count" };

/* Interval @i of every test: realistic magnitudes, nothing repeats. */
static void interval__make(struct trace_interval *v, uint64_t i)
{
	memset(v, 0, sizeof(*v));
	v->start_ns = 1000000000000000ull + i * 150;
	v->end_ns = v->start_ns + 40 + i % 97;
	v->pid = 4242;
	v->tid = 4242 + i % 3;
	v->region = i % 5;
	v->depth = i % 4;
	v->parent = v->depth ? (uint32_t)(i % 5 + 1) : TRACE_NO_PARENT;
	v->path = (i % 11 + 1) * 0x9e3779b97f4a7c15ull;
	v->counters[0] = v->end_ns - v->start_ns;
	v->counters[1] = i % 2;
}

/* Appends intervals [from, to) in pieces of @piece. */
static int append__range(struct trace_file *tf, uint64_t from, uint64_t to,
			 size_t piece)
{
	struct trace_interval v[512];

	if (piece > 512)
		piece = 512;
	while (from < to) {
		size_t n = to - from < piece ? to - from : piece;
		int err;

		for (size_t i = 0; i < n; i++)
			interval__make(&v[i], from + i);
		err = trace_file__append(tf, v, n);
		if (err)
			return err;
		from += n;
	}
	return 0;
}

/* The first @n intervals of the file are exactly intervals 0..n-1 with
 * @ncounters counters; returns how many it read. */
static uint64_t check__prefix(struct trace_reader *r, size_t ncounters)
{
	static struct trace_interval got[700];
	struct trace_interval want;
	uint64_t i = 0;
	ssize_t n;

	while ((n = trace_reader__read(r, got, 700)) > 0) {
		for (ssize_t k = 0; k < n; k++, i++) {
			interval__make(&want, i);
			for (size_t c = ncounters; c < TRACE_MAX_COUNTERS; c++)
				want.counters[c] = 0;
			if (memcmp(&want, &got[k], sizeof(want))) {
				fprintf(stderr, "interval %llu differs\n",
					(unsigned long long)i);
				return UINT64_MAX;
			}
		}
	}
	return n < 0 ? UINT64_MAX : i;
}

static void minimal__profile(struct profile *p)
{
	static struct region regions[] = {
		{ .id = 0, .name = (char *)"solve", .file = (char *)"s.c" },
	};
	static struct region_stats stats[] = {
		{ .pid = 4242, .tid = 4242, .region = 0, .calls = 1 },
	};

	memset(p, 0, sizeof(*p));
	p->meta.mode = (char *)"run";
	p->regions.v = regions;
	p->regions.n = 1;
	p->stats = stats;
	p->nstats = 1;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/scope-test-trace-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/trace.h5", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int err = test__rmdir(f->dir);

	free(f);
	return err;
}

static int h5dump__header(const char *path)
{
	char cmd[PATH_MAX + 64];

	snprintf(cmd, sizeof(cmd), "h5dump -H '%s' >/dev/null 2>&1", path);
	return system(cmd);
}

static void roundtrip(struct fixture *f, size_t ncounters, size_t writers)
{
	struct trace_file_opts o = {
		.ncounters = ncounters,
		.counter_names = counter_names,
		.counter_units = counter_units,
		.chunk_rows = CHUNK,
		.buffer_bytes = 3 * CHUNK * sizeof(struct trace_interval),
		.block = true,
		.writers = writers,
	};
	const uint64_t n = 10 * CHUNK + 523;
	struct trace_file *tf = trace_file__create(f->path, &o);
	struct trace_reader *r;
	struct profile p;

	assert_non_null(tf);
	assert_int_equal(append__range(tf, 0, 4321, 777), 0);
	assert_int_equal(trace_file__flush(tf), 0);
	assert_int_equal(append__range(tf, 4321, n, 301), 0);
	minimal__profile(&p);
	assert_int_equal(trace_file__finish(tf, &p), 0);

	r = trace_reader__open(f->path);
	assert_non_null(r);
	assert_int_equal(trace_reader__finished(r), 1);
	assert_int_equal(trace_reader__ncounters(r), ncounters);
	assert_int_equal(check__prefix(r, ncounters), n);
	trace_reader__free(r);
	/* the profile reader reads it as the profile it also is */
	assert_int_equal(profile_file__read(&p, f->path), 0);
	assert_int_equal(p.nstats, 1);
	profile__free(&p);
	assert_int_equal(h5dump__header(f->path), 0);
}

static void test_roundtrip_counters(void **state)
{
	roundtrip(*state, 2, 0);
}

/* More writers than slots: chunks finish out of order, are stored in it. */
static void test_roundtrip_writers(void **state)
{
	roundtrip(*state, 2, 5);
}

static void test_roundtrip_plain(void **state)
{
	roundtrip(*state, 0, 1);
}

/* The reader's side of test_swmr_follow: at each byte from @in it
 * refreshes and sends back the count it sees, then checks the rows. */
static int follower(const char *path, int in, int out)
{
	struct trace_reader *r = NULL;
	uint64_t n = 0;
	char c;

	while (read(in, &c, 1) == 1) {
		if (!r)
			r = trace_reader__open(path);
		if (!r || trace_reader__refresh(r, &n))
			return 1;
		if (write(out, &n, sizeof(n)) != sizeof(n))
			return 1;
	}
	if (!r || trace_reader__finished(r))
		return 1;
	n = check__prefix(r, 2) == n ? 0 : 1;
	trace_reader__free(r);
	return n;
}

/* A SWMR reader in another process sees every flush. It is forked before
 * the writer opens anything: a forked HDF5 would share the open file. */
static void test_swmr_follow(void **state)
{
	struct fixture *f = *state;
	struct trace_file_opts o = { .ncounters = 2,
				     .counter_names = counter_names,
				     .chunk_rows = CHUNK,
				     .block = true,
				     .flush_ms = 3600000 };
	int to_child[2], to_parent[2], status;
	struct trace_file *tf;
	struct profile p;
	uint64_t seen, total = 0;
	pid_t pid;

	assert_int_equal(pipe(to_child), 0);
	assert_int_equal(pipe(to_parent), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		close(to_child[1]);
		close(to_parent[0]);
		_exit(follower(f->path, to_child[0], to_parent[1]));
	}
	close(to_child[0]);
	close(to_parent[1]);
	tf = trace_file__create(f->path, &o);
	assert_non_null(tf);
	for (int step = 1; step <= 4; step++) {
		assert_int_equal(
			append__range(tf, total, total + 1700 * step, 500), 0);
		total += 1700 * step;
		assert_int_equal(trace_file__flush(tf), 0);
		assert_int_equal(write(to_child[1], "r", 1), 1);
		assert_int_equal(read(to_parent[0], &seen, sizeof(seen)),
				 sizeof(seen));
		assert_int_equal(seen, total);
	}
	close(to_child[1]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	close(to_parent[0]);
	minimal__profile(&p);
	assert_int_equal(trace_file__finish(tf, &p), 0);
}

/* The writer's side of test_sigkill: flushes 5500 intervals, buffers and
 * partly writes more, says how many were flushed, and waits for death. */
static void killed_writer(const char *path, int out)
{
	struct trace_file_opts o = {
		.ncounters = 2,
		.counter_names = counter_names,
		.chunk_rows = CHUNK,
		.buffer_bytes = 2 * CHUNK * sizeof(struct trace_interval),
		.block = true,
		.flush_ms = 3600000
	};
	struct trace_file *tf = trace_file__create(path, &o);
	struct trace_file_stats st;

	if (!tf || append__range(tf, 0, 5500, 512) || trace_file__flush(tf) ||
	    append__range(tf, 5500, 9300, 512))
		_exit(1);
	trace_file__stats(tf, &st);
	if (write(out, &st.flushed, sizeof(st.flushed)) != sizeof(st.flushed))
		_exit(1);
	for (;;)
		pause();
}

static void test_sigkill(void **state)
{
	struct fixture *f = *state;
	struct trace_reader *r;
	uint64_t flushed = 0, n, got;
	char cmd[PATH_MAX + 32];
	struct profile p;
	int fds[2], status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		close(fds[0]);
		killed_writer(f->path, fds[1]);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &flushed, sizeof(flushed)),
			 sizeof(flushed));
	close(fds[0]);
	assert_int_equal(flushed, 5500);
	kill(pid, SIGKILL);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));

	r = trace_reader__open(f->path);
	assert_non_null(r);
	assert_int_equal(trace_reader__finished(r), 0);
	assert_int_equal(trace_reader__refresh(r, &n), 0);
	assert_true(n >= flushed && n <= 9300);
	got = check__prefix(r, 2);
	assert_int_equal(got, n);
	trace_reader__free(r);
	/* no profile in it yet: the profile reader says so, with what was
	 * known at the start, and leaves the intervals to the caller */
	assert_int_equal(profile_file__read(&p, f->path), 0);
	assert_true(p.meta.unfinished);
	assert_int_equal(p.nstats, 0);
	profile__free(&p);
	/* HDF5 1.10's tools refuse a file still marked as open by a SWMR
	 * writer until h5clear -s clears the mark (docs/hdf5-schema.md) */
	assert_int_not_equal(h5dump__header(f->path), 0);
	snprintf(cmd, sizeof(cmd), "h5clear -s '%s'", f->path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(h5dump__header(f->path), 0);
	assert_int_equal(profile_file__read(&p, f->path), 0);
	assert_true(p.meta.unfinished);
	profile__free(&p);
}

/* However much comes, the buffer is what was allocated at creation; what
 * does not fit is dropped and counted, and the file holds the rest. */
static void test_bounded(void **state)
{
	struct fixture *f = *state;
	const size_t bound = 4 * 512 * sizeof(struct trace_interval) + 100;
	struct trace_file_opts o = { .chunk_rows = 512, .buffer_bytes = bound };
	struct trace_file *tf = trace_file__create(f->path, &o);
	struct trace_file_stats st;
	struct trace_reader *r;
	struct profile p;
	uint64_t n;

	assert_non_null(tf);
	for (int i = 0; i < 200; i++) {
		assert_int_equal(
			append__range(tf, i * 3001, (i + 1) * 3001, 512), 0);
		trace_file__stats(tf, &st);
		assert_true(st.buffer_bytes <= bound);
		assert_true(st.buffer_rows_peak *
				    sizeof(struct trace_interval) <=
			    st.buffer_bytes);
		/* what is neither in the file nor dropped is in the buffer */
		assert_true(st.appended - st.written - st.dropped <= 4 * 512);
	}
	assert_int_equal(trace_file__flush(tf), 0);
	trace_file__stats(tf, &st);
	assert_int_equal(st.written + st.dropped, st.appended);
	assert_int_equal(st.flushed, st.written);
	minimal__profile(&p);
	assert_int_equal(trace_file__finish(tf, &p), 0);
	r = trace_reader__open(f->path);
	assert_non_null(r);
	assert_int_equal(trace_reader__refresh(r, &n), 0);
	assert_int_equal(n, st.written);
	trace_reader__free(r);
}

static void test_refusals(void **state)
{
	struct fixture *f = *state;
	struct trace_file_opts bad = { .ncounters = TRACE_MAX_COUNTERS + 1,
				       .counter_names = counter_names };
	char link[PATH_MAX + 8];
	struct profile p;
	FILE *fp;

	errno = 0;
	assert_null(trace_file__create(f->path, &bad));
	assert_int_equal(errno, EINVAL);
	fp = fopen(f->path, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_null(trace_file__create(f->path, NULL));
	assert_int_equal(errno, EEXIST);
	snprintf(link, sizeof(link), "%s.lnk", f->path);
	assert_int_equal(symlink("/nonexistent-target", link), 0);
	assert_null(trace_file__create(link, NULL));
	assert_int_equal(errno, EEXIST);
	/* a profile without /trace is no trace */
	unlink(f->path);
	minimal__profile(&p);
	assert_int_equal(profile_file__write(&p, f->path, (uid_t)-1, (gid_t)-1),
			 0);
	assert_null(trace_reader__open(f->path));
	assert_int_equal(errno, ENODATA);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip_counters, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip_plain, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip_writers, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_swmr_follow, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_sigkill, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
