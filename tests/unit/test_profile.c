// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the HDF5 profile writer and reader (userspace/hdf5). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hdf5.h>

#include "testutil.h"

#include "hdf5/profile_file.h"

struct fixture {
	char dir[64];
	char path[PATH_MAX];
	struct profile p;
};

static struct region sample_regions[] = {
	{ .id = 0,
	  .name = (char *)"solve",
	  .file = (char *)"solver.c",
	  .line = 42,
	  .nsites = 2,
	  .nbegin = 1 },
	{ .id = 1,
	  .name = (char *)"halo",
	  .file = (char *)"comm.c",
	  .line = 7,
	  .nsites = 3,
	  .nbegin = 2 },
	{ .id = 2,
	  .name = (char *)"io",
	  .file = (char *)"io/write.c",
	  .line = 120,
	  .nsites = 1,
	  .nbegin = 1 },
};

static struct profile_thread sample_threads[] = {
	{ 4242, 4242, (char *)"solver" },
	{ 4242, 4243, (char *)"worker-1" },
};

static struct region_stats sample_stats[3];

/* what --counters task-clock,page-faults makes (the names carry a comma
 * that CSV must quote in a test of the report, not here) */
static struct profile_counter sample_counters[] = {
	{ .index = 0,
	  .type = 1,
	  .config = 1,
	  .enabled_ns = 5000000000ull,
	  .running_ns = 5000000000ull,
	  .name = (char *)"task-clock",
	  .counter = (char *)"",
	  .units = (char *)"ns",
	  .note = (char *)"counted as cpu-clock per CPU" },
	{ .index = 1,
	  .type = 4,
	  .config = 0x1c2,
	  .config1 = 7,
	  .config2 = 1ull << 40,
	  .enabled_ns = 4000000000ull,
	  .running_ns = 3000000000ull,
	  .name = (char *)"cpu/event=0xc2,umask=0x1/",
	  .counter = (char *)"PMC0",
	  .units = (char *)"count",
	  .note = (char *)"" },
};

/* Two counters in the sample profile, with values in every stats row. */
static void sample__counters(struct profile *p)
{
	p->counters = sample_counters;
	p->ncounters = 2;
	for (size_t i = 0; i < p->nstats; i++) {
		for (size_t c = 0; c < p->ncounters; c++) {
			sample_stats[i].counter_incl[c] = (1000000ull + i)
							  << (8 * c);
			sample_stats[i].counter_self[c] = (900000ull + i) + c;
		}
	}
	sample_stats[2].counter_incl[1] = UINT64_MAX;
}

static void sample__stats(void)
{
	for (unsigned int i = 0; i < 3; i++) {
		struct region_stats *s = &sample_stats[i];

		memset(s, 0, sizeof(*s));
		s->pid = 4242;
		s->tid = 4242 + (i & 1);
		s->region = i;
		s->calls = 10 + i;
		s->total_ns = 1000000ull * (i + 1);
		s->self_ns = 900000ull * (i + 1);
		s->min_ns = 1000 + i;
		s->max_ns = (1ull << 40) + i;
		s->child_calls = 3 * i;
		for (unsigned int b = 0; b < PROFILE_HIST_BUCKETS; b++)
			s->hist[b] = (b * 7 + i) % 5 ? 0 : b + 100 * i;
		s->hist[63] = UINT64_MAX - i;
	}
}

static void sample__profile(struct profile *p)
{
	memset(p, 0, sizeof(*p));
	sample__stats();
	p->meta = (struct profile_meta){
		.tool_version = (char *)"0.1.0",
		.mode = (char *)"run",
		.site_mode = (char *)"nop5",
		.site_cost_trap_ns = 815,
		.site_cost_nop5_ns = 906,
		.site_trampoline = 1,
		.command = (char *)"./solver in.dat --with \"quotes\", commas",
		.pid = 4242,
		.host = (char *)"node-17",
		.kernel = (char *)"6.18.0",
		.start_time = (char *)"2025-01-02T03:04:05Z",
		.clock = (char *)"CLOCK_MONOTONIC",
		.options = (char *)"scope-bpf run -o run.h5 -- ./solver",
		.start_ns = 123456789012ull,
		.end_ns = 223456789012ull,
		.exit_status = -1,
		.records = 1ull << 33,
		.losses = { [LOSS_DROPPED] = 1,
			    [LOSS_DEPTH_OVERFLOW] = 2,
			    [LOSS_UNMATCHED_END] = 3,
			    [LOSS_ABANDONED] = 4,
			    [LOSS_UNFINISHED] = 5,
			    [LOSS_OPEN_AT_DETACH] = 6,
			    [LOSS_NO_STORAGE] = 7 },
		.ringbuf_bytes = 1 << 24,
	};
	p->regions.v = sample_regions;
	p->regions.n = 3;
	p->threads = sample_threads;
	p->nthreads = 2;
	p->stats = sample_stats;
	p->nstats = 3;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/scope-test-profile-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/run.h5", f->dir);
	sample__profile(&f->p);
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

static void assert_str(const char *want, const char *got)
{
	assert_non_null(got);
	assert_string_equal(want ?: "", got);
}

static void assert_meta(const struct profile_meta *a,
			const struct profile_meta *b)
{
	assert_str(a->tool_version, b->tool_version);
	assert_str(a->mode, b->mode);
	assert_str(a->command, b->command);
	assert_int_equal(a->pid, b->pid);
	assert_str(a->host, b->host);
	assert_str(a->kernel, b->kernel);
	assert_str(a->start_time, b->start_time);
	assert_str(a->clock, b->clock);
	assert_str(a->options, b->options);
	assert_true(a->start_ns == b->start_ns && a->end_ns == b->end_ns);
	assert_true(a->exit_status == b->exit_status);
	assert_true(a->records == b->records);
	assert_memory_equal(a->losses, b->losses, sizeof(a->losses));
	assert_true(a->ringbuf_bytes == b->ringbuf_bytes);
	assert_true(a->unfollowed_execs == b->unfollowed_execs);
	assert_true(a->late_libraries == b->late_libraries);
	assert_str(a->site_mode, b->site_mode);
	assert_true(a->site_cost_trap_ns == b->site_cost_trap_ns);
	assert_true(a->site_cost_nop5_ns == b->site_cost_nop5_ns);
	assert_true(a->site_trampoline == b->site_trampoline);
}

static void assert_profile(const struct profile *a, const struct profile *b)
{
	assert_meta(&a->meta, &b->meta);
	assert_int_equal(a->regions.n, b->regions.n);
	for (size_t i = 0; i < a->regions.n; i++) {
		const struct region *x = &a->regions.v[i];
		const struct region *y = &b->regions.v[i];

		assert_int_equal(x->id, y->id);
		assert_str(x->name, y->name);
		assert_str(x->file, y->file);
		assert_int_equal(x->line, y->line);
		assert_int_equal(x->nsites, y->nsites);
		assert_int_equal(x->nbegin, y->nbegin);
	}
	assert_int_equal(a->nthreads, b->nthreads);
	for (size_t i = 0; i < a->nthreads; i++) {
		assert_int_equal(a->threads[i].pid, b->threads[i].pid);
		assert_int_equal(a->threads[i].tid, b->threads[i].tid);
		assert_str(a->threads[i].comm, b->threads[i].comm);
	}
	assert_int_equal(a->ncounters, b->ncounters);
	for (size_t i = 0; i < a->ncounters; i++) {
		const struct profile_counter *x = &a->counters[i];
		const struct profile_counter *y = &b->counters[i];

		assert_int_equal(x->index, y->index);
		assert_int_equal(x->type, y->type);
		assert_true(x->config == y->config &&
			    x->config1 == y->config1 &&
			    x->config2 == y->config2);
		assert_true(x->enabled_ns == y->enabled_ns &&
			    x->running_ns == y->running_ns);
		assert_str(x->name, y->name);
		assert_str(x->counter, y->counter);
		assert_str(x->units, y->units);
		assert_str(x->note, y->note);
	}
	assert_int_equal(a->nstats, b->nstats);
	/* reserved is not stored: the samples keep it 0, as the reader does */
	if (a->nstats)
		assert_memory_equal(a->stats, b->stats,
				    a->nstats * sizeof(*a->stats));
}

static void roundtrip(struct fixture *f)
{
	struct profile got;

	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	assert_int_equal(profile_file__read(&got, f->path), 0);
	assert_profile(&f->p, &got);
	profile__free(&got);
}

static void test_roundtrip(void **state)
{
	roundtrip(*state);
}

static void test_empty_tables(void **state)
{
	struct fixture *f = *state;

	memset(&f->p, 0, sizeof(f->p)); /* NULL strings read back as "" */
	roundtrip(f);
}

static void test_overwrite(void **state)
{
	struct fixture *f = *state;

	roundtrip(f);
	f->p.nstats = 1;
	roundtrip(f);
}

/* Counters, their definitions and the /meta fields that go with them
 * come back as written; a file without them reads none (the roundtrip
 * above). */
static void test_counters_roundtrip(void **state)
{
	struct fixture *f = *state;
	struct profile got;

	sample__counters(&f->p);
	f->p.meta.counter_method = (char *)"bpf_perf_event_read_value";
	f->p.meta.likwid_group = (char *)"BRANCH";
	f->p.meta.likwid_group_text = (char *)"SHORT x\n\nEVENTSET\nPMC0 X\n";
	f->p.meta.cpu_clock_hz = 2100000000ull;
	roundtrip(f);
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	assert_int_equal(profile_file__read(&got, f->path), 0);
	assert_string_equal(got.meta.counter_method,
			    "bpf_perf_event_read_value");
	assert_string_equal(got.meta.likwid_group, "BRANCH");
	assert_string_equal(got.meta.likwid_group_text,
			    f->p.meta.likwid_group_text);
	assert_true(got.meta.cpu_clock_hz == 2100000000ull);
	assert_true(got.stats[2].counter_incl[1] == UINT64_MAX);
	profile__free(&got);
	/* no stats rows: zero-extent matrices */
	f->p.nstats = 0;
	roundtrip(f);
}

static void delete_object(const char *path, const char *name)
{
	hid_t file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);

	assert_true(file >= 0);
	assert_true(H5Ldelete(file, name, H5P_DEFAULT) >= 0);
	H5Fclose(file);
}

/* A [rows x cols] u64 dataset @name in place of the one there. */
static void replace_matrix(const char *path, const char *name, hsize_t rows,
			   hsize_t cols)
{
	hsize_t dims[2] = { rows, cols };
	hid_t file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
	hid_t space = H5Screate_simple(2, dims, NULL), ds;

	assert_true(file >= 0 && space >= 0);
	assert_true(H5Ldelete(file, name, H5P_DEFAULT) >= 0);
	ds = H5Dcreate2(file, name, H5T_STD_U64LE, space, H5P_DEFAULT,
			H5P_DEFAULT, H5P_DEFAULT);
	assert_true(ds >= 0);
	H5Dclose(ds);
	H5Sclose(space);
	H5Fclose(file);
}

/* Counters per call path: /path_counter_incl and /path_counter_self come
 * back row by row with /paths; a file from before them reads its paths
 * without counters (paths_counted false), and one of another shape is
 * damage. */
static void test_path_counters(void **state)
{
	struct fixture *f = *state;
	struct path_stats paths[2] = {
		{ .pid = 4242,
		  .tid = 4242,
		  .region = 0,
		  .path = 11,
		  .calls = 1,
		  .total_ns = 100,
		  .self_ns = 40 },
		{ .pid = 4242,
		  .tid = 4242,
		  .region = 1,
		  .depth = 1,
		  .path = 12,
		  .parent_path = 11,
		  .calls = 2,
		  .total_ns = 60,
		  .self_ns = 60 },
	};
	struct profile got;

	sample__counters(&f->p);
	for (size_t i = 0; i < 2; i++) {
		paths[i].counter_incl[0] = 1000 + i;
		paths[i].counter_self[0] = 500 + i;
		paths[i].counter_incl[1] = UINT64_MAX - i;
		paths[i].counter_self[1] = 7 * i;
	}
	f->p.paths = paths;
	f->p.npaths = 2;
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	assert_int_equal(profile_file__read(&got, f->path), 0);
	assert_true(got.paths_counted);
	assert_int_equal(got.npaths, 2);
	assert_memory_equal(got.paths, paths, sizeof(paths));
	profile__free(&got);

	delete_object(f->path, "/path_counter_self");
	delete_object(f->path, "/path_counter_incl");
	assert_int_equal(profile_file__read(&got, f->path), 0);
	assert_false(got.paths_counted);
	assert_true(got.paths[1].counter_self[1] == 0 &&
		    got.paths[1].counter_incl[0] == 0);
	profile__free(&got);

	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	replace_matrix(f->path, "/path_counter_incl", 2, 1);
	assert_int_equal(profile_file__read(&got, f->path), -EIO);
	f->p.paths = NULL;
	f->p.npaths = 0;
}

/* /counters without its matrices, or with matrices of another shape, is a
 * damaged file: an error, not counters read from nowhere. */
static void test_counters_damaged(void **state)
{
	struct fixture *f = *state;
	struct profile p;

	sample__counters(&f->p);
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	delete_object(f->path, "/counter_self");
	assert_int_equal(profile_file__read(&p, f->path), -EIO);
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	replace_matrix(f->path, "/counter_incl", 3, 3);
	assert_int_equal(profile_file__read(&p, f->path), -EIO);
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	replace_matrix(f->path, "/counter_incl", 2, 2);
	assert_int_equal(profile_file__read(&p, f->path), -EIO);
	/* without /counters, the matrices are not looked at */
	delete_object(f->path, "/counters");
	assert_int_equal(profile_file__read(&p, f->path), 0);
	assert_int_equal(p.ncounters, 0);
	profile__free(&p);
	/* the writer refuses rows out of index order */
	sample_counters[1].index = 0;
	assert_int_equal(
		profile_file__image(&f->p, &(void *){ NULL }, &(size_t){ 0 }),
		-EINVAL);
	sample_counters[1].index = 1;
}

static void assert_zeroed(const struct profile *p)
{
	static const struct profile zero;

	assert_memory_equal(p, &zero, sizeof(zero));
}

/* profile__free releases what profile__read allocated and leaves the
 * profile zeroed: a second free, or a free after a failed read, is a no-op
 * (a double free would abort here, and ASan or valgrind would name it). */
static void test_free_zeroed(void **state)
{
	struct fixture *f = *state;
	struct profile got;

	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	assert_int_equal(profile_file__read(&got, f->path), 0);
	assert_non_null(got.meta.command);
	assert_non_null(got.regions.v);
	assert_non_null(got.threads);
	assert_non_null(got.stats);
	profile__free(&got);
	assert_zeroed(&got);
	profile__free(&got);
	assert_zeroed(&got);

	/* a failed read leaves nothing to free, whatever was there before */
	memset(&got, 0xa5, sizeof(got));
	assert_int_not_equal(profile_file__read(&got, "/nonexistent/run.h5"),
			     0);
	assert_zeroed(&got);
	profile__free(&got);
	profile__free(NULL);
}

static void write_text(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void test_symlink_replaced(void **state)
{
	struct fixture *f = *state;
	char victim[PATH_MAX], buf[16] = { 0 };
	struct stat st;
	FILE *fp;

	snprintf(victim, sizeof(victim), "%s/victim", f->dir);
	write_text(victim, "keep");
	assert_int_equal(symlink(victim, f->path), 0);
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	assert_int_equal(lstat(f->path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	fp = fopen(victim, "r");
	assert_non_null(fp);
	assert_int_equal(fread(buf, 1, sizeof(buf) - 1, fp), 4);
	fclose(fp);
	assert_string_equal(buf, "keep");
}

static void test_chown(void **state)
{
	struct fixture *f = *state;
	struct stat st;

	if (geteuid() != 0)
		skip();
	assert_int_equal(profile_file__write(&f->p, f->path, 65534, 65534), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_uid, 65534);
	assert_int_equal(st.st_gid, 65534);
}

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* A failed write leaves nothing behind: here the rename onto a directory. */
static void test_failed_write_cleans_up(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(mkdir(f->path, 0755), 0);
	assert_true(profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1) <
		    0);
	assert_int_equal(count_entries(f->dir), 1);
	assert_true(profile_file__write(&f->p, "/nonexistent-dir/run.h5",
					(uid_t)-1, (gid_t)-1) < 0);
}

static void test_not_hdf5(void **state)
{
	struct fixture *f = *state;
	struct profile p;

	write_text(f->path, "region,calls\nsolve,1\n");
	assert_int_equal(profile_file__read(&p, f->path), -ENOTSUP);
	assert_int_equal(profile_file__read(&p, f->dir), -EISDIR);
}

static void test_nonexistent(void **state)
{
	struct fixture *f = *state;
	struct profile p;

	assert_int_equal(profile_file__read(&p, f->path), -ENOENT);
}

static void test_no_schema(void **state)
{
	struct fixture *f = *state;
	struct profile p;
	hid_t file =
		H5Fcreate(f->path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);

	assert_true(file >= 0);
	H5Fclose(file);
	assert_int_equal(profile_file__read(&p, f->path), -ENOTSUP);
}

static void set_version(const char *path, uint32_t version)
{
	hid_t file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);
	hid_t attr;

	assert_true(file >= 0);
	attr = H5Aopen(file, "schema_version", H5P_DEFAULT);
	assert_true(attr >= 0);
	assert_true(H5Awrite(attr, H5T_NATIVE_UINT32, &version) >= 0);
	H5Aclose(attr);
	H5Fclose(file);
}

static void test_newer_schema(void **state)
{
	struct fixture *f = *state;
	struct profile p;

	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	set_version(f->path, 99);
	assert_int_equal(profile_file__read(&p, f->path), -ENOTSUP);
	set_version(f->path, PROFILE_SCHEMA_VERSION);
	assert_int_equal(profile_file__read(&p, f->path), 0);
	profile__free(&p);
}

static void delete_meta_attr(const char *path, const char *name)
{
	hid_t file = H5Fopen(path, H5F_ACC_RDWR, H5P_DEFAULT);

	assert_true(file >= 0);
	assert_true(H5Adelete_by_name(file, "/meta", name, H5P_DEFAULT) >= 0);
	H5Fclose(file);
}

/* A file written before a counter existed reads 0 for it; a field every
 * file has is still required. */
static void test_older_counters(void **state)
{
	struct fixture *f = *state;
	struct profile p;

	f->p.meta.unfollowed_execs = 3;
	f->p.meta.late_libraries = 2;
	f->p.meta.calib_pair_ns = 1200;
	f->p.meta.calib_method = (char *)"self-calibration";
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	f->p.meta.calib_method = NULL;
	delete_meta_attr(f->path, "unfollowed_execs");
	delete_meta_attr(f->path, "late_libraries");
	delete_meta_attr(f->path, "site_mode");
	delete_meta_attr(f->path, "site_cost_trap_ns");
	delete_meta_attr(f->path, "site_trampoline");
	delete_meta_attr(f->path, "calib_pair_ns");
	delete_meta_attr(f->path, "calib_method");
	assert_int_equal(profile_file__read(&p, f->path), 0);
	assert_true(p.meta.unfollowed_execs == 0 && p.meta.late_libraries == 0);
	assert_string_equal(p.meta.site_mode, "");
	assert_true(p.meta.site_cost_trap_ns == 0 &&
		    p.meta.site_trampoline == 0);
	assert_true(p.meta.site_cost_nop5_ns == 906);
	/* no calibration: 0 ns and an empty method */
	assert_true(p.meta.calib_pair_ns == 0);
	assert_string_equal(p.meta.calib_method, "");
	assert_true(p.meta.records == f->p.meta.records);
	profile__free(&p);
	delete_meta_attr(f->path, "records");
	assert_int_equal(profile_file__read(&p, f->path), -EIO);
}

static void test_truncated(void **state)
{
	struct fixture *f = *state;
	struct profile p;
	struct stat st;

	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(truncate(f->path, st.st_size / 2), 0);
	assert_true(profile_file__read(&p, f->path) < 0);
	assert_int_equal(truncate(f->path, 0), 0);
	assert_true(profile_file__read(&p, f->path) < 0);
}

/* Flipped bytes may or may not be noticed, but never crash the reader. */
static void test_corrupt(void **state)
{
	struct fixture *f = *state;
	struct profile p;
	struct stat st;
	unsigned char junk[32];
	int fd;

	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	assert_int_equal(stat(f->path, &st), 0);
	memset(junk, 0xa5, sizeof(junk));
	fd = open(f->path, O_WRONLY);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, junk, sizeof(junk), st.st_size / 2),
			 sizeof(junk));
	close(fd);
	if (profile_file__read(&p, f->path) == 0)
		profile__free(&p);
}

static void test_h5dump(void **state)
{
	struct fixture *f = *state;
	char cmd[PATH_MAX + 128];

	if (system("command -v h5dump > /dev/null 2>&1"))
		skip();
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	snprintf(cmd, sizeof(cmd), "h5dump -H '%s' > /dev/null", f->path);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "h5dump -d /stats '%s' | grep -q 'total_ns'",
		 f->path);
	assert_int_equal(system(cmd), 0);
	memset(&f->p, 0, sizeof(f->p));
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	snprintf(cmd, sizeof(cmd), "h5dump '%s' > /dev/null", f->path);
	assert_int_equal(system(cmd), 0);
}

/* A profile is told by its signature and root attribute, nothing else. */
static void test_is_profile(void **state)
{
	struct fixture *f = *state;
	const char *name = PROFILE_SCHEMA_NAME;
	hid_t file, type, space, attr;

	assert_int_equal(profile_file__is_profile(f->path), -ENOENT);
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	assert_int_equal(profile_file__is_profile(f->path), 1);
	write_text(f->path, "int main(void) { return 0; }\n");
	assert_int_equal(profile_file__is_profile(f->path), 0);
	write_text(f->path, "");
	assert_int_equal(profile_file__is_profile(f->path), 0);
	/* HDF5, but not ours */
	file = H5Fcreate(f->path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
	assert_true(file >= 0);
	H5Fclose(file);
	assert_int_equal(profile_file__is_profile(f->path), 0);
	/* a fixed-length schema attribute, as other writers make it */
	file = H5Fcreate(f->path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
	type = H5Tcopy(H5T_C_S1);
	assert_true(H5Tset_size(type, strlen(name) + 1) >= 0);
	space = H5Screate(H5S_SCALAR);
	attr = H5Acreate2(file, "schema", type, space, H5P_DEFAULT,
			  H5P_DEFAULT);
	assert_true(attr >= 0);
	assert_true(H5Awrite(attr, type, name) >= 0);
	H5Aclose(attr);
	H5Sclose(space);
	H5Tclose(type);
	H5Fclose(file);
	assert_int_equal(profile_file__is_profile(f->path), 1);
}

/* The writer keeps a profile it replaces as NAME.old, and refuses a file
 * that is not one. */
static void test_rotate_and_refuse(void **state)
{
	struct fixture *f = *state;
	char old[PATH_MAX + 8];
	struct profile got;

	snprintf(old, sizeof(old), "%s.old", f->path);
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	f->p.nstats = 1;
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	assert_int_equal(profile_file__read(&got, old), 0);
	assert_int_equal(got.nstats, 3);
	profile__free(&got);
	write_text(f->path, "keep me");
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1),
		-EEXIST);
	assert_int_equal(profile_file__is_profile(f->path), 0);
}

/* The string attribute @name of @loc. */
static void assert_str_attr(hid_t loc, const char *name, const char *want)
{
	hid_t attr = H5Aopen(loc, name, H5P_DEFAULT);
	hid_t type = H5Tcopy(H5T_C_S1);
	char *got = NULL;

	assert_true(attr >= 0);
	H5Tset_size(type, H5T_VARIABLE);
	H5Tset_cset(type, H5T_CSET_UTF8);
	assert_true(H5Aread(attr, type, &got) >= 0);
	assert_string_equal(got, want);
	H5free_memory(got);
	H5Tclose(type);
	H5Aclose(attr);
}

/* The `units` entry of field @field of dataset @path, found by name. */
static void assert_field_units(hid_t file, const char *path, const char *field,
			       const char *want)
{
	hid_t ds = H5Dopen2(file, path, H5P_DEFAULT);
	hid_t dtype = H5Dget_type(ds);
	hid_t attr = H5Aopen(ds, "units", H5P_DEFAULT);
	hid_t space = H5Aget_space(attr), type = H5Tcopy(H5T_C_S1);
	int idx = H5Tget_member_index(dtype, field);
	char *units[16] = { 0 };

	assert_true(idx >= 0);
	assert_int_equal(H5Sget_simple_extent_npoints(space),
			 H5Tget_nmembers(dtype));
	H5Tset_size(type, H5T_VARIABLE);
	H5Tset_cset(type, H5T_CSET_UTF8);
	assert_true(H5Aread(attr, type, units) >= 0);
	assert_string_equal(units[idx], want);
	for (int i = 0; i < H5Tget_nmembers(dtype); i++)
		H5free_memory(units[i]);
	H5Tclose(type);
	H5Sclose(space);
	H5Aclose(attr);
	H5Tclose(dtype);
	H5Dclose(ds);
}

static void test_units(void **state)
{
	struct fixture *f = *state;
	hid_t file, group, ds;

	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	file = H5Fopen(f->path, H5F_ACC_RDONLY, H5P_DEFAULT);
	assert_true(file >= 0);
	assert_field_units(file, "/stats", "total_ns", "ns");
	assert_field_units(file, "/stats", "max_ns", "ns");
	assert_field_units(file, "/stats", "calls", "count");
	assert_field_units(file, "/stats", "child_calls", "count");
	assert_field_units(file, "/stats", "tid", "");
	assert_field_units(file, "/regions", "nsites", "count");
	assert_field_units(file, "/threads", "comm", "");
	ds = H5Dopen2(file, "/stats_hist", H5P_DEFAULT);
	assert_str_attr(ds, "units", "count");
	H5Dclose(ds);
	assert_int_equal(H5Lexists(file, "/counters", H5P_DEFAULT), 0);
	group = H5Gopen2(file, "/meta", H5P_DEFAULT);
	assert_str_attr(group, "units_start_ns", "ns");
	assert_str_attr(group, "units_end_ns", "ns");
	assert_str_attr(group, "units_records", "count");
	assert_str_attr(group, "units_dropped", "count");
	assert_str_attr(group, "units_ringbuf_bytes", "bytes");
	assert_int_equal(H5Aexists(group, "units_pid"), 0);
	H5Gclose(group);
	H5Fclose(file);
}

/* The i-th string of 1-D string attribute @name of @loc. */
static void assert_strv_attr(hid_t loc, const char *name, int i,
			     const char *want)
{
	hid_t attr = H5Aopen(loc, name, H5P_DEFAULT);
	hid_t space = H5Aget_space(attr), type = H5Tcopy(H5T_C_S1);
	int n = (int)H5Sget_simple_extent_npoints(space);
	char *v[PROFILE_MAX_COUNTERS] = { 0 };

	assert_true(attr >= 0 && n > i && n <= PROFILE_MAX_COUNTERS);
	H5Tset_size(type, H5T_VARIABLE);
	H5Tset_cset(type, H5T_CSET_UTF8);
	assert_true(H5Aread(attr, type, v) >= 0);
	assert_string_equal(v[i], want);
	for (int k = 0; k < n; k++)
		H5free_memory(v[k]);
	H5Tclose(type);
	H5Sclose(space);
	H5Aclose(attr);
}

/* What h5py users see: the counters' units, and the matrices' columns
 * named and united. */
static void test_counter_units(void **state)
{
	struct fixture *f = *state;
	hid_t file, ds;

	sample__counters(&f->p);
	assert_int_equal(
		profile_file__write(&f->p, f->path, (uid_t)-1, (gid_t)-1), 0);
	file = H5Fopen(f->path, H5F_ACC_RDONLY, H5P_DEFAULT);
	assert_true(file >= 0);
	assert_field_units(file, "/counters", "enabled_ns", "ns");
	assert_field_units(file, "/counters", "name", "");
	for (int i = 0; i < 2; i++) {
		ds = H5Dopen2(file, i ? "/counter_self" : "/counter_incl",
			      H5P_DEFAULT);
		assert_true(ds >= 0);
		assert_strv_attr(ds, "columns", 0, "task-clock");
		assert_strv_attr(ds, "columns", 1, "cpu/event=0xc2,umask=0x1/");
		assert_strv_attr(ds, "units", 0, "ns");
		assert_strv_attr(ds, "units", 1, "count");
		H5Dclose(ds);
	}
	H5Fclose(file);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_roundtrip),
		T(test_empty_tables),
		T(test_overwrite),
		T(test_free_zeroed),
		T(test_symlink_replaced),
		T(test_chown),
		T(test_failed_write_cleans_up),
		T(test_not_hdf5),
		T(test_nonexistent),
		T(test_no_schema),
		T(test_newer_schema),
		T(test_older_counters),
		T(test_truncated),
		T(test_corrupt),
		T(test_h5dump),
		T(test_is_profile),
		T(test_rotate_and_refuse),
		T(test_units),
		T(test_counters_roundtrip),
		T(test_counters_damaged),
		T(test_path_counters),
		T(test_counter_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
