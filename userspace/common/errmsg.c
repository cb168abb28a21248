// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The failed step of a multi-step job, for its one error line. */
#include <stdarg.h>
#include <stdio.h>

#include "common/errmsg.h"

int errmsg__set(struct errmsg *e, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return err;
}
