// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Unit tests of the output path rules (userspace/output): placeholders,
 * temporary names, what may be replaced, NAME.old and leftovers. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "output/file.h"
#include "output/path.h"

struct expand_case {
	const char *tmpl;
	int err;
	const char *out; /* or the offset of the bad placeholder */
	size_t bad_at;
};

/* 2026-11-25 23:00:00 UTC */
#define T0 1795647600

static const struct expand_case expands[] = {
	{ "run.h5", 0, "run.h5", 0 },
	{ "run-%p.h5", 0, "run-4242.h5", 0 },
	{ "%h/%p", 0, "node7/4242", 0 },
	{ "r-%t.h5", 0, "r-20261125T230000Z.h5", 0 },
	{ "100%%-%p%%", 0, "100%-4242%", 0 },
	{ "%p%p", 0, "42424242", 0 },
	{ "", 0, "", 0 },
	{ "x-%x.h5", -EINVAL, NULL, 2 },
	{ "x-%", -EINVAL, NULL, 2 },
	{ "%P", -EINVAL, NULL, 0 },
	{ "ok-%p-%q", -EINVAL, NULL, 6 },
};

static void test_expand(void **state)
{
	struct output_vars v = { .pid = 4242,
				 .host = "node7.cluster.example",
				 .start = T0 };

	(void)state;
	for (size_t i = 0; i < sizeof(expands) / sizeof(expands[0]); i++) {
		const struct expand_case *c = &expands[i];
		size_t bad = 999;
		char *out = NULL;
		int err = output_path__expand(c->tmpl, &v, &out, &bad);

		if (err != c->err)
			fail_msg("'%s': got %d, expected %d", c->tmpl, err,
				 c->err);
		if (!err && strcmp(out, c->out))
			fail_msg("'%s': got '%s', expected '%s'", c->tmpl, out,
				 c->out);
		if (err && bad != c->bad_at)
			fail_msg("'%s': bad at %zu, expected %zu", c->tmpl, bad,
				 c->bad_at);
		free(out);
	}
}

/* A host name is a path component here: never a '/' nor empty. */
static void test_expand_host(void **state)
{
	struct output_vars v = { .pid = 1, .host = "a/b" };
	char *out;

	(void)state;
	assert_int_equal(output_path__expand("%h", &v, &out, NULL), 0);
	assert_string_equal(out, "a_b");
	free(out);
	v.host = "";
	assert_int_equal(output_path__expand("%h", &v, &out, NULL), 0);
	assert_string_equal(out, "localhost");
	free(out);
}

static void test_temp_name(void **state)
{
	char name[NAME_MAX + 2], *t;
	const char *base;

	(void)state;
	assert_int_equal(output_path__temp_name("dir/run.h5", 77, "AbC123", &t),
			 0);
	assert_string_equal(t, "dir/.run.h5.scope-bpf-tmp.77.AbC123");
	assert_int_equal(output_path__temp_pid(output_path__base(t)), 77);
	free(t);
	assert_int_equal(output_path__temp_name("run.h5", 5, "xxxxxx", &t), 0);
	assert_string_equal(t, ".run.h5.scope-bpf-tmp.5.xxxxxx");
	free(t);
	/* a name of NAME_MAX bytes still gets a temporary name that fits */
	memset(name, 'n', NAME_MAX);
	name[NAME_MAX] = '\0';
	assert_int_equal(output_path__temp_name(name, 4194304, "ZZZZZZ", &t),
			 0);
	base = output_path__base(t);
	assert_true(strlen(base) <= NAME_MAX);
	assert_int_equal(output_path__temp_pid(base), 4194304);
	free(t);
}

static void test_temp_pid(void **state)
{
	(void)state;
	assert_int_equal(output_path__temp_pid(".a.scope-bpf-tmp.12.abcdef"),
			 12);
	/* NAME holding the tag itself */
	assert_int_equal(output_path__temp_pid(
				 ".a.scope-bpf-tmp.3.x.scope-bpf-tmp.9.abcdef"),
			 9);
	assert_int_equal(output_path__temp_pid("a.scope-bpf-tmp.12.abcdef"), 0);
	assert_int_equal(output_path__temp_pid(".a.scope-bpf-tmp.12.abcde"), 0);
	assert_int_equal(output_path__temp_pid(".a.scope-bpf-tmp.12.abc-ef"),
			 0);
	assert_int_equal(output_path__temp_pid(".a.scope-bpf-tmp..abcdef"), 0);
	assert_int_equal(output_path__temp_pid(".a.scope-bpf-tmp.1x.abcdef"),
			 0);
	assert_int_equal(output_path__temp_pid(".a.scope-bpf-tmp.0.abcdef"), 0);
	assert_int_equal(
		output_path__temp_pid(".a.scope-bpf-tmp.99999999999.abcdef"),
		0);
	assert_int_equal(output_path__temp_pid(".run.h5.AbC123"), 0);
}

static void test_dir(void **state)
{
	char *d;

	(void)state;
	assert_non_null(d = output_path__dir("run.h5"));
	assert_string_equal(d, ".");
	free(d);
	assert_non_null(d = output_path__dir("/run.h5"));
	assert_string_equal(d, "/");
	free(d);
	assert_non_null(d = output_path__dir("a/b/run.h5"));
	assert_string_equal(d, "a/b");
	free(d);
}

struct fixture {
	char dir[64];
	char path[PATH_MAX];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	strcpy(f->dir, "/tmp/scope-test-output.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/run.h5", f->dir);
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

/* Files starting with "PROFILE" stand for profiles here. */
static int fake_is_profile(const char *path)
{
	char buf[7] = { 0 };
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == sizeof(buf) && !memcmp(buf, "PROFILE", 7);
}

static void put(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	assert_non_null(fp);
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

static void expect_text(const char *path, const char *text)
{
	char buf[64] = { 0 };
	FILE *fp = fopen(path, "r");

	assert_non_null(fp);
	assert_true(fread(buf, 1, sizeof(buf) - 1, fp) > 0 || !*text);
	fclose(fp);
	assert_string_equal(buf, text);
}

static const struct output_file_opts plain = {
	.uid = (uid_t)-1,
	.gid = (gid_t)-1,
	.is_profile = fake_is_profile,
};

static int write_text(const char *path, const char *text,
		      const struct output_file_opts *o)
{
	return output_file__write(path, text, strlen(text), o);
}

static int count_entries(const char *dir)
{
	char cmd[128];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static void test_new_and_rotate(void **state)
{
	struct fixture *f = *state;
	char old[PATH_MAX + 8];

	snprintf(old, sizeof(old), "%s.old", f->path);
	assert_int_equal(write_text(f->path, "PROFILE 1", &plain), 0);
	expect_text(f->path, "PROFILE 1");
	assert_int_equal(count_entries(f->dir), 1);
	assert_int_equal(write_text(f->path, "PROFILE 2", &plain), 0);
	expect_text(f->path, "PROFILE 2");
	expect_text(old, "PROFILE 1");
	/* NAME.old is replaced by the next rotation */
	assert_int_equal(write_text(f->path, "PROFILE 3", &plain), 0);
	expect_text(old, "PROFILE 2");
	assert_int_equal(count_entries(f->dir), 2);
}

static void test_not_a_profile(void **state)
{
	struct fixture *f = *state;
	struct output_file_opts force = plain;
	char old[PATH_MAX + 8];

	snprintf(old, sizeof(old), "%s.old", f->path);
	put(f->path, "int main;");
	assert_int_equal(output_file__check(f->path, &plain), -EEXIST);
	assert_int_equal(write_text(f->path, "PROFILE", &plain), -EEXIST);
	expect_text(f->path, "int main;");
	force.force = true;
	assert_int_equal(output_file__check(f->path, &force), 0);
	assert_int_equal(write_text(f->path, "PROFILE", &force), 0);
	expect_text(f->path, "PROFILE");
	assert_int_equal(access(old, F_OK), -1);
	/* an empty file holds nothing: no --force needed */
	put(f->path, "");
	assert_int_equal(write_text(f->path, "PROFILE", &plain), 0);
}

static void test_refused(void **state)
{
	struct fixture *f = *state;
	char fifo[PATH_MAX + 8], link[PATH_MAX + 8];

	snprintf(fifo, sizeof(fifo), "%s/fifo", f->dir);
	snprintf(link, sizeof(link), "%s/link", f->dir);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(output_file__check(fifo, &plain), -EEXIST);
	assert_int_equal(output_file__check("/dev/null", &plain), -EEXIST);
	assert_int_equal(output_file__check(f->dir, &plain), -EISDIR);
	assert_int_equal(output_file__check("", &plain), -EISDIR);
	assert_int_equal(output_file__check("/nonexistent-dir/x.h5", &plain),
			 -ENOENT);
	assert_int_equal(output_file__check("/proc/self/fd/1", &plain),
			 -EINVAL);
	/* a link to a FIFO or into /proc is refused, one to a file replaced */
	assert_int_equal(symlink(fifo, link), 0);
	assert_int_equal(output_file__check(link, &plain), -EEXIST);
	assert_int_equal(unlink(link), 0);
	assert_int_equal(symlink("/proc/self/fd/1", link), 0);
	assert_int_equal(output_file__check(link, &plain), -EEXIST);
	assert_int_equal(unlink(link), 0);
	put(f->path, "precious");
	assert_int_equal(symlink(f->path, link), 0);
	assert_int_equal(write_text(link, "PROFILE", &plain), 0);
	expect_text(f->path, "precious");
	expect_text(link, "PROFILE");
	/* nothing of ours left after the refusals */
	assert_int_equal(count_entries(f->dir), 3);
}

static void test_long_names(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s/", f->dir);

	memset(path + n, 'n', NAME_MAX);
	path[n + NAME_MAX] = '\0';
	assert_int_equal(write_text(path, "PROFILE", &plain), 0);
	/* no room for NAME.old: refused before the run */
	assert_int_equal(output_file__check(path, &plain), -ENAMETOOLONG);
	path[n + NAME_MAX - 4] = '\0';
	assert_int_equal(write_text(path, "PROFILE", &plain), 0);
	assert_int_equal(write_text(path, "PROFILE", &plain), 0);
	memset(path + n, 'n', NAME_MAX + 1);
	path[n + NAME_MAX + 1] = '\0';
	assert_int_equal(output_file__check(path, &plain), -ENAMETOOLONG);
}

static void test_full_disk(void **state)
{
	struct output_file_opts o = plain;

	(void)state;
	if (access("/dev/full", W_OK))
		skip();
	/* /dev/full's directory takes no file of ours: ENOSPC needs a real
	 * file system (tests/integration/test_disk_full.sh) */
	assert_int_equal(output_file__check("/dev/full", &o), -EEXIST);
}

static void test_stale(void **state)
{
	struct fixture *f = *state;
	char dead[PATH_MAX + 64], live[PATH_MAX + 64], other[PATH_MAX + 64];
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (!pid)
		_exit(0);
	assert_int_equal(waitpid(pid, NULL, 0), pid);
	snprintf(dead, sizeof(dead), "%s/.run.h5.scope-bpf-tmp.%d.AAAAAA",
		 f->dir, (int)pid);
	snprintf(live, sizeof(live), "%s/.run.h5.scope-bpf-tmp.%d.BBBBBB",
		 f->dir, (int)getpid());
	snprintf(other, sizeof(other), "%s/.run.h5.CCCCCC", f->dir);
	put(dead, "");
	put(live, "");
	put(other, "");
	assert_int_equal(output_file__clean_stale(f->path), 1);
	assert_int_equal(access(dead, F_OK), -1);
	assert_int_equal(access(live, F_OK), 0);
	assert_int_equal(access(other, F_OK), 0);
	assert_int_equal(output_file__clean_stale("/nonexistent-dir/x"),
			 -ENOENT);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expand),
		cmocka_unit_test(test_expand_host),
		cmocka_unit_test(test_temp_name),
		cmocka_unit_test(test_temp_pid),
		cmocka_unit_test(test_dir),
		T(test_new_and_rotate),
		T(test_not_a_profile),
		T(test_refused),
		T(test_long_names),
		cmocka_unit_test(test_full_disk),
		T(test_stale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
