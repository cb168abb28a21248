// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Table-driven tests of the run/attach command lines. */
#include <argp.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "cli/agent_args.h"
#include "scope_bpf_record.h"

#define MAXARGS 12

struct arg_case {
	enum session_mode mode;
	const char *argv[MAXARGS];
	int ok;
};

static const struct arg_case cases[] = {
	{ SESSION_RUN, { "run", "--", "./heat", "2" }, 1 },
	{ SESSION_RUN, { "run", "./heat", "-n", "3" }, 1 },
	{ SESSION_RUN,
	  { "run", "-o", "x.h5", "--ringbuf-size", "8", "--", "ls" },
	  1 },
	{ SESSION_RUN, { "run" }, 0 },
	{ SESSION_RUN, { "run", "--ringbuf-size", "3", "--", "ls" }, 0 },
	{ SESSION_RUN, { "run", "--ringbuf-size", "0", "--", "ls" }, 0 },
	{ SESSION_RUN, { "run", "--ringbuf-size", "4096", "--", "ls" }, 0 },
	{ SESSION_RUN, { "run", "--ringbuf-size", "2048", "--", "ls" }, 0 },
	{ SESSION_RUN, { "run", "--max-depth", "65", "--", "ls" }, 0 },
	{ SESSION_RUN, { "run", "--pid", "1", "--", "ls" }, 0 },
	{ SESSION_RUN, { "run", "--duration", "1", "--", "ls" }, 0 },
	{ SESSION_RUN, { "run", "--bogus", "--", "ls" }, 0 },
	{ SESSION_ATTACH, { "attach", "--pid", "42" }, 1 },
	{ SESSION_ATTACH,
	  { "attach", "-p", "42", "-d", "0.5", "-o", "a.h5" },
	  1 },
	{ SESSION_ATTACH, { "attach" }, 0 },
	{ SESSION_ATTACH, { "attach", "--pid", "abc" }, 0 },
	{ SESSION_ATTACH, { "attach", "--pid", "-3" }, 0 },
	{ SESSION_ATTACH, { "attach", "--pid", "42x" }, 0 },
	{ SESSION_ATTACH, { "attach", "--pid", "42", "--duration", "0" }, 0 },
	{ SESSION_ATTACH,
	  { "attach", "--pid", "42", "--duration", "soon" },
	  0 },
	{ SESSION_ATTACH, { "attach", "--pid", "42", "extra" }, 0 },
	{ SESSION_RUN, { "run", "--ringbuf-size", "256", "--", "ls" }, 1 },
	{ SESSION_RUN, { "run", "--ringbuf-size", "512", "--", "ls" }, 0 },
	{ SESSION_RUN, { "run", "--ringbuf-size", "64M", "--", "ls" }, 1 },
	{ SESSION_RUN, { "run", "--ringbuf-size", "512K", "--", "ls" }, 0 },
	{ SESSION_RUN, { "run", "--ringbuf-size", "1G", "--", "ls" }, 0 },
	{ SESSION_RUN, { "run", "--force", "-o", "x.c", "--", "ls" }, 1 },
	{ SESSION_RUN, { "run", "-o", "r-%p-%h-%t-%%.h5", "--", "ls" }, 1 },
	{ SESSION_RUN, { "run", "-o", "r-%x.h5", "--", "ls" }, 0 },
	{ SESSION_RUN, { "run", "-o", "r-%", "--", "ls" }, 0 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "--force" }, 1 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-o", "%p.h5" }, 1 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-o", "%d.h5" }, 0 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-d", "10s" }, 1 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-d", "500ms" }, 1 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-d", "2m" }, 1 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-d", "1h" }, 1 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-d", "365d" }, 1 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-d", "366d" }, 0 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-d", "1e300" }, 0 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-d", "inf" }, 0 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-d", "0ms" }, 0 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-d", "10x" }, 0 },
};

/* argp wants a mutable argv, and @a keeps pointers into it (a->command):
 * @argv is the caller's, so that it lives as long as @a is read. */
static int parse(const struct arg_case *c, char *argv[MAXARGS + 1],
		 struct agent_args *a)
{
	int argc = 0;

	while (c->argv[argc]) {
		argv[argc] = (char *)c->argv[argc];
		argc++;
	}
	argv[argc] = NULL;
	return agent_args__parse(c->mode, argc, argv,
				 ARGP_NO_EXIT | ARGP_NO_ERRS, a);
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *argv[MAXARGS + 1];
		struct agent_args a;
		int err = parse(&cases[i], argv, &a);

		if (cases[i].ok != !err)
			fail_msg("case %zu (%s %s): parse returned %d", i,
				 cases[i].argv[0], cases[i].argv[1], err);
	}
}

static void test_values(void **state)
{
	struct arg_case c = { SESSION_RUN,
			      { "run", "-o", "x.h5", "--ringbuf-size", "8",
				"--max-depth", "10", "--no-calibrate", "./heat",
				"-o", "y" },
			      1 };
	char *argv[MAXARGS + 1];
	struct agent_args a;

	(void)state;
	assert_int_equal(parse(&c, argv, &a), 0);
	assert_string_equal(a.opts.output, "x.h5");
	assert_int_equal(a.opts.ringbuf_bytes, 8 << 20);
	assert_int_equal(a.opts.max_depth, 10);
	assert_true(a.opts.no_calibrate);
	/* everything from the command on is the command's, -o included */
	assert_string_equal(a.opts.command[0], "./heat");
	assert_string_equal(a.opts.command[1], "-o");
	assert_string_equal(a.opts.command[2], "y");
	assert_null(a.opts.command[3]);
}

static void test_func(void **state)
{
	struct arg_case c = { SESSION_RUN,
			      { "run", "--func", "solve*", "--func",
				"libm:exp*", "./heat" },
			      1 };
	struct arg_case bad = { SESSION_RUN,
				{ "run", "--func", "libm:", "x" },
				0 };
	struct arg_case none = { SESSION_RUN, { "run", "./heat" }, 1 };
	char *argv[MAXARGS + 1];
	struct agent_args a;

	(void)state;
	assert_int_equal(parse(&c, argv, &a), 0);
	assert_non_null(a.opts.funcs);
	assert_int_equal(a.opts.funcs->n, 2);
	assert_null(a.opts.funcs->v[0].lib);
	assert_string_equal(a.opts.funcs->v[1].lib, "libm");
	assert_string_equal(a.opts.funcs->v[1].glob, "exp*");
	agent_args__free(&a);
	assert_null(a.opts.funcs);
	assert_int_equal(parse(&bad, argv, &a), -EINVAL);
	assert_int_equal(parse(&none, argv, &a), 0);
	assert_null(a.opts.funcs);
	c.argv[1] = "--func-file";
	c.argv[2] = "/nonexistent/patterns";
	assert_int_equal(parse(&c, argv, &a), -EINVAL);
}

static void test_defaults(void **state)
{
	struct arg_case c = { SESSION_ATTACH, { "attach", "--pid", "42" }, 1 };
	char *argv[MAXARGS + 1];
	struct agent_args a;

	(void)state;
	assert_int_equal(parse(&c, argv, &a), 0);
	assert_int_equal(a.opts.pid, 42);
	assert_string_equal(a.opts.output, "scope-bpf.h5");
	assert_true(a.opts.duration == 0);
	assert_int_equal(a.opts.max_depth, SCOPE_MAX_DEPTH);
	assert_false(a.opts.no_calibrate); /* calibrated by default */
	assert_false(a.no_status); /* a status line where stderr is a tty */
	assert_int_equal(a.opts.ringbuf_bytes & (a.opts.ringbuf_bytes - 1), 0);
}

/* -q is quiet about the status line too; --no-status only about it. */
static void test_status_flags(void **state)
{
	struct arg_case q = { SESSION_RUN, { "run", "-q", "ls" }, 1 };
	struct arg_case n = { SESSION_RUN, { "run", "--no-status", "ls" }, 1 };
	char *argv[MAXARGS + 1];
	struct agent_args a;

	(void)state;
	assert_int_equal(parse(&q, argv, &a), 0);
	assert_true(a.no_status);
	assert_int_equal(a.verbosity, -1);
	assert_int_equal(parse(&n, argv, &a), 0);
	assert_true(a.no_status);
	assert_int_equal(a.verbosity, 0);
}

struct duration_case {
	const char *arg;
	double seconds;
};

static const struct duration_case durations[] = {
	{ "10", 10 },	  { "10s", 10 }, { "1.5s", 1.5 },
	{ "500ms", 0.5 }, { "2m", 120 }, { "1h", 3600 },
};

static void test_duration_values(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(durations) / sizeof(durations[0]); i++) {
		struct arg_case c = { SESSION_ATTACH,
				      { "attach", "-p", "42", "-d",
					durations[i].arg },
				      1 };
		char *argv[MAXARGS + 1];
		struct agent_args a;

		assert_int_equal(parse(&c, argv, &a), 0);
		if (a.opts.duration != durations[i].seconds)
			fail_msg("-d %s: %g s, expected %g", durations[i].arg,
				 a.opts.duration, durations[i].seconds);
	}
}

static void test_output_values(void **state)
{
	struct arg_case c = { SESSION_RUN,
			      { "run", "--force", "-o", "r-%p.h5",
				"--ringbuf-size", "256", "ls" },
			      1 };
	char *argv[MAXARGS + 1];
	struct agent_args a;

	(void)state;
	assert_int_equal(parse(&c, argv, &a), 0);
	assert_true(a.opts.force);
	/* expanded by the session, once the pid is known */
	assert_string_equal(a.opts.output, "r-%p.h5");
	assert_int_equal(a.opts.ringbuf_bytes, 256ul << 20);
}

/* -h is help wherever an option may stand; after the command it is the
 * command's. */
static const struct arg_case help_cases[] = {
	{ SESSION_RUN, { "run", "-h" }, 0 },
	{ SESSION_RUN, { "run", "-o", "x.h5", "-h" }, 0 },
	{ SESSION_RUN, { "run", "-h", "--", "ls" }, 0 },
	{ SESSION_ATTACH, { "attach", "-h" }, 0 },
	{ SESSION_ATTACH, { "attach", "-p", "42", "-h" }, 0 },
	{ SESSION_RUN, { "run", "--", "ls", "-h" }, 1 },
	{ SESSION_RUN, { "run", "ls", "-h" }, 1 },
	{ SESSION_RUN, { "run", "-q", "ls", "-l", "-h" }, 1 },
};

static void test_help(void **state)
{
	int saved = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);

	(void)state;
	assert_true(saved >= 0 && null >= 0);
	for (size_t i = 0; i < sizeof(help_cases) / sizeof(help_cases[0]);
	     i++) {
		const struct arg_case *c = &help_cases[i];
		char *argv[MAXARGS + 1];
		struct agent_args a;
		int err;

		/* the help argp prints is not this test's output */
		fflush(stdout);
		dup2(null, STDOUT_FILENO);
		err = parse(c, argv, &a);
		fflush(stdout);
		dup2(saved, STDOUT_FILENO);
		if (!c->ok) {
			if (err != -ECANCELED)
				fail_msg(
					"help case %zu: parse returned %d, not -ECANCELED",
					i, err);
			continue;
		}
		if (err)
			fail_msg("help case %zu: parse returned %d", i, err);
		/* the command's -h is its last argument, untouched */
		assert_string_equal(a.opts.command[0], "ls");
		assert_non_null(a.opts.command[1]);
	}
	close(null);
	close(saved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_status_flags),
		cmocka_unit_test(test_duration_values),
		cmocka_unit_test(test_output_values),
		cmocka_unit_test(test_help),
		cmocka_unit_test(test_func),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
