/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Includes and helpers shared by the cmocka unit tests. Tests run from the
 * repository root (tests/run.sh), so built fixtures are at OUTPUT paths. */
#ifndef SCOPE_TESTUTIL_H
#define SCOPE_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#ifndef TEST_OUTPUT
#define TEST_OUTPUT ".output"
#endif
/* Test target programs built from tests/progs/NAME.c */
#define TEST_PROG(name) TEST_OUTPUT "/tests/progs/" name

/* Removes a test's temporary directory and all in it; 0 or -1. */
static inline int test__rmdir(const char *dir)
{
	char cmd[4200];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

#endif /* SCOPE_TESTUTIL_H */
