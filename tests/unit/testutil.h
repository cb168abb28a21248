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

#ifndef TEST_OUTPUT
#define TEST_OUTPUT ".output"
#endif
/* Test target programs built from tests/progs/NAME.c */
#define TEST_PROG(name) TEST_OUTPUT "/tests/progs/" name

#endif /* SCOPE_TESTUTIL_H */
