// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Which commands run takes without markers of their own (agent/command.c):
 * Python interpreters, by name, unless the file is a #! script. */
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"

#include "agent/command.h"

struct name_case {
	const char *path;
	bool later;
};

/* paths that do not exist: the name alone decides (no #! to read) */
static const struct name_case names[] = {
	{ "python3", true },
	{ "/usr/bin/python3", true },
	{ "/usr/bin/python3.11", true },
	{ "/opt/py/bin/python", true },
	{ "/usr/bin/python3-config", false },
	{ "/usr/bin/pythonista", false },
	{ "/usr/bin/ipython3", false },
	{ "/bin/sh", false },
	{ "./solver", false },
	{ "", false },
};

static void test_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const struct name_case *c = &names[i];

		if (command__markers_come_later(c->path) != c->later)
			fail_msg("'%s': expected %s", c->path,
				 c->later ? "true" : "false");
	}
	assert_false(command__markers_come_later(NULL));
}

/* a shim named python3 that is a script (pyenv's) starts another process:
 * refused like any script */
static void test_script_named_python(void **state)
{
	char dir[] = "/tmp/scope-test-command.XXXXXX";
	char path[64];
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/python3", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("#!/bin/sh\nexec python3.11 \"$@\"\n", f);
	fclose(f);
	assert_false(command__markers_come_later(path));
	assert_int_equal(test__rmdir(dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_script_named_python),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
